"""How a question was understood, as the one line every answer shows ("topic: diffusion · from 2023-01-01").

Kept apart from the parser (query.py): it reads a parsed ``Query`` and names its parts for people.
"""

from __future__ import annotations

import datetime as dt

from bot.categories import category_name
from bot.understand.parsed import topic_parts
from bot.understand.query import Query


def describe(query: Query, authors: dict[str, str]) -> str:
    """A short line saying how the question was understood, e.g. "topic: diffusion · from 2023-01-01"."""
    parts: list[str] = ["coauthor network"] if query.intent == "network" else []
    if query.target:
        label = {"author": "author", "similar": "like", "cite": "cite"}.get(query.intent, "title")
        parts.append(f"{label}: {authors.get(query.target, query.target)}")
        if query.intent == "similar" and query.detail in ("newer", "older"):
            parts.append("dated after it" if query.detail == "newer" else "dated before it")
    words, sides = topic_parts(query.topic)
    if sides:  # "topic: diffusion and (video generation or 3d)"
        either = " or ".join(" ".join(side) for side in sides)
        parts.append("topic: " + (" and ".join([*words, f"({either})"]) if words else either))
    elif query.topic:
        if query.match_all or len(words) <= 4:  # "nerf and gan"; "nerf or gan"
            parts.append("topic: " + (" and " if query.match_all else " or ").join(words))
        else:  # a long question's informative words
            parts.append(f"topic: {query.topic} (any of these words)")
        if query.in_title:
            parts.append("in the title")
        for typed, other in query.expansions.items():
            parts.append(f"{typed} = {other}")
    dates = query.dates
    if query.date_periods:
        parts.append(
            ("in " if all(r.first and r.last for r in query.date_periods) else "dates: ")
            + " or ".join(
                f"{r.first:%Y}"
                if r.first and r.last and r.first.year == r.last.year and (r.first.month, r.last.month) == (1, 12)
                else f"{r.first} to {r.last}"
                if r.first and r.last
                else f"until {r.last}"
                if r.last
                else f"from {r.first}"  # "before 2016 or after 2024": two open ends
                for r in query.date_periods
            )
        )
    elif dates:
        if dates.first and dates.last:
            parts.append(f"dates: {dates.first} to {dates.last}")
        elif dates.first:
            parts.append(f"from {dates.first}")
        elif dates.last:
            parts.append(f"until {dates.last}")
    if query.affiliated is not None:
        parts.append("an affiliation listed" if query.affiliated else "no affiliation listed")
    if query.months:
        parts.append("month: " + " or ".join(dt.date(2000, m, 1).strftime("%B") for m in query.months))
    for rng in query.exclude_dates:
        parts.append(
            f"not {rng.first} to {rng.last}"
            if rng.first and rng.last
            else f"not from {rng.first}"
            if rng.first
            else f"not until {rng.last}"
        )
    named = [authors.get(k, k) for k in query.authors] + list(query.unknown_authors)
    left_out = "leaving out" if query.intent == "coauthors" else "not by"  # "besides Luke Metz, who ...": him, not his papers
    for label, names in (("by", named), (left_out, [authors.get(k, k) for k in query.exclude_authors])):
        if names:
            glue = (
                " or " if label == "by" and query.author_mode == "any" else " and " if label in ("by", "leaving out") else " nor "
            )
            parts.append(f"{label} " + glue.join(names))
    for names in query.ambiguous.values():
        parts.append("by " + " or ".join(names))
    if query.first_author:
        parts.append("as first author")
    if query.profiles:
        parts.append(f"{'profile' if len(query.profiles) == 1 else 'profiles'}: " + " and ".join(query.profiles))
    for label, codes in (("category", query.categories), ("not category", query.exclude_categories)):
        if codes:
            parts.append(f"{label} " + ", ".join(f"{c} ({category_name(c)})" for c in codes))
    if query.affiliations:
        parts.append("affiliation " + (" or " if query.affiliation_mode == "any" else " and ").join(query.affiliations))
    if query.exclude_affiliations:
        parts.append("not affiliation " + ", ".join(query.exclude_affiliations))
    if query.has_code is not None:
        parts.append("with code" if query.has_code else "without code")
    if query.exclude_terms:
        parts.append("excluding " + ", ".join(query.exclude_terms))
    if query.group_by:
        parts.append(f"per {query.group_by}")
    if query.ends:
        parts.append("newest and oldest")
    elif query.sort in ("newest", "oldest"):
        parts.append(f"{query.sort} first")
    if query.sort in ("most", "least") and query.intent == "breakdown":
        parts.append("most" if query.sort == "most" else "fewest")
    if query.limit:
        parts.append(
            (f"top {query.limit} people" if query.limit > 1 else "the top person")
            if query.intent == "coauthors"
            else f"limit {query.limit}"
        )
    if query.caveat:
        parts.append("not English" if "only English" in str(query.caveat) else "not answerable from the corpus")
    if query.set_aside:
        parts.append("set aside: " + ", ".join(query.set_aside))
    return " · ".join(parts) or "everything"

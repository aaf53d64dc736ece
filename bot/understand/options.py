"""Queries from structured command options (Discord slash commands), without parsing free text.

A slash command's options are already separated (topic, after, before, author, category, has_code),
so they become a Query directly: an author option is never mistaken for a topic word. Everything
here is core code; the cogs only pass option values through.
"""

from __future__ import annotations

from bot.categories import normalize_category
from bot.errors import PaperBotError
from bot.names import name_key

from .dates import DateRange, after, before
from .profiles import apply_profiles
from .query import MAX_QUESTION, Lexicon, Query, clean_question


class OptionError(PaperBotError):
    """A command option the bot cannot use; the message says which and why."""


def date_range(after_text: str | None, before_text: str | None) -> DateRange | None:
    """``after`` and ``before`` are exclusive, as in speech: after 2022 starts on 2023-01-01."""
    found = DateRange()
    for option, value, bound in (("after", after_text, after), ("before", before_text, before)):
        if value:
            try:
                found = found.intersect(bound(value))
            except ValueError:
                raise OptionError(f"{option}: {value!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)") from None
    if found.first is None and found.last is None:
        return None
    if found.first and found.last and found.first > found.last:
        raise OptionError(f"after {after_text} and before {before_text} leave no dates between them")
    return found


def author_key(name: str, lexicon: Lexicon) -> str | None:
    """The corpus key of an author option (full name, or a surname only one person has)."""
    key = name_key(name)
    if key in lexicon.authors:
        return key
    people = lexicon.surnames.get(key, ())
    return people[0] if len(people) == 1 else None


def search_query(
    lexicon: Lexicon,
    topic: str = "",
    after: str | None = None,
    before: str | None = None,
    author: str | None = None,
    category: str | None = None,
    has_code: bool | None = None,
    sort: str = "relevance",
    limit: int | None = None,
) -> Query:
    """A topic search with filters, as /search and /recent ask for it."""
    topic = clean_question(topic or "")[:MAX_QUESTION]
    query = Query(
        text=topic, intent="search", topic=topic, dates=date_range(after, before), has_code=has_code, sort=sort, limit=limit
    )
    if author:
        key = author_key(author, lexicon)
        if key:
            query.authors.append(key)
        else:
            query.unknown_authors.append(author.strip())
    apply_profiles(query, lexicon)  # several profiles: an owner's name means their profile
    if category:
        code = normalize_category(category)
        if not code:
            raise OptionError(f"category: {category!r} is not an arXiv category code or name (e.g. LG, cs.CV, computer vision)")
        query.categories.append(code)
    return query


def network_query(lexicon: Lexicon, person: str | None = None, after: str | None = None, before: str | None = None) -> Query:
    """/network: who works with whom around a person (default: the whole profile), between dates."""
    query = search_query(lexicon, "", after, before, person)
    query.intent, query.text = (
        "network",
        " ".join(f"{k} {v}" for k, v in (("network of", person), ("after", after), ("before", before)) if v) or "network",
    )
    return query


def lookup_query(intent: str, target: str, limit: int | None = None) -> Query:
    """/paper, /similar and /cite: a title (or words of one) to look up."""
    target = clean_question(target)[:MAX_QUESTION]
    if not target:
        raise OptionError("give a title, or words from one")
    return Query(text=f"{intent} {target}", intent=intent, target=target, limit=limit)


def author_query(name: str, lexicon: Lexicon) -> Query:
    key = author_key(name, lexicon)
    if key is None:
        return Query(text=name, intent="search", unknown_authors=[name.strip()])
    return Query(text=name, intent="author", target=key)


def simple_query(intent: str, limit: int | None = None, sort: str = "relevance") -> Query:
    """/coauthors, /stats, /help: no options beyond a limit."""
    return Query(text=intent, intent=intent, limit=limit, sort=sort)


def coauthors_query(lexicon: Lexicon, person: str | None = None, limit: int | None = None) -> Query:
    """/coauthors [person]: who coauthored most with a person (with several profiles: whose; default the profile's owner)."""
    if not person:
        return simple_query("coauthors", limit)
    query = search_query(lexicon, "", author=person)
    query.intent, query.limit, query.text = "coauthors", limit, f"coauthors of {person}"
    return query


def profile_query(lexicon: Lexicon, name: str | None = None) -> Query:
    """/stats [profile]: one profile's facts (with several profiles), else the profile's (or every profile's)."""
    query = simple_query("profile")
    if name:
        query.profiles = [p for k, p in lexicon.profile_owners.items() if k == name_key(name) or p == name][:1]
        query.text = f"profile of {name}"
    return query

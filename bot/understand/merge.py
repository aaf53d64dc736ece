"""A follow-up merged into the question before it: new values replace old ones of their kind, removals clear,
"only the video ones" narrows the topic, "which ones don't?" turns the last refinement around.

Reading a message is followup.py's job; this module only combines two questions already read.
"""

from __future__ import annotations

import copy
import datetime as dt
import re

from bot.names import name_key

from .adjustments import topic_words
from .dates import DateRange
from .followup import PAPER_NOUN, RECORD_OPERATORS, FollowUp
from .query import Query

LIST_VERB = re.compile(r"^(?:(?:ok(?:ay)?|so|now|and|then)[\s,]+)*(?:list|show|give|display|which\s+(?:are|were)|what\s+are)\b")
THE_ONES = re.compile(r"\b(?:the|those|these)\s+ones\b")  # "show me the ones with jascha": papers, not people
WHICH_OF = re.compile(  # "and which of those came out in 2024?" after the coauthor table: those papers, listed
    r"^(?:(?:ok(?:ay)?|so|now|and|then)[\s,]+)*(?:which|what)\s+(?:ones?\s+|papers?\s+)?(?:of|among)\s+(?:those|these|them)\b"
)


def _without(values: list[str], drop: list[str]) -> list[str]:
    return [v for v in values if v not in drop]


def as_record_query(base: Query) -> Query:
    """A previous question as a selection of records that filters can refine ("Luke Metz" -> papers by him)."""
    q = copy.deepcopy(base)
    if q.intent == "author" and q.target:
        q.intent, q.authors, q.target = "search", [q.target], ""
    if q.intent not in (*RECORD_OPERATORS, "similar"):
        q.intent = "search"
    q.error = ""
    return q


def merge(base: Query, follow: FollowUp) -> Query:
    """The previous question refined by a follow-up: new values replace old ones of their kind, removals clear."""
    q = as_record_query(base)
    new = follow.query
    q.text = follow.text
    cleared = follow.removals
    if "filters" in cleared:
        cleared = cleared | {"dates", "has_code", "authors", "categories", "affiliations", "exclusions"}
    if cleared and q.within is not None and q.intent != "similar":  # "what if I drop the years" after "which of those ...":
        q.within = None  # the records listed came from the filters now changed, so the filters select again
    if "dates" in cleared:
        q.dates, q.date_periods, q.exclude_dates, q.months = None, [], [], []
    if "has_code" in cleared:
        q.has_code = None
    dropped = {r.removeprefix("author:") for r in cleared if r.startswith("author:")}  # "drop Jascha": only him
    if dropped:
        q.authors = [a for a in q.authors if a not in dropped]
        q.exclude_authors = [a for a in q.exclude_authors if a not in dropped]
    if "authors" in cleared:
        q.authors, q.exclude_authors, q.unknown_authors, q.profiles = [], [], [], []
    if "categories" in cleared:
        q.categories, q.exclude_categories = [], []
    if "affiliations" in cleared:
        q.affiliations, q.exclude_affiliations = [], []
    if "exclusions" in cleared:
        q.exclude_terms, q.exclude_authors, q.exclude_categories, q.exclude_affiliations = [], [], [], []
    if "topic" in cleared:
        q.topic = ""
    if "sort" in cleared:
        q.sort = "relevance"
    if "limit" in cleared:
        q.limit = None
    if follow.union and new.dates and (q.dates or q.date_periods):  # "or 2021": either period
        q.date_periods = [*(q.date_periods or [q.dates]), *(new.date_periods or [new.dates])]
        q.dates = None
    elif follow.widen and new.dates and q.dates:  # "stretch it back to 2022": from the earlier start to the later end
        firsts, lasts = (q.dates.first, new.dates.first), (q.dates.last, new.dates.last)
        q.dates = DateRange(None if None in firsts else min(firsts), None if None in lasts else max(lasts))  # type: ignore[type-var]
    elif new.dates or new.date_periods:  # a new range or list of years replaces the old one
        q.dates, q.date_periods = new.dates, list(new.date_periods)
    q.exclude_dates += [d for d in new.exclude_dates if d not in q.exclude_dates]
    if new.months:  # "only the june ones": that month, within the dates kept
        q.months = list(new.months)
    if follow.union and (new.authors or new.profiles) and (q.authors or q.profiles):  # "or Jascha?": papers by either
        before = [*q.authors, *map(name_key, q.profiles)]  # a profile's owner by name: "any" is over authors
        added = [*new.authors, *map(name_key, new.profiles)]
        q.authors, q.author_mode, q.profiles = [*before, *_without(added, before)], "any", []
    elif follow.also and new.authors and q.authors and q.author_mode == "all":  # "also with Jon Barron": both on each
        q.authors = [*q.authors, *_without(new.authors, q.authors)]
    elif new.authors or new.unknown_authors or new.profiles:  # a new person (or profile) replaces the old one
        q.authors, q.unknown_authors, q.author_mode = list(new.authors), list(new.unknown_authors), new.author_mode
        q.profiles = list(new.profiles)
    q.exclude_authors = _without(q.exclude_authors, new.authors) + _without(new.exclude_authors, q.exclude_authors)
    q.authors = _without(q.authors, new.exclude_authors)
    if new.categories:
        q.categories = [*q.categories, *_without(new.categories, q.categories)] if follow.union else list(new.categories)
    q.exclude_categories = _without(q.exclude_categories, new.categories) + _without(new.exclude_categories, q.exclude_categories)
    q.categories = _without(q.categories, new.exclude_categories)
    if new.affiliations:
        q.affiliations, q.affiliation_mode = list(new.affiliations), new.affiliation_mode
    q.exclude_affiliations = _without(q.exclude_affiliations, new.affiliations) + _without(
        new.exclude_affiliations, q.exclude_affiliations
    )
    q.affiliations = _without(q.affiliations, new.exclude_affiliations)
    if new.has_code is not None:
        q.has_code = new.has_code
    q.exclude_terms += _without(new.exclude_terms, q.exclude_terms)
    q.owner_dropped = q.owner_dropped or new.owner_dropped
    if follow.kind == "swap" and follow.narrow and q.topic and "topic" not in cleared:  # "only the video ones": both topics
        q.topic = " ".join([q.topic, *[w for w in new.topic.split() if w not in q.topic.split()]])
        q.expansions, q.match_all = {**q.expansions, **new.expansions}, True
        q.missing = [*q.missing, *_without(new.missing, q.missing)]
    elif follow.kind == "swap" or (follow.kind == "reference" and new.topic):
        q.topic, q.expansions, q.match_all, q.missing = new.topic, dict(new.expansions), new.match_all, list(new.missing)
        q.in_title = new.in_title
    q.in_title = q.in_title or new.in_title
    q.first_author = (q.first_author and "authors" not in cleared) or new.first_author
    if new.intent in ("count", "coauthors", "breakdown") and new.intent != q.intent:
        q.intent, q.group_by = new.intent, new.group_by
        q.limit, q.sort = None, "relevance"
    elif new.intent == "search" and q.intent in ("count", "breakdown", "coauthors") and new.sort in ("newest", "oldest"):
        q.intent, q.group_by = "search", ""  # "which is the newest?" after a count or a table: records again
    elif (
        new.intent == "search"
        and q.intent in ("count", "breakdown")
        and (new.limit or PAPER_NOUN.search(follow.text.lower()) or LIST_VERB.match(follow.text.lower()))
    ) or (
        new.intent == "search"
        and q.intent == "coauthors"
        and (
            (new.authors and (PAPER_NOUN.search(follow.text.lower()) or THE_ONES.search(follow.text.lower())))
            or WHICH_OF.match(follow.text.lower())
        )
    ):
        q.intent, q.group_by = "search", ""  # "top 3", "show me the papers", "Metz's papers" after the coauthors: a list
    elif new.intent == "breakdown":
        q.group_by = new.group_by
    if q.intent == "breakdown" and q.group_by == "category" and not new.categories:
        q.categories = []  # "a per-category breakdown for 2016" after "just the ML ones": every category, counted
    if new.sort != "relevance":
        q.sort = new.sort
    if follow.shift_years:  # "and the year before that": the same span, a year away
        q.dates = _shifted(q.dates, follow.shift_years) if q.dates else None
        q.date_periods = [_shifted(r, follow.shift_years) for r in q.date_periods]
    if follow.reverse:  # "reverse it": the date order turned around (a ranked list reads oldest first)
        q.sort = "newest" if q.sort == "oldest" else "oldest"
    if new.limit:
        q.limit = new.limit
    elif q.limit == 1 and (new.has_filters() or new.topic) and "limit" not in cleared:
        q.limit = None  # "are any of these by Maithra?" after "which is the oldest?": the list again, not the one picked
    return q


def _shifted(rng: DateRange, years: int) -> DateRange:
    """A date range moved by whole years (29 February lands on the 28th)."""

    def move(day: dt.date | None) -> dt.date | None:
        return None if day is None else day.replace(year=day.year + years, day=min(day.day, 28 if day.month == 2 else 31))

    return DateRange(move(rng.first), move(rng.last))


def complement(earlier: Query, base: Query, follow: FollowUp) -> Query | None:
    """The records the last refinement left out ("which ones don't?"): its filters turned around, the rest kept.

    None when the last step added no filter that can be turned around (a sort, a limit, a new topic).
    """
    q = copy.deepcopy(as_record_query(base))
    q.text = follow.text
    turned = False
    if base.has_code is not None and base.has_code != earlier.has_code:
        q.has_code, turned = not base.has_code, True
    added = _without(base.categories, earlier.categories)
    if added:
        q.categories, q.exclude_categories, turned = list(earlier.categories), [*q.exclude_categories, *added], True
    added = _without(base.authors, earlier.authors)
    if added:
        q.authors, q.exclude_authors, q.author_mode, turned = (
            list(earlier.authors),
            [*q.exclude_authors, *added],
            earlier.author_mode,
            True,
        )
    added = _without(base.affiliations, earlier.affiliations)
    if added:
        q.affiliations, q.exclude_affiliations, turned = list(earlier.affiliations), [*q.exclude_affiliations, *added], True
    if base.dates and base.dates != earlier.dates and not earlier.dates:
        q.dates, q.exclude_dates, turned = None, [*q.exclude_dates, base.dates], True
    extra = [w for w in topic_words(base.topic) if w not in topic_words(earlier.topic)]
    if extra and earlier.topic and not turned:  # "diffusion" then "video ones": the diffusion papers not about video
        q.topic, q.expansions, q.exclude_terms, turned = earlier.topic, dict(earlier.expansions), [*q.exclude_terms, *extra], True
    if not turned:
        return None
    if follow.query.intent == "count":
        q.intent = "count"
    elif q.intent == "count":
        q.intent = "search"
    q.limit = None
    return q


def flip_dates(base: Query, follow: FollowUp) -> Query | None:
    """ "and after?" after "before 2019" (or "in 2020"): the dates on the other side of the range. None without a bound."""
    bounds = base.dates
    if bounds is None:
        return None
    q = as_record_query(base)
    q.text = follow.text
    if follow.page == "after" and bounds.last is not None:
        q.dates = DateRange(first=bounds.last + dt.timedelta(days=1))
    elif follow.page == "before" and bounds.first is not None:
        q.dates = DateRange(last=bounds.first - dt.timedelta(days=1))
    else:
        return None
    q.date_periods, q.limit = [], None
    return q


def together(earlier: Query, base: Query, follow: FollowUp) -> Query | None:
    """ "both" after "papers by Luke Metz" then "and Jascha?": papers by the two together (after "LG", "and CV?": either
    category, a paper having one). None unless a person or a category was swapped."""
    q = as_record_query(base)
    q.text = follow.text
    before = [a for a in earlier.authors if a not in base.authors]
    if before and base.authors and base.author_mode != "any":
        q.authors, q.author_mode = [*before, *base.authors], earlier.author_mode
        return q
    kinds = [c for c in earlier.categories if c not in base.categories]
    if kinds and base.categories:  # "how many LG papers", "and CV?", "and both?": a paper has one category, so either
        q.categories = [*kinds, *base.categories]
        return q
    return None

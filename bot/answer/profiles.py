"""Several researchers in one corpus: which records each profile lists, and the facts of a comparison.

A profile's records are those its page (or a JSON Lines ``profile`` field) lists, plus any other
record naming its owner as an author: a paper on two profiles is one record in both sets, so every
count sees it once. Computed from the records once per index (only questions that name a profile of
several need it).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bot.categories import category_name
from bot.names import name_key
from bot.records import Profile
from bot.search.index import PaperIndex, Records
from bot.understand.profiles import ONE_PERSON
from bot.understand.query import Query

_LISTED = b'"profiles":["'  # how a stored record that some profile lists begins that field (records.record_line)


@dataclass(frozen=True, slots=True)
class ProfileBook:
    """The profiles loaded, and the records each lists (masks over one index, built on first use).

    ``listed`` (whose pages list which records, by position) may come from the book of the index this
    one appended records to: only the appended records are then read (a feed's new records do not make
    a million stored ones be decoded again)."""

    profiles: tuple[Profile, ...] = ()
    listed: dict[str, np.ndarray] = field(default_factory=dict)
    _masks: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def several(self) -> bool:
        return len(self.profiles) > 1

    def names(self) -> list[str]:
        return [p.name for p in self.profiles]

    def named(self, name: str) -> Profile | None:
        return next((p for p in self.profiles if p.name == name), None)

    def owned_by(self, key: str) -> Profile | None:
        """The profile whose owner has this author key (None: that person has no profile)."""
        return next((p for p in self.profiles if name_key(p.name) == key), None)

    def _read(self, index: PaperIndex, also: str) -> None:
        """Extend every profile's ``listed`` (and ``also``'s) to the whole index in one pass over the records not read yet."""
        size = len(index)
        names = dict.fromkeys([*self.names(), also])
        start = min(min(len(self.listed.get(n, ())) for n in names), size)
        fresh = {n: np.zeros(size - start, dtype=bool) for n in names}
        papers = index.papers
        segments = papers.segments if isinstance(papers, Records) else [papers]
        firsts = papers.starts if isinstance(papers, Records) else [0]
        for segment, first in zip(segments, firsts, strict=True):
            low = max(start - int(first), 0)
            if low >= len(segment):
                continue
            holding = getattr(segment, "holding", None)  # a stored file: only lines naming a profile are decoded
            rows = holding(_LISTED) if holding is not None else range(low, len(segment))
            for row in rows:
                if row >= low:
                    for name in segment[int(row)].profiles:
                        if name in fresh:
                            fresh[name][int(first) + int(row) - start] = True
        for name, tail in fresh.items():
            self.listed[name] = np.concatenate([self.listed.get(name, np.zeros(0, dtype=bool))[:start], tail])

    def mask(self, name: str, index: PaperIndex) -> np.ndarray:
        """Records on profile ``name``, and any naming its owner as an author."""
        held = self._masks.get(name)
        if held is None or len(held) != len(index):
            if len(self.listed.get(name, ())) < len(index):
                self._read(index, name)
            held = self.listed[name][: len(index)].copy()
            key = name_key(name)
            if key in index.author_id:
                held |= index.author_mask(key)
            self._masks[name] = held
        return held

    def person_mask(self, key: str, index: PaperIndex) -> np.ndarray:
        """A person's records: their profile's when they have one, else the records naming them."""
        profile = self.owned_by(key)
        return self.mask(profile.name, index) if profile else index.author_mask(key)


def profile_rows(book: ProfileBook, index: PaperIndex) -> list[dict[str, Any]]:
    """Each profile's header facts with how many records it lists here (and how many of those other profiles list too)."""
    rows = []
    for profile in book.profiles:
        mine = book.mask(profile.name, index)
        others = [book.mask(p.name, index) for p in book.profiles if p.name != profile.name]
        shared = int((mine & np.logical_or.reduce(others)).sum()) if others else 0
        rows.append(
            {"profile": profile, "indexed": int(mine.sum()), "with_code": int((mine & index.has_code).sum()), "shared": shared}
        )
    return rows


def compare_people(keys: list[str], book: ProfileBook, index: PaperIndex) -> dict[str, Any]:
    """Two people side by side: papers, years, categories, coauthors; the papers they share and the coauthors they have in common."""
    masks = [book.person_mask(k, index) for k in keys]
    ids = [index.author_id[k] for k in keys if k in index.author_id]
    sides = []
    counts = []
    for key, mask in zip(keys, masks, strict=True):
        docs = np.flatnonzero(mask)
        years = index.year_counts(docs)
        people = index.author_counts(docs).astype(np.int64)
        people[ids] = 0
        counts.append(people)
        categories = sorted(index.category_counts(docs).items(), key=lambda kv: (-kv[1], kv[0]))
        busiest = max(years.values()) if years else 0
        sides.append(
            {
                "name": index.author_display[index.author_id[key]] if key in index.author_id else key,
                "profile": book.owned_by(key),
                "count": int(docs.size),
                "first_year": min(years) if years else None,
                "last_year": max(years) if years else None,
                "busiest": [y for y, n in sorted(years.items()) if n == busiest],
                "busiest_count": busiest,
                "categories": [{"code": c, "name": category_name(c), "count": n} for c, n in categories[:3]],
                "with_code": int(index.has_code[docs].sum()) if docs.size else 0,
                "coauthors": _top(people, index, 3),
            }
        )
    both = counts[0] > 0
    both &= counts[1] > 0
    common = np.flatnonzero(both)
    order = common[np.argsort(-(counts[0][common] + counts[1][common]), kind="stable")][:10]
    shared = np.flatnonzero(masks[0] & masks[1])
    return {
        "sides": sides,
        "shared_docs": index.by_date(masks[0] & masks[1]),
        "shared": int(shared.size),
        "common": [{"name": index.author_display[a], "counts": [int(counts[0][a]), int(counts[1][a])]} for a in order.tolist()],
        "common_total": int(common.size),
    }


def _top(counts: np.ndarray, index: PaperIndex, k: int) -> list[dict[str, Any]]:
    order = np.argsort(-counts, kind="stable")[:k]
    return [{"name": index.author_display[int(a)], "count": int(counts[a])} for a in order if counts[a] > 0]


def people_named(query: Query, book: ProfileBook) -> tuple[str, ...]:
    """The profiles an answered question was about: what a conversation keeps in focus ("his h-index" next)."""
    if not book.several:
        return ()
    if query.profiles:
        return tuple(query.profiles)
    keys = [query.target] if query.intent == "author" else query.authors if query.intent == "compare" else []
    return tuple(p.name for p in map(book.owned_by, keys) if p is not None)


def with_focus(query: Query, people: tuple[str, ...], book: ProfileBook) -> bool:
    """Answer a question that names nobody for the people in the conversation's focus: "his h-index",
    "who coauthored most?", "his papers on GANs" (one person), "papers they wrote together", "compare them"
    (two). True when the focus was used (the question is then answered on its own, not as a refinement)."""
    if not (book.several and people) or query.profiles or query.authors or query.unknown_authors or query.within is not None:
        return False
    if len(people) == 1 and (query.intent in ("profile", "coauthors") or ONE_PERSON.search(query.text.lower())):
        query.profiles = [people[0]]
    elif len(people) == 2 and query.intent == "compare":
        query.authors = [name_key(n) for n in people]
    elif len(people) == 2 and query.together:
        query.profiles = list(people)
    else:
        return False
    return True


def answered_whose(base: Query | None, query: Query, book: ProfileBook) -> Query | None:
    """After "whose coauthors do you mean?" (a coauthors question naming nobody, several profiles), a
    message naming one profile's owner ("Luke Metz", "Luke Metz's") answers it: the question for that profile."""
    if base is None or not book.several or base.intent != "coauthors" or base.profiles or base.authors or base.within is not None:
        return None
    key = query.target if query.intent == "author" else query.authors[0] if len(query.authors) == 1 else ""
    profile = book.owned_by(key) if key else (book.named(query.profiles[0]) if len(query.profiles) == 1 else None)
    if profile is None:
        return None
    asked = copy.deepcopy(base)
    asked.text, asked.profiles = query.text, [profile.name]
    return asked

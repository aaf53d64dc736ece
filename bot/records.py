"""The record types every other module shares: a paper and the profile that lists papers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from .names import fold
from .text import words

_TITLE_JUNK = re.compile(r"[^a-z0-9]+")


def title_key(title: str) -> str:
    """Normalised title used to de-duplicate records across sources: folded, letters and digits only."""
    if title.isascii():  # the tokenizer's words are exactly that for ASCII text, and several times faster
        return " ".join(words(title))
    return " ".join(_TITLE_JUNK.sub(" ", fold(title)).split())


def stable_id(title: str, arxiv_id: str = "") -> str:
    """An id that stays the same for the same paper whatever source it came from."""
    if arxiv_id:
        return re.sub(r"v\d+$", "", arxiv_id.strip().removeprefix("arXiv:"))
    return "p" + hashlib.sha1(title_key(title).encode()).hexdigest()[:10]


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper. ``authors`` are display names; ``authors_truncated`` means the source said "et al."."""

    id: str
    title: str
    authors: tuple[str, ...]
    date: dt.date
    category: str = ""
    abstract: str = ""
    has_code: bool = False
    affiliations: tuple[str, ...] = ()
    authors_truncated: bool = False
    url: str = ""
    arxiv_id: str = ""
    date_precision: str = "day"
    source: str = ""
    profiles: tuple[str, ...] = ()  # whose profile lists it (a paper on two profiles is one record on both)

    @property
    def year(self) -> int:
        return self.date.year

    def to_row(self) -> dict[str, Any]:
        """Every field, for storage (``from_row`` reads it back exactly)."""
        row = self.as_json()
        row.update(date_precision=self.date_precision, source=self.source, profiles=list(self.profiles))
        return row

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Paper:
        return cls(
            id=row["id"],
            title=row["title"],
            authors=tuple(row["authors"]),
            date=dt.date.fromisoformat(row["date"]),
            category=row.get("category", ""),
            abstract=row.get("abstract", ""),
            has_code=bool(row.get("has_code", False)),
            affiliations=tuple(row.get("affiliations", ())),
            authors_truncated=bool(row.get("authors_truncated", False)),
            url=row.get("url", ""),
            arxiv_id=row.get("arxiv_id", ""),
            date_precision=row.get("date_precision", "day"),
            source=row.get("source", ""),
            profiles=tuple(row.get("profiles", ())),
        )

    def as_json(self) -> dict[str, Any]:
        """The record as the CLI's JSON contract shows it."""
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date.isoformat(),
            "year": self.year,
            "category": self.category,
            "authors": list(self.authors),
            "authors_truncated": self.authors_truncated,
            "affiliations": list(self.affiliations),
            "has_code": self.has_code,
            "abstract": self.abstract,
            "url": self.url,
            "arxiv_id": self.arxiv_id,
        }


def record_line(paper: Paper) -> bytes:
    """A record as a line of JSON (the index store's records.jsonl): every field, as ``Paper.from_row`` reads them."""
    return orjson.dumps(paper, option=orjson.OPT_APPEND_NEWLINE)


@dataclass(frozen=True, slots=True)
class Profile:
    """The header of a researcher's profile page."""

    name: str
    field: str = ""
    h_index: int | None = None
    paper_count: int | None = None
    citations: int | None = None
    novelty: str = ""
    ai_score: str = ""
    source: str = ""


def with_profiles(paper: Paper, names: Sequence[str]) -> Paper:
    """The paper listed on ``names`` too (a duplicate read from another profile: one record on both)."""
    more = tuple(n for n in dict.fromkeys(names) if n not in paper.profiles)
    return dataclasses.replace(paper, profiles=paper.profiles + more) if more else paper


def profiles_named(pages: Sequence[Profile], named: Iterable[tuple[str, str]]) -> list[Profile]:
    """Every profile: the pages read (the first of a name wins), then the names records give with no page
    (JSON Lines ``profile``; ``named``: name and the file it was read in)."""
    found = {p.name: p for p in reversed(pages)}
    ordered = list(dict.fromkeys(p.name for p in pages))
    for name, source in named:
        if name not in found:
            found[name] = Profile(name=name, source=source)
            ordered.append(name)
    return [found[n] for n in ordered]


@dataclass(slots=True)
class Corpus:
    """Papers from every source, de-duplicated, plus the profiles (pages read, and names records gave)."""

    papers: list[Paper] = field(default_factory=list)
    profiles: list[Profile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def profile(self) -> Profile | None:
        """The first profile: the one a single-researcher corpus is about."""
        return self.profiles[0] if self.profiles else None

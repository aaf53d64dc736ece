"""Parser for a researcher's profile page saved as text (the seed corpus format).

Layout: a header (name, field, h-index, paper count, citations, novelty, AI score, "N Papers"),
then records separated by blank lines: ``LGNov 17, 2022Code`` (category glued to the date, optional
``Code``), the title, the authors (optional ``et al.``, optional `` · affiliation, affiliation``), the
abstract.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.categories import normalize_category
from bot.names import clean_display
from bot.records import Paper, Profile, stable_id

_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
RECORD_HEAD = re.compile(
    rf"^(?P<cat>[A-Za-z][A-Za-z.\-]*?)(?P<date>(?:{_MONTHS})[a-z]*\.? \d{{1,2}}, \d{{4}})(?P<code>\s*Code)?\s*$"
)
_HEADER_FIELDS = {
    "h_index": re.compile(r"^h-index\s*(\d[\d,]*)$", re.I),
    "paper_count": re.compile(r"^(\d[\d,]*)\s*papers$", re.I),
    "citations": re.compile(r"^(\d[\d,]*)\s*citations$", re.I),
    "novelty": re.compile(r"^Novelty\s*(\S+)$", re.I),
    "ai_score": re.compile(r"^AI Score\s*(\S+)$", re.I),
}
_PAPERS_HEADING = re.compile(r"^\d[\d,]*\s+Papers$")


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """A record the parser skipped, with the line it started on."""

    line: int
    message: str


def looks_like_profile(text: str) -> bool:
    """True when the text has at least one record header line."""
    return any(RECORD_HEAD.match(line.strip()) for line in text.splitlines())


def _parse_date(text: str) -> dt.date:
    text = text.replace(".", "")
    for fmt in ("%b %d, %Y", "%B %d, %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"unreadable date {text!r}")


def _parse_header(lines: list[str], source: str) -> Profile | None:
    values: dict[str, str] = {}
    name = ""
    field = ""
    for line in lines:
        line = line.strip()
        if not line or _PAPERS_HEADING.match(line):
            continue
        for key, pattern in _HEADER_FIELDS.items():
            match = pattern.match(line)
            if match:
                values[key] = match.group(1)
                break
        else:
            if not name:
                name = line
            elif not field:
                field = line
    if not name:
        return None

    def number(key: str) -> int | None:
        raw = values.get(key)
        return int(raw.replace(",", "")) if raw else None

    return Profile(
        name=clean_display(name),
        field=field,
        h_index=number("h_index"),
        paper_count=number("paper_count"),
        citations=number("citations"),
        novelty=values.get("novelty", ""),
        ai_score=values.get("ai_score", ""),
        source=source,
    )


def _split_authors(line: str) -> tuple[tuple[str, ...], bool, tuple[str, ...]]:
    names_part, _, affil_part = line.partition(" · ")
    names_part = names_part.strip()
    truncated = False
    for suffix in ("et al.", "et al", "and others"):
        if names_part.endswith(suffix):
            names_part = names_part[: -len(suffix)].rstrip(" ,")
            truncated = True
            break
    names = tuple(n for n in (clean_display(p) for p in re.split(r",|\band\b", names_part)) if n)
    affiliations = tuple(a for a in (clean_display(p) for p in affil_part.split(",")) if a)
    return names, truncated, affiliations


def _blocks(lines: list[str], start: int) -> Iterator[tuple[int, list[str]]]:
    """Yield (first line number, lines, blank ones kept) for each record, split at record header lines."""
    current: list[str] = []
    first = 0
    for number, raw in enumerate(lines[start:], start=start + 1):
        line = raw.strip()
        if RECORD_HEAD.match(line):
            if current:
                yield first, current
            current, first = [line], number
        elif current:
            current.append(line)
    if current:
        yield first, current


def parse_profile(
    text: str, source: str, bad_lines: frozenset[int] = frozenset()
) -> tuple[Profile | None, list[Paper], list[ParseWarning]]:
    """Parse a whole profile page; malformed records become warnings, never exceptions.

    A record holding one of ``bad_lines`` (lines that could not be decoded) is skipped. So is the last
    record when the page ends mid-line before any abstract: a copy cut short would otherwise load a
    cut title or author ("Alexey A. Gri").
    """
    lines = text.splitlines()
    first_record = next((i for i, line in enumerate(lines) if RECORD_HEAD.match(line.strip())), len(lines))
    profile = _parse_header(lines[:first_record], source)
    papers: list[Paper] = []
    warnings: list[ParseWarning] = []
    blocks = list(_blocks(lines, first_record))
    for number, (line_no, block) in enumerate(blocks, start=1):
        head = RECORD_HEAD.match(block[0])
        assert head is not None
        if bad_lines and not bad_lines.isdisjoint(range(line_no, line_no + len(block))):
            warnings.append(ParseWarning(line_no, "record skipped: it holds a line that is not valid UTF-8"))
            continue
        if number == len(blocks) and not text.endswith("\n") and sum(map(bool, block)) < 4:
            warnings.append(ParseWarning(line_no, "record skipped: the page ends mid-line before its abstract (cut short?)"))
            continue
        if len(block) < 2 or not block[1]:
            warnings.append(ParseWarning(line_no, "record has no title on the line after its date"))
            continue
        block = [block[0], *(line for line in block[1:] if line)]
        if len(block) < 3:
            warnings.append(ParseWarning(line_no, "record needs a title and an authors line"))
            continue
        if len(block[2]) > 400 or block[2].count(". ") > 2:
            warnings.append(ParseWarning(line_no, "the authors line reads like an abstract (is the title missing?)"))
            continue
        try:
            date = _parse_date(head.group("date"))
        except ValueError as exc:
            warnings.append(ParseWarning(line_no, str(exc)))
            continue
        title = " ".join(block[1].split())
        authors, truncated, affiliations = _split_authors(block[2])
        if not authors:
            warnings.append(ParseWarning(line_no, "record has no authors"))
            continue
        papers.append(
            Paper(
                id=stable_id(title),
                title=title,
                authors=authors,
                authors_truncated=truncated,
                affiliations=affiliations,
                date=date,
                category=normalize_category(head.group("cat")),
                has_code=bool(head.group("code")),
                abstract=" ".join(" ".join(block[3:]).split()),
                source=f"{source}:{line_no}",
                profiles=(profile.name,) if profile else (),
            )
        )
    return profile, papers, warnings

"""JSON Lines records: one paper per line, so corpora from other sources can be dropped in.

Schema (also in the README): ``title`` and ``authors`` (list) and ``date`` (YYYY-MM-DD, YYYY-MM or
YYYY) are required; ``abstract``, ``category``, ``has_code``, ``affiliations``, ``url``,
``arxiv_id``, ``id``, ``authors_truncated`` are optional; unknown fields are ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import orjson

from bot.categories import normalize_category
from bot.names import clean_display
from bot.records import Paper, stable_id

from .profile_page import ParseWarning

_PRINTABLE_ASCII = bytes(range(32, 127))
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


class RecordError(ValueError):
    """A record that cannot be read; the message names the field."""


def parse_date(value: Any) -> tuple[dt.date, str]:
    """Read YYYY-MM-DD, YYYY-MM or YYYY (an int year too); returns the date and its precision."""
    text = str(value).strip()
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii():  # YYYY-MM-DD, the usual case
        try:
            return dt.date.fromisoformat(text), "day"
        except ValueError:
            pass  # the general path below names the problem
    match = _DATE.match(text)
    if not match:
        raise RecordError(f"date {text!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = match.groups()
    try:
        date = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise RecordError(f"date {text!r}: {exc}") from None
    return date, "day" if day else "month" if month else "year"


def _string_list(record: dict[str, Any], key: str) -> list[str]:
    value = record.get(key)
    if not value:  # absent, null or empty: the usual case for affiliations
        return []
    if isinstance(value, str):
        value = re.split(r",|;|\band\b", value)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RecordError(f"field {key!r} must be a list of strings")
    return [v for v in map(clean_display, value) if v]


def _text(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    if value.__class__ is not str:  # the usual case is text: one check, then the fast path below
        if value is None or value == "":
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise RecordError(f"field {key!r} must be text")
        value = str(value)
    return value.strip() if _single_spaced(value) else " ".join(value.split())


def _single_spaced(text: str) -> bool:
    """No run of spaces, and no tab, newline or other separator or control character (only such texts need a split)."""
    if "  " in text:
        return False
    if text.isascii():  # deleting the printable bytes leaves the others, in C and faster than isprintable()
        return not text.encode().translate(None, _PRINTABLE_ASCII)
    return text.isprintable()


def paper_from_json(record: Any, source: str) -> Paper:
    """Validate one decoded JSON object and build a Paper; RecordError names the bad field."""
    if not isinstance(record, dict):
        raise RecordError("a record must be a JSON object")
    title = _text(record, "title")
    if not title:
        raise RecordError("field 'title' is required")
    authors = _string_list(record, "authors")
    if not authors:
        raise RecordError("field 'authors' is required (a list of names)")
    if "date" not in record and "year" not in record:
        raise RecordError("field 'date' is required")
    date, precision = parse_date(record.get("date", record.get("year")))
    arxiv_id = _text(record, "arxiv_id")
    return Paper(
        id=_text(record, "id") or stable_id(title, arxiv_id),
        title=title,
        authors=tuple(authors),
        authors_truncated=bool(record.get("authors_truncated", False)),
        affiliations=tuple(_string_list(record, "affiliations")),
        date=date,
        date_precision=precision,
        category=normalize_category(_text(record, "category")),
        has_code=bool(record.get("has_code", False)),
        abstract=_text(record, "abstract"),
        url=_text(record, "url"),
        arxiv_id=arxiv_id,
        source=source,
    )


def parse_jsonl(text: str, source: str, first_line: int = 1) -> tuple[list[Paper], list[ParseWarning]]:
    """Parse JSON Lines (``text`` starts at line ``first_line`` of ``source``); a bad line is a warning and the rest still loads.

    Lines end at "\n" only: JSON strings may hold other line separators raw (U+2028, U+0085).
    orjson decodes about twice as fast as the json module, which shows at a million records.
    (Parsing in worker processes was measured slower: sending the records back costs more than it saves.)
    """
    papers: list[Paper] = []
    warnings: list[ParseWarning] = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        if not line.strip():
            continue
        try:
            papers.append(paper_from_json(orjson.loads(line), f"{source}:{number}"))
        except orjson.JSONDecodeError as exc:
            warnings.append(ParseWarning(number, f"not valid JSON ({exc.msg})"))
        except RecordError as exc:
            warnings.append(ParseWarning(number, str(exc)))
    return papers, warnings

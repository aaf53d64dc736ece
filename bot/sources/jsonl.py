"""JSON Lines records: one paper per line, so corpora from other sources can be dropped in.

Schema (also in the README): ``title`` and ``authors`` (list) and ``date`` (YYYY-MM-DD, YYYY-MM or
YYYY) are required; ``abstract``, ``category``, ``has_code``, ``affiliations``, ``url``,
``arxiv_id``, ``id``, ``authors_truncated`` are optional; ``profile`` names whose list the record
belongs to (a name, or a list of names); unknown fields are ignored.
"""

from __future__ import annotations

import datetime as dt
import errno
import re
from typing import Any

import orjson

from bot.categories import normalize_category
from bot.names import clean_display
from bot.records import Paper, stable_id

from .profile_page import ParseWarning

_PRINTABLE_ASCII = bytes(range(32, 127))
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
YEARS = (1600, 2200)  # a sane range for a paper's date: outside it, a date is a typo or a unit mix-up
_TRUE = frozenset({"true", "yes", "y", "on", "1"})
_FALSE = frozenset({"false", "no", "n", "off", "0", ""})


class RecordError(ValueError):
    """A record that cannot be read; the message names the field."""


def parse_date(value: Any) -> tuple[dt.date, str]:
    """Read YYYY-MM-DD, YYYY-MM or YYYY (an int year too); returns the date and its precision.

    Validated, not coerced: the whole text must be a real date (no trailing text, no fraction of a
    year) with its year in ``YEARS``.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise RecordError(f"field 'date' must be text as YYYY-MM-DD, YYYY-MM or YYYY, not {_shown(value)}")
    text = str(value).strip()
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii():  # YYYY-MM-DD, the usual case
        try:
            date, precision = dt.date.fromisoformat(text), "day"
        except ValueError:
            date = None  # the general path below names the problem
        if date is not None and YEARS[0] <= date.year <= YEARS[1]:
            return date, precision
    match = _DATE.fullmatch(text) if text.isascii() else None
    if not match:
        raise RecordError(f"date {_shown(text)} is not YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = match.groups()
    try:
        date = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise RecordError(f"date {text!r}: {exc}") from None
    if not YEARS[0] <= date.year <= YEARS[1]:
        raise RecordError(f"date {text!r} is outside the years {YEARS[0]}-{YEARS[1]}")
    return date, "day" if day else "month" if month else "year"


def parse_flag(record: dict[str, Any], key: str) -> bool:
    """A boolean field: true/false, or a well-known spelling (yes/no, 1/0, on/off); anything else is an error."""
    value = record.get(key)
    if value is None or value is False or value is True:
        return bool(value)
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
    raise RecordError(f"field {key!r} must be true or false, not {_shown(value)}")


def _shown(value: Any) -> str:
    """A value for a warning, cut short: a warning is one line however large the value."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def decoded_lines(data: bytes, first_line: int = 1, bom: bool = True) -> tuple[str, list[ParseWarning]]:
    """UTF-8 bytes as text, decoded line by line: a line that is not UTF-8 becomes an empty line (so
    line numbers stay right) and a warning. Newlines become "\n" as ``Path.read_text`` reads them.

    The whole text is decoded at once first (the usual case, in C); only a file holding a bad byte
    is split.
    """
    try:
        text = data.decode("utf-8-sig" if bom else "utf-8")
    except UnicodeDecodeError:
        text, warnings = _decoded_per_line(data, first_line, bom)
    else:
        warnings = []
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, warnings


def _decoded_per_line(data: bytes, first_line: int, bom: bool) -> tuple[str, list[ParseWarning]]:
    if bom and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines: list[str] = []
    warnings: list[ParseWarning] = []
    number = first_line
    for raw in data.split(b"\n"):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            warnings.append(ParseWarning(number, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})"))
            line = "\r" * raw.count(b"\r")  # keeps the count of lines a lone "\r" ends
        lines.append(line)
        number += 1 + raw.count(b"\r") - raw.count(b"\r\n")
    return "\n".join(lines), warnings


def not_text(head: bytes) -> ParseWarning | None:
    """Why a file whose first bytes are ``head`` is skipped whole: UTF-16, or binary data (None: it is text).

    Binary means that over a third of ``head`` is NUL bytes or not UTF-8 (random bytes are about half,
    UTF-16 without a byte-order mark half NULs): a text file with a few bad bytes loads line by line.
    """
    bad = head.count(b"\x00") + head.decode("utf-8", "replace").count("\ufffd")
    if bad * 3 <= len(head):
        return None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ParseWarning(0, "UTF-16 text, not UTF-8 (save it as UTF-8); file skipped")
    return ParseWarning(0, "binary data, not UTF-8 text; file skipped")


def out_of_memory(exc: BaseException) -> None:
    """Raise MemoryError when ``exc`` is running out of memory in disguise: the system's ENOMEM (an
    mmap refused), or orjson's "not enough memory" parse error. Reading on would skip records as
    unreadable or invalid, and answer wrongly."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOMEM:
        raise MemoryError(exc.strerror + (f" ({exc.filename})" if exc.filename else "")) from exc
    if isinstance(exc, orjson.JSONDecodeError) and "memory" in exc.msg.lower():
        raise MemoryError(exc.msg) from exc


def unreadable(exc: OSError, line: int = 0) -> ParseWarning:
    """A file (or, from ``line`` on, its rest) that the system would not let us read."""
    out_of_memory(exc)
    where = "this corpus file" if not line else "lines from here on"
    return ParseWarning(line, f"cannot read {where} ({exc.strerror or exc}); skipped")


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
        authors_truncated=parse_flag(record, "authors_truncated"),
        affiliations=tuple(_string_list(record, "affiliations")),
        date=date,
        date_precision=precision,
        category=normalize_category(_text(record, "category")),
        has_code=parse_flag(record, "has_code"),
        abstract=_text(record, "abstract"),
        url=_text(record, "url"),
        arxiv_id=arxiv_id,
        source=source,
        profiles=_profiles(record),
    )


def _profiles(record: dict[str, Any]) -> tuple[str, ...]:
    """Whose lists the record is on: ``profile`` as one name or a list of names (never split at commas: names hold none)."""
    value = record.get("profile")
    if not value:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RecordError("field 'profile' must be a name or a list of names")
    return tuple(dict.fromkeys(n for n in map(clean_display, value) if n))


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
            out_of_memory(exc)
            warnings.append(ParseWarning(number, f"not valid JSON ({exc.msg})"))
        except RecordError as exc:
            warnings.append(ParseWarning(number, str(exc)))
    return papers, warnings


def read_jsonl(data: bytes, source: str, first_line: int = 1, bom: bool = True) -> tuple[list[Paper], list[ParseWarning]]:
    """``parse_jsonl`` of raw bytes: a line that is not UTF-8 is one more warning, in line order."""
    text, bad = decoded_lines(data, first_line, bom)
    papers, warnings = parse_jsonl(text, source, first_line)
    return papers, sorted([*bad, *warnings], key=lambda w: w.line) if bad else warnings

"""Date expressions in questions: "after 2022", "between 2018 and 2020", "since March 2023",
"last 3 years", "in the 2010s". Each becomes an inclusive [first, last] day range.

Pure functions of the text and ``today`` (never the clock), so a test can pin the date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
}  # fmt: skip
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_YEAR = r"(?:19|20)\d\d"
# a part of a year: "early 2023", "mid-2024", "Q3 2024", "H1 2023", "summer 2023", "end of 2022"
_PART = (
    r"(?:(?:early|mid|late|the\s+start\s+of|start\s+of|the\s+beginning\s+of|beginning\s+of|the\s+end\s+of|end\s+of"
    r"|the\s+first\s+half\s+of|first\s+half\s+of|the\s+second\s+half\s+of|second\s+half\s+of)[\s-]*(?:in\s+)?"
    r"|q[1-4]\s*(?:of\s+)?|h[12]\s*(?:of\s+)?|(?:spring|summer|fall|autumn|winter)\s+(?:of\s+)?)"
)
PARTS = {
    "early": (1, 4), "mid": (5, 8), "late": (9, 12), "start": (1, 3), "beginning": (1, 3), "end": (10, 12),
    "first": (1, 6), "second": (7, 12), "q1": (1, 3), "q2": (4, 6), "q3": (7, 9), "q4": (10, 12), "h1": (1, 6), "h2": (7, 12),
    "spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11), "winter": (1, 2),
}  # fmt: skip
_PART_RE = re.compile(rf"^{_PART}")
DATE = rf"(?:{_PART})?(?:{_MONTH}\.?\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?)?{_YEAR}(?:-\d{{1,2}}(?:-\d{{1,2}})?)?s?"
NUMBER = r"(?:\d{1,3}|" + "|".join(NUMBER_WORDS) + ")"

_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_TWO_DIGITS = (
    rf"(?:{'|'.join(_TEENS)}|(?:{'|'.join(_TENS)})(?:[\s-]+(?:{'|'.join(_UNITS)}))?|(?:oh|o|zero)[\s-]+(?:{'|'.join(_UNITS)}))"
)
_SPELLED_YEAR = re.compile(  # "twenty twenty-three", "nineteen ninety-nine", "two thousand and nine": the year in digits
    rf"\b(?P<c>twenty|nineteen)[\s-]+(?P<y>{_TWO_DIGITS})\b|\btwo[\s-]+thousand(?:[\s-]+and)?[\s-]+(?P<u>{_TWO_DIGITS}|{'|'.join(_UNITS)})\b",
    re.IGNORECASE,
)


def _two_digits(words: str) -> int:
    """ "twenty-three" -> 23, "nineteen" -> 19, "oh nine" -> 9."""
    parts = re.split(r"[\s-]+", words.lower())
    if parts[0] in _TEENS:
        return 10 + _TEENS.index(parts[0])
    if parts[0] in _TENS:
        return _TENS[parts[0]] + (_UNITS.index(parts[1]) + 1 if len(parts) > 1 else 0)
    if parts[0] in _UNITS:
        return _UNITS.index(parts[0]) + 1
    return _UNITS.index(parts[-1]) + 1  # "oh nine"


def _spelled_year(m: re.Match[str]) -> str:
    if m.group("u"):
        return str(2000 + _two_digits(m.group("u")))
    return str((2000 if m.group("c").lower() == "twenty" else 1900) + _two_digits(m.group("y")))


def spelled_years(text: str) -> str:
    """The text with years written in words ("twenty twenty-three") in digits, so every date pattern reads them."""
    return _SPELLED_YEAR.sub(_spelled_year, text)


def month_number(word: str) -> int | None:
    """1-12 for a month's name or abbreviation ("nov", "November"), else None."""
    return MONTHS[word.lower()[:3]] if re.fullmatch(_MONTH, word.strip(), re.IGNORECASE) else None


_PARTS = re.compile(
    rf"^(?:(?P<mon>{_MONTH})\.?\s+(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+)?)?(?P<year>{_YEAR})"
    rf"(?:-(?P<m2>\d{{1,2}})(?:-(?P<d2>\d{{1,2}}))?)?(?P<decade>s)?$"
)


@dataclass(frozen=True, slots=True)
class DateRange:
    """Inclusive bounds; None means open."""

    first: dt.date | None = None
    last: dt.date | None = None

    def intersect(self, other: DateRange) -> DateRange:
        first = max((d for d in (self.first, other.first) if d), default=None)
        last = min((d for d in (self.last, other.last) if d), default=None)
        return DateRange(first, last)

    @property
    def empty(self) -> bool:
        return self.first is not None and self.last is not None and self.first > self.last


def period(text: str) -> DateRange:
    """The whole period a date expression names: a day, a month, a year or a decade."""
    text = " ".join(text.split())
    part = _PART_RE.match(text)
    if part and part.group(0).strip():
        word = part.group(0).replace("the ", "").replace("-", " ").split()[0]
        whole = period(text[part.end() :])
        year = whole.first
        assert year is not None and whole.last is not None
        if whole.last.year > year.year:  # a decade: "the late 2010s" is 2017-2019
            first, last = {"early": (0, 3), "mid": (3, 6), "late": (7, 9)}.get(word, (0, 9))
            return DateRange(dt.date(year.year + first, 1, 1), dt.date(year.year + last, 12, 31))
        lo, hi = PARTS[word]
        return DateRange(dt.date(year.year, lo, 1), dt.date(year.year, hi, calendar.monthrange(year.year, hi)[1]))
    m = _PARTS.match(text)
    if not m:
        raise ValueError(f"not a date: {text!r}")
    year = int(m.group("year"))
    if m.group("decade") and year % 10 == 0 and not m.group("mon"):
        return DateRange(dt.date(year, 1, 1), dt.date(year + 9, 12, 31))
    month = MONTHS[m.group("mon")[:3]] if m.group("mon") else int(m.group("m2") or 0)
    day = int(m.group("day") or m.group("d2") or 0)
    if not month:
        return DateRange(dt.date(year, 1, 1), dt.date(year, 12, 31))
    month = min(max(month, 1), 12)
    last_day = calendar.monthrange(year, month)[1]
    if day:
        day = min(max(day, 1), last_day)
        return DateRange(dt.date(year, month, day), dt.date(year, month, day))
    return DateRange(dt.date(year, month, 1), dt.date(year, month, last_day))


def _number(text: str | None) -> int:
    if not text:
        return 1
    return int(text) if text.isdigit() else NUMBER_WORDS.get(text, 1)


def shift(today: dt.date, amount: int, unit: str) -> dt.date:
    """``today`` minus an amount of days, weeks, months or years (clamped to real dates)."""
    unit = unit.rstrip("s")
    if unit == "day":
        return today - dt.timedelta(days=amount)
    if unit == "week":
        return today - dt.timedelta(weeks=amount)
    months = amount * (12 if unit == "year" else 1)
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    day = min(today.day, calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day)


# (pattern, builder) pairs, most specific first. Each builder gets the match and today.
def _between(m: re.Match[str], today: dt.date) -> DateRange:
    a, b = period(m.group("a")), period(m.group("b"))
    if a.first and b.first and b.first < a.first:  # "from 2018 and 2017", "between 2021 and 2019": the same span
        a, b = b, a
    return DateRange(a.first, b.last)


def after(text: str) -> DateRange:
    """Dates after the whole period named ("after 2022" starts on 2023-01-01)."""
    last = period(text).last
    assert last is not None
    return DateRange(first=last + dt.timedelta(days=1))


def before(text: str) -> DateRange:
    """Dates before the whole period named ("before 2021" ends on 2020-12-31)."""
    first = period(text).first
    assert first is not None
    return DateRange(last=first - dt.timedelta(days=1))


def _after(m: re.Match[str], today: dt.date) -> DateRange:
    return after(m.group("a") or m.group("a2"))


def _midpoint(text: str) -> dt.date | None:
    """ "mid-2024" as a boundary: the middle of the year (1 July), not the start of its middle months."""
    found = re.match(r"\s*mid[\s-]*(?:of\s+)?((?:19|20)\d\d)\s*$", text, re.IGNORECASE)
    return dt.date(int(found.group(1)), 7, 1) if found else None


def _since(m: re.Match[str], today: dt.date) -> DateRange:
    return DateRange(first=_midpoint(m.group("a")) or period(m.group("a")).first)


def _before(m: re.Match[str], today: dt.date) -> DateRange:
    return before(m.group("a") or m.group("a2"))


def _until(m: re.Match[str], today: dt.date) -> DateRange:
    middle = _midpoint(m.group("a"))
    return DateRange(last=middle - dt.timedelta(days=1) if middle else period(m.group("a")).last)


def _around(m: re.Match[str], today: dt.date) -> DateRange:
    """ "around 2016": a year either side, since the one named is a guess."""
    year = int(m.group("y"))
    return DateRange(dt.date(year - 1, 1, 1), dt.date(year + 1, 12, 31))


def _years_ago(m: re.Match[str], today: dt.date) -> DateRange:
    """ "papers from 2 years ago": that calendar year (2024 when today is in 2026)."""
    n = m.group("n").lower()
    year = today.year - (int(n) if n.isdigit() else NUMBER_WORDS.get(n, 1))
    return DateRange(dt.date(year, 1, 1), dt.date(year, 12, 31))


def _during(m: re.Match[str], today: dt.date) -> DateRange:
    return period(m.group("a"))


VAGUE_AMOUNTS = {"couple": 2, "few": 3, "several": 3}  # "the last couple of years", "the past few months"


def _relative(m: re.Match[str], today: dt.date) -> DateRange:
    said = (m.group("n") or "").strip()
    vague = next((n for word, n in VAGUE_AMOUNTS.items() if word in said.split()), None)
    amount = vague or _number(said or None)
    return DateRange(first=shift(today, amount, m.group("unit")), last=today)


def _this_year(m: re.Match[str], today: dt.date) -> DateRange:
    year = today.year - (1 if m.group("which") == "last" else 0)
    return DateRange(dt.date(year, 1, 1), dt.date(year, 12, 31))


def _months(m: re.Match[str], today: dt.date) -> DateRange:
    year = m.group("y")
    return DateRange(period(f"{m.group('m1')} {year}").first, period(f"{m.group('m2')} {year}").last)


def _since_year(m: re.Match[str], today: dt.date) -> DateRange:
    return DateRange(first=dt.date(today.year - (1 if m.group("which") == "last" else 0), 1, 1))


def _up_to_now(m: re.Match[str], today: dt.date) -> DateRange:
    return DateRange(last=today)


_NOW = r"(?:now|today|date|present|the\s+present|the\s+moment|current|this\s+day)"


def _decade(m: re.Match[str], today: dt.date) -> DateRange:
    if m.group("which") == "this":
        return DateRange(dt.date(today.year - today.year % 10, 1, 1), dt.date(today.year - today.year % 10 + 9, 12, 31))
    return DateRange(first=shift(today, 10, "years"), last=today)


DATE_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str], dt.date], DateRange]]] = [
    (
        re.compile(
            rf"\b(?:since|from|between|starting(?:\s+(?:in|from))?|beginning(?:\s+in)?)?\s*(?P<a>{DATE})\s*(?:-|–|to|and|till|til|until|through|thru|up\s+(?:to|till|until))\s*{_NOW}\b"
        ),
        _since,
    ),
    (
        re.compile(
            rf"\b(?:from\s+|between\s+)?(?P<m1>{_MONTH})\.?\s*(?:-|–|to|and|till|until|through|thru)\s*(?P<m2>{_MONTH})\.?\s+(?P<y>{_YEAR})\b"
        ),
        _months,
    ),
    (
        re.compile(
            r"\b(?:since|from\s+the\s+(?:start|beginning)\s+of)\s+(?:the\s+(?:start|beginning)\s+of\s+)?(?P<which>this|last)\s+year\b"
        ),
        _since_year,
    ),
    (
        re.compile(rf"\b(?:till|til|until|up\s+(?:to|till|until)|to|through|thru)\s+{_NOW}\b|\bso\s+far\b|\bto\s+this\s+day\b"),
        _up_to_now,
    ),
    (re.compile(rf"\b(?:between|from)\s+(?P<a>{DATE})\s+(?:and|to|until|till|through|thru|-)\s+(?P<b>{DATE})\b"), _between),
    (re.compile(rf"\b(?P<a>{DATE})\s*(?:-|–|—|to|thru|through|till|until|up\s+to)\s*(?P<b>{DATE})\b"), _between),
    (
        re.compile(
            rf"\b(?:since|from|starting(?:\s+(?:in|from))?|beginning(?:\s+in)?)\s+(?P<a>{DATE})\s+(?:on(?:wards?)|on(?=\s*(?:[,.;:?!)]|$|(?:and|only|papers?|with|by|in|please|pls|newest|oldest|sorted|ordered)\b))|and\s+(?:later|after|newer)|or\s+(?:later|after|newer))\b"
        ),
        _since,
    ),
    (
        re.compile(
            rf"\b(?:in\s+)?(?P<a>{DATE})(?:\s+(?:on(?:wards?)|and\s+(?:later|after|newer|beyond|up)|or\s+(?:later|after|newer))|\s*\+(?=\s*(?:[,.;:?!)]|$|papers?\b|only\b|onwards?\b)))(?!\w)"
            r"(?!\s+(?:the\s+year\s+)?(?:19|20)\d\d\b)"  # "before 2016 or after 2024": "after" begins the second end
        ),
        _since,
    ),
    (  # "2016 and earlier"; not "after 2016 and before 2020", where "before" begins the other end
        re.compile(
            rf"\b(?:in\s+)?(?P<a>{DATE})\s+(?:and|or)\s+(?:earlier|before|older)\b(?!\s+(?:the\s+year\s+)?(?:19|20)\d\d\b)"
        ),
        _until,
    ),
    (re.compile(r"\b(?:around|circa|ca\.?|approximately|roughly|approx\.?)\s+(?P<y>(?:19|20)\d\d)\b"), _around),
    (
        re.compile(r"\b(?:from\s+|in\s+)?(?P<n>\d{1,2}|a|one|two|three|four|five|six|seven|eight|nine|ten)\s+years?\s+ago\b"),
        _years_ago,
    ),
    (  # "anything that isn't older than 2023", "not before 2020": a start; "not newer than 2019": an end
        re.compile(
            rf"\b(?:not|isn't|isnt|aren't|arent|wasn't|weren't|never|nothing|none|no)\s+(?:any\s+)?(?:(?:older|earlier)\s+than|before|prior\s+to)\s+(?P<a>{DATE})\b"
        ),
        _since,
    ),
    (
        re.compile(
            rf"\b(?:not|isn't|isnt|aren't|arent|wasn't|weren't|never)\s+(?:any\s+)?(?:newer|later|more\s+recent)\s+than\s+(?P<a>{DATE})\b"
        ),
        _until,
    ),
    (
        re.compile(rf"\b(?:after|newer\s+than|later\s+than|more\s+recent\s+than)\s+(?P<a>{DATE})\b|\bpost[\s-]+(?P<a2>{DATE})\b"),
        _after,
    ),
    (re.compile(rf"\b(?:since|starting(?:\s+(?:in|from))?|beginning(?:\s+in)?|as\s+of)\s+(?P<a>{DATE})\b"), _since),
    (re.compile(rf"\b(?:before|prior\s+to|older\s+than|earlier\s+than)\s+(?P<a>{DATE})\b|\bpre[\s-]+(?P<a2>{DATE})\b"), _before),
    (
        re.compile(
            rf"\b(?:(?:until|till|til|up\s+(?:to|till|until)|through|thru|to)\s+and\s+including|until|till|til|up\s+to|through|thru|by"
            rf"|no\s+later\s+than|not\s+after)\s+(?P<a>{DATE})\b"
        ),
        _until,
    ),
    (
        re.compile(
            rf"\b(?:(?:published|written|released|appeared)\s+)?(?:in|during|from|of|for)?\s*(?:the\s+year\s+)?(?P<a>{DATE})\b"
        ),
        _during,
    ),
    (re.compile(r"(?<!the )\b(?:from\s+|in\s+|during\s+)?(?P<which>this|last)\s+year\b"), _this_year),
    (re.compile(r"\b(?:from\s+|in\s+|during\s+|over\s+)?(?:the\s+)?(?P<which>this|last|past|previous)\s+decade\b"), _decade),
    (
        re.compile(
            rf"\b(?:in\s+|over\s+|during\s+|from\s+|within\s+)?(?:the\s+)?(?:last|past|previous)\s+(?P<n>{NUMBER}\s+|(?:a\s+)?(?:couple|few)(?:\s+of)?\s+|several\s+)?(?P<unit>years?|months?|weeks?|days?)\b"
        ),
        _relative,
    ),
]


def extract_dates(low: str, today: dt.date) -> tuple[str, DateRange | None, list[DateRange]]:
    """Remove every date expression from ``low``: the text left, the combined range, and, when the
    question names several separate periods ("2016, 2019 and 2023", "2019 or 2020"), those periods:
    any of them will do (they are not intersected into nothing)."""
    found: DateRange | None = None
    named: list[DateRange] = []  # plain periods ("in 2019"): alternatives, not constraints on each other
    ends: list[DateRange] = []  # open ranges read ("before 2016", "after 2024")
    for pattern, builder in DATE_PATTERNS:
        while True:
            m = pattern.search(low)
            if not m:
                break
            try:
                rng = builder(m, today)
            except ValueError:
                rng = None
            if rng is not None and builder is _during:
                named.append(rng)
            elif rng is not None:
                found = rng if found is None else found.intersect(rng)
                ends += [rng] if (rng.first is None) != (rng.last is None) else []
            low = low[: m.start()] + " " * (m.end() - m.start()) + low[m.end() :]
    inverted = found is not None and found.first and found.last and found.first > found.last
    if inverted and len(ends) == 2 and not named:  # "before 2016 or after 2024": either end, never an empty middle
        return low, None, sorted(ends, key=lambda r: r.first or dt.date.min)
    if len(named) == 1:
        found = named[0] if found is None else found.intersect(named[0])
        named = []
    elif named:
        named.sort(key=lambda r: r.first or dt.date.min)
        span = DateRange(named[0].first, max(r.last for r in named if r.last))
        found = span if found is None else found.intersect(span)
        if all(b.first and a.last and (b.first - a.last).days <= 1 for a, b in pairwise(named)):
            named = []  # contiguous ("2019 or 2020"): the span says it all
    return low, found, named

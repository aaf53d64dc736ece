"""Question understanding without a language model: free text becomes a structured Query.

Filters are recognised in any order and removed from the text; what is left is the topic. Names of
authors and affiliations are recognised against a Lexicon built from the corpus (so "Kumar" or
"deepmind" work without a list of our own). Pure: no index access, and ``today`` is an argument.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from unidecode import unidecode

from bot.categories import CATEGORY_NAMES, NAME_TO_CODE, normalize_category
from bot.names import name_key
from bot.text import GREEK

from .dates import NUMBER_WORDS, DateRange, extract_dates
from .patterns import (
    ASKS_FOR_PAPERS,
    AUTHOR_TRIGGER,
    BREAKDOWN,
    CITE,
    COAUTHOR_NOUN,
    COAUTHOR_VERB,
    COUNT,
    DETAIL_OF,
    EXCLUDE_TERM,
    FILLER,
    HAS_CODE,
    HELP,
    KNOWN_BY,
    LOOKUP,
    NEGATION,
    NEWEST,
    NO_CODE,
    OLDEST,
    PROFILE,
    SIMILAR,
    SINGULAR,
    SUPERLATIVE,
    TOP_N,
    without_filler,
)

MAX_QUESTION = 1000
INTENTS = ("search", "paper", "author", "coauthors", "count", "breakdown", "profile", "similar", "cite", "help")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Names the parser can recognise, taken from the corpus."""

    authors: dict[str, str] = field(default_factory=dict)  # name key -> display name
    surnames: dict[str, tuple[str, ...]] = field(default_factory=dict)  # last word -> name keys
    affiliations: frozenset[str] = frozenset()
    owner_key: str = ""

    @classmethod
    def build(cls, authors: dict[str, str], affiliations: set[str], owner: str = "") -> Lexicon:
        surnames: dict[str, list[str]] = {}
        for key in authors:
            surnames.setdefault(key.split()[-1], []).append(key)
        return cls(authors, {k: tuple(v) for k, v in surnames.items()}, frozenset(affiliations), name_key(owner))


@dataclass(slots=True)
class Query:
    """A question as understood. Lists of names hold normalised keys; dates are inclusive."""

    text: str
    intent: str = "search"
    topic: str = ""
    exclude_terms: list[str] = field(default_factory=list)
    dates: DateRange | None = None
    authors: list[str] = field(default_factory=list)
    exclude_authors: list[str] = field(default_factory=list)
    unknown_authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    exclude_categories: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    exclude_affiliations: list[str] = field(default_factory=list)
    has_code: bool | None = None
    sort: str = "relevance"
    limit: int | None = None
    target: str = ""
    detail: str = ""
    group_by: str = ""
    owner_dropped: bool = False
    error: str = ""
    within: list[int] | None = None  # only these records, in this order (a follow-up's "those", "the first two")

    def has_filters(self) -> bool:
        return bool(
            self.dates or self.authors or self.exclude_authors or self.unknown_authors or self.categories
            or self.exclude_categories or self.affiliations or self.exclude_affiliations
            or self.has_code is not None or self.exclude_terms or self.within is not None
        )

    def as_json(self) -> dict[str, Any]:
        """The interpretation as the CLI's JSON shows it."""
        dates = self.dates or DateRange()
        return {
            "topic": self.topic,
            "exclude_terms": self.exclude_terms,
            "date_from": dates.first.isoformat() if dates.first else None,
            "date_to": dates.last.isoformat() if dates.last else None,
            "authors": self.authors,
            "exclude_authors": self.exclude_authors,
            "unknown_authors": self.unknown_authors,
            "categories": self.categories,
            "exclude_categories": self.exclude_categories,
            "affiliations": self.affiliations,
            "exclude_affiliations": self.exclude_affiliations,
            "has_code": self.has_code,
            "sort": self.sort,
            "limit": self.limit,
            "target": self.target,
            "group_by": self.group_by,
        }


_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "`": "'"})


def clean_question(text: str) -> str:
    """Whitespace folded, Greek spelled out, accents folded; case kept (names need it)."""
    text = " ".join(text.translate(_QUOTES).split())
    if not text.isascii():
        text = "".join(f" {GREEK[c.lower()]} " if c.lower() in GREEK else c for c in text)
        text = unidecode(text)
    return " ".join(text.split())


def _blank(low: str, start: int, end: int) -> str:
    return low[:start] + " " * (end - start) + low[end:]


def _negated(low: str, start: int) -> bool:
    return bool(NEGATION.search(low[max(0, start - 30) : start]))


def _strip_target(text: str) -> str:
    return text.strip().strip("\"'“”*_").strip().rstrip("?.!").strip("\"'").strip()


def _number(text: str) -> int:
    return int(text) if text.isdigit() else NUMBER_WORDS.get(text, 1)


class _Parser:
    """One parse: ``orig`` keeps case, ``low`` is lowercase of the same length and loses spans as they are read."""

    def __init__(self, text: str, lexicon: Lexicon, today: dt.date) -> None:
        self.orig = clean_question(text)
        self.low = self.orig.lower()
        self.lexicon = lexicon
        self.today = today
        self.query = Query(text=text)

    def take(self, start: int, end: int) -> None:
        self.low = _blank(self.low, start, end)

    # --- filters ---------------------------------------------------------------------------
    def read_dates(self) -> None:
        self.low, rng = extract_dates(self.low, self.today)
        if rng is not None:
            self.query.dates = rng

    def read_code(self) -> None:
        for pattern, value in ((NO_CODE, False), (HAS_CODE, True)):
            for m in list(pattern.finditer(self.low)):
                self.query.has_code = value
                self.take(m.start(), m.end())

    def _add_author(self, key: str, start: int) -> None:
        q = self.query
        if key == self.lexicon.owner_key and not _negated(self.low, start):
            q.owner_dropped = True
            return
        target = q.exclude_authors if _negated(self.low, start) else q.authors
        if key not in target:
            target.append(key)

    def read_authors(self) -> None:
        """Known names (full, or a surname that names one person) anywhere; unknown capitalised names after 'by'."""
        lex = self.lexicon
        tokens = list(re.finditer(r"[a-z][a-z'.-]*", self.low))
        i = 0
        while i < len(tokens):
            matched = False
            for size in (4, 3, 2):
                if i + size > len(tokens):
                    continue
                start, end = tokens[i].start(), tokens[i + size - 1].end()
                key = name_key(self.low[start:end].replace("'s", ""))
                if key in lex.authors:
                    self._add_author(key, start)
                    self.take(start, end)
                    i += size
                    matched = True
                    break
            if matched:
                continue
            tok = tokens[i]
            word = tok.group(0).removesuffix("'s").strip(".")
            owner_first = lex.owner_key.split()[0] if lex.owner_key else ""
            if word == owner_first and (self.orig[tok.start()].isupper() or tok.group(0).endswith("'s")):
                self._add_author(lex.owner_key, tok.start())  # "Ben's coauthors": the profile's owner
                self.take(tok.start(), tok.end())
                i += 1
                continue
            keys = lex.surnames.get(word, ())
            capitalised = self.orig[tok.start()].isupper()
            after_trigger = re.search(r"\b(?:by|with|and|coauthored with|co-authored with)\s+$", self.low[: tok.start()])
            if len(keys) == 1 and len(word) > 2 and (capitalised or after_trigger):
                start = tok.start()
                parts, j = keys[0].split()[:-1], i - 1
                while parts and j >= 0 and tokens[j].group(0).strip(".") == parts[-1]:
                    start = tokens[j].start()  # "van den Oord", "Jonathan Barron": earlier words of the name belong to it
                    parts.pop()
                    j -= 1
                if parts and j >= 0 and start == tok.start() and tokens[j].group(0).strip(".") == parts[0]:
                    start = tokens[j].start()  # a first name with the middle initials left out
                self._add_author(keys[0], start)
                self.take(start, tok.end())
            i += 1
        for m in AUTHOR_TRIGGER.finditer(self.orig):
            start, end = m.start("name"), m.end("name")
            if not self.low[start:end].strip() or self.low[start:end] != self.orig[start:end].lower():
                continue  # already read as a known name
            name = m.group("name").strip()
            trigger = m.group(0)[: m.start("name") - m.start()].strip().lower()
            words = name.split()
            looks_like_name = all(w[0].isupper() for w in words) and not any(
                w.upper() in CATEGORY_NAMES or w.lower() in lex.affiliations or w.lower() in FILLER for w in words
            )
            strong = trigger not in {"with", "from", "and", "featuring"}
            if looks_like_name and (strong or len(words) >= 2):
                self.query.unknown_authors.append(name)
                self.take(m.start(), end)

    def read_affiliations(self) -> None:
        for name in sorted(self.lexicon.affiliations, key=len, reverse=True):
            for m in list(re.finditer(rf"\b{re.escape(name)}\b", self.low)):
                target = self.query.exclude_affiliations if _negated(self.low, m.start()) else self.query.affiliations
                if name not in target:
                    target.append(name)
                self.take(m.start(), m.end())

    def _add_category(self, code: str, start: int, negated: bool = False) -> None:
        negated = negated or _negated(self.low, start)
        target = self.query.exclude_categories if negated else self.query.categories
        if code not in target:
            target.append(code)

    def read_categories(self) -> None:
        for m in list(re.finditer(r"\b(?:cs|stat|math|eess|q-bio|physics)\.[a-z]{2}\b", self.low)):
            self._add_category(normalize_category(m.group(0)), m.start())
            self.take(m.start(), m.end())
        for m in list(re.finditer(r"\b(?:non-?)?([A-Z]{2})\b", self.orig)):
            code = m.group(1)
            if code in CATEGORY_NAMES and self.low[m.start(1) : m.end(1)].strip():
                self._add_category(code, m.start(), negated=m.group(0).lower().startswith("non"))
                self.take(m.start(), m.end())
        context = r"(?=\s+(?:papers?|category|articles?|section|works?)\b)"
        for m in list(re.finditer(rf"\b(?:category\s+|in\s+)?([a-z]{{2}}){context}|\b(?:category|in)\s+([a-z]{{2}})\b", self.low)):
            code = (m.group(1) or m.group(2) or "").upper()
            if code in CATEGORY_NAMES and code not in {"IN", "ON", "OF"}:
                self._add_category(code, m.start())
                self.take(m.start(), m.end())
        for name in sorted(NAME_TO_CODE, key=len, reverse=True):
            pattern = rf"\b{re.escape(name)}\b" if " " in name else rf"\b(?:category\s+|in\s+)?{re.escape(name)}{context}|\b(?:category|in)\s+{re.escape(name)}\b"
            for m in list(re.finditer(pattern, self.low)):
                self._add_category(NAME_TO_CODE[name], m.start())
                self.take(m.start(), m.end())

    def read_order(self) -> None:
        q = self.query
        m = TOP_N.search(self.low)
        if m:
            q.limit = max(1, min(_number(m.group("n") or m.group("m")), 100))
        if SINGULAR.search(self.low) and q.limit is None:
            q.limit = 1
        if NEWEST.search(self.low) and not re.search(r"\blast\s+(?:\d+\s+)?(?:years?|months?|days?|weeks?)\b", self.low):
            q.sort = "newest"
        elif OLDEST.search(self.low):
            q.sort = "oldest"
        if m:
            self.take(m.start(), m.end())

    def read_exclusions(self) -> None:
        for m in list(EXCLUDE_TERM.finditer(self.low)):
            words = [w for w in (m.group("t") or m.group("n")).split() if w not in FILLER]
            if words:
                self.query.exclude_terms.append(" ".join(words))
            self.take(m.start(), m.end())

    def read_filters(self) -> None:
        if len(self.query.text) > MAX_QUESTION:
            return
        self.read_dates()
        self.read_code()
        self.read_categories()
        self.read_affiliations()
        self.read_authors()
        self.read_order()
        self.read_exclusions()

    def rest(self) -> str:
        """The topic: what no filter claimed, minus filler words."""
        return without_filler(self.low)


def parse_query(text: str, lexicon: Lexicon, today: dt.date) -> Query:
    """Understand a question. Never raises for user input: problems go in ``Query.error``."""
    p = _Parser(text, lexicon, today)
    q = p.query
    if not p.low.strip():
        q.intent, q.error = "help", "empty"
        return q
    if len(text) > MAX_QUESTION:
        q.intent, q.error = "search", f"question too long ({len(text):,} characters; the limit is {MAX_QUESTION:,})"
        return q
    low = p.low.rstrip("?!. ")
    if HELP.match(low):
        q.intent = "help"
        return q
    m = CITE.match(low)
    if m:
        q.intent, q.target = "cite", _strip_target(p.orig[m.start("t") : m.end("t")])
        return q
    if PROFILE.search(low) and not COUNT.search(re.sub(r"how many (?:times )?(?:citations|cited)|number of citations", "", low)):
        q.intent = "profile"
        return q
    for pattern, detail in LOOKUP:
        m = pattern.match(low)
        if m:
            group = "t" if m.group("t") else "t2"
            target = _strip_target(p.orig[m.start(group) : m.end(group)])
            if detail == "" and (ASKS_FOR_PAPERS.match(target.lower()) or not without_filler(target)):
                break  # "what's the most recent paper", "what papers ...": a search, not a title
            inner = DETAIL_OF.match(target)
            if detail == "" and inner:  # "what is the abstract of VeLO"
                detail = "authors" if inner.group(1).lower().startswith("author") else "abstract"
                target = inner.group(2)
            if name_key(target) in lexicon.authors or (detail == "" and _is_surname(target, lexicon)):
                q.intent, q.target = "author", _author_key(target, lexicon)
                return q
            q.intent, q.target, q.detail = "paper", target, detail
            return q
    m = SIMILAR.search(low)
    if m and not COAUTHOR_NOUN.search(low):
        q.intent = "similar"
        t_start = m.start("t")
        p.read_dates()  # dates and code never belong to a title: "papers like DreamFusion after 2023"
        p.read_code()
        tail = KNOWN_BY.search(p.low, t_start)
        if tail and (name_key(tail.group("name")) in lexicon.authors or _is_surname(tail.group("name"), lexicon)):
            p._add_author(_author_key(tail.group("name"), lexicon), tail.start())
            p.take(tail.start(), tail.end())
        target = "".join(o if c != " " else " " for o, c in zip(p.orig[t_start : m.end("t")], p.low[t_start : m.end("t")], strict=True))
        q.target = _strip_target(" ".join(target.split()))
        p.take(m.start(), m.end())
        p.read_filters()
        return q
    if name_key(low) in lexicon.authors or (len(low) > 2 and _is_surname(low, lexicon)):
        q.intent, q.target = "author", _author_key(low, lexicon)  # a bare name: "Luke Metz", "metz"
        return q
    if (COAUTHOR_NOUN.search(low) or COAUTHOR_VERB.search(low)) and not ASKS_FOR_PAPERS.match(low):
        q.intent = "coauthors"
        p.low = COAUTHOR_NOUN.sub(lambda m: " " * len(m.group(0)), p.low)
    else:
        b = BREAKDOWN.search(low)
        if b:
            q.intent = "breakdown"
            by = b.group("by") or b.group("which") or b.group("best") or b.group("yw") or b.group("howmany") or b.group("common") or "year"
            q.group_by = "category" if by.startswith(("categor", "field", "area", "subject")) else "year"
            if b.group("which") or b.group("best") or b.group("yw") or b.group("common") or SUPERLATIVE.search(low):
                q.sort = "most"
            p.take(b.start(), b.end())
        elif COUNT.search(low):
            q.intent = "count"
    p.read_filters()
    if q.intent == "breakdown" and q.sort not in ("most",):
        q.sort = "relevance"
    q.topic = p.rest()
    return q


def _is_surname(text: str, lexicon: Lexicon) -> bool:
    return len(lexicon.surnames.get(name_key(text), ())) == 1


def _author_key(text: str, lexicon: Lexicon) -> str:
    key = name_key(text)
    return key if key in lexicon.authors else lexicon.surnames[key][0]

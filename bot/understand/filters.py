"""Reading filters out of a question: dates, code, categories, affiliations, people, order, exclusions, topic.

Each reader claims the words it understands (they are blanked in ``low``), so what no reader claims is
left for the topic, and a word that fits no role is set aside rather than searched for. Lists carry
their operator along: "not in CV or LG" excludes both, "Metz or Sohl-Dickstein" accepts either.
"""

from __future__ import annotations

import datetime as dt
import re

from bot.categories import CATEGORY_NAMES, NAME_TO_CODE, normalize_category

from .authors import AuthorReading, _negated
from .dates import DATE, NUMBER_WORDS, extract_dates, month_number, period
from .joined import joined_words, possessive_names
from .keywords import fix_keywords
from .lexicon import Lexicon
from .lookup import relative_to_paper, resolve_title
from .notes import note
from .parsed import Query, clean_question
from .patterns import (
    BOTH_ENDS,
    EXCLUDE_TERM,
    FILLER,
    HAS_CODE,
    LONG,
    NEWEST,
    NO_CODE,
    OLDEST,
    SINGULAR,
    TOP_N,
)
from .roles import read_topic
from .wordlists import CHATTER

NOT_DATE = re.compile(
    rf"(?:\b(?:not|neither|nor|except|without|(?:everything|anything|all|papers)\s+but|excluding|exclude|other\s+than|apart\s+from|but\s+not|besides|outside(?:\s+of)?"
    rf"|leave\s+out|leaving\s+out|drop|skip|minus|remove|lose)|\b(?:are|is|were|was)n'?t|\b(?:are|is|were|was)\s+not)\s+"  # "that aren't from 2019"
    rf"(?:(?:those|the\s+ones|ones|papers|anything|everything|all(?:\s+the\s+papers)?)\s+)?"
    rf"(?:(?:published|written|released)\s+)?(?:from|in|during|of)?\s*(?:the\s+year\s+|the\s+(?=(?:19|20)\d\d\s+(?:ones?|papers?)\b))?(?P<a>{DATE})\b(?:\s+(?:ones?|papers?)\b)?"
    rf"(?:\s*(?:,|or|and|nor|/)\s*(?:from\s+|in\s+)?(?P<b>(?:19|20)\d\d)\b)?"  # "not from 2023 or 2024": both left out
)
IN_TITLE = re.compile(
    r"\b(?:in|within)\s+(?:the\s+|their\s+|its\s+)?titles?\b|\b(?:whose\s+|where\s+(?:the\s+)?)?titles?\s+(?:mentions?|contains?|containing|includes?|including|has|have|with)\b"
)
_EITHER_TOPIC = re.compile(r"\b([a-z0-9][\w-]*)\s*(?:,?\s*or|/)\s+(?:either\s+)?([a-z0-9][\w-]*)\b")
FIRST_OR_LAST_PUBLISHED = re.compile(
    r"\b(?P<first>(?:start(?:ed)?|begin|began|beginning)\s+(?:publishing|to\s+publish|writing|to\s+write)|first\s+publish(?:ed)?)\b"
    r"|\b(?:last|most\s+recently)\s+(?:publish(?:ed)?|wrote|put\s+out)\b(?!\s+(?:in|on|about|with|by)\b)"
)
ORDER_SPAN = re.compile(
    r"\b(?:from\s+(?:the\s+)?)?(oldest|earliest|old|first|newest|latest|new|most\s+recent|recent)\s+(?:to|->|→|-|–|till|until|through)\s+(?:the\s+)?"
    r"(?:oldest|earliest|old|newest|latest|new|most\s+recent|recent|last)\b"
    r"|\b(?:starting|beginning|start|begin)\s+(?:with|from|at)\s+(?:the\s+)?(oldest|earliest|newest|latest|most\s+recent)(?:\s+ones?)?\b"
)
FIRST_AUTHOR = re.compile(
    r"\b(?:(?:is|was|as)\s+(?:the\s+)?)?(?:first|lead|main)[\s-]+(?:(?:listed|named|printed)\s+)?author(?:ed|s|ship)?(?:\s+(?:on|of|in))?\b|\bfirst-authored\b"
)  # "where X is the first author", "X's first-author papers"
LISTED_AFFILIATION = re.compile(  # "that list an affiliation", "with any affiliation printed", "no affiliation listed"
    r"\b(?:(?:that|which)\s+)?(?:(?:show|shows|list|lists|listing|have|has|having|with|print|prints|name|names|give|gives|carry|carries)\s+)?"
    r"(?:(?P<no>no|without(?:\s+an?|\s+any)?)|an?|any|some)\s+(?:institutional\s+)?affiliations?(?:\s+(?:listed|printed|shown|given|on\s+(?:it|them|the\s+page)))?(?:\s+at\s+all)?\b"
)
MONTH_ALONE = re.compile(  # a month named with no year ("may" and short forms only where they cannot be a word)
    r"\b(?:(?:in|from|during|of)\s+)?(?P<m>january|february|march|april|june|july|august|september|october|november|december"
    r"|jan|feb|aug|sept?|oct|nov|dec)\b(?!\s*\d)"
    r"|\b(?:in|from|during)\s+(?P<m2>may|mar|apr|jun|jul)\b(?!\s*\d)|\b(?P<m3>may|mar|apr|jun|jul)\s+(?=ones?\b|papers?\b)"
)
_MONTH_NAME = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)"
MONTH_SPAN = re.compile(  # "(January through June)": the months between, of any year (the year, if any, is read apart)
    rf"\b(?:from\s+|between\s+)?(?P<a>{_MONTH_NAME})\s+(?:to|through|thru|till|until|and|-|–)\s+(?P<b>{_MONTH_NAME})\b(?!\s*[\d'])"
)
STORY_TIME = re.compile(  # "our group meeting on Thursday", "I joined last month": when the asker does things, no paper date
    r"\b(?:(?:last|next|this|past|previous|coming|every)\s+(?:few\s+|couple\s+(?:of\s+)?)?(?:weeks?|months?|weekends?|semesters?|terms?|nights?|days?"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|(?:on|by|until|before)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b"
)
I_DID = re.compile(
    r"\b(?:i|we)\s+(?:\w+\s+)?(?:read|saw|heard|met|talked|came|found|started|joined|was|were|had|did|presented|discussed|skimmed|cited)\b"
)
DECLINES = re.compile(  # a clause saying what the asker does not want
    r"\b(?:don'?t|do\s+not|doesn'?t|won'?t|not\s+interested|no\s+need|out\s+of\s+scope|skip|exclude|excluding|leave\s+out|without)\b"
)
WANTS_AGAIN = re.compile(  # after a declining clause, the one that says what is wanted instead
    r"\s*(?:but\s+|and\s+|so\s+)?(?:i\s+(?:\w+\s+)?(?:need|want|care|only|just)|i'?d\s+like|only|just|instead|rather|what\s+i)\b"
)
THAN_A_PAPER = re.compile(
    r"\b(?:anything\s+|something\s+|stuff\s+|ones?\s+)?(?:newer|later|more\s+recent|older|earlier)\s+than\s+(?:that|the|this)\s+[\w.'-]+(?:\s+[\w.'-]+)?\s+(?:thing|one|paper|work|stuff)\b"
)
CODE_EITHER = re.compile(
    r"\b(?:with\s+or\s+without\s+(?:the\s+|any\s+)?code|code\s+or\s+(?:not|no(?:\s+code)?)|regardless\s+of\s+(?:the\s+)?code"
    r"|whether\s+or\s+not\s+(?:they\s+)?(?:have\s+)?code|(?:whether|if)\s+(?:they\s+have\s+|there(?:'s|\s+is)\s+)?code\s+or\s+not"
    r"|(?:i\s+)?(?:don't|do\s+not)\s+care\s+(?:about|if|whether)\s+(?:there'?s\s+|they\s+have\s+)?(?:any\s+|the\s+)?code"
    r"|code\s+(?:doesn't|does\s+not|don't)\s+matter|code\s+is\s+optional)\b"
)
_WORD_CODES = frozenset(
    ["IT", "IN", "ON", "OF", "OR", "AN", "AS", "AT", "BY", "IS", "TO", "NO", "SO", "DO", "ME", "MY", "WE", "HE", "BE", "GO", "US"]
)
HEDGE = re.compile(
    r"\b(?:if(?!\s+(?:we|i|you)\b)|whether|ideally|preferably|optionally|maybe|perhaps|bonus(?:\s+points)?|nice|great|plus)\b[^.?!;]*$"
)
HEDGE_IN_STORY = re.compile(r"\b(?:and\s+which|which\s+(?:ones|of\s+(?:them|those))|any\s+of\s+(?:them|those))\b[^.?!;]*$")


_SPELLED = re.compile(
    r"\b(?P<a>[A-Za-z]{2,6})\s*\((?P<x>[^()]{4,60})\)|(?P<x2>[A-Za-z][A-Za-z -]{3,60}?)\s*\((?P<a2>[A-Za-z]{2,6})\)"
)


def _spelled_out(text: str, lexicon: Lexicon) -> str:
    """ "VAE (variational auto-encoder)", "neural radiance fields (NeRF)": the acronym once, not its spelling as more topic words."""

    def keep_acronym(m: re.Match[str]) -> str:
        acronym, spelled = (m.group("a"), m.group("x")) if m.group("a") else (m.group("a2"), m.group("x2"))
        expansion = lexicon.acronyms.get(acronym.lower().rstrip("s"))
        squash = re.sub(r"[^a-z]", "", spelled.lower())
        if expansion and squash.rstrip("s").endswith("".join(expansion).rstrip("s")[-max(6, len(squash) - 4) :]):
            return acronym if m.group("a") else (m.group(0)[: m.start("x2") - m.start()] + acronym)
        return m.group(0)

    return _SPELLED.sub(keep_acronym, text) if "(" in text else text


def _strip_target(text: str) -> str:
    text = text.strip().strip("\"'“”*_").strip().rstrip("?.!").strip("\"'").strip()
    text = re.sub(r"(?i)^(?:(?:gimme|give\s+me|show\s+me|get\s+me|send\s+me|pls|please|i\s+(?:want|need))\s+)+", "", text)
    text = re.sub(r"(?i)^(?:the|a|an|that|this)\s+", "", text)
    text = re.sub(r"(?i)^(?:paper\s+)?(?:titled|called|named|entitled)\s+", "", text).strip().strip("\"'“”")
    text = re.sub(r"(?i)\s+(?:in|as)\s+(?:an?\s+)?(?:bibtex|bib\s*tex|bib|latex)(?:\s+(?:format|form|entry|style))?$", "", text)
    text = re.sub(r"(?i)(?:\s+(?:please|pls|plz|thanks|thx|asap|paper|article|one|thing|thingy|thingie|stuff|work))+$", "", text)
    return text.strip().strip("\"'“”").strip()


def _number(text: str) -> int:
    return int(text) if text.isdigit() else NUMBER_WORDS.get(text, 1)


def _either_phrases(low: str, m: re.Match[str], words: list[str], corrections: dict[str, str]) -> str | None:
    """The topic with the phrases "or" joins in brackets ("diffusion (video generation or 3d)"), when one of them
    has several words or other words stand apart ("diffusion papers on video or 3d"); None when the topic is one word
    or another ("nerf or gan": either word, as before)."""
    tokens = [(t.start(), t.end(), corrections.get(t.group(0), t.group(0))) for t in re.finditer(r"[a-z0-9][\w-]*", low)]
    known = set(words)
    left = next((i for i, t in enumerate(tokens) if t[0] == m.start(1)), None)
    right = next((i for i, t in enumerate(tokens) if t[0] == m.start(2)), None)
    if left is None or right is None:
        return None

    def joined(i: int, j: int) -> bool:  # two tokens in one run of words ("robot control"), no filler or comma between
        return tokens[j][0] - tokens[i][1] == 1 and low[tokens[i][1]] in " -" and tokens[i][2] in known and tokens[j][2] in known

    start, end = left, right
    while start > 0 and joined(start - 1, start):
        start -= 1
    while end + 1 < len(tokens) and joined(end, end + 1):
        end += 1
    sides = [[t[2] for t in tokens[start : left + 1]], [t[2] for t in tokens[right : end + 1]]]
    inside = {w for side in sides for w in side}
    rest = [w for w in words if w not in inside]
    if max(len(side) for side in sides) < 2 and not rest:
        return None
    return " ".join([*rest, "(" + " or ".join(" ".join(side) for side in sides) + ")"])


class Parser(AuthorReading):
    """One parse: ``orig`` keeps case, ``low`` is lowercase of the same length and loses spans as they are read."""

    def __init__(self, text: str, lexicon: Lexicon, today: dt.date) -> None:
        cleaned = possessive_names(joined_words(clean_question(text), lexicon), lexicon)  # "re con fusion", "bens papers"
        self.orig, fixed = fix_keywords(relative_to_paper(_spelled_out(cleaned, lexicon), lexicon), lexicon)
        self.low = self.orig.lower()
        self.lexicon = lexicon
        self.today = today
        self.query = Query(text=text, corrections=fixed)
        self.last: dict[str, tuple[int, bool]] = {}  # entity kind -> (end of the last one read, was it negated)
        self.order_read = False
        self.author_links: list[tuple[int, int, str, bool]] = []  # (start, end, key, by the surname alone)

    def read_dates(self) -> None:
        for m in list(NOT_DATE.finditer(self.low)):  # "excluding 2020", "not from 2019": a range left out
            if m.group(0).startswith("drop") and re.search(
                r"\b(?:did|does|do|has|have|will)\b[^,.?!]{0,25}$", self.low[: m.start()]
            ):
                continue  # "how many papers did this dude drop in 2019": put out, not left out
            try:
                self.query.exclude_dates.extend(period(m.group(g)) for g in ("a", "b") if m.group(g))
            except ValueError:
                continue
            self.take(m.start(), m.end())
        if len(self.low) > LONG:
            self.read_story_dates()
        for m in list(STORY_TIME.finditer(self.low)):  # "I read CAT3D last week": when the asker did it, no paper date
            sentence = re.split(r"[.?!;]", self.low[: m.start()])[-1]
            if I_DID.search(sentence):
                self.take(m.start(), m.end())
        self.low, rng, periods = extract_dates(self.low, self.today)
        self.query.date_periods = periods
        for m in list(MONTH_SPAN.finditer(self.low)):
            first, last = month_number(m.group("a")), month_number(m.group("b"))
            if first and last and first < last and (m.group(0).startswith("between") or " and " not in m.group(0)):
                self.query.months.extend(n for n in range(first, last + 1) if n not in self.query.months)
                self.take(m.start(), m.end())
        for m in list(MONTH_ALONE.finditer(self.low)):  # "only the june ones": a month with no year
            month = month_number(m.group("m") or m.group("m2") or m.group("m3"))
            if month and month not in self.query.months:
                self.query.months.append(month)
            self.take(m.start(), m.end())
        if rng is not None:
            self.query.dates = rng

    def read_story_dates(self) -> None:
        """A long message's dates that are no filter: the asker's own time ("group meeting next week", "last month")
        is set aside, and the years a clause declines ("I don't want the 2021 and 2022 stuff") are left out."""
        for m in list(STORY_TIME.finditer(self.low)):
            self.take(m.start(), m.end())
        declined = False
        for clause in list(re.finditer(r"[^,.;:!?()]+[,.;:!?()]*", self.low)):
            text = clause.group(0)
            if DECLINES.search(text):
                declined = True
            elif WANTS_AGAIN.match(text):
                declined = False
            if declined:  # "anything from late 2021 or from July 2023 onward": each left out on its own
                parts = re.split(r"(\s+(?:or|and|nor)\s+)", text)
                for i in range(0, len(parts), 2):
                    rest, rng, periods = extract_dates(parts[i], self.today)
                    self.query.exclude_dates.extend(periods or ([rng] if rng is not None else []))
                    parts[i] = rest
                self.low = self.low[: clause.start()] + "".join(parts) + self.low[clause.end() :]
            if re.search(r"[.!?]\s*$", text):
                declined = False  # a sentence ends: what it declined ends with it

    def read_code(self) -> None:
        if re.fullmatch(r"\s*(?:papers?\s+)?(?:with\s+)?code\s*(?:papers?)?\s*", self.low):
            self.query.has_code = True  # "code": the papers that have some
            self.take(0, len(self.low))
            return
        for m in list(CODE_EITHER.finditer(self.low)):  # "code or not", "with or without code": no code filter
            self.take(m.start(), m.end())
        for m in list(re.finditer(r"\bnot\s+(?:without|lacking|missing)\s+(?:any\s+)?code\b", self.low)):
            self.query.has_code = True  # "not without code": a double negative is the papers with code
            self.take(m.start(), m.end())
        for pattern, value in ((NO_CODE, False), (HAS_CODE, True)):
            for m in list(pattern.finditer(self.low)):
                before = self.low[max(0, m.start() - 40) : m.start()]
                if value and (HEDGE.search(before) or (len(self.low) > LONG and HEDGE_IN_STORY.search(before))):
                    # "ideally with code", "which of them have code": a wish, not a filter; every record shows its code flag
                    self.query.notes.append(note("code asked for as a wish, not a filter: each paper shows whether it has code"))
                else:
                    self.query.has_code = value
                self.take(m.start(), m.end())

    def read_affiliations(self) -> None:
        for m in list(LISTED_AFFILIATION.finditer(self.low)):  # "papers that show an affiliation": any affiliation printed
            self.query.affiliated = not (m.group("no") or _negated(self.low, m.start()))
            self.take(m.start(), m.end())
        self.read_named_affiliations()

    def read_named_affiliations(self) -> None:
        found: list[tuple[int, int, str]] = []
        for name in sorted(self.lexicon.affiliations, key=lambda n: (-len(n), n)):  # longest first; ties by name, not set order
            for m in re.finditer(rf"\b{re.escape(name)}\b", self.low):
                if not any(a < m.end() and m.start() < b for a, b, _ in found):
                    found.append((m.start(), m.end(), name))
        for start, end, name in sorted(found):  # in reading order, so "or" and "not" carry along the list
            negated = self.negated("affiliation", start)
            if self.listed_with_or("affiliation", start):
                self.query.affiliation_mode = "any"
            self.last["affiliation"] = (end, negated)
            target = self.query.exclude_affiliations if negated else self.query.affiliations
            if name not in target:
                target.append(name)
            self.take(start, end)

    def _add_category(self, code: str, start: int, end: int, negated: bool = False) -> None:
        negated = negated or self.negated("category", start)
        self.last["category"] = (end, negated)
        target = self.query.exclude_categories if negated else self.query.categories
        if code not in target:
            target.append(code)

    def read_categories(self) -> None:
        found: list[tuple[int, int, str, bool]] = []
        alone = re.fullmatch(r"\s*([a-z]{2})\s*", self.low) or re.search(  # "cv" alone, "which are cv", "only lg"
            r"\b(?:which|what|ones)\s+(?:are|were|is|was)\s+(?:in\s+)?([a-z]{2})[\s?.!]*$|^\s*(?:only|just)\s+([a-z]{2})[\s?.!]*$",
            self.low,
        )
        g = next((i for i in range(1, (alone.re.groups if alone else 0) + 1) if alone and alone.group(i)), 0)
        if (
            alone
            and g
            and alone.group(g).upper() in CATEGORY_NAMES.keys() - _WORD_CODES
            and not self.lexicon.frequency(alone.group(g))
        ):
            found.append((alone.start(g), alone.end(g), alone.group(g).upper(), False))  # "cv" alone: the category
        for m in re.finditer(r"\b(?:cs|stat|math|eess|q-bio|physics)\.[a-z]{2}\b", self.low):
            found.append((m.start(), m.end(), normalize_category(m.group(0)) or "", False))
        for m in re.finditer(r"\b(?:non-?)?([A-Z]{2})\b", self.orig):
            if m.group(1) in CATEGORY_NAMES and self.low[m.start(1) : m.end(1)].strip():
                found.append((m.start(), m.end(), m.group(1), m.group(0).lower().startswith("non")))
        context = r"(?=\s+(?:papers?|category|articles?|section|works?|ones?|stuff|or|and|nor|,)\b)"
        for m in re.finditer(
            rf"\b(?:category\s+|in\s+|or\s+|nor\s+)?([a-z]{{2}}){context}|\b(?:category|in|or|nor)\s+([a-z]{{2}})\b"
            r"|\b(?:papers?|keep|only|just|without|excluding|except|minus|not|(?:are|is|were|was)n't)\s+([a-z]{2})(?=\s*(?:[,.;:!?]|$))",  # "barron papers cv"
            self.low,
        ):
            code = (m.group(1) or m.group(2) or m.group(3) or "").upper()
            if code in CATEGORY_NAMES and code not in _WORD_CODES | {
                "CC",  # "cc @sam": a carbon copy; the category is "CC" or "cs.CC"
                "IN",
                "ON",
                "OF",
                "OR",
                "AN",
                "AS",
                "AT",
                "BY",
                "IS",
                "IT",
                "TO",
                "NO",
                "SO",
                "DO",
                "ME",
                "MY",
                "WE",
                "HE",
                "BE",
            }:
                inner = next(m.start(g) for g in (1, 2, 3) if m.group(g))
                found.append((inner, m.end(), code, False))
        for name in sorted(NAME_TO_CODE, key=len, reverse=True):
            spelled = re.escape(name).replace(r"\ and\ ", r"\s*(?:and|&|/|or)\s*")  # "neural/evolutionary computing"
            pattern = (
                rf"\b{spelled}\b"
                if " " in name
                else rf"\b(?:category\s+|in\s+)?{re.escape(name)}{context}|\b(?:category|in|(?:field|area)\s+of)\s+{re.escape(name)}\b"
            )
            for m in re.finditer(pattern, self.low):
                if " " in name and self._modified(m.start()):
                    continue  # "quantum machine learning": a topic the corpus may lack, not the category
                found.append((m.start(), m.end(), NAME_TO_CODE[name], False))
        taken: list[tuple[int, int]] = []
        for start, end, code, non in sorted(found):
            if not code or any(a < end and start < b for a, b in taken):
                continue
            taken.append((start, end))
            self._add_category(code, start, end, negated=non)
        for start, end in taken:
            self.take(start, end)

    def _modified(self, start: int) -> bool:
        """Is the word just before ``start`` one no record uses and no filler ("quantum" machine learning)?"""
        before = re.search(r"([a-z][a-z-]{2,})\s+$", self.low[:start])
        if before is None or self.lexicon.view is None:
            return False
        word = before.group(1)
        return word not in CHATTER and not self.lexicon.view.is_stopword(word) and not self.lexicon.frequency(word)

    def read_order(self) -> None:
        q = self.query
        if self.order_read:
            return
        self.order_read = True
        span = ORDER_SPAN.search(self.low)  # "oldest to newest", "from newest to oldest": an order, no single paper
        if span:
            q.sort = "oldest" if (span.group(1) or span.group(2)) in ("oldest", "earliest", "old", "first") else "newest"
            self.take(span.start(), span.end())
        debut = FIRST_OR_LAST_PUBLISHED.search(self.low)  # "when did he start publishing": his first paper
        if debut and not span:
            q.sort, q.limit = ("oldest" if debut.group("first") else "newest"), q.limit or 1
            self.take(debut.start(), debut.end())
            span = debut
        m = TOP_N.search(self.low)
        if m and len(self.low) > LONG and (m.group("n") or m.group("m")) in ("a", "an", "one"):
            m = None  # "there's a paper that ..." in a long question tells a story; it asks for no single paper
        if m:
            q.limit = max(1, min(_number(m.group("n") or m.group("m")), 100))
        second = re.search(  # "anything by Ruiqi Gao? and which one is newest": the list, newest first
            r"(?:[?;,]|\band)\s*(?:and\s+)?(?:which|what)(?:\s+one)?(?:'s|\s+is|\s+was)\s+(?:the\s+)?(?:newest|latest|oldest|earliest|most\s+recent)\b",
            self.low,
        )
        if SINGULAR.search(self.low) and q.limit is None and q.intent != "count" and not second:
            q.limit = 1  # "how many CV papers since 2023, and which is the newest": all counted, the newest first
        short = len(self.low) <= LONG  # "recent applications" in a long question is no request to sort
        if span:
            pass
        elif (
            short
            and NEWEST.search(self.low)
            and not re.search(r"\blast\s+(?:\d+\s+)?(?:years?|months?|days?|weeks?)\b", self.low)
        ):
            q.sort = "newest"
            for now in re.finditer(r"\b(?:right\s+now|these\s+days|nowadays|currently|lately)\b", self.low):
                self.take(now.start(), now.end())  # "what's hot right now": a time, not the word "right"
        elif short and OLDEST.search(self.low):
            q.sort = "oldest"
        if (
            short
            and q.sort == "newest"
            and q.limit in (None, 1)
            and q.intent != "count"
            and OLDEST.search(self.low)
            and BOTH_ENDS.search(self.low)
        ):
            q.ends, q.limit = True, None  # "oldest paper and newest paper?": the two ends of the list
        if m:
            self.take(m.start(), m.end())

    def read_first_author(self) -> None:
        for m in list(FIRST_AUTHOR.finditer(self.low)):
            if re.search(r"\bwho\s+(?:the|their|its)\s+$", self.low[max(0, m.start() - 12) : m.start()]):
                self.take(m.start(), m.end())  # "I'd like to see who the first authors are": shown anyway, no filter
                continue
            after = re.match(r"\s*(?:of\s+|on\s+)?(?:the\s+)?([\w.'-]+(?:\s+[\w.'-]+){0,3})", self.orig[m.end() :])
            if (
                m.group(0).rstrip().endswith(("of", "on"))
                and after
                and resolve_title(_strip_target(after.group(1)), self.lexicon)
            ):
                self.take(m.start(), m.end())  # "the first author of VeLO": that paper's authors, no filter (and no sort)
                continue
            self.query.first_author = True
            self.take(m.start(), m.end())

    def read_title_scope(self) -> None:
        for m in list(IN_TITLE.finditer(self.low)):
            self.query.in_title = True
            self.take(m.start(), m.end())

    def read_relative_to_paper(self) -> None:
        """ "anything newer than that ReconFusion thing": a comparison with a paper, not its topic (the dates say when)."""
        for m in list(THAN_A_PAPER.finditer(self.low)):
            self.take(m.start(), m.end())

    def read_exclusions(self) -> None:
        view = self.lexicon.view
        for m in list(EXCLUDE_TERM.finditer(self.low)):
            named = view.find_title(m.group(0)) if view else None
            if named and named[1] == 1.0 and m.group(0) in named[0].lower():
                continue  # "without compromises" is part of a title, not an exclusion
            if len(self.low) > LONG and re.match(r"(?:but|and)\s+(?:not|no)\b|without\b", m.group(0)):
                continue  # "grows with depth but not width" in a long question describes; it excludes nothing
            words = [w for w in (m.group("t") or m.group("n")).split() if w not in FILLER and w not in CHATTER]
            if words:
                self.query.exclude_terms.append(" ".join(words))
            self.take(m.start(), m.end())

    def read_filters(self) -> None:
        self.read_dates()
        self.read_code()
        self.read_categories()
        self.read_affiliations()
        self.read_authors()
        self.read_first_author()  # before the order: its "first" is no sort
        self.read_order()
        self.read_title_scope()
        self.read_relative_to_paper()
        self.read_exclusions()

    def read_topic(self) -> None:
        """The topic: what no filter claimed, minus filler; unknown words outside a topic phrase are set aside."""
        q = self.query
        other = (
            q.intent != "search" or q.has_filters() or q.sort != "relevance" or q.limit is not None
        )  # "from ben" narrows nothing
        reading = read_topic(self.low, self.lexicon, other, self.orig)
        q.topic, q.set_aside, q.missing = reading.topic, reading.set_aside, reading.missing
        q.expansions, q.match_all = reading.expansions, reading.match_all
        words = q.topic.split()
        typed = {w: reading.corrections.get(w, w) for m in _EITHER_TOPIC.finditer(self.low) for w in m.groups()}
        for m in _EITHER_TOPIC.finditer(self.low):  # "nerf or gan papers": either topic, not both ("learnin or ...": as read)
            if typed[m.group(1)] in words and typed[m.group(2)] in words:
                q.match_all = False
                phrased = _either_phrases(self.low, m, words, reading.corrections)
                if phrased and reading.match_all:  # "reinforcement learning or robot control": either phrase, whole
                    q.topic, q.match_all = phrased, True
                    break
        for wrong, right in reading.corrections.items():
            q.corrections[wrong] = right
            q.notes.append(note("showing results for **{}** (you wrote {})", right, wrong))
        if reading.reduced:
            q.notes.append(note("a long question: searched for its most informative words, {}", q.topic))

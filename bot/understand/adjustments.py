"""What a follow-up changes about the question before it, in words only that make sense as a follow-up: its
order and size ("sorted by date", "show me 3", "reverse it", "the year before that") and the filters it removes
("any year", "with or without code", "forget about kumar", "swap berkeley for deepmind").
"""

from __future__ import annotations

import datetime as dt
import re

from .authors import person_named
from .dates import NUMBER
from .patterns import REF_TOKEN, without_filler
from .query import Lexicon, parse_query

FOLLOW_CHATTER = {
    "only",
    "just",
    "instead",
    "too",
    "also",
    "then",
    "ok",
    "okay",
    "so",
    "now",
    "same",
    "but",
    "again",
    "please",
    "well",
    "what",
    "about",
    "how",
    "ones",
    "one",
    "thanks",
    "cool",
    "great",
    "hmm",
    "right",
    "yes",
    "yeah",
    "sure",
    "show",
    "still",
    "even",
    "as",
    "more",
    "less",
    "plus",
    "if",
    "list",
    "them",
    "those",
    "these",
    "it",
    "mention",
    "mentions",
    "mentioning",
    "discuss",
    "discusses",
    "cover",
    "covers",
    "use",
    "uses",
    "using",
    "among",
    "amongst",
    "narrow",
    "down",
    "filter",
    "filtered",
    "restrict",
    "restricted",
    "focus",
    "keep",
    "limit",
    "limited",
    "question",
    "thing",
    "repeat",
    "we",
    "let's",
    "lets",
    "can",
    "could",
    "at",
    "into",
    "sort",
    "sorted",
    "order",
    "ordered",
    "rank",
    "ranked",
    "arrange",
    "put",
    "first",
}


def topic_words(text: str) -> list[str]:
    """The topic words of a follow-up, without filler and the words that only say it follows up ("only", "instead")."""
    return [w for w in without_filler(text).split() if w not in FOLLOW_CHATTER and w != REF_TOKEN]


# --- phrasings of order and size that only make sense in a follow-up ------------------------------
SORT_BY_DATE = re.compile(
    r"\b(?:sort(?:ed)?|order(?:ed)?|rank(?:ed)?|arrange(?:d)?)\s+(?:them\s+|it\s+|those\s+)?(?:by|on)\s+(?:the\s+)?(?:date|year|time|recency|publication\s+date)\b"
)
SORT_BY = re.compile(  # "sort by oldest": that order ("oldest" alone would be the one oldest paper)
    r"\b(?:sort(?:ed)?|order(?:ed)?)\s+(?:them\s+|it\s+|those\s+)?by\s+(?P<dir>newest|latest|most\s+recent|oldest|earliest)(?:\s+first)?\b"
)
CHRONOLOGICAL = re.compile(
    r"\b(?P<rev>reverse\s+)?chronological(?:ly)?(?:\s+order)?\b|\bin\s+(?P<rev2>reverse\s+)?chronological\s+order\b"
)
LIMIT_ALONE = re.compile(
    rf"^(?:(?:show|give|list)\s+(?:me\s+)?|just\s+|only\s+|limit\s+(?:it\s+|them\s+|that\s+|this\s+)?to\s+|cap\s+(?:it\s+)?at\s+)?(?:the\s+)?(?:top\s+|best\s+)?"
    rf"(?P<n>{NUMBER})(?:\s+(?:of\s+them|results?|papers?|ones?|best|top))?$"
)


EITHER = re.compile(  # "or Jascha?", "add 2019 too", "plus 2021": widens the previous filter
    r"^\s*(?:or|or\s+else|or\s+maybe|and/or|either|(?:(?:ok(?:ay)?|and|also|now)[\s,]+)?(?:add|include|throw\s+in|also\s+add|also\s+include))\s+"
    r"|^\s*(?:and\s+)?plus\s+(?=(?:19|20)\d\d\b)"  # "plus 2021" (a year; "plus code" narrows)
    r"|^\s*(?:and\s+)?(?=(?:19|20)\d\d\s+(?:also|too|as\s+well)\s*[?.!]*$)",  # "and 2019 also": that year as well
    re.IGNORECASE,
)
YEAR_PAIR = re.compile(r"^(?P<a>(?:19|20)\d\d)\s*(?:and|or|&|,)\s*(?P<b>(?:19|20)\d\d)$")


YEAR_SHIFT = re.compile(  # "ok and the year before that", "the following year", "a year later?"
    r"^(?:(?:ok|okay|and|so|now|then|what\s+about|how\s+about)[,\s]+)*(?:the\s+)?(?:(?:one\s+)?year\s+(?P<d>before|after|earlier|later)(?:\s+(?:that|this|it))?"
    r"|(?P<d2>previous|next|following|prior)\s+year|a\s+year\s+(?P<d3>earlier|later|before|after))$"
)
REVERSED = re.compile(  # "reverse it", "flip the order", "other way round", "backwards pls"
    r"^(?:(?:ok|okay|now|and|so|pls|please|can\s+you|could\s+you|just|nah|no)[,\s]+)*(?:(?:reverse|flip|invert|switch)(?:\s+(?:it|that|this|them|the\s+(?:order|list|sort(?:ing)?|sort\s+order)))?"
    r"|(?:in\s+)?(?:the\s+)?(?:reverse(?:d)?|opposite)\s+order|(?:the\s+)?other\s+way(?:\s+(?:round|around))?|backwards?)(?:\s+(?:please|pls|order))?$"
)


def order_and_size(text: str) -> str:
    """Say "sorted by date", "chronologically", "show me 3", "2022 and 2023" the way the question parser reads them."""
    low = text.lower()
    pair = YEAR_PAIR.match(low.rstrip("?!. "))
    if pair:
        first, last = sorted((pair.group("a"), pair.group("b")))
        return f"between {first} and {last}"
    m = LIMIT_ALONE.match(low.rstrip("?!. "))
    if m and not (m.group("n").isdigit() and len(m.group("n")) == 4):
        return f"top {m.group('n')}"
    oldest = re.search(r"\b(?:oldest|earliest|ascending)\b", low)
    text = SORT_BY_DATE.sub("oldest first" if oldest else "newest first", text)
    text = SORT_BY.sub(lambda m: f"{m.group('dir')} first", text)
    return CHRONOLOGICAL.sub(lambda m: "newest first" if m.group("rev") or m.group("rev2") else "oldest first", text)


# --- removals --------------------------------------------------------------------------------
_DROP = r"(?:drop|remove|forget|ignore|clear|lose|undo|no|without|never\s*mind|nvm)\s+(?:the\s+|any\s+)?"
_FILTER = r"(?:\s+(?:filter|limit|range|restriction|constraint|part|thing|stuff|bit|one))?"


def _indifferent(what: str) -> str:
    """ "code doesn't matter", "doesn't matter if there's code", "don't care about the year": that filter goes."""
    return (
        rf"|\b{what}\s+(?:doesn't|does\s+not|don't|do\s+not)\s+matter\b|\b{what}\s+(?:is\s+)?(?:optional|irrelevant)\b"
        rf"|\b(?:doesn't|does\s+not|don't|do\s+not)\s+matter\s+(?:if|whether|what|which|about)\s+(?:[\w']+\s+){{0,3}}?{what}\b"
        rf"|\b(?:don't|do\s+not|doesn't)\s+care\s+(?:about|if|whether|what|which)\s+(?:[\w']+\s+){{0,3}}?{what}\b"
    )


REMOVALS: dict[str, re.Pattern[str]] = {
    "dates": re.compile(
        rf"\b(?:any|all|every)\s+(?:years?|dates?|time|period)\b|\b{_DROP}(?:the\s+)?(?:end|start|upper|lower|last|first)\s+(?:year|date|bound|limit)\b|\bregardless\s+of\s+(?:the\s+)?(?:year|date)\b|\b{_DROP}(?:years?|dates?|time\s+range){_FILTER}\b"
        r"|\binstead\s+of\s+(?:the\s+)?(?:(?:19|20)\d\d|that\s+year|the\s+year|those\s+years)\b"  # "by barron instead of 2022"
        + _indifferent(r"(?:years?|dates?|when)")
    ),
    "has_code": re.compile(
        rf"\bwith\s+or\s+without\s+(?:the\s+)?code\b|\bcode\s+or\s+(?:not|no\s+code)\b|\bregardless\s+of\s+code\b|\bwhether\s+or\s+not\s+(?:they\s+)?(?:have\s+)?code\b|\b(?:drop|remove|forget|ignore|clear|without|minus|no\s+more)\s+(?:the\s+)?code\s+(?:filter|limit|restriction|constraint|part|bit|thing|requirement|condition|criterion)\b"
        rf"|\b(?:drop|remove|forget|ignore|clear)\s+(?:the\s+)?code(?:\s+(?:requirement|condition|criterion))?{_FILTER}\b"
        r"|\bnot\s+(?:just|only)\s+(?:the\s+)?(?:ones|papers)\s+(?:with|that\s+(?:have|ship))\s+(?:released\s+)?code\b"
        + _indifferent("code")
    ),
    "authors": re.compile(
        rf"\b(?:any|all)\s+authors?\b|\bby\s+any(?:one|body)\b|\bregardless\s+of\s+(?:the\s+)?authors?\b|\b{_DROP}(?:authors?|names?|people|person){_FILTER}\b"
        + _indifferent(r"(?:authors?|who)")
    ),
    "categories": re.compile(
        rf"\b(?:any|all|every)\s+(?:categor(?:y|ies)|fields?|areas?)\b|\b{_DROP}(?:categor(?:y|ies)|fields?|areas?){_FILTER}\b"
        + _indifferent(r"(?:categor(?:y|ies)|fields?)")
    ),
    "affiliations": re.compile(
        rf"\b(?:any|all)\s+(?:affiliations?|institutions?|labs?)\b|\b{_DROP}(?:affiliations?|institutions?|labs?){_FILTER}\b"
    ),
    "topic": re.compile(
        rf"\b(?:any|all)\s+topics?\b|\b{_DROP}(?:topic|keyword|keywords|search\s+terms?)(?:\s+\w+)?{_FILTER}\b"
        r"|\bregardless\s+of\s+(?:the\s+)?topic\b|\b(?:don't|do\s+not)\s+limit\s+it\s+to\b[^,.;]*"
        r"|\b{0}(?:the\s+)?[\w-]+\s+(?:keyword|topic)\b".replace("{0}", _DROP),
        re.IGNORECASE,
    ),
    "sort": re.compile(
        rf"\b(?:any|default|usual|normal)\s+order\b|\bby\s+relevance\b|\b(?:most\s+)?relevant\s+first\b|\bbest\s+(?:matches\s+)?first\b|\b{_DROP}(?:order|sort(?:ing)?)\b"
    ),
    "limit": re.compile(
        r"\bno\s+limit\b|\b(?:drop|remove)\s+the\s+limit\b|\bnot\s+(?:just|only)\s+(?:the\s+)?(?:top\s+|first\s+)?(?:\d+|one|two|three|four|five|ten)\b"
        rf"|\b(?:the\s+)?(?:whole|full|entire|complete)\s+(?:list|set)\b|\ball\s+(?:the\s+)?results\b|\bshow\s+(?:me\s+)?(?:them\s+)?all(?:\s+(?:of\s+)?(?:them|those|these|results))?\s*[?.!]*$|\b{_DROP}(?:limit|top\s+n)\b"
    ),
    "exclusions": re.compile(rf"\b{_DROP}exclusions?\b|\binclude\s+everything\b"),
    "filters": re.compile(rf"\b{_DROP}(?:all\s+)?(?:the\s+)?filters\b|\bno\s+filters\b|\bunfiltered\b"),
}


SWAP_OUT = re.compile(  # "swap berkeley for deepmind", "replace 2020 with 2021": the old value goes, the new one stays
    r"\b(?:swap|switch|replace|trade|exchange|change)\s+(?:out\s+)?(?:the\s+)?[\w.'-]+(?:\s+[\w.'-]+)?\s+(?:for|with|to|by)\s+"
    r"|\s+instead\s+of\s+(?:the\s+)?[\w.'-]+(?:\s+[\w.'-]+)?\s*(?=[?.!,]|$)",
    re.IGNORECASE,
)
_NOT_THIS = r"[\w.'-]+(?:\s+[\w.'-]+){0,2}"
NOT_THIS_BUT = re.compile(  # "sorry, not Luke, Jascha": the correction of the value just asked for
    rf"^(?:(?:no+|nah|nope|sorry|oops|wait)[,.!\s]+)*not\s+(?P<old>{_NOT_THIS})\s*[,;:]\s*(?:but\s+|i\s+meant?\s+)?(?P<new>{_NOT_THIS})\s*[?.!]*$",
    re.IGNORECASE,
)
BUT_NOT_THIS = re.compile(  # "Rundi Wu, not Ruiqi Gao": one person for another (of topics it may be an exclusion)
    rf"^(?P<new>{_NOT_THIS})\s*(?P<sep>,|!+|\.)\s*not\s+(?P<old>{_NOT_THIS})\s*[?.!]*$", re.IGNORECASE
)


def corrected_value(text: str, lexicon: Lexicon) -> str:
    """ "not Luke, Jascha" and "Jascha, not Luke" (people) say "Jascha instead of Luke": a swap, not an exclusion."""
    m = NOT_THIS_BUT.match(text.strip())
    if m is None:
        m = BUT_NOT_THIS.match(text.strip())
        people = m is not None and bool(person_named(m.group("old"), lexicon) and person_named(m.group("new"), lexicon))
        if m is None or not (people or m.group("sep") != ","):  # "VAE!!! not GAN": shouted, a correction too
            return text
    return f"{m.group('new')} instead of {m.group('old')}"


KEEP = re.compile(  # "keep the year tho", "same year": what stays is kept anyway; the words only say it is a follow-up
    r"[\s,;]*\b(?:(?:but|and)\s+)?(?:keep(?:ing)?|leave|retain)\s+(?:the\s+)?(?:same\s+)?(?:(?:date|year|time)\s+(?:range|span|window|filter)|(?:19|20)\d\d(?:\s*-\s*(?:19|20)?\d\d)?|years?|yrs?|dates?|filters?|categor(?:y|ies)|authors?|rest|everything\s+else)(?!\s+code)"
    r"(?:\s+(?:tho|though|too|as\s+(?:well|is)|the\s+same|filter))?\b|[\s,;]*\b(?:(?:in|for|over|during|from)\s+that\s+|the\s+|that\s+)?same\s+(?:years?|yrs?|dates?|filters?|categor(?:y|ies)|time(?:\s+(?:period|frame|range|span))?|period|range|window|span|year\s+range|date\s+range)(?:\s+(?:as\s+before|too))?\b"
    r"|[\s,;]*\b(?:and\s+)?keep(?:ing)?\s+(?=(?:only|just)\b)",  # "remove Rundi Wu and keep only Philipp Henzler"
    re.IGNORECASE,
)
NAMED_DROP = re.compile(  # "forget about kumar", "drop 2020", "remove CV": that value's filter goes
    r"\b(?:drop|remove|undo|forget(?:\s+about)?|ignore|lose|skip|never\s*mind(?:\s+about)?|(?:take|leave|cut|kick)(?=\s+[\w.'-]+(?:\s+[\w.'-]+){0,2}?\s+out\b))"
    r"\s+(?:the\s+)?(?P<x>[\w.'-]*[\w'-](?:\s+[\w.'-]*[\w'-]){0,2}?)"  # words end in a letter: never across "2013. Maithra"
    r"(?:\s+(?:filter|part|one|bit|thing|topic|stuff))?(?:\s+out(?:\s+of\s+(?:it|this|that|there))?)?"
    r"(?=\s*(?:[,;.!?]|$|\s+(?:and|but|keep|then|tho|though|how|what|which|show|list|give)\b))",
    re.IGNORECASE,
)


def named_drops(text: str, lexicon: Lexicon, today: dt.date) -> tuple[str, set[str]]:
    """Removals named by value ("forget about kumar" drops the author filter); the text without them."""
    found: set[str] = set()
    for m in list(NAMED_DROP.finditer(text)):
        q = parse_query(m.group("x"), lexicon, today)
        kinds = {
            "authors": bool(q.authors or q.unknown_authors or q.owner_dropped or (q.intent == "author" and q.target)),
            "categories": bool(q.categories),
            "dates": bool(q.dates or q.date_periods or q.months),
            "affiliations": bool(q.affiliations),
            "has_code": q.has_code is not None,
        }
        named = {k for k, v in kinds.items() if v}
        people = q.authors or ([q.target] if q.intent == "author" and q.target else [])
        if named == {"authors"} and people and not q.unknown_authors:  # "drop Jascha": him, the other people stay
            named = {f"author:{key}" for key in people}
        if named and not topic_words(q.topic):
            found |= named
            text = text.replace(m.group(0), " ")
        elif (
            not named
            and topic_words(q.topic)
            and (
                re.search(r"\b(?:bit|part|topic|thing|stuff)\s*$", m.group(0))
                or (len(m.group("x").split()) <= 2 and not q.set_aside)
            )
        ):  # "forget the vae bit", "ugh forget nerf": the topic goes
            found.add("topic")  # "forget the vae bit": the topic goes, the filters stay
            text = text.replace(m.group(0), " ")
    return " ".join(text.split()), found


def removals_in(text: str) -> tuple[str, set[str]]:
    """The filters a follow-up removes ("any year", "Drop the code requirement"); the text without those words."""
    found: set[str] = set()
    for name, pattern in REMOVALS.items():
        if pattern.search(text.lower()):  # the patterns are written in lower case; a message may start with a capital
            found.add(name)
            text = re.sub(pattern.pattern, " ", text, flags=re.IGNORECASE)
    return " ".join(text.split()), found

"""References to the previous answer: which listed records a message points at.

"the second one", "#3", "the first two", "the last one on this page", "the one after it", "the other one",
"the video one", "which one's about beta-VAEs?", "it", "those": each phrase becomes a ``Reference``, and the
message is kept with the phrase replaced by ``REF_TOKEN`` so the rest of it can be read as a question.
Resolving a reference against the records shown is the conversation's job (bot/answer/conversation.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import NUMBER_WORDS
from .patterns import REF_TOKEN

_ORD_WORDS = {
    "middle": 0,  # the middle of the page shown (see conversation._numbers)
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "5th": 5,
    "6th": 6,
    "7th": 7,
    "8th": 8,
    "9th": 9,
    "10th": 10,
    "top": 1,
    "last": -1,
    "final": -1,
    "bottom": -1,
    "penultimate": -2,
    "second last": -2,
    "second to last": -2,
    "second-to-last": -2,
}
_ORD = r"(?:second[\s-]+(?:to[\s-]+)?last|penultimate|middle|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d{1,3}(?:st|nd|rd|th)|last|final|top|bottom)"
_NOUN = r"(?:ones?|papers?|results?|entr(?:y|ies)|items?|articles?|hits?|records?)"
_COUNT = r"(?:two|three|four|five|six|seven|eight|nine|ten|\d{1,2})"
_ORDS = rf"(?P<ords>{_ORD}(?:\s*(?:,|and|&|\+)\s*(?:the\s+)?{_ORD})*)"
ORDINAL_LIST = re.compile(
    rf"\b(?:the|that|this)\s+(?:very\s+)?{_ORDS}(?:\s+{_NOUN}\b|(?=\s*[?.!]*$)|(?=\s*[,;:]\s*(?:does|did|is|was|has|who|when|what|cite|bibtex|abstract)\b)|(?=\s+(?:come|came|was|is|get|got|published|released|about|have|has|had|do|does|say|says|use|uses|mention)\b))|\b{_ORDS.replace('ords', 'ords2')}\s+ones?\b"
    rf"|^\s*{_ORDS.replace('ords', 'ords3')}\s*[?.!]*$"  # "2nd": a message that is only an ordinal
    rf"|\b{_ORDS.replace('ords', 'ords4')}(?:\s+{_NOUN})?\s+(?:on|in)\s+(?:this|the|that)\s+(?:page|list)\b"  # "2nd on this page"
    rf"|(?:(?<=\bof\s)|(?<=\bfor\s)){_ORDS.replace('ords', 'ords5')}(?=\s*[?.!]*$)"  # "who is authors of second?"
)
FIRST_N = re.compile(rf"\b(?:the\s+)?(?P<dir>first|last)\s+(?P<n>{_COUNT})(?:\s+{_NOUN})?\b")
NUMBERED = re.compile(
    r"(?:\b(?:the\s+)?(?:number|no\.?|paper|result|item|entry|record)\s*#?\s*|#\s*)(?P<n>\d{1,3}|(?<=number\s)(?:one|two|three|four|five|six|seven|eight|nine|ten)\b)"
    r"(?P<more>(?:\s*(?:,|and|&)\s*#?\s*\d{1,3})*)\b"
)
PLURAL = re.compile(
    r"(?<=\b(?:list|show|cite|sort|rank|give|send)\s)(?:'?em)\b|(?<=\bof\s)'?em\b|\b(?:all\s+(?:of\s+)?(?:them|those|these)|both(?:\s+of\s+them)?|all\s+(?:two|three|four|five|six|seven|eight|nine|ten|\d{1,2})(?=\s*[?.!]*$)|(?:those|these)(?:\s+(?:two|three|four|five))?(?:\s+(?:papers|ones|results|articles|records))?|them|they|(?<=which\s)ones)\b"
)
SINGULAR = re.compile(
    r"\b(?:(?:that|this|the)\s+(?:paper|one|article|result|record)|it)\b|\b(?:that|this)\b(?=\s*[?.!]*$)"
    r"|(?<=\bdid\s)(?:that|this)\b(?=\s+(?:come|get|go)\s+out\b)"  # "when did that come out?"
    r"|(?:(?<=\bwas\s)|(?<=\bis\s))(?:that|this)\b(?=\s+(?:published|released|posted|written|out)\b)"  # "when was that published?"
)
BESIDE = re.compile(  # "the one right after it", "and the next one?", "the previous paper"
    r"\bthe\s+(?:one|paper|record|entry)\s+(?:right\s+|just\s+|immediately\s+|directly\s+)?(?P<dir>after|before|following|preceding|below|above)\s+(?:it|that|this|that\s+one|this\s+one)\b"
    r"|^(?:(?:and|ok|okay|so|now|then)[,\s]+)*(?:what\s+about\s+|how\s+about\s+)?the\s+(?P<dir2>next|previous|following|preceding)\s+(?:one|paper|record|entry)\b"
)
AGED = re.compile(  # "open the older one", "and the newer paper?": of the (usually two) records listed
    r"\bthe\s+(?P<age>older|newer|earlier|later|more\s+recent|less\s+recent)\s+(?:one|paper|article|record)\b"
    r"|\bthe\s+(?P<sup>oldest|newest|earliest|latest|most\s+recent)\s+(?:(?:one|paper|article|record)\s+)?(?:of|among|from)\s+(?:those|them|these|the\s+list)\b"
    r"|\bthe\s+(?P<sup2>oldest|newest|earliest|latest|most\s+recent)\s+(?:one|paper|article|record)\b"  # with a lookup only
)
LOOKUP_WORD = re.compile(r"\b(?:abstract|summary|cite|citation|bibtex|bib|authors?|wrote|date|when)\b")
OTHER = re.compile(
    r"\bthe\s+other(?:\s+(?:one|paper|article|record))?\b(?!\s+(?:ones|papers|way)\b)"
)  # "no, I meant the other one"
WHICH_ONE = re.compile(  # "which one's about beta-VAEs?": the listed record those words pick
    r"\b(?:which\s+(?:one|paper)(?:'s|\s+is|\s+was)?\s+(?:about|on|with|from|by|had|has|did|does|used|uses|showed|shows|mentions?|mentioned"
    r"|introduced|introduces|proposed|proposes|covers?|covered|(?:talks?|talked|was|is)\s+about)"
    r"|the\s+(?:one|paper)\s+(?:on|about|with|where(?:\s+they)?|that\s+(?:is|was)\s+about|that\s+(?:had|has|did|does|used|uses|showed|shows|introduced|proposed)))"
    r"\s+(?P<desc>[^?.!,;]+)"
)
DESCRIBED = re.compile(  # "the non-saturating one", "the 2021 paper", "that VAE one": a listed record picked by its words
    r"\b(?:the|that)\s+(?P<desc>(?!(?:very|same|other|others|last|first|next|previous|second|third|fourth|fifth|final|new|newest|old|oldest"
    r"|latest|earliest|top|bottom|one|ones|whole|entire|above|below|following|said|this|that|paper|papers|author|authors)\b)[\w.'-]+"
    r"(?:\s+(?!(?:one|paper|that|this|those|these|on|of|in|for|by|about|the|a|an|with|from|to|and|or)\b)[\w.'-]+){0,2}?)"
    r"\s+(?:one|paper|article)\b"
)
BARE_DESCRIBED = re.compile(  # "ELBO one", "delta one abstract?": a message that starts by picking a listed record
    r"^(?:(?:and|ok|okay|so|now|then)[,\s]+)*(?P<desc>(?!(?:which|what|that|this|the|a|an|another|any|each|every|no|some|same|other|next"
    r"|previous|last|first|new|newer|newest|old|older|oldest|latest|earliest|later|earlier|one|only|just|no|not|top|bottom"
    r"|cite|bibtex|bib|show|give|open|abstract|summary|summarise|summarize)\b)"  # "cite that one": an ask and a pointer
    r"[\w.'-]+(?:\s+(?!one\b)[\w.'-]+)?)\s+one\b(?=\s*(?:[?.!]*$|,|\s+(?:abstract|authors?|bibtex|cite|citation|date|year|pls|please|code)\b))"
)
POSSESSIVE = re.compile(r"\b(?P<who>its|their)\s+(?P<what>abstracts?|summary|summaries|authors?|dates?|years?|code)\b")


@dataclass(frozen=True, slots=True)
class Reference:
    """Records of the previous answer a message names.

    ``positions`` are 1-based places on the page shown (negative counts from its end); ``numbers``
    are the numbers printed beside records ("#3"); neither means the pronoun's own records.
    """

    phrase: str
    plural: bool = False
    positions: tuple[int, ...] = ()
    numbers: tuple[int, ...] = ()
    described: str = ""  # "the non-saturating one": the words that pick it among the records listed
    other: bool = False  # "the other one": the listed record that is not the one in focus
    step: int = 0  # "the one after it": the listed record this many places after (before, if negative) the one in focus
    age: int = 0  # "the older one" (-1), "the newer one" (1): of the records listed, the one dated first or last


def ordinal_of(word: str) -> int:
    """ "second" -> 2, "12th" -> 12, "last" -> -1, "middle" -> 0."""
    if word[:1].isdigit():  # "12th"
        return int(re.sub(r"\D", "", word))
    return _ORD_WORDS[" ".join(word.replace("-", " ").split())]


def number_of(text: str) -> int:
    """ "3" -> 3, "three" -> 3 ("a", "one" -> 1)."""
    return int(text) if text.isdigit() else NUMBER_WORDS.get(text, 1)


def find_reference(text: str) -> tuple[Reference, str] | None:
    """The first reference phrase in a message, and the message (case kept) with it replaced by REF_TOKEN."""
    m = POSSESSIVE.search(text.lower())
    if m:  # "its abstract" -> "abstract of it"
        plural = m.group("who") == "their"
        text = text[: m.start()] + f"{m.group('what')} of {'them' if plural else 'it'}" + text[m.end() :]
    low = text.lower()
    candidates: list[tuple[int, int, Reference]] = []
    m = FIRST_N.search(low)
    if m:
        n = min(number_of(m.group("n")), 100)
        positions = tuple(range(1, n + 1)) if m.group("dir") == "first" else tuple(range(-n, 0))
        candidates.append((m.start(), m.end(), Reference(m.group(0).strip(), True, positions)))
    m = ORDINAL_LIST.search(low)
    if m:
        ords = re.findall(_ORD, m.group("ords") or m.group("ords2") or m.group("ords3") or m.group("ords4") or m.group("ords5"))
        positions = tuple(ordinal_of(o) for o in ords)
        page = re.match(r"\s+(?:on|in|from)\s+(?:this|the|that)\s+(?:page|list)\b", low[m.end() :])  # "the last one on this page"
        end = m.end() + (page.end() if page else 0)
        candidates.append((m.start(), end, Reference(low[m.start() : end].strip(), len(positions) > 1, positions)))
    m = NUMBERED.search(low)
    if m:
        numbers = (number_of(m.group("n")), *(int(n) for n in re.findall(r"\d+", m.group("more"))))
        candidates.append((m.start(), m.end(), Reference(m.group(0).strip(), len(numbers) > 1, numbers=numbers)))
    m = BESIDE.search(low) if not candidates else None
    if m:  # "and the one after it", "the paper before that"
        step = 1 if (m.group("dir") or m.group("dir2") or "").startswith(("after", "follow", "below", "next")) else -1
        candidates.append((m.start(), m.end(), Reference(m.group(0).strip(), False, step=step)))
    m = AGED.search(low) if not candidates else None
    if (
        m
        and m.group("sup2")
        and not LOOKUP_WORD.search(low)
        and not re.fullmatch(r"[\w\s]*?the\s+\w+(?:\s+recent)?\s+(?:one|paper)\s*[?.!]*", low)
    ):
        m = None  # "the newest one with code": newest first, one record; "the newest one" alone: that listed record
    if m:
        word = m.group("age") or m.group("sup") or m.group("sup2")
        age = -1 if word in ("older", "earlier", "less recent", "oldest", "earliest") else 1
        candidates.append((m.start(), m.end(), Reference(m.group(0).strip(), False, age=age)))
    m = OTHER.search(low) if not candidates else None
    if m:
        candidates.append((m.start(), m.end(), Reference(m.group(0).strip(), False, other=True)))
    m = (DESCRIBED.search(low) or WHICH_ONE.search(low) or BARE_DESCRIBED.search(low)) if not candidates else None
    if m:
        candidates.append((m.start(), m.end(), Reference(m.group(0).strip(), False, described=m.group("desc"))))
    if not candidates:
        for pattern, plural in ((PLURAL, True), (SINGULAR, False)):
            m = pattern.search(low)
            if m:
                candidates.append((m.start(), m.end(), Reference(m.group(0).strip(), plural)))
                break
    if not candidates:
        return None
    start, end, ref = min(candidates, key=lambda c: (c[0], -c[1]))
    return ref, f"{text[:start]} {REF_TOKEN} {text[end:]}"


ON_THE_LIST = re.compile(  # "is dreamfusion on this page?", "was VeLO in that list", "did the gumbel paper make the list"
    r"^(?:(?:and|wait|hmm|ok|so)[,\s]+)*(?:why\s+)?(?:is|was|are|were|did|isn't|wasn't|aren't|is\s+not|was\s+not)\s+(?P<t>.+?)\s+(?:somewhere\s+|anywhere\s+)?(?:(?:on|in)\s+(?:this|that|the)\s+(?:(?:first|second|third|last|next|previous|\d+(?:st|nd|rd|th)?)\s+)?(?:page|list|results?)"
    r"|(?:one\s+of|among)\s+(?:them|those|these|the\s+results)|in\s+(?:there|here|it)|(?:make|made)\s+(?:the|that|this)\s+(?:list|cut)|(?:listed|shown|included)(?:\s+(?:here|there|above))?)(?:\s+(?:too|as\s+well|at\s+all))?\s*[?!.]*$",
    re.IGNORECASE,
)


def asked_if_listed(text: str) -> str | None:
    """The paper a message asks about being in the list shown ("is dreamfusion on this page?"), as typed; None otherwise."""
    m = ON_THE_LIST.match(" ".join(text.split()))
    return m.group("t") if m else None


CLAIM_ABOUT_IT = re.compile(  # "is that the 2022 one?", "and it has code, right?", "was it a CV paper?"
    r"^(?:(?:and|so|ok|okay|wait|hmm)[,\s]+)*(?:(?:is|was)\s+(?:that|it|this)(?:\s+one)?\s+(?P<a>.+?)"
    r"|(?:it|that|this)(?:\s+one)?\s+(?:(?:is|was|has|had|came\s+out|comes\s+from|is\s+from|was\s+from)\s+)(?P<b>.+?)"
    r"|(?:does|did)\s+(?:that|it|this)(?:\s+one)?\s+(?P<c>(?:have|has|come\s+with)\s+.+?))"
    r"(?:[\s,]+(?:right|yes|correct|no|true|yeah))?\s*\?+\s*$",
    re.IGNORECASE,
)


DOUBT = re.compile(
    r"\breally\b|(?<=\?)\s*(?:i\s+(?:thought|think|believed|assumed|was\s+sure)|i'd\s+have\s+said)\b.*$", re.IGNORECASE
)
TERSE_CLAIM = re.compile(  # "2016?", "2022 right", "code?" just after one paper was shown: a check of that paper
    r"^(?:(?:and|so|ok|okay|wait|hmm)[,\s]+)*(?P<d>(?:19|20)\d\d|(?:with\s+|has\s+|got\s+)?code|cv|lg|ml|stat\.ml)"
    r"(?:\s*(?:\?+|,?\s+(?:right|yes|yeah|correct|true)\s*\?*))\s*$",
    re.IGNORECASE,
)


def claim_about_it(text: str, terse: bool = False) -> str | None:
    """What a message claims of the record in focus ("is that the 2022 one?" -> "the 2022 one"), or None; with
    ``terse`` (the last answer showed that one paper) also a bare "2016?" or "code, right?"."""
    text = DOUBT.sub(" ", text)  # "is it really from 2023? I thought it was 2024": the claim checked is the question's
    m = CLAIM_ABOUT_IT.match(" ".join(text.split()))
    t = TERSE_CLAIM.match(" ".join(text.split())) if terse and not m else None
    if t:
        return "papers " + t.group("d")
    if not m:
        return None
    claim = m.group("a") or m.group("b") or m.group("c") or ""
    return "papers " + re.sub(r"\bones?$", "", claim).strip()


WHAT_ELSE = re.compile(  # "and what else did she write", "his other papers", "anything else by them?"
    r"^(?:(?:and|so|ok|okay)[,\s]+)*(?:(?:what|which)\s+(?:else|other\s+(?:papers?|work|stuff))\s+(?:did|has|have|does)\s+(?P<who>he|she|they|the\s+(?:first|lead|main)\s+author)"
    r"\s+(?:write|written|publish|published|do|done|work\s+on|worked\s+on|put\s+out)"
    r"|(?P<who2>his|her|their)\s+other\s+(?:papers|work|stuff)|(?:anything|what)\s+else\s+(?:by|from)\s+(?P<who3>him|her|them))\b"
    r"[^?]*\?*\s*$",
    re.IGNORECASE,
)


def asks_what_else(text: str) -> str | None:
    """ "and what else did she write" after one paper: "one" (its first author) or "all" (any of its authors), else None."""
    m = WHAT_ELSE.match(" ".join(text.split()))
    if not m:
        return None
    who = (m.group("who") or m.group("who2") or m.group("who3") or "").lower()
    return "all" if who in ("they", "their", "them") else "one"


NEXT_ONE = re.compile(r"^\s*(?:(?:and|ok|okay|so|then)[,\s]+)*(?:the\s+)?(?P<dir>next|previous)\s+(?:one|paper)\b", re.IGNORECASE)
WHO_WROTE_IT = re.compile(  # "who's the first author" after a list of one: of that record
    r"^(?:(?:and|ok|okay|so)[,\s]+)*(?:who(?:'?s|\s+is|\s+was)\s+(?:the\s+)?(?:first|lead|main|last|senior)\s+author|who\s+(?:are|were)\s+the\s+authors|who|by\s+whom|whose|who\s+(?:co-?wrote|co-?authored|worked\s+on|make|made|makes|write|writes|did)\s+(?:it|that|this)(?:\s+one|\s+paper)?|(?:(?:just|only)\s+)?(?:the\s+|its\s+)(?:first|lead|main|last|senior)\s+author|(?:the\s+|its\s+)authors)(?:\s+(?:please|pls|plz))?\s*[?!.]*$",  # "who?" of the one record
    re.IGNORECASE,
)


AUTHOR_AT = re.compile(  # "papers by the first author of that one", "and by the third author of CAT3D?"
    r"^(?:(?:and|ok|okay|so|now|then)[,\s]+)*(?:(?:show|list|give|find)\s+(?:me\s+)?)?"
    r"(?:(?:the\s+)?(?:papers?|works?|stuff|ones|anything|publications)\s+)?(?:by|from|with)\s+"
    r"(?:the\s+|its\s+)?(?P<pos>first|second|third|fourth|fifth|sixth|seventh|last|\d(?:st|nd|rd|th))\s+author"
    r"\s+(?:of|on|in|for)\s+(?P<ref>.+?)\s*[?.!]*$",
    re.IGNORECASE,
)


def author_at(text: str) -> tuple[int, str] | None:
    """ "papers by the first author of that one" -> (1, "that one"); "and by the last author of CAT3D?" -> (-1, "CAT3D"):
    the position of the author whose papers are asked for, and what names the paper. ("Who is the 2nd author of it?"
    is answered by the paper's card, which names every author.)"""
    m = AUTHOR_AT.match(" ".join(text.split()))
    if m is None:
        return None
    word = m.group("pos").lower()
    return (-1 if word == "last" else int(word[0]) if word[0].isdigit() else _ORD_WORDS[word]), m.group("ref").strip()

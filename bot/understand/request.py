"""The request inside a long question: the sentences that ask, apart from the story around them.

A 150-word message tells why ("I've been doing vision stuff for the past year", "my coauthor
forgot the citation") and then asks ("Could you find me Ben's papers about learned optimizers that
come with code?"). Read whole, the story's dates, names and verbs became filters and intents
("the past year" filtered by date, "my coauthor" asked for coauthors). So in a long question the
intent and the filters come from the asking sentences only; the story's words may still rank a
topic or name the paper that "it" means.
"""

from __future__ import annotations

import re

SENTENCE = re.compile(r"[^.?!\n]+(?:[.?!]+|\n|$)")
ASKING = re.compile(
    r"^[\s\"'“”)\]]*(?:(?:so|and|but|ok(?:ay)?|anyway|basically|now|right|alright)[,\s]+|my\s+(?:actual\s+)?question\s+is:?\s+)?"
    r"(?:(?:can|could|would|will)\s+(?:you|u|someone|anyone|the\s+bot|paperbot)|(?:please|pls)(?!\s+(?:do\s+not|don't|dont|excuse|forgive|note|bear|ignore|no)\b)"
    r"|give\s+me|show\s+me|send\s+me|list|find|tell\s+me|"
    r"what|which|who|whose|how\s+many|when|where|is\s+there|are\s+there|do\s+you\s+have|does\s+(?:he|ben)|did\s+(?:he|ben)|"
    r"i(?:'m|\s+am)\s+looking\s+for|looking\s+for|any\s+(?:papers?|recommendations?)"
    r"|i(?:\s+would|'d)\s+be\s+(?:very\s+|really\s+|so\s+)?(?:grateful|glad|happy|thankful)\s+if\s+you\s+could"
    r"|it\s+would\s+be\s+(?:great|nice|helpful)\s+if\s+you\s+could|i\s+need\s+(?:you|the\s+bot|paperbot|two\s+things|three\s+things|a\s+few\s+things)\b)\b",
    re.IGNORECASE,
)
WANTS = re.compile(  # "I just want to see ...": asks, though a story says "I need a good intro" too (so questions stay beside it)
    r"(?:^|[,;:]\s)\s*(?:(?:so|and|but|now)[\s,]+)?(?:i\s+(?:just\s+|really\s+|only\s+)?(?:want|need)\s+to\s+(?:see|find|get)|i(?:\s+would|'d)\s+(?:really\s+)?(?:like|love)\s+to\s+(?:see|get)"
    r"|i\s+(?:just\s+|really\s+|only\s+)?(?:would\s+like|'d\s+like|want|need)\s+to\s+know\s+(?:please\s+)?(?:how|which|what|who|when|whether|if)"
    r"|i\s+(?:just\s+|really\s+|only\s+)?(?:need|want)\s+(?:the|all(?:\s+the)?|a\s+list\s+of|a\s+list|the\s+list\s+of)\s+(?:papers?|list|titles?|ones?)"
    r"|(?:with\s+all\s+(?:of\s+)?that\s+in\s+mind,?\s+)?what\s+i(?:'d|\s+would)\s+(?:really\s+)?(?:like|love|need|want)\s+is"
    r"|i(?:'m|\s+am)\s+(?:specifically\s+|really\s+|mostly\s+|particularly\s+|mainly\s+)?(?:looking|searching)\s+for"
    r"|i(?:'d|\s+would)\s+(?:really\s+)?(?:like|love|want)\s+(?:the|a\s+list\s+of|all|his|every)\s+(?:\w+\s+){0,3}?(?:papers?|co-?authors?|collaborators?|people|list|titles?))\b"
    r"|\bi\s+(?:only|just|mostly|really)\s+care\s+about\b",  # "so for this bit I only care about what was published before 2016"
    re.IGNORECASE,
)
REQUEST_MID = re.compile(  # a request after a comma: "I don't need anything fancy, I just want to see which ..."
    r":\s+(?:so\s+)?(?:how\s+many|which|what|who|when|is\s+there|are\s+there)\b"  # "... reserve, so: how many papers ...?"
    r"|[,;:]\s+(?:so\s+|but\s+|and\s+)?(?:(?:can|could|would)\s+(?:you|u|someone|anyone)|please(?!\s+(?:do\s+not|don't|dont|excuse|forgive|note|bear|ignore)\b)|give\s+me|show\s+me|send\s+me"
    r"|i\s+(?:just\s+|really\s+|only\s+)?(?:want|need)\s+to\s+(?:see|find|get)|i(?:\s+would|'d)\s+(?:really\s+)?(?:like|love)\s+to\s+(?:see|get)"
    r"|i\s+need\s+(?:two|three|a\s+few)\s+things)\b",
    re.IGNORECASE,
)
_PURPOSE = re.compile(
    r",?\s+(?:so\s+(?:that\s+)?(?:i|we)\s+(?:can|could|may|might|will|would|'ll|won't)|because|since\s+(?:i|we)|as\s+(?:i|we)"
    r"|according\s+to|before\s+(?:i|we))\b[^?!]*",
    re.IGNORECASE,
)
_LEAD_IN = re.compile(r"^\s*(?:so\s+)?my\s+(?:actual\s+|real\s+)?question\s+is:?\s*", re.IGNORECASE)
_LEAD_COLON = re.compile(  # "Anyway, to settle it with data: how many ...": the words before the colon only lead in
    r"^[^:?]{0,100}:\s+(?=(?:how|what|which|who|whose|when|where|can|could|would|is|are|do|does|did|list|show|give|find|please)\b)",
    re.IGNORECASE,
)
REFERS_BACK = re.compile(
    r"\b(?:it|them|those|these|this\s+paper|that\s+paper|the\s+paper|this\s+one|that\s+one|the\s+one|such\s+papers)\b"
    r"|\b(?:its|their)\s+(?:abstracts?|summary|authors?|date|year|bibtex|citation|code)\b"  # "could you show me its abstract"
    r"|\bthe\s+(?:relevant|right|matching|appropriate|suitable|fitting)\s+ones\b"
    r"|\b(?:about|on|like)\s+(?:that|this)\b(?!\s+(?:list|page|profile|bot|channel|server))|\b(?:that|such\s+a)\s+(?:table|list|chart|breakdown|overview)\b",
    re.IGNORECASE,
)
# verbs of what the asker will do with the answer ("papers I should cite", "code I could run"): no topic
REQUEST_VERBS = frozenset(
    [
        "cite",
        "run",
        "read",
        "use",
        "present",
        "split",
        "plan",
        "demo",
        "check",
        "reproduce",
        "implement",
        "try",
        "know",
        "learn",
        "study",
        "review",
        "include",
        "mention",
        "timing",
        "sessions",
        "start",
        "follow",
        "point",
        "recommend",
        "suggest",
        "direct",
        "share",
        "help",
        "relevant",
        "useful",
        "helpful",
        "play",
        "remember",
        "told",
        "mentioned",
        "paste",
        "copy",
        "post",
        "dump",
        "assist",
        "request",
        "favor",
        "favour",
        "kindly",
        "generate",
        "compile",
        "produce",
        "prepare",
    ]
)


ABOUT_PAPERS = re.compile(  # a request about the corpus names papers, people, years or what records hold
    r"\b(?:papers?|works?|publications?|pubs|articles?|preprints?|authors?|co-?authors?|collaborat\w*|citations?|cited|abstracts?"
    r"|bibtex|cite|code|years?|categor(?:y|ies)|profile|ben|poole|he|his|him|list|titles?|topics?|affiliat\w*)\b|\b(?:19|20)\d\d\b",
    re.IGNORECASE,
)


def asking_part(text: str) -> str | None:
    """The sentences of ``text`` that ask (a question, or a request to the bot), joined, without the
    clauses that say why ("..., so I can check it"); None when every sentence asks or none does (then
    the whole text is the question)."""
    sentences = [s.strip() for s in SENTENCE.findall(text) if s.strip()]
    # a request to the bot first (from where it starts: "I don't need much, I just want ..."); a question mark only without one
    requests = [  # (position, sentence from where it asks, says what is wanted rather than asking)
        (i, s if re.match(r"[,;:]\s+please\s*,", s[m.start() :], re.IGNORECASE) else s[m.start() :].lstrip(" ,;:"), wants)
        for i, s in enumerate(sentences)
        for asked, wanted in [(ASKING.match(s) or REQUEST_MID.search(s), WANTS.search(s))]
        for m, wants in [(asked or wanted, not asked)]
        if m
    ]
    alone = [s for _, s, wants in requests if not wants and not REFERS_BACK.search(s) and not _INSTRUCTION.match(s)]
    # "how many in 2019? I want to know whether that year could fill a month": the question says it all; "could you
    # list the relevant ones?" does not, so "I'm looking for Ben's GAN papers from before 2018" beside it is read too
    asking = [s for _, s, wants in requests if not (wants and alone)] or [
        s[m.start() :].lstrip(" ,;:") if m else s
        for s in sentences
        for m in [WANTS.search(s)]
        if m or (s.endswith("?") and len(s.split()) <= 30)
    ]
    about = [s for s in asking if ABOUT_PAPERS.search(s)]
    if about and len(about) < len(asking):  # "please stop unplugging the HDMI adapter" beside "how many papers in 2016?"
        asking = about
    if not asking or len(asking) == len(sentences):
        return None
    return " ".join(_LEAD_COLON.sub("", _LEAD_IN.sub("", _PURPOSE.sub("", s))) for s in asking)


_IDIOM_IT = re.compile(r"\b(?:settle|nail|make|keep|sum|wrap|put|say)\s+it\b", re.IGNORECASE)  # "can the bot settle it"
_INSTRUCTION = re.compile(r"^(?:please|pls)\b(?!.*\?\s*$)", re.IGNORECASE)  # "Please count only what the profile shows."
ONE_PAPER_BACK = re.compile(  # "can you find it", "how many citations it has", "the bibtex for that one" (not "to settle it")
    r"\b(?:find|cite|show|give|read|send|get|open|summari[sz]e|describe|for|of|about|on)\s+(?:me\s+)?it\b|\bit\s+(?:has|have|had|was|is|came|got|gets)\b"
    r"|\b(?:this\s+paper|that\s+paper|the\s+paper|this\s+one|that\s+one|the\s+one)\b(?!\s+(?:of|on|about)\b)",
    re.IGNORECASE,
)


def refers_to_one(request: str) -> bool:
    """Does the request point at one paper the story described ("can you find it", "how many citations it has")?"""
    return bool(ONE_PAPER_BACK.search(request))


def refers_back(request: str) -> bool:
    """Does the request point at a paper the story described ("give me the bibtex for it")? ("settle it" does not.)"""
    return bool(REFERS_BACK.search(_IDIOM_IT.sub(" ", request)))

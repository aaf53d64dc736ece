"""Question understanding without a language model: free text becomes a structured Query.

parse_query decides what is asked: help, profile, a caveat (data the corpus lacks, or not English),
one paper (by id, title, acronym or a name it gives itself), similar papers, coauthors, a breakdown, a
count or a search; filters are then read in any order (filters.py) and the words left get their roles
(roles.py). Whether words name a title or a topic is decided here, through the lexicon's CorpusView,
so answering only answers. Pure: no index import, and ``today`` is an argument.
"""

from __future__ import annotations

import datetime as dt
import re

from .aggregates import read_aggregate
from .asked_about import read_asked_about, read_terse_lookup
from .authors import _NAME_STOP, _blank, person_named
from .filters import LONG, Parser, _strip_target
from .language import foreign_language
from .lexicon import Lexicon
from .lookup import RECORD_ID, SINGLE_CUE, names_one_paper, resolve_title
from .markup import strip_markup
from .missing import CITATIONS_LACKING, PER_PAPER_CITATIONS, missing_data
from .notes import Note, note
from .parsed import MAX_QUESTION, SELECTION, Query, clean_question, corrects_itself
from .patterns import (
    CITE,
    COAUTHOR_NOUN,
    COUNT,
    CURRENT_WORK,
    DESCRIBED_PAPER,
    HELP,
    KNOWN_BY,
    PAPERS_NOUN,
    POLITE_END,
    PROFILE,
    SIMILAR,
    SIMILAR_BARE,
    TITLE_THEN_ASK,
)
from .profiles import TOGETHER, apply_profiles, named_profiles, profiles_question, read_compare
from .request import REQUEST_VERBS, SENTENCE, asking_part, refers_back, refers_to_one
from .roles import judgement_like
from .wordlists import CHATTER, RATING_WORDS

QUOTED_TITLE = re.compile(  # a title typed in quotes names one paper (single quotes only around words, never an apostrophe)
    r"[\"“]([^\"”]{6,200})[\"”]|(?:(?<=\s)|^)'([^'\n]{6,200})'(?=[\s,.;:?!)]|$)"
)
_ASKED_DETAIL = (
    ("authors", r"\b(?:wrote|on\s+it|authors?|led)\b"),
    ("date", r"\b(?:when|date|year)\b"),
    ("abstract", r"\b(?:about|abstract|summary)\b"),
    ("code", r"\bcode\b"),
    ("arxiv", r"\b(?:arxiv\s+(?:id|identifier|number|link)|doi)\b"),
)
# a question with no topic and no filter still asks for the whole list when it says so ("all papers", "newest")
ASKS_FOR_LIST = re.compile(
    r"\b(?:papers?|works?|articles?|publications?|pubs|records?|all|everything|anything|list|show|stuff|newest|latest|oldest|earliest|recent|first|last)\b"
)
INTENTS = (
    "search",
    "paper",
    "author",
    "coauthors",
    "network",
    "count",
    "breakdown",
    "profile",
    "profiles",
    "compare",
    "similar",
    "cite",
    "help",
    "unsupported",
)
__all__ = ["INTENTS", "MAX_QUESTION", "Lexicon", "Query", "clean_question", "parse_query"]


_LANGUAGES = (
    r"japanese|korean|chinese|mandarin|cantonese|french|german|spanish|italian|portuguese|russian|hindi|arabic|klingon"
    r"|dutch|polish|turkish|vietnamese|thai|greek|hebrew|swedish|farsi|persian|urdu|bengali|indonesian|latin|emoji"
)
REWRITE = re.compile(  # "translate the VeLO abstract into japanese", "ELI5 the broken ELBO paper": a rewrite nobody here writes
    rf"\b(?:(?P<tr>translate[sd]?|translation\s+(?:of|into)|(?:in|into|to)\s+(?:{_LANGUAGES})\b(?:\s+for\s+[\w\s]{{1,20}}?(?=$|[?!.,]))?)"
    r"|(?P<simple>eli5|explain\s+(?:it\s+|this\s+|that\s+)?like\s+i'?m\s+(?:5|five|a\s+(?:child|kid))|dumb(?:ed)?\s+(?:it\s+)?down)"
    r"|(?P<short>in\s+(?:one|two|three|a|1|2|3)\s+(?:[\w-]+\s+)?(?:sentences?|lines?|tweets?|bullets?|bullet\s+points?)|as\s+a\s+tweet)"
    r"|(?P<verse>(?:as|in|into)\s+(?:a\s+)?(?:haikus?|poems?|limericks?|sonnets?|songs?|raps?|rhymes?|verse|meme))\b"
    r"|(?P<reword>\b(?:rewrite|re-write|rephrase|paraphrase|reword)\b|\b(?:in|into)\s+(?:pirate(?:\s+speak)?|shakespearean(?:\s+english)?|old\s+english|gen\s+z|baby\s+talk)\b)"
    r"|(?P<first>\bshould\s+(?:i|we|you|one|they|he|she|an?\s+[\w-]+(?:\s+[\w-]+)?)\s+(?:read|start\s+with|begin\s+with|look\s+at|pick)"
    r"\s+(?:first|1st|to\s+start|to\s+begin)\b|\bbest\s+(?:one\s+)?to\s+(?:start\s+with|read\s+first|begin\s+with)\b)"
    r"|(?P<act>\bpretend\s+(?:you(?:'re|\s+are)|ur|u\s+r|to\s+be)\b[^.,;:!?]*?(?=\s+and\b|[.,;:!?]|$)"
    r"|\b(?:act|behave)\s+(?:as|like)\s+(?:an?\s+)?[\w-]+(?:\s+bot)?\b|\bbe\s+an?\s+(?:different|other|new)\s+bot\b"
    r"|\b(?:ignore|forget|disregard)\s+(?:your\s+|all\s+|the\s+|previous\s+|any\s+|prior\s+)*(?:rules|instructions|prompt|guidelines)\b"
    r"|\b(?:mute|unmute|ban|kick|timeout)\s+(?:<@!?\d+>|@\w+|\w+)(?:\s+for\s+\d+\s+\w+)?"
    r"|\bgive\s+me\s+(?:the\s+)?[\w-]+\s+role\b|\bsend\s+.{1,40}?\s+\d+\s+times\b"
    r"|\bwrite\s+(?:me\s+)?an?\s+(?:poem|story|song|essay|joke|haiku|limerick)\b|\btell\s+me\s+a\s+joke\b))",
    re.IGNORECASE,
)


_REWRITES = {
    "tr": "translate papers",
    "short": "shorten papers",
    "verse": "turn papers into verse",
    "reword": "rewrite papers",
    "simple": "simplify papers",
    "first": "say which paper to read first",
    "act": "act in the server, play another bot or write anything but answers about papers",
}


def parse_query(text: str, lexicon: Lexicon, today: dt.date) -> Query:
    """Understand a question. Never raises for user input: problems go in ``Query.error``."""
    rewrite = REWRITE.search(text) if len(text) <= LONG else None
    if rewrite and not foreign_language(strip_markup(text)):
        rest = re.sub(r"^[\s,;:]*(?:and|also|then|but)\b[\s,;:]*", " ", text[rewrite.end() :], flags=re.IGNORECASE)
        q = parse_query(text[: rewrite.start()] + " " + rest, lexicon, today)
        q.text = text
        kind = next(k for k in _REWRITES if rewrite.group(k))
        said_before = any(str(n).startswith("I cannot ") for n in [*q.notes, q.caveat] if n is not None)
        if q.intent == "help":  # "pretend you are ChatGPT and mute @x": nothing else was asked
            q.intent, q.error = "unsupported", ""
            q.caveat = note("I cannot {}; I answer questions about the papers of the corpus", _REWRITES[kind])
        elif not said_before:  # "rewrite ... into pirate speak": one rewrite, said once
            q.notes.append(note("I cannot {}; here is what the corpus holds", _REWRITES[kind]))
        return q
    confirmed = read_claim(text, lexicon, today)
    if confirmed is not None:
        return confirmed
    pasted = _pasted_reference(text, lexicon, today)
    if pasted is not None:
        return pasted
    aside = re.split(r"\s+[—–]+\s+|\s+-{1,2}\s+", text) if len(text) <= LONG and not corrects_itself(text) else []
    if (
        len(aside) == 2 and aside[1].strip()
    ):  # "reading [this](...) rn — who wrote **VIB is Half Bayes**?": the ask after the dash
        after = _parse_text(aside[1], lexicon, today)
        if after.intent in ("paper", "cite") and after.target and resolve_title(after.target, lexicon):
            after.text = text
            return after
    if LONG < len(text) <= MAX_QUESTION and not foreign_language(strip_markup(text)):
        asked = asking_part(clean_question(text))
        q = _long_question(text, asked, lexicon, today) if asked else _parse_text(text, lexicon, today)
        if q.caveat is None and q.intent != "unsupported" and PER_PAPER_CITATIONS.search(clean_question(text).lower()):
            q.caveat = note(CITATIONS_LACKING)  # "... and how many citations each has": answered as far as it can be, and said so
        elif q.caveat is None and q.intent != "unsupported":
            q.notes.extend(_other_questions_lacking(clean_question(text), asked or "", lexicon))
        return q
    q = _parse_text(text, lexicon, today)
    return _past_a_remark(text, q, lexicon, today) or q


def _past_a_remark(text: str, q: Query, lexicon: Lexicon, today: dt.date) -> Query | None:
    """A short message whose first reading left words unread, read again as its asking sentence alone ("how many papers in
    **2020**? I keep saying ten and nobody believes me"); None when that reading is no better or changes what is asked."""
    quoted = re.search(r"(?m)^\s*>", text)  # "> Creating noise from data ...\nwhich paper is this from?": the quote is the ask's
    sentences = re.search(r"[.?!;]\s+\S|\n", text.strip())  # one sentence has no remark to leave out
    if not sentences or quoted:
        return None
    cleaned = clean_question(text)
    asked = asking_part(cleaned)
    if not asked or refers_back(asked):
        return None
    remarks = [s.strip() for s in SENTENCE.findall(cleaned) if s.strip() and s.strip() not in asked]
    stated = bool(remarks) and all(_STORY.match(s) and not s.endswith("?") for s in remarks)  # "... 2016? I heard ..."
    troubled = _troubled(q, lexicon)
    if not troubled and not stated:
        return None
    part = _parse_text(asked, lexicon, today)
    kept = all(getattr(part, f) == getattr(q, f) for f in SELECTION if f != "topic" and getattr(q, f) not in (None, [], False))
    looked_up = part.intent in ("paper", "cite") and bool(resolve_title(part.target, lexicon))  # "what's CAT3D about? sorry ..."
    same = part.intent == q.intent not in ("help", "unsupported") or (stated and part.intent not in ("help", "unsupported"))
    if not ((same or looked_up) and kept and not _troubled(part, lexicon)):
        return None
    if not troubled and part.intent == q.intent and part.topic == q.topic:
        return None  # the remark changed nothing: the first reading stands
    part.text = text
    unasked = [  # "hey bot do you dream? anyway, ...": a question left unanswered is named
        w
        for sentence in re.findall(r"[^.?!]*\?", cleaned)
        if sentence.strip() not in asked
        for w in re.findall(r"[a-z][\w'-]+", sentence.lower())
        if w not in _NAME_STOP and w not in CHATTER and len(w) > 2
    ]
    left = [] if stated else q.set_aside + q.missing  # a remark's words are its story ("I'm making a timeline"), not unread
    part.set_aside = list(dict.fromkeys(w for w in left + unasked if w not in asked.lower()))
    return part


_STORY = re.compile(  # a sentence about the asker or the question, not one that asks: "I heard it was his best year."
    r"^(?:i|i'm|im|i've|ive|i'd|id|i'll|my|we|we're|our|it|it's|its|this|that|that's|he|he's|she|they|there|need|needed|trying"
    r"|just|hope|hoping|thanks|thank|working|writing|making|preparing|planning|curious|asking|going)\b",
    re.IGNORECASE,
)


def _troubled(q: Query, lexicon: Lexicon) -> bool:
    """Did part of the question go unread: words set aside or unknown, a title not found, topic words no record holds together?"""
    return bool(
        q.set_aside
        or q.missing
        or q.unknown_authors
        or any("no paper is titled" in str(n) for n in q.notes)
        or (q.topic and q.match_all and lexicon.view is not None and not lexicon.view.held_together(q.topic, q.expansions))
    )


CONFIRM = re.compile(  # "just to confirm, ...", "... came out in 2024, right?": a fact to check, not a list to give
    r"^\s*(?:(?:just\s+)?to\s+confirm|double[\s-]?check(?:ing)?|quick\s+check|sanity\s+check|am\s+i\s+right\s+(?:that|in\s+thinking\s+(?:that\s+)?)"
    r"|is\s+it\s+(?:true|right|correct)\s+that|correct\s+me\s+if\s+i'?m\s+wrong(?:,?\s+but)?|really\s*\?|wait\s+really\s*\?)[\s,:;-]+"
    r"|[\s,;-]+(?:yes|yeah|yea|right|correct|true|no|innit|isn'?t\s+it|didn'?t\s+it|doesn'?t\s+it|am\s+i\s+right|or\s+not)\s*\?+\s*$"
    r"|\s+right\s*\?+\s*$"
    r"|^\s*(?:is|was)\s+(?=(?-i:[A-Z][\w-]*[A-Z0-9]))(?=.*\b(?:19|20)\d\d\b)",  # "is Inpaint3D from 2024?": a yes or no about a title
    re.IGNORECASE,
)
WAS_YEAR = re.compile(  # "Imagen Video was a 2023 paper?": "Imagen Video from 2023", checked
    r"\s+(?:was|is)\s+(?:an?\s+)?(?:paper\s+)?(?:from\s+|in\s+)?((?:19|20)\d\d)(?:\s+(?:paper|one|work))?\s*\?+\s*$",
    re.IGNORECASE,
)


CLAIM_WORDS = re.compile(
    r"\b(?:right|yes|yeah|yea|correct|true|no|innit|isn'?t|didn'?t|doesn'?t|confirm|check(?:ing)?|or\s+not|really)\b"
    r"|^\s*(?:\|\|\s*)?(?:is|was)\s+(?-i:[A-Z])|\s(?:was|is)\s+(?:an?\s+)?(?:19|20)\d\d\b",
    re.I,
)


def read_claim(text: str, lexicon: Lexicon, today: dt.date) -> Query | None:
    """ "just to confirm, VeLO is 2022?", "Dream Fields has no code, right?": that paper shown, with yes or no for
    what the question claims of it (its dates, code, category or authors); None when it names no one paper."""
    if len(text) > LONG or not CLAIM_WORDS.search(text):
        return None  # most questions: no claim to check, and no second cleaning
    clean = re.sub(
        r"[\s,.]+(?:(?:show|give|send)\s+(?:it|me(?:\s+it)?)|pls|please)[\s.!]*$", "", clean_question(text), flags=re.I
    )
    claim = CONFIRM.sub(" ", WAS_YEAR.sub(r" from \1", clean)).strip(" ,?")
    if claim == clean.strip(" ,?") or not claim:
        return None
    q = _parse_text(claim, lexicon, today)
    title = resolve_title(q.topic, lexicon) if q.topic else None
    if q.intent not in ("search", "count") or not title or not q.has_filters():
        return None
    q.intent, q.target, q.topic, q.confirm, q.text = "paper", title, "", True, text
    q.expansions, q.missing = {}, []
    return q


def _other_questions_lacking(text: str, asked: str, lexicon: Lexicon) -> list[Note]:
    """ "First: which venue did DreamFusion appear at? ... Second, when was it posted?": the request is answered, and the
    other question the corpus cannot answer is said so (once), instead of passed over in silence."""
    for sentence in re.findall(r"[^.?!]*\?", text):
        if sentence.strip() and sentence.strip() not in asked:
            lacking = missing_data(sentence.lower(), lexicon.affiliations)
            if lacking is not None:
                return [lacking]
    return []


def _long_question(text: str, asked: str, lexicon: Lexicon, today: dt.date) -> Query:
    """A long question read as its request (intent and filters) plus its story (the words that rank a
    topic, or describe the paper "it" means); the whole text as before when the request means nothing alone."""
    q = _parse_text(asked, lexicon, today)
    picked_one = q.limit == 1 and q.sort in ("newest", "oldest")  # "which paper is the most recent one and give me its abstract"
    detail = ASKS_DETAIL.search(asked) if (refers_back(asked) or BARE_DETAIL.search(asked)) and not picked_one else None
    if picked_one:  # its abstract, authors or date are shown with it: no topic words
        q.topic = " ".join(w for w in q.topic.split() if w not in ("abstract", "abstracts", "summary", "authors", "date"))
    if detail and q.intent not in ("paper", "cite"):  # "can you give me the abstract of this paper": the one described
        word = detail.group(0).lower()
        q = Query(text=text, intent="cite" if word in ("bibtex", "citation", "cite", "reference") else "paper")
        q.detail = (
            "authors"
            if word.endswith("wrote")
            else {"abstract": "abstract", "summary": "abstract", "authors": "authors"}.get(word, "")
        )
    lookup = q.intent in ("paper", "cite")
    lacks_data = q.intent == "unsupported" and q.caveat is not None and not q.set_aside  # "how many citations CAT3D has?"
    own = not refers_to_one(asked) and (  # "the papers from 2024 onward ... pull those up": the request says which
        q.has_filters() or bool([w for w in q.topic.split() if w not in REQUEST_VERBS])
    )
    if (
        (q.intent in ("help", "unsupported") and not lacks_data)
        or q.error
        or (refers_back(asked) and not lookup and not own and not lacks_data and not picked_one)
    ):
        return _parse_text(text, lexicon, today)  # "list all of them", "anything else on that": the story says which
    if lacks_data and refers_to_one(asked) and not q.target:  # "find that paper, and how many citations it has": that paper
        story = _parse_text(text, lexicon, today)
        q.topic, q.expansions, q.match_all = story.topic, dict(story.expansions), False
    if PRONOUN.search(asked) and not (q.authors or q.unknown_authors) and q.intent not in ("paper", "cite", "unsupported"):
        people = [a for a in _parse_text(text, lexicon, today).authors if a != lexicon.owner_key]
        if len(people) == 1:  # "how many papers they have together", "the papers he's on": the person the story names
            q.authors = people
    if lookup and refers_back(asked):  # "DESCRIPTION: ... "Categorical Reparameterization with Gumbel-Softmax" ... its abstract"
        whole = _whole_titles(text, lexicon)
        if len(whole) == 1:
            q.target = next(iter(whole))
            q.text = text
            q.notes.append(
                note("a long question: read as its request, “{}”", asked if len(asked) <= 160 else asked[:157] + "...")
            )
            return q
    if PERIOD_BACK.search(asked) and not q.dates and not q.date_periods:  # "how many papers does he have in that period?"
        story = _parse_text(text, lexicon, today)
        q.dates, q.date_periods = story.dates, list(story.date_periods)
        q.set_aside = [w for w in q.set_aside if w not in ("period", "range", "window", "span", "interval", "timeframe")]
    if q.intent in ("coauthors", "breakdown") and q.missing:  # "Ben Poole's 'crew' ... who are they?": story words, no topic
        q.topic, q.missing, q.expansions, q.match_all = "", [], {}, True
    needs_story = (lookup and (refers_back(asked) or not resolve_title(q.target, lexicon))) or (
        q.intent == "search"
        and not q.has_filters()
        and not [w for w in q.topic.split() if w not in REQUEST_VERBS]
        and not picked_one
    )
    if needs_story:  # the whole text is parsed only when its words are used
        story = _parse_text(text, lexicon, today)
        q.topic = " ".join(w for w in story.topic.split() if w not in REQUEST_VERBS)  # "point me to", "play with": no topic
        q.expansions = dict(story.expansions)
        q.match_all = False if lookup else story.match_all
        if lookup:  # the paper the story describes best
            q.target, q.limit, q.sort = "", None, "relevance"
            q.notes = [n for n in q.notes if "no paper is titled" not in str(n)]
        else:
            q.set_aside = [w for w in q.set_aside if w not in REQUEST_VERBS]
    q.text = text
    q.notes.append(note("a long question: read as its request, “{}”", asked if len(asked) <= 160 else asked[:157] + "..."))
    return q


def _parse_text(text: str, lexicon: Lexicon, today: dt.date, clauses: bool = True) -> Query:
    p = Parser(text, lexicon, today)
    q = p.query
    if not p.low.strip():
        q.intent, q.error = "help", "empty"
        return q
    if len(text) > MAX_QUESTION:
        q.intent, q.error = "search", f"question too long ({len(text):,} characters; the limit is {MAX_QUESTION:,})"
        return q
    low = POLITE_END.sub("", p.low.rstrip("?!. ")).rstrip("?!., ")  # "dreamfusion authors pls"
    if HELP.match(low):
        q.intent = "help"
        return q
    language = foreign_language(strip_markup(text))
    if language:
        q.intent, q.caveat = (
            "unsupported",
            note("only English is understood (this looks like {}); try `papers on diffusion after 2022`", language),
        )
        return q
    caveat = missing_data(low, lexicon.affiliations) if len(low) <= LONG else None  # a long question mentions more than it asks
    if caveat:
        q.intent, q.caveat = "unsupported", caveat
        named = re.search(r"\b(?:of|for|on)\s+(?:the\s+)?(?P<t>[^,;?!]+)", low)  # "the full author list of Imagen Video, not ..."
        typed = POLITE_END.sub("", clean_question(text).rstrip("?!. ")).rstrip("?!., ")  # case kept: "VDM" is a name
        parts = [ABOUT_A_PAPER.sub(" ", c).strip() for c in re.split(r"[,;]|\s+and\s+", typed)]  # "what venue was X in, and ..."
        q.target = (
            resolve_title(ABOUT_A_PAPER.sub(" ", typed).strip(), lexicon)
            or next((t for c in parts if c for t in [resolve_title(c, lexicon)] if t), None)
            or (resolve_title(_strip_target(named.group("t")), lexicon) if named else None)
            or ""
        )  # the paper it names, if any
        if not q.target and "citation" in str(q.caveat):  # "rank Ben's 2023 papers by citation count": those papers, caveated
            p.read_dates()
            p.read_categories()
        if not q.target and clauses:  # "which papers are about disentanglement, and how many citations each has": those papers
            for clause in re.split(r"[,;:]|\s+and\s+(?=second|also|then|how|what|which)", p.orig):
                if len(clause.split()) < 3 or missing_data(clause.lower(), lexicon.affiliations):
                    continue
                part = _parse_text(clause, lexicon, today, clauses=False)  # one level: a clause is not split again
                if part.intent in ("search", "count") and part.topic and not part.set_aside:
                    q.topic, q.expansions, q.match_all = part.topic, dict(part.expansions), part.match_all
                    break
        return q
    if profiles_question(low):
        q.intent = "profiles"
        return q
    compared = read_compare(low, p.orig, lambda typed: person_named(typed, lexicon)) if len(low) <= LONG else None
    if compared is not None:
        q.intent, (q.authors, q.unknown_authors) = "compare", compared
        return q
    m = RECORD_ID.search(low) or ARXIV_ID.search(low)
    if m:
        wanted = m.group("arxiv") if "arxiv" in m.re.groupindex else m.group(0)
        title = lexicon.view.title_of_id(wanted) if lexicon.view else None
        cites = CITE.search(low) or re.search(r"\b(?:bibtex|bib|cite|citation)\b", low)
        if title:
            q.intent, q.target = ("cite" if cites else "paper"), title
            q.detail = "abstract" if re.search(r"\babstract|summary\b", low) else ""
        else:
            kind = "arXiv id" if "arxiv" in m.re.groupindex else "id"
            named = parse_query(re.sub(m.re.pattern, " ", text, flags=re.IGNORECASE), lexicon, today)
            if named.intent in ("paper", "cite") and named.target:  # "date of DreamFusion (arXiv 2209.14988)": the title says
                named.text = text
                named.notes.append(note("no record has the " + kind + " {}; read by the title", wanted))
                return named
            q.intent, q.caveat = "unsupported", note("no record has the " + kind + " {}", wanted)
        return q
    m = CITE.search(low)
    if m and (len(low) <= LONG or m.start() == 0):  # "I'd like to cite all the relevant ones" in a story asks for a list
        target = _strip_target(re.split(r"(?<=[.?!])\s+(?=[A-Z])", p.orig[m.start("t") : m.end("t")])[0])
        target = re.sub(r"(?i)\s+for\s+(?:me|us)$", "", target)  # "cite the Patch Gaussian paper for me"
        target = re.sub(  # "how do I cite DreamFusion in my thesis?": where it goes, not its title
            r"(?i)\s+(?:in|for|into)\s+(?:my|our|a|an|the)\s+(?:[\w-]+\s+){0,2}(?:thesis|paper|review|report|draft|manuscript|article"
            r"|bibliography|references?|slides?|talk|poster|survey|proposal|chapter|section|dissertation|bib\s+file)\b.*$",
            "",
            target,
        )
        before = p.orig[: m.start()].strip(" ,:;-")
        pointing = re.fullmatch(r"(?:this|that|the)\s+(?:one|paper)|it|this|that|one|paper", target.lower().strip(" .?!"))
        if pointing and before:
            target = before  # "[cat3d](...) bibtex for this one": the paper named before
        head = _strip_target(re.split(r"[,;?!(]\s", target + " ", maxsplit=1)[0])
        title = resolve_title(target, lexicon) or (resolve_title(head, lexicon) if head != target else None)
        described = _described_paper(target, lexicon, today, any_form=False) if not title and len(target.split()) >= 4 else None
        if described is not None:  # "bibtex of the paper whose abstract mentions four thousand TPU-months"
            described.intent, described.text = "cite", text
            return described
        q.intent, q.target = "cite", title or target
        return q
    m = CITE_TERSE.match(low)
    named = _strip_target(p.orig[m.start("t") : m.end("t")]).split() if m else []
    title = next(  # "lowkey need the dreamfusion bibtex": the words that name a paper end the phrase
        (t for i in range(min(len(named), 4)) for t in [resolve_title(" ".join(named[i:]), lexicon)] if t), None
    )
    if title:  # "dreamfusion bibtex": a citation when the words before name a paper
        q.intent, q.target = "cite", title
        return q
    if (
        len(low) <= LONG
        and PROFILE.search(_without_profile_place(low))  # "papers from this profile on X" asks for papers
        and not COUNT.search(
            re.sub(
                r"how many (?:total |times )?(?:citations?|cited)|(?:total )?number of citations|(?:just|only) the number",
                "",
                low,
            )
        )  # "h-index only, just the number": the profile's figure, said alone
    ):
        q.intent = "profile"
        q.profiles = named_profiles(low, lexicon)
        whose = PROFILE_OF.search(low) if not q.profiles else None
        named = (whose.group("a") or whose.group("b") or whose.group("c") or "").split() if whose else []
        other = next(
            filter(None, (person_named(" ".join(named[i:]), lexicon) for i in range(len(named)))), None
        )  # "is luke metz"
        if other and other in lexicon.profile_owners:  # "luke's h-index": one of several profiles
            q.profiles = [lexicon.profile_owners[other]]
        elif other and other != lexicon.owner_key:  # "luke metz's h-index": facts of a profile the corpus does not hold
            q.intent, q.caveat = (
                "unsupported",
                note("the corpus holds no profile of {}, so no h-index or citation count", lexicon.authors[other]),
            )
        elif CITATIONS_OVER_TIME.search(low):  # "how many citations did he get in 2024": only the totals are known
            q.notes.append(note("the corpus holds no citations or h-index per year, only the profile's current totals"))
        elif PER_PAPER_CITATIONS.search(low):  # "average citations per CV paper": no per-paper counts to average
            q.notes.append(note(CITATIONS_LACKING))
        return q
    current = CURRENT_WORK.match(low)
    if current:  # "what's he working on these days": his papers, newest first
        q.sort = "newest"
        p.take(current.start(), current.end())
        low = _blank(low, current.start(), current.end())
    quoted = QUOTED_TITLE.search(p.orig) if not current and not SIMILAR.search(low) else None
    typed = (quoted.group(1) or quoted.group(2)) if quoted else ""
    title = resolve_title(re.sub(r"\.{3}|…", " ", typed), lexicon) if quoted else None
    in_its_title = bool(re.search(r"\btitles?\s+(?:ends?|starts?|begins?|contains?|has|with|says?|like)\b", low))
    if title and (_covers(typed, title) or in_its_title):  # 'the authors and the date of "The Fast Bilateral Solver"': that paper
        asked = low.replace(typed.lower(), " ")
        q.intent = "cite" if re.search(r"\b(?:cite|bibtex|bib|citation)\b", asked) else "paper"
        q.target, q.detail = title, next((d for d, words in _ASKED_DETAIL if re.search(words, asked)), "")
        return q
    then_ask = TITLE_THEN_ASK.match(low) if not current else None
    named = p.orig[then_ask.start("t") : then_ask.end("t")] if then_ask else ""
    title = resolve_title(_strip_target(named), lexicon) if then_ask else None
    asks_code = bool(then_ask) and re.match(r"(?:the\s+|its\s+)?code\b", (then_ask.group("ask") or "").strip()) is not None
    described = None if title or not then_ask or asks_code else _described_paper(named, lexicon, today, any_form=True)
    if then_ask and (title or described):  # "the dream booth 3d paper - when was it published?": that paper, and what is asked
        ask = then_ask.group("ask") or then_ask.group("ask2")
        q = described or q
        q.intent, q.target = ("cite" if re.search(r"\b(?:cite|bibtex|citation)\b", ask) else "paper"), title or ""
        q.detail = next((d for d, words in _ASKED_DETAIL if re.search(words, ask)), "")
        q.text = text
        return q
    described = _described_paper(p.orig, lexicon, today, any_form=False) if not current else None
    if described:  # "that one about intelligent synapses remembering old tasks": the paper it describes best
        described.intent, described.text = "paper", text
        return described
    fell_back = False  # a lookup that named no title: its words are the topic
    if not current:
        outcome = read_asked_about(p, low, lexicon)
        if outcome == "answered":
            return q
        fell_back = outcome == "fell back"
    if not fell_back and read_terse_lookup(p, low, lexicon):
        return q
    m = (SIMILAR.search(low) if len(low) <= LONG else SIMILAR.match(low)) or SIMILAR_BARE.match(low)
    if m and not COAUTHOR_NOUN.search(low) and not fell_back:
        t_start = m.start("t")
        p.read_dates()  # dates and code never belong to a title: "papers like DreamFusion after 2023"
        p.read_code()
        tail = KNOWN_BY.search(p.low, t_start)
        if tail and person_named(tail.group("name"), lexicon):
            p._add_author(person_named(tail.group("name"), lexicon) or "", tail.start(), tail.end())
            p.take(tail.start(), tail.end())
        target = "".join(
            o if c != " " else " " for o, c in zip(p.orig[t_start : m.end("t")], p.low[t_start : m.end("t")], strict=True)
        )
        target = _strip_target(" ".join(target.split()))
        when = RELATIVE_TO_SOURCE.search(target)  # "like Unrolled GANs but newer": dated after it
        if when:
            target = target[: when.start()].strip()
        title = resolve_title(target, lexicon)
        head = re.split(r"\s+[-–—]\s+|[,.;:!?(]", target, maxsplit=1)[0].strip()
        if not title and head != target:  # "most like Imagen Video - similar topic, similar methods. please don't ...": its title
            title = resolve_title(_strip_target(head), lexicon)
        if title or lexicon.view is None:
            q.intent, q.target = "similar", title or target
            if when:
                q.detail = "newer" if when.group(1).lower() in ("newer", "later", "more recent", "recent") else "older"
            p.take(m.start(), m.end())
            p.read_filters()
            return q
        q.notes.append(note("no paper is titled “{}”; showing papers on its words", target))
        p.take(m.start(), m.start("t"))
    person = person_named(low, lexicon) if not fell_back and not q.notes else None
    if person:
        q.intent, q.target = "author", person  # a bare name: "Luke Metz", "metz", "jon barron"
        return q
    if not fell_back:
        read_aggregate(p, low)
    if lexicon.profile_owners:  # several profiles: "papers they wrote together", "papers by X and Y together"
        for m in list(TOGETHER.finditer(p.low)):
            q.together = True
            p.take(m.start(), m.end())
    p.read_filters()
    apply_profiles(q, lexicon)
    if q.intent == "coauthors" and lexicon.owner_key in q.exclude_authors:  # "apart from Ben himself": never in his own table
        q.exclude_authors.remove(lexicon.owner_key)
        q.notes = [n for n in q.notes if "leaves out" not in str(n)]
    if q.intent == "breakdown" and q.sort not in ("most", "least"):
        q.sort = "relevance"
    p.read_topic()
    mistyped = len(q.missing) == 1 and not (  # "the bilateral silver thing": a title, one word mistyped
        q.has_filters() or q.limit or q.sort != "relevance" or q.set_aside or q.owner_dropped
    )
    if q.intent == "search" and not fell_back and not q.notes and (_bare(q) or mistyped) and not PAPERS_NOUN.search(low):
        whole = resolve_title(p.orig.strip(" ?!."), lexicon)  # "Fixing a Broken ELBO": a title typed whole, acronym or not
        whole = whole if whole and _covers(p.orig.strip(" ?!."), whole, 0.9) else None
        title = whole or (names_one_paper(p.orig, q.topic, lexicon) if not q.expansions or SINGLE_CUE.search(low) else None)
        if title:  # "Variational Diffusion Models", "the velo paper": one paper, not a list of one
            q.intent, q.target, q.topic, q.missing = "paper", title, "", []
            q.detail = "abstract" if re.search(r"\b(?:abstract|summary)\b", low) else ""
    judged = [w for w in q.set_aside if w in RATING_WORDS or judgement_like(w, lexicon)]
    if q.intent == "search" and judged and not (q.topic or _narrowed(q)):  # "what's the hardest paper": no list of all 46
        q.notes = []
        q.intent, q.caveat = (
            "unsupported",
            note(
                "the corpus holds no ratings, so I cannot tell which papers are {}; ask for a topic, a person or `newest papers`",
                " or ".join(judged),
            ),
        )
        return q
    if q.intent == "search" and _empty(q) and not ASKS_FOR_LIST.search(low):  # "q", "hmm", "lol": not a request for all 46
        q.set_aside = q.set_aside or low.split()[:8]
        q.intent, q.caveat = (
            "unsupported",
            note("I did not understand “{}”; ask for papers on a topic, by a person or from a year", " ".join(q.set_aside)),
        )
    return q


RELATIVE_TO_SOURCE = re.compile(
    r"[\s,]+(?:but\s+|only\s+|that\s+are\s+|and\s+)?(newer|later|more\s+recent|recent|older|earlier)(?:\s+ones?)?$", re.I
)
ABOUT_A_PAPER = re.compile(  # the words of a question about data the corpus lacks, around the paper it names
    r"\b(?:how\s+many|how\s+often|citations?|cited|cites|times|does|did|do|have|has|had|get|got|which|what|where|journal|"
    r"conference|venue|was|were|is|published|accepted|appear(?:ed)?|in|at|to|the|paper|receive[ds]?|for|of|on|many|(?:co-?)?authors?"
    r"|who|reviewed|reviews?|reviewers?|github|stars?|repo(?:sitory)?|downloads?|pdf|link|impact|factor"
    r"|neurips|nips|icml|iclr|cvpr|iccv|eccv|aaai|ijcai|siggraph|acl|emnlp|workshop|main\s+track|oral|poster|spotlight"
    r"|run|execute|train|reproduce|code|me|us|our|my|tell|cluster|gpus?|machine|laptop|could|would|can|you|exactly|please|according)\b",
    re.IGNORECASE,
)
BARE_DETAIL = re.compile(  # "could you show me the abstract?", "and list who the authors are": of the paper the story tells of
    r"\b(?:the|its)\s+(?:abstract|summary|bibtex|citation|authors|author\s+list)\s*(?:please|pls)?\s*[?.!]*$"
    r"|\b(?:the|its)\s+(?:abstract|summary|bibtex)\s+and\b|\bwho\s+the\s+authors\s+are\b",
    re.IGNORECASE,
)
ASKS_DETAIL = re.compile(  # "who wrote it" asks for its authors; "the papers Ben wrote with Ajay Jain" does not
    r"\b(?:abstract|summary|bibtex|citation|cite|reference|authors)\b|\bwho\s+(?:\w+\s+)?wrote\b", re.IGNORECASE
)
PAPERS_FROM_PROFILE = re.compile(
    r"\b(?:papers?|works?|articles?|publications?|ones?|things?|stuff|items?|entr(?:y|ies)|records?|everything|anything)\s+(?:[\w-]+\s+){0,6}?(?:on|in|from)\s+(?:this|the|his|her|ben's)\s+(?:profile|page|list)\b"
    r"|\b(?:across|over|throughout|in|on)\s+(?:the\s+|this\s+|his\s+)?(?:whole\s+|entire\s+)?profile\b(?=.*\b(?:co-?authors?|co-?authored|collaborat\w*|wrote|papers?)\b)"
)
CITATIONS_OVER_TIME = re.compile(
    r"\b(?:citations?|cited|h[- ]?index)\b.*\b(?:in|during|for|since|after|before)\s+(?:(?:19|20)\d\d|this\s+year|last\s+year)\b"
    r"|\b(?:(?:19|20)\d\d|this\s+year|last\s+year)\b.*\b(?:citations?|cited|h[- ]?index)\b"
    r"|\b(?:citations?|cited)\b.*\b(?:per|each|every|by)\s+year\b|\b(?:yearly|annual)\s+citations?\b"
)
PROFILE_PLACE = re.compile(  # "on Ben Poole's profile", "flag on the profile": where papers are, in a question about papers
    r"\b(?:on|in|from|across|throughout|over)\s+(?:the\s+|this\s+|his\s+|her\s+|their\s+|(?:[a-z]+\s+){0,2}[a-z]+'s\s+)?"
    r"(?:whole\s+|entire\s+)?(?:profile|page)\b"
)
ASKS_FOR_RECORDS = re.compile(r"\b(?:papers?|works|articles|publications|ones|which|list|co-?authors?|collaborators?)\b")


def _without_profile_place(low: str) -> str:
    """The question without where the papers are ("papers on this profile", "which of the papers on Ben's profile ..."):
    what is left asks for profile facts only if it still names them."""
    low = PAPERS_FROM_PROFILE.sub(" ", low)
    return PROFILE_PLACE.sub(" ", low) if ASKS_FOR_RECORDS.search(low) else low


PROFILE_OF = re.compile(
    r"\b(?P<a>(?:[a-z][a-z.-]+\s+){0,2}[a-z][a-z.-]+)(?:'s|s')\s+(?:own\s+)?(?:h[- ]?index|hindex|citations?|citation\s+count|profile|stats)\b"
    r"|\b(?:h[- ]?index|hindex|citations?|citation\s+count|profile|stats)\s+(?:of|for)\s+(?P<b>[a-z][a-z .'-]*?)\s*$"
    r"|^(?:what(?:'s|\s+is)\s+)?(?P<c>(?:[a-z][a-z.-]+\s+){0,2}[a-z][a-z.-]+)\s+(?:h[- ]?index|hindex|citation\s+count|total\s+citations)\s*$"  # "luke metz h-index?"
)
ARXIV_ID = re.compile(r"\b(?:arxiv[:\s]\s*)?(?P<arxiv>\d{4}\.\d{4,5})(?:v\d+)?\b")  # "arXiv:2209.14988"
CITE_TERSE = re.compile(
    r"^(?:the\s+)?(?P<t>.+?)(?:'s)?\s+(?:bibtex|bib\s*tex|bib|citation|cite|reference)(?:\s+(?:entry|key|please|pls|plz|fr|rn|asap|thx|thanks|lol|now))*$"
)
PRONOUN = re.compile(r"\b(?:he|she|him|they|them|he's|she's|they're|they've|together)\b", re.IGNORECASE)


def _narrowed(q: Query) -> bool:
    """Anything besides a topic that shapes the list: filters, missing words, a limit, an order."""
    return bool(q.has_filters() or q.missing or q.limit or q.sort != "relevance")


PERIOD_BACK = re.compile(
    r"\b(?:that|this|the\s+same|the\s+reporting|our\s+reporting)\s+(?:period|time\s*(?:frame|span)|range|window|span|interval)\b"
)
AUTHOR_LIST = re.compile(  # "Poole B, Jain A, Barron JT," or "Alemi, A., Poole, B., & Murphy, K." as citations print it
    r"(?:\b[A-Z][\w'-]+,?\s+(?:[A-Z]\.?\s?){1,3}\s*[,.:&]\s*(?:&\s*|and\s+)?){2,}"
)


def _pasted_reference(text: str, lexicon: Lexicon, today: dt.date) -> Query | None:
    """A reference pasted from a citation manager ("Poole B, Jain A, ... DreamFusion: Text-to-3D using 2D Diffusion.
    arXiv 2022. -- what is this paper about?"): the paper whose whole title it holds, asked what the rest asks."""
    if lexicon.view is None or not AUTHOR_LIST.search(text):
        return None
    titles = _whole_titles(text, lexicon) or _reference_titles(text, lexicon)
    if len(titles) != 1:
        return None  # none, or a pasted reading list: the question is read as usual
    title, chunk = next(iter(titles.items()))
    rest = text.replace(chunk, " ")
    q = _parse_text(AUTHOR_LIST.sub(" ", rest), lexicon, today)
    cite = q.intent == "cite" or re.search(r"\b(?:cite|bibtex|bib|citation)\b", rest, re.IGNORECASE)
    detail = q.detail if q.intent in ("paper", "cite") else ""
    return Query(text=text, intent="cite" if cite else "paper", target=title, detail=detail)


def _reference_titles(text: str, lexicon: Lexicon) -> dict[str, str]:
    """Titles a reference's parts name as citations write them ("Categorical reparametrization w/ gumbel-softmax",
    "Score-based generative modelling through SDEs"), when no part holds a title whole."""
    titles: dict[str, str] = {}
    rest = AUTHOR_LIST.sub(" . ", text)
    for chunk in re.split(r"(?<=[.?!:])\s+|\s+(?:<-+|-{2,}|—)\s*|\(\s*(?:19|20)\d\d\s*\)\.?", rest):
        part = chunk.strip(" .,:;")
        title = resolve_title(part, lexicon) if 2 <= len(part.split()) <= 30 else None
        if title and _covers(part, title, 0.5):
            titles.setdefault(title, chunk)
    return titles


def _whole_titles(text: str, lexicon: Lexicon) -> dict[str, str]:
    """Titles a message holds whole (a sentence, a line or a quotation of it), each with the text that holds it."""
    titles: dict[str, str] = {}
    if lexicon.view is None:
        return titles
    for chunk in re.split(r"(?<=[.?!])\s+|\n+|\s+-{1,2}\s+|[\"“”]", text):
        words = chunk.strip(" .").split()
        found = lexicon.view.find_title(chunk.strip(" .")) if 3 <= len(words) <= 30 else None
        if found and found[1] >= 1.0 and _covers(chunk, found[0], 0.9):
            titles.setdefault(found[0], chunk)
    return titles


def _bare(q: Query) -> bool:
    """Only a topic: it may be a title named on its own."""
    return bool(q.topic) and not (_narrowed(q) or q.set_aside or q.owner_dropped)


def _covers(typed: str, title: str, share: float = 0.75) -> bool:
    """Do the quoted words make up most of the title ("The Fast Bilateral Solver"), not a phrase in it ("diffusion models")?"""
    title_words = set(re.findall(r"[a-z0-9]+", title.lower()))
    typed_words = set(re.findall(r"[a-z0-9]+", typed.lower()))
    if re.search(r"\.{3}|…", typed) and len(typed_words) >= 3 and typed_words <= title_words:
        share = 0.5  # "masks make ... great again": the words typed are the title's, with a gap marked
    return bool(title_words) and len(typed_words & title_words) >= share * len(title_words)


def _described_paper(text: str, lexicon: Lexicon, today: dt.date, any_form: bool) -> Query | None:
    """A paper described rather than named ("that one about intelligent synapses", "the 3d inpainting one from dec '23"):
    its words rank the records (any of them may match) and its filters hold; None when it names no topic."""
    clean = " ".join(text.split()).strip(" ,;:")
    m = DESCRIBED_PAPER.match(clean.lower())
    if m is None and not any_form:
        return None
    body = clean if m is None else clean[m.start("d") : m.end("d")] if m.group("d") else clean[m.start("d2") :]
    if m is not None and m.group("pre"):  # "that contrastive learning paper about picking good views": both parts describe it
        body = clean[m.start("pre") : m.end("pre")] + " " + body
    named = m is not None and not m.group("d") and not m.group("rest") and len(m.group("d2").split()) > 1
    title = resolve_title(body, lexicon) if m is None or m.group("d") or any_form or named else None
    said = m.group("d2") if named and m is not None else ""
    inside = set(re.findall(r"[a-z0-9]+", said)) <= set(re.findall(r"[a-z0-9]+", (title or "").lower()))
    if (
        title and m is not None and (m.group("d") or (named and inside))
    ):  # "the one about synaptic intelligence", "the synaptic intelligence one"
        return Query(text=text, intent="paper", target=title)
    if m is not None and not any_form and not m.group("d"):  # "the diffusion paper" alone may be a list: only "the one about ..."
        return None
    story = _parse_text(body, lexicon, today)
    if story.intent not in ("search", "count") or not story.topic or title:
        return None
    story.target, story.limit, story.sort, story.match_all = "", None, "relevance", False
    story.set_aside = [w for w in story.set_aside if w not in REQUEST_VERBS]
    return story


def _empty(q: Query) -> bool:
    """Nothing to search for and nothing to filter by: the question asked for no list."""
    return not (q.topic or _narrowed(q) or q.notes or q.caveat or q.owner_dropped)

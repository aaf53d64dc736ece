"""Does a text name one paper? The understanding layer decides, so answering only answers.

A title is named by its own words (exactly, or enough of them), by its acronym's expansion ("Unrolled
GANs" -> "Unrolled Generative Adversarial Networks"), by a distinctive part ("gumbel softmax"), or by
a name the paper gives itself in its abstract ("VIDIM": a capitalised word only one record holds).
Record ids are read exactly as the bot prints them ("pef66d85688").
"""

from __future__ import annotations

import itertools
import re

from bot.names import name_key

from .lexicon import Lexicon
from .patterns import without_filler
from .spelling import suggest

COMMON_IN = 3  # records: a topic made only of words this common names a subject, not one title
TITLE_MATCH = 0.5  # share of a title's terms a lookup must cover to count as naming that paper
RECORD_ID = re.compile(r"\bp[0-9a-f]{10}\b")


def _expanded(text: str, lexicon: Lexicon) -> str:
    out = []
    for word in text.split():
        key = word if word in lexicon.acronyms else word[:-1] if word.endswith("s") and word[:-1] in lexicon.acronyms else ""
        out.append(" ".join(lexicon.acronyms[key]) if key else word)
    return " ".join(out)


def resolve_title(target: str, lexicon: Lexicon) -> str | None:
    """The exact title ``target`` names, or None (also None without a corpus view: the answer decides then)."""
    view = lexicon.view
    if view is None or not target.strip():
        return None
    content = without_filler(target)
    if _a_subject(content, target, lexicon):
        return None  # "nerf, code?": a subject many records hold, not the one title that says it
    tried: list[str] = []
    joined = "".join(content.split()) if 1 < len(content.split()) <= 3 else ""
    spelled = " ".join(suggest(w, view.written, min_length=5) or w for w in content.split())  # "varitional difusion modles"
    for text in (target, content, _expanded(content, lexicon), joined, spelled):
        if text and text not in tried:
            tried.append(text)
            found = view.find_title(text)
            if found and found[1] >= TITLE_MATCH:
                return found[0]
    words = content.split()
    if 1 <= len(words) <= 3:
        typed = {w.lower(): w for w in re.findall(r"[\w-]+", target)}
        for word in words:
            written = typed.get(word, word)
            named = (  # "CAT3D", "VeLO" name a title; a bare number ("2021") is a year
                any(c.isupper() for c in written[1:])
                or written.isupper()
                or (any(c.isdigit() for c in written) and not written.isdigit())
            )
            title = view.sole_title(word) if named or len(words) == 1 else None
            if title and (named or word in title.lower() or word == _initials(title)):  # "vdm": its title's initials
                return title
    near = view.near_title(content) if 2 <= len(words) <= 4 else None  # "imagine video": one word mistyped
    return near or _persons_paper(target, lexicon) or _reference(target, lexicon)


_AUTHOR_YEAR = re.compile(  # "Metz et al. 2022", "Poole & Jain 2022 (DreamFusion)", "Kumar, Poole and Murphy (2020)"
    r"^(?P<names>[A-Za-z][\w' .,&-]*?)\s*(?:,?\s*et\.?\s*al\.?)?\s*,?\s*\(?(?P<year>(?:19|20)\d\d)\)?\s*(?:\((?P<hint>[^()]+)\))?$"
)


def _reference(target: str, lexicon: Lexicon) -> str | None:
    """A paper named the way papers cite it: its authors' surnames and year (a word of its title in brackets
    settles two of one year); None when the names or the year fit no single record."""
    m = _AUTHOR_YEAR.match(" ".join(target.split()).strip(" ?!.:;"))
    if m is None or lexicon.view is None:
        return None
    people: list[set[str]] = []
    for part in re.split(r"\s*(?:,|&|\band\b)\s*", m.group("names")):
        if part.strip(" .") and len(part.strip(" .")) > 1:  # an initial ("A.") alone names nobody
            found = lexicon.people.exact(name_key(part), single_ok=True)  # "Jain": Ajay or Siddhant, the year may tell
            if not found:
                return None
            people.append(found)
    view, year = lexicon.view, int(m.group("year"))
    titles = sorted({t for keys in itertools.product(*people) for t in view.titles_by(list(keys), year)}) if people else []
    hinted = resolve_title(m.group("hint"), lexicon) if m.group("hint") else None
    if hinted and len(titles) > 1:
        titles = [t for t in titles if t == hinted]
    return titles[0] if len(titles) == 1 else hinted


_PERSONS_PAPER = re.compile(  # "the Zenke paper", "the paper with Friedemann Zenke": a person's only paper
    r"^(?:the\s+|that\s+)?(?:(?:paper|one|work)\s+(?:with|by|from)\s+(?P<a>.+)|(?P<b>.+?)(?:'s)?\s+(?:paper|one))$"
)


def _persons_paper(target: str, lexicon: Lexicon) -> str | None:
    """The title of the one record by the person ``target`` names with a paper noun (None otherwise)."""
    m = _PERSONS_PAPER.match(" ".join(target.lower().split()).strip(" ?!."))
    if m is None or lexicon.view is None:
        return None
    keys = lexicon.people.exact(name_key(m.group("a") or m.group("b")), single_ok=True)
    return lexicon.view.sole_paper_of(next(iter(keys))) if len(keys) == 1 else None


def _initials(title: str) -> str:
    """ "Variational Diffusion Models" -> "vdm": the acronym a title's own words make."""
    return "".join(
        w[0]
        for w in re.findall(r"[a-z][\w-]*", title.lower())
        if w not in ("a", "an", "the", "of", "for", "with", "and", "in", "on", "to")
    )


def _a_subject(content: str, target: str, lexicon: Lexicon) -> bool:
    """One word many records hold ("nerf", "diffusion"), typed plainly or as an acronym: a subject, not a title's name."""
    view = lexicon.view
    if view is None or len(content.split()) != 1:
        return False
    word = content.strip()
    key = word[:-1] if word.endswith("s") and word[:-1] in lexicon.acronyms else word
    return view.frequency(key) >= COMMON_IN and (key in lexicon.acronyms or not _written_as_name(target.strip()))


def _written_as_name(word: str) -> bool:
    """VeLO, DreamFusion, CAT3D: capitals inside a word or all capitals (not "text-to-3D", whose capital is a unit)."""
    return word.isupper() or bool(re.search(r"[a-z][A-Z]", word)) or (word[:1].isupper() and word[1:] != word[1:].lower())


SINGLE_CUE = re.compile(r"\b(?:paper|article|abstract|summary|publication)\b")


def names_one_paper(question: str, topic: str, lexicon: Lexicon) -> str | None:
    """The title a bare topic question names ("Variational Diffusion Models", "gumbel softmax", "the velo
    paper"), when its words occur together in one title only and the question points at one paper: it
    covers half the title, says "paper"/"abstract", or writes a word as a name (VeLO, DreamFusion)."""
    view = lexicon.view
    if view is None or not topic or len(topic.split()) > 6:
        return None
    if len(topic.split()) == 1 and re.search(rf"\b{re.escape(topic)}\b", question, re.IGNORECASE):
        typed = re.search(rf"\b{re.escape(topic)}\b", question, re.IGNORECASE)
        if typed and _written_as_name(typed.group(0)):
            title = view.sole_title(topic)  # "VIDIM?": a name only one record uses
            if title:
                return title
    joined = "".join(topic.split()) if 1 < len(topic.split()) <= 3 else ""  # "dreambooth 3d", "cat 3d": one word in the title
    found = None
    for text in dict.fromkeys(t for t in (topic, joined, _expanded(topic, lexicon)) if t):
        found = view.find_title(text)
        if found and found[1] >= 1.0:
            break
    if not found or found[1] < 1.0:
        return view.near_title(topic)  # "the bilateral silver thing": one word of a title mistyped, the rest as written
    title_words = set(re.split(r"[\s-]+", without_filler(found[0])))
    asked = set(re.split(r"[\s-]+", f"{topic} {joined} {_expanded(topic, lexicon)}"))
    covered = len(asked & title_words) / max(1, len(title_words))
    typed = [w for w in re.findall(r"[A-Za-z][\w-]*", question) if w.lower() in asked]
    named = any(_written_as_name(w) for w in typed) or (len(typed) >= 2 and all(w[0].isupper() for w in typed))
    common = all(
        view.frequency(w) >= COMMON_IN for w in re.split(r"[\s-]+", topic) if w and not view.is_stopword(w)
    )  # "text-to-3d generation": a topic
    head = found[0].split(":")[0].strip().lower() if ":" in found[0] else ""  # "dreamfusion": the name before a title's colon
    by_head = bool(head) and head in (topic.lower(), joined.lower())
    if covered >= 1.0 or named or by_head or SINGLE_CUE.search(question.lower()) or (covered >= 0.5 and not common):
        return found[0]
    return None


RELATIVE = re.compile(  # "papers after DreamFusion", "from the same year as VDM", "by the first author of ReconFusion"
    r"\b(?P<rel>after|before|prior\s+to|older\s+than|newer\s+than|earlier\s+than|later\s+than|(?:from\s+|in\s+)?the\s+same\s+year\s+as"
    r"|(?:by|with|from)\s+the\s+(?:first|lead|main)\s+author\s+of|(?:by|with|from)\s+the\s+(?:authors|people|team)\s+(?:of|behind))"
    r"\s+(?:the\s+)?(?P<t>(?!(?:19|20)\d\d\b|this\b|last\b|then\b|that\b|it\b|them\b|start\b|beginning\b|end\b|or\b|and\b|he\b|she\b|they\b|we\b|i\b|you\b)[a-z][\w:'-]*(?:\s+[\w][\w:'-]*){0,7}?)(?:\s+(?:paper|one|thing|work))?(?=\s*(?:[?,.!;)]|$)|\s+(?:and|but|with|from|in|by|that|which|who)\b)",
    re.IGNORECASE,
)


def relative_to_paper(text: str, lexicon: Lexicon) -> str:
    """Dates and people given by a paper the question names, written as the filters they are ("papers after
    DreamFusion" -> "papers after 2022-09-29"); the text unchanged when the words name no paper."""
    view = lexicon.view
    if view is None or not RELATIVE.search(text) or re.match(r"\W*(?:was|were|did|is|does|has|came)\b", text, re.IGNORECASE):
        return text  # "was VDM out before the score SDE paper?": two papers compared, not a filter

    def rewrite(m: re.Match[str]) -> str:
        if re.search(r"\b(?:before|after|earlier|later)\s+or\s+$", text[max(0, m.start() - 16) : m.start()], re.IGNORECASE):
            return m.group(0)  # "was Imagen Video before or after DreamFusion?": two papers compared, no filter
        title = resolve_title(m.group("t"), lexicon)
        facts = view.dated_authors(title) if title else None
        if facts is None:
            return m.group(0)
        date, authors = facts
        rel = " ".join(m.group("rel").lower().split())
        if rel in ("after", "newer than", "later than"):
            return f"after {date.isoformat()}"
        if rel in ("before", "prior to", "older than", "earlier than"):
            return f"before {date.isoformat()}"
        if "same year" in rel:
            return f"in {date.year}"
        people = authors[:1] if re.search(r"first|lead|main", rel) else authors
        return "by " + " or ".join(people) if people else m.group(0)

    return RELATIVE.sub(rewrite, text)

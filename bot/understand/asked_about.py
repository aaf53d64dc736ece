"""Questions about one thing the text names: "what is VIDIM", "abstract of VeLO", "who wrote Imagen Video?",
"who is Surya Ganguli", "dreamfusion code".

The named words become the paper they title, the person they name, or, when they name neither, the topic of a
search said so ("no paper is titled ..."). A request for papers or a table in the same words is not a lookup.
"""

from __future__ import annotations

import re
from typing import Literal

from .authors import _blank, person_named
from .filters import Parser, _strip_target
from .lexicon import Lexicon
from .lookup import resolve_title
from .notes import note
from .patterns import (
    ASKS_FOR_PAPERS,
    BREAKDOWN,
    COAUTHOR_NOUN,
    COAUTHOR_VERB,
    COUNT,
    DETAIL_OF,
    FILTER_START,
    KNOWN_BY,
    LOOKUP,
    LOOKUP_TERSE,
    ORDER_WORDS,
    PAPER_NOUN,
    PAPERS_NOUN,
    without_filler,
)

WHO_IS = re.compile(r"^\s*(?:so\s+|ok\s+)?who(?:'?s|\s+is)\s+")
_THEN_ASKED = re.compile(  # "Surya Ganguli and how many papers do they share": the card answers the rest
    r"\s*(?:[,;:?!(—–]|\s-+|\band\b|&|\+|\blike\b)+\s*(?:how\s+many|(?:which|what)\s+(?:papers|ones|works|stuff|did|has|have|does|do)"
    r"|do|does|did|has|have|his|her|their|shared|joint|papers?|list|any\s+papers)\b.*$",
    re.IGNORECASE,
)


def _person_asked(target: str, lexicon: Lexicon) -> str | None:
    """The person a "who is ..." / "tell me about ..." names before a role or a question the author card answers."""
    return person_named(_THEN_ASKED.sub("", target).strip(), lexicon)


def read_asked_about(p: Parser, low: str, lexicon: Lexicon) -> Literal["answered", "fell back", ""]:
    """Read "what is X" / "abstract of X" / "who is X": answered when X names a paper or a person, "fell back" when
    X names neither and becomes the topic (``p.low`` keeps only its words), "" when it is no lookup."""
    q = p.query
    for pattern, detail in LOOKUP:
        m = pattern.match(low)
        if m:
            group = next(g for g in ("t", "t2", "t3") if g in pattern.groupindex and m.group(g))
            target = _strip_target(p.orig[m.start(group) : m.end(group)])
            tail = KNOWN_BY.search(target.lower())
            if tail and person_named(tail.group("name"), lexicon):  # "the patch gaussian paper by Dong Yin": the title before it
                target = _strip_target(target[: tail.start()])
            if not without_filler(target.lower()) or (
                detail == ""
                and (ASKS_FOR_PAPERS.match(target.lower()) or not without_filler(ORDER_WORDS.sub(" ", target.lower())))
            ):  # "list all authors", "who are the authors": no title named
                break  # "what's the most recent paper", "what papers ...": a search, not a title
            raw = p.orig[m.start(group) : m.end(group)].lower()
            raw = re.sub(
                r"\s+one\s*$", "", raw
            )  # "the abstract of the gumbel one", "tell me about the synaptic intelligence one"
            asked = _person_asked(target, lexicon) if detail == "" and pattern is LOOKUP[-1][0] else None
            if asked and asked == lexicon.owner_key and not lexicon.profile_owners and WHO_IS.match(low):
                q.intent = "profile"  # "Who is Ben Poole?": the profile's owner, so the profile
                return "answered"
            if asked:  # "who is Surya Ganguli and how many papers do they share": the author card says both
                q.intent, q.target = "author", asked
                return "answered"
            if detail == "" and (
                ORDER_WORDS.search(raw)
                or PAPERS_NOUN.search(raw)
                or FILTER_START.match(raw)
                or BREAKDOWN.search(raw)
                or COAUTHOR_NOUN.search(raw)
                or (COAUTHOR_VERB.search(low) and not person_named(target, lexicon))  # "who is most working with him"
            ):  # "what was his slowest year": a table; "who's his closest collaborator": people; not a title
                break  # "what's the earliest NeRF paper", "what are his papers on GANs": a search, not a title
            inner = DETAIL_OF.match(target)
            if inner:  # "what is the abstract of VeLO", "the url of the dreamfusion paper"
                kind = inner.group(1).lower()
                detail = (
                    "authors"
                    if kind.startswith("author")
                    else "date"
                    if kind in ("date", "year", "dates", "years")
                    else "code"
                    if kind == "code"
                    else "abstract"
                    if kind in ("abstract", "summary", "abstracts", "summaries")
                    else "link"
                    if kind.rstrip("s") in ("url", "link", "pdf")
                    else ""
                )
                target = _strip_target(inner.group(2))
            person = person_named(target, lexicon)
            own = lexicon.view.sole_paper_of(person) if person and lexicon.view is not None else None
            if own and (detail not in ("", "authors") or re.search(r"\b(?:paper|one)\b", raw)):
                q.intent, q.target, q.detail = "paper", own, detail  # "abstract of the Zenke paper": his one paper
                return "answered"
            if person and detail in ("", "authors"):
                q.intent, q.target = "author", person
                return "answered"
            title = resolve_title(target, lexicon)
            if title or lexicon.view is None:
                q.intent, q.target, q.detail = "paper", title or target, detail
                return "answered"
            if PAPER_NOUN.search(target.lower()) or COUNT.search(low):
                break  # "what are his papers on GANs", "what is the number of ...": a question, not a title
            q.notes.append(note("no paper is titled “{}”; showing papers about it", target))
            p.low = _blank(p.low, 0, len(p.low))
            p.low = (" " * m.start(group)) + p.orig[m.start(group) : m.end(group)].lower() + " " * (len(p.low) - m.end(group))
            return "fell back"
    return ""


def read_terse_lookup(p: Parser, low: str, lexicon: Lexicon) -> bool:
    """ "dreamfusion code", "velo abstract": a title then the detail asked; True when the words name a paper."""
    q = p.query
    for pattern, detail in LOOKUP_TERSE:
        m = pattern.match(low)
        group = "t" if m and m.group("t") else "t2"
        raw = m.group(group) if m else ""
        topic_word = detail == "code" and len(raw.split()) == 1 and lexicon.frequency(raw) > 1  # "nerf code": papers, not one
        title = (
            resolve_title(_strip_target(p.orig[m.start(group) : m.end(group)]), lexicon)
            if m and not (PAPERS_NOUN.search(raw) or FILTER_START.match(raw) or ORDER_WORDS.search(raw) or topic_word)
            else None
        )
        if title:
            q.intent, q.target, q.detail = "paper", title, detail
            return True
    return False

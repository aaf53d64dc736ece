"""Words typed apart that the corpus writes as one: "re con fusion", "un rolled gans", "e l b o", "m l category".

Voice typing and habit split names into pieces ("dream booth 3d", "auto regressive"), and spelled-out
acronyms come as letters ("v d m"). Read apart, the pieces were unknown topic words; joined, they name
the paper, the acronym or the category the corpus holds. A run is joined only when the whole is a word
some record spells so (or an acronym or category code), no everyday English word, and some piece is a word
no record holds; so "with out", "any one" and "ruiqi gao" stay apart. A name whose apostrophe was left out
("bens papers") is read as the possessive it is.
"""

from __future__ import annotations

import re
from itertools import pairwise

from bot.categories import CATEGORY_NAMES

from .lexicon import Lexicon
from .spelling import common_english

_TOKEN = re.compile(r"[A-Za-z]+\d*[A-Za-z]*|\d+[A-Za-z]+")
_CODES = frozenset(code.lower() for code in CATEGORY_NAMES)
SPOKEN_END = re.compile(  # dictated punctuation: "gumball softmax period", "who are his coauthors question mark"
    r"(?<!\bthat)(?<!\bthis)(?<!\bthe)(?<!\bsame)(?<!\btime)(?<!\bwhole)"  # "in that period" is a time, not a full stop
    r"\s+(?:question\s+mark|period|full\s+stop|exclamation\s+(?:mark|point)|comma)\s*[?.!]*\s*$",
    re.IGNORECASE,
)
MIN_JOINED = 5  # letters: shorter joins ("on" + "e") are words typed apart on purpose ("sim vs" is SimVS)


_PLURAL_NAME = re.compile(r"\b([A-Za-z]{3,})s\b(?!')")


def possessive_names(text: str, lexicon: Lexicon) -> str:
    """ "bens papers", "lukes h-index": a first name or surname with its apostrophe left out is that person's."""
    people = lexicon.people
    if not any(w in people.possessives for w in re.findall(r"[a-z]+s\b", text.lower())):
        return text

    def owned(m: re.Match[str]) -> str:
        name, whole = m.group(1).lower(), m.group(0).lower()
        known = name in people.first_names or name in people.surname
        if (
            not known
            or whole in people.first_names
            or whole in people.surname
            or lexicon.frequency(whole)
            or common_english(whole)
        ):
            return m.group(0)
        return f"{m.group(1)}'s"

    return _PLURAL_NAME.sub(owned, text) if lexicon.view is not None else text


def joined_words(text: str, lexicon: Lexicon) -> str:
    """``text`` with runs of 2-4 space-separated pieces joined where the corpus knows the whole."""
    if lexicon.view is None or " " not in text:
        return text
    text = SPOKEN_END.sub("", text)
    tokens = list(_TOKEN.finditer(text))
    words = [m.group(0) for m in tokens]
    letter = [len(w) == 1 and w.isalpha() for w in words]
    # a run is worth trying only when all its pieces are letters, or one of them is no word of the corpus
    view = lexicon.view
    unknown = [not one and not view.written(w.lower()) for w, one in zip(words, letter, strict=True)]  # as spelled
    pieces: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tokens):
        for size in (4, 3, 2):
            end = i + size
            if end > len(tokens) or any(text[a.end() : b.start()] != " " for a, b in pairwise(tokens[i:end])):
                continue
            spelled = all(letter[i:end])
            if not spelled and (any(letter[i:end]) or not any(unknown[i:end])):
                continue  # "self guidance": every piece a corpus word, meant apart
            if _joinable(words[i:end], spelled, lexicon):
                pieces.append((tokens[i].start(), tokens[end - 1].end(), "".join(words[i:end])))
                i = end
                break
        else:
            i += 1
    for start, stop, whole in reversed(pieces):
        text = text[:start] + whole + text[stop:]
    return text


def _joinable(words: list[str], spelled: bool, lexicon: Lexicon) -> bool:
    """Is the run one word of the corpus: an acronym or code spelled out, or a word no everyday English, no name?"""
    whole = "".join(words).lower()
    if spelled:  # "e l b o", "v d m", "m l": letters spelled out
        if words[0].lower() in ("a", "i") and len(words) == 2:
            return False  # "a b", "i d": an article or "I" before a letter, not an acronym
        return whole in lexicon.acronyms or whole in _CODES or bool(lexicon.view and lexicon.view.written(whole))
    if len(whole) < MIN_JOINED or not (lexicon.view and lexicon.view.written(whole)) or common_english(whole):
        return False
    people = lexicon.people
    return not any(w.lower() in people.first_names or w.lower() in people.surname for w in words)  # "ruiqi gao": a name

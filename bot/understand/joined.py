"""Words typed apart that the corpus writes as one: "re con fusion", "un rolled gans", "e l b o", "m l category".

Voice typing and habit split names into pieces ("dream booth 3d", "auto regressive"), and spelled-out
acronyms come as letters ("v d m"). Read apart, the pieces were unknown topic words; joined, they name
the paper, the acronym or the category the corpus holds. A run is joined only when the whole is a word
some record spells so (or an acronym or category code), no everyday English word, and some piece is a word
no record holds; so "with out", "any one" and "ruiqi gao" stay apart.
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
    r"\s+(?:question\s+mark|period|full\s+stop|exclamation\s+(?:mark|point)|comma)\s*[?.!]*\s*$", re.IGNORECASE
)
MIN_JOINED = 5  # letters: shorter joins ("on" + "e") are words typed apart on purpose ("sim vs" is SimVS)


_PLURAL_NAME = re.compile(r"\b([A-Za-z]{3,})s\b(?!')")


def possessive_names(text: str, lexicon: Lexicon) -> str:
    """ "bens papers", "lukes h-index": a first name or surname with its apostrophe left out is that person's."""
    people = lexicon.people

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
    pieces: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tokens):
        for size in (4, 3, 2):
            run = tokens[i : i + size]
            if len(run) < size or any(text[a.end() : b.start()] != " " for a, b in pairwise(run)):
                continue
            words = [m.group(0) for m in run]
            if _joinable(words, lexicon):
                pieces.append((run[0].start(), run[-1].end(), "".join(words)))
                i += size
                break
        else:
            i += 1
    for start, end, whole in reversed(pieces):
        text = text[:start] + whole + text[end:]
    return text


def _joinable(words: list[str], lexicon: Lexicon) -> bool:
    whole = "".join(words).lower()
    if all(len(w) == 1 and w.isalpha() for w in words):  # "e l b o", "v d m", "m l": letters spelled out
        if words[0].lower() in ("a", "i") and len(words) == 2:
            return False  # "a b", "i d": an article or "I" before a letter, not an acronym
        return whole in lexicon.acronyms or whole in _CODES or bool(lexicon.view and lexicon.view.written(whole))
    if any(len(w) == 1 for w in words) or len(whole) < MIN_JOINED or common_english(whole):
        return False
    people = lexicon.people
    if all(lexicon.frequency(w) for w in words) or any(
        w.lower() in people.first_names or w.lower() in people.surname for w in words
    ):
        return (
            False  # "self guidance": every piece is a corpus word; "ruiqi gao": a name (its URL "ruiqigao.github.io" is no word)
        )
    return bool(lexicon.view and lexicon.view.written(whole))

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
_SPOKEN_D = re.compile(r"\b(two|three|four|2|3|4)\s+d\b", re.IGNORECASE)  # "cat three d", "text to 3 d": 3d
_DIGITS = {"two": "2", "three": "3", "four": "4"}
LETTER_NAMES = {  # letters as dictation writes them: "vee ay ee" is VAE
    "ay": "a", "bee": "b", "cee": "c", "see": "c", "dee": "d", "ee": "e", "ef": "f", "eff": "f", "gee": "g",
    "aitch": "h", "eye": "i", "jay": "j", "kay": "k", "el": "l", "ell": "l", "em": "m", "en": "n", "oh": "o",
    "pee": "p", "cue": "q", "ar": "r", "are": "r", "ess": "s", "tee": "t", "you": "u", "vee": "v", "ex": "x",
    "why": "y", "zee": "z", "zed": "z",
}  # fmt: skip
_PLAIN_WORDS = frozenset(["see", "eye", "oh", "are", "you", "why", "bee", "pee", "cue", "ex", "el", "en", "ay"])


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
    text = _SPOKEN_D.sub(lambda m: _DIGITS.get(m.group(1).lower(), m.group(1)) + "d", text)
    text = _letters_named(text, lexicon)
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
            trailing = not letter[i] and all(letter[i + 1 : end])  # "sim v s": a word and the letters after it
            if not spelled and not trailing and (any(letter[i:end]) or not any(unknown[i:end])):
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


def _letters_named(text: str, lexicon: Lexicon) -> str:
    """Runs of letter names ("vee ay ee", "dee pee em") as the letters they spell, when those make an acronym or a
    category code of the corpus and some name is no everyday word ("see you" stays)."""
    words = list(re.finditer(r"[A-Za-z]+", text))
    out = text
    runs: list[tuple[int, int]] = []
    start = None
    for k, m in enumerate([*words, None]):
        named = (
            m is not None
            and m.group(0).lower() in LETTER_NAMES
            and (start is None or text[words[k - 1].end() : m.start()] == " ")
        )
        if named and start is None:
            start = k
        elif not named and start is not None:
            runs.append((start, k))
            start = k if m is not None and m.group(0).lower() in LETTER_NAMES else None
    for a, b in reversed(runs):
        names = [w.group(0).lower() for w in words[a:b]]
        letters = [LETTER_NAMES[n] for n in names]
        if len(names) >= 2 and any(n not in _PLAIN_WORDS for n in names) and _joinable(letters, True, lexicon):
            out = out[: words[a].start()] + "".join(letters) + out[words[b - 1].end() :]
    return out


def _joinable(words: list[str], spelled: bool, lexicon: Lexicon) -> bool:
    """Is the run one word of the corpus: an acronym or code spelled out, or a word no everyday English, no name?"""
    whole = "".join(words).lower()
    if spelled:  # "e l b o", "v d m", "m l": letters spelled out
        if words[0].lower() in ("a", "i") and len(words) == 2:
            return False  # "a b", "i d": an article or "I" before a letter, not an acronym
        view = lexicon.view  # "a r d m": the corpus writes "ARDMs"
        return whole in lexicon.acronyms or whole in _CODES or bool(view and (view.written(whole) or view.written(whole + "s")))
    if len(whole) < MIN_JOINED or not (lexicon.view and lexicon.view.written(whole)) or common_english(whole):
        return False
    people = lexicon.people
    return not any(w.lower() in people.first_names or w.lower() in people.surname for w in words)  # "ruiqi gao": a name

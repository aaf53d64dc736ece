"""Spelling suggestions for topic words, drawn from the index's own vocabulary.

Only edits that a typing hand makes are tried: a letter dropped, doubled or added, two letters
swapped, a key replaced by a neighbouring key, or (in a long word) a vowel by another. "difusion" -> "diffusion", but "folding" is not
turned into "holding" (f and h are not neighbours), so a topic absent from the corpus stays absent. A common English
word ("later", "asked", "table") is never a typo, whatever corpus word it is one slip from (wordfreq's frequencies).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from wordfreq import zipf_frequency

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_POS = {c: (r, i) for r, row in enumerate(_ROWS) for i, c in enumerate(row)}
NEIGHBOURS: dict[str, str] = {
    c: "".join(o for o, (r2, i2) in _POS.items() if o != c and abs(r2 - r) <= 1 and abs(i2 - i) <= 1)
    for c, (r, i) in _POS.items()
}
LETTERS = "abcdefghijklmnopqrstuvwxyz"
VOWELS = "aeiouy"
LONG_ENOUGH_FOR_VOWELS = 7  # shorter words have too many neighbours one vowel away ("model"/"modal")
MAX_WORD = 24  # longer "words" are no typos of a real one, and their edits would take milliseconds
COMMON_ENGLISH = 4.0  # Zipf frequency (4 = once per 100,000 words): "later", "asked", "table" are words, not typos
EVERYDAY_ENGLISH = 5.0  # once per 10,000 words: "will", "mark" are words first; "jonathan" (4.3) is a name
REAL_ENGLISH = 3.0  # a word English writers use at all ("skibidi", "bussin", Spanish "amigos" are not)


@lru_cache(maxsize=8192)
def common_english(word: str, zipf: float = COMMON_ENGLISH) -> bool:
    """A word English writers use often: never "corrected" into a corpus word ("later" is no typo of "layer")."""
    return zipf_frequency(word, "en") >= zipf


def typo_edits(word: str) -> set[str]:
    """Words one typing slip away from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    inserts = {a + c + b for a, b in splits for c in LETTERS}
    replaces = {a + c + b[1:] for a, b in splits if b for c in NEIGHBOURS.get(b[0], "")}
    if len(word) >= LONG_ENOUGH_FOR_VOWELS:  # "adverserial": a vowel written as it sounds, in a long word
        replaces |= {a + c + b[1:] for a, b in splits if b and b[0] in VOWELS for c in VOWELS}
    return (deletes | swaps | inserts | replaces) - {word}


def suggest(word: str, frequency: Callable[[str], int], min_length: int = 4) -> str | None:
    """The most frequent word one slip away (``frequency`` 0 means unknown), or None.

    Short words and words with digits are left alone.
    """
    if len(word) < min_length or len(word) > MAX_WORD or not word.isalpha() or frequency(word) > 0 or common_english(word):
        return None
    scored = [(frequency(w), w) for w in typo_edits(word)]
    best = max(scored, default=(0, ""))
    return best[1] if best[0] > 0 else None

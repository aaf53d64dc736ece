"""Author-name normalisation: one key per person however the source spells the name.

"Aäron van den Oord" and "Aaron van den Oord" are one person, so are "Alexander A Alemi" and
"Alexander A. Alemi": the key folds accents, case, dots and spacing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lowercase ASCII transliteration (accents and ligatures folded)."""
    if not text.isascii():
        text = unidecode(unicodedata.normalize("NFC", text))
    return text.lower()


@lru_cache(maxsize=1 << 20)  # a corpus repeats its authors' names; a million records name far fewer people
def name_key(name: str) -> str:
    """The matching key of an author name: folded, dots and hyphens as spaces, single-spaced."""
    return " ".join(_NON_WORD.sub(" ", fold(name)).split())


def clean_display(name: str) -> str:
    """A display form: single spaces, no stray punctuation at the ends."""
    if name.isprintable() and "  " not in name and name[:1] not in " ,;" and name[-1:] not in " ,;":
        return name  # already clean: the usual case, and a million records repeat it
    return " ".join(name.replace("\u00a0", " ").split()).strip(" ,;")


def display_score(name: str) -> tuple[int, int, int]:
    """Rank spellings of one person: prefer accents kept, initials dotted, then longer."""
    return (int(not name.isascii()), name.count("."), len(name))

"""Does a text name one paper? The understanding layer decides, so answering only answers.

A title is named by its own words (exactly, or enough of them), by its acronym's expansion ("Unrolled
GANs" -> "Unrolled Generative Adversarial Networks"), by a distinctive part ("gumbel softmax"), or by
a name the paper gives itself in its abstract ("VIDIM": a capitalised word only one record holds).
Record ids are read exactly as the bot prints them ("pef66d85688").
"""

from __future__ import annotations

import re

from .lexicon import Lexicon
from .patterns import without_filler

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
    tried: list[str] = []
    for text in (target, content, _expanded(content, lexicon)):
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
            named = any(c.isupper() for c in written[1:]) or written.isupper() or any(c.isdigit() for c in written)
            title = view.sole_title(word) if named or len(words) == 1 else None
            if title and (named or word in title.lower()):
                return title
    return None

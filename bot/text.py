"""Folding and word splitting: the one way text becomes words, for record keys and the search index.

It sits below both: records use it for title keys (de-duplication), the tokenizer builds index terms
on it, and question understanding spells Greek letters out the same way.
"""

from __future__ import annotations

import re

from bot.names import fold

GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
    "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi",
    "π": "pi", "ρ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi",
    "χ": "chi", "ψ": "psi", "ω": "omega",
}  # fmt: skip
_GREEK_RE = re.compile("[" + "".join(GREEK) + "]")
# Bytes translation table: keep [a-z0-9], everything else becomes a space. translate + split is
# several times faster than a regex findall, which matters when a million abstracts are indexed.
_KEEP = bytes(c if (48 <= c <= 57 or 97 <= c <= 122) else 32 for c in range(256))


def fold_text(text: str) -> str:
    """Lowercase ASCII text with Greek letters spelled out as words."""
    text = text.lower()
    if not text.isascii():
        text = _GREEK_RE.sub(lambda m: f" {GREEK[m.group(0)]} ", text)
        text = fold(text)
    return text


def ascii_folded(text: str) -> bytes:
    """The text folded (``fold_text``) to ASCII bytes: what words are split from."""
    return fold_text(text).encode("ascii", "ignore")


def words(text: str) -> list[str]:
    """Surface words of a text (folded, split at every non-alphanumeric character)."""
    return ascii_folded(text).translate(_KEEP).decode("ascii").split()


_LINK = re.compile(r"\b(?:https?://[\w.-]+(?:/[\w./~%#?=&+-]*)?|[\w-]+(?:\.[\w-]+)*\.github\.io(?:/[\w./~-]*)?)", re.IGNORECASE)


def links_in(text: str) -> list[str]:
    """The web addresses a text gives ("Code: http://github.com/HobbitLong/PyContrast", "velo-code.github.io"), as full
    URLs without trailing punctuation: where "where's the code?" is answered when an abstract says so."""
    found: list[str] = []
    for m in _LINK.finditer(text):
        url = m.group(0).rstrip(".,;:)")
        url = url if url.lower().startswith("http") else f"https://{url}"
        if url not in found:
            found.append(url)
    return found

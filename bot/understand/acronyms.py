"""Acronyms and their expansions, mined from the corpus's own text: "Neural Radiance Fields (NeRFs)".

An acronym is kept when its capitals are the initials of the words before the parenthesis (small
words like "of" may sit between), so "(NeRF)" after "neural radiance fields" pairs them and
"(see Fig. 2)" pairs nothing. The pairs let a question say either form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_PAREN = re.compile(r"((?:[A-Za-z][\w-]*\s+){1,8})\(([A-Za-z][A-Za-z0-9-]{1,11}?)s?\)")
_SMALL = {"of", "and", "for", "the", "a", "an", "to", "in", "on", "with", "by"}
# acronyms every reader of the field knows, for a corpus that uses one form without ever spelling out the pair
WELL_KNOWN: dict[str, tuple[str, ...]] = {
    "vae": ("variational", "autoencoder"), "sds": ("score", "distillation", "sampling"), "rl": ("reinforcement", "learning"),
    "llm": ("large", "language", "model"), "cnn": ("convolutional", "neural", "network"), "elbo": ("evidence", "lower", "bound"),
    "ddpm": ("denoising", "diffusion", "probabilistic", "model"), "vib": ("variational", "information", "bottleneck"),
    "gnn": ("graph", "neural", "network"), "vit": ("vision", "transformer"), "nlp": ("natural", "language", "processing"),
    "gp": ("gaussian", "process"), "ode": ("ordinary", "differential", "equation"), "mcmc": ("markov", "chain", "monte", "carlo"),
    "nerf": ("neural", "radiance", "field"), "gan": ("generative", "adversarial", "network"),
}  # fmt: skip


def _expansion(before: str, acronym: str) -> tuple[str, ...] | None:
    letters = [c.lower() for c in acronym if c.isupper()]
    if len(letters) < 2:
        return None
    words = [w.lower() for w in re.split(r"[\s-]+", before.strip()) if w]
    picked: list[str] = []
    i = len(words) - 1
    for letter in reversed(letters):
        while i >= 0 and words[i] in _SMALL and words[i][0] != letter:
            i -= 1
        if i < 0 or words[i][0] != letter:
            return None
        picked.append(words[i])
        i -= 1
    return tuple(reversed(picked))


def with_well_known(found: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """The mined pairs, plus the well-known ones the corpus did not spell out (a mined pair wins)."""
    return {**WELL_KNOWN, **found}


def mine_acronyms(texts: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Lowercased acronym -> expansion words, from "Long Form Words (LFW)" in ``texts``."""
    found: dict[str, tuple[str, ...]] = {}
    for text in texts:
        if "(" not in text:
            continue
        for m in _PAREN.finditer(text):
            acronym = m.group(2)
            expansion = _expansion(m.group(1), acronym)
            if expansion:
                key = acronym.lower().rstrip("s") if acronym.endswith("s") and acronym[:-1].isupper() else acronym.lower()
                found.setdefault(key, expansion)
    return found

"""arXiv category codes and names, both ways, so "computer vision papers" and "CV papers" agree.

Records store the short code used on profile pages (``LG``, ``CV``); arXiv codes such as ``cs.LG``
map to it. ``ML`` is stat.ML, as on the profile page.
"""

from __future__ import annotations

from functools import lru_cache

CATEGORY_NAMES: dict[str, str] = {
    "AI": "artificial intelligence",
    "AR": "hardware architecture",
    "CC": "computational complexity",
    "CE": "computational engineering",
    "CG": "computational geometry",
    "CL": "computation and language",
    "CR": "cryptography and security",
    "CV": "computer vision",
    "CY": "computers and society",
    "DB": "databases",
    "DC": "distributed computing",
    "DL": "digital libraries",
    "DM": "discrete mathematics",
    "DS": "data structures and algorithms",
    "ET": "emerging technologies",
    "FL": "formal languages",
    "GL": "general literature",
    "GR": "graphics",
    "GT": "game theory",
    "HC": "human-computer interaction",
    "IR": "information retrieval",
    "IT": "information theory",
    "LG": "machine learning",
    "LO": "logic in computer science",
    "MA": "multiagent systems",
    "MM": "multimedia",
    "MS": "mathematical software",
    "NA": "numerical analysis",
    "NE": "neural and evolutionary computing",
    "NI": "networking and internet architecture",
    "OS": "operating systems",
    "PF": "performance",
    "PL": "programming languages",
    "RO": "robotics",
    "SC": "symbolic computation",
    "SD": "sound",
    "SE": "software engineering",
    "SI": "social and information networks",
    "SY": "systems and control",
    "ML": "statistical machine learning",
    "NC": "neurons and cognition",
}

# Other ways people name a category in a question; the canonical names above are included below.
_ALIASES: dict[str, str] = {
    "vision": "CV",
    "computer vision and pattern recognition": "CV",
    "pattern recognition": "CV",
    "nlp": "CL",
    "natural language processing": "CL",
    "stat ml": "ML",
    "statistics": "ML",
    "stats": "ML",
    "neural computing": "NE",
    "evolutionary computing": "NE",
    "neuroscience": "NC",
    "crypto": "CR",
    "security": "CR",
    "hci": "HC",
}

NAME_TO_CODE: dict[str, str] = {name: code for code, name in CATEGORY_NAMES.items()} | _ALIASES

# arXiv archive prefixes whose subject class maps onto our short codes.
_PREFIX_MAP = {"cs": "", "stat": "", "q-bio": ""}


@lru_cache(maxsize=4096)  # a corpus repeats a few dozen category spellings
def normalize_category(raw: str) -> str:
    """Map ``cs.LG``, ``stat.ML``, ``lg`` or ``machine learning`` to a short code; unknown codes pass through uppercased."""
    text = raw.strip()
    if not text:
        return ""
    low = text.lower()
    if low in NAME_TO_CODE:
        return NAME_TO_CODE[low]
    if "." in text:
        prefix, _, sub = text.partition(".")
        if prefix.lower() in _PREFIX_MAP and sub.upper() in CATEGORY_NAMES:
            return sub.upper()
        return text
    return text.upper()


def category_name(code: str) -> str:
    """Human name of a code, or the code itself when unknown."""
    return CATEGORY_NAMES.get(code, code)

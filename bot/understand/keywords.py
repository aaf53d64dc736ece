"""Misspelt question words put right before parsing: "wich year", "hw many", "papres", "shw me".

The phrasings the parser looks for ("how many", "which year", "papers by") fail on one slip of the
hand, and the slipped word then became a topic word. A word no record holds and no author is called,
one edit (or one swap) from a question word, is read as that word. Short chat forms ("hw", "abt")
have an explicit reading.
"""

from __future__ import annotations

import re

from rapidfuzz import process
from rapidfuzz.distance import OSA

from . import dates, missing, patterns
from .lexicon import Lexicon
from .spelling import common_english
from .wordlists import CHATTER

KEYWORDS = sorted(
    set(
        [
            "which",
            "what",
            "when",
            "where",
            "whose",
            "how",
            "many",
            "much",
            "show",
            "list",
            "find",
            "papers",
            "paper",
            "articles",
            "article",
            "publications",
            "year",
            "years",
            "most",
            "least",
            "fewest",
            "newest",
            "latest",
            "oldest",
            "earliest",
            "recent",
            "recently",
            "about",
            "between",
            "after",
            "before",
            "since",
            "until",
            "coauthors",
            "collaborators",
            "coauthored",
            "authors",
            "author",
            "category",
            "categories",
            "code",
            "published",
            "wrote",
            "written",
            "number",
            "count",
            "total",
            "please",
            "abstract",
            "summary",
            "cite",
            "citation",
            "bibtex",
            "similar",
            "related",
            "without",
            "except",
            "per",
            "each",
            "every",
            "have",
            "does",
            "give",
            "tell",
            "first",
            "last",
            "only",
            "with",
            "order",
            "forget",
            "remove",
            "drop",
            "next",
            "previous",
            "page",
            "again",
            "that",
            "those",
        ]
    )
)
SHORT = {
    "hw": "how",
    "wht": "what",
    "abt": "about",
    "yr": "year",
    "yrs": "years",
    "w/o": "without",
    "w/": "with",
    "bc": "because",
    "teh": "the",
    "hte": "the",
    "oen": "one",
    "onse": "ones",
    "oens": "ones",
    "tht": "that",  # phone shorthand in follow-ups: "cite tht", "nxt pg agn", "which r cv", "how mny"
    "thts": "that's",
    "nxt": "next",
    "pg": "page",
    "pgs": "pages",
    "prev": "previous",
    "agn": "again",
    "hav": "have",
    "mny": "many",
    "nw": "now",
    "r": "are",
    "u": "you",
    "frst": "first",
    "scnd": "second",
    "thrd": "third",
}
_WORD = re.compile(r"(?<![\w/])[A-Za-z]+(?![\w/])")


def _pattern_words() -> frozenset[str]:
    """Every word the parser's own phrasings spell ("last", "till", "cited"): never "corrected" into another."""
    found: set[str] = set(patterns.FILLER) | set(CHATTER) | set(dates.NUMBER_WORDS)
    for module in (patterns, dates, missing):
        for value in vars(module).values():
            source = value.pattern if isinstance(value, re.Pattern) else value if isinstance(value, str) else ""
            found.update(re.findall(r"[a-z]{3,}", source))
        for value in getattr(module, "DATE_PATTERNS", []):
            found.update(re.findall(r"[a-z]{3,}", value[0].pattern))
    return frozenset(found)


PARSER_WORDS = _pattern_words()


def fix_keywords(text: str, lexicon: Lexicon) -> tuple[str, dict[str, str]]:
    """The text with misspelt question words replaced, and what was replaced (typed -> read as)."""
    if lexicon.view is None:
        return text, {}
    fixes: dict[str, str] = {}

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        if low in SHORT and not (len(low) == 1 and (word.isupper() or text[m.end() : m.end() + 1] == ".")):  # "R. Wu"
            fixes[word] = SHORT[low]
            return SHORT[low]
        before = text[max(0, m.start() - 12) : m.start()].lower().split()
        if before and before[-1] in ("on", "about", "regarding", "concerning", "into", "re"):
            return word  # after "on"/"about" comes a topic word, not a question word: "papers on mist"
        if word[:1].isupper() and not word.isupper() and before and not re.search(r"[.?!:]\s*$", text[: m.start()]):
            return word  # capitalised mid-sentence: a name ("Chelsea Finn"), never a slip of "find"
        if (
            len(low) < 3
            or low in PARSER_WORDS
            or low in KEYWORDS
            or lexicon.frequency(low)
            or lexicon.view.is_stopword(low)
            or low in lexicon.people.surname
            or low in lexicon.people.first
            or common_english(low)  # "fine, the abstract then" is no slip of "find"
        ):
            return word
        found = process.extractOne(low, KEYWORDS, scorer=OSA.distance, score_cutoff=1)
        if found is None or found[0][0] != low[0] or lexicon.people.fuzzy(low, single=True):
            return word
        fixes[word] = found[0]
        return found[0]

    return _WORD.sub(fix, text), fixes

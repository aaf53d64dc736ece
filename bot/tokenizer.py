"""The one tokenizer for documents and questions: fold, split, drop stopwords, stem.

Greek letters become their names before folding ("β-VAE" -> "beta", "vae"), hyphenated words split
into their parts, and words are stemmed with Snowball English (PyStemmer) so "VAEs" finds "VAE".
Stems are cached per surface word: a corpus repeats its words, and the cache makes tokenizing a
large corpus a dictionary lookup per word.
"""

from __future__ import annotations

import re

import Stemmer

from .names import fold

STOPWORDS = frozenset(
    ["a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves", "also", "via", "using", "use", "used", "upon", "may", "might", "must", "shall", "etc"]
)

GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
    "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi",
    "π": "pi", "ρ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi",
    "χ": "chi", "ψ": "psi", "ω": "omega",
}  # fmt: skip
_GREEK_RE = re.compile("[" + "".join(GREEK) + "]")
WORD_RE = re.compile(r"[a-z0-9]+")
# Bytes translation table: keep [a-z0-9], everything else becomes a space. translate + split is
# several times faster than a regex findall, which matters when a million abstracts are indexed.
_KEEP = bytes(c if (48 <= c <= 57 or 97 <= c <= 122) else 32 for c in range(256))

_stemmer = Stemmer.Stemmer("english")
_stem_cache: dict[str, str] = {}


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


def analyze_word(word: str) -> str:
    """The index term of one folded word, or "" for a stopword or a lone letter."""
    term = _stem_cache.get(word)
    if term is None:
        dropped = word in STOPWORDS or (len(word) == 1 and not word.isdigit())
        term = "" if dropped else _stemmer.stemWord(word)
        if len(_stem_cache) < 2_000_000:
            _stem_cache[word] = term
    return term


def tokenize(text: str) -> list[str]:
    """Index terms of a text, in order, duplicates kept (BM25 counts them)."""
    return [t for t in map(analyze_word, words(text)) if t]

"""The one tokenizer for documents and questions: fold, split, drop stopwords, stem.

Greek letters become their names before folding ("β-VAE" -> "beta", "vae"), hyphenated words split
into their parts, and words are stemmed with Snowball English (PyStemmer) so "VAEs" finds "VAE".
Stems are cached per surface word: a corpus repeats its words, and the cache makes tokenizing a
large corpus a dictionary lookup per word.
"""

from __future__ import annotations

import re

import Stemmer

from bot.text import words

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "also",
        "via",
        "using",
        "use",
        "used",
        "upon",
        "may",
        "might",
        "must",
        "shall",
        "etc",
    ]
)

_stemmer = Stemmer.Stemmer("english")
_stem_cache: dict[str, str] = {}


# British spellings share the American term ("optimisers" ~ "optimizers", "behaviour" ~ "behavior"): the same rule
# on both sides, so an over-eager rewrite ("noise" -> "noize") only conflates nothing that differed
_BRITISH = (
    (re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|er|ers|ation|ations|ational)$"), r"iz\1"),
    (re.compile(r"(?<=[a-z]{2})ys(e|es|ed|ing|er|ers)$"), r"yz\1"),
    (re.compile(r"(?<=[a-z]{2})(?<=[ilvbmn])our(s|ed|ing|ite|ites|able)?$"), r"or\1"),
)


def american(word: str) -> str:
    """A folded word with British -ise/-yse/-our endings spelt the American way."""
    if len(word) > 5 and word[-1] in "sedgrln":
        for pattern, repl in _BRITISH:
            word = pattern.sub(repl, word)
    return word


def analyze_word(word: str) -> str:
    """The index term of one folded word, or "" for a stopword or a lone letter."""
    term = _stem_cache.get(word)
    if term is None:
        dropped = word in STOPWORDS or (len(word) == 1 and not word.isdigit())
        term = "" if dropped else _stemmer.stemWord(american(word))
        if len(_stem_cache) < 2_000_000:
            _stem_cache[word] = term
    return term


def tokenize(text: str) -> list[str]:
    """Index terms of a text, in order, duplicates kept (BM25 counts them)."""
    return [t for t in map(analyze_word, words(text)) if t]

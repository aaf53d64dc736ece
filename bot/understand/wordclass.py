"""Whether an English word is a thing's name: "music generation" asks about music; "gorgeous figures" about nothing.

A word no record holds, typed in a topic, is either what the asker wants (a noun: "music", "protein", "robot") or how
they feel about it (an adjective or slang: "gorgeous", "groovy", "bussin"). lemminflect's English lexicon (the one
spaCy's lemmatiser uses) knows each word's classes; a word it knows only as a noun, and English writers use, names a
topic the corpus may lack.
"""

from __future__ import annotations

from functools import lru_cache

from lemminflect import getAllLemmas, getLemma

from .spelling import REAL_ENGLISH, common_english


@lru_cache(maxsize=8192)
def names_a_thing(word: str) -> bool:
    """``word`` is an English noun and nothing that could describe or judge ("music", not "cool", "quantum" or "slap")."""
    if not word.isalpha() or not common_english(word, REAL_ENGLISH):
        return False
    classes = getAllLemmas(word)
    return set(classes) == {"NOUN"}


@lru_cache(maxsize=1024)
def base_verb(word: str) -> str:
    """ "telling" -> "tell", "removing" -> "remove": the verb a "would you mind ...ing" request asks for."""
    lemmas = getLemma(word.lower(), upos="VERB")
    return lemmas[0] if lemmas else word

"""Term ids for the index: surface word -> stem -> id, with a cache so a large corpus is a dict lookup per word."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import compress, repeat
from operator import is_

from .tokenizer import analyze_word

WORD_CACHE = 4_000_000  # surface words whose term id is remembered


class Vocabulary:
    """Index terms (stems) and their ids. Stopwords and lone letters map to no term."""

    def __init__(self, terms: Iterable[str] = (), surface: Iterable[str] = ()) -> None:
        self.terms: list[str] = list(terms)
        self.ids: dict[str, int] = {t: i for i, t in enumerate(self.terms)}
        self.surface: set[str] = set(surface)  # every indexed word as written (folded), for spelling
        self._word_ids: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.terms)

    def _resolve(self, word: str, grow: bool) -> int:
        term = analyze_word(word)
        if not term:
            tid = -1
        elif term in self.ids:
            tid = self.ids[term]
            if grow:
                self.surface.add(word)
        elif grow:
            self.surface.add(word)
            tid = self.ids[term] = len(self.terms)
            self.terms.append(term)
        else:
            return -1  # unknown, and not cached: a later grow may add it
        if len(self._word_ids) < WORD_CACHE and (grow or tid < 0):
            self._word_ids[word] = tid
        return tid

    def raw_ids(self, surface: list[str], grow: bool = True) -> list[int]:
        """Term ids of surface words, in order, -1 for stopwords and unknown words (the builder drops them in bulk)."""
        ids = list(map(self._word_ids.get, surface))
        if None in ids:
            # resolve the words not seen before, in order (term ids follow first appearance); compress and
            # map run in C, so known words cost no Python step
            for word in compress(surface, map(is_, ids, repeat(None))):
                if word not in self._word_ids:
                    self._resolve(word, grow)
            ids = list(map(self._word_ids.get, surface))
            if None in ids:  # words the cache does not keep (it is full, or not growing): resolve each
                ids = [i if i is not None else self._resolve(w, grow) for i, w in zip(ids, surface, strict=True)]
        return ids

    def word_ids(self, surface: list[str], grow: bool = True) -> list[int]:
        """Term ids of surface words, in order, stopwords dropped."""
        return [i for i in self.raw_ids(surface, grow) if i >= 0]

    def query(self, terms: Iterable[str]) -> dict[int, float]:
        """Weights per term id for analysed query terms (unknown terms dropped)."""
        weights: dict[int, float] = {}
        for term in terms:
            tid = self.ids.get(term)
            if tid is not None:
                weights[tid] = weights.get(tid, 0.0) + 1.0
        return weights

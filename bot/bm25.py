"""BM25 scoring over term-major postings, equal to ``rank_bm25.BM25Plus`` for every document.

Why BM25Plus: its idf, log((N+1)/df), is positive for every indexed term, so a word found in most
records (or a term in exactly half of them) still counts; BM25Okapi floors those at or below zero
(rank_bm25 issues #39, #43). Why our own arrays: rank_bm25 walks a Python dict per document for each
query term, which is linear in the corpus; postings touch only the documents holding a term.

The score of document d for a query q is::

    sum over terms t of q:  idf(t) * (delta + tf(t,d) * (k1 + 1) / (tf(t,d) + K(d)))
    K(d) = k1 * (1 - b + b * len(d) / avgdl)

A document holding none of the query's terms gets only the constant ``delta * sum idf``; it does not
*match*. ``match`` returns matching documents with the part of the score above that constant.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class BM25Params:
    """Ranking parameters, chosen once for every collection (see bench/quality.py)."""

    k1: float = 1.2
    b: float = 0.75
    delta: float = 0.5


@dataclass(frozen=True, slots=True)
class Matches:
    """Matching documents (ascending ids) and their scores above the non-matching constant."""

    docs: np.ndarray
    scores: np.ndarray


class BM25Matrix:
    """Postings (doc ids and term frequencies, grouped by term) plus per-document lengths."""

    def __init__(
        self,
        indptr: np.ndarray,
        doc_ids: np.ndarray,
        tfs: np.ndarray,
        doc_len: np.ndarray,
        params: BM25Params,
    ) -> None:
        self.indptr = indptr
        self.doc_ids = doc_ids
        self.tfs = tfs
        self.doc_len = doc_len
        self.params = params
        self.n_docs = int(doc_len.shape[0])
        total = int(doc_len.sum())
        self.avgdl = total / self.n_docs if total else 1.0
        df = np.diff(indptr)
        with np.errstate(divide="ignore"):
            self.idf = np.where(df > 0, np.log((self.n_docs + 1) / np.maximum(df, 1)), 0.0)
        k1, b = params.k1, params.b
        self.norm = k1 * (1 - b + b * doc_len / self.avgdl) if self.n_docs else np.zeros(0)

    @classmethod
    def build(cls, docs: Sequence[np.ndarray], n_terms: int, params: BM25Params) -> BM25Matrix:
        """Build from one array of term ids per document (duplicates are term frequencies)."""
        n_docs = len(docs)
        lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=n_docs)
        if lengths.sum() == 0:
            empty = np.zeros(0, dtype=np.int32)
            return cls(np.zeros(n_terms + 1, np.int64), empty, empty.astype(np.uint16), lengths, params)
        terms = np.concatenate([np.asarray(d, dtype=np.int64) for d in docs])
        owners = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
        keys, counts = np.unique(terms * n_docs + owners, return_counts=True)
        term_of = keys // n_docs
        indptr = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(np.bincount(term_of, minlength=n_terms), out=indptr[1:])
        doc_ids = (keys % n_docs).astype(np.int32)
        tfs = np.minimum(counts, np.iinfo(np.uint16).max).astype(np.uint16)
        return cls(indptr, doc_ids, tfs, lengths, params)

    def df(self, term: int) -> int:
        return int(self.indptr[term + 1] - self.indptr[term])

    def constant(self, query: Mapping[int, float]) -> float:
        """The score every document gets, matching or not (delta times the query's idf mass)."""
        return self.params.delta * float(sum(w * self.idf[t] for t, w in query.items()))

    def _term_part(self, term: int, weight: float) -> tuple[np.ndarray, np.ndarray]:
        start, end = self.indptr[term], self.indptr[term + 1]
        docs = self.doc_ids[start:end]
        tf = self.tfs[start:end].astype(np.float64)
        part = tf * (self.params.k1 + 1) / (tf + self.norm[docs])
        return docs, weight * self.idf[term] * part

    def match(self, query: Mapping[int, float]) -> Matches:
        """Documents holding at least one query term, with their score above ``constant``.

        ``query`` maps term id to its weight (how often the term appears in the question).
        """
        parts = [self._term_part(t, w) for t, w in query.items() if 0 <= t < len(self.idf)]
        parts = [p for p in parts if p[0].size]
        if not parts:
            return Matches(np.zeros(0, np.int64), np.zeros(0))
        if len(parts) == 1:
            return Matches(parts[0][0].astype(np.int64), parts[0][1])
        docs = np.concatenate([p[0] for p in parts])
        contrib = np.concatenate([p[1] for p in parts])
        if docs.size * 8 > self.n_docs:
            dense = np.zeros(self.n_docs)
            for d, c in parts:
                dense[d] += c
            hit = np.zeros(self.n_docs, dtype=bool)
            hit[docs] = True
            ids = np.flatnonzero(hit)
            return Matches(ids, dense[ids])
        ids, inverse = np.unique(docs, return_inverse=True)
        return Matches(ids.astype(np.int64), np.bincount(inverse, weights=contrib))

    def full_scores(self, query: Mapping[int, float]) -> np.ndarray:
        """Every document's score, as ``BM25Plus.get_scores`` gives it (for checks and tests)."""
        scores = np.full(self.n_docs, self.constant(query))
        found = self.match(query)
        scores[found.docs] += found.scores
        return scores

"""BM25 scoring over term-major postings, equal to ``rank_bm25.BM25Plus`` for every document.

Why BM25Plus: its idf, log((N+1)/df), is positive for every indexed term, so a word found in most
records (or a term in exactly half of them) still counts; BM25Okapi floors those at or below zero
(rank_bm25 issues #39, #43). Why our own arrays: rank_bm25 walks a Python dict per document for each
query term, which is linear in the corpus; postings touch only the documents holding a term.

The score of document d for a query q (term weights w_t, the question's term counts) is::

    sum over terms t of q:  w_t * idf(t) * (delta + tf(t,d) * (k1 + 1) / (tf(t,d) + K(d)))
    K(d) = k1 * (1 - b + b * len(d) / avgdl)

A document holding none of the query's terms gets only the constant ``delta * sum w_t idf(t)``; it
does not *match*. ``match`` returns matching documents with the part of the score above that
constant. (rank_bm25 adds delta for every query term to every document, so delta never changes the
ranking; it is kept for exact equality.)

Postings are stored as term frequencies, and idf and K are computed from the current totals at query
time, so appending documents (``merge``) keeps every score exact without a rebuild.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .array_ops import sum_by_key
from .postings import Postings, Segments, count_postings
from .ragged import owners

PRUNE_FROM = 20_000  # postings a query must touch before top-k pruning is worth its bookkeeping
DENSE_PROBE = 12  # spread a term's postings into a dense array when probed documents x this exceed them (measured crossover)
FEW_SEEDS = 2_000  # seeds scored for every term at once, without dropping the hopeless ones first
COLUMN_FROM = 16  # a term in at least 1/16 of the documents is probed through a kept tf column
COLUMN_BYTES = 256 << 20  # at most, for kept tf columns (terms in 1/16 of the records: about 25 MB at 100k records, 230 MB at 1M)
CAPPED = 255  # a kept column's byte for a tf of 255 or more (the postings hold the real value)


@dataclass(frozen=True, slots=True)
class BM25Params:
    """Ranking parameters, chosen once for every collection (see bench/quality.py)."""

    k1: float = 1.2
    b: float = 0.75
    delta: float = 1.0


@dataclass(frozen=True, slots=True)
class Matches:
    """Matching documents (ascending ids) and their scores above the non-matching constant."""

    docs: np.ndarray
    scores: np.ndarray


class BM25Matrix:
    """Postings plus per-document lengths; statistics follow whatever documents it holds."""

    def __init__(self, postings: Postings | Segments, doc_len: np.ndarray, params: BM25Params) -> None:
        self.postings = postings
        self.doc_len = doc_len
        self.params = params
        self.n_docs = int(doc_len.shape[0])
        total = int(doc_len.sum())
        self.avgdl = total / self.n_docs if total else 1.0
        self.dfs = postings.df(postings.n_terms)
        self.idf = np.where(self.dfs > 0, np.log((self.n_docs + 1) / np.maximum(self.dfs, 1)), 0.0)
        k1, b = params.k1, params.b
        self.norm = k1 * (1 - b + b * doc_len / self.avgdl)
        self._columns: dict[int, np.ndarray] = {}  # tf columns of common terms, least recently used first (see _tf_column)
        self._columns_lock = threading.Lock()  # the bot answers from worker threads

    @classmethod
    def build(cls, docs: Sequence[np.ndarray], n_terms: int, params: BM25Params) -> BM25Matrix:
        """Build from one array of term ids per document (repeats are term frequency)."""
        lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
        ids = np.concatenate([np.asarray(d, dtype=np.int64) for d in docs]) if len(docs) else np.zeros(0, np.int64)
        postings, _ = count_postings(ids, owners(lengths), len(docs), 0, n_terms)
        return cls(postings, lengths, params)

    def df(self, term: int) -> int:
        return int(self.dfs[term]) if 0 <= term < len(self.idf) else 0

    def constant(self, query: Mapping[int, float]) -> float:
        """The score every document gets, matching or not (delta times the query's idf mass)."""
        return self.params.delta * float(sum(w * self.idf[t] for t, w in query.items() if 0 <= t < len(self.idf)))

    def _term_part(self, term: int, weight: float, docs: np.ndarray, tf: np.ndarray) -> np.ndarray:
        tf = tf.astype(np.float64)
        part = tf / (tf + self.norm.take(docs))  # take: cheaper than fancy indexing for one flat index array
        part *= weight * float(self.idf[term]) * (self.params.k1 + 1)
        return part

    def match(self, query: Mapping[int, float], floor: float = 0.0) -> Matches:
        """Documents holding at least one query term, with their score above ``constant``; with a
        ``floor``, only those scoring at least that (the others are never gathered)."""
        parts = []
        for term, weight in query.items():
            docs, tfs = self.postings.term(term)
            if docs.size:
                parts.append((docs, self._term_part(term, weight, docs, tfs)))
        if not parts:
            return Matches(np.zeros(0, np.int64), np.zeros(0))
        if len(parts) == 1:
            found = Matches(parts[0][0].astype(np.int64), parts[0][1])
        else:
            docs = np.concatenate([p[0] for p in parts])
            contrib = np.concatenate([p[1] for p in parts])
            if docs.size * 8 > self.n_docs:
                # many postings: one dense bincount (every contribution is > 0, so non-zero means matched)
                dense = np.bincount(docs, weights=contrib, minlength=self.n_docs)
                ids = np.flatnonzero(
                    dense >= floor if floor > 0 else dense > 0
                )  # nonzero on booleans is several times faster than on floats
                return Matches(ids, dense.take(ids))
            ids, scores = sum_by_key(docs, contrib)
            found = Matches(ids.astype(np.int64), scores)
        if floor > 0:
            kept = np.flatnonzero(found.scores >= floor)
            return Matches(found.docs.take(kept), found.scores.take(kept))
        return found

    def score_docs(self, docs: np.ndarray, query: Mapping[int, float]) -> np.ndarray:
        """Scores above the constant for given documents (ascending ids).

        A common term is read through its tf column (every document's tf, kept for the terms probed
        most recently); another term's postings are searched for the documents, or spread into a
        dense array when the documents are many for them (one sequential pass beats tens of
        thousands of binary searches).
        """
        scores = np.zeros(docs.shape[0])
        for term, weight in query.items():
            self.add_term(scores, docs, term, weight)
        return scores

    def add_term(self, scores: np.ndarray, docs: np.ndarray, term: int, weight: float) -> None:
        """Add one term's part to the ``scores`` of ``docs`` (ascending ids), in place (see score_docs)."""
        if not docs.size or not 0 <= term < self.dfs.shape[0] or not self.dfs[term]:
            return
        column = self._tf_column(term) if self.dfs[term] * COLUMN_FROM >= self.n_docs else None
        if column is None and docs.shape[0] * DENSE_PROBE > self.dfs[term]:
            column = self._spread(term, np.uint16)
        if column is not None:
            tf = column.take(docs)
            found = np.flatnonzero(tf)
            tf = tf.take(found).astype(np.uint16)
            capped = np.flatnonzero(tf == CAPPED) if column.dtype == np.uint8 else ()
            if len(capped):  # a tf of 255 or more: the postings hold the real one
                tf[capped] = self._search(term, docs.take(found.take(capped)))[1]
        else:
            found, tf = self._search(term, docs)
        if found.size:
            scores[found] += self._term_part(term, weight, docs.take(found), tf)

    def _search(self, term: int, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which of ``docs`` (ascending) hold a term, and their tfs, by binary search in its postings."""
        postings, tfs = self.postings.term(term)
        pos = np.minimum(np.searchsorted(postings, docs), postings.shape[0] - 1)
        found = np.flatnonzero(postings.take(pos) == docs)
        return found, tfs.take(pos.take(found))

    def _spread(self, term: int, dtype: type[np.unsignedinteger]) -> np.ndarray:
        """Every document's tf for a term (0 where absent); in uint8, tfs of 255 and more read 255."""
        postings, tfs = self.postings.term(term)
        column = np.zeros(self.n_docs, dtype=dtype)
        column[postings] = tfs if dtype == np.uint16 else np.minimum(tfs, CAPPED)
        return column

    def _tf_column(self, term: int) -> np.ndarray:
        """A common term's tf column (one byte a document), kept: common words recur across questions,
        and probing a column is one gather where the postings cost a pass or a binary search per
        document. At most COLUMN_BYTES are kept; the least recently used column goes first."""
        with self._columns_lock:
            column = self._columns.pop(term, None)
            if column is not None:
                self._columns[term] = column  # now the most recently used
                return column
        column = self._spread(term, np.uint8)
        with self._columns_lock:
            self._columns[term] = column
            while len(self._columns) > max(1, COLUMN_BYTES // max(1, column.nbytes)):
                del self._columns[next(iter(self._columns))]
        return column

    def keep_columns(self) -> int:
        """Build the tf columns of the most common terms before any question needs them (the bot
        does at start-up, in the background); returns how many."""
        budget = max(1, COLUMN_BYTES // max(1, self.n_docs))
        common = [int(t) for t in np.argsort(-self.dfs, kind="stable")[:budget] if self.dfs[t] * COLUMN_FROM >= self.n_docs]
        for term in reversed(common):  # the most common last: the last to be dropped
            self._tf_column(term)
        return len(common)

    def top_matches(self, query: Mapping[int, float], k: int, mask: np.ndarray | None = None) -> Matches:
        """Matches that surely include the ``k`` best (every match scoring at least the k-th best score), with
        exact scores, reading as few postings as possible (MaxScore-style pruning).

        The rarest terms' documents give exact scores and a bar: the k-th best of them. The most common
        terms whose upper bounds together stay under the bar cannot lift a document holding only them
        over it, so their postings are only probed for documents that could still reach the bar.
        """
        terms = [(t, w) for t, w in query.items() if 0 <= t < len(self.idf) and self.dfs[t] > 0 and w > 0]
        total = sum(int(self.dfs[t]) for t, _ in terms)
        if len(terms) < 2 or total < PRUNE_FROM:
            return self.masked(self.match(query), mask)
        rare_first = sorted(terms, key=lambda tw: int(self.dfs[tw[0]]))
        essential, held = [], 0
        for term, weight in rare_first:  # enough rare documents for a bar, without reading a common term
            if held >= k and int(self.dfs[term]) > held:
                break
            essential.append((term, weight))
            held += int(self.dfs[term])
        if len(essential) == len(terms):
            return self.masked(self.match(query), mask)
        seed = self.masked(self.match(dict(essential)), mask)
        if seed.docs.size < k:
            return self.masked(self.match(query), mask)
        bound = {t: w * float(self.idf[t]) * (self.params.k1 + 1) for t, w in terms}  # tf/(tf+K) < 1
        bar = self._seed_bar(seed, [tw for tw in terms if tw not in essential], bound, k)
        optional, spare = [], 0.0
        for term, weight in sorted(terms, key=lambda tw: bound[tw[0]]):
            if (term, weight) in essential or spare + bound[term] >= bar:
                break
            optional.append((term, weight))
            spare += bound[term]
        if not optional:
            return self.masked(self.match(query), mask)
        skipped = {t for t, _ in optional}
        required = {t: w for t, w in query.items() if t not in skipped}
        # a record whose required terms score under bar - spare cannot reach the bar: never gathered
        # (the bar sits 1e-9 under a real score, far above any rounding between the two comparisons)
        partial = self.masked(self.match(required, bar - spare), mask)
        docs, scores = partial.docs, partial.scores
        for term, weight in sorted(optional, key=lambda tw: -bound[tw[0]]):  # each probe shrinks who can still reach the bar
            self.add_term(scores, docs, term, weight)  # the match's scores are this call's own
            spare -= bound[term]
            hopeful = np.flatnonzero(scores >= bar - spare)
            docs, scores = docs.take(hopeful), scores.take(hopeful)
        return Matches(docs, scores)

    def _seed_bar(self, seed: Matches, rest: list[tuple[int, float]], bound: dict[int, float], k: int) -> float:
        """A bar no top-k document falls under: the k-th best full score among the seed documents.

        Seeds carry exact scores for the rare terms; the other terms are added in turn, dropping seeds
        that cannot reach the k-th best score known so far (every score only grows, so the k seeds
        holding it always stay).
        """
        docs, scores = seed.docs, seed.scores
        if docs.size <= FEW_SEEDS:  # dropping seeds saves less than it costs: score them all at once
            scores = scores + self.score_docs(docs, dict(rest))
            return float(np.partition(scores, scores.size - k)[scores.size - k]) * (1 - 1e-9)
        spare = sum(bound[t] for t, _ in rest)
        for term, weight in sorted(rest, key=lambda tw: -bound[tw[0]]):
            bar = float(np.partition(scores, scores.size - k)[scores.size - k])
            hopeful = np.flatnonzero(scores >= bar - spare)
            docs, scores = docs.take(hopeful), scores.take(hopeful)
            self.add_term(scores, docs, term, weight)
            spare -= bound[term]
        return float(np.partition(scores, scores.size - k)[scores.size - k]) * (1 - 1e-9)

    @staticmethod
    def masked(found: Matches, mask: np.ndarray | None) -> Matches:
        if mask is None:
            return found
        keep = mask[found.docs]
        return Matches(found.docs[keep], found.scores[keep])

    def rescore(
        self, docs: np.ndarray, entries: tuple[np.ndarray, np.ndarray, np.ndarray], terms: np.ndarray, weights: np.ndarray
    ) -> np.ndarray:
        """Full scores (the constant included) of given documents for a query given as arrays (a term
        may repeat: its weights add), from the documents' row entries (``Rows.entries(docs)``): fast
        for a few hundred documents and many query terms, as feedback re-scoring needs."""
        n_terms = self.idf.shape[0]
        if terms.size and (int(terms.min()) < 0 or int(terms.max()) >= n_terms):
            known = (terms >= 0) & (terms < n_terms)
            terms, weights = terms[known], weights[known]
        weights = weights * self.idf.take(terms)
        scores = np.full(docs.shape[0], self.params.delta * float(weights.sum()))
        row_terms, row_tfs, owner = entries
        if not row_terms.size or not terms.size:
            return scores
        table = np.bincount(terms, weights=weights, minlength=n_terms)  # per term: weight x idf; a lookup beats a search
        hit = np.flatnonzero(table.take(row_terms) != 0)  # the few entries of query terms among many
        tf = row_tfs.take(hit).astype(np.float64)
        owner = owner.take(hit)
        part = table.take(row_terms.take(hit)) * (self.params.k1 + 1) * tf / (tf + self.norm.take(docs).take(owner))
        return scores + np.bincount(owner, weights=part, minlength=docs.shape[0])

    def full_scores(self, query: Mapping[int, float]) -> np.ndarray:
        """Every document's score, as ``BM25Plus.get_scores`` gives it (for checks and tests)."""
        scores = np.full(self.n_docs, self.constant(query))
        found = self.match(query)
        scores[found.docs] += found.scores
        return scores

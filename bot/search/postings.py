"""The index's arrays: term-major postings (documents per term) and rows (terms per document).

Postings feed BM25 scoring (bm25.py); rows feed relevance feedback, which reads a few records'
terms. Both hold term frequencies, not scores, so statistics can change (records appended) without
rewriting them. A run of records appended later is kept as a segment of its own: nothing big is
copied.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .ragged import gather, owners, pointers

TF_MAX = np.iinfo(np.uint16).max


@dataclass(frozen=True, slots=True)
class Postings:
    """Term-major postings: for term t, ``doc_ids[indptr[t]:indptr[t+1]]`` (ascending) and their tfs."""

    indptr: np.ndarray
    doc_ids: np.ndarray
    tfs: np.ndarray

    @property
    def n_terms(self) -> int:
        return int(self.indptr.shape[0] - 1)

    @property
    def parts(self) -> tuple[Postings, ...]:
        return (self,)

    def term(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        """Documents holding a term (ascending) and their tfs; empty for a term this run never saw."""
        if not 0 <= term < self.n_terms:
            return _EMPTY_DOCS, _EMPTY_TFS
        start, end = self.indptr[term], self.indptr[term + 1]
        return self.doc_ids[start:end], self.tfs[start:end]

    def df(self, n_terms: int) -> np.ndarray:
        return np.diff(self.padded(n_terms))

    def padded(self, n_terms: int) -> np.ndarray:
        """indptr extended to ``n_terms`` terms (terms a chunk never saw hold nothing)."""
        extra = n_terms - self.n_terms
        return np.concatenate([self.indptr, np.full(extra, self.indptr[-1], dtype=np.int64)]) if extra > 0 else self.indptr


_EMPTY_DOCS = np.zeros(0, dtype=np.int32)
_EMPTY_TFS = np.zeros(0, dtype=np.uint16)


@dataclass(frozen=True, slots=True)
class Segments:
    """Postings of consecutive document runs kept apart, so appending records never copies the big run."""

    parts: tuple[Postings, ...]

    @property
    def n_terms(self) -> int:
        return max(p.n_terms for p in self.parts)

    def term(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        pieces = [p.term(term) for p in self.parts]
        pieces = [x for x in pieces if x[0].size]
        if len(pieces) <= 1:
            return pieces[0] if pieces else (_EMPTY_DOCS, _EMPTY_TFS)
        return np.concatenate([x[0] for x in pieces]), np.concatenate([x[1] for x in pieces])

    def df(self, n_terms: int) -> np.ndarray:
        return sum((p.df(n_terms) for p in self.parts), np.zeros(n_terms, dtype=np.int64))

    def merged(self) -> Postings:
        return merge_postings(list(self.parts))


def segments(*postings: Postings | Segments) -> Segments:
    """Postings runs (each possibly segmented already) as one Segments, in order."""
    return Segments(tuple(part for p in postings for part in p.parts))


def _count_pairs(major: np.ndarray, minor: np.ndarray, n_minor: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (major, minor) pairs in (major, minor) order, and how often each occurs: one plain sort
    of ``major << bits | minor`` (shifts and masks split the keys again: a division is ten times slower).
    Pairs with a negative major (a dropped word) are left out. ``major`` is overwritten when int64."""
    bits = max(1, n_minor - 1).bit_length()
    keys = major if major.dtype == np.int64 else major.astype(np.int64)
    keys <<= bits  # in place: these arrays hold a run's every token
    keys |= minor
    keys.sort()
    keys = keys[np.searchsorted(keys, 0) :]  # negative majors sort first
    if not keys.size:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    new = np.empty(keys.size, dtype=bool)
    new[0] = True
    np.not_equal(keys[1:], keys[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    counts = np.empty(starts.size, dtype=np.int64)
    np.subtract(starts[1:], starts[:-1], out=counts[:-1])
    counts[-1] = keys.size - starts[-1]
    distinct = keys[starts]
    return distinct >> bits, distinct & ((1 << bits) - 1), counts


def count_postings(
    term_ids: np.ndarray, owner: np.ndarray, n_docs: int, doc_offset: int, n_terms: int
) -> tuple[Postings, np.ndarray]:
    """Postings for a run of documents from their tokens (``term_ids[i]`` occurred in document
    ``owner[i]``; negative ids are dropped words), and each document's length in kept tokens.

    A term repeated in a document adds to its frequency (a title counted three times is three
    tokens), so callers feed runs of tens of thousands of documents. An int64 ``term_ids`` is overwritten.
    """
    terms, docs, tf = _count_pairs(term_ids, owner, n_docs)
    indptr = pointers(np.bincount(terms, minlength=n_terms))
    lengths = np.bincount(docs, weights=tf, minlength=n_docs).astype(np.int32)
    return Postings(indptr, (docs + doc_offset).astype(np.int32), np.minimum(tf, TF_MAX).astype(np.uint16)), lengths


def merge_postings(parts: Sequence[Postings]) -> Postings:
    """Concatenate postings of consecutive document runs (each run's doc ids above the previous run's)."""
    n_terms = max(p.n_terms for p in parts)
    ptrs = [p.padded(n_terms) for p in parts]
    total = sum(np.diff(ptr) for ptr in ptrs)
    indptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(total, out=indptr[1:])
    nnz = int(indptr[-1])
    doc_ids = np.empty(nnz, dtype=np.int32)
    tfs = np.empty(nnz, dtype=np.uint16)
    filled = np.zeros(n_terms, dtype=np.int64)
    for part, ptr in zip(parts, ptrs, strict=True):
        counts = np.diff(ptr)
        size = int(ptr[-1])
        if size:
            term_of = np.repeat(np.arange(n_terms, dtype=np.int64), counts)
            local = np.arange(size, dtype=np.int64) - ptr[:-1][term_of]
            dest = indptr[:-1][term_of] + filled[term_of] + local
            doc_ids[dest] = part.doc_ids
            tfs[dest] = part.tfs
        filled += counts
    return Postings(indptr, doc_ids, tfs)


@dataclass(frozen=True, slots=True)
class Rows:
    """Document-major term frequencies (the transpose of Postings): for document d,
    ``terms[indptr[d]:indptr[d+1]]`` (ascending) and their tfs. Feedback reads a few documents' terms
    from here instead of re-tokenizing their text."""

    indptr: np.ndarray
    terms: np.ndarray
    tfs: np.ndarray

    def entries(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(terms, tfs, which of ``docs`` each entry belongs to) for the given documents, in their order."""
        return _rows_entries(self, docs)


def _rows_entries(rows: Rows, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    offsets, lengths = gather(rows.indptr, docs)
    if offsets.size:  # touch every cache line first: independent loads overlap, and the gathers then find them cached
        rows.terms.take(offsets[::16])
        rows.tfs.take(offsets[::32])
    return rows.terms.take(offsets), rows.tfs.take(offsets), owners(lengths)


@dataclass(frozen=True, slots=True)
class RowSegments:
    """Rows of consecutive document runs kept apart; ``starts[i]`` is the first document of part i."""

    parts: tuple[Rows, ...]
    starts: tuple[int, ...]

    def entries(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """As ``Rows.entries``, across the parts."""
        out = []
        bounds = [*self.starts, self.starts[-1] + self.parts[-1].indptr.shape[0] - 1]
        for i, part in enumerate(self.parts):
            picked = np.flatnonzero((docs >= bounds[i]) & (docs < bounds[i + 1]))
            if picked.size:
                terms, tfs, owner = _rows_entries(part, docs[picked] - bounds[i])
                out.append((terms, tfs, picked[owner]))
        if not out:
            return np.zeros(0, np.int32), np.zeros(0, np.uint16), np.zeros(0, np.int64)
        return tuple(np.concatenate([o[k] for o in out]) for k in range(3))  # type: ignore[return-value]

    def merged(self) -> Rows:
        return concat_rows(list(self.parts))


def row_segments(*rows: Rows | RowSegments) -> RowSegments:
    parts: list[Rows] = []
    starts: list[int] = []
    at = 0
    for r in rows:
        for part in r.parts if isinstance(r, RowSegments) else (r,):
            parts.append(part)
            starts.append(at)
            at += part.indptr.shape[0] - 1
    return RowSegments(tuple(parts), tuple(starts))


def transpose(postings: Postings, doc_offset: int, n_docs: int) -> Rows:
    """Rows of a run of documents from its postings.

    A stable sort by document keeps each document's terms ascending (postings are term-major); for
    runs under 65,536 documents the sort keys fit 16 bits, and numpy sorts those by radix (about
    four times faster than sorting the run's tokens again).
    """
    local = postings.doc_ids - doc_offset
    order = np.argsort(local.astype(np.uint16) if n_docs <= 1 << 16 else local, kind="stable")
    terms = owners(np.diff(postings.indptr)).astype(np.int32)
    return Rows(pointers(np.bincount(local, minlength=n_docs)), terms[order], postings.tfs[order])


def concat_rows(parts: Sequence[Rows]) -> Rows:
    """Rows of consecutive document runs as one."""
    ptrs, shift = [np.zeros(1, dtype=np.int64)], 0
    for part in parts:
        ptrs.append(part.indptr[1:] + shift)
        shift += int(part.indptr[-1])
    return Rows(
        np.concatenate(ptrs),
        np.concatenate([np.zeros(0, np.int32), *(p.terms for p in parts)]),
        np.concatenate([np.zeros(0, np.uint16), *(p.tfs for p in parts)]),
    )

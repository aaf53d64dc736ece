"""Building index arrays from records, in runs of documents so a million records fit in memory.

The builder tokenizes each record once, keeps token ids in flat lists, and turns every run of
``RUN`` records into postings with one sort; runs are merged at the end. The same builder appends
records to an existing index (ids continue after the last record), which is how ingest avoids a
full rebuild.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from .bm25 import Postings, count_postings, merge_postings
from .names import name_key
from .records import Paper
from .tokenizer import words
from .vocabulary import Vocabulary

RUN = 100_000


@dataclass(slots=True)
class Tables:
    """Names behind the integer columns: authors, categories, affiliations."""

    author_keys: list[str] = field(default_factory=list)
    author_display: list[str] = field(default_factory=list)
    author_id: dict[str, int] = field(default_factory=dict)
    categories: list[str] = field(default_factory=list)
    category_id: dict[str, int] = field(default_factory=dict)
    affiliations: list[str] = field(default_factory=list)
    affiliation_id: dict[str, int] = field(default_factory=dict)

    def author(self, name: str) -> int:
        key = name_key(name)
        aid = self.author_id.get(key)
        if aid is None:
            aid = self.author_id[key] = len(self.author_keys)
            self.author_keys.append(key)
            self.author_display.append(name)
        return aid

    def category(self, code: str) -> int:
        cid = self.category_id.get(code)
        if cid is None:
            cid = self.category_id[code] = len(self.categories)
            self.categories.append(code)
        return cid

    def affiliation(self, name: str) -> int:
        low = name.lower()
        aid = self.affiliation_id.get(low)
        if aid is None:
            aid = self.affiliation_id[low] = len(self.affiliations)
            self.affiliations.append(low)
        return aid


@dataclass(slots=True)
class Columns:
    """Per-record arrays for a run of records (aligned with the records by position)."""

    text: Postings
    title: Postings
    doc_len: np.ndarray
    title_len: np.ndarray
    date_ord: np.ndarray
    category: np.ndarray
    has_code: np.ndarray
    truncated: np.ndarray
    author_ptr: np.ndarray
    authors: np.ndarray
    affiliation_ptr: np.ndarray
    affiliations: np.ndarray


def _ptr(lengths: list[int]) -> np.ndarray:
    ptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=ptr[1:])
    return ptr


class IndexBuilder:
    """Accumulates records; ``finish`` returns their Columns. ``vocab`` and ``tables`` grow in place."""

    def __init__(self, vocab: Vocabulary, tables: Tables, title_weight: int, doc_offset: int = 0) -> None:
        self.vocab = vocab
        self.tables = tables
        self.title_weight = title_weight
        self.doc_offset = doc_offset
        self.count = 0
        self._runs: list[tuple[Postings, Postings]] = []
        self._reset_run()
        self._doc_len: list[int] = []
        self._title_len: list[int] = []
        self._dates: list[int] = []
        self._cats: list[int] = []
        self._code: list[bool] = []
        self._truncated: list[bool] = []
        self._author_lens: list[int] = []
        self._authors: list[int] = []
        self._aff_lens: list[int] = []
        self._affs: list[int] = []

    def _reset_run(self) -> None:
        self._ids: list[int] = []
        self._weights: list[int] = []
        self._lens: list[int] = []
        self._title_ids: list[int] = []
        self._title_lens: list[int] = []
        self._run_start = self.doc_offset + self.count

    def add(self, paper: Paper) -> None:
        title = self.vocab.word_ids(words(paper.title))
        abstract = self.vocab.word_ids(words(paper.abstract))
        self._ids.extend(title)
        self._ids.extend(abstract)
        self._weights.extend([self.title_weight] * len(title))
        self._weights.extend([1] * len(abstract))
        self._lens.append(len(title) + len(abstract))
        self._title_ids.extend(title)
        self._title_lens.append(len(title))
        self._doc_len.append(self.title_weight * len(title) + len(abstract))
        self._title_len.append(len(title))
        self._dates.append(paper.date.toordinal())
        self._cats.append(self.tables.category(paper.category))
        self._code.append(paper.has_code)
        self._truncated.append(paper.authors_truncated)
        authors = list(dict.fromkeys(self.tables.author(a) for a in paper.authors))
        self._author_lens.append(len(authors))
        self._authors.extend(authors)
        affs = list(dict.fromkeys(self.tables.affiliation(a) for a in paper.affiliations))
        self._aff_lens.append(len(affs))
        self._affs.extend(affs)
        self.count += 1
        if len(self._lens) >= RUN:
            self._flush()

    def add_all(self, papers: Iterable[Paper], progress: Callable[[int], None] | None = None) -> None:
        for paper in papers:
            self.add(paper)
            if progress and self.count % 10_000 == 0:
                progress(10_000)
        if progress:
            progress(self.count % 10_000)

    def _flush(self) -> None:
        if not self._lens:
            return
        n_terms = len(self.vocab)
        lens = np.asarray(self._lens, dtype=np.int64)
        text = count_postings(np.asarray(self._ids, np.int64), np.asarray(self._weights, np.int64), lens, self._run_start, n_terms)
        title_ids = np.asarray(self._title_ids, np.int64)
        title = count_postings(title_ids, np.ones_like(title_ids), np.asarray(self._title_lens, np.int64), self._run_start, n_terms)
        self._runs.append((text, title))
        self._reset_run()

    def finish(self) -> Columns:
        self._flush()
        n_terms = len(self.vocab)
        empty = Postings(np.zeros(n_terms + 1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.uint16))
        return Columns(
            text=merge_postings([*(r[0] for r in self._runs), empty]),
            title=merge_postings([*(r[1] for r in self._runs), empty]),
            doc_len=np.asarray(self._doc_len, dtype=np.int32),
            title_len=np.asarray(self._title_len, dtype=np.int32),
            date_ord=np.asarray(self._dates, dtype=np.int32),
            category=np.asarray(self._cats, dtype=np.int32),
            has_code=np.asarray(self._code, dtype=bool),
            truncated=np.asarray(self._truncated, dtype=bool),
            author_ptr=_ptr(self._author_lens),
            authors=np.asarray(self._authors, dtype=np.int32),
            affiliation_ptr=_ptr(self._aff_lens),
            affiliations=np.asarray(self._affs, dtype=np.int32),
        )


def concat_columns(old: Columns, new: Columns) -> Columns:
    """Records of ``new`` appended after ``old`` (postings merged, pointers shifted)."""
    return Columns(
        text=merge_postings([old.text, new.text]),
        title=merge_postings([old.title, new.title]),
        doc_len=np.concatenate([old.doc_len, new.doc_len]),
        title_len=np.concatenate([old.title_len, new.title_len]),
        date_ord=np.concatenate([old.date_ord, new.date_ord]),
        category=np.concatenate([old.category, new.category]),
        has_code=np.concatenate([old.has_code, new.has_code]),
        truncated=np.concatenate([old.truncated, new.truncated]),
        author_ptr=np.concatenate([old.author_ptr, new.author_ptr[1:] + old.author_ptr[-1]]),
        authors=np.concatenate([old.authors, new.authors]),
        affiliation_ptr=np.concatenate([old.affiliation_ptr, new.affiliation_ptr[1:] + old.affiliation_ptr[-1]]),
        affiliations=np.concatenate([old.affiliations, new.affiliations]),
    )


def invert(ptr: np.ndarray, values: np.ndarray, n_values: int) -> tuple[np.ndarray, np.ndarray]:
    """Turn record -> values lists into value -> records lists (records ascending)."""
    rows = np.repeat(np.arange(ptr.shape[0] - 1, dtype=np.int32), np.diff(ptr))
    order = np.argsort(values, kind="stable")
    inv_ptr = np.zeros(n_values + 1, dtype=np.int64)
    np.cumsum(np.bincount(values, minlength=n_values), out=inv_ptr[1:])
    return inv_ptr, rows[order]

"""Building index arrays from records, in runs of documents so a million records fit in memory.

Records are tokenized in chunks (in worker processes when there are many), and every run of ``RUN``
records becomes postings with one sort; runs are merged at the end. The same builder appends
records to an existing index (ids continue after the last record), which is how ingest avoids a
full rebuild.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import count
from typing import Any

import numpy as np

from bot.gc_pause import gc_paused
from bot.names import name_key
from bot.records import Paper

from .forking import map_slices
from .numbering import Numbering, WordTerms, numbering, release
from .postings import (
    Postings,
    Rows,
    RowSegments,
    Segments,
    concat_rows,
    count_postings,
    merge_postings,
    row_segments,
    segments,
    transpose,
)
from .ragged import owners, pointers
from .vocabulary import Vocabulary

RUN = 40_000  # records per sorted run of postings (arrays small enough for the allocator to reuse)
CHUNK = 20_000  # records per tokenizing task


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

    def authors(self, keys: list[str], display: list[str]) -> list[int]:
        """The ids of the people with these name keys (``names.name_key``); a new one is shown as its ``display``."""
        ids = list(map(self.author_id.get, keys))  # known people: one lookup each, in C
        if None in ids:
            for i, key in enumerate(keys):
                if ids[i] is None:
                    aid = self.author_id.get(key)
                    if aid is None:
                        aid = self.author_id[key] = len(self.author_keys)
                        self.author_keys.append(key)
                        self.author_display.append(display[i])
                    ids[i] = aid
        return ids  # type: ignore[return-value]

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

    text: Postings | Segments
    title: Postings | Segments
    rows: Rows | RowSegments  # the text postings by document, for feedback
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


_BUILDERS = count()


@dataclass(slots=True)
class RecordChunk:
    """What the index needs from consecutive records, read in a worker process: their tokens as ids
    in a process's ``Numbering`` (``surface``: the words it numbered for this chunk), and their fields
    with names as ids into the chunk's own tables. Reading records (splitting text, numbering words,
    normalising names) is most of a build's time and needs no shared state; the builder then maps
    new words and each chunk's small tables to the index's ids with one lookup per distinct word or name.
    """

    numbering: tuple[int, int]
    surface: list[str]
    ids: np.ndarray  # title words (repeated title_weight times) then abstract words, per record
    lens: np.ndarray
    title_ids: np.ndarray
    title_lens: np.ndarray
    dates: np.ndarray  # proleptic ordinals
    has_code: np.ndarray
    truncated: np.ndarray
    categories: list[str]  # the chunk's category codes; ``category`` indexes them
    category: np.ndarray
    author_keys: list[str]  # the chunk's people (name keys) and how each is first written
    author_names: list[str]
    authors: np.ndarray  # per record, each person once, as listed; ``author_lens`` per record
    author_lens: np.ndarray
    affiliations: list[str]  # lowercased; ``affiliation_ids`` index them, ``affiliation_lens`` per record
    affiliation_ids: np.ndarray
    affiliation_lens: np.ndarray


def read_chunk(papers: Sequence[Paper], title_weight: int, words_seen: Numbering) -> RecordChunk:
    number = words_seen.number
    ids = bytearray()  # int32 word numbers
    lens: list[int] = []
    title_ids = bytearray()
    title_lens: list[int] = []
    categories: dict[str, int] = {}
    people: dict[str, int] = {}  # name key -> local id
    spelled: dict[str, int] = {}  # name as written -> local id (each spelling normalised once)
    author_names: list[str] = []
    authors: list[int] = []
    author_lens: list[int] = []
    affiliations: dict[str, int] = {}
    affiliation_ids: list[int] = []
    affiliation_lens: list[int] = []
    for paper in papers:
        start = len(ids)
        title = number(paper.title, ids, title_weight)
        title_ids += ids[start : start + 4 * title]
        lens.append(title * title_weight + number(paper.abstract, ids))
        title_lens.append(title)
        listed = []
        for name in paper.authors:
            person = spelled.get(name)
            if person is None:
                person = spelled[name] = people.setdefault(name_key(name), len(people))
                if person == len(author_names):
                    author_names.append(name)
            listed.append(person)
        if len(set(listed)) < len(listed):  # one person listed twice counts once
            listed = list(dict.fromkeys(listed))
        authors.extend(listed)
        author_lens.append(len(listed))
        affs = list(dict.fromkeys(affiliations.setdefault(a.lower(), len(affiliations)) for a in paper.affiliations))
        affiliation_ids.extend(affs)
        affiliation_lens.append(len(affs))

    def column(values: Sequence[Any], dtype: Any) -> np.ndarray:
        return np.fromiter(values, dtype=dtype, count=len(values))

    category = column([categories.setdefault(p.category, len(categories)) for p in papers], np.int32)
    return RecordChunk(
        words_seen.key,
        words_seen.fresh(),
        np.frombuffer(ids, dtype=np.int32),
        np.asarray(lens, dtype=np.int64),
        np.frombuffer(title_ids, dtype=np.int32),
        np.asarray(title_lens, dtype=np.int64),
        column([p.date.toordinal() for p in papers], np.int32),
        column([p.has_code for p in papers], bool),
        column([p.authors_truncated for p in papers], bool),
        list(categories),
        category,
        list(people),
        author_names,
        np.asarray(authors, dtype=np.int32),
        np.asarray(author_lens, dtype=np.int64),
        list(affiliations),
        np.asarray(affiliation_ids, dtype=np.int32),
        np.asarray(affiliation_lens, dtype=np.int64),
    )


def read_chunks(papers: Sequence[Paper], title_weight: int, builder: int, chunk: int = CHUNK) -> Iterator[RecordChunk]:
    """Chunks in order, read in worker processes when there are many records."""
    return map_slices(lambda _, part: read_chunk(part, title_weight, numbering(builder)), papers, chunk)


class IndexBuilder:
    """Accumulates records; ``finish`` returns their Columns. ``vocab`` and ``tables`` grow in place.
    Used as a context manager: leaving it drops the word numberings it made in this process."""

    def __init__(self, vocab: Vocabulary, tables: Tables, title_weight: int, doc_offset: int = 0) -> None:
        self.vocab = vocab
        self.tables = tables
        self.title_weight = title_weight
        self.doc_offset = doc_offset
        self.count = 0
        self.id = next(_BUILDERS)  # names this builder's word numberings (``numbering``)
        self._terms: dict[tuple[int, int], WordTerms] = {}  # by numbering
        self._runs: list[tuple[Postings, Postings, Rows]] = []
        self._doc_len: list[np.ndarray] = []
        self._title_len: list[np.ndarray] = []
        self._pending: list[tuple[RecordChunk, np.ndarray]] = []
        self._pending_docs = 0
        self._run_start = doc_offset
        self._fields: dict[str, list[np.ndarray]] = {}  # per-record column name -> one array per chunk

    def __enter__(self) -> IndexBuilder:
        return self

    def __exit__(self, *exc: object) -> None:
        release(self.id)

    def _add_fields(self, chunk: RecordChunk) -> None:
        """The chunk's fields, its names mapped to the index's ids (one lookup per distinct name)."""
        t = self.tables

        def ids(values: list[Any]) -> np.ndarray:
            return np.asarray(values, dtype=np.int32).reshape(-1)

        categories = ids([t.category(c) for c in chunk.categories])
        authors = ids(t.authors(chunk.author_keys, chunk.author_names))
        affiliations = ids([t.affiliation(a) for a in chunk.affiliations])
        for name, values in {
            "date_ord": chunk.dates,
            "category": categories[chunk.category],
            "has_code": chunk.has_code,
            "truncated": chunk.truncated,
            "author_lens": chunk.author_lens,
            "authors": authors[chunk.authors],
            "affiliation_lens": chunk.affiliation_lens,
            "affiliations": affiliations[chunk.affiliation_ids],
        }.items():
            self._fields.setdefault(name, []).append(values)

    def add_all(self, papers: Sequence[Paper], progress: Callable[[int], None] | None = None) -> None:
        """Add every record (with the cyclic garbage collector paused: see gc_pause)."""
        with gc_paused():
            for chunk in read_chunks(papers, self.title_weight, self.id):
                self.add_chunk(chunk)
                if progress:
                    progress(len(chunk.lens))

    def add_chunk(self, chunk: RecordChunk) -> None:
        """Add the records a chunk describes, after those added before."""
        n = len(chunk.lens)
        self._add_fields(chunk)
        lut = self._terms.setdefault(chunk.numbering, WordTerms()).add(chunk.surface, chunk.ids, self.vocab)
        self._pending.append((chunk, lut))
        self._pending_docs += n
        self.count += n
        if self._pending_docs >= RUN:
            self._flush()

    def skip(self, chunk: RecordChunk) -> None:
        """Leave out a chunk that was read (its words were numbered) but is not added."""
        self._terms.setdefault(chunk.numbering, WordTerms()).skip(chunk.surface)

    def _postings(self, ids: np.ndarray, lens: np.ndarray, with_rows: bool) -> tuple[Postings, np.ndarray, Rows | None]:
        """Postings of a run's tokens (term ids, -1 for dropped words), each document's kept length, and rows."""
        n, n_terms = lens.shape[0], len(self.vocab)
        postings, lengths = count_postings(ids, owners(lens), n, self._run_start, n_terms)
        return postings, lengths, transpose(postings, self._run_start, n) if with_rows else None

    def _flush(self) -> None:
        if not self._pending:
            return
        chunks = self._pending
        ids = np.concatenate([lut[c.ids] for c, lut in chunks])
        title_ids = np.concatenate([lut[c.title_ids] for c, lut in chunks])
        text, doc_len, rows = self._postings(ids, np.concatenate([c.lens for c, _ in chunks]), True)
        title, title_len, _ = self._postings(title_ids, np.concatenate([c.title_lens for c, _ in chunks]), False)
        assert rows is not None
        self._runs.append((text, title, rows))
        self._doc_len.append(doc_len)
        self._title_len.append(title_len)
        self._run_start += self._pending_docs
        self._pending, self._pending_docs = [], 0

    def finish(self) -> Columns:
        self._flush()
        n_terms = len(self.vocab)
        empty = Postings(np.zeros(n_terms + 1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.uint16))
        with ThreadPoolExecutor(3) as pool:  # numpy copies without the GIL: the three merges share the cores
            text = pool.submit(merge_postings, [*(r[0] for r in self._runs), empty])
            title = pool.submit(merge_postings, [*(r[1] for r in self._runs), empty])
            rows = pool.submit(concat_rows, [r[2] for r in self._runs])
        return Columns(
            text=text.result(),
            title=title.result(),
            rows=rows.result(),
            doc_len=np.concatenate([np.zeros(0, np.int32), *self._doc_len]),
            title_len=np.concatenate([np.zeros(0, np.int32), *self._title_len]),
            date_ord=self._field("date_ord", np.int32),
            category=self._field("category", np.int32),
            has_code=self._field("has_code", bool),
            truncated=self._field("truncated", bool),
            author_ptr=pointers(self._field("author_lens", np.int64)),
            authors=self._field("authors", np.int32),
            affiliation_ptr=pointers(self._field("affiliation_lens", np.int64)),
            affiliations=self._field("affiliations", np.int32),
        )

    def _field(self, name: str, dtype: Any) -> np.ndarray:
        return np.concatenate([np.zeros(0, dtype), *(a.astype(dtype, copy=False) for a in self._fields.get(name, []))])


def concat_columns(old: Columns, new: Columns) -> Columns:
    """Records of ``new`` appended after ``old``: postings and rows become segments (the big run is not
    copied), per-record arrays are concatenated, pointers shifted."""
    return Columns(
        text=segments(old.text, new.text),
        title=segments(old.title, new.title),
        rows=row_segments(old.rows, new.rows),
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

"""Building an index store straight from corpus files, with the records read in worker processes.

A rebuild is mostly reading records: decoding JSON, validating, tokenizing, serialising each record
for the store. Workers do all of it for pieces of the files (byte ranges of whole lines) and send
back compact results: token ids and field tables (``RecordChunk``), the keys that find duplicates,
the author spellings, and the records' store lines as one bytes object. The main process never
holds the records as objects; it drops duplicates, maps words and names to the index's ids, sorts
postings and writes the store. The store is the one ``load_corpus`` plus an in-memory index would
save, file for file (tests compare them).
"""

from __future__ import annotations

import mmap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import orjson

from bot.errors import CorpusError
from bot.gc_pause import gc_paused
from bot.names import name_key
from bot.records import Paper, Profile, profiles_named, record_line, with_profiles
from bot.sources.corpus import (
    DUPLICATES_NAMED,
    LoadWarnings,
    Spellings,
    duplicate_name,
    read_file,
    record_keys,
    respelled,
    unseen,
    warning_lines,
)
from bot.sources.jsonl import not_text, read_jsonl, unreadable

from .build import Columns, IndexBuilder, RecordChunk, Tables, read_chunk
from .forking import map_slices
from .heap import heap_kept
from .numbering import Numbering, numbering
from .ragged import owners, pointers
from .vocabulary import Vocabulary

PIECE_BYTES = 32 << 20  # JSON Lines per worker task: about 20k paper-like records


@dataclass(frozen=True, slots=True)
class Piece:
    """Part of one corpus file: whole lines of JSON Lines from byte ``start`` to ``end`` (line
    ``first_line`` onwards), or a profile page's records, read by the main process."""

    path: Path
    start: int = 0
    end: int = 0
    first_line: int = 1
    lines: int = 0
    papers: list[Paper] | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        """Records it holds, as far as a progress bar can tell before reading: its lines."""
        return self.lines if self.papers is None else len(self.papers)


@dataclass(slots=True)
class PieceRecords:
    """What the main process needs of a piece's records (``piece_records``)."""

    warnings: list[str]
    ids: list[str]
    titles: list[str]  # title keys ("t:..."), the other half of ``record_keys``
    spellings: list[str]  # author names as written, each once, in order of first use
    spelling_keys: list[str]
    spelling_ids: np.ndarray  # every record's authors as ids into ``spellings``, ``spelling_lens`` per record
    spelling_lens: np.ndarray
    lines: bytes  # the records' store lines, ``line_lens`` bytes each
    line_lens: np.ndarray
    chunk: RecordChunk
    profiles: dict[int, tuple[str, ...]] = field(default_factory=dict)  # record -> whose profiles list it (few have any)


class Progress(Protocol):
    """What index building reports to (a tqdm bar fits): records read so far, of ``total``."""

    total: float | None

    def update(self, n: int) -> Any: ...


class RecordSink(Protocol):
    """Where the records' store lines go (store.StoreWriter)."""

    def add_lines(self, lines: bytes, lengths: np.ndarray) -> None: ...

    def rewrite(self, records: np.ndarray, change: Callable[[Paper], Paper]) -> None: ...


@dataclass(slots=True)
class Built:
    """An index built from files, without its records (they went to the sink)."""

    parts: tuple[Vocabulary, Tables, Columns]
    profiles: list[Profile]
    warnings: list[str]

    @property
    def profile(self) -> Profile | None:
        return self.profiles[0] if self.profiles else None


def plan(files: Sequence[Path]) -> tuple[list[Piece], list[Profile]]:
    """Cut the files into pieces (profile pages are read here: they are small), and find the profile pages' headers."""
    pieces: list[Piece] = []
    pages: list[Profile] = []
    for path in files:
        if path.suffix == ".jsonl":
            pieces.extend(_jsonl_pieces(path))
            continue
        found, papers, warnings = read_file(path)
        if found:
            pages.append(found)
        pieces.append(Piece(path, papers=papers, warnings=warning_lines(path, warnings)))
    return pieces, pages


def _jsonl_pieces(path: Path) -> list[Piece]:
    """Byte ranges of whole lines; a file that cannot be read or is not UTF-8 text is one piece holding its warning."""
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, 2)
            if not size:
                return []
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except OSError as exc:
        return [Piece(path, papers=[], warnings=warning_lines(path, [unreadable(exc)]))]
    binary = not_text(data[:4096])
    if binary:
        data.close()
        return [Piece(path, papers=[], warnings=warning_lines(path, [binary]))]
    pieces, start, line = [], 0, 1
    with data:
        while start < size:
            cut = data.find(b"\n", start + PIECE_BYTES)
            end = size if cut < 0 else cut + 1
            piece = data[start:end]
            lines = piece.count(b"\n") + (data[end - 1] != 10)
            if b"\r" in piece:  # read as text files are: a lone "\r" ends a line too
                lines += piece.count(b"\r") - piece.count(b"\r\n")
            pieces.append(Piece(path, start, end, line, lines))
            start, line = end, line + lines
    return pieces


def read_piece(piece: Piece, title_weight: int, words_seen: Numbering) -> PieceRecords:
    """Parse a piece and prepare its records (runs in a worker process)."""
    if piece.papers is not None:
        return piece_records(piece.papers, piece.warnings, title_weight, words_seen)
    try:
        with piece.path.open("rb") as handle:
            handle.seek(piece.start)
            data = handle.read(piece.end - piece.start)
    except OSError as exc:
        return piece_records([], warning_lines(piece.path, [unreadable(exc, piece.first_line)]), title_weight, words_seen)
    papers, warnings = read_jsonl(data, str(piece.path), piece.first_line, bom=piece.start == 0)
    return piece_records(papers, warning_lines(piece.path, warnings), title_weight, words_seen)


def piece_records(papers: Sequence[Paper], warnings: list[str], title_weight: int, words_seen: Numbering) -> PieceRecords:
    """Everything the main process needs of these records, as compact lists and arrays."""
    keys = [record_keys(p) for p in papers]
    spelling: dict[str, int] = {}
    ids = [spelling.setdefault(name, len(spelling)) for paper in papers for name in paper.authors]
    lines = [record_line(p) for p in papers]
    return PieceRecords(
        warnings,
        [k[0] for k in keys],
        [k[1] for k in keys],
        list(spelling),
        [name_key(s) for s in spelling],
        np.asarray(ids, dtype=np.int32),
        np.fromiter((len(p.authors) for p in papers), np.int64, len(papers)),
        b"".join(lines),
        np.fromiter(map(len, lines), np.int64, len(lines)),
        read_chunk(papers, title_weight, words_seen),
        {i: p.profiles for i, p in enumerate(papers) if p.profiles},
    )


def _kept(
    piece: PieceRecords, new: list[bool], title_weight: int, words_seen: Numbering, joined: set[int]
) -> tuple[PieceRecords, list[Paper]]:
    """The piece without its duplicates, described again from the kept records' lines (duplicates are rare),
    and the first few duplicates that were not ``joined`` to another profile's record (for the warning that names them)."""
    starts = pointers(piece.line_lens).tolist()
    papers = [Paper.from_row(orjson.loads(piece.lines[starts[i] : starts[i + 1]])) for i, keep in enumerate(new) if keep]
    dropped = [i for i, keep in enumerate(new) if not keep and i not in joined][:DUPLICATES_NAMED]
    named = [Paper.from_row(orjson.loads(piece.lines[starts[i] : starts[i + 1]])) for i in dropped]
    return piece_records(papers, piece.warnings, title_weight, words_seen), named


def build(
    files: Sequence[Path],
    sink: RecordSink,
    title_weight: int,
    progress: Progress | None = None,
    started: Callable[[], None] | None = None,
    skipped: Sequence[str] = (),
) -> Built:
    """Index the records of ``files`` (their lines go to ``sink``), de-duplicated and with one spelling
    per person as ``load_corpus`` gives them. ``started`` is called once the workers are running;
    ``skipped`` are the warnings about files left out (``corpus_files``), which the warnings start with.
    Raises CorpusError when no record could be read."""
    vocab, tables = Vocabulary(), Tables()
    with gc_paused(), heap_kept(), IndexBuilder(vocab, tables, title_weight) as builder:
        return _build(files, sink, builder, progress, started, skipped)


def _build(
    files: Sequence[Path],
    sink: RecordSink,
    builder: IndexBuilder,
    progress: Progress | None,
    started: Callable[[], None] | None,
    skipped: Sequence[str],
) -> Built:
    vocab, tables, title_weight = builder.vocab, builder.tables, builder.title_weight
    pieces, pages = plan(files)
    if progress is not None:
        progress.total = sum(p.size for p in pieces)
    seen: set[str] = set()
    spellings = Spellings()
    warnings = LoadWarnings(skipped)
    duplicates: list[str] = []
    dropped = 0
    listed = Listings()
    authors: list[np.ndarray] = []  # every record's authors as spelling numbers (Spellings), per piece
    author_lens: list[np.ndarray] = []
    for number, piece in enumerate(
        map_slices(lambda _, part: read_piece(part[0], title_weight, numbering(builder.id)), pieces, 1)
    ):
        if number == 0 and started is not None:
            started()
        warnings.add(pieces[number].path, piece.warnings)
        new = unseen(piece.ids, piece.titles, seen)
        joined = listed.see(piece, new, pieces[number].path)
        if not all(new):
            builder.skip(piece.chunk)
            dropped += new.count(False) - len(joined)
            piece, named = _kept(piece, new, title_weight, Numbering((builder.id, -1 - number)), joined)  # its own numbering
            duplicates.extend(duplicate_name(p) for p in named)
        numbers = np.asarray(spellings.add(piece.spellings, piece.spelling_keys), dtype=np.int32)
        authors.append(numbers[piece.spelling_ids] if numbers.size else piece.spelling_ids)
        author_lens.append(piece.spelling_lens)
        builder.add_chunk(piece.chunk)
        sink.add_lines(piece.lines, piece.line_lens)
        if progress is not None:
            progress.update(pieces[number].size)
    lines = warnings.finish(duplicates, dropped)
    if not builder.count:
        raise CorpusError("the corpus holds no readable records: " + "; ".join(lines[:3]))
    renames = spellings.renames()
    if renames:  # a person written two ways: the records that used another spelling are written again
        renamed = np.zeros(len(spellings.keys), dtype=bool)
        renamed[[spellings.ids[name] for name in renames]] = True
        hit = renamed[np.concatenate(authors)]
        sink.rewrite(np.unique(owners(np.concatenate(author_lens))[hit]), lambda paper: respelled(paper, renames))
    listed.join(sink)
    tables.author_display = [spellings.best[key] for key in tables.author_keys]
    return Built((vocab, tables, builder.finish()), profiles_named(pages, listed.first.items()), lines)


class Listings:
    """Whose profiles list which records, across pieces: a duplicate's profiles join the record kept for it
    (found by a hash of each kept record's keys: 16 bytes a record, and the main process never holds records)."""

    def __init__(self) -> None:
        self.hashes: list[np.ndarray] = []  # the kept records' id and title key hashes, per piece
        self.pending: list[tuple[tuple[str, str], tuple[str, ...]]] = []  # a dropped duplicate's keys and profiles
        self.first: dict[str, str] = {}  # each profile name a record gave -> the file it was first read in
        self.known: dict[str, tuple[str, ...]] = {}  # a kept record's keys -> its profiles (records with some only)

    def see(self, piece: PieceRecords, new: list[bool], path: Path) -> set[int]:
        """Note the piece's kept records and its duplicates' profiles; returns the duplicates that bring
        another profile to their record (no problem to warn of, as ``joined_profiles``)."""
        joined: set[int] = set()
        for i, names in piece.profiles.items():
            for name in names:
                self.first.setdefault(name, str(path))
            keys = (piece.ids[i], piece.titles[i])
            held = self.known.get(keys[0], self.known.get(keys[1], ())) if not new[i] else ()
            if new[i] or not set(names) <= set(held):
                for key in keys:
                    self.known[key] = held + tuple(n for n in dict.fromkeys(names) if n not in held)
            if not new[i] and not set(names) <= set(held):
                self.pending.append((keys, names))
                joined.add(i)
        count = len(piece.ids)
        both = np.stack(
            [np.fromiter(map(hash, piece.ids), np.int64, count), np.fromiter(map(hash, piece.titles), np.int64, count)], 1
        )
        self.hashes.append(both if all(new) else both[np.asarray(new, dtype=bool)])
        return joined

    def join(self, sink: RecordSink) -> None:
        """Rewrite the kept records that a dropped duplicate's profiles belong to."""
        if not self.pending:
            return
        wanted: dict[str, list[str]] = {}
        for keys, names in self.pending:
            for key in keys:
                wanted.setdefault(key, []).extend(names)
        table = np.concatenate(self.hashes)
        hit = np.isin(table, np.fromiter(map(hash, wanted), np.int64, len(wanted))).any(axis=1)

        def change(paper: Paper) -> Paper:
            names = [n for key in record_keys(paper) for n in wanted.get(key, ())]
            return with_profiles(paper, names)

        sink.rewrite(np.flatnonzero(hit), change)

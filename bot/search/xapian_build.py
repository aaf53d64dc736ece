"""Xapian shards from the built-in index: the same records, term ids' words and term frequencies.

Why from the index and not from the text: the shards must score exactly as the built-in engine does,
so each document gets the very tokens the index counted (title terms ``title_weight`` times), read
from its rows, and Xapian's document length (the sum of wdfs) equals the index's ``doc_len``.

Records are dealt round-robin: record i goes to shard ``i % n`` as that shard's document ``i // n + 1``.
Xapian numbers the documents of several databases opened as one by interleaving them the same way
(shard k's document j is ``(j - 1) * n + k + 1``), so the combined database's document ``i + 1`` is
record i of the index: filters, aggregations and records need no id mapping. Each document also
holds the boolean term ``Q<record id>`` (its stable id, Xapian's convention for unique ids) and
``P<position>`` (its record number, which a filter over chosen records names).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import xapian

from bot.records import Paper

from .forking import map_slices
from .index import PaperIndex

SHARD_PREFIX = "shard-"
COMMIT_EVERY = 20_000  # documents per shard between commits (bounds the writer's memory)
MAX_TERM = 245  # Xapian's longest term, in bytes


def shard_paths(out: Path, n: int) -> list[Path]:
    return [out / f"{SHARD_PREFIX}{k}" for k in range(n)]


def position_term(doc: int) -> str:
    """The boolean term naming record ``doc`` (its position in the index)."""
    return f"P{doc}"


def forward_entry(terms: Sequence[str], tfs: np.ndarray) -> bytes:
    """A record's terms and their frequencies as its document data: feedback reads a few records' terms,
    and a remote document is one quick round trip where a remote term list looks up every term's statistics."""
    return (" ".join(terms) + "\t" + " ".join(map(str, tfs.tolist()))).encode()


def read_forward_entry(data: bytes) -> tuple[list[str], list[int]]:
    """``forward_entry`` read back."""
    terms, _, tfs = data.decode().partition("\t")
    return terms.split(), [int(tf) for tf in tfs.split()]


def document(terms: Sequence[str], tfs: np.ndarray, paper: Paper, doc: int) -> xapian.Document:
    """One record as a Xapian document: its index terms with their frequencies, its id and position."""
    xdoc = xapian.Document()
    for term, tf in zip(terms, tfs.tolist(), strict=True):
        if len(term.encode()) > MAX_TERM:
            raise ValueError(f"record {paper.id}: the term {term[:40]!r}... is longer than Xapian's {MAX_TERM} bytes")
        xdoc.add_term(term, tf)
    xdoc.set_data(forward_entry(terms, tfs))
    xdoc.add_boolean_term("Q" + paper.id)
    xdoc.add_boolean_term(position_term(doc))
    return xdoc


def write_docs(index: PaperIndex, db: xapian.WritableDatabase, docs: range) -> None:
    """Add records ``docs`` of ``index`` to ``db`` in order, committing every COMMIT_EVERY."""
    vocab = index.vocab.terms
    for lo in range(0, len(docs), COMMIT_EVERY):
        batch = np.asarray(docs[lo : lo + COMMIT_EVERY], dtype=np.int64)
        terms, tfs, owner = index.columns.rows.entries(batch)  # one gather for the batch's rows
        bounds = np.searchsorted(owner, np.arange(batch.size + 1)).tolist()
        words = [vocab[t] for t in terms.tolist()]
        for i, doc in enumerate(batch.tolist()):
            db.add_document(document(words[bounds[i] : bounds[i + 1]], tfs[bounds[i] : bounds[i + 1]], index.papers[doc], doc))
        db.commit()


def _write_shard(index: PaperIndex, path: Path, docs: range) -> int:
    db = xapian.WritableDatabase(str(path), xapian.DB_CREATE_OR_OVERWRITE)
    try:
        write_docs(index, db, docs)
    finally:
        db.close()
    return len(docs)


def build_shards(index: PaperIndex, out: Path, n: int, progress: Callable[[int], None] | None = None) -> list[Path]:
    """Write ``n`` shard databases, ``out/shard-0`` .. ``out/shard-{n-1}``, replacing any there; shards
    are written in worker processes (one per core) when the process may fork."""
    if n < 1:
        raise ValueError("a Xapian index needs at least one shard")
    out.mkdir(parents=True, exist_ok=True)
    paths = shard_paths(out, n)
    work = lambda _, ks: _write_shard(index, paths[ks[0]], range(ks[0], len(index), n))  # noqa: E731
    for written in map_slices(work, list(range(n)), 1):
        if progress is not None:
            progress(written)
    return paths


def sync_shards(index: PaperIndex, out: Path, n: int) -> int:
    """Add to the shards in ``out`` the records of ``index`` they lack (those appended after their last
    one); returns how many were added. Running it again adds nothing."""
    added = 0
    for k, path in enumerate(shard_paths(out, n)):
        db = xapian.WritableDatabase(str(path), xapian.DB_OPEN)
        try:
            missing = range(k + db.get_doccount() * n, len(index), n)
            write_docs(index, db, missing)
            added += len(missing)
        finally:
            db.close()
    return added

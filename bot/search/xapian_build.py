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

from .index import PaperIndex

SHARD_PREFIX = "shard-"
COMMIT_EVERY = 20_000  # documents per shard between commits (bounds the writer's memory)
MAX_TERM = 245  # Xapian's longest term, in bytes


def shard_paths(out: Path, n: int) -> list[Path]:
    return [out / f"{SHARD_PREFIX}{k}" for k in range(n)]


def position_term(doc: int) -> str:
    """The boolean term naming record ``doc`` (its position in the index)."""
    return f"P{doc}"


def document(terms: Sequence[str], tfs: np.ndarray, paper: Paper, doc: int) -> xapian.Document:
    """One record as a Xapian document: its index terms with their frequencies, its id and position."""
    xdoc = xapian.Document()
    for term, tf in zip(terms, tfs.tolist(), strict=True):
        if len(term.encode()) > MAX_TERM:
            raise ValueError(f"record {paper.id}: the term {term[:40]!r}... is longer than Xapian's {MAX_TERM} bytes")
        xdoc.add_term(term, tf)
    xdoc.add_boolean_term("Q" + paper.id)
    xdoc.add_boolean_term(position_term(doc))
    return xdoc


def write_docs(index: PaperIndex, db: xapian.WritableDatabase, docs: range, progress: Callable[[int], None] | None = None) -> None:
    """Add records ``docs`` of ``index`` to ``db`` in order, committing every COMMIT_EVERY."""
    vocab = index.vocab.terms
    for done, doc in enumerate(docs, 1):
        terms, tfs, _ = index.columns.rows.entries(np.asarray([doc], dtype=np.int64))
        db.add_document(document([vocab[t] for t in terms.tolist()], tfs, index.papers[doc], doc))
        if done % COMMIT_EVERY == 0:
            db.commit()
            if progress is not None:
                progress(COMMIT_EVERY)
    db.commit()
    if progress is not None:
        progress(len(docs) % COMMIT_EVERY)


def build_shards(index: PaperIndex, out: Path, n: int, progress: Callable[[int], None] | None = None) -> list[Path]:
    """Write ``n`` shard databases, ``out/shard-0`` .. ``out/shard-{n-1}``, replacing any there."""
    if n < 1:
        raise ValueError("a Xapian index needs at least one shard")
    out.mkdir(parents=True, exist_ok=True)
    paths = shard_paths(out, n)
    for k, path in enumerate(paths):
        db = xapian.WritableDatabase(str(path), xapian.DB_CREATE_OR_OVERWRITE)
        try:
            write_docs(index, db, range(k, len(index), n), progress)
        finally:
            db.close()
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

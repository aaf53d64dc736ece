"""ShardedIndex: the PaperIndex whose topic ranking runs on Xapian shards served by ``xapian-tcpsrv``.

Why Xapian: past one machine the inverted index (the largest part of the index) must live on other
hosts, and Xapian serves databases over TCP and merges several into one, with collection statistics
(document count, lengths, term frequencies) combined across them. Its ``BM25PlusWeight(k1, 0, 0, b, 0, 0)``
with query-term weights given by ``OP_SCALE_WEIGHT`` is the built-in engine's BM25Plus score above the
constant (delta 0: Xapian adds delta only for matched terms, and the built-in engine leaves it out of
match scores too), so first-pass scores and feedback re-scoring equal the built-in ones.

Only scoring moves: records, filters, aggregations and the vocabulary stay in the local index (per-record
columns, small next to the postings, which are memory-mapped and never read here). Document ``i + 1``
of the combined database is record ``i`` (xapian_build deals records round-robin), so Xapian's results
need no id mapping, and a filter mask is applied to them directly, or, when it keeps few records, sent
to the shards as the records' position terms.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np
import xapian

from bot.errors import PaperBotError
from bot.records import Paper

from .bm25 import Matches
from .feedback import expand
from .index import PaperIndex
from .xapian_build import position_term, read_forward_entry, sync_shards

FEW_CHOSEN = 2_000  # a mask keeping at most this many records is sent to the shards as a filter
WIDEN = 4  # a masked top-k that finds too few kept records asks for this many times more
TIMEOUT_MS = 10_000
T = TypeVar("T")


class ShardError(PaperBotError):
    """A shard server cannot be reached or answers with an error."""


def parse_address(address: str) -> tuple[str, int]:
    """'host:port' -> (host, port)."""
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ShardError(f"search.shards: {address!r} is not host:port")
    return host, int(port)


def open_shards(addresses: Sequence[str]) -> xapian.Database:
    """All shard servers as one database (Xapian combines their statistics)."""
    db = xapian.Database()
    for address in addresses:
        host, port = parse_address(address)
        try:
            db.add_database(xapian.remote_open(host, port, TIMEOUT_MS, TIMEOUT_MS))
        except xapian.Error as exc:
            raise ShardError(f"the search server {address} cannot be reached ({exc.get_msg()}); try again shortly") from None
    return db


class ShardedIndex(PaperIndex):
    """A PaperIndex ranking topics on served Xapian shards.

    ``shard_dir`` (optional): the folder holding the shard databases, for appending new records; the
    servers see them once the index reopens the database (``appended`` does).
    """

    def __init__(self, local: PaperIndex, addresses: Sequence[str], shard_dir: Path | None = None) -> None:
        super().__init__(
            local.papers, local.params, local.title_weight, local.feedback, parts=(local.vocab, local.tables, local.columns)
        )
        self.addresses = list(addresses)
        self.shard_dir = shard_dir
        self._lock = threading.Lock()  # a Xapian database serves one call at a time; the bot answers from threads
        if shard_dir is not None:
            try:
                sync_shards(self, shard_dir, len(self.addresses))  # new records go to their shards first
            except xapian.DatabaseLockError:
                raise ShardError(
                    f"the shards in {shard_dir} are being written by another process; try again when it is done"
                ) from None
            except xapian.Error as exc:
                raise ShardError(f"new records could not be written to the shards in {shard_dir} ({exc.get_msg()})") from None
        self.db = open_shards(self.addresses)
        self.held = self.db.get_doccount()
        self._check_aligned()

    def _check_aligned(self) -> None:
        """The shards must hold the index's records at the same positions (they may hold more: records
        the index appends later, as a start-up does with the database's records)."""
        if self.held < len(self.papers):
            raise ShardError(
                f"the shards hold {self.held} records, the index {len(self.papers)}: set search.shard_dir, or rebuild them (paperbot index --backend xapian)"
            )
        if self.papers:
            last = len(self.papers) - 1
            if last + 1 in (p.docid for p in self.db.postlist("Q" + self.papers[last].id)):
                return
            raise ShardError(
                f"the shards do not hold record {self.papers[last].id} at position {last}: rebuild them (paperbot index --backend xapian)"
            )

    def appended(self, papers: Sequence[Paper]) -> ShardedIndex:
        """A new index with ``papers`` added; the shards get them first when ``shard_dir`` is set."""
        return ShardedIndex(PaperIndex.appended(self, papers), self.addresses, self.shard_dir)

    def keep_columns(self) -> int:
        """Nothing to keep: the shards score, and the local postings are never read."""
        return 0

    # --- scoring on the shards ---------------------------------------------------------------
    def _call(self, work: Callable[[], T], what: str) -> T:
        """``work()`` on the shards, one call at a time. A connection lost since the last call (a server
        restarted) is opened again once; a server that stays down is a ShardError the user is shown."""
        with self._lock:
            try:
                try:
                    return work()
                except xapian.NetworkError:
                    self.db = open_shards(self.addresses)
                    return work()
            except xapian.Error as exc:
                raise ShardError(f"the search servers failed to {what} ({exc.get_msg()}); try again shortly") from None

    def _enquire(self, query: xapian.Query) -> xapian.Enquire:
        enquire = xapian.Enquire(self.db)
        enquire.set_weighting_scheme(xapian.BM25PlusWeight(self.params.k1, 0, 0, self.params.b, 0, 0))
        enquire.set_query(query)
        return enquire

    def _terms_query(self, terms: Sequence[int], weights: Sequence[float]) -> xapian.Query:
        words = self.vocab.terms
        return xapian.Query(
            xapian.Query.OP_OR,
            [
                xapian.Query(xapian.Query.OP_SCALE_WEIGHT, xapian.Query(words[t]), float(w))
                for t, w in zip(terms, weights, strict=True)
            ],
        )

    @staticmethod
    def _chosen(query: xapian.Query, docs: np.ndarray) -> xapian.Query:
        """``query`` restricted to records ``docs`` (their position terms)."""
        return xapian.Query(
            xapian.Query.OP_FILTER, query, xapian.Query(xapian.Query.OP_OR, [position_term(int(d)) for d in docs])
        )

    def _fetch(self, query: xapian.Query, size: int) -> tuple[np.ndarray, np.ndarray, bool]:
        """The best ``size`` matches, best first: (record numbers, scores, whether they are all the matches)."""
        found = self._call(lambda: [(item.docid - 1, item.weight) for item in self._enquire(query).get_mset(0, size)], "search")
        docs = np.fromiter((d for d, _ in found), dtype=np.int64, count=len(found))
        scores = np.fromiter((w for _, w in found), dtype=np.float64, count=len(found))
        every = len(found) < size
        known = docs < len(self.papers)  # the shards may hold records this index appends later
        return (docs, scores, every) if known.all() else (docs[known], scores[known], every)

    def first_pass(self, query: dict[int, float], mask: np.ndarray | None, k: int | None) -> Matches:
        known = {t: w for t, w in query.items() if self.bm25.df(t)}
        if not known:
            return Matches(np.zeros(0, np.int64), np.zeros(0))
        xquery = self._terms_query(list(known), list(known.values()))
        if mask is not None:
            chosen = np.flatnonzero(mask)
            if chosen.size <= FEW_CHOSEN:
                if not chosen.size:
                    return Matches(np.zeros(0, np.int64), np.zeros(0))
                xquery, mask = self._chosen(xquery, chosen), None
        size = self.held + 1 if k is None else k if mask is None else self._masked_size(k, chosen.size)
        while True:
            docs, scores, every = self._fetch(xquery, size)
            kept = mask[docs] if mask is not None else np.ones(docs.size, dtype=bool)
            if every:
                break
            best = scores[kept]
            if best.size >= k and scores[-1] < best[k - 1]:
                break  # every match scoring as high as the k-th best kept one is here, ties included
            size *= WIDEN
        order = np.argsort(docs[kept], kind="stable")  # ascending record numbers, as the built-in scorer gives them
        return Matches(docs[kept][order], scores[kept][order])

    def _masked_size(self, k: int, kept: int) -> int:
        """How many matches to ask for so that about ``k`` of them pass a mask keeping ``kept`` records
        (a guess from the mask's share of the records: asking again costs a round trip and a new match)."""
        return min(self.held + 1, int(k * len(self.papers) / max(kept, 1) * 1.5) + 16)

    def rescored(self, query: dict[int, float], head: np.ndarray, scores: np.ndarray) -> np.ndarray | None:
        fb = self.feedback
        terms_x, weights_x = expand(
            fb, self.columns.doc_len, query, head[: fb.docs], scores[: fb.docs], self._entries(head[: fb.docs])
        )
        if not terms_x.size:
            return None
        known = terms_x[self.bm25.dfs.take(terms_x) > 0]
        table = np.bincount(terms_x, weights=weights_x, minlength=len(self.vocab))  # a term given twice: its weights add
        terms = np.unique(known)
        docs, parts, _ = self._fetch(self._chosen(self._terms_query(terms.tolist(), table.take(terms).tolist()), head), head.size)
        new = np.zeros(head.size)
        where = {int(d): i for i, d in enumerate(head.tolist())}
        new[[where[int(d)] for d in docs.tolist()]] = parts
        return new + self.params.delta * float((table.take(terms) * self.bm25.idf.take(terms)).sum())

    def _entries(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(term ids, tfs, owner) of records ``docs``, read from the shards (as ``Rows.entries``)."""
        ids = self.vocab.ids
        terms: list[int] = []
        tfs: list[int] = []
        owner: list[int] = []
        data = self._call(lambda: [self.db.get_document(doc + 1).get_data() for doc in docs.tolist()], "read a record")
        for i, entry in enumerate(data):
            words, counts = read_forward_entry(entry)
            terms += [ids[w] for w in words]
            tfs += counts
            owner += [i] * len(words)
        return np.asarray(terms, dtype=np.int64), np.asarray(tfs, dtype=np.int64), np.asarray(owner, dtype=np.int64)

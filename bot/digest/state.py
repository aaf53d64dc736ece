"""Bot state in one SQLite file: when each record was first seen, digest subscriptions and the digest
in flight per channel, feed fetches.

stdlib sqlite3 in WAL mode; every change is one transaction, so a crash leaves either the old state
or the new one. Transactions are short (an ingest writes in batches), so another process's ingest
or the bot's digest waits a moment for the lock (``BUSY_SECONDS``) instead of failing. Times are
stored as ISO 8601 UTC text, which sorts like time.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.errors import PaperBotError
from bot.records import Paper, stable_id, title_key

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    id TEXT PRIMARY KEY,
    title_key TEXT NOT NULL,
    arxiv_id TEXT NOT NULL DEFAULT '',
    first_seen TEXT NOT NULL,
    source TEXT NOT NULL,
    in_files INTEGER NOT NULL DEFAULT 0,
    row TEXT
);
CREATE INDEX IF NOT EXISTS records_title ON records(title_key);
CREATE INDEX IF NOT EXISTS records_seen ON records(first_seen);
CREATE INDEX IF NOT EXISTS records_arxiv ON records(arxiv_id);
CREATE TABLE IF NOT EXISTS subscriptions (
    channel_id INTEGER PRIMARY KEY,
    guild_id INTEGER,
    filter TEXT NOT NULL DEFAULT '',
    time TEXT,
    timezone TEXT,
    created_at TEXT NOT NULL,
    watermark TEXT NOT NULL,
    last_post_at TEXT,
    last_run_at TEXT,
    next_try_at TEXT,
    last_error TEXT
);
CREATE TABLE IF NOT EXISTS feeds (
    query TEXT PRIMARY KEY,
    last_fetch_at TEXT,
    last_error TEXT
);
CREATE TABLE IF NOT EXISTS deliveries (
    channel_id INTEGER PRIMARY KEY,
    until TEXT NOT NULL,
    record_ids TEXT NOT NULL,
    more INTEGER NOT NULL DEFAULT 0,
    nonce TEXT NOT NULL,
    pages_posted INTEGER NOT NULL DEFAULT 0,
    started_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS page_requests (
    key TEXT PRIMARY KEY,
    request TEXT NOT NULL,
    asked_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


BATCH = 500  # records per ingest transaction: the lock is held for milliseconds, not the whole ingest
BUSY_SECONDS = 60.0  # how long a write waits for another process's transaction before failing


class StoreError(PaperBotError):
    """The database file cannot be opened or written."""


def iso(moment: dt.datetime) -> str:
    """UTC ISO text with microseconds, so text order is time order."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_iso(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class Subscription:
    channel_id: int
    guild_id: int | None
    filter: str
    time: str | None
    timezone: str | None
    created_at: dt.datetime
    watermark: dt.datetime  # records first seen after this go into the next digest
    last_post_at: dt.datetime | None
    last_run_at: dt.datetime | None
    next_try_at: dt.datetime | None
    last_error: str | None


@dataclass(frozen=True, slots=True)
class Delivery:
    """A digest being posted: written before its first page goes out, deleted when the channel is marked done.

    Page ``n`` goes out with ``page_nonce(n)``, so a retry after a crash posts the same pages with the
    same nonces and Discord returns the messages already posted instead of new ones.
    """

    channel_id: int
    until: dt.datetime
    record_ids: tuple[str, ...]
    more: int  # records left out by the size cap
    nonce: str
    pages_posted: int

    def page_nonce(self, number: int) -> str:
        return f"{self.nonce}.{number}"  # at most 25 characters, as Discord allows


@dataclass(frozen=True, slots=True)
class Seen:
    """A record and when the bot first saw it."""

    paper: Paper
    first_seen: dt.datetime


def _subscription(row: sqlite3.Row) -> Subscription:
    def when(key: str) -> dt.datetime | None:
        return from_iso(row[key]) if row[key] else None

    return Subscription(
        row["channel_id"], row["guild_id"], row["filter"], row["time"], row["timezone"], from_iso(row["created_at"]),
        from_iso(row["watermark"]), when("last_post_at"), when("last_run_at"), when("next_try_at"), row["last_error"],
    )


def arxiv_key(paper: Paper) -> str:
    """The arXiv id without version, or "" (v1 and v2 of a paper are one record)."""
    return stable_id("", paper.arxiv_id) if paper.arxiv_id else ""


class Store:
    """One connection per Store, shared by threads under a lock (the bot writes rarely)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=BUSY_SECONDS)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open the database {path}: {exc}") from None
        self.lock = threading.RLock()

    def close(self) -> None:
        with self.lock:
            self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic change; a database error (disk full, locked, read-only) becomes a StoreError."""
        with self.lock:
            try:
                self.db.execute("BEGIN IMMEDIATE")
                try:
                    yield self.db
                except BaseException:
                    self.db.execute("ROLLBACK")
                    raise
                self.db.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StoreError(f"database {self.path}: {exc}") from None

    # --- meta ------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        with self.lock:
            row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    # --- records -----------------------------------------------------------------------
    def record_count(self) -> int:
        with self.lock:
            return int(self.db.execute("SELECT count(*) FROM records").fetchone()[0])

    def add_records(
        self, papers: Iterable[Paper], clock: Callable[[], dt.datetime], source: str, in_files: bool = False, keep_rows: bool = True
    ) -> list[Paper]:
        """Insert the records not seen before (same id, arXiv id or normalised title); returns them.

        Written in transactions of ``BATCH`` records, each stamped with the clock read inside it (so a
        digest cut taken meanwhile never misses a record stamped before it). ``papers`` is consumed
        outside the transactions: a progress bar or a slow reader never holds the lock.
        ``keep_rows`` False stores only the keys (a baseline import of a large corpus: those records
        are never "new", so their text is not needed here).
        """
        added: list[Paper] = []
        with self.lock:
            known = {row[0] for row in self.db.execute("SELECT id FROM records WHERE in_files = 1")} if in_files else set()
        items = iter(papers)
        while batch := list(itertools.islice(items, BATCH)):
            with self.transaction() as db:
                stamp = iso(clock())
                for paper in batch:
                    if paper.id in known:
                        continue  # a corpus file's record seen before (a large corpus re-synced after one file changed)
                    key = title_key(paper.title)
                    # three indexed lookups (SQLite answers an OR of indexed columns as a union), not a scan
                    clash = db.execute(
                        "SELECT 1 FROM records WHERE id = ? OR title_key = ? OR arxiv_id = ? LIMIT 1", (paper.id, key, arxiv_key(paper) or "\x00")
                    ).fetchone()
                    if clash:
                        if in_files:
                            db.execute("UPDATE records SET in_files = 1 WHERE id = ? OR title_key = ?", (paper.id, key))
                        continue
                    row = json.dumps(paper.to_row(), ensure_ascii=False) if keep_rows else None
                    db.execute(
                        "INSERT INTO records(id, title_key, arxiv_id, first_seen, source, in_files, row) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (paper.id, key, arxiv_key(paper), stamp, source, int(in_files), row),
                    )
                    added.append(paper)
        return added

    def import_baseline(self, papers: Iterable[Paper], now: dt.datetime, source: str) -> int:
        """First start: remember every corpus record as already seen (keys only, one bulk insert). One
        transaction on purpose: a start killed half-way must not leave the rest of the corpus to be
        found "new" (another process waits for it: BUSY_SECONDS)."""
        stamp = iso(now)
        rows = ((p.id, title_key(p.title), arxiv_key(p), stamp, source) for p in papers)
        with self.transaction() as db:
            before = db.total_changes
            db.executemany("INSERT OR IGNORE INTO records(id, title_key, arxiv_id, first_seen, source, in_files) VALUES (?, ?, ?, ?, ?, 1)", rows)
            return db.total_changes - before

    def seen_between(self, after: dt.datetime, until: dt.datetime) -> list[Seen]:
        """Records first seen in (after, until], oldest first."""
        with self.lock:
            rows = self.db.execute(
                "SELECT row, first_seen FROM records WHERE first_seen > ? AND first_seen <= ? AND row IS NOT NULL ORDER BY first_seen, id",
                (iso(after), iso(until)),
            ).fetchall()
        return [Seen(Paper.from_row(json.loads(r["row"])), from_iso(r["first_seen"])) for r in rows]

    def cut(self, after: dt.datetime, clock: Callable[[], dt.datetime]) -> tuple[dt.datetime, list[Seen]]:
        """Records first seen after ``after`` up to now, and that "now": the moment a digest covers up to.

        Read under the write lock, so an ingest batch either committed before (and is in) or stamps
        its records later than the cut (and goes in the next digest): none falls between.
        """
        with self.transaction():
            until = clock() - dt.timedelta(microseconds=1)  # a record stamped at this very instant goes next time
            seen = self.seen_between(after, until)
        return until, seen

    def records_by_id(self, ids: Iterable[str]) -> list[Paper]:
        """The stored records with these ids, in the order given (a missing one is left out)."""
        wanted = list(ids)
        found: dict[str, Paper] = {}
        with self.lock:
            for lo in range(0, len(wanted), BATCH):
                part = wanted[lo : lo + BATCH]
                marks = ",".join("?" * len(part))
                for row in self.db.execute(f"SELECT id, row FROM records WHERE row IS NOT NULL AND id IN ({marks})", part):
                    found[row["id"]] = Paper.from_row(json.loads(row["row"]))
        return [found[i] for i in wanted if i in found]

    def extra_count(self) -> int:
        with self.lock:
            return int(self.db.execute("SELECT count(*) FROM records WHERE in_files = 0 AND row IS NOT NULL").fetchone()[0])

    def extra_records(self) -> list[Paper]:
        """Records that came from feeds or ingest, not from the corpus files (the index appends them)."""
        with self.lock:
            rows = self.db.execute("SELECT row FROM records WHERE in_files = 0 AND row IS NOT NULL ORDER BY first_seen, id").fetchall()
        return [Paper.from_row(json.loads(r["row"])) for r in rows]

    # --- subscriptions ----------------------------------------------------------------------
    def subscribe(self, channel_id: int, guild_id: int | None, filter_text: str, time: str | None, timezone: str | None, now: dt.datetime) -> None:
        """Subscribe (or change a subscription); a new one starts from now, an existing one keeps its watermark."""
        stamp = iso(now)
        with self.transaction() as db:
            db.execute(
                "INSERT INTO subscriptions(channel_id, guild_id, filter, time, timezone, created_at, watermark) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(channel_id) DO UPDATE SET filter = excluded.filter, time = excluded.time, timezone = excluded.timezone",
                (channel_id, guild_id, filter_text, time, timezone, stamp, stamp),
            )

    def unsubscribe(self, channel_id: int) -> bool:
        with self.transaction() as db:
            db.execute("DELETE FROM deliveries WHERE channel_id = ?", (channel_id,))
            return db.execute("DELETE FROM subscriptions WHERE channel_id = ?", (channel_id,)).rowcount > 0

    def subscription(self, channel_id: int) -> Subscription | None:
        with self.lock:
            row = self.db.execute("SELECT * FROM subscriptions WHERE channel_id = ?", (channel_id,)).fetchone()
        return _subscription(row) if row else None

    def subscriptions(self) -> list[Subscription]:
        with self.lock:
            rows = self.db.execute("SELECT * FROM subscriptions ORDER BY channel_id").fetchall()
        return [_subscription(r) for r in rows]

    def mark_digest_done(self, channel_id: int, until: dt.datetime, now: dt.datetime, posted: bool) -> None:
        """The digest covering records up to ``until`` reached the channel (or was skipped as empty): one
        transaction moves the watermark and ends the delivery in flight."""
        with self.transaction() as db:
            db.execute(
                "UPDATE subscriptions SET watermark = ?, last_run_at = ?, last_post_at = CASE WHEN ? THEN ? ELSE last_post_at END, "
                "next_try_at = NULL, last_error = NULL WHERE channel_id = ?",
                (iso(until), iso(now), int(posted), iso(now), channel_id),
            )
            db.execute("DELETE FROM deliveries WHERE channel_id = ?", (channel_id,))

    def mark_digest_failed(self, channel_id: int, error: str, retry_at: dt.datetime) -> None:
        """A post failed: the watermark stays, so the same records go out on the retry."""
        with self.transaction() as db:
            db.execute("UPDATE subscriptions SET last_error = ?, next_try_at = ? WHERE channel_id = ?", (error[:500], iso(retry_at), channel_id))

    # --- the digest in flight ---------------------------------------------------------------
    def delivery(self, channel_id: int) -> Delivery | None:
        with self.lock:
            row = self.db.execute("SELECT * FROM deliveries WHERE channel_id = ?", (channel_id,)).fetchone()
        if row is None:
            return None
        return Delivery(row["channel_id"], from_iso(row["until"]), tuple(json.loads(row["record_ids"])), row["more"], row["nonce"], row["pages_posted"])

    def start_delivery(self, channel_id: int, until: dt.datetime, record_ids: Iterable[str], more: int, nonce: str, now: dt.datetime) -> Delivery:
        """Record a digest before its first page is posted; a delivery already in flight for the channel wins."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO deliveries(channel_id, until, record_ids, more, nonce, started_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(channel_id) DO NOTHING",
                (channel_id, iso(until), json.dumps(list(record_ids)), more, nonce, iso(now)),
            )
        started = self.delivery(channel_id)
        assert started is not None, "a delivery just written reads back"
        return started

    def delivery_page_posted(self, channel_id: int, number: int) -> None:
        """Page ``number`` reached Discord: a retry after Discord's nonce window starts after it."""
        with self.transaction() as db:
            db.execute("UPDATE deliveries SET pages_posted = max(pages_posted, ?) WHERE channel_id = ?", (number, channel_id))

    # --- what paged answers were asked with -----------------------------------------------
    def remember_request(self, key: str, request: str, now: dt.datetime, forget_before: dt.datetime) -> None:
        """Keep a paged answer's request (to redraw its pages after a restart); forget those past their age."""
        with self.transaction() as db:
            db.execute("DELETE FROM page_requests WHERE asked_at < ?", (iso(forget_before),))
            db.execute(
                "INSERT INTO page_requests(key, request, asked_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET asked_at = excluded.asked_at",
                (key, request, iso(now)),
            )

    def recall_request(self, key: str) -> str | None:
        with self.lock:
            row = self.db.execute("SELECT request FROM page_requests WHERE key = ?", (key,)).fetchone()
        return row["request"] if row else None

    # --- feeds ------------------------------------------------------------------------------
    def feed_fetched(self, query: str) -> dt.datetime | None:
        with self.lock:
            row = self.db.execute("SELECT last_fetch_at FROM feeds WHERE query = ?", (query,)).fetchone()
        return from_iso(row["last_fetch_at"]) if row and row["last_fetch_at"] else None

    def mark_feed(self, query: str, now: dt.datetime, error: str | None) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO feeds(query, last_fetch_at, last_error) VALUES (?, ?, ?) "
                "ON CONFLICT(query) DO UPDATE SET last_fetch_at = excluded.last_fetch_at, last_error = excluded.last_error",
                (query, iso(now), error),
            )

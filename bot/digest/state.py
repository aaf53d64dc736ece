"""Bot state in one SQLite file: when each record was first seen, digest subscriptions and the digest
in flight per channel, feed fetches.

stdlib sqlite3 in WAL mode; every change is one transaction, so a crash leaves either the old state
or the new one. Transactions are short (an ingest writes in batches), so another process's ingest
or the bot's digest waits a moment for the lock (``BUSY_SECONDS``) instead of failing. Times are
stored as ISO 8601 UTC text, which sorts like time.

Integrity: every SQLite error reaches the caller as one StoreError line. Opening runs PRAGMA
quick_check and checks the schema version (PRAGMA user_version) and tables; a missing table, or a
missing database whose id file says one existed, is never silently re-created over existing state:
the open is refused unless ``init`` (``--init-state``). A row that cannot be read is skipped with a
warning. A database file deleted or replaced while paperbot runs is noticed before every change
(its device and inode) and logged loudly, and the change is refused instead of going nowhere.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from bot.config import check_clock, check_timezone
from bot.errors import PaperBotError
from bot.records import Paper, stable_id, title_key

from .watch_state import WATCH_SCHEMA, WATCH_TABLES, WatchTables

log = logging.getLogger("paperbot.state")
SCHEMA_VERSION = 3
TABLES = ("records", "subscriptions", "feeds", "meta", "deliveries", "page_requests", *WATCH_TABLES)
# tables that hold no earlier state: an older database gains them
ADDED_IN = {"deliveries": 2, "page_requests": 2, **dict.fromkeys(WATCH_TABLES, 3)}
T = TypeVar("T")

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
SCHEMA += WATCH_SCHEMA  # watch lists (watch_state.py)


BATCH = 500  # records per ingest transaction: the lock is held for milliseconds, not the whole ingest
BUSY_SECONDS = 60.0  # how long a write waits for another process's transaction before failing


class StoreError(PaperBotError):
    """The database file cannot be opened, read or written, or is damaged."""


def id_file(path: Path) -> Path:
    """Beside the database, its id: proof that a database existed here (``rm paperbot.sqlite3*`` leaves it)."""
    return path.with_name(f".{path.name}.id")


def read_only_hint(path: Path, exc: sqlite3.Error) -> str:
    """For "readonly database": which of the database's files cannot be written (a -shm or -wal left
    read-only by an earlier run keeps the database read-only after the file itself is made writable)."""
    if "readonly" not in str(exc):
        return ""
    stuck = [
        p.name
        for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))
        if p.exists() and not os.access(p, os.W_OK)
    ]
    return f" ({', '.join(stuck)} not writable: make {'them' if len(stuck) > 1 else 'it'} writable)" if stuck else ""


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

    if row["time"] is not None:
        check_clock(row["time"], "time")
    if row["timezone"] is not None:
        check_timezone(row["timezone"], "timezone")
    return Subscription(
        row["channel_id"],
        row["guild_id"],
        row["filter"],
        row["time"],
        row["timezone"],
        from_iso(row["created_at"]),
        from_iso(row["watermark"]),
        when("last_post_at"),
        when("last_run_at"),
        when("next_try_at"),
        row["last_error"],
    )


def arxiv_key(paper: Paper) -> str:
    """The arXiv id without version, or "" (v1 and v2 of a paper are one record)."""
    return stable_id("", paper.arxiv_id) if paper.arxiv_id else ""


class Store(WatchTables):
    """One connection per Store, shared by threads under a lock (the bot writes rarely)."""

    def __init__(self, path: Path, init: bool = False, reading: bool = False) -> None:
        """Open the database at ``path``, creating it on a first start; ``init`` also allows starting
        a new one where one existed, or re-creating missing tables (``--init-state``).

        ``reading``: opened read-only to read records for answers (``paperbot ask``): nothing is
        created or written, and quick_check is left to the commands that change state (it reads the
        whole file: about 0.4 s at a million records, bench/integrity.py); a damaged page that is read
        is still one StoreError line.
        """
        self.path = path
        try:
            if reading:
                self.db = sqlite3.connect(
                    f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False, isolation_level=None
                )
                self.db.row_factory = sqlite3.Row
                missing = self._check_schema()[2]
                if missing:
                    raise StoreError(f"database {path} lacks the tables {', '.join(missing)}")
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=BUSY_SECONDS)
                self.db.row_factory = sqlite3.Row
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                self._check(init)
            self.identity = os.stat(path)
        except (sqlite3.Error, OSError) as exc:
            if hasattr(self, "db"):
                self.db.close()
            hint = read_only_hint(path, exc) if isinstance(exc, sqlite3.Error) else ""
            raise StoreError(f"database {path}: {exc}{hint}") from None
        except StoreError:
            self.db.close()
            raise
        self.lock = threading.RLock()

    def _check_schema(self) -> tuple[int, set[str], list[str]]:
        """The schema version, and the tables present and missing; a newer schema is a StoreError."""
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"database {self.path} has schema version {version}, newer than this paperbot's {SCHEMA_VERSION}")
        present = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return version, present, [t for t in TABLES if t not in present and ADDED_IN.get(t, 1) <= max(version, 1)]

    def _check(self, init: bool) -> None:
        """quick_check, the schema version and the tables; create the schema on a first start (or with ``init``)."""
        problem = self.db.execute("PRAGMA quick_check").fetchone()[0]
        if problem != "ok":
            raise StoreError(
                f"database {self.path} is damaged ({problem}); restore a backup, or move it aside and start with --init-state"
            )
        version, present, missing = self._check_schema()
        marker = id_file(self.path)
        if missing and not init:
            if present or version:
                tables, them = ("tables", "them") if len(missing) > 1 else ("table", "it")
                raise StoreError(
                    f"database {self.path} lacks the {tables} {', '.join(missing)}: re-creating {them} would lose state; "
                    "restore a backup, or start with --init-state"
                )
            if marker.is_file():
                raise StoreError(
                    f"database {self.path} is missing or empty, but one existed (id in {marker}); restore it, or start with "
                    "--init-state to begin a new one (subscriptions and first-seen times start over)"
                )
        if missing:
            log.warning(
                "database %s: creating %s",
                self.path,
                "a new database" if not present else "the missing tables " + ", ".join(missing),
            )
            self.db.executescript(SCHEMA)
        elif version < SCHEMA_VERSION:
            log.info("database %s: schema version %d -> %d (new tables and indexes only)", self.path, version, SCHEMA_VERSION)
            self.db.executescript(SCHEMA)  # every statement is IF NOT EXISTS: only what the newer schema adds is created
        if version != SCHEMA_VERSION:
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        known = self.db.execute("SELECT value FROM meta WHERE key = 'database_id'").fetchone()
        if known is None:
            self.db.execute("INSERT INTO meta(key, value) VALUES ('database_id', ?)", (uuid.uuid4().hex,))
            known = self.db.execute("SELECT value FROM meta WHERE key = 'database_id'").fetchone()
        self._mark(known[0])

    def _mark(self, database_id: str) -> None:
        """Keep the database's id in ``id_file``; a different id there means the file was replaced (logged)."""
        marker = id_file(self.path)
        try:
            recorded = marker.read_text().strip() if marker.is_file() else None
            if recorded is not None and recorded != database_id:
                log.warning(
                    "database %s is not the one paperbot used before (its id changed): replaced, or restored from a backup?",
                    self.path,
                )
            if recorded != database_id:
                marker.write_text(database_id + "\n")
        except OSError as exc:
            log.warning("could not read or write %s: %s", marker, exc)

    def close(self) -> None:
        with self.lock:
            self.db.close()

    def _same_file(self) -> None:
        """Refuse a change when the database file was deleted or replaced since it was opened (logged loudly)."""
        try:
            now = os.stat(self.path)
            same = (now.st_dev, now.st_ino) == (self.identity.st_dev, self.identity.st_ino)
        except OSError:
            same = False
        if not same:
            log.error(
                "THE DATABASE FILE %s WAS DELETED OR REPLACED while paperbot ran: changes are refused; restart paperbot",
                self.path,
            )
            raise StoreError(f"the database file {self.path} was deleted or replaced while paperbot ran; restart paperbot")

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A read under the lock; a database error becomes a StoreError."""
        with self.lock:
            try:
                yield self.db
            except sqlite3.Error as exc:
                raise StoreError(f"database {self.path}: {exc}") from None

    def _rows(self, rows: Iterable[sqlite3.Row], read: Callable[[sqlite3.Row], T], table: str) -> list[T]:
        """Each row read by ``read``; a row that cannot be read is skipped with a warning."""
        out: list[T] = []
        for row in rows:
            try:
                out.append(read(row))
            except (ValueError, KeyError, TypeError, PaperBotError) as exc:
                key = row.keys()[0]
                log.warning("database %s: skipped a bad row in %s (%s %r): %s", self.path, table, key, row[key], str(exc)[:200])
        return out

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic change; a database error (disk full, locked, read-only) becomes a StoreError naming it."""
        with self.lock:
            self._same_file()
            try:
                self.db.execute("BEGIN IMMEDIATE")
                try:
                    yield self.db
                    self.db.execute("COMMIT")
                except BaseException:
                    if self.db.in_transaction:  # SQLite may have rolled back already (disk full): keep the real error
                        self.db.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise StoreError(f"database {self.path}: {exc}{read_only_hint(self.path, exc)}") from None

    # --- meta ------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        with self._reading():
            row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value)
            )

    # --- records -----------------------------------------------------------------------
    def record_count(self) -> int:
        with self._reading():
            return int(self.db.execute("SELECT count(*) FROM records").fetchone()[0])

    def add_records(
        self,
        papers: Iterable[Paper],
        clock: Callable[[], dt.datetime],
        source: str,
        in_files: bool = False,
        keep_rows: bool = True,
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
                        "SELECT 1 FROM records WHERE id = ? OR title_key = ? OR arxiv_id = ? LIMIT 1",
                        (paper.id, key, arxiv_key(paper) or "\x00"),
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
            db.executemany(
                "INSERT OR IGNORE INTO records(id, title_key, arxiv_id, first_seen, source, in_files) VALUES (?, ?, ?, ?, ?, 1)",
                rows,
            )
            return db.total_changes - before

    def seen_between(self, after: dt.datetime, until: dt.datetime) -> list[Seen]:
        """Records first seen in (after, until], oldest first."""
        with self._reading():
            rows = self.db.execute(
                "SELECT id, row, first_seen FROM records WHERE first_seen > ? AND first_seen <= ? AND row IS NOT NULL ORDER BY first_seen, id",
                (iso(after), iso(until)),
            ).fetchall()
        return self._rows(rows, lambda r: Seen(Paper.from_row(json.loads(r["row"])), from_iso(r["first_seen"])), "records")

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
        with self._reading():
            return int(self.db.execute("SELECT count(*) FROM records WHERE in_files = 0 AND row IS NOT NULL").fetchone()[0])

    def extra_records(self) -> list[Paper]:
        """Records that came from feeds or ingest, not from the corpus files (the index appends them)."""
        with self._reading():
            rows = self.db.execute(
                "SELECT id, row FROM records WHERE in_files = 0 AND row IS NOT NULL ORDER BY first_seen, id"
            ).fetchall()
        return self._rows(rows, lambda r: Paper.from_row(json.loads(r["row"])), "records")

    # --- subscriptions ----------------------------------------------------------------------
    def subscribe(
        self, channel_id: int, guild_id: int | None, filter_text: str, time: str | None, timezone: str | None, now: dt.datetime
    ) -> None:
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
        with self._reading():
            row = self.db.execute("SELECT * FROM subscriptions WHERE channel_id = ?", (channel_id,)).fetchone()
        found = self._rows([row] if row else [], _subscription, "subscriptions")
        return found[0] if found else None

    def subscriptions(self) -> list[Subscription]:
        with self._reading():
            rows = self.db.execute("SELECT * FROM subscriptions ORDER BY channel_id").fetchall()
        return self._rows(rows, _subscription, "subscriptions")

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
            db.execute(
                "UPDATE subscriptions SET last_error = ?, next_try_at = ? WHERE channel_id = ?",
                (error[:500], iso(retry_at), channel_id),
            )

    # --- the digest in flight ---------------------------------------------------------------
    def delivery(self, channel_id: int) -> Delivery | None:
        with self.lock:
            row = self.db.execute("SELECT * FROM deliveries WHERE channel_id = ?", (channel_id,)).fetchone()
        if row is None:
            return None
        return Delivery(
            row["channel_id"],
            from_iso(row["until"]),
            tuple(json.loads(row["record_ids"])),
            row["more"],
            row["nonce"],
            row["pages_posted"],
        )

    def start_delivery(
        self, channel_id: int, until: dt.datetime, record_ids: Iterable[str], more: int, nonce: str, now: dt.datetime
    ) -> Delivery:
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
        with self._reading():
            row = self.db.execute("SELECT query, last_fetch_at FROM feeds WHERE query = ?", (query,)).fetchone()
        found = self._rows([row] if row and row["last_fetch_at"] else [], lambda r: from_iso(r["last_fetch_at"]), "feeds")
        return found[0] if found else None

    def mark_feed(self, query: str, now: dt.datetime, error: str | None) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO feeds(query, last_fetch_at, last_error) VALUES (?, ?, ?) "
                "ON CONFLICT(query) DO UPDATE SET last_fetch_at = excluded.last_fetch_at, last_error = excluded.last_error",
                (query, iso(now), error),
            )

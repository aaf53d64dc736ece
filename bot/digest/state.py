"""Bot state: when each record was first seen, digest subscriptions and the digest in flight per
channel, feed fetches. In one SQLite file (the default) or a PostgreSQL database (``database:`` a
``postgresql://`` URL): every query below is written once, in SQL both engines run; bot.digest.backend
holds the little that differs. A new table goes into SCHEMA (portable types: TEXT, INTEGER, BIGINT
for Discord ids) and TABLES, with ``?`` placeholders and ``INSERT ... ON CONFLICT`` in its methods.

Every change is one transaction, so a crash leaves either the old state or the new one. Writes are
serialised (SQLite's lock; a PostgreSQL advisory lock) and short (an ingest writes in batches), so
another process's ingest or the bot's digest waits a moment for the lock (``BUSY_SECONDS``) instead
of failing. Times are stored as ISO 8601 UTC text, which sorts like time.

Integrity: every database error reaches the caller as one StoreError line. Opening a SQLite file runs
PRAGMA quick_check; every open checks the schema version (SQLite's user_version, PostgreSQL's meta row)
and tables; a missing table, or a missing database whose id file says one existed, is never silently re-created over existing state:
the open is refused unless ``init`` (``--init-state``). A row that cannot be read is skipped with a
warning. A database file deleted or replaced while paperbot runs is noticed before every change
(its device and inode) and logged loudly, and the change is refused instead of going nowhere.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from bot.config import check_clock, check_timezone
from bot.errors import PaperBotError
from bot.records import Paper, stable_id, title_key

from .backend import Backend, Database, StoreError, connect
from .watch_state import WATCH_SCHEMA, WATCH_TABLES, WatchTables

__all__ = ["StoreError"]  # raised by every Store method; callers import it from here

log = logging.getLogger("paperbot.state")
SCHEMA_VERSION = 4
TABLES = ("records", "subscriptions", "feeds", "meta", "deliveries", "page_requests", *WATCH_TABLES, "digest_claims")
# tables that hold no earlier state: an older database gains them
ADDED_IN = {"deliveries": 2, "page_requests": 2, **dict.fromkeys(WATCH_TABLES, 3), "digest_claims": 4}
T = TypeVar("T")
Row = Any  # sqlite3.Row, or the PostgreSQL backend's row: both read by position and by column name

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
    channel_id BIGINT PRIMARY KEY,
    guild_id BIGINT,
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
    channel_id BIGINT PRIMARY KEY,
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
CREATE TABLE IF NOT EXISTS digest_claims (
    channel_id BIGINT NOT NULL,
    slot TEXT NOT NULL,
    owner TEXT NOT NULL,
    lease_until TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    takeovers INTEGER NOT NULL DEFAULT 0,
    message_id BIGINT,
    done_at TEXT,
    PRIMARY KEY (channel_id, slot)
);
"""
SCHEMA += WATCH_SCHEMA  # watch lists (watch_state.py)


BATCH = 500  # records per ingest transaction: the lock is held for milliseconds, not the whole ingest


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


def optional_time(row: Row, key: str) -> dt.datetime | None:
    """A time column that may be empty ("never")."""
    return from_iso(row[key]) if row[key] else None


def check_schedule(row: Row) -> None:
    """A stored schedule (HH:MM and IANA zone) must still be valid: a damaged row is refused, not run at a wrong hour."""
    if row["time"] is not None:
        check_clock(row["time"], "time")
    if row["timezone"] is not None:
        check_timezone(row["timezone"], "timezone")


def _subscription(row: Row) -> Subscription:
    def when(key: str) -> dt.datetime | None:
        return optional_time(row, key)

    check_schedule(row)
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

    def __init__(self, path: Database, init: bool = False, reading: bool = False) -> None:
        """Open the database at ``path`` (a SQLite file or a ``postgresql://`` URL), creating it on a
        first start; ``init`` also allows starting a new one where one existed, or re-creating missing
        tables (``--init-state``).

        ``reading``: opened read-only to read records for answers (``paperbot ask``): nothing is
        created or written, and quick_check is left to the commands that change state (it reads the
        whole file: about 0.4 s at a million records, bench/integrity.py); a damaged page that is read
        is still one StoreError line.
        """
        self.path = path
        self.db = connect(path, reading)
        self.label = self.db.label
        try:
            if reading:
                missing = self._check_schema()[2]
                if missing:
                    raise StoreError(f"database {self.label} lacks the tables {', '.join(missing)}")
            else:
                self._check(init)
        except self.db.errors as exc:
            self.db.close()
            raise StoreError(f"database {self.label}: {self.db.describe(exc)}") from None
        except StoreError:
            self.db.close()
            raise
        self.lock = threading.RLock()

    def _check_schema(self) -> tuple[int, set[str], list[str]]:
        """The schema version, and the tables present and missing; a newer schema is a StoreError."""
        version = self.db.schema_version()
        if version > SCHEMA_VERSION:
            raise StoreError(f"database {self.label} has schema version {version}, newer than this paperbot's {SCHEMA_VERSION}")
        present = self.db.tables()
        return version, present, [t for t in TABLES if t not in present and ADDED_IN.get(t, 1) <= max(version, 1)]

    def _check(self, init: bool) -> None:
        """quick_check, the schema version and the tables; create the schema on a first start (or with ``init``)."""
        problem = self.db.check_integrity()
        if problem != "ok":
            raise StoreError(
                f"database {self.label} is damaged ({problem}); restore a backup, or move it aside and start with --init-state"
            )
        version, present, missing = self._check_schema()
        if missing and not init:
            if present or version:
                tables, them = ("tables", "them") if len(missing) > 1 else ("table", "it")
                raise StoreError(
                    f"database {self.label} lacks the {tables} {', '.join(missing)}: re-creating {them} would lose state; "
                    "restore a backup, or start with --init-state"
                )
            if existed := self.db.existed_before():
                raise StoreError(
                    f"database {self.label} is missing or empty, but one existed ({existed}); restore it, or start with "
                    "--init-state to begin a new one (subscriptions and first-seen times start over)"
                )
        if missing:
            log.warning(
                "database %s: creating %s",
                self.label,
                "a new database" if not present else "the missing tables " + ", ".join(missing),
            )
            self.db.create_schema(SCHEMA)
        elif version < SCHEMA_VERSION:
            log.info("database %s: schema version %d -> %d (new tables and indexes only)", self.label, version, SCHEMA_VERSION)
            self.db.create_schema(SCHEMA)  # every statement is IF NOT EXISTS: only what the newer schema adds is created
        if version != SCHEMA_VERSION:
            self.db.set_schema_version(SCHEMA_VERSION)
        self.db.execute("INSERT INTO meta(key, value) VALUES ('database_id', ?) ON CONFLICT(key) DO NOTHING", (uuid.uuid4().hex,))
        known = self.db.execute("SELECT value FROM meta WHERE key = 'database_id'").fetchone()
        self.db.remember_id(known[0])

    def close(self) -> None:
        with self.lock:
            self.db.close()

    @contextmanager
    def _reading(self) -> Iterator[Backend]:
        """A read under the lock; a database error becomes a StoreError."""
        with self.lock:
            try:
                yield self.db
            except self.db.errors as exc:
                raise StoreError(f"database {self.label}: {self.db.describe(exc)}") from None

    def _rows(self, rows: Iterable[Row], read: Callable[[Row], T], table: str) -> list[T]:
        """Each row read by ``read``; a row that cannot be read is skipped with a warning."""
        out: list[T] = []
        for row in rows:
            try:
                out.append(read(row))
            except (ValueError, KeyError, TypeError, PaperBotError) as exc:
                key = row.keys()[0]
                log.warning("database %s: skipped a bad row in %s (%s %r): %s", self.label, table, key, row[key], str(exc)[:200])
        return out

    @contextmanager
    def transaction(self) -> Iterator[Backend]:
        """One atomic change, holding the database's write lock; a database error (disk full, locked,
        read-only, server gone) becomes a StoreError naming it."""
        with self.lock:
            self.db.check_same()
            try:
                self.db.begin()
                try:
                    yield self.db
                    self.db.commit()
                except BaseException:
                    self.db.rollback()
                    raise
            except self.db.errors as exc:
                raise StoreError(f"database {self.label}: {self.db.describe(exc)}") from None

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
                added += self._add_batch(db, batch, iso(clock()), source, in_files, keep_rows, known)
        return added

    def _add_batch(
        self, db: Backend, batch: list[Paper], stamp: str, source: str, in_files: bool, keep_rows: bool, known: set[str]
    ) -> list[Paper]:
        """One ingest transaction: three indexed lookups for the whole batch (ids, title keys, arXiv
        keys), then one bulk insert: a few round trips per batch, not two per record (PostgreSQL)."""
        fresh = [p for p in batch if p.id not in known]  # a corpus file's record seen before (a re-sync after one file changed)
        keys = {p.id: title_key(p.title) for p in fresh}
        ids = self._present(db, "id", {p.id for p in fresh})
        titles = self._present(db, "title_key", set(keys.values()))
        arxivs = self._present(db, "arxiv_id", {arxiv_key(p) for p in fresh} - {""})
        rows: list[tuple[Any, ...]] = []
        clashes: list[tuple[str, str]] = []
        added: list[Paper] = []
        for paper in fresh:
            key, arxiv = keys[paper.id], arxiv_key(paper)
            if paper.id in ids or key in titles or (arxiv and arxiv in arxivs):
                clashes.append((paper.id, key))
                continue
            ids.add(paper.id)
            titles.add(key)
            arxivs.add(arxiv)
            row = json.dumps(paper.to_row(), ensure_ascii=False) if keep_rows else None
            rows.append((paper.id, key, arxiv, stamp, source, int(in_files), row))
            added.append(paper)
        if in_files and clashes:
            db.executemany("UPDATE records SET in_files = 1 WHERE id = ? OR title_key = ?", clashes)
        if rows:  # the write lock is held since the lookups: nothing new can clash; the earliest first_seen stays anyway
            db.executemany(
                "INSERT INTO records(id, title_key, arxiv_id, first_seen, source, in_files, row) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO NOTHING",
                rows,
            )
        return added

    @staticmethod
    def _present(db: Backend, column: str, values: set[str]) -> set[str]:
        """Which of ``values`` the records table holds in ``column`` (an indexed column)."""
        wanted = list(values)
        found: set[str] = set()
        for lo in range(0, len(wanted), BATCH):
            part = wanted[lo : lo + BATCH]
            marks = ",".join("?" * len(part))
            found.update(r[0] for r in db.execute(f"SELECT {column} FROM records WHERE {column} IN ({marks})", part))
        return found

    def import_baseline(self, papers: Iterable[Paper], now: dt.datetime, source: str) -> int:
        """First start: remember every corpus record as already seen (keys only, one bulk insert). One
        transaction on purpose: a start killed half-way must not leave the rest of the corpus to be
        found "new" (another process waits for it: BUSY_SECONDS)."""
        stamp = iso(now)
        rows = ((p.id, title_key(p.title), arxiv_key(p), stamp, source) for p in papers)
        with self.transaction() as db:
            return db.executemany(
                "INSERT INTO records(id, title_key, arxiv_id, first_seen, source, in_files) VALUES (?, ?, ?, ?, ?, 1) "
                "ON CONFLICT(id) DO NOTHING",
                rows,
            )

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
            self._digest_done(db, channel_id, until, now, posted)

    @staticmethod
    def _digest_done(db: Backend, channel_id: int, until: dt.datetime, now: dt.datetime, posted: bool) -> None:
        """mark_digest_done's writes, inside a caller's transaction (finish_digest adds the claim's)."""
        db.execute(
            "UPDATE subscriptions SET watermark = ?, last_run_at = ?, last_post_at = CASE WHEN ? = 1 THEN ? ELSE last_post_at END, "
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
            db.execute(
                "UPDATE deliveries SET pages_posted = ? WHERE channel_id = ? AND pages_posted < ?", (number, channel_id, number)
            )

    # --- which process posts a digest (sharded bots) -------------------------------------------
    # Portable SQL (SQLite and PostgreSQL): ISO text times, INSERT ... ON CONFLICT ... DO UPDATE ... WHERE.
    def claim_digest(self, channel_id: int, slot: str, owner: str, now: dt.datetime, lease_until: dt.datetime) -> bool:
        """Claim the channel's digest that starts after watermark ``slot`` until ``lease_until``; True when
        ``owner`` holds it. One atomic upsert: it is claimed only while the channel's watermark is still
        ``slot`` (a process that read the subscription before another moved on gets nothing), the digest
        is not done, and no other owner's lease is live. Renewing one's own claim succeeds."""
        with self.transaction() as db:
            return (
                db.execute(
                    "INSERT INTO digest_claims(channel_id, slot, owner, lease_until, claimed_at) "
                    "SELECT channel_id, watermark, ?, ?, ? FROM subscriptions WHERE channel_id = ? AND watermark = ? "
                    "ON CONFLICT (channel_id, slot) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until, "
                    "takeovers = digest_claims.takeovers + CASE WHEN digest_claims.owner = excluded.owner THEN 0 ELSE 1 END, "
                    "claimed_at = CASE WHEN digest_claims.owner = excluded.owner THEN digest_claims.claimed_at ELSE excluded.claimed_at END "
                    "WHERE digest_claims.done_at IS NULL "
                    "AND (digest_claims.owner = excluded.owner OR digest_claims.lease_until < excluded.claimed_at)",
                    (owner, iso(lease_until), iso(now), channel_id, slot),
                ).rowcount
                == 1
            )

    def renew_claim(self, channel_id: int, slot: str, owner: str, lease_until: dt.datetime, message_id: int | None) -> bool:
        """A page went out: extend the lease (and keep the digest's first message id); False when another
        owner took the digest over meanwhile (it posts the rest, with the same nonces)."""
        with self.transaction() as db:
            return (
                db.execute(
                    "UPDATE digest_claims SET lease_until = ?, message_id = COALESCE(message_id, ?) "
                    "WHERE channel_id = ? AND slot = ? AND owner = ? AND done_at IS NULL",
                    (iso(lease_until), message_id, channel_id, slot, owner),
                ).rowcount
                == 1
            )

    def finish_digest(
        self,
        channel_id: int,
        slot: str,
        owner: str,
        until: dt.datetime,
        now: dt.datetime,
        posted: bool,
        message_id: int | None,
    ) -> bool:
        """The claimed digest reached the channel (or was skipped as empty): one transaction writes its
        message id and time, moves the watermark and ends the delivery. False, writing nothing, when
        ``owner`` no longer holds the claim (another process took over and finishes it). Older finished
        claims of the channel are dropped."""
        with self.transaction() as db:
            held = db.execute(
                "UPDATE digest_claims SET done_at = ?, message_id = COALESCE(message_id, ?) "
                "WHERE channel_id = ? AND slot = ? AND owner = ? AND done_at IS NULL",
                (iso(now), message_id, channel_id, slot, owner),
            ).rowcount
            if held != 1:
                return False
            self._digest_done(db, channel_id, until, now, posted)
            db.execute("DELETE FROM digest_claims WHERE channel_id = ? AND slot < ? AND done_at IS NOT NULL", (channel_id, slot))
            return True

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

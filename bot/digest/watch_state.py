"""Personal watch lists in the state database: the saved questions, the DM in flight per watch, and
how many DMs each user got per day.

A mixin of Store (state.py), kept apart so the watch tables stay one additive block. The SQL is
portable (SQLite and PostgreSQL 15): ``INSERT ... ON CONFLICT``, ISO 8601 UTC text for times (text
order is time order), ids allocated inside the inserting transaction, no engine-only functions.
A watch's DM follows the digest's rules: its delivery (records and nonce) is written before the DM
goes out, and one transaction moves the watermark, ends the delivery and counts the DM.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from . import state  # Store inherits WatchTables: the times' text form is state's (read at call time)
from .backend import Backend

T = TypeVar("T")
WATCH_TABLES = ("watches", "watch_deliveries", "watch_dms")
WATCH_SCHEMA = """
CREATE TABLE IF NOT EXISTS watches (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL,
    question TEXT NOT NULL,
    mode TEXT NOT NULL,
    time TEXT,
    timezone TEXT,
    created_at TEXT NOT NULL,
    watermark TEXT NOT NULL,
    paused TEXT,
    told INTEGER NOT NULL DEFAULT 0,
    last_sent_at TEXT,
    last_sent TEXT,
    last_run_at TEXT,
    next_try_at TEXT,
    last_error TEXT
);
CREATE INDEX IF NOT EXISTS watches_user ON watches(user_id);
CREATE TABLE IF NOT EXISTS watch_deliveries (
    watch_id INTEGER PRIMARY KEY,
    until TEXT NOT NULL,
    record_ids TEXT NOT NULL,
    more INTEGER NOT NULL DEFAULT 0,
    nonce TEXT NOT NULL,
    started_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS watch_dms (
    user_id BIGINT NOT NULL,
    day TEXT NOT NULL,
    sent INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, day)
);
"""
PAUSED_BY_USER = "user"
PAUSED_DMS_CLOSED = "dms_closed"  # Discord refused the DM (403, code 50007): paused until /watch resume


@dataclass(frozen=True, slots=True)
class Watch:
    """A user's saved question. ``mode`` "now": sent at the next check of new records; "daily": at ``time`` in ``timezone``."""

    id: int
    user_id: int
    question: str
    mode: str
    time: str | None
    timezone: str | None
    created_at: dt.datetime
    watermark: dt.datetime  # records first seen after this are the watch's next batch
    paused: str | None  # None, PAUSED_BY_USER or PAUSED_DMS_CLOSED
    last_sent_at: dt.datetime | None
    last_sent: tuple[str, ...]  # titles of the last DM's records
    last_run_at: dt.datetime | None
    next_try_at: dt.datetime | None
    last_error: str | None


@dataclass(frozen=True, slots=True)
class WatchDelivery:
    """A watch's DM being sent: written before it goes out, deleted when the watch is marked done.
    The DM's pages go out with ``page_nonce(n)``: a retry after a crash gets back what was posted."""

    watch_id: int
    until: dt.datetime
    record_ids: tuple[str, ...]
    more: int
    nonce: str

    def page_nonce(self, number: int) -> str:
        return f"{self.nonce}.{number}"  # at most 25 characters, as Discord allows


def _watch(row: Any) -> Watch:
    def when(key: str) -> dt.datetime | None:
        return state.optional_time(row, key)

    state.check_schedule(row)
    return Watch(
        row["id"],
        row["user_id"],
        row["question"],
        row["mode"],
        row["time"],
        row["timezone"],
        state.from_iso(row["created_at"]),
        state.from_iso(row["watermark"]),
        row["paused"],
        when("last_sent_at"),
        tuple(json.loads(row["last_sent"])) if row["last_sent"] else (),
        when("last_run_at"),
        when("next_try_at"),
        row["last_error"],
    )


class _Database(Protocol):
    """What the mixin uses of Store."""

    def transaction(self) -> AbstractContextManager[Backend]: ...
    def _reading(self) -> AbstractContextManager[Backend]: ...
    def _rows(self, rows: Iterable[Any], read: Callable[[Any], T], table: str) -> list[T]: ...


class WatchTables:
    """Store methods for watch lists (Store inherits them)."""

    def add_watch(
        self: _Database,
        user_id: int,
        question: str,
        mode: str,
        time: str | None,
        timezone: str | None,
        now: dt.datetime,
        max_per_user: int,
    ) -> int | None:
        """Save a watch starting from now; its id, or None when the user already has ``max_per_user``
        (counted in the same transaction, so two adds at once cannot pass the limit together)."""
        stamp = state.iso(now)
        with self.transaction() as db:
            held = db.execute("SELECT count(*) FROM watches WHERE user_id = ?", (user_id,)).fetchone()[0]
            if held >= max_per_user:
                return None
            new_id = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM watches").fetchone()[0]
            db.execute(
                "INSERT INTO watches(id, user_id, question, mode, time, timezone, created_at, watermark) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (new_id, user_id, question, mode, time, timezone, stamp, stamp),
            )
        return int(new_id)

    def remove_watch(self: _Database, user_id: int, watch_id: int) -> bool:
        """Delete one of the user's watches (and its DM in flight); False when they have none with that id."""
        with self.transaction() as db:
            found = db.execute("SELECT 1 FROM watches WHERE id = ? AND user_id = ?", (watch_id, user_id)).fetchone()
            if not found:
                return False
            db.execute("DELETE FROM watch_deliveries WHERE watch_id = ?", (watch_id,))
            db.execute("DELETE FROM watches WHERE id = ?", (watch_id,))
        return True

    def watches(self: _Database, user_id: int | None = None) -> list[Watch]:
        """One user's watches (everyone's with None), oldest first."""
        with self._reading() as db:
            if user_id is None:
                rows = db.execute("SELECT * FROM watches ORDER BY id").fetchall()
            else:
                rows = db.execute("SELECT * FROM watches WHERE user_id = ? ORDER BY id", (user_id,)).fetchall()
        return self._rows(rows, _watch, "watches")

    def watch(self: _Database, watch_id: int) -> Watch | None:
        with self._reading() as db:
            row = db.execute("SELECT * FROM watches WHERE id = ?", (watch_id,)).fetchone()
        found = self._rows([row] if row else [], _watch, "watches")
        return found[0] if found else None

    def pause_watches(self: _Database, user_id: int, watch_id: int | None, reason: str) -> int:
        """Pause the user's running watches (one, or all with None); how many were paused."""
        told = 0 if reason == PAUSED_DMS_CLOSED else 1  # closed DMs are told once, at the user's next command
        one = " AND id = ?" if watch_id is not None else ""
        with self.transaction() as db:
            return db.execute(
                f"UPDATE watches SET paused = ?, told = ? WHERE user_id = ? AND paused IS NULL{one}",
                (reason, told, user_id, *([watch_id] if watch_id is not None else [])),
            ).rowcount

    def resume_watches(self: _Database, user_id: int, watch_id: int | None) -> int:
        """Unpause the user's paused watches (one, or all with None), whatever paused them; how many."""
        one = " AND id = ?" if watch_id is not None else ""
        with self.transaction() as db:
            return db.execute(
                f"UPDATE watches SET paused = NULL, told = 0, next_try_at = NULL, last_error = NULL WHERE user_id = ? AND paused IS NOT NULL{one}",
                (user_id, *([watch_id] if watch_id is not None else [])),
            ).rowcount

    def take_closed_notice(self: _Database, user_id: int) -> list[int]:
        """The user's watches paused for closed DMs that they were not told about yet, now marked told
        (claimed in one transaction, so the notice goes out once even if two commands race). Asked after
        every command and mention, so the usual "none" is a plain read, not a write transaction."""
        with self._reading() as db:
            pending = db.execute(
                "SELECT 1 FROM watches WHERE user_id = ? AND paused = ? AND told = 0", (user_id, PAUSED_DMS_CLOSED)
            ).fetchone()
        if not pending:
            return []
        with self.transaction() as db:
            ids = [
                r[0]
                for r in db.execute(
                    "SELECT id FROM watches WHERE user_id = ? AND paused = ? AND told = 0 ORDER BY id",
                    (user_id, PAUSED_DMS_CLOSED),
                ).fetchall()
            ]
            if ids:
                db.execute("UPDATE watches SET told = 1 WHERE user_id = ? AND paused = ?", (user_id, PAUSED_DMS_CLOSED))
        return ids

    def newest_first_seen(self: _Database) -> dt.datetime | None:
        """When the newest record was first seen (a watch with a later watermark has nothing to check)."""
        with self._reading() as db:
            row = db.execute("SELECT MAX(first_seen) FROM records").fetchone()
        return state.from_iso(row[0]) if row and row[0] else None

    def dms_sent(self: _Database, user_id: int, day: dt.date) -> int:
        with self._reading() as db:
            row = db.execute("SELECT sent FROM watch_dms WHERE user_id = ? AND day = ?", (user_id, day.isoformat())).fetchone()
        return int(row[0]) if row else 0

    def mark_watch_done(self: _Database, watch_id: int, until: dt.datetime, now: dt.datetime, sent: Iterable[str] | None) -> None:
        """The watch's batch up to ``until`` reached the user (``sent``: its titles) or held nothing (None):
        one transaction moves the watermark, ends the delivery and counts the DM for the day."""
        titles = json.dumps(list(sent), ensure_ascii=False) if sent is not None else None
        with self.transaction() as db:
            db.execute(
                "UPDATE watches SET watermark = ?, last_run_at = ?, next_try_at = NULL, last_error = NULL, "
                "last_sent_at = COALESCE(?, last_sent_at), last_sent = COALESCE(?, last_sent) WHERE id = ?",
                (state.iso(until), state.iso(now), state.iso(now) if titles is not None else None, titles, watch_id),
            )
            db.execute("DELETE FROM watch_deliveries WHERE watch_id = ?", (watch_id,))
            if sent is not None:
                user = db.execute("SELECT user_id FROM watches WHERE id = ?", (watch_id,)).fetchone()
                if user is not None:
                    db.execute(
                        "INSERT INTO watch_dms(user_id, day, sent) VALUES (?, ?, 1) "
                        "ON CONFLICT(user_id, day) DO UPDATE SET sent = watch_dms.sent + 1",
                        (user[0], now.astimezone(dt.UTC).date().isoformat()),
                    )

    def mark_watch_failed(self: _Database, watch_id: int, error: str, retry_at: dt.datetime) -> None:
        """A DM failed for another reason than closed DMs: the watermark and delivery stay; retry later."""
        with self.transaction() as db:
            db.execute(
                "UPDATE watches SET last_error = ?, next_try_at = ? WHERE id = ?", (error[:500], state.iso(retry_at), watch_id)
            )

    def watch_delivery(self: _Database, watch_id: int) -> WatchDelivery | None:
        with self._reading() as db:
            row = db.execute("SELECT * FROM watch_deliveries WHERE watch_id = ?", (watch_id,)).fetchone()
        if row is None:
            return None
        return WatchDelivery(
            row["watch_id"], state.from_iso(row["until"]), tuple(json.loads(row["record_ids"])), row["more"], row["nonce"]
        )

    def start_watch_delivery(
        self: _Database, watch_id: int, until: dt.datetime, record_ids: Iterable[str], more: int, nonce: str, now: dt.datetime
    ) -> None:
        """Record a watch's DM before it goes out; a delivery already in flight for the watch wins."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO watch_deliveries(watch_id, until, record_ids, more, nonce, started_at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(watch_id) DO NOTHING",
                (watch_id, state.iso(until), json.dumps(list(record_ids)), more, nonce, state.iso(now)),
            )

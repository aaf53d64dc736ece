"""Where the bot state lives: a SQLite file (the default) or a PostgreSQL database (``postgresql://`` URL).

bot.digest.state writes every query once, in SQL both engines speak (``?`` placeholders, ``INSERT ... ON
CONFLICT``); a backend here supplies only what differs: connecting, the write lock, the schema version,
the list of tables, integrity checks and the error types. Adding a table and its methods to the state
means writing their SQL once, in state.py.

Both backends serialise writes the same way: SQLite by its database lock (``BEGIN IMMEDIATE``),
PostgreSQL by one transaction-scoped advisory lock taken at ``BEGIN``. So an ingest batch and a digest
cut never interleave on either, and a record first seen by one ingest is seen as known by the next.
"""

from __future__ import annotations

import functools
import logging
import os
import sqlite3
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from bot.config import DATABASE_URLS, redact_url
from bot.errors import PaperBotError

log = logging.getLogger("paperbot.state")
BUSY_SECONDS = 60.0  # how long a write waits for another process's transaction before failing
WRITE_LOCK = 0x70617065  # the advisory lock every PostgreSQL write transaction holds ("pape")
POSTGRES_MISSING = "database is a postgresql:// URL but the PostgreSQL driver is missing: pip install 'paperbot[postgres]'"

Database = Path | str  # a SQLite file, or a postgresql:// URL


class StoreError(PaperBotError):
    """The database cannot be opened, read or written, or is damaged."""


def is_url(database: Database) -> bool:
    return isinstance(database, str) and database.startswith(DATABASE_URLS)


def one_line(message: str, secret: str | None = None) -> str:
    """A driver's message on one line, without the password (a server may echo parts of the URL)."""
    text = "; ".join(line.strip() for line in message.splitlines() if line.strip())
    return text.replace(secret, "***") if secret else text


def id_file(path: Path) -> Path:
    """Beside the database, its id: proof that a database existed here (``rm paperbot.sqlite3*`` leaves it)."""
    return path.with_name(f".{path.name}.id")


def read_only_hint(path: Path, exc: BaseException) -> str:
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


class Cursor(Protocol):
    rowcount: int

    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Any: ...


class Backend(Protocol):
    """One connection to the state database; Store holds it under its lock."""

    label: str  # names the database in messages (never a password)
    errors: tuple[type[BaseException], ...]  # what the driver raises: the Store turns them into StoreError

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...
    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> int: ...
    def create_schema(self, sql: str) -> None: ...
    def begin(self) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def schema_version(self) -> int: ...
    def set_schema_version(self, version: int) -> None: ...
    def tables(self) -> set[str]: ...
    def check_integrity(self) -> str: ...
    def existed_before(self) -> str | None: ...
    def remember_id(self, database_id: str) -> None: ...
    def check_same(self) -> None: ...
    def describe(self, exc: BaseException) -> str: ...
    def close(self) -> None: ...


def connect(database: Database, reading: bool = False) -> Backend:
    """The backend for a file path or a ``postgresql://`` URL; ``reading`` opens it read-only.
    A database that cannot be opened is one StoreError line."""
    if is_url(database):
        return PostgresBackend(str(database), reading)
    path = Path(database)
    try:
        return SqliteBackend(path, reading)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"database {path}: {exc}{read_only_hint(path, exc)}") from None


def exists(database: Database) -> bool:
    """Whether there may be state to read (a URL always may; a file must exist)."""
    return is_url(database) or Path(database).is_file()


class SqliteBackend:
    """stdlib sqlite3 in WAL mode, autocommit outside explicit transactions."""

    errors: tuple[type[BaseException], ...] = (sqlite3.Error,)

    def __init__(self, path: Path, reading: bool) -> None:
        self.path = path
        self.label = str(path)
        if reading:
            self.db = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False, isolation_level=None
            )
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=BUSY_SECONDS)
        self.db.row_factory = sqlite3.Row
        if not reading:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
        self.identity = os.stat(path)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        return self.db.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> int:
        return self.db.executemany(sql, rows).rowcount

    def create_schema(self, sql: str) -> None:
        self.db.executescript(sql)

    def begin(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def rollback(self) -> None:
        if self.db.in_transaction:  # SQLite may have rolled back already (disk full): keep the real error
            self.db.execute("ROLLBACK")

    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def set_schema_version(self, version: int) -> None:
        self.db.execute(f"PRAGMA user_version = {int(version)}")

    def tables(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def check_integrity(self) -> str:
        return str(self.db.execute("PRAGMA quick_check").fetchone()[0])

    def existed_before(self) -> str | None:
        marker = id_file(self.path)
        return f"id in {marker}" if marker.is_file() else None

    def remember_id(self, database_id: str) -> None:
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

    def check_same(self) -> None:
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

    def describe(self, exc: BaseException) -> str:
        return f"{exc}{read_only_hint(self.path, exc)}"

    def close(self) -> None:
        self.db.close()


@functools.lru_cache(maxsize=512)
def _postgres_sql(sql: str) -> str:
    """``?`` placeholders as psycopg's ``%s`` (a literal ``%`` doubled); the state's SQL has no ``?`` in strings."""
    return sql.replace("%", "%%").replace("?", "%s")


@functools.lru_cache(maxsize=256)
def _row_class(names: tuple[str, ...]) -> type[tuple[Any, ...]]:
    """Rows read by position or by column name, as sqlite3.Row: the state's code reads both backends alike."""
    index = {name: i for i, name in enumerate(names)}

    class NamedRow(tuple[Any, ...]):
        __slots__ = ()

        def __getitem__(self, key: Any) -> Any:
            return tuple.__getitem__(self, index[key] if isinstance(key, str) else key)

        def keys(self) -> list[str]:
            return list(names)

    return NamedRow


def _named_rows(cursor: Any) -> Callable[[Sequence[Any]], Any]:
    return _row_class(tuple(c.name for c in cursor.description or ()))


class PostgresBackend:
    """psycopg 3 in autocommit mode: explicit BEGIN/COMMIT, as the SQLite backend.

    A connection the server dropped (a restart, a failover) fails the statement that finds it broken
    (one StoreError, which the bot retries at its next tick); the next statement outside a transaction
    connects again, so a long-running bot outlives a server restart.
    """

    def __init__(self, url: str, reading: bool) -> None:
        try:
            import psycopg
        except ImportError:
            raise StoreError(POSTGRES_MISSING) from None
        self.url, self.reading, self.in_transaction = url, reading, False
        self.label = redact_url(url)
        self.password = urllib.parse.urlsplit(url).password
        self.errors = (psycopg.Error,)
        try:
            self.db = self._connect()
        except psycopg.Error as exc:
            raise StoreError(f"database {self.label}: {self.describe(exc)}") from None

    def _connect(self) -> Any:
        import psycopg

        db = psycopg.connect(self.url, autocommit=True, row_factory=_named_rows, connect_timeout=int(BUSY_SECONDS))
        db.execute(f"SET lock_timeout = '{int(BUSY_SECONDS)}s'")
        if self.reading:
            db.execute("SET default_transaction_read_only = on")
        return db

    def _live(self) -> None:
        """Connect again if the server dropped the connection (never inside a transaction: its earlier
        statements are gone, so the transaction fails as a whole)."""
        if self.db.broken and not self.in_transaction:
            log.warning("database %s: the connection was lost; connecting again", self.label)
            self.db = self._connect()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        self._live()
        return self.db.execute(_postgres_sql(sql), params or None)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> int:
        with self.db.cursor() as cursor:
            cursor.executemany(_postgres_sql(sql), rows)
            return cursor.rowcount

    def create_schema(self, sql: str) -> None:
        """Under the write lock: two processes starting on a new database do not both create it."""
        self.begin()
        try:
            self.db.execute(sql)
            self.commit()
        except BaseException:
            self.rollback()
            raise

    def begin(self) -> None:
        self._live()
        self.db.execute("BEGIN")
        self.in_transaction = True
        self.db.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))

    def commit(self) -> None:
        self.in_transaction = False
        self.db.execute("COMMIT")

    def rollback(self) -> None:
        self.in_transaction = False
        if not (self.db.closed or self.db.broken):  # a lost connection rolled back on the server: keep the real error
            self.db.execute("ROLLBACK")

    def schema_version(self) -> int:
        """Kept in the meta table (PostgreSQL has no user_version); 0 before the schema exists."""
        if "meta" not in self.tables():
            return 0
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def set_schema_version(self, version: int) -> None:
        self.execute(
            "INSERT INTO meta(key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (str(version),),
        )

    def tables(self) -> set[str]:
        rows = self.db.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
        return {r[0] for r in rows}

    def check_integrity(self) -> str:
        return "ok"  # the server keeps its own pages consistent (checksums, WAL); nothing to check page by page here

    def existed_before(self) -> str | None:
        return None  # a server database is not deleted by removing a file; its meta id is kept by the server

    def remember_id(self, database_id: str) -> None:
        pass

    def check_same(self) -> None:
        pass

    def describe(self, exc: BaseException) -> str:
        return one_line(str(exc), self.password)

    def close(self) -> None:
        self.db.close()

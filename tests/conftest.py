"""Shared fixtures: the seed corpus service and a small JSON Lines corpus."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import postgres_server
import pytest

from bot.answer.service import PaperService
from bot.config import Settings, load_settings
from bot.digest.backend import Database
from bot.digest.state import Store

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
TODAY = dt.date(2026, 11, 25)


def set_clock(path: Path, moment: str) -> None:
    """Move the clock of a bot or CLI run with PAPERBOT_CLOCK_FILE: written whole at once (a reader
    never sees an empty file)."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(moment)
    tmp.replace(path)


@pytest.fixture(scope="session")
def seed() -> PaperService:
    return PaperService.from_paths(load_settings(ROOT / "config.yaml"))


@pytest.fixture(scope="session")
def mini() -> PaperService:
    return PaperService.from_paths(Settings(responses=ROOT / "responses"), [DATA / "mini.jsonl"])


@pytest.fixture
def ask(seed: PaperService):
    def _ask(question: str):
        return seed.ask(question, today=TODAY)

    return _ask


@pytest.fixture(scope="session")
def postgres() -> Iterator[postgres_server.Cluster]:
    """A real PostgreSQL server for the session (about 1 s to start), or a skip saying what is missing."""
    with postgres_server.cluster() as cluster:
        yield cluster


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """An empty state database on each backend: a SQLite file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return tmp_path / "state.sqlite3"
    return request.getfixturevalue("postgres").new_database()


@pytest.fixture
def store(database: Database) -> Iterator[Store]:
    """The bot state opened on each backend: the same test runs against both."""
    opened = Store(database)
    yield opened
    opened.close()

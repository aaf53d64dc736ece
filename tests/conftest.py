"""Shared fixtures: the seed corpus service and a small JSON Lines corpus."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.answer.service import PaperService
from bot.config import Settings, load_settings

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

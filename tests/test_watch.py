"""Watch lists in the core: what /watch add accepts and rejects, limits, matching only new records,
exactly-once state, closed DMs, daily slots in the user's zone, and the CLI preview. No Discord."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import load_settings
from bot.digest.backend import Database
from bot.digest.library import CLOCK_FILE_ENV, Library
from bot.digest.state import SCHEMA_VERSION, Store
from bot.watch.replies import added_text, listing_text
from bot.watch.service import WatchError, WatchList
from conftest import ROOT, set_clock

UTC = dt.UTC
USER, OTHER = 4001, 4002
ROBOTS = {
    "title": "Diffusion Models for Tiny Robots",
    "authors": ["Luke Metz", "Ann Lee"],
    "date": "2026-11-24",
    "category": "cs.RO",
    "abstract": "diffusion policies",
}
STREETS = {"title": "Sparse Attention for Street Scenes", "authors": ["Bo Li"], "date": "2026-11-23", "category": "cs.CV"}
NEWCOMER = {"title": "Kernels for Small Worlds", "authors": ["Zyx Qwerty"], "date": "2026-11-25", "category": "cs.LG"}


class Clock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.at("2026-11-25T08:00:00")

    def __call__(self) -> dt.datetime:
        return self.now

    def at(self, text: str) -> None:
        self.now = dt.datetime.fromisoformat(text).replace(tzinfo=UTC)
        set_clock(self.path, self.now.isoformat())  # the CLI reads the same time


@pytest.fixture
def world(tmp_path: Path, database: Database):
    """Watch lists over a library whose state is on each backend in turn."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "corpus" / "ben-poole-profile.txt", corpus)
    config = tmp_path / "config.yaml"
    config.write_text(
        f"corpus: [corpus]\nresponses: {ROOT / 'responses'}\ndatabase: {json.dumps(str(database))}\n"
        "digest:\n  time: '09:00'\n  timezone: UTC\nwatch:\n  max_per_user: 3\n  dms_per_day: 2\n  records_per_dm: 10\n"
    )
    clock = Clock(tmp_path / "clock.txt")
    library = Library.open(load_settings(config), clock=clock)
    yield WatchList(library), clock, library, config
    library.close()


def _ingest(library: Library, clock: Clock, when: str, *records: dict) -> None:
    clock.at(when)
    path = library.paths[0] / f"new-{when.replace(':', '')}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    library.reload()
    clock.now += dt.timedelta(seconds=1)  # a cut covers records stamped before its own instant


def _deliver(watches: WatchList) -> list[tuple[int, list[str]]]:
    """What the bot's loop would DM now: (watch id, titles) for each DM, each marked sent."""
    out = []
    for watch in watches.due():
        batch = watches.begin(watch)
        if batch is not None:
            watches.sent(batch)
            out.append((watch.id, [p.title for p in batch.papers]))
    return out


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("hmm", "did not understand “hmm”"),
        ("", "asks for nothing"),
        ("help", "asks for nothing"),
        ("DreamFusion", "names one paper the corpus already has"),
        ("papers like DreamFusion", "cannot be watched"),
        ("x " * 200, "at most 300"),
    ],
)
@pytest.mark.parametrize("database", ["sqlite"], indirect=True)  # the question is refused before any storage
def test_a_question_that_asks_for_nothing_is_rejected_with_the_reason(world, question: str, reason: str) -> None:
    watches, *_ = world
    with pytest.raises(WatchError, match="cannot be watched") as caught:
        watches.add(USER, question)
    assert reason in caught.value.user_message
    assert watches.watches(USER) == []


def test_bad_when_and_the_per_user_limit(world) -> None:
    watches, *_ = world
    with pytest.raises(WatchError, match="time and timezone are for `when:daily`"):
        watches.add(USER, "diffusion", "now", "08:00")
    for question in ("diffusion", "by Luke Metz", "CV"):
        watches.add(USER, question)
    with pytest.raises(WatchError, match="You have 3 watches, the most allowed"):
        watches.add(USER, "NeRF")
    assert [w.question for w in watches.watches(USER)] == ["diffusion", "by Luke Metz", "CV"]
    watches.add(OTHER, "NeRF")  # the limit is per user


def test_only_new_matching_records_are_sent_once(world) -> None:
    watches, clock, library, _ = world
    first, _ = watches.add(USER, "diffusion")
    second, _ = watches.add(OTHER, "by Luke Metz")
    assert watches.due() == []  # nothing new yet
    _ingest(library, clock, "2026-11-25T08:10:00", ROBOTS, STREETS)
    sent = _deliver(watches)
    # the corpus's own diffusion papers (DreamFusion...) are not new: only the new match goes out
    assert sent == [(first.id, ["Diffusion Models for Tiny Robots"]), (second.id, ["Diffusion Models for Tiny Robots"])]
    clock.at("2026-11-25T08:20:00")
    assert _deliver(watches) == []  # nothing twice
    listing = listing_text(watches, USER)
    assert f"#{first.id}" in listing and "last sent 2026-11-25 08:10 UTC: Diffusion Models for Tiny Robots" in listing


def test_a_watch_on_an_unknown_author_matches_once_their_papers_arrive(world) -> None:
    watches, clock, library, _ = world
    watch, understood = watches.add(USER, "papers by Zyx Qwerty")
    assert "No paper by Zyx Qwerty is in the corpus yet" in added_text(watches, watch, understood)
    _ingest(library, clock, "2026-11-25T08:10:00", STREETS)
    assert _deliver(watches) == []
    titled, _ = watches.add(OTHER, "Kernels for Small Worlds")  # a title the corpus does not have yet
    _ingest(library, clock, "2026-11-25T08:20:00", NEWCOMER)
    assert _deliver(watches) == [(watch.id, ["Kernels for Small Worlds"]), (titled.id, ["Kernels for Small Worlds"])]


def test_a_crash_after_begin_resends_the_same_batch_with_the_same_nonce(world) -> None:
    watches, clock, library, _ = world
    watch, _ = watches.add(USER, "diffusion")
    _ingest(library, clock, "2026-11-25T08:10:00", ROBOTS)
    batch = watches.begin(watch)
    assert batch is not None and batch.delivery is not None
    _ingest(library, clock, "2026-11-25T08:15:00", {**ROBOTS, "title": "Diffusion for Big Robots"})
    [again] = watches.due()  # the "restart": the delivery in flight is resumed, not a new cut
    resumed = watches.begin(again)
    assert resumed is not None and resumed.delivery == batch.delivery
    assert [p.title for p in resumed.papers] == ["Diffusion Models for Tiny Robots"]
    watches.sent(resumed)
    assert _deliver(watches) == [(watch.id, ["Diffusion for Big Robots"])]  # the later record, in the next DM


def test_the_daily_dm_cap_holds_the_rest_for_one_catch_up_tomorrow(world) -> None:
    watches, clock, library, _ = world
    ids = [watches.add(USER, q)[0].id for q in ("diffusion", "robots", "by Luke Metz")]
    _ingest(library, clock, "2026-11-25T08:10:00", ROBOTS)
    assert [i for i, _ in _deliver(watches)] == ids[:2]  # dms_per_day: 2
    _ingest(library, clock, "2026-11-25T12:00:00", {**ROBOTS, "title": "Luke Metz Learns Robots", "abstract": ""})
    assert _deliver(watches) == []
    clock.at("2026-11-26T00:01:00")
    sent = dict(_deliver(watches))
    assert sent[ids[2]] == ["Diffusion Models for Tiny Robots", "Luke Metz Learns Robots"]  # both, in one DM


def test_closed_dms_pause_the_watches_and_the_user_is_told_once(world) -> None:
    watches, clock, library, _ = world
    watch, _ = watches.add(USER, "diffusion")
    _ingest(library, clock, "2026-11-25T08:10:00", ROBOTS)
    batch = watches.begin(watch)
    assert batch is not None
    assert watches.dms_closed(USER) == 1
    assert watches.due() == []
    notice = watches.closed_notice(USER)
    assert notice is not None and "your watch #1 is paused" in notice and "/watch resume" in notice
    assert watches.closed_notice(USER) is None  # once
    assert "paused: your DMs are closed" in listing_text(watches, USER)
    assert watches.resume(USER) == 1
    [again] = watches.due()
    resumed = watches.begin(again)
    assert resumed is not None and resumed.delivery == batch.delivery  # the held DM goes out after the resume


def test_a_daily_watch_sends_at_its_time_in_its_zone(world) -> None:
    watches, clock, library, _ = world
    watch, understood = watches.add(USER, "diffusion", "daily", "08:00", "Europe/Berlin")
    assert "daily at 08:00 (Europe/Berlin), next 2026-11-26 08:00 CET" in added_text(watches, watch, understood)
    _ingest(library, clock, "2026-11-25T09:00:00", ROBOTS)
    clock.at("2026-11-26T06:59:00")  # 07:59 in Berlin
    assert watches.due() == []
    clock.at("2026-11-26T07:00:30")  # 08:00:30 in Berlin
    assert _deliver(watches) == [(watch.id, ["Diffusion Models for Tiny Robots"])]
    clock.at("2026-11-26T12:00:00")
    assert watches.due() == []


def test_preview_cli_prints_the_dm_the_bot_would_send(world, monkeypatch, capsys) -> None:
    watches, clock, library, config = world
    watch, _ = watches.add(USER, "diffusion")
    watches.add(USER, "CV")
    _ingest(library, clock, "2026-11-25T08:10:00", ROBOTS)
    expected = watches.preview(watch).answer.text
    monkeypatch.setenv(CLOCK_FILE_ENV, str(clock.path))
    assert main(["watch", "--preview", "--user", str(USER), "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert expected in out and "Diffusion Models for Tiny Robots" in out and "#1" in out
    assert "# watch 2: CV [now]\nnothing new matches it" in out
    assert _deliver(watches) == [(watch.id, ["Diffusion Models for Tiny Robots"])]  # the preview marked nothing


def test_a_version_2_database_gains_the_watch_tables(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite3"
    Store(path).close()
    with sqlite3.connect(path) as db:  # what paperbot with schema 2 left: no watch tables
        for table in ("watches", "watch_deliveries", "watch_dms"):
            db.execute(f"DROP TABLE {table}")
        db.execute("PRAGMA user_version = 2")
    store = Store(path)
    assert store.watches() == [] and store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    store.close()

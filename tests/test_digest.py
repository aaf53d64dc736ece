"""Digest selection and exactly-once state, with an injectable clock: no sleeping, no Discord."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from bot.config import DigestSettings, Settings
from bot.digest.backend import Database
from bot.digest.library import Library
from bot.digest.schedule import Schedule
from conftest import ROOT

UTC = dt.UTC
NEW = [
    {
        "title": "Diffusion Models for Tiny Robots",
        "authors": ["Luke Metz", "Ann Lee"],
        "date": "2026-11-24",
        "category": "cs.RO",
        "abstract": "diffusion policies",
    },
    {
        "title": "Sparse Attention for Street Scenes",
        "authors": ["Bo Li"],
        "date": "2026-11-23",
        "category": "cs.CV",
        "abstract": "segmentation of streets",
    },
    {
        "title": "Optimizers That Learn Themselves",
        "authors": ["Luke Metz"],
        "date": "2026-11-22",
        "category": "cs.LG",
        "abstract": "learned optimizers",
    },
]


class Clock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def at(self, text: str) -> None:
        self.now = dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def world(tmp_path: Path, database: Database):
    """Settings, a clock and a way to open the library, with the state on each backend in turn."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "corpus" / "ben-poole-profile.txt", corpus)
    settings = Settings(
        corpus=(corpus,),
        responses=ROOT / "responses",
        database=database,
        digest=DigestSettings(time="09:00", timezone="UTC"),
    )
    clock = Clock(dt.datetime(2026, 11, 25, 8, 0, tzinfo=UTC))
    libraries: list[Library] = []

    def open_library() -> Library:
        library = Library.open(settings, clock=clock)
        libraries.append(library)
        return library

    yield settings, clock, open_library, tmp_path
    for library in libraries:
        library.close()


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _titles(run) -> list[str]:
    return [p.title for p in run.papers]


def test_schedule_slots_follow_the_channel_timezone() -> None:
    paris = Schedule("09:00", "Europe/Paris")
    # 07:30 UTC is 08:30 in Paris (winter, UTC+1): today's 09:00 has not come, yesterday's has
    assert paris.last_slot(dt.datetime(2026, 11, 25, 7, 30, tzinfo=UTC)) == dt.datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    assert paris.last_slot(dt.datetime(2026, 11, 25, 8, 0, tzinfo=UTC)) == dt.datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    # summer time: 09:00 Paris is 07:00 UTC
    assert paris.next_slot(dt.datetime(2026, 7, 1, 12, 0, tzinfo=UTC)) == dt.datetime(2026, 7, 2, 7, 0, tzinfo=UTC)


def test_seed_is_not_new_and_the_digest_posts_once(world) -> None:
    _, clock, open_library, tmp = world
    library = open_library()
    library.store.subscribe(1, 10, "", None, None, clock())
    assert library.due() == []  # today's 09:00 has not come
    clock.at("2026-11-25T08:30:00")
    added, _ = library.ingest_paths([_write(tmp / "new.jsonl", NEW)])
    assert len(added) == 3
    clock.at("2026-11-25T09:00:30")
    [sub] = library.due()
    run = library.digest(sub)
    assert _titles(run) == [
        "Diffusion Models for Tiny Robots",
        "Sparse Attention for Street Scenes",
        "Optimizers That Learn Themselves",
    ]
    assert "3 new papers" in run.answer.text and "Ben Poole" not in run.answer.text.split("\n")[0]
    library.store.mark_digest_done(1, run.until, clock(), posted=True)
    assert library.due() == []
    # a restart does not repost
    library.close()
    again = open_library()
    clock.at("2026-11-25T09:30:00")
    assert again.due() == []
    # the next day with nothing new: due, and empty
    clock.at("2026-11-26T09:01:00")
    [sub] = again.due()
    assert again.digest(sub).papers == []


def test_downtime_gives_one_digest_covering_the_gap(world) -> None:
    _, clock, open_library, tmp = world
    library = open_library()
    library.store.subscribe(1, 10, "", None, None, clock())
    clock.at("2026-11-25T08:10:00")
    library.ingest_paths([_write(tmp / "a.jsonl", NEW[:1])])
    clock.at("2026-11-26T12:00:00")
    library.ingest_paths([_write(tmp / "b.jsonl", NEW[1:])])
    clock.at("2026-11-28T10:00:00")  # down for days
    [sub] = library.due()
    run = library.digest(sub)
    assert len(run.papers) == 3
    library.store.mark_digest_done(1, run.until, clock(), posted=True)
    assert library.due() == []


def test_filters_use_the_question_language(world) -> None:
    _, clock, open_library, tmp = world
    library = open_library()
    for channel, text in ((1, "diffusion"), (2, "with Luke Metz"), (3, "CV"), (4, "computer vision papers with code")):
        library.store.subscribe(channel, 10, text, None, None, clock())
    clock.at("2026-11-25T08:30:00")
    library.ingest_paths([_write(tmp / "new.jsonl", NEW)])
    clock.at("2026-11-25T09:05:00")
    runs = {s.channel_id: library.digest(s) for s in library.due()}
    assert _titles(runs[1]) == ["Diffusion Models for Tiny Robots"]
    assert _titles(runs[2]) == ["Diffusion Models for Tiny Robots", "Optimizers That Learn Themselves"]
    assert _titles(runs[3]) == ["Sparse Attention for Street Scenes"]
    assert _titles(runs[4]) == []


def _due_with_new_records(world) -> tuple[Library, object]:
    """A channel subscribed at 08:00, three records first seen at 08:30, and the clock just past 09:00."""
    _, clock, open_library, tmp = world
    library = open_library()
    library.store.subscribe(1, 10, "", None, None, clock())
    clock.at("2026-11-25T08:30:00")
    library.ingest_paths([_write(tmp / "new.jsonl", NEW)])
    clock.at("2026-11-25T09:01:00")
    [sub] = library.due()
    return library, sub


def test_a_failed_post_keeps_the_records_for_the_retry(world) -> None:
    clock = world[1]
    library, sub = _due_with_new_records(world)
    library.store.mark_digest_failed(1, "403 Missing Permissions", clock() + dt.timedelta(minutes=15))
    clock.at("2026-11-25T09:10:00")
    assert library.due() == []  # waiting for the retry time
    clock.at("2026-11-25T09:17:00")
    [sub] = library.due()
    assert len(library.digest(sub).papers) == 3 and sub.last_error == "403 Missing Permissions"


def test_a_restart_resumes_the_recorded_delivery_with_its_nonces(world) -> None:
    """The delivery is written before the first post: after a crash the same records go out with the same nonces."""
    _, clock, open_library, tmp = world
    library, sub = _due_with_new_records(world)
    first = library.begin_digest(sub)
    assert first is not None and first.delivery is not None
    library.page_posted(first, 1)
    # the process dies here; meanwhile another record arrives
    library.close()
    restarted = open_library()
    clock.at("2026-11-25T09:03:00")
    restarted.ingest_paths([_write(tmp / "late.jsonl", [dict(NEW[0], title="A Late Arrival")])])
    [again] = restarted.due()
    run = restarted.begin_digest(again)
    assert run is not None and run.delivery is not None
    assert _titles(run) == _titles(first) and run.delivery.nonce == first.delivery.nonce and run.delivery.pages_posted == 1
    assert run.delivery.page_nonce(2) == first.delivery.page_nonce(2) and len(run.delivery.page_nonce(999)) <= 25
    restarted.mark_posted(run)
    clock.at("2026-11-26T09:01:00")
    [later] = restarted.due()
    assert _titles(restarted.begin_digest(later)) == ["A Late Arrival"]  # the next day's digest, not lost


def test_a_digest_is_capped_with_and_n_more(world) -> None:
    settings, clock, _, tmp = world
    capped = settings.model_copy(
        update={
            "search": settings.search.model_copy(update={"page_size": 1}),
            "digest": settings.digest.model_copy(update={"max_pages": 2}),
        }
    )
    library = Library.open(capped, clock=clock)
    library.store.subscribe(1, 10, "", None, None, clock())
    clock.at("2026-11-25T08:30:00")
    library.ingest_paths([_write(tmp / "new.jsonl", NEW)])
    clock.at("2026-11-25T09:01:00")
    [sub] = library.due()
    run = library.begin_digest(sub)
    assert run is not None and run.more == 1 and len(run.papers) == 2
    pages = run.answer.pages
    assert len(pages) == 2 and "3 new papers" in pages[0] and "…and 1 more: `/recent count:100`" in pages[-1]
    library.close()


def test_an_empty_digest_is_marked_without_a_delivery(world) -> None:
    _, clock, open_library, _ = world
    library = open_library()
    library.store.subscribe(1, 10, "", None, None, clock())
    clock.at("2026-11-25T09:01:00")
    [sub] = library.due()
    assert library.begin_digest(sub) is None and library.due() == [] and library.store.delivery(1) is None


def test_feed_duplicates_of_known_papers_are_not_new(world) -> None:
    open_library = world[2]
    library = open_library()
    seed_title = library.service.index.papers[0].title
    dupes = [
        {"title": seed_title.upper(), "authors": ["Someone Else"], "date": "2026-01-01"},
        {"title": "Brand New Paper", "authors": ["Ann Lee"], "date": "2026-01-01", "arxiv_id": "2611.00001v1"},
    ]
    assert [p.title for p in library.add([*map(_paper, dupes)], "test")] == ["Brand New Paper"]
    again = {"title": "Brand New Paper (revised)", "authors": ["Ann Lee"], "date": "2026-01-02", "arxiv_id": "2611.00001v2"}
    assert library.add([_paper(again)], "test") == []


def _paper(record: dict):
    from bot.sources.jsonl import paper_from_json

    return paper_from_json(record, "test")


def test_a_record_ingested_then_copied_into_the_corpus_is_indexed_once(world) -> None:
    settings, clock, open_library, tmp = world
    library = open_library()
    library.ingest_paths([_write(tmp / "new.jsonl", NEW[:1])])
    assert len(library.service.ask("tiny robots").reply.records) == 1
    shutil.copy(tmp / "new.jsonl", settings.corpus[0] / "new.jsonl")
    clock.at("2026-11-25T10:00:00")
    assert library.reload() == []  # already seen: not new again
    assert [p.title for p in library.service.ask("tiny robots").reply.records] == ["Diffusion Models for Tiny Robots"]
    library.close()
    assert [p.title for p in open_library().service.ask("tiny robots").reply.records] == ["Diffusion Models for Tiny Robots"]


def test_an_empty_digest_says_nothing_new(world) -> None:
    _, clock, open_library, _ = world
    library = open_library()
    library.store.subscribe(1, 10, "with Luke Metz", "08:30", "Europe/Paris", clock())
    clock.at("2026-11-26T08:00:00")  # 09:00 in Paris
    [sub] = library.due()
    run = library.digest(sub)
    assert run.papers == [] and "Nothing new" in run.answer.text and "with Luke Metz" in run.answer.text


def test_a_version_1_database_gains_the_delivery_tables_and_keeps_its_state(tmp_path: Path) -> None:
    import sqlite3

    from bot.digest.state import SCHEMA, SCHEMA_VERSION, Store

    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:  # what paperbot with schema 1 wrote: no deliveries, no page_requests
        old_schema = (
            SCHEMA.split("CREATE TABLE IF NOT EXISTS deliveries")[0]
            + "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        )
        old_schema = old_schema.replace("CREATE INDEX IF NOT EXISTS records_arxiv ON records(arxiv_id);", "")
        db.executescript(old_schema)
        db.execute(
            "INSERT INTO subscriptions(channel_id, created_at, watermark) VALUES (7, '2026-11-01T00:00:00.000000Z', '2026-11-01T00:00:00.000000Z')"
        )
        db.execute("PRAGMA user_version = 1")
    store = Store(path)
    assert store.subscription(7) is not None and store.delivery(7) is None and store.recall_request("0" * 16) is None
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'records_arxiv'").fetchone()  # the indexed duplicate lookup
    store.close()

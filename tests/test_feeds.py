"""arXiv feeds against a real HTTP server on 127.0.0.1 serving Atom in arXiv's API format."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from feed_server import ATOM, FeedServer

from bot.config import FeedSettings, FetchSettings, Settings
from bot.digest.library import Library
from bot.digest.shards import Shards
from bot.sources.arxiv import FeedError, parse_atom
from conftest import ROOT


@pytest.fixture
def feed_world(tmp_path: Path):
    server = FeedServer()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "corpus" / "ben-poole-profile.txt", corpus)
    settings = Settings(
        corpus=(corpus,),
        responses=ROOT / "responses",
        database=tmp_path / "state.sqlite3",
        feeds=(FeedSettings(arxiv="au:Poole_B", every_seconds=3600.0, max_results=10),),
        fetch=FetchSettings(arxiv_api=server.url, timeout_seconds=0.5, delay_seconds=0.0, retries=1),
    )
    now = [dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)]
    library = Library.open(settings, clock=lambda: now[0])
    yield server, library, now
    library.close()
    server.close()


def test_atom_entries_become_records() -> None:
    papers = parse_atom(ATOM.encode(), "arxiv:test")
    first = papers[0]
    assert first.title == "Score Distillation for Tiny Worlds" and first.id == "2611.01234" and first.arxiv_id == "2611.01234v2"
    assert first.authors == ("Ben Poole", "Ruiqi Gao") and first.category == "CV" and first.date == dt.date(2026, 11, 20)
    assert first.has_code and first.abstract.startswith("We distill")


def test_feed_adds_only_new_papers_and_they_are_searchable(feed_world) -> None:
    server, library, now = feed_world
    server.responses = [(200, ATOM.encode(), 0.0)]
    [result] = library.fetch_feeds()
    assert [p.title for p in result.added] == ["Score Distillation for Tiny Worlds", "Learned Optimizers at the Edge"]
    assert "search_query=au%3APoole_B" in server.hits[0] and "sortBy=submittedDate" in server.hits[0]
    answer = library.service.ask("papers on score distillation tiny worlds").as_json()
    assert answer["records"][0]["title"] == "Score Distillation for Tiny Worlds"
    assert library.fetch_feeds() == []  # not due again within `every`
    now[0] += dt.timedelta(hours=2)
    [again] = library.fetch_feeds()
    assert again.added == [] and again.error is None


def test_of_several_sharded_processes_only_shard_0_fetches_feeds_on_schedule(feed_world) -> None:
    server, library, _ = feed_world
    server.responses = [(200, ATOM.encode(), 0.0)]
    library.shards = Shards.parse("1", 2)
    assert library.fetch_feeds() == [] and server.hits == []  # the process running shard 0 fetches them
    library.shards = Shards.parse("0", 2)
    [result] = library.fetch_feeds()
    assert len(result.added) == 2 and len(server.hits) == 1


@pytest.mark.parametrize("body", [ATOM[: len(ATOM) // 2], "<html>Service Unavailable</html", "\x00\x01 not xml"])
def test_corrupt_or_truncated_feed_changes_nothing(feed_world, body: str) -> None:
    server, library, _ = feed_world
    before = len(library.service.index)
    server.responses = [(200, body.encode(), 0.0)]
    [result] = library.fetch_feeds()
    assert result.added == [] and result.error
    assert len(library.service.index) == before and library.store.record_count() == before


def test_timeout_then_success_is_retried(feed_world) -> None:
    server, library, _ = feed_world
    server.responses = [(200, ATOM.encode(), 1.5), (200, ATOM.encode(), 0.0)]
    [result] = library.fetch_feeds()
    assert len(server.hits) == 2 and len(result.added) == 2


def test_feed_that_keeps_timing_out_leaves_the_corpus_unchanged(feed_world) -> None:
    server, library, _ = feed_world
    before = len(library.service.index)
    server.responses = [(200, ATOM.encode(), 1.5)]
    [result] = library.fetch_feeds()
    assert "failed after 2 attempts" in (result.error or "") and len(library.service.index) == before


def test_server_error_is_retried_and_a_client_error_is_not() -> None:
    server = FeedServer()
    try:
        client = FetchSettings(arxiv_api=server.url, timeout_seconds=2, delay_seconds=0.0, retries=2)
        from bot.sources.arxiv import fetch

        server.responses = [(503, b"busy", 0.0), (200, b"ok", 0.0)]
        assert fetch(server.url, client) == b"ok" and len(server.hits) == 2
        server.responses = [(400, b"bad query", 0.0)]
        with pytest.raises(FeedError, match="HTTP 400"):
            fetch(server.url, client)
    finally:
        server.close()

"""The bot state on both backends (a SQLite file and a real PostgreSQL server, conftest's ``database``):
what stays stored when ingests race, what an open refuses, and the CLI on a ``postgresql://`` database."""

from __future__ import annotations

import datetime as dt
import json
import sys
import threading
from pathlib import Path

import pytest
from xapian_servers import free_port

from bot.cli import main
from bot.config import load_settings
from bot.digest.backend import POSTGRES_MISSING, Database
from bot.digest.state import BATCH, SCHEMA_VERSION, TABLES, Store, StoreError
from bot.errors import ConfigError
from bot.records import Paper
from conftest import ROOT

UTC = dt.UTC
EPOCH = dt.datetime(2000, 1, 1, tzinfo=UTC)
FAR = dt.datetime(2100, 1, 1, tzinfo=UTC)


def _papers(count: int, prefix: str = "race") -> list[Paper]:
    return [
        Paper(f"{prefix}{i:05d}", f"{prefix} study {i} of concurrent widgets", ("Ann Lee",), dt.date(2026, 11, 20))
        for i in range(count)
    ]


def _first_seen(store: Store) -> dict[str, dt.datetime]:
    return {s.paper.id: s.first_seen for s in store.seen_between(EPOCH, FAR)}


def test_concurrent_ingests_keep_the_earliest_first_seen(database: Database) -> None:
    """Four writers, each with its own connection, ingest the same 1,200 records in different orders at
    once: each record is added by exactly one of them, with the earliest stamp any of them gave it, and a
    later ingest (or a baseline import) of the same records changes nothing."""
    Store(database).close()
    papers = _papers(1200)
    orders = [papers[k * 300 :] + papers[: k * 300] for k in range(4)]
    stamps: list[list[dt.datetime]] = [[] for _ in orders]
    added: list[list[Paper]] = [[] for _ in orders]
    start = threading.Barrier(len(orders))
    failures: list[BaseException] = []

    def write(k: int) -> None:
        def clock() -> dt.datetime:
            stamps[k].append(dt.datetime.now(UTC))
            return stamps[k][-1]

        store = Store(database)
        try:
            start.wait()
            added[k] = store.add_records(orders[k], clock, f"ingest:{k}")
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=write, args=(k,)) for k in range(len(orders))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures
    assert sorted(p.id for batch in added for p in batch) == [p.id for p in papers]  # each record added once
    earliest: dict[str, dt.datetime] = {}
    for order, times in zip(orders, stamps, strict=True):
        assert len(times) == -(-len(order) // BATCH)  # one clock reading per transaction
        for i, paper in enumerate(order):
            seen = times[i // BATCH]
            earliest[paper.id] = min(earliest.get(paper.id, seen), seen)
    store = Store(database)
    try:
        stored = _first_seen(store)
        assert stored == earliest
        assert store.add_records(list(reversed(papers)), lambda: FAR - dt.timedelta(days=1), "ingest:late") == []
        assert store.import_baseline(papers, FAR - dt.timedelta(days=1), "corpus") == 0  # ON CONFLICT DO NOTHING
        assert _first_seen(store) == stored
        assert store.record_count() == len(papers)
    finally:
        store.close()


def test_a_digest_cut_sees_a_record_once_while_an_ingest_writes(database: Database) -> None:
    """Cuts taken while another connection ingests: every record falls in exactly one cut."""
    papers = _papers(3000, "cut")
    writer, reader = Store(database), Store(database)
    try:
        thread = threading.Thread(target=writer.add_records, args=(papers, lambda: dt.datetime.now(UTC), "ingest:cut"))
        thread.start()
        watermark, seen = EPOCH, []
        while True:
            finished = not thread.is_alive()  # then this cut is the last: it follows every commit
            watermark, fresh = reader.cut(watermark, lambda: dt.datetime.now(UTC))
            seen += [s.paper.id for s in fresh]
            if finished:
                break
            thread.join(0.005)
        assert sorted(seen) == [p.id for p in papers]  # none missed, none twice
    finally:
        writer.close()
        reader.close()


def test_a_new_database_has_every_table_and_keeps_its_id(database: Database) -> None:
    first = Store(database)
    assert set(TABLES) <= first.db.tables() and first.db.schema_version() == SCHEMA_VERSION
    ident = first.meta("database_id")
    first.close()
    again = Store(database)
    try:
        assert again.meta("database_id") == ident and ident
    finally:
        again.close()


def test_a_newer_schema_is_refused(store: Store, database: Database) -> None:
    store.db.set_schema_version(99)
    with pytest.raises(StoreError, match=f"has schema version 99, newer than this paperbot's {SCHEMA_VERSION}$"):
        Store(database)


def test_a_missing_table_is_not_recreated_without_init_state(store: Store, database: Database) -> None:
    store.subscribe(7, 1, "diffusion", None, None, EPOCH)
    store.db.execute("DROP TABLE feeds")
    with pytest.raises(StoreError, match="lacks the table feeds: re-creating it would lose state"):
        Store(database)
    repaired = Store(database, init=True)
    try:
        assert "feeds" in repaired.db.tables()
        assert [s.filter for s in repaired.subscriptions()] == ["diffusion"]  # the rest kept
    finally:
        repaired.close()


def test_a_read_only_open_refuses_changes_in_one_line(store: Store, database: Database) -> None:
    store.set_meta("files", "abc")
    reading = Store(database, reading=True)
    try:
        assert reading.meta("files") == "abc"
        with pytest.raises(StoreError) as caught:
            reading.set_meta("files", "changed")
        assert "\n" not in str(caught.value) and "read" in str(caught.value).lower()
    finally:
        reading.close()
    assert store.meta("files") == "abc"


def test_a_subscription_and_its_delivery_round_trip(store: Store) -> None:
    """Discord ids beyond 32 bits, a delivery whose page count only grows, a digest marked done."""
    channel, guild = 1_234_567_890_123_456_789, 987_654_321_098_765_432
    now = dt.datetime(2026, 11, 25, 9, tzinfo=UTC)
    store.subscribe(channel, guild, "with Luke Metz", "08:30", "Europe/Paris", now)
    store.subscribe(channel, guild, "diffusion", None, None, now + dt.timedelta(hours=1))  # a change keeps the watermark
    sub = store.subscription(channel)
    assert sub is not None and (sub.guild_id, sub.filter, sub.time, sub.watermark) == (guild, "diffusion", None, now)
    delivery = store.start_delivery(channel, now, ["a", "b"], 3, "n1", now)
    assert store.start_delivery(channel, now, ["c"], 0, "n2", now) == delivery  # the one in flight wins
    store.delivery_page_posted(channel, 2)
    store.delivery_page_posted(channel, 1)  # a late report of an earlier page
    assert store.delivery(channel) is not None and store.delivery(channel).pages_posted == 2
    store.mark_digest_done(channel, now + dt.timedelta(hours=2), now + dt.timedelta(hours=3), posted=True)
    done = store.subscription(channel)
    assert store.delivery(channel) is None and done is not None
    assert (done.watermark, done.last_post_at) == (now + dt.timedelta(hours=2), now + dt.timedelta(hours=3))
    assert store.unsubscribe(channel) and store.subscriptions() == []


def _config(folder: Path, database: Database) -> Path:
    """A config with the state in ``database``, and a one-record corpus."""
    (folder / "corpus.jsonl").write_text(
        '{"title": "Old Widgets", "authors": ["Ann Lee"], "date": "2020-01-01", "abstract": "widgets"}\n', encoding="utf-8"
    )
    config = folder / "config.yaml"
    config.write_text(f"corpus: [corpus.jsonl]\nresponses: {ROOT / 'responses'}\ndatabase: {json.dumps(str(database))}\n")
    return config


def test_the_cli_ingests_previews_and_answers_from_either_backend(
    tmp_path: Path, database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = tmp_path / "extra.jsonl"
    extra.write_text(
        '{"title": "Quokka Diffusion at Scale", "authors": ["Bo Li"], "date": "2026-11-24", "abstract": "quokka"}\n',
        encoding="utf-8",
    )
    args = ["--config", str(_config(tmp_path, database))]
    assert main(["ingest", str(extra), *args]) == 0
    assert "+ 2026-11-24  Quokka Diffusion at Scale" in capsys.readouterr().out
    assert main(["digest", "--preview", "--since", "2000-01-01", *args]) == 0
    preview = capsys.readouterr().out
    assert "Quokka Diffusion at Scale" in preview and "Old Widgets" not in preview  # the corpus was there first
    assert main(["ask", "--json", "papers on quokka", *args]) == 0
    assert "Quokka Diffusion at Scale" in capsys.readouterr().out


def test_an_unreachable_server_is_one_line_without_the_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    pytest.importorskip("psycopg")
    url = f"postgresql://paperbot:s3cret-pw@127.0.0.1:{free_port()}/state"
    with pytest.raises(StoreError) as caught:
        Store(url)
    assert "s3cret-pw" not in str(caught.value) and "paperbot:***@127.0.0.1" in str(caught.value)
    assert main(["ingest", "--config", str(_config(tmp_path, url))]) == 2
    err = capsys.readouterr().err
    assert err.startswith("paperbot: database postgresql://paperbot:***@") and err.count("\n") == 1
    assert "s3cret-pw" not in err + caplog.text


def test_a_postgresql_url_without_the_driver_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if psycopg were not installed
    assert main(["ingest", "--config", str(_config(tmp_path, "postgresql://bot@127.0.0.1/state"))]) == 2
    assert capsys.readouterr().err == f"paperbot: {POSTGRES_MISSING}\n"


def test_a_dropped_postgresql_connection_fails_one_change_and_the_next_reconnects(postgres) -> None:
    """A server restart or failover drops the bot's connection: the change that finds it is one StoreError
    (the bot retries at its next tick, the database unchanged), and the next one connects again."""
    import psycopg

    url = postgres.new_database()
    store = Store(url)
    try:
        store.set_meta("files", "first")
        with psycopg.connect(postgres.admin_url, autocommit=True) as admin:
            dropped = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (url.rsplit("/", 1)[1],)
            ).fetchall()
        assert dropped == [(True,)]
        with pytest.raises(StoreError, match=r"^database postgresql://postgres@127\.0\.0\.1:\d+/\w+: [^\n]+$"):
            store.set_meta("files", "lost")
        store.set_meta("files", "second")
        assert store.meta("files") == "second"
    finally:
        store.close()


def test_a_bad_database_url_in_the_config_is_one_line_without_the_password(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text('database: "postgresql://bot:s3cret-pw@db.example:port/state"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    message = str(caught.value)
    assert "database" in message and "port is not a number" in message and "bot:***@db.example" in message
    assert "s3cret-pw" not in message and "\n" not in message
    config.write_text("database: https://db.example/state\n")
    with pytest.raises(ConfigError, match="must be a SQLite file path or a postgresql:// URL"):
        load_settings(config)
    config.write_text("database: postgresql://bot@db.example:5432/state\n")
    assert load_settings(config).database == "postgresql://bot@db.example:5432/state"  # not a path beside the file

"""Several bot processes on one database: each channel's digest is claimed with a lease, posted by the
holder only, taken over after the lease by another process, and marked done once. Libraries on one
SQLite file with an injectable clock, as two processes would be; no Discord."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import DigestSettings, Settings
from bot.digest.library import Library
from bot.digest.shards import Shards, shard_of
from bot.digest.state import Store
from conftest import ROOT

UTC = dt.UTC
GUILDS = [(1000 + k) << 22 for k in range(4)]  # guild k is on shard k of 4


@pytest.fixture
def two(tmp_path: Path, database):
    """Two processes' libraries (different claim owners) on one database (SQLite, then PostgreSQL), with one shared clock."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "corpus" / "ben-poole-profile.txt", corpus)
    settings = Settings(
        corpus=(corpus,),
        responses=ROOT / "responses",
        database=database,
        digest=DigestSettings(time="09:00", timezone="UTC", lease_seconds=30),
    )
    now = [dt.datetime(2026, 11, 25, 8, 0, tzinfo=UTC)]
    first = Library.open(settings, clock=lambda: now[0], shards=Shards.parse("0-3", 4))
    second = Library.open(settings, clock=lambda: now[0])
    for guild in GUILDS:
        first.subscribe(guild + 1, guild, "", None, None)
    now[0] = dt.datetime(2026, 11, 25, 8, 30, tzinfo=UTC)
    record = {"title": "Tiny Robots", "authors": ["Ann Lee"], "date": "2026-11-24"}
    (tmp_path / "new.jsonl").write_text(json.dumps(record) + "\n")
    first.ingest_paths([tmp_path / "new.jsonl"])
    now[0] = dt.datetime(2026, 11, 25, 9, 1, tzinfo=UTC)
    yield first, second, now, first.store
    first.close()
    second.close()


def _claims(store: Store) -> list[tuple]:
    with store.lock:
        rows = store.db.execute(
            "SELECT channel_id, owner, message_id, CASE WHEN done_at IS NULL THEN 0 ELSE 1 END, takeovers FROM digest_claims"
        ).fetchall()
    return [tuple(r) for r in rows]


def test_only_the_holder_posts_and_another_takes_over_after_the_lease(two) -> None:
    first, second, now, store = two
    sub = next(s for s in first.due() if s.channel_id == GUILDS[0] + 1)
    run = first.begin_digest(sub)
    assert run is not None and run.delivery is not None and [p.title for p in run.papers] == ["Tiny Robots"]
    assert first.page_posted(run, 1, message_id=555)  # the first page went out; the lease is renewed
    assert second.begin_digest(sub) is None  # a live lease held by another process
    now[0] += dt.timedelta(seconds=31)  # the first process died: its lease runs out
    taken = second.begin_digest(sub)
    assert taken is not None and taken.delivery is not None
    assert taken.delivery.page_nonce(1) == run.delivery.page_nonce(1) and taken.delivery.pages_posted == 1  # resumed
    assert not first.page_posted(run, 1, message_id=555) and not first.mark_posted(run)  # the late one writes nothing
    assert second.mark_posted(taken)
    [(_channel, owner, message_id, done, takeovers)] = [c for c in _claims(store) if c[0] == sub.channel_id]
    assert (owner, message_id, done, takeovers) == (second.owner, 555, 1, 1)
    assert second.store.delivery(sub.channel_id) is None and sub.channel_id not in {s.channel_id for s in second.due()}


def test_a_process_that_read_the_channel_before_its_digest_was_done_claims_nothing(two) -> None:
    first, second, now, _store = two
    stale = next(s for s in second.due() if s.channel_id == GUILDS[1] + 1)
    run = first.begin_digest(stale)
    assert run is not None and first.mark_posted(run)
    now[0] += dt.timedelta(hours=1)  # long after every lease
    assert second.begin_digest(stale) is None  # the slot it read is done; the watermark moved on
    assert first.store.subscription(stale.channel_id).watermark == run.until  # type: ignore[union-attr]


def test_a_restarted_process_resumes_its_own_claim_at_once(two) -> None:
    first, _, _now, store = two
    sub = next(s for s in first.due() if s.channel_id == GUILDS[2] + 1)
    assert first.begin_digest(sub) is not None
    again = first.begin_digest(sub)  # the same host and shards after a crash: the same owner
    assert again is not None and first.mark_posted(again)
    assert [c[1:] for c in _claims(store) if c[0] == sub.channel_id] == [(first.owner, None, 1, 0)]


def test_each_process_sees_only_its_own_guilds_as_due(two) -> None:
    first, _, _now, _ = two
    assert [shard_of(g, 4) for g in GUILDS] == [0, 1, 2, 3]
    assert {s.guild_id for s in first.due()} == set(GUILDS)
    first.shards = Shards.parse("1,3", 4)
    assert {s.guild_id for s in first.due()} == {GUILDS[1], GUILDS[3]}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--shards", "0-8", "--shard-count", "8"], "shard ids run from 0 to 7 with --shard-count 8, not 8"),
        (["--shards", "3-1", "--shard-count", "8"], "runs backwards"),
        (["--shards", "0-3"], "--shards needs --shard-count"),
        (["--shards", "two", "--shard-count", "4"], "ranges such as 0-3 or 0,2,5-7, not 'two'"),
        (["--shard-count", "0"], "--shard-count must be between 1 and"),
    ],
)
def test_bad_shard_flags_are_one_line_and_exit_2(args: list[str], message: str, capsys, monkeypatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "")  # refused before the token is even looked at
    assert main(["run", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_shard_ranges_read_as_written() -> None:
    assert Shards.parse("0-1,4,6-7", 8) == Shards((0, 1, 4, 6, 7), 8)
    assert Shards.parse("0-1,4,6-7", 8).label == "0-1,4,6-7/8"
    assert Shards.parse(None, 3) == Shards((0, 1, 2), 3)


def test_the_shipped_systemd_unit_starts_a_valid_sharded_run() -> None:
    from bot.cli import build_parser

    unit = (ROOT / "deploy" / "paperbot@.service").read_text()
    [command] = [line.split("=", 1)[1] for line in unit.splitlines() if line.startswith("ExecStart=")]
    argv = command.replace("%i", "4-7").replace("${PAPERBOT_SHARD_COUNT}", "8").split()[1:]
    args = build_parser().parse_args(argv)
    assert args.command == "run" and Shards.parse(args.shards, args.shard_count) == Shards((4, 5, 6, 7), 8)


def test_a_version_3_database_gains_the_claims_table_and_keeps_its_state(tmp_path: Path) -> None:
    from bot.digest.state import SCHEMA, SCHEMA_VERSION

    path = tmp_path / "v3.sqlite3"
    claims_table = SCHEMA[SCHEMA.index("CREATE TABLE IF NOT EXISTS digest_claims") :].split(");", 1)[0] + ");"
    with sqlite3.connect(path) as db:  # what paperbot with schema 3 (watch lists, no claims) wrote
        db.executescript(SCHEMA.replace(claims_table, ""))
        db.execute(
            "INSERT INTO subscriptions(channel_id, guild_id, created_at, watermark) "
            "VALUES (7, 8, '2026-11-01T00:00:00.000000Z', '2026-11-01T00:00:00.000000Z')"
        )
        db.execute("PRAGMA user_version = 3")
    store = Store(path)
    now = dt.datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    assert store.claim_digest(7, "2026-11-01T00:00:00.000000Z", "me", now, now + dt.timedelta(seconds=60))
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    store.close()

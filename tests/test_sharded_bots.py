"""Several real ``paperbot run --shards`` processes on one state database against the fake Discord, which
serves eight guilds over sharded gateway connections: each channel gets its digest exactly once, from
the process running its guild's shard, and a process SIGKILLed with a digest post in flight is taken
over by another after its claim's lease, whose post Discord answers with the message already made."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fake_discord import FakeDiscord, shard_of, spawn_bot

from conftest import ROOT, set_clock

COUNT = 4  # shards over all processes
NEW = [{"title": "Tiny Robots Learn To Walk", "authors": ["Ann Lee"], "date": "2026-11-24", "category": "cs.RO"}]


class Cluster:
    """The fake Discord with eight guilds, a shared config, clock and database, and the bot processes."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.server = FakeDiscord()
        self.guilds = self.server.add_guilds(8)  # two guilds on each of the four shards
        self.server.shard_count = COUNT
        self.server.start()
        self.clock = work / "clock.txt"
        self.procs: dict[str, subprocess.Popen] = {}
        shutil.copytree(ROOT / "corpus", work / "corpus", ignore=shutil.ignore_patterns(".paperbot-index"))
        (work / "config.yaml").write_text(
            f"corpus: [corpus]\ndatabase: state.sqlite3\nchat:\n  cooldown_seconds: 0\n"
            f"discord:\n  guilds: [{', '.join(str(g) for g, _ in self.guilds)}]\n  stop_seconds: 3\n"
            "digest:\n  time: '09:00'\n  timezone: UTC\n  check_seconds: 0.2\n  lease_seconds: 60\n"
            "fetch:\n  reload_every_seconds: 1\n"
        )

    def env(self) -> dict[str, str]:
        return {"PAPERBOT_CLOCK_FILE": str(self.clock)}

    def start(self, *specs: str) -> None:
        """Start one process per shard spec ("0-1") and wait until all their shards are connected and ready."""
        seen = len(self.server.identified_shards)
        for spec in specs:
            args = ("--shards", spec, "--shard-count", str(COUNT))
            self.procs[spec] = spawn_bot(self.server, self.work / "config.yaml", self.work / f"bot-{spec}.log", self.env(), args)
        wanted = sum(len(range(int(s.split("-")[0]), int(s.split("-")[-1]) + 1)) for s in specs)
        deadline = time.monotonic() + 60
        while len(self.server.identified_shards) - seen < wanted:
            if time.monotonic() > deadline or any(self.procs[s].poll() is not None for s in specs):
                logs = "".join((self.work / f"bot-{s}.log").read_text()[-1500:] for s in specs)
                raise AssertionError(f"shards never connected: {self.server.identified_shards[seen:]}\n{logs}")
            time.sleep(0.1)
        time.sleep(3.0)  # on_ready after the guild-ready timeout, as on Discord

    def db(self, sql: str) -> list[tuple]:
        with sqlite3.connect(self.work / "state.sqlite3") as db:
            return db.execute(sql).fetchall()

    def digests(self, channel: int) -> list[dict]:
        return [m for m in self.server.created if m["channel_id"] == str(channel) and m["embeds"]]

    def close(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait(5)
        self.server.stop()


@pytest.fixture
def cluster(tmp_path: Path):
    c = Cluster(tmp_path)
    yield c
    c.close()


def owner_of(spec: str) -> str:
    return f"{os.uname().nodename}:{spec}/{COUNT}"


def test_every_channel_gets_its_digest_once_even_when_a_process_dies_mid_post(cluster: Cluster) -> None:
    server = cluster.server
    set_clock(cluster.clock, "2026-11-25T08:00:00+00:00")
    cluster.start("0-1", "2-3")  # two processes cover the four shards
    assert sorted(s for s in server.identified_shards if s) == [(k, COUNT) for k in range(COUNT)]
    for guild, channel in cluster.guilds:  # each subscription is answered by the process of its guild's shard
        token = server.command_in_group("digest", "subscribe", channel_id=channel, guild_id=guild)
        server.wait_for(lambda r, token=token: token in r.path and r.status < 300, timeout=15)
    assert cluster.db("SELECT count(*) FROM subscriptions") == [(8,)]

    set_clock(cluster.clock, "2026-11-25T08:30:00+00:00")
    (cluster.work / "new.jsonl").write_text("".join(json.dumps(r) + "\n" for r in NEW))
    ingest = [sys.executable, "-m", "bot", "ingest", "--config", str(cluster.work / "config.yaml"), "new.jsonl"]
    subprocess.run(ingest, cwd=cluster.work, env=dict(os.environ, **cluster.env()), check=True, capture_output=True)

    # the first process's last channel: its post is held in flight, and the process is killed meanwhile
    first = sorted(c for g, c in cluster.guilds if shard_of(g, COUNT) in (0, 1))
    doomed = first[-1]
    doomed_shard = next(shard_of(g, COUNT) for g, c in cluster.guilds if c == doomed)
    server.delay[str(doomed)] = 1.5
    set_clock(cluster.clock, "2026-11-25T09:00:30+00:00")
    deadline = time.monotonic() + 20
    while not any(channel == str(doomed) for channel, _ in server.held):
        assert time.monotonic() < deadline, "the held channel's digest never arrived"
        time.sleep(0.02)
    cluster.procs["0-1"].send_signal(signal.SIGKILL)
    assert cluster.procs["0-1"].wait(5) == -signal.SIGKILL
    time.sleep(2.0)  # Discord creates the post it received whole
    assert len(cluster.digests(doomed)) == 1
    assert cluster.db(f"SELECT owner, done_at FROM digest_claims WHERE channel_id = {doomed}") == [(owner_of("0-1"), None)]

    # the dead process's shard moves to a new process: it waits for the claim's lease before taking over
    cluster.start(str(doomed_shard))
    time.sleep(1.5)
    assert cluster.db(f"SELECT owner, done_at FROM digest_claims WHERE channel_id = {doomed}") == [(owner_of("0-1"), None)]
    set_clock(cluster.clock, "2026-11-25T09:01:31+00:00")  # 60 s after the dead process's claim
    deadline = time.monotonic() + 20
    while cluster.db("SELECT count(*) FROM digest_claims WHERE done_at IS NULL") != [(0,)] or cluster.db(
        "SELECT 1 FROM deliveries"
    ):
        assert time.monotonic() < deadline, cluster.db("SELECT * FROM digest_claims")
        time.sleep(0.1)
    time.sleep(1.0)  # more ticks: nothing is posted again

    for guild, channel in cluster.guilds:  # exactly once everywhere, by the process of the guild's shard
        [message] = cluster.digests(channel)
        assert "Tiny Robots Learn To Walk" in message["embeds"][0]["description"]
        shard = shard_of(guild, COUNT)
        owner = owner_of(str(doomed_shard)) if channel == doomed else owner_of("0-1" if shard < 2 else "2-3")
        [(claimed_by, message_id, takeovers)] = cluster.db(
            f"SELECT owner, message_id, takeovers FROM digest_claims WHERE channel_id = {channel}"
        )
        assert (claimed_by, str(message_id), takeovers) == (owner, message["id"], int(channel == doomed))
    posts = [r for r in server.requests if r.method == "POST" and r.path == f"/channels/{doomed}/messages"]
    assert len(posts) == 2 and posts[0].body["nonce"] == posts[1].body["nonce"]  # the takeover's post was the replay
    assert cluster.db("SELECT count(*) FROM subscriptions WHERE last_post_at IS NULL") == [(0,)]

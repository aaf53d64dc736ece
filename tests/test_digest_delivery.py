"""A digest posts once whatever happens: SIGKILL at any moment, SIGTERM, and a restart after Discord's
nonce window. The unmodified bot against the fake Discord, which honours ``enforce_nonce``; the
database is read after each kill to see what stayed."""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from fake_discord import CHANNEL_ID, GUILD_ID, FakeDiscord, spawn_bot, wait_ready

from conftest import ROOT, set_clock

NEW = [
    {
        "title": f"Tiny Robots Learn Chapter {n}",
        "authors": ["Ann Lee"],
        "date": f"2026-11-{10 + n}",
        "category": "cs.RO",
        "abstract": "robots",
    }
    for n in range(5)
]  # page_size 2: three pages


class Bot:
    def __init__(self, work: Path, server: FakeDiscord) -> None:
        self.work, self.server = work, server
        self.clock = work / "clock.txt"
        self.proc: subprocess.Popen | None = None

    def at(self, moment: str) -> None:
        set_clock(self.clock, moment)

    def start(self) -> None:
        start, log = len(self.server.requests), self.work / "bot.log"
        self.proc = spawn_bot(self.server, self.work / "config.yaml", log, {"PAPERBOT_CLOCK_FILE": str(self.clock)})
        if self.proc.poll() is None:
            wait_ready(self.server, self.proc, log, start)

    def db(self, sql: str) -> list[tuple]:
        with sqlite3.connect(self.work / "state.sqlite3") as db:
            return db.execute(sql).fetchall()

    def pages(self, after: int) -> list[str]:
        """The digest pages created in the channel (by footer), in order."""
        created = [m for m in self.server.created[after:] if m["channel_id"] == str(CHANNEL_ID) and m["embeds"]]
        return [m["embeds"][0]["footer"]["text"].rsplit(" · ", 1)[-1] for m in created]


@pytest.fixture
def bot(tmp_path: Path):
    server = FakeDiscord()
    server.start()
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus", ignore=shutil.ignore_patterns(".paperbot-index"))
    (tmp_path / "config.yaml").write_text(
        f"corpus: [corpus]\nresponses: {ROOT / 'responses'}\ndatabase: state.sqlite3\nsearch:\n  page_size: 2\n"
        f"chat:\n  cooldown_seconds: 0\ndiscord:\n  guilds: [{GUILD_ID}]\n  stop_seconds: 5\n"
        "digest:\n  time: '09:00'\n  timezone: UTC\n  check_seconds: 0.2\nfetch:\n  reload_every_seconds: 0.2\n"
    )
    b = Bot(tmp_path, server)
    b.at("2026-11-25T08:00:00+00:00")
    b.start()
    token = server.command_in_group("digest", "subscribe")
    server.wait_for(lambda r: token in r.path and r.status < 300)
    b.at("2026-11-25T08:30:00+00:00")
    (tmp_path / "corpus" / "new.jsonl").write_text("".join(json.dumps(r) + "\n" for r in NEW))
    deadline = time.monotonic() + 15
    while not b.db("SELECT 1 FROM records WHERE title_key LIKE '%chapter 4%'") and time.monotonic() < deadline:
        time.sleep(0.1)
    yield b
    server.on_post = None
    if b.proc is not None and b.proc.poll() is None:
        b.proc.kill()
        b.proc.wait(5)
    server.stop()


def _page(body: dict) -> int:
    return int(str(body["nonce"]).rsplit(".", 1)[1])


def _kill_at(bot: Bot, plan: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """SIGKILL the bot at each (moment, page) in turn; returns the points it was killed at."""
    killed: list[tuple[str, int]] = []

    def hook(moment: str, body: dict) -> bool:
        if plan and plan[0] == (moment, _page(body)) and bot.proc is not None:
            killed.append(plan.pop(0))
            bot.proc.send_signal(signal.SIGKILL)
            bot.proc.wait(5)
            return moment == "arrived"
        return False

    bot.server.on_post = hook
    return killed


def test_sigkill_at_any_moment_posts_each_page_once(bot: Bot) -> None:
    plan = [("arrived", 1), ("created", 1), ("arrived", 2), ("created", 2), ("created", 3)]
    killed = _kill_at(bot, list(plan))
    start = len(bot.server.created)
    nonces: set[str] = set()
    bot.at("2026-11-25T09:00:30+00:00")
    for point in plan:
        assert bot.proc is not None
        bot.proc.wait(30)
        assert bot.proc.returncode == -signal.SIGKILL and killed[-1] == point
        # what stayed: the delivery, recorded before its first page, and the watermark not moved
        [(until, ids, nonce)] = bot.db("SELECT until, record_ids, nonce FROM deliveries")
        nonces.add(nonce)
        assert len(json.loads(ids)) == 5 and bot.db("SELECT last_post_at FROM subscriptions") == [(None,)]
        bot.start()
    deadline = time.monotonic() + 15
    while bot.db("SELECT 1 FROM deliveries") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(nonces) == 1  # every restart retried with the same nonces
    assert bot.db("SELECT 1 FROM deliveries") == [] and bot.db("SELECT watermark FROM subscriptions") == [(until,)]
    assert bot.pages(start) == ["page 1/3", "page 2/3", "page 3/3"]  # each page once, in order
    # and never again
    bot.at("2026-11-25T10:00:00+00:00")
    time.sleep(1.0)
    assert bot.pages(start) == ["page 1/3", "page 2/3", "page 3/3"]


def test_a_restart_after_the_nonce_window_repeats_at_most_the_page_in_flight(bot: Bot) -> None:
    bot.server.nonce_window = 0.0  # Discord forgot every nonce by the time the bot is back
    _kill_at(bot, [("created", 2)])
    start = len(bot.server.created)
    bot.at("2026-11-25T09:00:30+00:00")
    assert bot.proc is not None
    bot.proc.wait(30)
    bot.start()
    deadline = time.monotonic() + 15
    while bot.db("SELECT 1 FROM deliveries") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert bot.pages(start) == ["page 1/3", "page 2/3", "page 2/3", "page 3/3"]


def test_sigterm_just_after_a_post_finishes_the_digest_and_exits_0(bot: Bot) -> None:
    stopped: list[float] = []

    def hook(moment: str, body: dict) -> bool:
        if moment == "created" and _page(body) == 1 and bot.proc is not None and not stopped:
            stopped.append(time.monotonic())
            bot.proc.send_signal(signal.SIGTERM)
        return False

    bot.server.on_post = hook
    start = len(bot.server.created)
    bot.at("2026-11-25T09:00:30+00:00")
    assert bot.proc is not None
    assert bot.proc.wait(30) == 0
    assert time.monotonic() - stopped[0] < 5 + 1  # discord.stop_seconds, plus process exit
    assert bot.db("SELECT 1 FROM deliveries") == [] and bot.db("SELECT last_post_at IS NOT NULL FROM subscriptions") == [(1,)]
    bot.server.on_post = None
    bot.at("2026-11-25T09:30:00+00:00")
    bot.start()
    time.sleep(1.5)
    assert bot.pages(start) == ["page 1/3", "page 2/3", "page 3/3"]
    bot.proc.send_signal(signal.SIGINT)
    assert bot.proc.wait(10) == 0


def test_sigterm_while_a_write_waits_on_a_locked_database_exits_0_in_time_and_abandons_it_cleanly(bot: Bot) -> None:
    holder = sqlite3.connect(bot.work / "state.sqlite3", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process's long transaction: the digest's first write waits
    start = len(bot.server.created)
    bot.at("2026-11-25T09:00:30+00:00")
    time.sleep(1.5)
    assert bot.proc is not None
    stopped = time.monotonic()
    bot.proc.send_signal(signal.SIGTERM)
    assert bot.proc.wait(15) == 0
    assert time.monotonic() - stopped < 5 + 1.5  # discord.stop_seconds: the waiting write is abandoned
    holder.execute("ROLLBACK")
    holder.close()
    assert bot.pages(start) == [] and bot.db("SELECT 1 FROM deliveries") == []  # nothing half-done
    bot.start()  # the digest goes out once after the restart
    deadline = time.monotonic() + 15
    while bot.pages(start) != ["page 1/3", "page 2/3", "page 3/3"] and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)
    assert bot.pages(start) == ["page 1/3", "page 2/3", "page 3/3"]

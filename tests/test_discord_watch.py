"""Watch lists end to end: the unmodified bot, the fake Discord (DMs per user, closed DMs answered
403/50007), and a clock the test moves (a file)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from fake_discord import BOB, BOT_USER, CHANNEL_ID, DM_CHANNEL_ID, GUILD_ID, FakeDiscord, launch_bot, stop_bot

from conftest import ROOT, set_clock

ROBOTS = {
    "title": "Diffusion Models for Tiny Robots",
    "authors": ["Luke Metz", "Ann Lee"],
    "date": "2026-11-24",
    "category": "cs.RO",
    "abstract": "diffusion policies",
}
STREETS = {"title": "Sparse Attention for Street Scenes", "authors": ["Bo Li"], "date": "2026-11-23", "category": "cs.CV"}


class Scene:
    def __init__(self, work: Path, server: FakeDiscord) -> None:
        self.work, self.server = work, server
        self.clock = work / "clock.txt"
        self.config = work / "config.yaml"
        self.log = work / "bot.log"
        self.proc = None

    def at(self, moment: str) -> None:
        set_clock(self.clock, moment)

    def start(self) -> None:
        self.proc = launch_bot(self.server, self.config, self.log, {"PAPERBOT_CLOCK_FILE": str(self.clock)})

    def stop(self) -> None:
        if self.proc is not None:
            stop_bot(self.proc)
            self.proc = None

    def arrive(self, name: str, moment: str, *records: dict) -> None:
        """New records in the corpus folder, picked up by the bot at ``moment``; then the clock moves a
        half a minute on (a cut covers records first seen before its own instant)."""
        self.at(moment)
        (self.work / "corpus" / name).write_text("".join(json.dumps(r) + "\n" for r in records))
        time.sleep(1.2)
        self.at((dt.datetime.fromisoformat(moment) + dt.timedelta(seconds=30)).isoformat())

    def db(self, sql: str) -> list[tuple]:
        with sqlite3.connect(self.work / "state.sqlite3") as db:
            return db.execute(sql).fetchall()

    def dms(self, channel: str, after: int) -> list:
        return [
            r
            for r in self.server.requests[after:]
            if r.method == "POST" and r.path == f"/channels/{channel}/messages" and r.status == 200
        ]

    def command(self, name: str, user: dict | None = None, **options) -> tuple[str, dict]:
        """Run /watch NAME; returns the interaction token and the reply's data."""
        kwargs = {"user": user} if user else {}
        token = self.server.command_in_group("watch", name, **kwargs, **options)
        reply = self.server.wait_for(lambda r: token in r.path and r.method == "POST" and r.status < 300)
        return token, reply.body["data"]


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("watch")
    shutil.copytree(ROOT / "corpus", work / "corpus", ignore=shutil.ignore_patterns(".paperbot-index"))
    (work / "config.yaml").write_text(
        f"corpus: [corpus]\nresponses: {ROOT / 'responses'}\ndatabase: state.sqlite3\n"
        f"chat:\n  cooldown_seconds: 0\ndiscord:\n  guilds: [{GUILD_ID}]\n"
        "digest:\n  time: '09:00'\n  timezone: UTC\n  check_seconds: 0.2\n"
        "fetch:\n  reload_every_seconds: 0.2\n"
    )
    server = FakeDiscord()
    server.start()
    s = Scene(work, server)
    s.at("2026-11-25T08:00:00+00:00")
    s.start()
    yield s
    s.stop()
    server.stop()


def test_a_question_that_asks_for_nothing_is_refused_privately(scene: Scene) -> None:
    _, data = scene.command("add", question="hmm")
    assert data["flags"] & 64 and "cannot be watched" in data["content"] and "did not understand" in data["content"]
    _, data = scene.command("list")
    assert data["flags"] & 64 and "You have no watches" in data["content"]


def test_one_dm_with_only_the_match_and_no_repeat_after_a_restart(scene: Scene) -> None:
    server = scene.server
    _, data = scene.command("add", question="diffusion")
    assert data["flags"] & 64 and "Watching **#1**" in data["content"]
    start = len(server.requests)
    scene.arrive("new.jsonl", "2026-11-25T08:05:00+00:00", ROBOTS, STREETS)
    dm = server.wait_for(
        lambda r: r.method == "POST" and r.path == f"/channels/{DM_CHANNEL_ID}/messages" and r.status == 200,
        after=start,
        timeout=15,
    )
    text = dm.body["embeds"][0]["description"]
    assert "Diffusion Models for Tiny Robots" in text and "Street Scenes" not in text and "DreamFusion" not in text
    assert "watch #1" in text and dm.body["allowed_mentions"]["parse"] == []
    time.sleep(1.0)
    assert len(scene.dms(str(DM_CHANNEL_ID), start)) == 1
    _, data = scene.command("list")
    assert "last sent 2026-11-25 08:05 UTC: Diffusion Models for Tiny Robots" in data["content"]
    scene.stop()  # a restart sends nothing again
    start = len(server.requests)
    scene.at("2026-11-25T08:30:00+00:00")
    scene.start()
    time.sleep(1.5)
    assert scene.dms(str(DM_CHANNEL_ID), start) == []


def test_a_bot_killed_after_discord_made_the_dm_sends_it_once_after_the_restart(scene: Scene) -> None:
    server = scene.server
    killed: list[str] = []

    def hook(moment: str, body: dict) -> bool:
        if moment == "created" and "Diffusion Kernels" in json.dumps(body) and not killed and scene.proc is not None:
            killed.append(str(body["nonce"]))
            scene.proc.send_signal(signal.SIGKILL)  # before the bot reads Discord's answer or marks the DM
            scene.proc.wait(5)
        return False

    server.on_post = hook
    created = len(server.created)
    kernels = {"title": "Diffusion Kernels", "authors": ["Ann Lee"], "date": "2026-11-25", "abstract": "diffusion"}
    scene.arrive("kernels.jsonl", "2026-11-25T09:00:00+00:00", kernels)
    deadline = time.monotonic() + 15
    while not killed and time.monotonic() < deadline:
        time.sleep(0.1)
    server.on_post = None
    assert killed, "the bot never sent the DM"
    scene.proc = None
    [(nonce,)] = scene.db("SELECT nonce FROM watch_deliveries")  # what stayed: the DM in flight
    assert killed[0] == f"{nonce}.1"
    scene.start()
    deadline = time.monotonic() + 15
    while scene.db("SELECT 1 FROM watch_deliveries") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert scene.db("SELECT 1 FROM watch_deliveries") == []  # resent with the same nonce, then marked
    made = [m for m in server.created[created:] if "Diffusion Kernels" in json.dumps(m)]
    assert len(made) == 1  # Discord returned the DM already made: the user got it once


def test_closed_dms_pause_the_watch_and_the_user_is_told_once(scene: Scene) -> None:
    server = scene.server
    _, data = scene.command("add", user=BOB, question="CV")
    assert "Watching" in data["content"]
    server.closed_dms.add(BOB["id"])
    start = len(server.requests)
    scene.arrive("cv.jsonl", "2026-11-25T10:00:00+00:00", {**STREETS, "title": "Sparse Attention for Bus Scenes"})
    refused = server.wait_for(lambda r: r.status == 403 and r.path.startswith("/channels/"), after=start, timeout=15)
    time.sleep(1.0)
    assert len([r for r in server.requests[start:] if r.path == refused.path]) == 1  # paused: not tried again
    token, data = scene.command("list", user=BOB)
    assert "paused: your DMs are closed" in data["content"]
    notice = server.wait_for(lambda r: "/webhooks/" in r.path and token in r.path and r.method == "POST", timeout=10)
    assert (
        notice.body["flags"] & 64 and "I could not DM you" in notice.body["content"] and "/watch resume" in notice.body["content"]
    )
    token, _ = scene.command("list", user=BOB)
    time.sleep(1.0)
    assert not [r for r in server.requests if token in r.path and "/webhooks/" in r.path]  # told once
    # resumed with DMs still closed: the held DM is refused again, and a mention is answered with the notice
    start = len(server.requests)
    scene.command("resume", user=BOB)
    server.wait_for(lambda r: r.path == refused.path and r.status == 403, after=start, timeout=15)
    time.sleep(0.5)
    server.message(f"<@{BOT_USER['id']}> papers on diffusion", author=BOB, mentions=[BOT_USER])
    reply = server.wait_for(
        lambda r: r.path == f"/channels/{CHANNEL_ID}/messages" and "I could not DM you" in json.dumps(r.body), after=start
    )
    assert reply.body["message_reference"] and reply.body["allowed_mentions"]["parse"] == []
    server.closed_dms.clear()
    start = len(server.requests)
    _, data = scene.command("resume", user=BOB)
    assert "Resumed 1 watch" in data["content"]
    dm = server.wait_for(lambda r: r.path == refused.path and r.status == 200, after=start, timeout=15)
    assert "Bus Scenes" in dm.body["embeds"][0]["description"]


def test_a_daily_bundle_arrives_at_the_users_time_in_their_zone(scene: Scene) -> None:
    server = scene.server
    scene.at("2026-11-26T05:00:00+00:00")
    _, data = scene.command("add", question="legged robots", when="daily", time="08:00", timezone="Europe/Berlin")
    assert "daily at 08:00 (Europe/Berlin)" in data["content"]
    walkers = [
        {"title": "Legged Robots That Walk", "authors": ["Ann Lee"], "date": "2026-11-25", "abstract": "legged robots"},
        {"title": "Legged Robots That Run", "authors": ["Bo Li"], "date": "2026-11-25", "abstract": "legged robots"},
    ]
    start = len(server.requests)
    scene.arrive("walkers.jsonl", "2026-11-26T05:10:00+00:00", *walkers)
    scene.at("2026-11-26T06:59:00+00:00")  # 07:59 in Berlin
    time.sleep(1.5)
    assert not [r for r in scene.dms(str(DM_CHANNEL_ID), start) if "Legged" in json.dumps(r.body)]
    scene.at("2026-11-26T07:00:30+00:00")  # 08:00:30 in Berlin
    dm = server.wait_for(
        lambda r: r.path == f"/channels/{DM_CHANNEL_ID}/messages" and r.status == 200 and "Legged" in json.dumps(r.body),
        after=start,
        timeout=15,
    )
    text = dm.body["embeds"][0]["description"]
    assert "2 new papers" in text and "That Walk" in text and "That Run" in text
    time.sleep(1.0)
    assert len([r for r in scene.dms(str(DM_CHANNEL_ID), start) if "Legged" in json.dumps(r.body)]) == 1

"""The daily digest end to end: the unmodified bot, the fake Discord, and a clock the test moves (a file)."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from fake_discord import BOB, CHANNEL_ID, CHAT_CHANNEL_ID, GUILD_ID, FakeDiscord, launch_bot, stop_bot
from feed_server import ATOM, FeedServer

from conftest import ROOT, set_clock

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
        "abstract": "segmentation",
    },
]


class Scene:
    def __init__(self, work: Path, server: FakeDiscord, feed: FeedServer) -> None:
        self.work, self.server, self.feed = work, server, feed
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

    def posts_to(self, channel: int, after: int) -> list:
        return [
            r
            for r in self.server.requests[after:]
            if r.method == "POST" and r.path == f"/channels/{channel}/messages" and r.status == 200
        ]


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("digest")
    feed = FeedServer()
    feed.responses = [(200, ATOM[: len(ATOM) // 2].encode(), 0.0)]  # truncated until a test says otherwise
    shutil.copytree(ROOT / "corpus", work / "corpus", ignore=shutil.ignore_patterns(".paperbot-index"))
    (work / "config.yaml").write_text(
        f"corpus: [corpus]\nresponses: {ROOT / 'responses'}\ndatabase: state.sqlite3\n"
        f"chat:\n  cooldown_seconds: 0\ndiscord:\n  guilds: [{GUILD_ID}]\n"
        "digest:\n  time: '09:00'\n  timezone: UTC\n  check_seconds: 0.2\n"
        f"feeds:\n  - arxiv: 'au:Poole_B'\n    every: 1s\n"
        f"fetch:\n  reload_every_seconds: 0.2\n  arxiv_api: {feed.url}\n  timeout_seconds: 1\n  retries: 0\n  delay_seconds: 0\n"
    )
    server = FakeDiscord()
    server.start()
    s = Scene(work, server, feed)
    s.at("2026-11-25T08:00:00+00:00")
    s.start()
    yield s
    s.stop()
    server.stop()
    feed.close()


def _reply(server: FakeDiscord, token: str):
    return server.wait_for(lambda r: token in r.path and r.method == "POST" and r.status < 300)


def test_subscribe_needs_manage_channels(scene: Scene) -> None:
    body = _reply(scene.server, scene.server.command_in_group("digest", "subscribe", user=BOB)).body
    assert body["data"]["flags"] & 64 and "Manage Channels" in body["data"]["content"]


def test_scheduled_digest_posts_once_and_survives_a_restart(scene: Scene) -> None:
    server = scene.server
    body = _reply(server, server.command_in_group("digest", "subscribe")).body
    assert "Subscribed" in body["data"]["content"]
    body = _reply(server, server.command_in_group("digest", "subscribe", channel_id=CHAT_CHANNEL_ID, filter="CV")).body
    assert "Subscribed" in body["data"]["content"]
    # new records arrive in the corpus folder; the bot picks them up on its own
    scene.at("2026-11-25T08:30:00+00:00")
    (scene.work / "corpus" / "new.jsonl").write_text("".join(json.dumps(r) + "\n" for r in NEW))
    time.sleep(1.5)
    start = len(server.requests)
    scene.at("2026-11-25T09:00:30+00:00")
    post = server.wait_for(
        lambda r: r.method == "POST" and r.path == f"/channels/{CHANNEL_ID}/messages" and r.status == 200, after=start, timeout=15
    )
    text = post.body["embeds"][0]["description"]
    assert "2 new papers" in text and "Diffusion Models for Tiny Robots" in text and "DreamFusion" not in text
    assert post.body["allowed_mentions"]["parse"] == []
    cv = server.wait_for(
        lambda r: r.method == "POST" and r.path == f"/channels/{CHAT_CHANNEL_ID}/messages" and r.status == 200,
        after=start,
        timeout=15,
    )
    assert "Sparse Attention" in cv.body["embeds"][0]["description"] and "Tiny Robots" not in cv.body["embeds"][0]["description"]
    time.sleep(1.0)
    assert len(scene.posts_to(CHANNEL_ID, start)) == 1  # once
    # restart: no repost
    scene.stop()
    start = len(server.requests)
    scene.at("2026-11-25T09:30:00+00:00")
    scene.start()
    time.sleep(1.5)
    assert scene.posts_to(CHANNEL_ID, start) == [] and scene.posts_to(CHAT_CHANNEL_ID, start) == []


def test_failed_post_is_retried_later(scene: Scene) -> None:
    server = scene.server
    scene.at("2026-11-26T08:00:00+00:00")
    (scene.work / "corpus" / "more.jsonl").write_text(
        json.dumps({"title": "Quantum Kittens", "authors": ["Ann Lee"], "date": "2026-11-25", "category": "cs.CV"}) + "\n"
    )
    time.sleep(1.5)
    server.forbid.add(f"/channels/{CHANNEL_ID}/messages")
    start = len(server.requests)
    scene.at("2026-11-26T09:00:30+00:00")
    server.wait_for(lambda r: r.path == f"/channels/{CHANNEL_ID}/messages" and r.status == 403, after=start, timeout=15)
    time.sleep(1.0)
    server.forbid.clear()
    assert scene.posts_to(CHANNEL_ID, start) == []
    assert scene.proc is not None and scene.proc.poll() is None
    scene.at("2026-11-26T09:16:00+00:00")  # after the retry delay
    post = server.wait_for(
        lambda r: r.method == "POST" and r.path == f"/channels/{CHANNEL_ID}/messages" and r.status == 200, after=start, timeout=15
    )
    assert "Quantum Kittens" in post.body["embeds"][0]["description"]


def test_preview_and_status_are_private(scene: Scene) -> None:
    server = scene.server
    body = _reply(server, server.command_in_group("digest", "status")).body
    assert body["data"]["flags"] & 64 and "09:00" in body["data"]["content"]
    body = _reply(server, server.command_in_group("digest", "preview")).body
    assert body["data"]["flags"] & 64 and body["data"]["embeds"]


def test_a_truncated_feed_changes_nothing_and_a_good_one_reaches_the_next_digest(scene: Scene) -> None:
    server = scene.server
    hits = len(scene.feed.hits)
    scene.at("2026-11-27T08:00:00+00:00")
    deadline = time.monotonic() + 15
    while len(scene.feed.hits) < hits + 1 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(scene.feed.hits) > hits, "the bot never fetched its feed"
    assert scene.proc is not None and scene.proc.poll() is None
    body = _reply(server, server.command("ask", question="papers on score distillation tiny worlds")).body
    assert "Tiny Worlds" not in json.dumps(body)  # nothing from the broken feed
    scene.feed.responses = [(200, ATOM.encode(), 0.0)]
    scene.at("2026-11-27T08:30:00+00:00")  # a feed fetched every second is due again
    deadline = time.monotonic() + 15
    text = ""
    while "Tiny Worlds" not in text and time.monotonic() < deadline:
        time.sleep(0.5)
        text = json.dumps(_reply(server, server.command("ask", question="papers on score distillation tiny worlds")).body)
    assert "Score Distillation for Tiny Worlds" in text
    start = len(server.requests)
    scene.at("2026-11-27T09:00:30+00:00")
    post = server.wait_for(
        lambda r: r.method == "POST" and r.path == f"/channels/{CHANNEL_ID}/messages" and r.status == 200, after=start, timeout=15
    )
    digest = post.body["embeds"][0]["description"]
    assert "Score Distillation for Tiny Worlds" in digest and "DreamFusion" not in digest

"""Ingests under load: two `paperbot ingest` at once both finish, and a 5k-record ingest while a digest
is due and people ask questions gives one digest and an answer to every question within Discord's 3 s."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from fake_discord import CHANNEL_ID, GUILD_ID, FakeDiscord, launch_bot, stop_bot

from bot.digest.backend import Database
from bot.digest.state import Store
from conftest import ROOT, set_clock


def _records(prefix: str, count: int) -> str:
    return "".join(
        json.dumps(
            {
                "title": f"{prefix} study number {i} of sparse widgets",
                "authors": [f"Author {prefix} {i % 97}"],
                "date": "2026-11-20",
                "category": "cs.LG",
                "abstract": f"widgets {prefix} {i} gradient attention",
            }
        )
        + "\n"
        for i in range(count)
    )


def _world(tmp: Path, database: Database, extra: str = "") -> Path:
    shutil.copytree(ROOT / "corpus", tmp / "corpus", ignore=shutil.ignore_patterns(".paperbot-index"))
    config = tmp / "config.yaml"
    config.write_text(f"corpus: [corpus]\nresponses: {ROOT / 'responses'}\ndatabase: {json.dumps(str(database))}\n{extra}")
    return config


def _ingest(config: Path, path: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "ingest", "--config", str(config), str(path)],
        cwd=config.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, **(env or {})),
    )


def _ingested(database: Database) -> int:
    """Records stored by ingests (not from the corpus files), read as `paperbot ask` reads them."""
    store = Store(database, reading=True)
    try:
        return store.extra_count()
    finally:
        store.close()


def test_two_ingests_at_once_both_finish(tmp_path: Path, database: Database) -> None:
    config = _world(tmp_path, database)
    assert (
        subprocess.run(
            [sys.executable, "-m", "bot", "ingest", "--config", str(config)], cwd=tmp_path, capture_output=True
        ).returncode
        == 0
    )
    for name in ("a", "b"):
        (tmp_path / f"{name}.jsonl").write_text(_records(name, 8000))
    procs = [_ingest(config, tmp_path / f"{name}.jsonl") for name in ("a", "b")]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err[-500:] for _, err in outs]
    assert _ingested(database) == 16000


def test_an_ingest_while_a_digest_is_due_and_people_ask(tmp_path: Path, database: Database) -> None:
    """On each backend: the bot and an ingest process share the state database."""
    config = _world(
        tmp_path,
        database,
        f"chat:\n  cooldown_seconds: 0\ndiscord:\n  guilds: [{GUILD_ID}]\n"
        "digest:\n  time: '09:00'\n  check_seconds: 0.5\nfetch:\n  reload_every_seconds: 0.5\n",
    )
    clock = tmp_path / "clock.txt"
    set_clock(clock, "2026-11-25T08:00:00+00:00")
    (tmp_path / "big.jsonl").write_text(_records("load", 5000))
    server = FakeDiscord()
    server.start()
    proc = launch_bot(server, config, tmp_path / "bot.log", {"PAPERBOT_CLOCK_FILE": str(clock)})
    try:
        token = server.command_in_group("digest", "subscribe")
        server.wait_for(lambda r: token in r.path and r.status < 300)
        set_clock(clock, "2026-11-25T08:30:00+00:00")
        start = len(server.created)
        ingest = _ingest(config, tmp_path / "big.jsonl", {"PAPERBOT_CLOCK_FILE": str(clock)})
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not _ingested(database):
            time.sleep(0.02)
        set_clock(clock, "2026-11-25T09:00:30+00:00")  # the digest is due while the ingest writes
        tokens = []
        for question in [
            "papers on diffusion",
            "who coauthored most?",
            "how many papers in 2023?",
            "sparse widgets",
            "h-index",
            "papers per year",
            "newest papers",
            "widgets gradient attention",
            "cite DreamFusion",
        ]:
            tokens.append(server.command("ask", question=question))
            time.sleep(0.4)
        _, err = ingest.communicate(timeout=120)
        assert ingest.returncode == 0, err[-500:]
        for token in tokens:  # the fake answers 404 Unknown interaction after 3 s
            server.wait_for(lambda r, t=token: t in r.path and r.method == "POST" and r.status < 300, timeout=10)
        assert not [r for r in server.requests if r.path.startswith("/interactions/") and r.status >= 400]
        time.sleep(3.0)  # more ticks: nothing is posted again
        firsts = [
            m
            for m in server.created[start:]
            if m["channel_id"] == str(CHANNEL_ID) and m["embeds"] and "new paper" in m["embeds"][0]["description"].split("\n")[0]
        ]
        assert len(firsts) == 1  # one digest
        pages = [
            m
            for m in server.created[start:]
            if m["channel_id"] == str(CHANNEL_ID)
            and m["embeds"]
            and "records first seen" in m["embeds"][0].get("footer", {}).get("text", "")
        ]
        assert len(pages) <= 5  # digest.max_pages
    finally:
        stop_bot(proc)
        server.stop()

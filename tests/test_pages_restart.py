"""Page buttons survive a restart: after the bot is stopped and started again, Next on an earlier answer
turns the page; only the asker can; pages past discord.page_timeout_seconds answer with a short note."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from fake_discord import ALICE, BOB, GUILD_ID, FakeDiscord, launch_bot, stop_bot

from conftest import ROOT


def _buttons(message: dict) -> dict[str, dict]:
    return {c["label"]: c for row in message.get("components") or [] for c in row["components"]}


def _answer(server: FakeDiscord, token: str) -> dict:
    return server.wait_for(lambda r: token in r.path and r.method == "POST" and r.status < 300).body


def test_page_buttons_work_after_a_restart_for_the_asker_only_until_they_are_old(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus", ignore=shutil.ignore_patterns(".paperbot-index"))
    config = tmp_path / "config.yaml"
    config.write_text(
        f"corpus: [corpus]\nchat:\n  cooldown_seconds: 0\ndiscord:\n  guilds: [{GUILD_ID}]\n  page_timeout_seconds: 16\n"
    )
    server = FakeDiscord()
    server.start()
    proc = launch_bot(server, config, tmp_path / "bot.log")
    try:
        asked = time.monotonic()
        token = server.command("ask", question="papers by Ben Poole")
        assert "page 1/" in _answer(server, token)["data"]["embeds"][0]["footer"]["text"]
        message = server.interactions[token]["message"]
        stop_bot(proc)  # a deploy
        proc = launch_bot(server, config, tmp_path / "bot.log")
        click = server.click(message, _buttons(message)["Next"]["custom_id"], user=ALICE)
        update = _answer(server, click)
        assert update["type"] == 7 and "page 2/" in update["data"]["embeds"][0]["footer"]["text"]
        assert not _buttons(message)["Prev"].get("disabled")
        refused = _answer(server, server.click(message, _buttons(message)["Next"]["custom_id"], user=BOB))
        assert refused["data"]["flags"] & 64 and "Only the person who asked" in refused["data"]["content"]
        time.sleep(max(0.0, asked + 17 - time.monotonic()))
        old = _answer(server, server.click(message, _buttons(message)["Next"]["custom_id"], user=ALICE))
        assert (
            old["type"] == 4 and old["data"]["flags"] & 64 and "more than 16 s old and no longer turn" in old["data"]["content"]
        )
    finally:
        stop_bot(proc)
        server.stop()

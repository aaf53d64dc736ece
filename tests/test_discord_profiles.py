"""Several researchers in Discord: the unmodified bot against the local fake Discord, with two profile pages."""

from __future__ import annotations

import shutil

import pytest
from fake_discord import GUILD_ID, FakeDiscord, launch_bot, stop_bot

from conftest import DATA, ROOT


@pytest.fixture(scope="module")
def two_profiles_bot(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("discord-profiles")
    (work / "corpus").mkdir()
    shutil.copy(ROOT / "corpus" / "ben-poole-profile.txt", work / "corpus")
    shutil.copy(DATA / "profiles" / "luke-metz-profile.txt", work / "corpus")
    config = work / "config.yaml"
    config.write_text(
        f"corpus: [corpus]\nresponses: {ROOT / 'responses'}\nchat:\n  cooldown_seconds: 0\ndiscord:\n  guilds: [{GUILD_ID}]\n"
    )
    server = FakeDiscord()
    server.start()
    proc = launch_bot(server, config, work / "bot.log")
    try:
        yield server
    finally:
        stop_bot(proc)
        server.stop()


def _description(server: FakeDiscord, token: str) -> str:
    reply = server.wait_for(lambda r: token in r.path and r.method == "POST" and r.status < 300)
    data = reply.body.get("data", reply.body)
    return "\n".join((e.get("description") or "") for e in data.get("embeds") or []) + (data.get("content") or "")


def test_slash_commands_name_the_profile(two_profiles_bot: FakeDiscord) -> None:
    server = two_profiles_bot
    assert "h-index: **31**" in _description(server, server.command("stats", profile="Luke Metz"))
    mine = _description(server, server.command("coauthors", person="Luke Metz"))
    assert "Top coauthors** of Luke Metz over 8 papers" in mine and "Luke Metz:" not in mine
    assert "Whose coauthors do you mean?" in _description(server, server.command("coauthors"))
    compared = _description(server, server.command("ask", question="compare Ben Poole and Luke Metz"))
    assert "**4 shared papers**" in compared

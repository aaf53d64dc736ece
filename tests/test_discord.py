"""The unmodified bot (``paperbot run`` in a subprocess) against the local fake Discord."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fake_discord import ALICE, BOB, BOT_USER, CHAT_CHANNEL_ID, GUILD_ID, ROLE_ID, TOKEN, FakeDiscord, launch_bot, stop_bot

from conftest import ROOT


@pytest.fixture(scope="module")
def discord_bot(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("discord")
    shutil.copytree(ROOT / "corpus", work / "corpus", ignore=shutil.ignore_patterns(".paperbot-index"))
    config = work / "config.yaml"
    config.write_text(
        f"corpus: [corpus]\nresponses: {ROOT / 'responses'}\n"
        f"chat:\n  channels: [{CHAT_CHANNEL_ID}]\n  cooldown_seconds: 0\n"
        f"discord:\n  guilds: [{GUILD_ID}]\n  page_timeout_seconds: 8\n"
    )
    server = FakeDiscord()
    server.start()
    log = work / "bot.log"
    proc = launch_bot(server, config, log)
    try:
        yield server, proc, log
    finally:
        stop_bot(proc)
        server.stop()


def _reply_to(server: FakeDiscord, token: str, after: int = 0):
    return server.wait_for(lambda r: token in r.path and r.method == "POST" and r.status < 300, after=after)


def _text(body: dict) -> str:
    data = body.get("data", body)
    embeds = data.get("embeds") or []
    return (data.get("content") or "") + "\n".join(
        (e.get("description") or "") + "\n" + (e.get("footer") or {}).get("text", "") for e in embeds
    )


def test_login_registers_described_commands(discord_bot) -> None:
    server, proc, _ = discord_bot
    commands = {c["name"]: c for c in server.commands[str(GUILD_ID)]}
    assert {"ask", "search", "paper", "author", "coauthors", "recent", "stats", "similar", "cite", "help"} <= set(commands)
    for command in commands.values():
        assert command["description"]
        for option in command.get("options", []):
            assert option["description"]
    search = {o["name"]: o for o in commands["search"]["options"]}
    assert set(search) == {"query", "after", "before", "author", "category", "has_code"}
    assert search["query"]["required"] and not search["after"].get("required", False)
    assert search["author"].get("autocomplete") and {o["name"]: o for o in commands["paper"]["options"]}["title"]["autocomplete"]
    identify_ok = proc.poll() is None
    assert identify_ok


def test_ask_answers_with_an_embed_and_interpretation(discord_bot) -> None:
    server, _, _ = discord_bot
    token = server.command("ask", question="papers on diffusion after 2022")
    rec = _reply_to(server, token)
    body = rec.body
    assert body["type"] == 4
    text = _text(body)
    assert "understood as" in text and "diffusion" in text and "2023" in text
    assert (
        body["data"]["allowed_mentions"] == {"parse": [], "replied_user": False}
        or body["data"]["allowed_mentions"]["parse"] == []
    )


def test_search_with_filters(discord_bot) -> None:
    server, _, _ = discord_bot
    token = server.command("search", query="learned optimizers", after="2019", author="Luke Metz")
    text = _text(_reply_to(server, token).body)
    assert "VeLO" in text and "by Luke Metz" in text and "2020-01-01" in text
    token = server.command("search", query="diffusion", category="computer vision", has_code=True)
    assert "understood as" in _text(_reply_to(server, token).body)


def test_search_with_a_bad_date_gets_a_private_message(discord_bot) -> None:
    server, proc, _ = discord_bot
    token = server.command("search", query="diffusion", after="last tuesday-ish")
    body = _reply_to(server, token).body
    assert body["data"]["flags"] & 64 and "after" in body["data"]["content"]
    assert proc.poll() is None


def test_mention_dm_and_chat_channel_are_answered(discord_bot) -> None:
    server, _, _ = discord_bot
    start = len(server.requests)
    server.message(f"<@{BOT_USER['id']}> how many papers have code?", mentions=[BOT_USER])
    rec = server.wait_for(lambda r: r.method == "POST" and r.path.endswith("/messages"), after=start)
    assert "6" in _text(rec.body) and rec.body["allowed_mentions"]["parse"] == []
    start = len(server.requests)
    server.message("who coauthored most?", dm=True)
    rec = server.wait_for(lambda r: r.method == "POST" and r.path.endswith("/messages"), after=start)
    assert "understood as" in _text(rec.body)
    start = len(server.requests)
    server.message("papers on nerf", channel_id=CHAT_CHANNEL_ID, author=BOB)
    rec = server.wait_for(lambda r: r.method == "POST" and r.path.endswith("/messages"), after=start)
    assert str(CHAT_CHANNEL_ID) in rec.path


def test_empty_mention_gets_a_hint_and_other_bots_are_ignored(discord_bot) -> None:
    server, _, _ = discord_bot
    start = len(server.requests)
    server.message(f"<@{BOT_USER['id']}>", mentions=[BOT_USER])
    rec = server.wait_for(lambda r: r.method == "POST" and r.path.endswith("/messages"), after=start)
    assert "/help" in rec.body["content"]
    start = len(server.requests)
    other_bot = dict(BOB, id="940000000000000009", bot=True)
    server.message("papers on diffusion", channel_id=CHAT_CHANNEL_ID, author=other_bot)
    server.message("a message in another channel for people")
    time.sleep(1.0)
    assert not [r for r in server.requests[start:] if r.path.endswith("/messages")]


def test_everyone_and_role_mentions_never_ping(discord_bot) -> None:
    server, _, _ = discord_bot
    start = len(server.requests)
    server.message(
        f"<@{BOT_USER['id']}> papers on @everyone @here <@&{ROLE_ID}> diffusion",
        mentions=[BOT_USER],
        mention_roles=[str(ROLE_ID)],
    )
    rec = server.wait_for(lambda r: r.method == "POST" and r.path.endswith("/messages"), after=start)
    assert rec.body["allowed_mentions"]["parse"] == [] and not rec.body["allowed_mentions"].get("roles")
    token = server.command("ask", question="@everyone papers on diffusion <@&930000000000000001>")
    body = _reply_to(server, token).body
    assert body["data"]["allowed_mentions"]["parse"] == []
    assert "@everyone" not in _text(body).replace("@\u200beveryone", "")


def _components(body: dict) -> list[dict]:
    rows = body.get("data", body).get("components") or []
    return [c for row in rows for c in row["components"]]


def test_page_flip_by_asker_and_refusal_for_others(discord_bot) -> None:
    server, _, _ = discord_bot
    token = server.command("ask", question="papers by Ben Poole")
    rec = _reply_to(server, token)
    buttons = {b["label"]: b for b in _components(rec.body)}
    assert set(buttons) == {"First", "Prev", "Next", "Last"}
    assert buttons["Prev"].get("disabled") and not buttons["Next"].get("disabled")
    first_page = _text(rec.body)
    message = server.interactions[token]["message"]
    time.sleep(0.5)  # buttons are registered once the send returns, as on Discord
    click = server.click(message, buttons["Next"]["custom_id"], user=ALICE)
    update = _reply_to(server, click).body
    assert update["type"] == 7 and _text(update) != first_page and "page 2/" in _text(update)
    now = {b["label"]: b for b in _components(message)}  # the buttons as the channel shows them now
    refused = server.click(message, now["Next"]["custom_id"], user=BOB)
    body = _reply_to(server, refused).body
    assert body["type"] == 4 and body["data"]["flags"] & 64 and "Only the person who asked" in body["data"]["content"]


def test_oversized_answer_is_paged_within_limits(discord_bot) -> None:
    server, _, _ = discord_bot
    token = server.command("ask", question="papers by Ben Poole with abstracts " + "x" * 900)
    body = _reply_to(server, token).body["data"]
    assert len(body.get("content") or "") <= 2000
    assert "page 1/" in body["embeds"][0]["footer"]["text"] and {b["label"] for b in _components(body)} >= {"Next", "Last"}
    for embed in body["embeds"]:
        assert len(embed.get("description", "")) <= 4096
        assert sum(len(str(v)) for v in (embed.get("description", ""), embed.get("footer", {}).get("text", ""))) <= 6000


def test_autocomplete_titles_and_authors(discord_bot) -> None:
    server, _, _ = discord_bot
    token = server.autocomplete("paper", "title", "diffusion")
    body = _reply_to(server, token).body
    assert body["type"] == 8
    choices = body["data"]["choices"]
    assert 0 < len(choices) <= 25 and all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)
    assert any("Diffusion" in c["name"] for c in choices)
    token = server.autocomplete("author", "name", "Metz")
    assert [c["name"] for c in _reply_to(server, token).body["data"]["choices"]][:1] == ["Luke Metz"]


def test_rate_limit_is_retried(discord_bot) -> None:
    server, _, _ = discord_bot
    server.fail_next["/channels/"] = 1
    start = len(server.requests)
    server.message("<@{}> cite variational diffusion models".format(BOT_USER["id"]), mentions=[BOT_USER])
    ok = server.wait_for(lambda r: r.method == "POST" and r.path.endswith("/messages") and r.status == 200, after=start)
    limited = [r for r in server.requests[start:] if r.status == 429]
    assert (limited and "@misc" in _text(ok.body)) or "@article" in _text(ok.body) or "```" in _text(ok.body)


def test_bot_keeps_running_after_a_command_raises(discord_bot) -> None:
    server, proc, _ = discord_bot
    broken = server.interaction(
        2, {"id": "1", "name": "search", "type": 1, "options": [{"name": "has_code", "type": 5, "value": "not-a-bool"}]}
    )
    body = _reply_to(server, broken).body
    assert body["data"]["flags"] & 64
    token = server.command("help")
    assert "/search" in _text(_reply_to(server, token).body)
    assert proc.poll() is None


def test_token_never_logged(discord_bot) -> None:
    _, _, log = discord_bot
    assert TOKEN not in log.read_text()


@pytest.mark.parametrize("token", ["", "wrong-token"])
def test_missing_or_rejected_token_exits_2_without_logging_it(token: str, tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"corpus: [{ROOT / 'corpus'}]\nresponses: {ROOT / 'responses'}\n")
    server = FakeDiscord()
    server.start()
    try:
        env = dict(os.environ, DISCORD_TOKEN=token, DISCORD_API_BASE=server.api_base, DISCORD_GATEWAY_URL=server.gateway_url)
        done = subprocess.run(
            [sys.executable, "-m", "bot", "run", "--config", str(config)], env=env, capture_output=True, text=True, timeout=60
        )
    finally:
        server.stop()
    assert done.returncode == 2
    assert "DISCORD_TOKEN" in done.stderr.strip().splitlines()[-1]
    assert "Traceback" not in done.stderr and (not token or token not in done.stderr + done.stdout)


def test_stats_attaches_a_chart(discord_bot) -> None:
    server, _, _ = discord_bot
    token = server.command("stats")
    body = _reply_to(server, token).body
    assert body["_files"] == ["files[0]"]
    embed = body["data"]["embeds"][0]
    assert embed["image"]["url"] == "attachment://papers-per-year.png" and "h-index" in embed["description"].lower()


def test_page_buttons_grey_out_after_the_timeout(discord_bot) -> None:
    server, _, _ = discord_bot
    token = server.command("ask", question="papers by Ben Poole")
    assert _components(_reply_to(server, token).body)
    edit = server.wait_for(
        lambda r: r.method == "PATCH" and token in r.path and r.path.endswith("/messages/@original"), timeout=20
    )
    buttons = _components(edit.body)
    assert buttons and all(b.get("disabled") for b in buttons)


def test_a_refused_command_sync_leaves_mentions_working(tmp_path: Path) -> None:
    """Invited without the applications.commands scope: no slash commands, but the bot still answers."""
    config = tmp_path / "config.yaml"
    config.write_text(
        f"corpus: [{ROOT / 'corpus'}]\nresponses: {ROOT / 'responses'}\ndatabase: {tmp_path / 'db.sqlite3'}\ndiscord:\n  guilds: [{GUILD_ID}]\n"
    )
    server = FakeDiscord()
    server.forbid.add("/applications/")
    server.start()
    proc = launch_bot(server, config, tmp_path / "bot.log")
    try:
        assert server.wait_for(lambda r: r.method == "PUT" and r.status == 403)
        start = len(server.requests)
        server.message(f"<@{BOT_USER['id']}> how many papers have code?", mentions=[BOT_USER])
        rec = server.wait_for(lambda r: r.method == "POST" and r.path.endswith("/messages"), after=start)
        assert "6" in _text(rec.body) and proc.poll() is None
        assert "applications.commands" in (tmp_path / "bot.log").read_text()
    finally:
        stop_bot(proc)
        server.stop()


def test_network_attaches_the_coauthor_picture(discord_bot) -> None:
    server, _, _ = discord_bot
    token = server.command("network", person="Luke Metz")
    body = _reply_to(server, token).body
    assert body["_files"] == ["files[0]"]
    embed = body["data"]["embeds"][0]
    assert embed["image"]["url"] == "attachment://coauthor-network.png"
    assert "around Luke Metz" in embed["description"] and "C. Daniel Freeman: 2 papers" in embed["description"]

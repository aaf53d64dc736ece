"""Conversations end to end: the unmodified bot against the fake Discord, with a clock the test moves (a file).

Two users follow up in one channel at the same time, each from their own context; a DM is a
conversation of its own; a slash command starts a context text refines; an expired context gets a
hint, not a guess.
"""

from __future__ import annotations

import shutil

import pytest
from fake_discord import (
    ALICE,
    BOB,
    BOT_USER,
    CHAT_CHANNEL_ID,
    DM_CHANNEL_ID,
    GUILD_ID,
    FakeDiscord,
    Recorded,
    launch_bot,
    stop_bot,
)

from conftest import ROOT

START = "2026-11-25T10:00:00+00:00"
MENTION = f"<@{BOT_USER['id']}>"


@pytest.fixture(scope="module")
def chat(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("conversation")
    shutil.copytree(ROOT / "corpus", work / "corpus", ignore=shutil.ignore_patterns(".paperbot-index"))
    clock = work / "clock.txt"
    clock.write_text(START)
    config = work / "config.yaml"
    config.write_text(
        f"corpus: [corpus]\nresponses: {ROOT / 'responses'}\ndatabase: state.sqlite3\n"
        f"chat:\n  channels: [{CHAT_CHANNEL_ID}]\n  cooldown_seconds: 0\n  context_minutes: 15\ndiscord:\n  guilds: [{GUILD_ID}]\n"
    )
    server = FakeDiscord()
    server.start()
    proc = launch_bot(server, config, work / "bot.log", {"PAPERBOT_CLOCK_FILE": str(clock)})
    try:
        yield server, clock
    finally:
        stop_bot(proc)
        server.stop()


def _text(body: dict) -> str:
    data = body.get("data", body)
    embeds = data.get("embeds") or []
    return (data.get("content") or "") + "\n".join(
        (e.get("description") or "") + "\n" + (e.get("footer") or {}).get("text", "") for e in embeds
    )


def _reply_to(server: FakeDiscord, message_id: str, after: int) -> Recorded:
    """The bot's reply to one message (matched by the message it replies to, whatever arrives first)."""
    return server.wait_for(
        lambda r: (
            r.method == "POST"
            and r.path.endswith("/messages")
            and r.status == 200
            and str((r.body.get("message_reference") or {}).get("message_id")) == message_id
        ),
        after=after,
    )


def _say(server: FakeDiscord, user: dict, text: str, dm: bool = False) -> str:
    """A message to the bot (a mention in the channel, plain text in a DM); returns its id."""
    if dm:
        return server.message(text, author=user, dm=True)
    return server.message(f"{MENTION} {text}", author=user, mentions=[BOT_USER])


def test_two_users_in_one_channel_follow_up_on_their_own_questions(chat) -> None:
    server, _ = chat
    start = len(server.requests)
    alice = _say(server, ALICE, "diffusion papers from 2023")
    bob = _say(server, BOB, "papers by Luke Metz")
    assert "4 papers" in _text(_reply_to(server, alice, start).body)
    assert "VeLO" in _text(_reply_to(server, bob, start).body)

    start = len(server.requests)
    alice = _say(server, ALICE, "who wrote the second one?")  # sent together: each answered from its own context
    bob = _say(server, BOB, "only 2020")
    alice_text, bob_text = _text(_reply_to(server, alice, start).body), _text(_reply_to(server, bob, start).body)
    assert "Learning a Diffusion Prior for NeRFs" in alice_text and "Guandao Yang" in alice_text
    assert "following up on: diffusion papers from 2023" in alice_text and "Luke Metz" not in alice_text
    assert "following up on: papers by Luke Metz" in bob_text
    assert "Tasks, stability, architecture" in bob_text and "VeLO" not in bob_text and "diffusion" not in bob_text.lower()

    start = len(server.requests)
    bob = _say(server, BOB, "cite the first one")
    body = _reply_to(server, bob, start).body
    assert "@misc{metz2020" in _text(body) and body["allowed_mentions"]["parse"] == []


def test_a_dm_is_a_conversation_of_its_own(chat) -> None:
    server, _ = chat
    start = len(server.requests)
    first = _say(server, ALICE, "papers on NeRF", dm=True)
    assert "**7 papers** found" in _text(_reply_to(server, first, start).body)
    start = len(server.requests)
    second = _say(server, ALICE, "cite the first two", dm=True)
    reply = _reply_to(server, second, start)
    assert reply.path == f"/channels/{DM_CHANNEL_ID}/messages"
    text = _text(reply.body)
    assert "@misc{yang2023learning" in text and "ReconFusion" in text and "following up on: papers on NeRF" in text


def test_a_chat_channel_message_and_a_mention_there_share_a_context(chat) -> None:
    server, _ = chat
    start = len(server.requests)
    plain = server.message("papers on VAEs", author=BOB, channel_id=CHAT_CHANNEL_ID)  # no mention: a chat channel
    assert "Preventing Posterior Collapse" in _text(_reply_to(server, plain, start).body)
    start = len(server.requests)
    mention = server.message(f"{MENTION} cite the first one", author=BOB, channel_id=CHAT_CHANNEL_ID, mentions=[BOT_USER])
    reply = _reply_to(server, mention, start)
    assert reply.path == f"/channels/{CHAT_CHANNEL_ID}/messages" and "following up on: papers on VAEs" in _text(reply.body)
    assert "```bibtex" in _text(reply.body)


def test_a_slash_search_starts_a_context_that_text_refines(chat) -> None:
    server, _ = chat
    token = server.command("search", user=BOB, query="diffusion", after="2022")
    assert "CAT3D" in _text(server.wait_for(server.sent_to(token)).body)
    start = len(server.requests)
    bob = _say(server, BOB, "what about 2024 only?")
    text = _text(_reply_to(server, bob, start).body)
    assert "following up on: /search query: diffusion after: 2022" in text
    assert "CAT4D" in text and "ReconFusion" not in text
    token = server.command("ask", user=BOB, question="how many of those have code?")  # /ask shares the context
    assert "**0** of 46" in _text(server.wait_for(server.sent_to(token)).body)


def test_after_the_context_expires_a_follow_up_gets_a_hint(chat) -> None:
    server, clock = chat
    start = len(server.requests)
    question = _say(server, ALICE, "papers on VAEs")
    assert "**4 papers** found" in _text(_reply_to(server, question, start).body)  # VAE or "variational autoencoder"
    clock.write_text("2026-11-25T10:14:00+00:00")  # within 15 minutes of the last message: still there
    start = len(server.requests)
    follow = _say(server, ALICE, "oldest first")
    assert "following up on: papers on VAEs" in _text(_reply_to(server, follow, start).body)
    clock.write_text("2026-11-25T10:30:00+00:00")  # 16 minutes of silence
    start = len(server.requests)
    late = _say(server, ALICE, "and only 2020?")
    text = _text(_reply_to(server, late, start).body)
    assert "nothing to follow up on" in text and "papers found" not in text and len(text) < 400

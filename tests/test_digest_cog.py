"""The digest loop's promise when the database refuses the done-mark: the mark is retried, the digest is
never posted again. The real DigestCog and Library (SQLite), a channel that records what it was sent."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import shutil
import types
from pathlib import Path

from bot.config import DigestSettings, Settings
from bot.digest.library import Library
from bot.digest.state import StoreError
from bot.discord.cogs.digest import DigestCog
from conftest import ROOT

UTC = dt.UTC


class Channel:
    def __init__(self) -> None:
        self.sent: list[dict] = []

    async def send(self, **kwargs) -> types.SimpleNamespace:
        self.sent.append(kwargs)
        return types.SimpleNamespace(id=len(self.sent))  # the message Discord created


def test_a_failed_done_mark_is_retried_and_the_digest_never_reposted(tmp_path: Path, monkeypatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "corpus" / "ben-poole-profile.txt", corpus)
    settings = Settings(
        corpus=(corpus,), database=tmp_path / "state.sqlite3", digest=DigestSettings(time="09:00", timezone="UTC")
    )
    now = [dt.datetime(2026, 11, 25, 8, 0, tzinfo=UTC)]
    library = Library.open(settings, clock=lambda: now[0])
    library.store.subscribe(1, 10, "", None, None, now[0])
    now[0] = dt.datetime(2026, 11, 25, 8, 30, tzinfo=UTC)
    (tmp_path / "new.jsonl").write_text(json.dumps({"title": "Tiny Robots", "authors": ["Ann Lee"], "date": "2026-11-24"}) + "\n")
    library.ingest_paths([tmp_path / "new.jsonl"])
    now[0] = dt.datetime(2026, 11, 25, 9, 1, tzinfo=UTC)
    channel = Channel()
    bot = types.SimpleNamespace(library=library, settings=settings, stopping=False, get_channel=lambda _id: channel)
    cog = DigestCog(bot)  # type: ignore[arg-type]
    refusals = [StoreError("database is locked")] * 3
    real_mark = library.mark_posted

    def mark(run, posted=True):
        if refusals:
            raise refusals.pop()
        real_mark(run, posted)

    monkeypatch.setattr(library, "mark_posted", mark)

    async def ticks(count: int) -> None:
        for _ in range(count):
            await cog.tick.coro(cog)

    asyncio.run(ticks(5))
    assert len(channel.sent) == 1 and "Tiny Robots" in channel.sent[0]["embed"].description
    assert channel.sent[0]["nonce"].endswith(".1")
    assert not refusals and library.due() == [] and library.store.delivery(1) is None  # marked in the end
    library.close()

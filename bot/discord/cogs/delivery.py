"""The loop digests and watch DMs share: every ``digest.check_seconds``, deliver what is due, exactly once.

A delivery whose message went out but whose done-mark failed is kept in ``_unmarked`` and only marked
again (never sent again) at the next tick; a stop waits for the step in flight. DigestCog and
WatchCog say what is due, how to deliver one and how to mark one done; this base runs the rest.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from discord.ext import commands, tasks

from bot.digest.state import StoreError

if TYPE_CHECKING:
    from bot.discord.app import PaperBot


class DeliveryLoop(commands.Cog):
    """A cog whose loop delivers due items (digests, DMs) and retries failed done-marks, never the sends."""

    log = logging.getLogger("paperbot.delivery")

    def __init__(self, bot: PaperBot) -> None:
        self.bot = bot
        self._busy = False  # a loop step is running (a stop waits for it)
        self._unmarked: dict[int, Any] = {}  # delivered, but the done-mark failed: retried each tick
        self.tick.change_interval(seconds=bot.settings.digest.check_seconds)

    async def cog_load(self) -> None:
        self.tick.start()

    async def cog_unload(self) -> None:
        self.tick.cancel()

    # --- what a subclass says ---------------------------------------------------------------
    async def prepare(self) -> None:
        """Work before the due items are read (DigestCog: reload files, fetch feeds)."""

    def due(self) -> list[Any]:
        """The items due now (called in a thread)."""
        raise NotImplementedError

    def key(self, item: Any) -> int:
        """The item's key in ``_unmarked`` (a channel id, a watch id)."""
        raise NotImplementedError

    async def deliver(self, item: Any) -> None:
        """Send one due item exactly once (recorded first, nonces per page, marked done after)."""
        raise NotImplementedError

    def mark_done(self, done: Any) -> Any:
        """Mark a delivered item done (called in a thread; may raise StoreError)."""
        raise NotImplementedError

    # --- the loop ---------------------------------------------------------------------------
    @tasks.loop(seconds=60)
    async def tick(self) -> None:
        """One step: retry failed marks, then deliver what is due. Never raises (a raise would end the loop)."""
        self._busy = True
        try:
            await self.retry_marks()
            await self.prepare()
            for item in await asyncio.to_thread(self.due):
                if self.bot.stopping:
                    return
                if self.key(item) not in self._unmarked:
                    await self.deliver(item)
        except Exception:
            self.log.exception("loop step failed; will try again next tick")
        finally:
            self._busy = False

    @tick.before_loop
    async def before_tick(self) -> None:
        await self.bot.wait_until_ready()

    async def drain(self) -> None:
        """Stop the loop after the step in flight (a delivery being sent finishes, or stays recorded)."""
        self.tick.stop()
        while self._busy:
            await asyncio.sleep(0.05)
        self.tick.cancel()  # it was waiting for its next step
        await self.retry_marks()

    async def retry_marks(self) -> None:
        """Deliveries sent whose done-mark failed: mark them again (never send them again)."""
        for key, done in list(self._unmarked.items()):
            try:
                result = await asyncio.to_thread(self.mark_done, done)
            except StoreError as exc:
                self.log.warning("%s is delivered but still not marked done (%s); trying again", key, exc)
                return
            del self._unmarked[key]
            self.log.info("%s marked done%s", key, "" if result is not False else " (taken over by another process)")

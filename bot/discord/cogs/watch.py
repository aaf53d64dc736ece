"""/watch add|list|remove|pause|resume, and the loop that DMs each watch's new matches.

Thin: WatchList (bot.watch) decides what matches, what is due and what was sent; this cog sends the
DMs with their nonces and reports back. Every reply to /watch is ephemeral. A user whose DMs are
closed (Discord's 403) has their watches paused, and is told once, privately, after their next command.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import check_clock, check_timezone
from bot.digest.schedule import RETRY_AFTER
from bot.digest.state import StoreError
from bot.digest.watch_state import Watch
from bot.discord.app import NO_MENTIONS, send_ephemeral
from bot.discord.cogs.delivery import DeliveryLoop
from bot.discord.ui import page_embed
from bot.errors import ConfigError
from bot.understand.options import OptionError
from bot.watch.replies import added_text, listing_text, paused_text, removed_text, resumed_text
from bot.watch.service import WatchBatch, WatchList

if TYPE_CHECKING:
    from bot.discord.app import PaperBot

log = logging.getLogger("paperbot.watch")
WHEN = [
    app_commands.Choice(name="now (at the next check of new papers)", value="now"),
    app_commands.Choice(name="daily", value="daily"),
]


class WatchCog(DeliveryLoop):
    """Personal watch lists: a DM when new papers match a saved question."""

    log = log

    watch = app_commands.Group(name="watch", description="Your watch list: a DM when new papers match your questions")

    def __init__(self, bot: PaperBot) -> None:
        super().__init__(bot)
        self.watches = WatchList(bot.library)

    # --- commands -----------------------------------------------------------------------
    @watch.command(name="add")
    @app_commands.describe(
        question="What to watch for, as you would ask: 'diffusion with code', 'by Luke Metz', 'NeRF papers not CV'",
        when="now: a DM at the next check of new papers (default); daily: one DM a day at your time",
        time="For daily: the time HH:MM (default from config)",
        timezone="For daily: your IANA time zone, e.g. Europe/Berlin (default from config)",
    )
    @app_commands.choices(when=WHEN)
    async def add(
        self,
        interaction: discord.Interaction,
        question: str,
        when: app_commands.Choice[str] | None = None,
        time: str | None = None,
        timezone: str | None = None,
    ) -> None:
        """Get a DM when new papers match a question."""
        try:
            clock = check_clock(time, "time") if time else None
            zone = check_timezone(timezone, "timezone") if timezone else None
        except ConfigError as exc:
            raise OptionError(str(exc)) from None
        mode = when.value if when else None
        watch, understood = await asyncio.to_thread(self.watches.add, interaction.user.id, question, mode, clock, zone)
        await send_ephemeral(interaction, added_text(self.watches, watch, understood))

    @watch.command(name="list")
    async def list_(self, interaction: discord.Interaction) -> None:
        """Your watches: id, schedule, what each last sent and when."""
        text = await asyncio.to_thread(listing_text, self.watches, interaction.user.id)
        await send_ephemeral(interaction, text[:1990])

    @watch.command(name="remove")
    @app_commands.describe(id="The watch's number, as /watch list shows it")
    async def remove(self, interaction: discord.Interaction, id: int) -> None:
        """Delete one of your watches."""
        removed = await asyncio.to_thread(self.watches.remove, interaction.user.id, id)
        await send_ephemeral(interaction, removed_text(removed, id))

    @watch.command(name="pause")
    @app_commands.describe(id="One watch's number (default: all your watches)")
    async def pause(self, interaction: discord.Interaction, id: int | None = None) -> None:
        """Stop your watch DMs until /watch resume (new papers meanwhile are kept)."""
        count = await asyncio.to_thread(self.watches.pause, interaction.user.id, id)
        await send_ephemeral(interaction, paused_text(count, id))

    @watch.command(name="resume")
    @app_commands.describe(id="One watch's number (default: all your watches)")
    async def resume(self, interaction: discord.Interaction, id: int | None = None) -> None:
        """Start your paused watches again (also after your DMs were closed)."""
        count = await asyncio.to_thread(self.watches.resume, interaction.user.id, id)
        await send_ephemeral(interaction, resumed_text(count, id))

    @commands.Cog.listener()
    async def on_app_command_completion(self, interaction: discord.Interaction, command: object) -> None:
        """After any command of a user whose DMs were found closed: tell them once, privately."""
        notice = await self._closed_notice(interaction.user.id)
        if notice:
            await send_ephemeral(interaction, notice)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """A mention of the bot by a user whose DMs were found closed: the notice, as a reply to them."""
        if message.author.bot or self.bot.user is None or self.bot.user not in message.mentions:
            return
        notice = await self._closed_notice(message.author.id)
        if notice:
            await message.reply(notice, mention_author=False, allowed_mentions=NO_MENTIONS)

    async def _closed_notice(self, user_id: int) -> str | None:
        """The once-only notice that the user's DMs were closed, if one is pending (None when the state cannot be read)."""
        try:
            return await asyncio.to_thread(self.watches.closed_notice, user_id)
        except StoreError as exc:
            log.warning("could not read watch notices for user %s: %s", user_id, exc)
            return None

    # --- the loop (DeliveryLoop runs it) ---------------------------------------------------------
    def due(self) -> list[Watch]:
        return self.watches.due()

    def key(self, item: Watch) -> int:
        return item.id

    async def deliver(self, item: Watch) -> None:
        await self.send(item)

    def mark_done(self, done: WatchBatch) -> None:
        self.watches.sent(done)

    async def send(self, watch: Watch) -> None:
        """DM a watch's batch exactly once: recorded first, each page with its nonce, one transaction marks it done."""
        batch = await asyncio.to_thread(self.watches.begin, watch)
        if batch is None or batch.delivery is None:
            return
        try:
            channel = await self.bot.create_dm(discord.Object(id=watch.user_id))
            total = batch.answer.page_count
            for number in range(1, total + 1):
                embed = page_embed(batch.answer, number, total)
                await channel.send(embed=embed, nonce=batch.delivery.page_nonce(number), allowed_mentions=NO_MENTIONS)
        except discord.Forbidden as exc:  # 50007: the user does not accept DMs from the bot
            log.info("watch %s: DMs to user %s are closed (%s); pausing their watches", watch.id, watch.user_id, exc.code)
            await asyncio.to_thread(self.watches.dms_closed, watch.user_id)
            return
        except discord.HTTPException as exc:
            log.warning("watch %s: DM failed (%s); retrying in %s", watch.id, exc, RETRY_AFTER)
            await asyncio.to_thread(self.watches.failed, batch, str(exc), RETRY_AFTER)
            return
        try:
            await asyncio.to_thread(self.watches.sent, batch)
        except StoreError as exc:
            self._unmarked[watch.id] = batch
            log.warning("watch %s: DM sent; marking it done failed (%s); will retry the mark, not the DM", watch.id, exc)
            return
        log.info("watch %s: DM sent to user %s with %d papers", watch.id, watch.user_id, len(batch.papers))


async def setup(bot: PaperBot) -> None:
    await bot.add_cog(WatchCog(bot))

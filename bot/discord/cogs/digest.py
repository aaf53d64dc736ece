"""/digest subscribe|unsubscribe|status|preview, /reload, and the loop that posts digests, fetches
feeds and picks up new corpus files. Selection and state live in Library; this cog posts and records.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.config import check_clock, check_timezone
from bot.digest.library import DigestRun
from bot.digest.schedule import RETRY_AFTER
from bot.digest.state import StoreError, Subscription
from bot.discord.app import NO_MENTIONS, send_ephemeral
from bot.discord.cogs.delivery import DeliveryLoop
from bot.discord.ui import page_embed
from bot.errors import ConfigError
from bot.understand.options import OptionError

if TYPE_CHECKING:
    from bot.discord.app import PaperBot

log = logging.getLogger("paperbot.digest")


def _when(moment: dt.datetime | None) -> str:
    return discord.utils.format_dt(moment, "f") if moment else "never"


class DigestCog(DeliveryLoop):
    """Daily digests of new papers, per channel."""

    log = log

    digest = app_commands.Group(name="digest", description="A daily digest of new papers in this channel", guild_only=True)

    def __init__(self, bot: PaperBot) -> None:
        super().__init__(bot)
        self.library = bot.library
        self._last_reload = 0.0

    # --- commands -----------------------------------------------------------------------
    @staticmethod
    def _can_manage(interaction: discord.Interaction) -> bool:
        return bool(interaction.permissions.manage_channels)

    @digest.command(name="subscribe")
    @app_commands.describe(
        filter="Only papers matching this, in question language: 'diffusion', 'with Luke Metz', 'CV'",
        time="Posting time HH:MM (default from config)",
        timezone="IANA time zone for the time, e.g. Europe/Paris (default from config)",
    )
    async def subscribe(
        self, interaction: discord.Interaction, filter: str | None = None, time: str | None = None, timezone: str | None = None
    ) -> None:
        """Post a daily digest of new papers in this channel (needs Manage Channels)."""
        if not self._can_manage(interaction):
            await send_ephemeral(interaction, "Subscribing a channel needs the Manage Channels permission.")
            return
        try:
            clock = check_clock(time, "time") if time else None
            zone = check_timezone(timezone, "timezone") if timezone else None
        except ConfigError as exc:
            raise OptionError(str(exc)) from None
        text = (filter or "").strip()[:300]
        channel = interaction.channel_id or 0
        sub = await asyncio.to_thread(self.library.subscribe, channel, interaction.guild_id, text, clock, zone)
        nxt = self.library.next_digest(sub)
        what = f"papers matching “{discord.utils.escape_markdown(text)}”" if text else "all new papers"
        await interaction.response.send_message(
            f"Subscribed: this channel gets {what} daily; next digest {_when(nxt)}.", allowed_mentions=NO_MENTIONS
        )

    @digest.command(name="unsubscribe")
    async def unsubscribe(self, interaction: discord.Interaction) -> None:
        """Stop this channel's digest (needs Manage Channels)."""
        if not self._can_manage(interaction):
            await send_ephemeral(interaction, "Unsubscribing a channel needs the Manage Channels permission.")
            return
        removed = await asyncio.to_thread(self.library.unsubscribe, interaction.channel_id or 0)
        await interaction.response.send_message(
            "Unsubscribed: no more digests here." if removed else "This channel had no digest.", allowed_mentions=NO_MENTIONS
        )

    @digest.command(name="status")
    async def status(self, interaction: discord.Interaction) -> None:
        """This channel's digest: time, filter, last post."""
        sub = await asyncio.to_thread(self.library.status, interaction.channel_id or 0)
        if sub is None:
            await send_ephemeral(interaction, "This channel has no digest. `/digest subscribe` starts one.")
            return
        schedule = self.library.schedule(sub)
        lines = [
            f"Daily at **{schedule.time}** ({schedule.timezone}); next {_when(self.library.next_digest(sub))}",
            f"Filter: {discord.utils.escape_markdown(sub.filter) if sub.filter else 'none (all new papers)'}",
            f"Last digest posted: {_when(sub.last_post_at)}; covers papers first seen after {_when(sub.watermark)}",
        ]
        if sub.last_error:
            lines.append(
                f"Last attempt failed ({discord.utils.escape_markdown(sub.last_error[:200])}); retry {_when(sub.next_try_at)}"
            )
        await send_ephemeral(interaction, "\n".join(lines))

    @digest.command(name="preview")
    async def preview(self, interaction: discord.Interaction) -> None:
        """What this channel's next digest would hold (only you see it)."""
        run = await asyncio.to_thread(self.library.preview, interaction.channel_id or 0)
        await interaction.response.send_message(
            embed=page_embed(run.answer, 1, run.answer.page_count), ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    @app_commands.command(name="reload")
    @app_commands.default_permissions(manage_guild=True)
    async def reload(self, interaction: discord.Interaction) -> None:
        """Re-read the corpus folder now and index new records (admins only)."""
        if not interaction.permissions.manage_guild:
            await send_ephemeral(interaction, "Reloading the corpus needs the Manage Server permission.")
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        added = await asyncio.to_thread(self.library.reload)
        await interaction.followup.send(
            f"Reloaded: {len(added)} new records; {len(self.library.service.index)} in the index.",
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    # --- the loop (DeliveryLoop runs it) ---------------------------------------------------------
    async def prepare(self) -> None:
        """Reload corpus files (every ``fetch.reload_every_seconds``) and fetch due feeds."""
        loop = asyncio.get_running_loop()
        if loop.time() - self._last_reload >= self.bot.settings.fetch.reload_every_seconds:
            self._last_reload = loop.time()
            await asyncio.to_thread(self.library.reload)
        if self.bot.settings.feeds:
            await asyncio.to_thread(self.library.fetch_feeds)

    def due(self) -> list[Subscription]:
        return self.library.due()

    def key(self, item: Subscription) -> int:
        return item.channel_id

    async def deliver(self, item: Subscription) -> None:
        await self.post_digest(item)

    def mark_done(self, done: DigestRun) -> bool:
        return self.library.mark_posted(done)

    async def post_digest(self, sub: Subscription) -> None:
        """Post a channel's digest exactly once: it is claimed and its delivery recorded first, each page goes
        out with its own nonce (a retry after a crash, or by the process that took the claim over, gets back
        the message already posted), and one transaction marks it done."""
        run = await asyncio.to_thread(self.library.begin_digest, sub)
        if run is None or run.delivery is None:
            return  # nothing new, skipped and marked
        delivery = run.delivery
        try:
            channel = self.bot.get_channel(sub.channel_id) or await self.bot.fetch_channel(sub.channel_id)
            total = run.answer.page_count
            for number in range(delivery.pages_posted + 1, total + 1):
                embed = page_embed(run.answer, number, total)
                message = await channel.send(embed=embed, nonce=delivery.page_nonce(number), allowed_mentions=NO_MENTIONS)  # type: ignore[union-attr]
                try:
                    held = await asyncio.to_thread(self.library.page_posted, run, number, message.id)
                except StoreError as exc:  # only narrows a retry after Discord's nonce window; the nonce covers the rest
                    log.warning("could not record page %d of the digest for channel %s: %s", number, sub.channel_id, exc)
                    continue
                if not held:
                    log.warning("digest for channel %s was taken over by another process after page %d", sub.channel_id, number)
                    return
        except (discord.HTTPException, AttributeError) as exc:
            log.warning("digest for channel %s failed (%s); retrying in %s", sub.channel_id, exc, RETRY_AFTER)
            await asyncio.to_thread(self.library.mark_failed, run, str(exc), RETRY_AFTER)
            return
        try:
            held = await asyncio.to_thread(self.library.mark_posted, run)
        except StoreError as exc:
            self._unmarked[sub.channel_id] = run
            log.warning(
                "digest for channel %s posted; marking it done failed (%s); will retry the mark, not the post",
                sub.channel_id,
                exc,
            )
            return
        if not held:
            log.warning("digest for channel %s was taken over by another process before it was marked done", sub.channel_id)
            return
        log.info("digest posted to channel %s: %d papers", sub.channel_id, len(run.papers))


async def setup(bot: PaperBot) -> None:
    await bot.add_cog(DigestCog(bot))

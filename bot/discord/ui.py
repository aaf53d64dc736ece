"""Discord presentation of an Answer: embeds per page and a PageView whose buttons only the asker can press."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable

import discord

from bot.answer.service import Answer

log = logging.getLogger("paperbot.discord")
COLOUR = discord.Colour(0x5865F2)
EMBED_DESCRIPTION = 4096
EMBED_FOOTER = 2048
CHART_NAMES = {"network": "coauthor-network.png"}  # the attachment's file name by intent; else papers per year


def page_embed(answer: Answer, number: int, pages: int) -> discord.Embed:
    """One page as an embed: the records in the description, how the question was understood in the footer."""
    page = answer.page_at(number)
    embed = discord.Embed(description=(page.body or "\u200b")[:EMBED_DESCRIPTION], colour=COLOUR)
    footer = page.footer or ""
    if pages > 1 and f"page {number}/" not in footer:
        footer = f"{footer} · page {number}/{pages}" if footer else f"page {number}/{pages}"
    if footer:
        embed.set_footer(text=footer[:EMBED_FOOTER])
    return embed


def chart_name(answer: Answer) -> str:
    return CHART_NAMES.get(answer.intent, "papers-per-year.png")


def chart_file(answer: Answer) -> discord.File:
    """The answer's picture as an attachment (``answer.chart_png`` must be set)."""
    assert answer.chart_png is not None
    return discord.File(io.BytesIO(answer.chart_png), filename=chart_name(answer))


class PageView(discord.ui.View):
    """First / Prev / Next / Last over an answer's pages. Others get a private refusal; on timeout the buttons grey out."""

    def __init__(self, answer: Answer, owner_id: int, timeout: float, seen: Callable[[int], None] | None = None) -> None:
        super().__init__(timeout=timeout)
        self.answer = answer
        self.owner_id = owner_id
        self.seen = seen  # told the page the asker turned to, so "the second one" counts on it
        self.number = 1
        self.total = answer.page_count
        self.message: discord.Message | discord.InteractionMessage | None = None
        self._refresh()

    def _refresh(self) -> None:
        self.first.disabled = self.prev.disabled = self.number <= 1
        self.next.disabled = self.last.disabled = self.number >= self.total

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            "Only the person who asked can turn these pages; ask your own question to get yours.", ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )
        return False

    async def show(self, interaction: discord.Interaction, number: int) -> None:
        self.total = len(self.answer.pages)
        self.number = max(1, min(number, self.total))
        self._refresh()
        if self.seen is not None:
            self.seen(self.number)
        await interaction.response.edit_message(embed=page_embed(self.answer, self.number, self.total), view=self)

    @discord.ui.button(label="First", style=discord.ButtonStyle.secondary)
    async def first(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self.show(interaction, 1)

    @discord.ui.button(label="Prev", style=discord.ButtonStyle.primary)
    async def prev(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self.show(interaction, self.number - 1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.primary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self.show(interaction, self.number + 1)

    @discord.ui.button(label="Last", style=discord.ButtonStyle.secondary)
    async def last(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self.show(interaction, len(self.answer.pages))

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException as exc:
                log.info("could not disable page buttons: %s", exc)

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item) -> None:
        log.error("page button failed for user %s", interaction.user.id, exc_info=error)

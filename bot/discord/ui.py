"""Discord presentation of an Answer: embeds per page, and page buttons that survive restarts.

A page button is a discord.py DynamicItem whose custom id carries what redraws the page: the key of
the stored request (the command and its options, kept in the database), the asker, when it was
asked, and the page the button leads to. Any running bot can answer a click from its custom id
alone, so buttons keep working after a deploy or a crash; only the asker can turn pages, and pages
older than ``discord.page_timeout_seconds`` answer with a short note (a live message's buttons also
grey out then).
"""

from __future__ import annotations

import io
import json
import logging
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import discord

from bot.answer.service import Answer

if TYPE_CHECKING:
    from bot.discord.cogs.search import SearchCog

log = logging.getLogger("paperbot.discord")
COLOUR = discord.Colour(0x5865F2)
EMBED_DESCRIPTION = 4096
EMBED_FOOTER = 2048
CHART_NAMES = {"network": "coauthor-network.png"}  # the attachment's file name by intent; else papers per year
NOT_YOURS = "Only the person who asked can turn these pages; ask your own question to get yours."
SLOTS = {
    "f": ("First", discord.ButtonStyle.secondary),
    "p": ("Prev", discord.ButtonStyle.primary),
    "n": ("Next", discord.ButtonStyle.primary),
    "l": ("Last", discord.ButtonStyle.secondary),
}


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


@dataclass(frozen=True, slots=True)
class Request:
    """What an answer was asked with: the command and its options, replayed to redraw a page."""

    command: str
    options: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"command": self.command, "options": self.options}, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Request:
        data = json.loads(text)
        return cls(data["command"], data["options"])


@dataclass(frozen=True, slots=True)
class PageRef:
    """What every page button of one answer carries: the stored request's key, the asker, when (Unix seconds)."""

    key: str
    owner: int
    asked: int


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"paperbot:page:(?P<key>[0-9a-f]{16}):(?P<owner>\d+):(?P<asked>\d+):(?P<page>\d+):(?P<slot>[fpnl])",
):
    """First / Prev / Next / Last, leading to page ``target`` of the answer ``ref`` names."""

    def __init__(self, ref: PageRef, target: int, slot: str, disabled: bool = False) -> None:
        label, style = SLOTS[slot]
        custom_id = f"paperbot:page:{ref.key}:{ref.owner}:{ref.asked}:{target}:{slot}"
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=custom_id, disabled=disabled))
        self.ref, self.target = ref, target

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]) -> PageButton:  # type: ignore[override]
        ref = PageRef(match["key"], int(match["owner"]), int(match["asked"]))
        return cls(ref, int(match["page"]), match["slot"])

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.ref.owner:
            return True
        await interaction.response.send_message(NOT_YOURS, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())
        return False

    async def callback(self, interaction: discord.Interaction) -> None:
        cog: SearchCog | None = interaction.client.get_cog("SearchCog")  # type: ignore[attr-defined, assignment]
        if cog is not None:
            await cog.turn_page(interaction, self.ref, self.target)


class PageView(discord.ui.View):
    """The page buttons of one message, showing page ``number`` of ``total``; they grey out after ``timeout``."""

    def __init__(self, ref: PageRef, number: int, total: int, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.message: discord.Message | discord.InteractionMessage | None = None
        targets = {"f": 1, "p": max(1, number - 1), "n": min(total, number + 1), "l": total}
        for slot, target in targets.items():
            self.add_item(PageButton(ref, target, slot, disabled=(number <= 1) if slot in "fp" else (number >= total)))

    async def on_timeout(self) -> None:
        for item in self.children:
            item.item.disabled = True  # type: ignore[attr-defined]
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException as exc:
                log.info("could not disable page buttons: %s", exc)

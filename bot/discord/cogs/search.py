"""Slash commands, autocomplete and free-text chat: Discord in, PaperService out, embeds back.

No answer logic lives here: options become a Query (bot.understand.options) or the text goes to
service.ask, and the Answer comes back as paged embeds.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.answer.service import Answer
from bot.discord.app import NO_MENTIONS, CooldownActive
from bot.discord.ui import PageView, chart_file, chart_name, page_embed
from bot.understand.options import author_query, lookup_query, network_query, search_query, simple_query
from bot.understand.query import MAX_QUESTION, Query

if TYPE_CHECKING:
    from bot.discord.app import PaperBot

log = logging.getLogger("paperbot.discord")
DEFER_AFTER = 2.0  # seconds of work before an interaction is deferred (Discord allows 3)
CHOICE_LIMIT = 25
CHOICE_TEXT = 100
EMPTY_MENTION_HINT = "Ask me about the papers, e.g. `@paperbot papers on diffusion after 2022`, or type `/help`."
_MENTION = re.compile(r"<@!?(\d+)>")


def _choice(text: str) -> app_commands.Choice[str]:
    short = text if len(text) <= CHOICE_TEXT else text[: CHOICE_TEXT - 1] + "…"
    return app_commands.Choice(name=short, value=short)


def place(channel_id: int | None, user_id: int) -> tuple[int, int]:
    """A conversation's key: one user in one channel, DM or thread (a thread has its own channel id)."""
    return (channel_id or 0, user_id)


def _label(interaction: discord.Interaction) -> str:
    """How a slash command reads in "following up on": /search query: diffusion after: 2022."""
    name = interaction.command.qualified_name if interaction.command else "?"
    options = " ".join(f"{k}: {v}" for k, v in interaction.namespace if v is not None)
    return f"/{name} {options}".strip()


def _wants_chart(answer: Answer) -> bool:
    return answer.intent in ("profile", "network") or (answer.intent == "breakdown" and answer.reply.query.group_by != "category")


class SearchCog(commands.Cog):
    """Everything people ask: /ask, /search, lookups, aggregates, and messages that mention the bot."""

    def __init__(self, bot: PaperBot) -> None:
        self.bot = bot
        self.service = bot.service

    # --- answering ---------------------------------------------------------------------
    async def _compute(self, interaction: discord.Interaction, work: Callable[[], Answer], ephemeral: bool = False) -> Answer:
        """Run the core in a thread; defer if it has not finished within DEFER_AFTER seconds."""
        task = asyncio.ensure_future(asyncio.to_thread(work))
        done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
        if not done:
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        return await task

    def message_parts(self, answer: Answer, owner_id: int, key: tuple[int, int] | None = None) -> tuple[dict[str, Any], PageView | None]:
        """Page 1 as an embed (with the chart attached if any) and page buttons when there is more than one page."""
        total = answer.page_count
        embed = page_embed(answer, 1, total)
        kwargs: dict[str, Any] = {"embed": embed, "allowed_mentions": NO_MENTIONS}
        if answer.chart_png:
            embed.set_image(url=f"attachment://{chart_name(answer)}")
            kwargs["file"] = chart_file(answer)
        seen = (lambda number: self.bot.conversations.saw_page(key, answer, number)) if key else None
        view = PageView(answer, owner_id, self.bot.settings.discord.page_timeout_seconds, seen) if total > 1 else None
        if view:
            kwargs["view"] = view
        return kwargs, view

    def key(self, interaction: discord.Interaction) -> tuple[int, int]:
        return place(interaction.channel_id, interaction.user.id)

    def start(self, interaction: discord.Interaction, query: Query) -> Callable[[], Answer]:
        """A slash command's question: answered, and the start of a context that text follow-ups refine."""
        key, label = self.key(interaction), _label(interaction)
        return lambda: self.bot.conversations.start(key, query, label)

    async def respond(self, interaction: discord.Interaction, work: Callable[[], Answer], chart: bool = False) -> None:
        self.bot.check_cooldown(interaction.user.id)
        answer = await self._compute(interaction, lambda: self._prepare(work(), chart))
        kwargs, view = self.message_parts(answer, interaction.user.id, self.key(interaction))
        if interaction.response.is_done():
            message = await interaction.followup.send(wait=True, **kwargs)
        else:
            callback = await interaction.response.send_message(**kwargs)
            message = callback.resource if isinstance(callback.resource, discord.InteractionMessage) else None
            if message is None and view:
                try:  # only needed to grey the buttons out later
                    message = await interaction.original_response()
                except discord.HTTPException as exc:
                    log.info("no original response to attach page buttons to: %s", exc)
        if view:
            view.message = message

    def _prepare(self, answer: Answer, chart: bool) -> Answer:
        """Render page 1 (and the chart) off the event loop."""
        answer.first()
        if chart or _wants_chart(answer):
            answer.chart_png = self.service.chart(answer if answer.intent != "profile" else None)
        return answer

    # --- slash commands ----------------------------------------------------------------
    @app_commands.command(name="ask")
    @app_commands.describe(question="Anything about the papers, e.g. 'papers on diffusion after 2022' or 'who coauthored most?'")
    async def ask(self, interaction: discord.Interaction, question: app_commands.Range[str, 1, MAX_QUESTION]) -> None:
        """Ask a question in plain words: topics, filters, counts, coauthors, lookups."""
        key = self.key(interaction)
        await self.respond(interaction, lambda: self.bot.conversations.say(key, question))

    @app_commands.command(name="search")
    @app_commands.describe(
        query="Topic words, e.g. 'diffusion models'",
        after="Only papers after this date: YYYY, YYYY-MM or YYYY-MM-DD",
        before="Only papers before this date: YYYY, YYYY-MM or YYYY-MM-DD",
        author="Only papers by this author",
        category="arXiv category code or name, e.g. LG, cs.CV, computer vision",
        has_code="Only papers with (true) or without (false) code",
    )
    async def search(
        self, interaction: discord.Interaction, query: app_commands.Range[str, 1, MAX_QUESTION], after: str | None = None,
        before: str | None = None, author: str | None = None, category: str | None = None, has_code: bool | None = None,
    ) -> None:
        """Search the papers by topic, with optional date, author, category and code filters."""
        lexicon = self.service.lexicon
        await self.respond(interaction, self.start(interaction, search_query(lexicon, query, after, before, author, category, has_code)))

    @app_commands.command(name="paper")
    @app_commands.describe(title="The paper's title (or distinctive words from it)")
    async def paper(self, interaction: discord.Interaction, title: app_commands.Range[str, 1, MAX_QUESTION]) -> None:
        """Show one paper: authors, date, category, code, abstract."""
        await self.respond(interaction, self.start(interaction, lookup_query("paper", title)))

    @app_commands.command(name="author")
    @app_commands.describe(name="An author's name")
    async def author(self, interaction: discord.Interaction, name: app_commands.Range[str, 1, 200]) -> None:
        """An author's papers, years, categories and frequent coauthors."""
        await self.respond(interaction, self.start(interaction, author_query(name, self.service.lexicon)))

    @app_commands.command(name="coauthors")
    @app_commands.describe(limit="How many coauthors to list (ties at the cut are kept)")
    async def coauthors(self, interaction: discord.Interaction, limit: app_commands.Range[int, 1, 100] | None = None) -> None:
        """Who coauthored most, the profile's owner excluded."""
        await self.respond(interaction, self.start(interaction, simple_query("coauthors", limit)))

    @app_commands.command(name="recent")
    @app_commands.describe(count="How many papers (default 10)")
    async def recent(self, interaction: discord.Interaction, count: app_commands.Range[int, 1, 100] = 10) -> None:
        """The most recent papers."""
        lexicon = self.service.lexicon
        await self.respond(interaction, self.start(interaction, search_query(lexicon, sort="newest", limit=count)))

    @app_commands.command(name="network")
    @app_commands.describe(
        person="Centre the picture on this author (default: the whole profile)",
        after="Only papers after this date: YYYY, YYYY-MM or YYYY-MM-DD",
        before="Only papers before this date: YYYY, YYYY-MM or YYYY-MM-DD",
    )
    async def network(
        self, interaction: discord.Interaction, person: app_commands.Range[str, 1, 200] | None = None, after: str | None = None, before: str | None = None
    ) -> None:
        """A picture of who works with whom: the coauthor network around a person or the whole profile."""
        lexicon = self.service.lexicon
        await self.respond(interaction, self.start(interaction, network_query(lexicon, person, after, before)))

    @app_commands.command(name="stats")
    async def stats(self, interaction: discord.Interaction) -> None:
        """Profile facts (h-index, citations) and a papers-per-year chart."""
        await self.respond(interaction, lambda: self.service.respond(simple_query("profile")), chart=True)

    @app_commands.command(name="similar")
    @app_commands.describe(title="The paper to find neighbours of")
    async def similar(self, interaction: discord.Interaction, title: app_commands.Range[str, 1, MAX_QUESTION]) -> None:
        """Papers whose text is closest to a given paper's."""
        await self.respond(interaction, self.start(interaction, lookup_query("similar", title)))

    @app_commands.command(name="cite")
    @app_commands.describe(title="The paper to cite")
    async def cite(self, interaction: discord.Interaction, title: app_commands.Range[str, 1, MAX_QUESTION]) -> None:
        """A BibTeX entry for a paper."""
        await self.respond(interaction, self.start(interaction, lookup_query("cite", title)))

    @app_commands.command(name="help")
    async def help(self, interaction: discord.Interaction) -> None:
        """What you can ask, with examples."""
        await self.respond(interaction, lambda: self.service.respond(simple_query("help")))

    # --- autocomplete ------------------------------------------------------------------
    @paper.autocomplete("title")
    @similar.autocomplete("title")
    @cite.autocomplete("title")
    async def title_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [_choice(t) for t in self.service.complete_titles(current[:MAX_QUESTION], CHOICE_LIMIT)]

    @author.autocomplete("name")
    @network.autocomplete("person")
    @search.autocomplete("author")
    async def author_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [_choice(n) for n in self.service.complete_authors(current[:200], CHOICE_LIMIT)]

    # --- free text ---------------------------------------------------------------------
    def question_in(self, message: discord.Message) -> str | None:
        """The question a message asks the bot, "" for an empty mention, None when it is not for the bot."""
        me = self.bot.user
        if message.author.bot or me is None or message.author.id == me.id or message.webhook_id:
            return None
        mentioned = any(user.id == me.id for user in message.mentions)
        direct = message.guild is None
        chat_channel = message.channel.id in self.bot.settings.chat.channels
        if not (mentioned or direct or chat_channel):
            return None
        text = _MENTION.sub(lambda m: "" if int(m.group(1)) == me.id else m.group(0), message.content).strip()
        if not text and chat_channel and not (mentioned or direct):
            return None  # content hidden (no message-content intent) or an attachment only
        return text

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        question = self.question_in(message)
        if question is None:
            return
        if not question:
            await message.reply(EMPTY_MENTION_HINT, mention_author=False, allowed_mentions=NO_MENTIONS)
            return
        try:
            self.bot.check_cooldown(message.author.id)
        except CooldownActive as exc:
            await message.reply(str(exc), mention_author=False, allowed_mentions=NO_MENTIONS)
            return
        key = place(message.channel.id, message.author.id)
        try:
            answer = await asyncio.to_thread(lambda: self._prepare(self.bot.conversations.say(key, question), False))
        except Exception:
            log.exception("answering a message failed (user %s, channel %s)", message.author.id, message.channel.id)
            await message.reply("Something went wrong while answering; it has been logged. Try again or rephrase.", mention_author=False, allowed_mentions=NO_MENTIONS)
            return
        kwargs, view = self.message_parts(answer, message.author.id, key)
        try:
            sent = await message.reply(mention_author=False, **kwargs)
        except discord.NotFound:  # the question was deleted meanwhile: answer in the channel instead
            kwargs.pop("file", None)
            if answer.chart_png:
                kwargs["file"] = chart_file(answer)
            sent = await message.channel.send(**kwargs)
        if view:
            view.message = sent


async def setup(bot: PaperBot) -> None:
    await bot.add_cog(SearchCog(bot))

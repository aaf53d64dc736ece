"""Slash commands, autocomplete and free-text chat: Discord in, PaperService out, embeds back.

No answer logic lives here: options become a Query (bot.understand.options) or the text goes to
service.ask, and the Answer comes back as paged embeds.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.answer.service import Answer
from bot.digest.library import Library
from bot.discord.app import NO_MENTIONS, CooldownActive, send_ephemeral
from bot.discord.ui import PageButton, PageRef, PageView, Request, chart_file, chart_name, page_embed
from bot.understand.options import (
    author_query,
    coauthors_query,
    lookup_query,
    network_query,
    profile_query,
    search_query,
    simple_query,
)
from bot.understand.query import MAX_QUESTION, Query

if TYPE_CHECKING:
    from bot.discord.app import PaperBot

log = logging.getLogger("paperbot.discord")
DEFER_AFTER = 2.0  # seconds of work before an interaction is deferred (Discord allows 3)
CHOICE_LIMIT = 25
CHOICE_TEXT = 100
EMPTY_MENTION_HINT = "Ask me about the papers, e.g. `@paperbot papers on diffusion after 2022`, or type `/help`."
_MENTION = re.compile(r"<@!?(\d+)>")
ANSWERS_KEPT = 256  # answers whose pages were shown lately, kept to turn pages without recomputing


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
        self._answers: OrderedDict[str, Answer] = OrderedDict()  # request key -> answer, most recent last
        self._saving: set[asyncio.Future[str]] = set()  # requests being stored

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(PageButton)  # clicks on any message's page buttons, from before a restart too

    # --- answering ---------------------------------------------------------------------
    async def _compute(
        self, interaction: discord.Interaction, work: Callable[[], Answer], ephemeral: bool = False, update: bool = False
    ) -> Answer:
        """Run the core in a thread; defer if it has not finished within DEFER_AFTER seconds (``update``:
        as an update of the clicked message, not a new reply)."""
        task = asyncio.ensure_future(asyncio.to_thread(work))
        done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
        if not done:
            await interaction.response.defer(ephemeral=ephemeral, thinking=not update)
        return await task

    def answer_for(self, request: Request) -> Answer:
        """The answer a command gives (run in a thread): the one place a Request becomes a call to the core."""
        service, options, command = self.service, request.options, request.command
        if command == "ask":
            today = dt.date.fromisoformat(options["today"]) if options.get("today") else None
            return service.ask(options["question"], today=today)
        if command == "search":
            return service.respond(
                search_query(
                    service.lexicon,
                    options["query"],
                    options.get("after"),
                    options.get("before"),
                    options.get("author"),
                    options.get("category"),
                    options.get("has_code"),
                )
            )
        if command in ("paper", "similar", "cite"):
            return service.respond(lookup_query(command, options["title"]))
        if command == "author":
            return service.respond(author_query(options["name"], service.lexicon))
        if command == "coauthors":
            return service.respond(coauthors_query(service.lexicon, options.get("person"), options.get("limit")))
        if command == "recent":
            return service.respond(search_query(service.lexicon, sort="newest", limit=options["count"]))
        if command == "network":
            return service.respond(
                network_query(service.lexicon, options.get("person"), options.get("after"), options.get("before"))
            )
        if command == "stats":
            return service.respond(profile_query(service.lexicon, options.get("profile")))
        return service.respond(simple_query(command))  # /help

    def _page_ref(self, request: Request, answer: Answer, owner_id: int) -> PageRef | None:
        """The page buttons' reference for an answer with several pages (None for one page). The request
        is stored in the background: a busy database never delays the answer, and until it is stored
        the answer kept here turns the pages."""
        if answer.page_count <= 1:
            return None
        text = request.to_json()
        key = Library.request_key(text)
        self._keep(key, answer)
        saving = asyncio.ensure_future(asyncio.to_thread(self.bot.library.remember_request, text))
        self._saving.add(saving)
        saving.add_done_callback(self._saved)
        return PageRef(key, owner_id, int(time.time()))

    def _saved(self, task: asyncio.Future[str]) -> None:
        self._saving.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("could not store a paged answer's request (its buttons work until a restart): %s", task.exception())

    def _keep(self, key: str, answer: Answer) -> None:
        self._answers[key] = answer
        self._answers.move_to_end(key)
        while len(self._answers) > ANSWERS_KEPT:
            self._answers.popitem(last=False)

    def message_parts(self, answer: Answer, ref: PageRef | None) -> tuple[dict[str, Any], PageView | None]:
        """Page 1 as an embed (with the chart attached if any) and page buttons when there is more than one page."""
        total = answer.page_count
        embed = page_embed(answer, 1, total)
        kwargs: dict[str, Any] = {"embed": embed, "allowed_mentions": NO_MENTIONS}
        if answer.chart_png:
            embed.set_image(url=f"attachment://{chart_name(answer)}")
            kwargs["file"] = chart_file(answer)
        view = PageView(ref, 1, total, self.bot.settings.discord.page_timeout_seconds) if ref is not None and total > 1 else None
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
        command = interaction.command.qualified_name if interaction.command else "ask"
        request = Request(command, {k: v for k, v in vars(interaction.namespace).items()})  # what redraws its pages
        kwargs, view = self.message_parts(answer, self._page_ref(request, answer, interaction.user.id))
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

    async def turn_page(self, interaction: discord.Interaction, ref: PageRef, number: int) -> None:
        """A page button was pressed (by its asker): redraw page ``number`` from the stored request."""
        limit = self.bot.settings.discord.page_timeout_seconds
        age = f"{round(limit)} s" if limit < 120 else f"{round(limit / 60)} min"
        expired = f"These pages are more than {age} old and no longer turn; ask again for fresh ones."
        if time.time() - ref.asked > limit:
            await send_ephemeral(interaction, expired)
            return
        answer = self._answers.get(ref.key)
        if answer is None:
            text = await asyncio.to_thread(self.bot.library.recall_request, ref.key)
            if text is None:
                await send_ephemeral(interaction, expired)
                return
            request = Request.from_json(text)
            answer = await self._compute(interaction, lambda: self._prepare(self.answer_for(request), False), update=True)
            self._keep(ref.key, answer)
        total = len(await asyncio.to_thread(lambda: answer.page_list))
        number = max(1, min(number, total))
        self.bot.conversations.saw_page(
            place(interaction.channel_id, interaction.user.id), answer, number
        )  # "the second one" counts on it
        view = PageView(ref, number, total, max(1.0, limit - (time.time() - ref.asked)))  # greys out when the pages get old
        view.message = interaction.message
        if interaction.response.is_done():
            await interaction.edit_original_response(embed=page_embed(answer, number, total), view=view)
        else:
            await interaction.response.edit_message(embed=page_embed(answer, number, total), view=view)

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
        self,
        interaction: discord.Interaction,
        query: app_commands.Range[str, 1, MAX_QUESTION],
        after: str | None = None,
        before: str | None = None,
        author: str | None = None,
        category: str | None = None,
        has_code: bool | None = None,
    ) -> None:
        """Search the papers by topic, with optional date, author, category and code filters."""
        lexicon = self.service.lexicon
        await self.respond(
            interaction, self.start(interaction, search_query(lexicon, query, after, before, author, category, has_code))
        )

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
    @app_commands.describe(
        limit="How many coauthors to list (ties at the cut are kept)",
        person="Whose coauthors: a researcher with a profile, or any author (default: the profile's owner)",
    )
    async def coauthors(
        self,
        interaction: discord.Interaction,
        limit: app_commands.Range[int, 1, 100] | None = None,
        person: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        """Who coauthored most, the profile's owner (or the person asked about) excluded."""
        lexicon = self.service.lexicon
        await self.respond(interaction, self.start(interaction, coauthors_query(lexicon, person, limit)))

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
        self,
        interaction: discord.Interaction,
        person: app_commands.Range[str, 1, 200] | None = None,
        after: str | None = None,
        before: str | None = None,
    ) -> None:
        """A picture of who works with whom: the coauthor network around a person or the whole profile."""
        lexicon = self.service.lexicon
        await self.respond(interaction, self.start(interaction, network_query(lexicon, person, after, before)))

    @app_commands.command(name="stats")
    @app_commands.describe(profile="Whose profile, when several researchers are loaded (default: all of them)")
    async def stats(self, interaction: discord.Interaction, profile: app_commands.Range[str, 1, 200] | None = None) -> None:
        """Profile facts (h-index, citations) and a papers-per-year chart."""
        lexicon = self.service.lexicon
        await self.respond(interaction, lambda: self.service.respond(profile_query(lexicon, profile)), chart=True)

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
    @coauthors.autocomplete("person")
    async def author_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [_choice(n) for n in self.service.complete_authors(current[:200], CHOICE_LIMIT)]

    @stats.autocomplete("profile")
    async def profile_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [_choice(n) for n in self.service.complete_profiles(current[:200], CHOICE_LIMIT)]

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
            await message.reply(
                "Something went wrong while answering; it has been logged. Try again or rephrase.",
                mention_author=False,
                allowed_mentions=NO_MENTIONS,
            )
            return
        kwargs, view = self.message_parts(
            answer, self._page_ref(Request("ask", {"question": question}), answer, message.author.id)
        )
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

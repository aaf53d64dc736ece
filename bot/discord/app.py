"""The Discord bot: PaperBot (a commands.Bot holding a ready PaperService) and ``paperbot run``.

The token comes only from DISCORD_TOKEN and is redacted from every log line. SIGTERM and SIGINT stop
the bot gracefully: no new work is taken, the digest step in flight finishes (its delivery is
recorded either way), the gateway and the database close, and the process exits 0 within
``discord.stop_seconds``. Every send goes out
with mentions disabled (no @everyone, @here, role or user pings), whatever a question or record
says. DISCORD_API_BASE and DISCORD_GATEWAY_URL point the bot at another Discord (the tests' local
fake server); they are read before login because discord.py hard-codes both addresses.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import math
import os
import signal
import sys
import threading
import time
from pathlib import Path

import discord
from discord import app_commands
from discord.ext import commands

from bot.answer.conversation import Conversations
from bot.config import Settings
from bot.digest.library import CLOCK_FILE_ENV, Library, clock_from_env
from bot.digest.shards import Shards
from bot.errors import PaperBotError

log = logging.getLogger("paperbot.discord")
NO_MENTIONS = discord.AllowedMentions.none()
COGS = ("bot.discord.cogs.search", "bot.discord.cogs.digest", "bot.discord.cogs.watch")


class CooldownActive(app_commands.CheckFailure):
    """The user asked again before their cooldown ended."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"Slow down a little: try again in {math.ceil(retry_after)} s.")
        self.retry_after = retry_after


class RedactToken(logging.Filter):
    """Replaces the token wherever it would appear in a log record."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token and self.token in record.getMessage():
            record.msg, record.args = record.getMessage().replace(self.token, "[token]"), None
        return True


def point_at(api_base: str | None, gateway: str | None) -> None:
    """Use another Discord (a local fake in tests): both addresses are class attributes in discord.py."""
    import yarl

    if api_base:
        discord.http.Route.BASE = api_base.rstrip("/")
    if gateway:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)


def intents(settings: Settings) -> discord.Intents:
    """Guilds and messages; message content only if config says it is enabled in the developer portal."""
    chosen = discord.Intents.default()
    chosen.message_content = settings.discord.message_content
    chosen.members = False
    chosen.presences = False
    return chosen


STOPPING_NOTE = "The bot is restarting; ask again in a minute."


def user_cooldown(seconds: float) -> commands.CooldownMapping[int]:
    """One question per ``seconds`` per user, shared by slash commands and messages: discord.py's own
    bucket keyed by user id (``app_commands.checks.cooldown`` keeps one bucket per command)."""
    return commands.CooldownMapping(commands.Cooldown(1, seconds), lambda user_id: user_id)


class PaperTree(app_commands.CommandTree):
    """One place maps command errors to a short ephemeral message and a log line with context."""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """While stopping, new commands get a short note instead of starting work."""
        if getattr(self.client, "stopping", False):
            await send_ephemeral(interaction, STOPPING_NOTE)
            return False
        return True

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        original = getattr(error, "original", error)
        if isinstance(original, CooldownActive):
            message = str(original)
        elif isinstance(original, PaperBotError):
            message = original.user_message
        else:
            command = interaction.command.qualified_name if interaction.command else "?"
            log.error(
                "command /%s failed for user %s in channel %s",
                command,
                interaction.user.id,
                interaction.channel_id,
                exc_info=original,
            )
            message = "Something went wrong while answering; it has been logged. Try again or rephrase."
        await send_ephemeral(interaction, message[:1900])


async def send_ephemeral(interaction: discord.Interaction, text: str) -> None:
    """Reply privately whether or not the interaction was already acknowledged."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException as exc:
        log.warning("could not send an error message: %s", exc)


class PaperBot(commands.Bot):
    """The bot: a ready PaperService, the cogs, the cooldown, and command sync."""

    def __init__(
        self,
        library: Library,
        settings: Settings,
        force_sync: bool = False,
        state_dir: Path | None = None,
        **client_options: object,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(settings),
            allowed_mentions=NO_MENTIONS,
            tree_cls=PaperTree,
            help_command=None,
            **client_options,
        )
        self.library = library
        self.service = library.service
        self.settings = settings
        self.force_sync = force_sync
        self.state_dir = state_dir or Path(settings.source).resolve().parent / ".paperbot-state"
        self.cooldown = user_cooldown(settings.chat.cooldown_seconds)
        # tests move the clock file to expire conversations without waiting 15 minutes
        seconds = (lambda: library.clock().timestamp()) if os.environ.get(CLOCK_FILE_ENV) else time.monotonic
        self.conversations = Conversations(self.service, settings.chat.context_minutes, settings.chat.context_cap, seconds)
        self._warmed = False  # autocomplete tables are built once, after the first READY
        self.stopping = False  # set on SIGTERM/SIGINT: no new work

    def check_cooldown(self, user_id: int, now: float | None = None) -> None:
        """Raise CooldownActive if the user must wait (slash commands and messages share it)."""
        if self.settings.chat.cooldown_seconds <= 0:
            return
        bucket = self.cooldown.get_bucket(user_id, now)
        wait = bucket.update_rate_limit(now) if bucket else None
        if wait:
            raise CooldownActive(wait)

    async def stop_gracefully(self) -> None:
        """Take no new work, let the digest step in flight finish, then close the gateway."""
        self.stopping = True
        for name in ("DigestCog", "WatchCog"):
            cog = self.get_cog(name)
            if cog is not None:
                await cog.drain()  # type: ignore[attr-defined]
        await self.close()

    async def setup_hook(self) -> None:
        for name in COGS:
            await self.load_extension(name)
        await self.sync_commands()

    async def sync_commands(self) -> None:
        """Sync to config's guilds (instant) or globally, when the commands changed or --sync asks."""
        payload = json.dumps([c.to_dict(self.tree) for c in self.tree.get_commands()], sort_keys=True, default=str)
        targets = list(self.settings.discord.guilds)
        # the same commands for another application or another Discord (a test server) must sync again
        where = f"{self.application_id} {discord.http.Route.BASE}"
        digest = hashlib.sha256((payload + repr(targets) + where).encode()).hexdigest()
        marker = self.state_dir / "commands.sha256"
        if not self.force_sync and marker.is_file() and marker.read_text().strip() == digest:
            log.info("slash commands unchanged; not syncing (paperbot run --sync forces it)")
            return
        try:
            if targets:
                for guild_id in targets:
                    guild = discord.Object(id=guild_id)
                    self.tree.copy_global_to(guild=guild)
                    synced = await self.tree.sync(guild=guild)
                    log.info("synced %d commands to guild %s", len(synced), guild_id)
            else:
                synced = await self.tree.sync()
                log.info("synced %d commands globally (may take up to an hour to show)", len(synced))
        except discord.HTTPException as exc:
            # mentions and DMs still work; slash commands need the applications.commands scope
            log.error("could not sync slash commands (%s); was the bot invited with the applications.commands scope?", exc)
            return
        try:
            self.state_dir.mkdir(parents=True, exist_ok=True)
            marker.write_text(digest)
        except OSError as exc:
            log.warning("could not record the command sync: %s", exc)

    async def on_message(self, message: discord.Message) -> None:
        """No prefix commands: messages are answered by SearchCog's listener only."""

    async def on_ready(self) -> None:
        if not self._warmed:
            self._warmed = True
            await asyncio.to_thread(self.service.warm)
            await asyncio.to_thread(self.library.verify_store)  # every store checksum, after start-up: a damaged store is rebuilt
        log.info(
            "logged in as %s (%s); %d papers indexed", self.user, self.user.id if self.user else "?", len(self.service.index)
        )


class ShardedPaperBot(PaperBot, commands.AutoShardedBot):
    """The same bot over several gateway shards in one process (``paperbot run --shards 0-3 --shard-count 8``):
    discord.py's AutoShardedBot with the shard ids and count given, so it never asks Discord how many."""


def make_bot(library: Library, settings: Settings, force_sync: bool = False) -> PaperBot:
    """A plain bot, or a sharded one running the library's shards."""
    shards = library.shards
    if shards is None:
        return PaperBot(library, settings, force_sync=force_sync)
    return ShardedPaperBot(library, settings, force_sync=force_sync, shard_ids=list(shards.ids), shard_count=shards.count)


def run_bot(
    settings: Settings,
    corpus: list[Path] | None = None,
    force_sync: bool = False,
    init_state: bool = False,
    shards: Shards | None = None,
) -> int:
    """``paperbot run``: exit 2 with one line for a missing or rejected token, 0 after SIGTERM or SIGINT."""
    token = os.environ.get("DISCORD_TOKEN", "").strip()
    if not token:
        print(
            "paperbot: DISCORD_TOKEN is not set (create a bot token in the Discord developer portal; see README)", file=sys.stderr
        )
        return 2
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactToken(token))
    point_at(os.environ.get("DISCORD_API_BASE"), os.environ.get("DISCORD_GATEWAY_URL"))
    library = Library.open(settings, corpus, clock_from_env(), init_state=init_state, shards=shards)
    for warning in library.service.warnings:
        log.warning("corpus: %s", warning)
    if shards is not None:
        log.info("running shards %s; digest claims held as %s", shards.label, library.owner)
    bot = make_bot(library, settings, force_sync=force_sync)
    try:
        asyncio.run(_serve(bot, token, settings.discord.stop_seconds))
    except discord.LoginFailure:
        print("paperbot: Discord rejected the token in DISCORD_TOKEN (reset it in the developer portal)", file=sys.stderr)
        return 2
    except discord.PrivilegedIntentsRequired:
        print(
            "paperbot: the message content intent is not enabled for this bot in the developer portal; enable it or set discord.message_content: false",
            file=sys.stderr,
        )
        return 2
    finally:
        library.close()  # waits for a write in flight: each is one short transaction
    return 0


def _exit_by(seconds: float) -> None:
    """After a stop signal: exit 0 after ``seconds`` whatever still runs (a thread waiting on a locked
    database, a long reload); SQLite keeps the last committed state, so abandoning it is clean."""

    def leave() -> None:
        log.warning("in-flight work did not finish within %.0f s of the stop signal; abandoning it", seconds)
        logging.shutdown()
        os._exit(0)

    timer = threading.Timer(seconds, leave)
    timer.daemon = True
    timer.start()


async def _serve(bot: PaperBot, token: str, stop_seconds: float) -> None:
    """Run until the gateway ends or a stop signal; after a signal, finish in-flight work within ``stop_seconds``."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with bot:
        running = asyncio.create_task(bot.start(token))
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if running.done():
            stopping.cancel()
            running.result()  # a login failure raises here
            return
        log.info("stop signal: finishing in-flight work (at most %.0f s)", stop_seconds)
        _exit_by(stop_seconds)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(bot.stop_gracefully(), max(0.1, stop_seconds - 0.5))
        await asyncio.wait({running}, timeout=1.0)
    log.info("stopped")

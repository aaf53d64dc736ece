"""Error types. User-safe errors carry a one-line ``user_message`` that the CLI and the bot show as is."""

from __future__ import annotations


class PaperBotError(Exception):
    """Base of every error paperbot raises on purpose."""

    @property
    def user_message(self) -> str:
        return str(self)


class ConfigError(PaperBotError):
    """config.yaml is missing, unreadable, or has an unknown key or a wrong type."""


class CorpusError(PaperBotError):
    """A corpus path is missing or holds no readable records."""


class WorkerDied(PaperBotError):
    """A worker process building the index ended without its result (killed for memory, a signal)."""

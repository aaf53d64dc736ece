"""Which guilds a bot process serves when several processes share the gateway shards, and the name
its digest claims go under.

Discord routes a guild to shard ``(guild_id >> 22) % shard_count``; a process started with
``--shards 0-3 --shard-count 8`` holds those four shards' gateway connections, so it posts digests
only to the channels of their guilds. The claims' owner name is stable across a restart of the same
process (host and shards): a bot restarted after a crash resumes its own digest at once, while any
other process waits for the claim's lease to run out.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

from bot.errors import PaperBotError

MAX_SHARDS = 65_536  # far beyond any bot; a typo such as 80000000 is refused instead of opening that many sockets


class ShardError(PaperBotError):
    """``--shards`` / ``--shard-count`` do not describe shards this process can run."""


def shard_of(guild_id: int, count: int) -> int:
    """The shard Discord delivers a guild's events on."""
    return (guild_id >> 22) % count


@dataclass(frozen=True, slots=True)
class Shards:
    """The gateway shards one process runs: ``ids`` out of ``count``."""

    ids: tuple[int, ...]
    count: int

    @classmethod
    def parse(cls, spec: str | None, count: int | None) -> Shards:
        """``"0-3"``, ``"5"`` or ``"0-1,4,6-7"`` out of ``count``; all of them when ``spec`` is None.
        Every mistake is one line saying what was expected."""
        if count is None:
            raise ShardError("--shards needs --shard-count (how many shards all processes run together)")
        if not 1 <= count <= MAX_SHARDS:
            raise ShardError(f"--shard-count must be between 1 and {MAX_SHARDS}, not {count}")
        if spec is None:
            return cls(tuple(range(count)), count)
        ids: set[int] = set()
        for part in spec.split(","):
            lo, dash, hi = part.strip().partition("-")
            if not lo.isdigit() or (dash and not hi.isdigit()):
                raise ShardError(f"--shards takes shard ids and ranges such as 0-3 or 0,2,5-7, not {spec!r}")
            first, last = int(lo), int(hi) if dash else int(lo)
            if first > last:
                raise ShardError(f"--shards range {part.strip()} runs backwards (write {last}-{first})")
            if last >= count:
                raise ShardError(f"--shards {spec}: shard ids run from 0 to {count - 1} with --shard-count {count}, not {last}")
            ids.update(range(first, last + 1))
        return cls(tuple(sorted(ids)), count)

    def owns(self, guild_id: int | None) -> bool:
        """Whether this process serves the guild (a channel without a guild, as DMs, is shard 0's, as on Discord)."""
        return shard_of(guild_id or 0, self.count) in self.ids

    @property
    def label(self) -> str:
        """``0-3,6/8``: the shards as ranges, then the count."""
        runs: list[str] = []
        for shard in self.ids:
            if runs and shard == int(runs[-1].rpartition("-")[2]) + 1:
                runs[-1] = f"{runs[-1].partition('-')[0]}-{shard}"
            else:
                runs.append(str(shard))
        return f"{','.join(runs)}/{self.count}"


def owner_name(shards: Shards | None) -> str:
    """Who holds a digest claim: this host and its shards (``all`` for an unsharded bot)."""
    return f"{socket.gethostname()}:{shards.label if shards else 'all'}"

"""A conversation's memory: what one user in one place last saw, kept for a while and within a cap.

``Conversations`` (bot/answer/conversation.py) answers follow-ups against a ``Context``; ``ContextStore``
keeps one per key (Discord: channel or DM or thread, plus user; the terminal: one session), forgets it
after a configured time and evicts the least recently used when full, so memory stays bounded however
many people talk to the bot.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

import numpy as np

from bot.understand.query import Query

from .answer import Reply


@dataclass(slots=True)
class Shown:
    """A list answer as the user saw it: the question that made it, its records in order, the page shown."""

    query: Query
    docs: np.ndarray
    page: int
    pages: int
    page_size: int
    note: str  # its "following up on" line, repeated on the pages turned later
    names: tuple[str, ...] = ()  # a coauthor table's rows: "the second one" is a person


@dataclass(slots=True)
class Context:
    """One user's conversation in one place."""

    root: str  # the question the conversation started from, as asked
    root_query: Query
    base: Query | None = None  # the question refinements apply to
    listing: Shown | None = None
    focus: tuple[int, ...] = ()  # what the last answer was about ("it"): a paper shown in detail, a similar search's source
    lookup: Query | None = None  # the last answer looked a title up: "and CAT3D?" asks the same of another
    asked: tuple[str, str] = ("", "")  # the last lookup's intent and detail: "and the 2nd?" asks the same of another record
    base_empty: bool = False  # the base's answer found nothing: "those" then means the last list shown
    earlier: Query | None = None  # the base before the last refinement ("never mind, ..." goes back to it)
    people: tuple[
        str, ...
    ] = ()  # several profiles: the ones the conversation is about ("his h-index", "papers they wrote together")
    generation: int = 0  # the index the record positions belong to
    touched: float = 0.0
    previous: Context | None = None  # the conversation before this question started afresh ("back to the diffusion ones")


class ContextStore:
    """Contexts by key, forgotten ``seconds`` after their last use; at most ``cap``, least recently used evicted first."""

    def __init__(self, seconds: float, cap: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.cap = cap
        self.clock = clock
        self._items: OrderedDict[Hashable, Context] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def _expire(self, now: float) -> None:
        while self._items:  # kept in order of last use, so the stale ones are at the front
            key, oldest = next(iter(self._items.items()))
            if now - oldest.touched < self.seconds:
                break
            del self._items[key]

    def get(self, key: Hashable) -> Context | None:
        with self._lock:
            self._expire(self.clock())
            context = self._items.get(key)
            if context is not None:
                self._items.move_to_end(key)
            return context

    def put(self, key: Hashable, context: Context) -> None:
        with self._lock:
            now = self.clock()
            context.touched = now
            self._items[key] = context
            self._items.move_to_end(key)
            self._expire(now)
            while len(self._items) > self.cap:
                self._items.popitem(last=False)

    def drop(self, key: Hashable) -> bool:
        with self._lock:
            return self._items.pop(key, None) is not None


def reply_positions(reply: Reply, cap: int) -> np.ndarray:
    """The positions of a reply's records (at most ``cap``: what a user can see)."""
    docs = getattr(reply.records, "docs", None)
    if docs is None:
        return np.zeros(0, dtype=np.int64)
    return np.array(docs[:cap], dtype=np.int64)

"""The daily digest, as pure functions of the clock: when a channel is due, and which new records it gets.

A channel's digest covers records first seen after its watermark (the end of its last digest, or
when it subscribed). It is due once its scheduled local time today has passed and it has not run
since; after downtime the next run covers the whole gap in one digest. The filter uses the
free-text question language ("diffusion", "with Luke Metz", "CV"), matched only against the new
records, with names resolved against the whole corpus.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np

from bot.answer.answer import filter_mask, topic_terms
from bot.records import Paper
from bot.search.index import PaperIndex
from bot.understand.query import Lexicon, parse_query

from .state import Subscription

RETRY_AFTER = dt.timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class Schedule:
    time: str  # HH:MM
    timezone: str

    def last_slot(self, now: dt.datetime) -> dt.datetime:
        """The latest scheduled moment at or before ``now`` (today's, else yesterday's)."""
        zone = ZoneInfo(self.timezone)
        local = now.astimezone(zone)
        hour, minute = (int(x) for x in self.time.split(":"))
        slot = dt.datetime.combine(local.date(), dt.time(hour, minute), zone)
        if slot > local:
            slot = dt.datetime.combine(local.date() - dt.timedelta(days=1), dt.time(hour, minute), zone)
        return slot.astimezone(dt.UTC)

    def next_slot(self, now: dt.datetime) -> dt.datetime:
        """The first scheduled moment after ``now``."""
        zone = ZoneInfo(self.timezone)
        last = self.last_slot(now).astimezone(zone)
        return dt.datetime.combine(last.date() + dt.timedelta(days=1), last.time(), zone).astimezone(dt.UTC)


def schedule_of(sub: Subscription, default_time: str, default_timezone: str) -> Schedule:
    return Schedule(sub.time or default_time, sub.timezone or default_timezone)


def is_due(sub: Subscription, schedule: Schedule, now: dt.datetime) -> bool:
    """Due when a failed post's retry time has come, or when a slot passed since the last run (or subscribing)."""
    if sub.next_try_at is not None:
        return now >= sub.next_try_at
    return (sub.last_run_at or sub.created_at) < schedule.last_slot(now)


def matching(new: Sequence[Paper], filter_text: str, lexicon: Lexicon, today: dt.date) -> list[Paper]:
    """The new records a channel's filter keeps, newest first (all of them without a filter)."""
    papers = list(new)
    if not papers:
        return []
    if filter_text.strip():
        index = PaperIndex(papers)
        query = parse_query(filter_text, lexicon, today)
        mask = filter_mask(query, index)
        if mask is None:
            mask = index.all_mask()
        if query.topic:
            found = index.match(topic_terms(query.topic, index).terms)
            keep = np.zeros(len(papers), dtype=bool)
            keep[found.docs] = True
            mask &= keep
        papers = [p for p, ok in zip(papers, mask.tolist(), strict=True) if ok]
    return sorted(papers, key=lambda p: (p.date, p.title), reverse=True)

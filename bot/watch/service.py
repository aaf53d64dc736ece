"""Personal watch lists: a user saves a question and gets a DM when new records match it.

The core of /watch and ``paperbot watch``; no Discord. Delivery has the digest's guarantees and
reuses its parts: state in the database (Store), the cut of new records under the write lock
(Library), the daily slot in the user's time zone (Schedule). A batch is recorded with its nonce
before the DM goes out and marked done in one transaction, so a restart resends nothing (Discord
returns the message already posted for a nonce it has seen) and downtime is caught up in one DM.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.answer.answer import Reply
from bot.answer.describe import describe
from bot.answer.service import Answer
from bot.digest.library import Library
from bot.digest.schedule import Schedule
from bot.digest.state import iso
from bot.digest.watch_state import PAUSED_BY_USER, PAUSED_DMS_CLOSED, Watch, WatchDelivery
from bot.errors import PaperBotError
from bot.records import Paper

from .question import check_question, new_matches

MODES = ("now", "daily")
DMS_CLOSED_NOTE = (
    "I could not DM you (Discord says your direct messages are closed to me), so your {} paused. "
    "Allow direct messages from this server's members, then run `/watch resume`."
)


def local_time(moment: dt.datetime | None, zone: str) -> str:
    """A moment as the user reads it in a DM or /watch list: "2026-11-26 08:00 CET" in the watch's zone."""
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z") if moment else "never"


class WatchError(PaperBotError):
    """A /watch request that cannot be done; the message says why and what to do."""


@dataclass(slots=True)
class WatchBatch:
    """One DM of a watch: the new records it holds (at most ``watch.records_per_dm``, ``more`` counted)
    up to ``until``, rendered. ``delivery`` is set when it is being sent (recorded with its nonce)."""

    watch: Watch
    until: dt.datetime
    papers: list[Paper]
    answer: Answer
    more: int = 0
    delivery: WatchDelivery | None = None


class WatchList:
    """Users' watches over one Library: add, list, remove, pause, resume, and what to DM when."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.store = library.store
        self.settings = library.settings

    # --- the user's commands -------------------------------------------------------------
    def add(
        self, user_id: int, question: str, when: str | None = None, time: str | None = None, timezone: str | None = None
    ) -> tuple[Watch, Answer]:
        """Save a watch; returns it and how its question was understood (an Answer, so names the corpus
        does not know yet are said). Raises WatchError with the reason for a question that asks for
        nothing or cannot be watched, a bad time or zone, or one watch too many."""
        mode = when or ("daily" if time or timezone else "now")
        if mode not in MODES:
            raise WatchError(f"when must be `now` or `daily`, not “{mode}”")
        if mode == "now" and (time or timezone):
            raise WatchError("time and timezone are for `when:daily`; `when:now` sends at the next check of new records")
        query, reason = check_question(question, self.library.service.lexicon, self._today())
        if reason is not None:
            raise WatchError(f"That question cannot be watched: {reason}")
        limit = self.settings.watch.max_per_user
        text = " ".join(question.split())
        new_id = self.store.add_watch(user_id, text, mode, time, timezone, self.library.clock(), limit)
        if new_id is None:
            raise WatchError(f"You have {limit} watches, the most allowed; `/watch remove` one first.")
        watch = self.store.watch(new_id)
        assert watch is not None, "a watch just written reads back"
        return watch, self.library.service.respond(query)

    def watches(self, user_id: int) -> list[Watch]:
        return self.store.watches(user_id)

    def remove(self, user_id: int, watch_id: int) -> bool:
        return self.store.remove_watch(user_id, watch_id)

    def pause(self, user_id: int, watch_id: int | None = None) -> int:
        return self.store.pause_watches(user_id, watch_id, PAUSED_BY_USER)

    def resume(self, user_id: int, watch_id: int | None = None) -> int:
        return self.store.resume_watches(user_id, watch_id)

    def dms_closed(self, user_id: int) -> int:
        """Discord refused a DM to the user (403): pause all their running watches until /watch resume.
        A DM in flight stays recorded and goes out after the resume."""
        return self.store.pause_watches(user_id, None, PAUSED_DMS_CLOSED)

    def closed_notice(self, user_id: int) -> str | None:
        """The note telling the user their watches were paused for closed DMs: given once, then None."""
        ids = self.store.take_closed_notice(user_id)
        if not ids:
            return None
        which = f"watch #{ids[0]} is" if len(ids) == 1 else f"watches {', '.join(f'#{i}' for i in ids)} are"
        return DMS_CLOSED_NOTE.format(which)

    def schedule(self, watch: Watch) -> Schedule:
        digest = self.settings.digest
        return Schedule(watch.time or digest.time, watch.timezone or digest.timezone)

    def next_check(self, watch: Watch) -> dt.datetime | None:
        """When a daily watch sends next (None for `now`: at the next check of new records)."""
        if watch.mode != "daily":
            return None
        return watch.next_try_at or self.schedule(watch).next_slot(watch.last_run_at or watch.created_at)

    # --- delivery -------------------------------------------------------------------------
    def _today(self, zone: str | None = None) -> dt.date:
        return self.library.clock().astimezone(ZoneInfo(zone or self.settings.timezone)).date()

    def due(self) -> list[Watch]:
        """Watches to check now: running, not waiting for a retry, under the user's DMs for today; a
        `now` watch when records arrived after its watermark, a daily one when its slot passed."""
        now = self.library.clock()
        newest = self.store.newest_first_seen()
        day = now.astimezone(dt.UTC).date()
        sent: dict[int, int] = {}
        out: list[Watch] = []
        for watch in self.store.watches():
            if watch.paused is not None or (watch.next_try_at is not None and now < watch.next_try_at):
                continue
            if watch.next_try_at is None and self.store.watch_delivery(watch.id) is None:
                if watch.mode == "daily" and (watch.last_run_at or watch.created_at) >= self.schedule(watch).last_slot(now):
                    continue
                if newest is None or newest <= watch.watermark:
                    continue
            if watch.user_id not in sent:
                sent[watch.user_id] = self.store.dms_sent(watch.user_id, day)
            if sent[watch.user_id] < self.settings.watch.dms_per_day:
                out.append(watch)
        return out

    def _batch(self, watch: Watch, until: dt.datetime, papers: list[Paper], more: int) -> WatchBatch:
        since = local_time(watch.watermark, self.schedule(watch).timezone)
        return WatchBatch(watch, until, papers, self.render(watch, papers, more, since), more)

    def render(self, watch: Watch, papers: list[Paper], more: int, since: str) -> Answer:
        """The DM of a watch's records, from responses/watch.md.j2: what the bot sends and the CLI previews."""
        service = self.library.service
        query, _ = check_question(watch.question, service.lexicon, self._today(watch.timezone))
        understood = describe(query, service.lexicon.authors)
        context = {
            "watch_id": watch.id,
            "watch_question": watch.question,
            "count": len(papers) + more,
            "more": more,
            "since": since,
            "understood": understood,
            "notes": [],
            "question": watch.question,
        }
        reply = Reply(watch.question, "watch", query, understood, papers, "watch", context, page_size=max(1, len(papers)))
        return Answer(reply, service.renderer)

    def _matching(self, watch: Watch, seen: list[Paper]) -> tuple[list[Paper], int]:
        found = new_matches(watch.question, seen, self.library.service.lexicon, self._today(watch.timezone))
        cap = self.settings.watch.records_per_dm
        return found[:cap], max(0, len(found) - cap)

    def preview(self, watch: Watch) -> WatchBatch:
        """What the watch would send now, recording nothing (``paperbot watch --preview``)."""
        until = self.library.clock()
        seen = [s.paper for s in self.store.seen_between(watch.watermark, until)]
        papers, more = self._matching(watch, seen)
        return self._batch(watch, until, papers, more)

    def begin(self, watch: Watch) -> WatchBatch | None:
        """The DM to send now, recorded (records and nonce) before it goes out; None when no new record
        matches (the watermark moves on, nothing is sent) or the user reached today's DMs.

        A delivery already in flight (a crash, a failed DM, closed DMs since reopened) is resumed with
        its own records and nonce. A new one takes a cut of the records first seen since the watermark,
        after the live index has taken in every stored record, so names in the cut are known to the parser.
        """
        delivery = self.store.watch_delivery(watch.id)
        if delivery is None:
            until, seen = self.library.cut_for_matching(watch.watermark)
            papers, more = self._matching(watch, [s.paper for s in seen])
            if not papers:
                self.store.mark_watch_done(watch.id, until, self.library.clock(), None)
                return None
            now = self.library.clock()
            if self.store.dms_sent(watch.user_id, now.astimezone(dt.UTC).date()) >= self.settings.watch.dms_per_day:
                return None  # the watermark stays: tomorrow's DM catches these up
            nonce = hashlib.sha256(f"watch|{watch.id}|{iso(watch.watermark)}|{iso(until)}".encode()).hexdigest()[:20]
            self.store.start_watch_delivery(watch.id, until, [p.id for p in papers], more, nonce, now)
            delivery = self.store.watch_delivery(watch.id)
            assert delivery is not None, "a delivery just written reads back"
        papers = self.store.records_by_id(delivery.record_ids)
        batch = self._batch(watch, delivery.until, papers, delivery.more)
        batch.delivery = delivery
        return batch

    def sent(self, batch: WatchBatch) -> None:
        """The DM reached the user: one transaction moves the watermark, ends the delivery, counts the DM."""
        self.store.mark_watch_done(batch.watch.id, batch.until, self.library.clock(), [p.title for p in batch.papers])

    def failed(self, batch: WatchBatch, error: str, retry_after: dt.timedelta) -> None:
        """The DM failed (not for closed DMs): the delivery stays and is retried after ``retry_after``."""
        self.store.mark_watch_failed(batch.watch.id, error, self.library.clock() + retry_after)

"""The growing corpus: the PaperService that answers, plus the SQLite store that remembers when each
record was first seen. Ingest, reload, feeds and digests all go through here; no Discord.

The corpus files' index is persisted beside them (bot.search.store); records from feeds and
``paperbot ingest`` live in the database and are appended to that index at start and as they
arrive. Index swaps replace one reference, so questions in flight finish on the old index.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.answer.service import Answer, PaperService
from bot.config import Settings
from bot.errors import PaperBotError
from bot.records import Paper
from bot.search.index import PaperIndex
from bot.search.store import LoadedCorpus, corpus_fingerprint, open_corpus, verified
from bot.sources.arxiv import FeedError, read_feed
from bot.sources.corpus import load_corpus

from .backend import exists as database_exists
from .schedule import Schedule, is_due, matching, schedule_of
from .shards import Shards, owner_name
from .state import Delivery, Seen, Store, StoreError, Subscription, iso

log = logging.getLogger("paperbot.library")
Clock = Callable[[], dt.datetime]
Progress = Callable[[list[Paper]], Iterable[Paper]]  # wraps records in a progress bar


CLOCK_FILE_ENV = "PAPERBOT_CLOCK_FILE"  # tests: a file holding the current time (ISO 8601), read on every tick


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def clock_from_env() -> Clock:
    """The real UTC clock, or (for tests of the bot and the CLI together) the time written in the file
    named by PAPERBOT_CLOCK_FILE, read at every call."""
    path = os.environ.get(CLOCK_FILE_ENV)
    if not path:
        return utc_now

    def read() -> dt.datetime:
        return dt.datetime.fromisoformat(Path(path).read_text().strip()).astimezone(dt.UTC)

    return read


@dataclass(frozen=True, slots=True)
class FeedResult:
    query: str
    added: list[Paper]
    error: str | None = None


@dataclass(slots=True)
class DigestRun:
    """What one channel's next digest holds: records first seen in (watermark, until] that pass its filter,
    at most ``digest.max_pages`` pages of them (``more`` left out). ``delivery`` is set when the run is
    being posted: it was recorded before the first page, with the nonces every page goes out with, and
    this process holds its claim: the slot is the subscription's watermark, where the digest starts."""

    subscription: Subscription
    until: dt.datetime
    papers: list[Paper]
    answer: Answer
    more: int = 0
    delivery: Delivery | None = None
    message_id: int | None = None  # the first message this process got back for it (kept with the claim)


class Library:
    def __init__(
        self,
        settings: Settings,
        service: PaperService,
        store: Store,
        paths: Sequence[Path],
        clock: Clock = utc_now,
        shards: Shards | None = None,
    ) -> None:
        self.settings = settings
        self.service = service
        self.store = store
        self.paths = list(paths)
        self.clock = clock
        self.shards = shards  # the gateway shards this process runs (None: all guilds)
        self.owner = owner_name(shards)  # who this process's digest claims are held by
        self._writing = threading.Lock()  # one ingest or reload at a time
        self._extra_ids: set[str] = set()  # database records already appended to the index

    @classmethod
    def open(
        cls,
        settings: Settings,
        corpus_paths: Sequence[Path] | None = None,
        clock: Clock = utc_now,
        init_state: bool = False,
        shards: Shards | None = None,
    ) -> Library:
        """The corpus and its state database (``init_state``: start a new database where one existed, or
        re-create missing tables, as ``--init-state`` asks); ``shards``: digests only for their guilds."""
        paths = list(corpus_paths or settings.corpus)
        service = PaperService.from_paths(settings, paths, isolated=True)  # the bot's process is never forked
        library = cls(settings, service, Store(settings.database, init=init_state), paths, clock, shards)
        library._sync_files(service.loaded)
        library._append_extras()
        return library

    @staticmethod
    def answering(settings: Settings, corpus_paths: Sequence[Path] | None = None) -> PaperService:
        """A service for one-off questions (``paperbot ask``, ``eval``): the corpus files plus the records
        that ingests and feeds stored in the database, without writing anything or creating the database."""
        service = PaperService.from_paths(settings, list(corpus_paths or settings.corpus))
        if database_exists(settings.database):
            try:
                store = Store(settings.database, reading=True)
                try:
                    extras = store.extra_records()
                finally:
                    store.close()
            except StoreError as exc:
                service.warnings = [*service.warnings, f"{exc.user_message}; answering from the corpus files only"]
                extras = []
            if extras:
                service.use_index(service.index.appended(extras))
        return service

    def _append_extras(self, rebuilt: PaperIndex | None = None) -> None:
        """Append database records the index lacks (from feeds, or `paperbot ingest` run by another process)."""
        if rebuilt is not None:
            self._extra_ids = set()
        elif self.store.extra_count() == len(self._extra_ids):
            return  # nothing new in the database (the usual case on a reload tick)
        fresh = [p for p in self.store.extra_records() if p.id not in self._extra_ids]
        index = rebuilt if rebuilt is not None else self.service.index
        if fresh:
            index = index.appended(fresh)
            self._extra_ids.update(p.id for p in fresh)
        if fresh or rebuilt is not None:
            self.service.use_index(index)

    def close(self) -> None:
        self.store.close()

    def _sync_files(self, loaded: LoadedCorpus) -> list[Paper]:
        """Record first-seen times for corpus-file records; on the very first start they are the baseline."""
        if loaded.fingerprint and self.store.meta("files") == loaded.fingerprint:
            return []
        now = self.clock()
        if self.store.record_count() == 0:
            self.store.import_baseline(loaded.index.papers, now, "corpus")
            added: list[Paper] = []
        else:
            added = self.store.add_records(loaded.index.papers, self.clock, "corpus", in_files=True)
        self.store.set_meta("files", loaded.fingerprint)
        return added

    # --- growing the corpus -------------------------------------------------------------
    def add(self, papers: Iterable[Paper], source: str) -> list[Paper]:
        """Store the records not seen before and append them to the live index; returns them."""
        with self._writing:
            added = self.store.add_records(papers, self.clock, source)
            if added:
                self.service.use_index(self.service.index.appended(added))
                self._extra_ids.update(p.id for p in added)
        return added

    def ingest_paths(self, paths: Sequence[Path], progress: Progress | None = None) -> tuple[list[Paper], list[str]]:
        """``paperbot ingest PATH...``: read files or folders of records; returns (new records, warnings)."""
        corpus = load_corpus(paths)
        papers: Iterable[Paper] = progress(corpus.papers) if progress else corpus.papers
        return self.add(papers, "ingest:" + ",".join(str(p) for p in paths)), corpus.warnings

    def reload(self) -> list[Paper]:
        """Re-read the corpus files if their content changed; returns the records seen for the first time."""
        with self._writing:
            if corpus_fingerprint(self.paths) == self.service.loaded.fingerprint:
                self._append_extras()
                return []
            loaded = open_corpus(self.paths, isolated=True)
            added = self._sync_files(loaded)
            self.service.loaded, self.service.warnings = loaded, loaded.warnings
            self._append_extras(loaded.index)
        return added

    def verify_store(self) -> list[str]:
        """Hash every file of the loaded index store (the bot runs this in the background after start-up,
        so a store of a million records does not delay it). A damaged store is rebuilt and the live
        index swapped for the rebuilt one; returns the problems found. A rebuild that fails is logged
        (one line) and the bot keeps answering from the index it has."""
        try:
            loaded, problems = verified(self.paths, self.service.loaded, isolated=True)
        except (PaperBotError, OSError) as exc:
            log.error("index store verification or rebuild failed: %s", exc)
            return [str(exc)]
        if problems:
            with self._writing:
                self.service.loaded, self.service.warnings = loaded, loaded.warnings
                self._append_extras(loaded.index)
        return problems

    def fetch_feeds(self, force: bool = False, sleep: Callable[[float], None] = time.sleep) -> list[FeedResult]:
        """Fetch the feeds that are due (all with ``force``); a failing feed changes nothing and is logged.
        Of several sharded bot processes only the one running shard 0 fetches on schedule, so arXiv
        gets each request once (every process sees the records through the database)."""
        results: list[FeedResult] = []
        if not force and self.shards is not None and 0 not in self.shards.ids:
            return results
        for feed in self.settings.feeds:
            now = self.clock()
            last = self.store.feed_fetched(feed.arxiv)
            if not force and last is not None and (now - last).total_seconds() < feed.every_seconds:
                continue
            if results:
                sleep(self.settings.fetch.delay_seconds)
            try:
                papers = read_feed(self.settings.fetch, feed, sleep)
            except FeedError as exc:
                log.warning("feed %r: %s", feed.arxiv, exc)
                self.store.mark_feed(feed.arxiv, now, str(exc))
                results.append(FeedResult(feed.arxiv, [], str(exc)))
                continue
            added = self.add(papers, f"arxiv:{feed.arxiv}")
            self.store.mark_feed(feed.arxiv, now, None)
            results.append(FeedResult(feed.arxiv, added))
        return results

    # --- subscriptions -----------------------------------------------------------------
    def subscribe(
        self, channel_id: int, guild_id: int | None, filter_text: str, time: str | None, timezone: str | None
    ) -> Subscription:
        """Start (or change) a channel's daily digest; returns the subscription as stored."""
        self.store.subscribe(channel_id, guild_id, filter_text, time, timezone, self.clock())
        sub = self.store.subscription(channel_id)
        assert sub is not None, "a subscription just written reads back"
        return sub

    def unsubscribe(self, channel_id: int) -> bool:
        """Stop a channel's digest; False when it had none."""
        return self.store.unsubscribe(channel_id)

    def status(self, channel_id: int) -> Subscription | None:
        """A channel's subscription (time, filter, last post, last error), or None."""
        return self.store.subscription(channel_id)

    def _lease_end(self) -> dt.datetime:
        return self.clock() + dt.timedelta(seconds=self.settings.digest.lease_seconds)

    def mark_posted(self, run: DigestRun, posted: bool = True) -> bool:
        """The digest went out (or was skipped as empty): one transaction writes its message id and time,
        moves the watermark and ends the delivery. False when another process took the claim over (it
        finishes the digest; nothing is written here)."""
        sub = run.subscription
        return self.store.finish_digest(
            sub.channel_id, iso(sub.watermark), self.owner, run.until, self.clock(), posted, run.message_id
        )

    def page_posted(self, run: DigestRun, number: int, message_id: int | None = None) -> bool:
        """Page ``number`` of a delivery reached Discord as ``message_id`` (so a late retry does not post it
        again) and the claim's lease is extended. False when another process took the digest over: stop
        posting, it posts the rest with the same nonces."""
        sub = run.subscription
        self.store.delivery_page_posted(sub.channel_id, number)
        if run.message_id is None:
            run.message_id = message_id
        return self.store.renew_claim(sub.channel_id, iso(sub.watermark), self.owner, self._lease_end(), run.message_id)

    def mark_failed(self, run: DigestRun, error: str, retry_after: dt.timedelta) -> None:
        """Posting failed: keep the watermark and the delivery, try again after ``retry_after``."""
        self.store.mark_digest_failed(run.subscription.channel_id, error, self.clock() + retry_after)

    # --- paged answers -----------------------------------------------------------------
    @staticmethod
    def request_key(request: str) -> str:
        """The 16-hex key a paged answer's request (JSON text) is stored under: known before it is stored."""
        return hashlib.sha256(request.encode()).hexdigest()[:16]

    def remember_request(self, request: str) -> str:
        """Store what a paged answer was asked with; returns its key. Kept for
        ``discord.page_timeout_seconds``, after which its pages only answer with a note."""
        key = self.request_key(request)
        now = self.clock()
        self.store.remember_request(key, request, now, now - dt.timedelta(seconds=self.settings.discord.page_timeout_seconds))
        return key

    def recall_request(self, key: str) -> str | None:
        return self.store.recall_request(key)

    # --- digests ----------------------------------------------------------------------
    def schedule(self, sub: Subscription) -> Schedule:
        return schedule_of(sub, self.settings.digest.time, self.settings.digest.timezone)

    def next_digest(self, sub: Subscription) -> dt.datetime:
        """When the channel's next digest goes out: a pending retry, else the first slot after its last run."""
        return sub.next_try_at or self.schedule(sub).next_slot(sub.last_run_at or sub.created_at)

    def due(self) -> list[Subscription]:
        """The channels whose digest is due, of this process's guilds only (all without shards)."""
        now = self.clock()
        return [
            s
            for s in self.store.subscriptions()
            if (self.shards is None or self.shards.owns(s.guild_id)) and is_due(s, self.schedule(s), now)
        ]

    def _run(
        self, sub: Subscription, start: dt.datetime, until: dt.datetime, papers: list[Paper], more: int | None = None
    ) -> DigestRun:
        """The digest of ``papers`` (filtered and capped unless ``more`` says they already were)."""
        zone = ZoneInfo(sub.timezone or self.settings.digest.timezone)
        if more is None:
            papers = matching(papers, sub.filter, self.service.lexicon, until.astimezone(zone).date())
            cap = self.settings.digest.max_pages * self.settings.search.page_size
            papers, more = papers[:cap], max(0, len(papers) - cap)
        label = start.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
        return DigestRun(sub, until, papers, self.service.digest_answer(papers, label, sub.filter, more), more)

    def digest(self, sub: Subscription, since: dt.datetime | None = None) -> DigestRun:
        """A channel's digest as it stands now, without recording anything (previews)."""
        until = self.clock()
        start = since or sub.watermark
        return self._run(sub, start, until, [s.paper for s in self.store.seen_between(start, until)])

    def begin_digest(self, sub: Subscription) -> DigestRun | None:
        """The digest to post now, recorded before any page goes out; None when there is nothing to post
        or another process holds its claim.

        The digest (the channel and the watermark it starts from) is claimed first, for
        ``digest.lease_seconds``: of several bot processes only the holder posts it, and another takes
        over once the lease runs out (a process that died). A delivery already in flight (a crash or a
        failed post left it) is resumed with its own records and nonces, from the first page not known to
        be posted. A new one takes a cut of the records first seen since the watermark; an empty one under
        ``digest.skip_empty`` is marked done at once. The nonce comes from the channel and the slot alone,
        so every process that may post this digest posts its pages with the same nonces.
        """
        channel = sub.channel_id
        if not self.store.claim_digest(channel, iso(sub.watermark), self.owner, self.clock(), self._lease_end()):
            log.debug("digest for channel %s is claimed by another process (or already done)", channel)
            return None
        delivery = self.store.delivery(channel)
        if delivery is None:
            until, seen = self.store.cut(sub.watermark, self.clock)
            run = self._run(sub, sub.watermark, until, [s.paper for s in seen])
            if not run.papers and self.settings.digest.skip_empty:
                self.mark_posted(run, posted=False)
                return None
            nonce = hashlib.sha256(f"{channel}|{iso(sub.watermark)}".encode()).hexdigest()[:20]
            delivery = self.store.start_delivery(channel, until, [p.id for p in run.papers], run.more, nonce, self.clock())
        papers = self.store.records_by_id(delivery.record_ids)
        run = self._run(sub, sub.watermark, delivery.until, papers, delivery.more)
        run.delivery = delivery
        return run

    def cut_for_matching(self, after: dt.datetime) -> tuple[dt.datetime, list[Seen]]:
        """A cut of the records first seen after ``after`` (as ``Store.cut``), taken once the live index
        holds every stored record: a question parsed after it knows every name in the cut (a record
        another process ingested is appended first, not matched against a lexicon that lacks its authors)."""
        with self._writing:
            self._append_extras()
            return self.store.cut(after, self.clock)

    def preview(self, channel_id: int | None = None, since: dt.datetime | None = None, filter_text: str = "") -> DigestRun:
        """The next digest of a channel (or of an unsubscribed filter), without changing any state."""
        sub = self.store.subscription(channel_id) if channel_id is not None else None
        if sub is None:
            now = self.clock()
            sub = Subscription(
                channel_id or 0, None, filter_text, None, None, now, since or now - dt.timedelta(days=1), None, None, None, None
            )
        elif filter_text:
            sub = dataclasses.replace(sub, filter=filter_text)
        return self.digest(sub, since)

"""PaperService: the one facade the CLI and the Discord cogs call.

It owns the loaded corpus, the index and the renderer, and turns a question into an Answer: the
Reply (intent, interpretation, records) plus its rendered pages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from bot.config import Settings
from bot.records import Paper, profiles_named
from bot.search.index import PaperIndex, PaperList
from bot.search.store import LoadedCorpus, open_corpus
from bot.understand.acronyms import mine_acronyms, with_well_known
from bot.understand.query import Lexicon, Query, parse_query

from .answer import Knowledge, Reply, compose_reply
from .profiles import ProfileBook
from .render import Page, Renderer
from .view import IndexView

ACRONYM_RECORDS = 50_000  # acronyms are mined from this many records at most (start-up time on large corpora)


class Answer:
    """A Reply (what to say, as data: answer.compose_reply) with its rendered pages: what Discord posts
    and the terminal prints. The one thing the CLI and the cogs hold.

    Pages render on demand: Discord shows page 1 first and the others when a button flips to them,
    so an answer over 100 records does not render ten pages before the first is posted.
    """

    def __init__(self, reply: Reply, renderer: Renderer) -> None:
        self.reply = reply
        self.renderer = renderer
        self._pages: list[Page] | None = None
        self._first: tuple[Page, int] | None = None
        self.chart_png: bytes | None = None  # a papers-per-year chart, when the answer comes with one
        self.follows: str | None = None  # in a conversation: the question this answer followed up on

    @property
    def pages(self) -> list[str]:
        """Every page's text, as printed in the terminal."""
        return [page.text for page in self.page_list]

    @property
    def page_list(self) -> list[Page]:
        if self._pages is None:
            self._pages = self.renderer.render(self.reply)
        return self._pages

    @property
    def page_count(self) -> int:
        return len(self.page_list) if self._pages is not None else self.first()[1]

    def first(self) -> tuple[str, int]:
        """Page 1's text and the number of pages, rendering only page 1 when pages have a fixed size."""
        page, count = self._first_page()
        return page.text, count

    def _first_page(self) -> tuple[Page, int]:
        if self._first is None:
            fast = self.renderer.first_page(self.reply)
            self._first = fast if fast is not None else (self.page_list[0], len(self.page_list))
        return self._first

    def page_at(self, number: int) -> Page:
        """Page ``number`` (1-based) as data: text, body and footer."""
        if number == 1:
            return self._first_page()[0]
        return self.page_list[number - 1]

    def page(self, number: int) -> str:
        """Page ``number``'s text (1-based)."""
        return self.page_at(number).text

    @property
    def text(self) -> str:
        return "\n\n".join(self.pages)

    @property
    def intent(self) -> str:
        return self.reply.intent

    def as_json(self, limit: int = 100) -> dict[str, Any]:
        """The CLI's JSON contract: question, intent, interpretation, records, total, text.

        ``records`` holds at most ``limit`` of the answer's records, in answer order, and ``total`` says
        how many it is about: a count over 8,000 records is one small line, not 13 MB.
        """
        interpretation = self.reply.query.as_json()
        interpretation["summary"] = self.reply.understood
        interpretation["notes"] = [str(n) for n in self.reply.notes]
        records = self.reply.records
        return {
            "question": self.reply.question,
            "intent": self.reply.intent,
            "interpretation": interpretation,
            "records": [p.as_json() for p in records[:limit]],
            "total": len(records),
            "text": self.text,
            "pages": self.pages,
        }


class PaperService:
    """Answers questions about one corpus."""

    def __init__(self, settings: Settings, loaded: LoadedCorpus) -> None:
        self.settings = settings
        self.loaded = loaded
        self.warnings = loaded.warnings
        self.renderer = Renderer(settings.responses, settings.search.page_size)
        self.use_index(loaded.index)

    def use_index(self, index: PaperIndex) -> None:
        """Answer from ``index`` from now on (a swap of references: questions in flight keep the old one)."""
        settings, profile = self.settings, self.loaded.profile
        if settings.search.backend == "xapian":
            from bot.search.xapian_index import ShardedIndex  # Xapian is imported only when used

            if not isinstance(index, ShardedIndex):
                index = ShardedIndex(
                    index, settings.search.shards, Path(settings.search.shard_dir) if settings.search.shard_dir else None
                )
        appended = index.papers[len(self.loaded.index) :] if len(index) > len(self.loaded.index) else []
        profiles = tuple(
            profiles_named(
                self.loaded.profiles, ((n, p.source.rpartition(":")[0] or p.source) for p in appended for n in p.profiles)
            )
        )
        several = len(profiles) > 1  # then no one owns the whole corpus: questions name the profile they mean
        owner = settings.profile_owner or (profile.name if profile and not several else "")
        if profile and settings.profile_owner:
            profile = dataclasses.replace(profile, name=settings.profile_owner)
        lexicon = Lexicon.build(
            dict(zip(index.author_keys, index.author_display, strict=True)),
            set(index.affiliation_names),
            owner,
            view=IndexView(index),
            acronyms=self._acronyms(index),
            profiles=[p.name for p in profiles],
        )
        before = getattr(self, "knowledge", None)
        grown = before is not None and getattr(self, "_book_loaded", None) is self.loaded and len(index) >= len(before.index)
        book = ProfileBook(profiles, before.book.listed if grown else {})  # records only appended: read just the new ones
        self._book_loaded = self.loaded
        knowledge = Knowledge(index, profile, lexicon, settings.search.result_cap, settings.search.coauthor_limit, book)
        self.index, self.lexicon, self.knowledge = index, lexicon, knowledge

    def _acronyms(self, index: PaperIndex) -> dict[str, tuple[str, ...]]:
        """Acronyms mined once, then only from records appended since (a reload re-reads nothing)."""
        seen, found = getattr(self, "_acronym_state", (0, {}))
        upto = min(len(index), ACRONYM_RECORDS)
        if upto > seen:
            found = {**mine_acronyms(f"{p.title}. {p.abstract}" for p in index.papers[seen:upto]), **found}
        self._acronym_state = (max(seen, upto), found)
        return with_well_known(found)

    def digest_answer(self, papers: Sequence[Paper], since: str, filter_text: str, more: int = 0) -> Answer:
        """A digest of new records, paged like any answer; ``more`` records left out by the size cap are
        counted, and the last page says where to find them."""
        understood = f"records first seen after {since}" + (f" · filter: {filter_text}" if filter_text else "")
        query = Query(text=filter_text, intent="digest")
        more_hint = f"/search query:{filter_text}" if filter_text else "/recent count:100"
        context = {
            "count": len(papers) + more,
            "more": more,
            "more_hint": more_hint,
            "since": since,
            "filter": filter_text,
            "understood": understood,
            "notes": [],
            "question": filter_text,
        }
        return Answer(Reply(filter_text, "digest", query, understood, list(papers), "digest", context), self.renderer)

    @classmethod
    def from_paths(
        cls,
        settings: Settings,
        corpus_paths: list[Path] | None = None,
        persist: bool = True,
        rebuild: bool = False,
        isolated: bool = False,
    ) -> PaperService:
        """Open the corpus (from its persisted index when that is fresh) and answer from it.
        ``isolated``: a build runs in a process of its own (see open_corpus)."""
        paths = corpus_paths or list(settings.corpus)
        return cls(settings, open_corpus(paths, persist=persist, rebuild=rebuild, isolated=isolated))

    def today(self) -> dt.date:
        return dt.datetime.now(ZoneInfo(self.settings.timezone)).date()

    def understand(self, question: str, today: dt.date | None = None) -> Query:
        return parse_query(question, self.lexicon, today or self.today())

    def respond(self, query: Query, result_cap: int | None = None) -> Answer:
        know = self.knowledge if result_cap is None else dataclasses.replace(self.knowledge, result_cap=result_cap)
        reply = compose_reply(query, know)
        return Answer(reply, self.renderer)

    def year_counts(self, answer: Answer | None = None) -> dict[int, int]:
        """Papers per year among an answer's records (the whole corpus when it names none)."""
        records = answer.reply.records if answer else None
        if isinstance(records, PaperList) and len(records):
            return self.index.year_counts(records.docs)
        if records:
            return dict(Counter(p.year for p in records))
        return self.index.year_counts(np.arange(len(self.index)))

    def chart(self, answer: Answer | None = None) -> bytes:
        """The picture of an answer, as /stats, /network and ``ask --chart`` attach: the coauthor network
        for a network question, else papers per year among its records (the corpus when it names none)."""
        if answer is not None and answer.intent == "network":
            from .network import draw_network

            center = answer.reply.context["center"]
            return draw_network(answer.reply.context["plan"], f"Who works with whom{f' around {center}' if center else ''}")
        from .chart import year_chart

        return year_chart(self.year_counts(answer))

    def warm(self) -> None:
        """Build what the first autocomplete, typo or long question would otherwise wait for (seconds on a large corpus)."""
        self.complete_authors("a", 1)
        self.complete_titles("ab", 1)
        self.index.keep_columns()

    def complete_titles(self, typed: str, limit: int = 25) -> list[str]:
        """Titles for autocomplete: those sharing the typed words (best first), or the newest when nothing is typed."""
        docs = self.index.title_matches(typed, limit) if typed.strip() else self.index.by_date(None, k=limit).tolist()
        return [self.index.papers[d].title for d in docs]

    def complete_authors(self, typed: str, limit: int = 25) -> list[str]:
        """Author display names whose name or surname starts with what was typed (most papers first)."""
        return [self.index.author_display[a] for a in self.index.authors_starting(typed, limit)]

    def complete_profiles(self, typed: str, limit: int = 25) -> list[str]:
        """Names of the profiles loaded that hold the typed text (all of them when nothing is typed)."""
        return [n for n in self.knowledge.book.names() if typed.lower() in n.lower()][:limit]

    def ask(self, question: str, today: dt.date | None = None, result_cap: int | None = None) -> Answer:
        """Answer a free-text question."""
        return self.respond(self.understand(question, today), result_cap)

"""PaperService: the one facade the CLI and the Discord cogs call.

It owns the loaded corpus, the index and the renderer, and turns a question into an Answer: the
Reply (intent, interpretation, records) plus its rendered pages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from .answer import Knowledge, Reply, answer
from .config import Settings
from .index import PaperIndex, PaperList
from .index_store import LoadedCorpus, open_corpus
from .query import Lexicon, Query, parse_query
from .render import Renderer


@dataclass(frozen=True, slots=True)
class Answer:
    """A reply and its pages, as posted in Discord and printed in the terminal."""

    reply: Reply
    pages: list[str]

    @property
    def text(self) -> str:
        return "\n\n".join(self.pages)

    @property
    def intent(self) -> str:
        return self.reply.intent

    def as_json(self) -> dict[str, Any]:
        """The CLI's JSON contract: question, intent, interpretation, records, text."""
        interpretation = self.reply.query.as_json()
        interpretation["summary"] = self.reply.understood
        interpretation["notes"] = list(self.reply.notes)
        return {
            "question": self.reply.question,
            "intent": self.reply.intent,
            "interpretation": interpretation,
            "records": [p.as_json() for p in self.reply.records],
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
        owner = settings.profile_owner or (profile.name if profile else "")
        if profile and settings.profile_owner:
            profile = dataclasses.replace(profile, name=settings.profile_owner)
        lexicon = Lexicon.build(dict(zip(index.author_keys, index.author_display, strict=True)), set(index.affiliation_names), owner)
        knowledge = Knowledge(index, profile, lexicon, settings.search.result_cap, settings.search.coauthor_limit)
        self.index, self.lexicon, self.knowledge = index, lexicon, knowledge

    @classmethod
    def from_paths(
        cls, settings: Settings, corpus_paths: list[Path] | None = None, persist: bool = True, rebuild: bool = False
    ) -> PaperService:
        """Open the corpus (from its persisted index when that is fresh) and answer from it."""
        paths = corpus_paths or list(settings.corpus)
        return cls(settings, open_corpus(paths, persist=persist, rebuild=rebuild))

    def today(self) -> dt.date:
        return dt.datetime.now(ZoneInfo(self.settings.timezone)).date()

    def understand(self, question: str, today: dt.date | None = None) -> Query:
        return parse_query(question, self.lexicon, today or self.today())

    def respond(self, query: Query, result_cap: int | None = None) -> Answer:
        know = self.knowledge if result_cap is None else dataclasses.replace(self.knowledge, result_cap=result_cap)
        reply = answer(query, know)
        return Answer(reply, self.renderer.render(reply))

    def year_counts(self, answer: Answer | None = None) -> dict[int, int]:
        """Papers per year among an answer's records (the whole corpus when it names none)."""
        records = answer.reply.records if answer else None
        if isinstance(records, PaperList) and len(records):
            return self.index.year_counts(records.docs)
        if records:
            return dict(Counter(p.year for p in records))
        return self.index.year_counts(np.arange(len(self.index)))

    def chart(self, answer: Answer | None = None) -> bytes:
        """A papers-per-year PNG for an answer (or the corpus), as /stats and ``ask --chart`` attach."""
        from .chart import year_chart

        return year_chart(self.year_counts(answer))

    def ask(self, question: str, today: dt.date | None = None, result_cap: int | None = None) -> Answer:
        """Answer a free-text question."""
        return self.respond(self.understand(question, today), result_cap)

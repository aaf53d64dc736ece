"""PaperService: the one facade the CLI and the Discord cogs call.

It owns the loaded corpus, the index and the renderer, and turns a question into an Answer: the
Reply (intent, interpretation, records) plus its rendered pages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .answer import Knowledge, Reply, answer
from .config import Settings
from .corpus import load_corpus
from .index import PaperIndex
from .query import Lexicon, Query, parse_query
from .records import Corpus
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

    def __init__(self, settings: Settings, corpus: Corpus) -> None:
        self.settings = settings
        self.corpus = corpus
        self.index = PaperIndex(corpus.papers)
        owner = settings.profile_owner or (corpus.profile.name if corpus.profile else "")
        profile = corpus.profile
        if profile and settings.profile_owner:
            profile = dataclasses.replace(profile, name=settings.profile_owner)
        self.lexicon = Lexicon.build(
            dict(zip(self.index.author_keys, self.index.author_display, strict=True)),
            set(self.index.affiliation_names),
            owner,
        )
        self.knowledge = Knowledge(
            self.index, profile, self.lexicon, settings.search.result_cap, settings.search.coauthor_limit
        )
        self.renderer = Renderer(settings.responses, settings.search.page_size)

    @classmethod
    def from_paths(cls, settings: Settings, corpus_paths: list[Path] | None = None) -> PaperService:
        paths = corpus_paths or list(settings.corpus)
        return cls(settings, load_corpus(paths))

    def today(self) -> dt.date:
        return dt.datetime.now(ZoneInfo(self.settings.timezone)).date()

    def understand(self, question: str, today: dt.date | None = None) -> Query:
        return parse_query(question, self.lexicon, today or self.today())

    def respond(self, query: Query, result_cap: int | None = None) -> Answer:
        know = self.knowledge if result_cap is None else dataclasses.replace(self.knowledge, result_cap=result_cap)
        reply = answer(query, know)
        return Answer(reply, self.renderer.render(reply))

    def ask(self, question: str, today: dt.date | None = None, result_cap: int | None = None) -> Answer:
        """Answer a free-text question."""
        return self.respond(self.understand(question, today), result_cap)

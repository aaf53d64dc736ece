"""What the parser knows of the corpus: author names, affiliations, acronyms, and a view of its words and titles.

Question understanding never touches the index itself (it sits beside the search engine); the
answer layer hands it a ``CorpusView``: how many records hold a word, which title a text names, the
one record a rare word occurs in. With no view (slash-command options, digest filters) every word
counts as a known topic word, as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bot.names import name_key

from .people import People


class CorpusView(Protocol):
    def frequency(self, word: str) -> int:
        """Records holding the word's term (0: no record has it, or it is a stopword)."""
        ...

    def written(self, word: str) -> int:
        """Records holding the word spelled exactly so (what a typo is corrected towards)."""
        ...

    def is_stopword(self, word: str) -> bool: ...

    def find_title(self, text: str) -> tuple[str, float] | None:
        """The title a text names and a confidence in [0, 1]."""
        ...

    def sole_title(self, word: str) -> str | None:
        """The title of the only record holding ``word`` (None when none or several do)."""
        ...

    def title_of_id(self, record_id: str) -> str | None: ...

    def dated_authors(self, title: str) -> tuple[dt.date, tuple[str, ...]] | None:
        """The date and printed authors of the record titled so ("papers after DreamFusion" asks for its date)."""
        ...

    def near_title(self, text: str) -> str | None:
        """The one title holding ``text``'s words with a single word mistyped ("imagine video", "bilateral silver")."""
        ...

    def completions(self, prefix: str, k: int) -> list[str]:
        """Up to ``k`` words of the corpus, as written, that begin with ``prefix``."""
        ...

    def sole_paper_of(self, author: str) -> str | None:
        """The title of the only record listing ``author`` (a name key); None when none or several do."""
        ...

    def titles_by(self, authors: list[str], year: int) -> list[str]:
        """Titles of the records listing every one of ``authors`` (name keys) dated in ``year``: "Metz et al. 2022"."""
        ...

    def held_together(self, topic: str, expansions: dict[str, str]) -> bool:
        """Does some record hold every word of ``topic`` (an acronym or its expansion counting as one)?"""
        ...

    def stem(self, word: str) -> str:
        """The index term a word counts as ("reparameterization" and "reparameterized" share one)."""
        ...


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Names the parser can recognise, taken from the corpus."""

    authors: dict[str, str] = field(default_factory=dict)  # name key -> display name
    surnames: dict[str, tuple[str, ...]] = field(default_factory=dict)  # last word -> name keys
    affiliations: frozenset[str] = frozenset()
    owner_key: str = ""
    view: CorpusView | None = None
    acronyms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "nerf" -> ("neural", "radiance", "fields")
    profile_owners: dict[str, str] = field(default_factory=dict)  # several profiles: owner's name key -> profile name
    _people: list[People] = field(default_factory=list)

    @classmethod
    def build(
        cls,
        authors: dict[str, str],
        affiliations: set[str],
        owner: str = "",
        view: CorpusView | None = None,
        acronyms: dict[str, tuple[str, ...]] | None = None,
        profiles: Sequence[str] = (),
    ) -> Lexicon:
        """``profiles``: the names of every profile loaded (with one, its owner is ``owner``; nothing more is needed)."""
        surnames: dict[str, list[str]] = {}
        for key in authors:
            surnames.setdefault(key.split()[-1], []).append(key)
        return cls(
            authors,
            {k: tuple(v) for k, v in surnames.items()},
            frozenset(affiliations),
            name_key(owner),
            view,
            dict(acronyms or {}),
            {name_key(n): n for n in profiles} if len(profiles) > 1 else {},
        )

    @property
    def people(self) -> People:
        """Name forms for linking, built on first use (a large corpus names many people)."""
        if not self._people:
            self._people.append(People(list(self.authors)))
        return self._people[0]

    def frequency(self, word: str) -> int:
        return self.view.frequency(word) if self.view else 1

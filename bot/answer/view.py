"""The index as question understanding sees it (understand.lexicon.CorpusView): word counts and titles.

Understanding sits beside the search engine and never imports it; this adapter is handed to it so
it can tell a title from a topic and a known word from an unknown one.
"""

from __future__ import annotations

import datetime as dt

from rapidfuzz.distance import Levenshtein

from bot.search.index import PaperIndex
from bot.search.tokenizer import analyze_word
from bot.text import words
from bot.understand.query import Query

from .topic import holding_all, topic_groups

NEAR_TITLE_CANDIDATES = 200  # titles read for a mistyped title; a word more common in titles than this narrows nothing


class IndexView:
    def __init__(self, index: PaperIndex) -> None:
        self.index = index
        self._ids: dict[str, int] | None = None

    def frequency(self, word: str) -> int:
        term = analyze_word(word)
        if not term or not self.index.knows_term(term):
            return 0
        return self.index.bm25.df(self.index.vocab.ids[term])

    def written(self, word: str) -> int:
        """Records holding a word spelled exactly so (0 when no record spells it so): what typo fixes aim at."""
        return self.index.term_frequency(word)

    def is_stopword(self, word: str) -> bool:
        return not analyze_word(word)

    def find_title(self, text: str) -> tuple[str, float] | None:
        found = self.index.find_title(text)
        return (self.index.papers[found[0]].title, found[1]) if found else None

    def sole_title(self, word: str) -> str | None:
        term = analyze_word(word)
        if not term or not self.index.knows_term(term):
            return None
        docs = self.index.match([term]).docs
        return self.index.papers[int(docs[0])].title if docs.size == 1 else None

    def completions(self, prefix: str, k: int) -> list[str]:
        return self.index.words_starting(prefix, k)

    def sole_paper_of(self, author: str) -> str | None:
        docs = self.index.author_mask(author).nonzero()[0]
        return self.index.papers[int(docs[0])].title if docs.size == 1 else None

    def titles_by(self, authors: list[str], year: int) -> list[str]:
        mask = self.index.author_mask(authors[0]).copy()
        for author in authors[1:]:
            mask &= self.index.author_mask(author)
        return [self.index.papers[int(d)].title for d in mask.nonzero()[0] if self.index.papers[int(d)].year == year]

    def held_together(self, topic: str, expansions: dict[str, str]) -> bool:
        asked = Query(text=topic, topic=topic, expansions=dict(expansions), match_all=True)
        return bool(holding_all(self.index, topic_groups(asked), None).any())

    def stem(self, word: str) -> str:
        return analyze_word(word) or word

    def title_of_id(self, record_id: str) -> str | None:
        if self._ids is None:  # built on the first id question only
            self._ids = {p.id: i for i, p in enumerate(self.index.papers)}
        doc = self._ids.get(record_id)
        return self.index.papers[doc].title if doc is not None else None

    def dated_authors(self, title: str) -> tuple[dt.date, tuple[str, ...]] | None:
        found = self.index.find_title(title)
        if not found or found[1] < 1.0:
            return None
        paper = self.index.papers[found[0]]
        return paper.date, tuple(paper.authors)

    def near_title(self, text: str) -> str | None:
        typed = [w.lower() for w in words(text)]
        unknown = [i for i, w in enumerate(typed) if not self.frequency(w) and not self.is_stopword(w)]
        if not 2 <= len(typed) <= 4 or len(unknown) != 1 or len(typed[unknown[0]]) < 5:
            return None  # one mistyped word among words the corpus holds: "imagine video", not a phrase of new words
        candidates: set[int] = set()
        for i, word in enumerate(typed):
            term = analyze_word(word)
            if i != unknown[0] and term and self.index.knows_term(term):
                docs = self.index.titles.postings.term(self.index.vocab.ids[term])[0]
                if len(docs) <= NEAR_TITLE_CANDIDATES:
                    candidates.update(int(d) for d in docs)
        wrong, limit = typed[unknown[0]], 2 if len(typed[unknown[0]]) >= 6 else 1
        found: set[int] = set()
        for doc in candidates:
            title = [w.lower() for w in words(self.index.papers[doc].title)]
            for start in range(len(title) - len(typed) + 1):
                window = title[start : start + len(typed)]
                if all(a == b for i, (a, b) in enumerate(zip(typed, window, strict=True)) if i != unknown[0]) and (
                    Levenshtein.distance(wrong, window[unknown[0]], score_cutoff=limit) <= limit
                ):
                    found.add(doc)
        return self.index.papers[found.pop()].title if len(found) == 1 else None

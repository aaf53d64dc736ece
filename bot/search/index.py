"""PaperIndex: BM25 over title and abstract, plus compact per-record arrays for filters and counts.

Everything is aligned by position with ``papers``: row i of every array describes papers[i]. Filters
(dates, categories, code, authors, affiliations) are boolean masks over those arrays, and
aggregations (coauthors, per-year counts) are ``np.bincount`` over them, so neither walks Python
objects. The title counts more than the abstract (its terms weigh ``title_weight`` times). Topic
ranking is BM25 followed by RM3 pseudo-relevance feedback over the best first-pass matches
(feedback.py); ``search`` is the one ranking used by the bot and by ``paperbot eval-ir``.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from bot.names import name_key
from bot.records import Paper, title_key
from bot.text import words

from .array_ops import top_positions
from .bm25 import BM25Matrix, BM25Params, Matches
from .build import Columns, IndexBuilder, Tables, concat_columns, invert
from .feedback import FeedbackParams, expand
from .ragged import gather
from .tokenizer import analyze_word
from .vocabulary import Vocabulary

TITLE_WEIGHT = 3


@dataclass(frozen=True, slots=True)
class Hit:
    """A record's position in the index and its score for a topic."""

    doc: int
    score: float


class Records(Sequence[Paper]):
    """Records from several segments (a loaded file, papers added later) seen as one list."""

    def __init__(self, segments: Sequence[Sequence[Paper]]) -> None:
        self.segments = [s for s in segments if len(s)]
        self.starts = list(np.cumsum([0] + [len(s) for s in self.segments[:-1]])) if self.segments else []
        self.size = sum(len(s) for s in self.segments)

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            start, stop, step = i.indices(self.size)
            seg = bisect.bisect_right(self.starts, start) - 1 if self.segments else -1
            if step == 1 and seg >= 0 and stop <= self.starts[seg] + len(self.segments[seg]):
                return list(self.segments[seg][start - self.starts[seg] : stop - self.starts[seg]])  # within one segment
            return [self[j] for j in range(start, stop, step)]
        if i < 0:
            i += self.size
        if not 0 <= i < self.size:
            raise IndexError(i)
        seg = bisect.bisect_right(self.starts, i) - 1
        return self.segments[seg][i - self.starts[seg]]

    def __iter__(self) -> Iterator[Paper]:
        for segment in self.segments:  # each segment's own order (a stored one reads its file sequentially)
            yield from segment

    def plus(self, more: Sequence[Paper]) -> Records:
        return Records([*self.segments, more])


class PaperList(Sequence[Paper]):
    """Records picked by position, read only when shown: an answer about 100k records stays cheap."""

    def __init__(self, papers: Sequence[Paper], docs: Sequence[int] | np.ndarray) -> None:
        self.papers = papers
        self.docs = np.asarray(docs, dtype=np.int64)

    def __len__(self) -> int:
        return int(self.docs.shape[0])

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self.papers[int(d)] for d in self.docs[i]]
        return self.papers[int(self.docs[i])]


class PaperIndex:
    """Search and aggregation over a list of records. Immutable: ``appended`` returns a new index."""

    def __init__(
        self,
        papers: Sequence[Paper],
        params: BM25Params | None = None,
        title_weight: int = TITLE_WEIGHT,
        feedback: FeedbackParams | None = None,
        *,
        parts: tuple[Vocabulary, Tables, Columns] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.papers: Sequence[Paper] = papers if isinstance(papers, Records) else Records([list(papers)])
        self.params = params or BM25Params()
        self.title_weight = title_weight
        self.feedback = feedback or FeedbackParams()
        if parts is None:
            vocab, tables = Vocabulary(), Tables()
            with IndexBuilder(vocab, tables, title_weight) as builder:
                builder.add_all(self.papers, progress)
                parts = (vocab, tables, builder.finish())
        self.vocab, self.tables, self.columns = parts
        self._derive()

    def _derive(self) -> None:
        """Everything computed from the columns: scorers, inverted author/affiliation lists."""
        c, t = self.columns, self.tables
        self.bm25 = BM25Matrix(c.text, c.doc_len, self.params)
        self.titles = BM25Matrix(c.title, c.title_len, BM25Params(k1=1.2, b=0.75))
        self.date_ord, self.has_code, self.category = c.date_ord, c.has_code, c.category
        self.year = self._years(c.date_ord)
        self._newest_first = np.negative(c.date_ord, dtype=np.int64)  # a sort key: later dates first
        self.category_codes = t.categories
        self.author_keys, self.author_display, self.author_id = t.author_keys, t.author_display, t.author_id
        self.affiliation_names = t.affiliations
        self.doc_author_ptr, self.doc_author = c.author_ptr, c.authors
        self._date_orders: dict[str, np.ndarray] = {}  # permutations by date, computed on first use
        self._months: np.ndarray | None = None  # calendar month of each record, computed on first use
        self._affiliated: np.ndarray | None = None  # records printing any affiliation, computed on first use
        self._name_words: tuple[list[str], np.ndarray] | None = None  # author autocomplete, built on first use
        self._sorted_words: list[str] | None = None  # title autocomplete, built on first use
        self.author_docs_ptr, self.author_docs = invert(c.author_ptr, c.authors, len(t.author_keys))
        self.aff_docs_ptr, self.aff_docs = invert(c.affiliation_ptr, c.affiliations, len(t.affiliations))

    @staticmethod
    def _years(date_ord: np.ndarray) -> np.ndarray:
        """Calendar years of proleptic ordinals, vectorised (numpy datetime64 counts days from 1970)."""
        days = date_ord.astype(np.int64) - 719163
        return (days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970).astype(np.int16)

    def appended(self, papers: Sequence[Paper]) -> PaperIndex:
        """A new index with ``papers`` added after the current ones; this index stays usable meanwhile."""
        vocab = Vocabulary(self.vocab.terms, self.vocab.surface)
        tables = Tables(
            list(self.tables.author_keys),
            list(self.tables.author_display),
            dict(self.tables.author_id),
            list(self.tables.categories),
            dict(self.tables.category_id),
            list(self.tables.affiliations),
            dict(self.tables.affiliation_id),
        )
        with IndexBuilder(vocab, tables, self.title_weight, doc_offset=len(self.papers)) as builder:
            builder.add_all(papers)
            columns = concat_columns(self.columns, builder.finish())
        return PaperIndex(
            self.papers.plus(list(papers)), self.params, self.title_weight, self.feedback, parts=(vocab, tables, columns)
        )

    # --- retrieval -------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.papers)

    def knows_term(self, term: str) -> bool:
        return term in self.vocab.ids

    def term_frequency(self, word: str) -> int:
        """How many records hold a word's term, if the word itself occurs in some record (else 0)."""
        if word not in self.vocab.surface:
            return 0
        return self.bm25.df(self.vocab.ids.get(analyze_word(word), -1))

    def match(self, terms: Sequence[str]) -> Matches:
        """Records holding at least one of the analysed terms, with their BM25 scores."""
        query = self.vocab.query(terms)
        found = self.first_pass(query, None, None)
        return Matches(found.docs, found.scores + self.bm25.constant(query))

    def search(self, terms: Sequence[str], mask: np.ndarray | None = None, k: int | None = None) -> list[Hit]:
        """``rank`` as a list of hits."""
        docs, scores = self.rank(terms, mask, k)
        return [Hit(d, s) for d, s in zip(docs.tolist(), scores.tolist(), strict=True)]

    def rank(self, terms: Sequence[str], mask: np.ndarray | None = None, k: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Records holding at least one term, restricted to ``mask``, best first (ties: newest first),
        and their scores.

        The best first-pass matches are re-scored with the query expanded by RM3 feedback; records
        never enter the list through expansion terms alone.
        """
        query = self.vocab.query(terms)
        fb = self.feedback
        # only the best first-pass matches are ever shown or re-scored: let the scorer skip the rest
        found = self.first_pass(query, mask, None if k is None else max(k, fb.depth if fb.docs else k))
        docs, scores = found.docs, found.scores + self.bm25.constant(query)
        if docs.size > 1 and fb.docs:
            order = self._top(scores, docs, fb.depth)
            head = docs[order]
            new = self.rescored(query, head, scores[order])
            if new is not None:
                if k is not None and k <= head.size:
                    # the re-scored head ranks above every other match: the answer lies within it
                    best = self._top(new, head, k)
                    return head[best], new[best]
                rest = np.ones(docs.size, dtype=bool)
                rest[order] = False
                # records past the re-scored depth stay below every re-scored one
                lift = max(0.0, float(scores[rest].max()) - float(new.min()) + 1.0) if rest.any() else 0.0
                scores = scores.copy()
                scores[order] = new + lift
        order = self._top(scores, docs, k)
        return docs[order], scores[order]

    def keep_columns(self) -> int:
        """Build the scorer's kept tf columns before questions need them (``BM25Matrix.keep_columns``)."""
        return self.bm25.keep_columns()

    def first_pass(self, query: dict[int, float], mask: np.ndarray | None, k: int | None) -> Matches:
        """Matches within ``mask`` with their BM25 scores above the constant: all of them when k is None,
        else at least every match scoring as high as the k-th best (ties included)."""
        if k is None:
            return self.bm25.masked(self.bm25.match(query), mask)
        return self.bm25.top_matches(query, k, mask)

    def rescored(self, query: dict[int, float], head: np.ndarray, scores: np.ndarray) -> np.ndarray | None:
        """The ``head`` records' scores (given best first with their first-pass ``scores``) under the query
        expanded by RM3 feedback from the first of them; None when feedback adds nothing."""
        fb = self.feedback
        entries = self.columns.rows.entries(head)  # every head record's terms, read once for both steps
        terms_x, weights_x = expand(fb, self.columns.doc_len, query, head[: fb.docs], scores[: fb.docs], entries)
        return self.bm25.rescore(head, entries, terms_x, weights_x) if terms_x.size else None

    def _top(self, scores: np.ndarray, docs: np.ndarray, k: int | None) -> np.ndarray:
        """Positions of the k best ``scores`` of ``docs`` (all if k is None), ties broken newest first."""
        return top_positions(scores, k, lambda cut: self._newest_first.take(docs.take(cut)))

    def by_date(self, mask: np.ndarray | None, newest_first: bool = True, k: int | None = None) -> np.ndarray:
        """Records (all, or those in ``mask``) ordered by date, ties in corpus order."""
        key = "newest" if newest_first else "oldest"
        order = self._date_orders.get(key)
        if order is None:
            dates = self.date_ord.astype(np.int64)
            order = self._date_orders[key] = np.lexsort((np.arange(dates.shape[0]), -dates if newest_first else dates))
        picked = order if mask is None else order[mask[order]]
        return picked[:k] if k is not None else picked

    def similar(self, doc: int, mask: np.ndarray | None = None, k: int = 10) -> list[Hit]:
        """Records whose text is closest to a record's own title and abstract."""
        paper = self.papers[doc]
        terms = [t for t in (analyze_word(w) for w in words(paper.title + " " + paper.abstract)) if t]
        hits = self.search(terms, mask, k + 1)
        return [h for h in hits if h.doc != doc][:k]

    def find_title(self, text: str) -> tuple[int, float] | None:
        """The record a text names by title, with a confidence in [0, 1].

        1 for an exact title, or when the words occur together in exactly one title ("CAT3D",
        "Variational Diffusion Models"); otherwise the overlap of words between the text and the best
        title match. A common word ("diffusion") names no single paper.
        """
        terms = [t for t in (analyze_word(w) for w in words(text)) if t]
        query = self.vocab.query(terms)
        if not query or len(query) < len(set(terms)):
            return None
        found = self.titles.match(query)
        if not found.docs.size:
            return None
        ranked = found.docs[np.argsort(-found.scores, kind="stable")]
        wanted = title_key(text)
        for doc in ranked[:20]:
            if title_key(self.papers[int(doc)].title) == wanted:
                return int(doc), 1.0
        best = int(ranked[0])
        holding_all = np.ones(found.docs.size, dtype=bool)
        for term in query:
            holding_all &= np.isin(found.docs, self.titles.postings.term(term)[0])
        if holding_all.sum() == 1 and holding_all[found.docs == best].all():
            return best, 1.0
        title_terms = {t for t in (analyze_word(w) for w in words(self.papers[best].title)) if t}
        asked = set(terms)
        return best, len(asked & title_terms) / max(1, len(asked | title_terms))

    def title_matches(self, text: str, k: int) -> list[int]:
        """Records whose titles best match the words of ``text`` (for autocomplete).

        A last word still being typed ("varia") also stands for the indexed words it begins.
        """
        typed = words(text)
        terms = [t for t in map(analyze_word, typed) if t]
        if typed and not text[-1:].isspace() and len(typed[-1]) >= 2:
            terms += [t for t in map(analyze_word, self.words_starting(typed[-1], 20)) if t]
        found = self.titles.match(self.vocab.query(terms))
        if not found.docs.size:
            return []
        order = self._top(found.scores, found.docs, k)
        return [int(d) for d in found.docs[order]]

    def words_starting(self, prefix: str, k: int) -> list[str]:
        """Up to ``k`` indexed words (as written) that begin with ``prefix``."""
        if self._sorted_words is None:
            self._sorted_words = sorted(self.vocab.surface)
        lo = bisect.bisect_left(self._sorted_words, prefix)
        hi = bisect.bisect_left(self._sorted_words, prefix + "\x7f", lo)
        return self._sorted_words[lo : min(hi, lo + k)]

    def authors_starting(self, typed: str, k: int) -> list[int]:
        """Author ids whose normalised name, from any of its words on, starts with ``typed``; most papers first."""
        key = name_key(typed)
        if self._name_words is None:
            pairs = sorted(
                (tail, aid)
                for aid, name in enumerate(self.author_keys)
                for tail in {" ".join(name.split()[i:]) for i in range(len(name.split()))}
            )  # every name from each of its words on: "oord", "van den oord", "aaron van den oord"
            self._name_words = ([w for w, _ in pairs], np.asarray([a for _, a in pairs], dtype=np.int64))
        names, ids = self._name_words
        lo = bisect.bisect_left(names, key)
        hi = bisect.bisect_left(names, key + "\uffff") if key else len(names)
        found = np.unique(ids[lo:hi])
        papers = np.diff(self.author_docs_ptr)[found]
        return [int(a) for a in found[np.lexsort((found, -papers))][:k]]

    # --- filters ---------------------------------------------------------------------------
    def all_mask(self) -> np.ndarray:
        return np.ones(len(self.papers), dtype=bool)

    def _mask_from(self, ptr: np.ndarray, docs: np.ndarray, value: int | None) -> np.ndarray:
        mask = np.zeros(len(self.papers), dtype=bool)
        if value is not None:
            mask[docs[ptr[value] : ptr[value + 1]]] = True
        return mask

    def author_mask(self, key: str) -> np.ndarray:
        """Records listing the author (by normalised name key)."""
        return self._mask_from(self.author_docs_ptr, self.author_docs, self.author_id.get(key))

    def first_author_mask(self, key: str) -> np.ndarray:
        """Records whose first listed author is ``key`` (read only among the records listing them)."""
        mask = self.author_mask(key)
        for doc in np.flatnonzero(mask).tolist():
            authors = self.papers[doc].authors
            mask[doc] = bool(authors) and name_key(authors[0]) == key
        return mask

    def authors_mask(self, author_ids: Sequence[int]) -> np.ndarray:
        """Records listing any of the authors (by id)."""
        mask = np.zeros(len(self.papers), dtype=bool)
        offsets, _ = gather(self.author_docs_ptr, np.asarray(author_ids, dtype=np.int64))
        mask[self.author_docs[offsets]] = True
        return mask

    def affiliation_mask(self, name: str) -> np.ndarray:
        return self._mask_from(self.aff_docs_ptr, self.aff_docs, self.tables.affiliation_id.get(name))

    def category_mask(self, code: str) -> np.ndarray:
        cid = self.tables.category_id.get(code)
        return self.category == cid if cid is not None else np.zeros(len(self.papers), dtype=bool)

    def affiliated_mask(self) -> np.ndarray:
        """Records that print any affiliation next to their authors (computed on first use)."""
        if self._affiliated is None:
            self._affiliated = np.diff(self.columns.affiliation_ptr) > 0
        return self._affiliated

    def month_mask(self, months: Sequence[int]) -> np.ndarray:
        """Records dated in any of ``months`` (1-12), whatever the year ("only the june ones")."""
        if self._months is None:  # computed on first use
            days = self.date_ord.astype(np.int64) - 719163  # numpy datetime64 counts days from 1970
            self._months = (days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12 + 1).astype(np.int8)
        return np.isin(self._months, np.asarray(months, dtype=np.int8))

    def date_mask(self, first_ord: int | None, last_ord: int | None) -> np.ndarray:
        mask = self.all_mask()
        if first_ord is not None:
            mask &= self.date_ord >= first_ord
        if last_ord is not None:
            mask &= self.date_ord <= last_ord
        return mask

    # --- aggregation -----------------------------------------------------------------------
    def authors_of(self, doc: int) -> list[int]:
        return [int(a) for a in self.doc_author[self.doc_author_ptr[doc] : self.doc_author_ptr[doc + 1]]]

    def author_counts(self, docs: np.ndarray) -> np.ndarray:
        """Papers per author id among ``docs``."""
        if docs.shape[0] == len(self.papers):  # every record: no need to gather
            return np.bincount(self.doc_author, minlength=len(self.author_keys))
        offsets, _ = gather(self.doc_author_ptr, docs)
        return np.bincount(self.doc_author[offsets], minlength=len(self.author_keys))

    def year_counts(self, docs: np.ndarray) -> dict[int, int]:
        years, counts = np.unique(self.year[docs], return_counts=True)
        return {int(y): int(c) for y, c in zip(years, counts, strict=True)}

    def category_counts(self, docs: np.ndarray) -> dict[str, int]:
        ids, counts = np.unique(self.category[docs], return_counts=True)
        return {self.category_codes[int(i)]: int(c) for i, c in zip(ids, counts, strict=True)}

"""PaperIndex: BM25 over title and abstract, plus compact per-record arrays for filters and counts.

Everything is aligned by position with ``papers``: row i of every array describes papers[i]. Filters
(dates, categories, code, authors, affiliations) are boolean masks over those arrays, and
aggregations (coauthors, per-year counts) are ``np.bincount`` over them, so neither walks Python
objects. The title counts more than the abstract by being indexed ``title_weight`` times.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .bm25 import BM25Matrix, BM25Params, Matches
from .names import name_key
from .records import Paper, title_key
from .tokenizer import analyze_word, words


@dataclass(frozen=True, slots=True)
class Hit:
    """A record's position in the index and its score for a topic (0 when no topic was asked)."""

    doc: int
    score: float


class Vocabulary:
    """Term ids, and the surface words seen in the corpus (for spelling suggestions)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.surface: Counter[str] = Counter()

    def add_text(self, text: str, grow: bool = True) -> np.ndarray:
        """Term ids of a text; unseen terms get new ids when ``grow``."""
        out: list[int] = []
        for word in words(text):
            term = analyze_word(word)
            if not term:
                continue
            tid = self.ids.get(term)
            if tid is None:
                if not grow:
                    continue
                tid = self.ids[term] = len(self.ids)
            out.append(tid)
        return np.asarray(out, dtype=np.int64)

    def query(self, terms: Iterable[str]) -> dict[int, float]:
        """Weights per term id for analysed query terms (unknown terms dropped)."""
        counts = Counter(self.ids[t] for t in terms if t in self.ids)
        return {t: float(c) for t, c in counts.items()}


def _csr(groups: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    indptr = np.zeros(len(groups) + 1, dtype=np.int64)
    np.cumsum([len(g) for g in groups], out=indptr[1:])
    flat = np.fromiter((x for g in groups for x in g), dtype=np.int32, count=int(indptr[-1]))
    return indptr, flat


class PaperIndex:
    """Search and aggregation over a fixed list of papers."""

    def __init__(self, papers: Sequence[Paper], params: BM25Params | None = None, title_weight: int = 2):
        self.papers = list(papers)
        self.params = params or BM25Params()
        self.title_weight = title_weight
        self.vocab = Vocabulary()
        docs = []
        title_docs = []
        for paper in self.papers:
            title = self.vocab.add_text(paper.title)
            abstract = self.vocab.add_text(paper.abstract)
            docs.append(np.concatenate([np.tile(title, title_weight), abstract]))
            title_docs.append(title)
            self.vocab.surface.update(set(words(paper.title + " " + paper.abstract)))
        self.bm25 = BM25Matrix.build(docs, len(self.vocab.ids), self.params)
        self.titles = BM25Matrix.build(title_docs, len(self.vocab.ids), BM25Params(k1=1.2, b=0.75))
        self.by_title = {title_key(p.title): i for i, p in enumerate(self.papers)}
        self._build_metadata()

    def _build_metadata(self) -> None:
        papers = self.papers
        self.date_ord = np.fromiter((p.date.toordinal() for p in papers), np.int32, len(papers))
        self.year = np.fromiter((p.year for p in papers), np.int16, len(papers))
        self.has_code = np.fromiter((p.has_code for p in papers), bool, len(papers))
        self.category_codes = sorted({p.category for p in papers})
        cat_id = {c: i for i, c in enumerate(self.category_codes)}
        self.category = np.fromiter((cat_id[p.category] for p in papers), np.int16, len(papers))
        self.author_keys: list[str] = []
        self.author_display: list[str] = []
        author_id: dict[str, int] = {}
        doc_authors = []
        for paper in papers:
            ids = []
            for name in paper.authors:
                key = name_key(name)
                if key not in author_id:
                    author_id[key] = len(self.author_keys)
                    self.author_keys.append(key)
                    self.author_display.append(name)
                if author_id[key] not in ids:
                    ids.append(author_id[key])
            doc_authors.append(ids)
        self.author_id = author_id
        self.doc_author_ptr, self.doc_author = _csr(doc_authors)
        self.affiliation_names = sorted({a.lower() for p in papers for a in p.affiliations})
        aff_id = {a: i for i, a in enumerate(self.affiliation_names)}
        self.doc_aff_ptr, self.doc_aff = _csr([[aff_id[a.lower()] for a in p.affiliations] for p in papers])

    # --- retrieval -------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.papers)

    def knows_term(self, term: str) -> bool:
        return term in self.vocab.ids

    def match(self, terms: Sequence[str]) -> Matches:
        """Records holding at least one of the analysed terms, with their BM25 scores."""
        query = self.vocab.query(terms)
        found = self.bm25.match(query)
        return Matches(found.docs, found.scores + self.bm25.constant(query))

    def search(self, terms: Sequence[str], mask: np.ndarray | None = None, k: int | None = None) -> list[Hit]:
        """Ranked matches for a topic, restricted to ``mask``; ties keep the newest first."""
        found = self.match(terms)
        docs, scores = found.docs, found.scores
        if mask is not None:
            keep = mask[docs]
            docs, scores = docs[keep], scores[keep]
        order = self._top(scores, -self.date_ord[docs].astype(np.float64), k)
        return [Hit(int(docs[i]), float(scores[i])) for i in order]

    @staticmethod
    def _top(primary: np.ndarray, secondary: np.ndarray, k: int | None) -> np.ndarray:
        """Positions of the k largest ``primary`` values (ties broken by the smaller ``secondary``)."""
        if k is not None and k < primary.size:
            cut = np.argpartition(-primary, k - 1)[:k]
            threshold = primary[cut].min()
            cut = np.flatnonzero(primary >= threshold)
            sub = np.lexsort((secondary[cut], -primary[cut]))[:k]
            return cut[sub]
        return np.lexsort((secondary, -primary))

    def by_date(self, mask: np.ndarray | None, newest_first: bool = True, k: int | None = None) -> list[int]:
        """Records (all, or those in ``mask``) ordered by date."""
        docs = np.arange(len(self.papers)) if mask is None else np.flatnonzero(mask)
        dates = self.date_ord[docs].astype(np.float64)
        order = self._top(dates if newest_first else -dates, docs.astype(np.float64), k)
        return [int(d) for d in docs[order]]

    def similar(self, doc: int, mask: np.ndarray | None = None, k: int = 10) -> list[Hit]:
        """Records whose text is closest to a record's own title and abstract."""
        paper = self.papers[doc]
        terms = [analyze_word(w) for w in words(paper.title + " " + paper.abstract)]
        hits = self.search([t for t in terms if t], mask, k + 1)
        return [h for h in hits if h.doc != doc][:k]

    def find_title(self, text: str) -> tuple[int, float] | None:
        """The record a text names by title, with a confidence in [0, 1].

        Confidence is 1 for an exact title, or when the words occur together in exactly one title
        ("CAT3D", "Variational Diffusion Models"); otherwise the overlap of words between the text and the
        best BM25 title match. A common word ("diffusion") names no single paper.
        """
        exact = self.by_title.get(title_key(text))
        if exact is not None:
            return exact, 1.0
        terms = [t for t in (analyze_word(w) for w in words(text)) if t]
        query = self.vocab.query(terms)
        if not query or len(query) < len(set(terms)):
            return None
        found = self.titles.match(query)
        if not found.docs.size:
            return None
        best = int(found.docs[np.argmax(found.scores)])
        holding_all = np.ones(found.docs.size, dtype=bool)
        for term in query:
            postings = self.titles.doc_ids[self.titles.indptr[term] : self.titles.indptr[term + 1]]
            holding_all &= np.isin(found.docs, postings)
        if holding_all.sum() == 1 and holding_all[found.docs == best].all():
            return best, 1.0
        title_terms = {t for t in (analyze_word(w) for w in words(self.papers[best].title)) if t}
        asked = set(terms)
        return best, len(asked & title_terms) / max(1, len(asked | title_terms))

    # --- filters ---------------------------------------------------------------------------
    def all_mask(self) -> np.ndarray:
        return np.ones(len(self.papers), dtype=bool)

    def author_mask(self, key: str) -> np.ndarray:
        """Records listing the author (by normalised name key)."""
        mask = np.zeros(len(self.papers), dtype=bool)
        aid = self.author_id.get(key)
        if aid is None:
            return mask
        rows = np.repeat(np.arange(len(self.papers)), np.diff(self.doc_author_ptr))
        mask[rows[self.doc_author == aid]] = True
        return mask

    def affiliation_mask(self, name: str) -> np.ndarray:
        mask = np.zeros(len(self.papers), dtype=bool)
        if name not in self.affiliation_names:
            return mask
        aid = self.affiliation_names.index(name)
        rows = np.repeat(np.arange(len(self.papers)), np.diff(self.doc_aff_ptr))
        mask[rows[self.doc_aff == aid]] = True
        return mask

    def category_mask(self, code: str) -> np.ndarray:
        if code not in self.category_codes:
            return np.zeros(len(self.papers), dtype=bool)
        return self.category == self.category_codes.index(code)

    def date_mask(self, first_ord: int | None, last_ord: int | None) -> np.ndarray:
        mask = self.all_mask()
        if first_ord is not None:
            mask &= self.date_ord >= first_ord
        if last_ord is not None:
            mask &= self.date_ord <= last_ord
        return mask

    # --- aggregation -----------------------------------------------------------------------
    def author_counts(self, docs: np.ndarray) -> np.ndarray:
        """Papers per author id among ``docs``."""
        starts, ends = self.doc_author_ptr[docs], self.doc_author_ptr[docs + 1]
        lengths = ends - starts
        if not lengths.sum():
            return np.zeros(len(self.author_keys), dtype=np.int64)
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        return np.bincount(self.doc_author[offsets], minlength=len(self.author_keys))

    def year_counts(self, docs: np.ndarray) -> dict[int, int]:
        years, counts = np.unique(self.year[docs], return_counts=True)
        return {int(y): int(c) for y, c in zip(years, counts, strict=True)}

    def category_counts(self, docs: np.ndarray) -> dict[str, int]:
        ids, counts = np.unique(self.category[docs], return_counts=True)
        return {self.category_codes[int(i)]: int(c) for i, c in zip(ids, counts, strict=True)}

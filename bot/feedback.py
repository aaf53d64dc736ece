"""RM3 pseudo-relevance feedback: expand a topic with the words of its best first-pass matches.

Long requests ("what similarity laws must be obeyed when constructing aeroelastic models of heated
high speed aircraft") and short ones alike gain from the vocabulary of the records they find first;
measured on Cranfield and CISI by bench/quality.py (chosen once for all collections). The expansion
only re-scores records the original terms matched, so it re-orders results and never adds a record
that lacks every topic word.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .tokenizer import words

if TYPE_CHECKING:
    from .index import PaperIndex


@dataclass(frozen=True, slots=True)
class FeedbackParams:
    docs: int = 10  # feedback records (0 turns feedback off)
    terms: int = 40  # expansion terms kept
    weight: float = 0.5  # share of the expanded query given to the expansion terms
    depth: int = 1000  # first-pass matches re-scored


def expand(index: PaperIndex, query: dict[int, float], docs: np.ndarray, scores: np.ndarray) -> dict[int, float]:
    """The RM3 query: (1 - weight) * original + weight * relevance model of the feedback records."""
    params = index.feedback
    if not query or not docs.size:
        return {}
    doc_weights = np.exp(scores - scores.max())
    model: Counter[int] = Counter()
    for doc, weight in zip(docs, doc_weights, strict=True):
        paper = index.papers[int(doc)]
        title = index.vocab.word_ids(words(paper.title), grow=False)
        abstract = index.vocab.word_ids(words(paper.abstract), grow=False)
        counts = Counter(abstract)
        for term in title:
            counts[term] += index.title_weight
        length = sum(counts.values())
        if length:
            for term, count in counts.items():
                model[term] += weight * count / length
    if not model:
        return {}
    top = model.most_common(params.terms)
    mass = sum(v for _, v in top)
    total = sum(query.values())
    expanded = {t: (1 - params.weight) * w / total for t, w in query.items()}
    for term, value in top:
        expanded[term] = expanded.get(term, 0.0) + params.weight * value / mass
    return expanded

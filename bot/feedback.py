"""RM3 pseudo-relevance feedback: expand a topic with the words of its best first-pass matches.

Long requests ("what similarity laws must be obeyed when constructing aeroelastic models of heated
high speed aircraft") and short ones alike gain from the vocabulary of the records they find first;
measured on Cranfield and CISI by bench/quality.py (chosen once for all collections). The expansion
only re-scores records the original terms matched, so it re-orders results and never adds a record
that lacks every topic word.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .index import PaperIndex


@dataclass(frozen=True, slots=True)
class FeedbackParams:
    docs: int = 10  # feedback records (0 turns feedback off)
    terms: int = 40  # expansion terms kept
    weight: float = 0.5  # share of the expanded query given to the expansion terms
    depth: int = 300  # first-pass matches re-scored


def expand(index: PaperIndex, query: dict[int, float], docs: np.ndarray, scores: np.ndarray) -> dict[int, float]:
    """The RM3 query: (1 - weight) * original + weight * relevance model of the feedback records.

    Each feedback record contributes its term distribution (title terms counted ``title_weight``
    times, as indexed), weighted by exp(score - best score); read from the index's rows.
    """
    params = index.feedback
    if not query or not docs.size:
        return {}
    terms, tfs, owner = index.columns.rows.entries(docs)
    if not terms.size:
        return {}
    doc_weights = np.exp(scores - scores.max()) / np.maximum(index.columns.doc_len[docs], 1)
    unique, inverse = np.unique(terms, return_inverse=True)
    model = np.bincount(inverse, weights=doc_weights[owner] * tfs, minlength=unique.shape[0])
    top = np.argsort(-model, kind="stable")[: params.terms]
    mass = float(model[top].sum())
    total = sum(query.values())
    expanded = {t: (1 - params.weight) * w / total for t, w in query.items()}
    for term, value in zip(unique[top].tolist(), model[top].tolist(), strict=True):
        expanded[term] = expanded.get(term, 0.0) + params.weight * value / mass
    return expanded

"""RM3 pseudo-relevance feedback: expand a topic with the words of its best first-pass matches.

Long requests ("what similarity laws must be obeyed when constructing aeroelastic models of heated
high speed aircraft") and short ones alike gain from the vocabulary of the records they find first;
measured on Cranfield and CISI by bench/quality.py (chosen once for all collections). The expansion
only re-scores records the original terms matched, so it re-orders results and never adds a record
that lacks every topic word.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .array_ops import sum_by_key, top_positions


@dataclass(frozen=True, slots=True)
class FeedbackParams:
    docs: int = 10  # feedback records (0 turns feedback off)
    terms: int = 40  # expansion terms kept
    weight: float = 0.5  # share of the expanded query given to the expansion terms
    depth: int = 150  # first-pass matches re-scored (300: a little more recall for more time; bench/QUALITY.md, README)


def expand(
    params: FeedbackParams,
    doc_len: np.ndarray,
    query: Mapping[int, float],
    docs: np.ndarray,
    scores: np.ndarray,
    entries: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """The RM3 query as (term ids, weights): (1 - weight) * original + weight * relevance model of
    the feedback records. A term may appear twice (original and expansion); its weights add.

    The feedback records ``docs`` (with their first-pass ``scores``) are the first of the ranked
    records whose row ``entries`` (terms, tfs, owner: ``Rows.entries``) are given. Each contributes
    its term distribution (title terms counted ``title_weight`` times, as indexed), weighted by
    exp(score - best score), and divided by its length (``doc_len``, every record's, by record number).
    """
    nothing = np.zeros(0, dtype=np.int64), np.zeros(0)
    terms, tfs, owner = entries
    held = int(np.searchsorted(owner, docs.shape[0]))  # the feedback records' entries come first
    if not query or not held:
        return nothing
    doc_weights = np.exp(scores - scores.max()) / np.maximum(doc_len.take(docs), 1)
    unique, model = sum_by_key(terms[:held], doc_weights.take(owner[:held]) * tfs[:held])
    top = top_positions(model, params.terms)
    expansion = model.take(top)
    original = np.fromiter(query.keys(), dtype=np.int64, count=len(query))
    original_weights = np.fromiter(query.values(), dtype=np.float64, count=len(query))
    return (
        np.concatenate([original, unique.take(top)]),
        np.concatenate(
            [original_weights * ((1 - params.weight) / original_weights.sum()), expansion * (params.weight / expansion.sum())]
        ),
    )

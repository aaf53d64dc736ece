"""Small numpy building blocks shared by the scorer, feedback and the index: group sums and top-k.

Both avoid the general tools' hidden costs on the sizes a query sees (a few thousand entries):
``np.unique(return_inverse=True)`` sorts twice, and a full stable argsort to keep k of many sorts
everything.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def sum_by_key(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct keys (ascending) and the sum of ``values`` for each.

    Keys that arrive as a few sorted runs (postings of a few terms, one after another) sort in
    about one merge pass: the stable sort takes advantage of them.
    """
    if not keys.size:
        return keys, np.zeros(0)
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    first = np.empty(keys.shape[0], dtype=bool)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    return keys[starts], np.add.reduceat(values[order], starts)


def top_positions(values: np.ndarray, k: int | None, tiebreak: Callable[[np.ndarray], np.ndarray] | None = None) -> np.ndarray:
    """Positions of the ``k`` largest values (all when k is None), largest first.

    Ties go by ascending ``tiebreak(positions)``, then by position. Only the k best and the values
    tied with the k-th are sorted, and only they are given to ``tiebreak``.
    """
    n = values.shape[0]
    every = k is None or k >= n
    cut = np.arange(n) if every else np.flatnonzero(values >= np.partition(values, n - k)[n - k])
    negated = np.negative(values.take(cut))
    order = np.lexsort((tiebreak(cut), negated)) if tiebreak is not None else np.argsort(negated, kind="stable")
    return cut.take(order[:k])

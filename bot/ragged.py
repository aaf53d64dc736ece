"""Ragged arrays (CSR layout: ``values[ptr[i]:ptr[i+1]]`` belongs to row i), gathered without Python loops."""

from __future__ import annotations

import numpy as np


def gather(ptr: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Positions in ``values`` of every entry of ``rows``, in row order."""
    starts = ptr[rows].astype(np.int64)
    lengths = ptr[rows + 1].astype(np.int64) - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    return np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths - starts, lengths)


def owners(ptr: np.ndarray, rows: np.ndarray, picked: np.ndarray) -> np.ndarray:
    """Which of ``rows`` each of ``picked`` (ascending positions in gather's output) belongs to.

    Costs a pass over the picked entries only: a caller that keeps a few of many gathered entries
    never spends one over all of them.
    """
    ends = np.cumsum(ptr[rows + 1].astype(np.int64) - ptr[rows].astype(np.int64))
    counts = np.diff(np.searchsorted(picked, ends), prepend=0)
    return np.repeat(np.arange(rows.shape[0], dtype=np.int64), counts)


def pointers(lengths: np.ndarray, n_rows: int | None = None) -> np.ndarray:
    """CSR pointers from row lengths."""
    ptr = np.zeros((n_rows if n_rows is not None else lengths.shape[0]) + 1, dtype=np.int64)
    np.cumsum(lengths, out=ptr[1 : lengths.shape[0] + 1])
    ptr[lengths.shape[0] + 1 :] = ptr[lengths.shape[0]]
    return ptr

"""Ragged arrays (CSR layout: ``values[ptr[i]:ptr[i+1]]`` belongs to row i), gathered without Python loops."""

from __future__ import annotations

import numpy as np


def gather(ptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions in ``values`` of every entry of ``rows`` (in row order), and each row's entry count."""
    starts = ptr.take(rows).astype(np.int64, copy=False)
    lengths = ptr.take(rows + 1) - starts
    ends = np.cumsum(lengths)
    total = int(ends[-1]) if ends.size else 0
    return np.arange(total, dtype=np.int64) - np.repeat(ends - lengths - starts, lengths), lengths


def owners(lengths: np.ndarray, picked: np.ndarray | None = None) -> np.ndarray:
    """Which row each gathered entry (or each of ``picked``, ascending positions in gather's output)
    belongs to. With ``picked``, a pass over the picked entries only: a caller that keeps a few of
    many gathered entries never spends one over all of them."""
    if picked is None:
        return np.repeat(np.arange(lengths.shape[0], dtype=np.int64), lengths)
    counts = np.searchsorted(picked, np.cumsum(lengths))
    counts[1:] -= counts[:-1].copy()
    return np.repeat(np.arange(lengths.shape[0], dtype=np.int64), counts)


def pointers(lengths: np.ndarray, n_rows: int | None = None) -> np.ndarray:
    """CSR pointers from row lengths."""
    ptr = np.zeros((n_rows if n_rows is not None else lengths.shape[0]) + 1, dtype=np.int64)
    np.cumsum(lengths, out=ptr[1 : lengths.shape[0] + 1])
    ptr[lengths.shape[0] + 1 :] = ptr[lengths.shape[0]]
    return ptr

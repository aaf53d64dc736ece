"""Ragged arrays (CSR layout: ``values[ptr[i]:ptr[i+1]]`` belongs to row i), gathered without Python loops."""

from __future__ import annotations

import numpy as np


def gather(ptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions in ``values`` of every entry of ``rows`` (in row order), and which of ``rows`` each came from."""
    starts = ptr[rows].astype(np.int64)
    lengths = ptr[rows + 1].astype(np.int64) - starts
    total = int(lengths.sum())
    owner = np.repeat(np.arange(rows.shape[0], dtype=np.int64), lengths)
    if not total:
        return np.zeros(0, dtype=np.int64), owner
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths - starts, lengths)
    return offsets, owner


def pointers(lengths: np.ndarray, n_rows: int | None = None) -> np.ndarray:
    """CSR pointers from row lengths."""
    ptr = np.zeros((n_rows if n_rows is not None else lengths.shape[0]) + 1, dtype=np.int64)
    np.cumsum(lengths, out=ptr[1 : lengths.shape[0] + 1])
    ptr[lengths.shape[0] + 1 :] = ptr[lengths.shape[0]]
    return ptr

"""Keeping freed memory for reuse while an index is built (glibc; elsewhere a no-op).

A build allocates and frees arrays of tens of megabytes for every run of records. glibc serves
allocations that large with fresh pages from the kernel and hands them back on free, so every run
pays the page faults again (bench/RESULTS.md, "Why the build's tricks stay"). While building, every allocation comes from the heap and freed memory stays
there for the next run; afterwards the heap's free memory is released, and large blocks are served
as glibc serves them once warmed up (see AFTER_MMAP_THRESHOLD).
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD, M_MMAP_MAX = -1, -3, -4  # mallopt parameters (malloc.h)
# After a build: what glibc's own adjustment settles at once large blocks have been freed (setting
# any parameter turns that adjustment off for good): blocks up to 32 MB come from the heap and are
# reused, so an answer's scratch arrays do not fault their pages in every time.
AFTER_MMAP_THRESHOLD, AFTER_TRIM_THRESHOLD, DEFAULT_MMAP_MAX = 32 << 20, 64 << 20, 65536


@cache
def _glibc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt, libc.malloc_trim  # noqa: B018 - glibc has both; musl and macOS do not
    except (OSError, AttributeError):
        return None
    return libc


@contextmanager
def heap_kept() -> Iterator[None]:
    libc = _glibc()
    if libc is None:
        yield
        return
    libc.mallopt(M_MMAP_MAX, 0)
    libc.mallopt(M_TRIM_THRESHOLD, 2**31 - 1)
    try:
        yield
    finally:
        libc.mallopt(M_MMAP_MAX, DEFAULT_MMAP_MAX)
        libc.mallopt(M_MMAP_THRESHOLD, AFTER_MMAP_THRESHOLD)
        libc.mallopt(M_TRIM_THRESHOLD, AFTER_TRIM_THRESHOLD)
        libc.malloc_trim(0)

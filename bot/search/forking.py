"""A function over slices of one large list, in forked worker processes (one per core).

Forked workers inherit the list, so only slice bounds and results cross process boundaries. Used
where a build spends seconds per 100k records in pure Python (parsing JSON Lines, tokenizing).
Small inputs, one core, no ``fork`` (Windows, macOS spawn), or a process with other threads running
(a forked child can deadlock on a lock one of them held: the bot builds in a process started for it,
see store.open_corpus ``isolated``) run in this process instead. A worker
that dies (killed for memory, a signal) fails the whole map with ``WorkerDied`` instead of leaving it
waiting for a result that never comes. Workers die with their parent: on Linux each asks the kernel
(prctl PR_SET_PDEATHSIG) for SIGKILL when the process that forked it dies, even by SIGKILL, so a
killed build leaves no half-gigabyte workers running on.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing as mp
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from bot.errors import WorkerDied

T = TypeVar("T")
PR_SET_PDEATHSIG = 1  # linux/prctl.h
_SHARED: tuple[Callable[[int, Sequence[Any]], Any], Sequence[Any]] | None = None


def die_with_parent(parent: int) -> None:
    """Worker start: be killed when the parent dies (Linux), and leave now if it already has."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _run_slice(bounds: tuple[int, int]) -> Any:
    assert _SHARED is not None
    work, items = _SHARED
    return work(bounds[0], items[bounds[0] : bounds[1]])


def map_slices(work: Callable[[int, Sequence[Any]], T], items: Sequence[Any], chunk: int) -> Iterator[T]:
    """``work(start, items[start:start + chunk])`` for every slice, results in order."""
    global _SHARED
    bounds = [(lo, min(lo + chunk, len(items))) for lo in range(0, len(items), max(1, chunk))]
    workers = min(os.cpu_count() or 1, len(bounds))
    if workers < 2 or "fork" not in mp.get_all_start_methods() or threading.active_count() > 1:
        for lo, hi in bounds:
            yield work(lo, items[lo:hi])
        return
    _SHARED = (work, items)
    pool = ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"), initializer=die_with_parent, initargs=(os.getpid(),))
    try:
        yield from pool.map(_run_slice, bounds)
    except BrokenProcessPool:
        raise WorkerDied(
            "a worker process died while reading records (killed, perhaps for lack of memory); nothing was changed"
        ) from None
    finally:
        _SHARED = None
        pool.shutdown(wait=True, cancel_futures=True)  # a consumer that stops early waits for running slices only

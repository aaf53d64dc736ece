"""What the index store's integrity checks cost: per load, per write, and the background verification.

    python bench/integrity.py                  # 100k records (the corpus bench.py generates)
    python bench/integrity.py --sizes 1000000

Per size: ``check at load`` (every start-up: a stat of each store file against the manifest; array
headers are compared as numpy reads them anyway), ``hash on write`` (the sha256 of every store file,
two at a time, added to a build), ``verify`` (every checksum, as the bot does in the background after
start-up and ``paperbot index --verify`` in the foreground), and the whole start-up (``open_corpus``
from the store). Medians of 3 runs, files in the page cache.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from bench import corpus_dir  # noqa: E402
from bot.digest.state import Store  # noqa: E402
from bot.search.integrity import check_files, stored_files, verify  # noqa: E402
from bot.search.store import open_corpus, read_manifest, store_folder  # noqa: E402


def timed(run, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(n: int) -> str:
    folder = corpus_dir(n)
    loaded = open_corpus([folder])  # builds the store when missing
    store = store_folder([folder])
    manifest = read_manifest(store)
    assert manifest is not None and loaded.folder == store
    size = sum(p.stat().st_size for p in store.iterdir()) / 1e6
    load = timed(lambda: check_files(store, manifest))
    write = timed(lambda: stored_files(store))
    check = timed(lambda: verify(store, manifest))
    startup = timed(lambda: open_corpus([folder]))
    return f"| {n:,} | {size:,.0f} | {load * 1e3:.2f} ms | {write:.2f} s | {check:.2f} s | {startup:.2f} s |"


def measure_state(n: int) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "state.sqlite3"
        store = Store(path)
        keys = ((f"p{i:08d}", f"title number {i} of a synthetic paper", "2026-01-01T00:00:00.000000Z") for i in range(n))
        with store.transaction() as db:
            db.executemany(
                "INSERT INTO records(id, title_key, arxiv_id, first_seen, source, in_files) VALUES (?, ?, '', ?, 'corpus', 1)",
                keys,
            )
        store.close()
        checked = timed(lambda: Store(path).close())
        reading = timed(lambda: Store(path, reading=True).close())
        return f"| {n:,} | {path.stat().st_size / 1e6:,.0f} | {checked:.3f} s | {reading * 1e3:.2f} ms |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    args = parser.parse_args()
    print("| records | store MB | check at load | hash on write | verify (background) | start-up |")
    print("|---|---|---|---|---|---|")
    for n in args.sizes:
        print(measure(n), flush=True)
    print()
    print("| state records | database MB | open with quick_check (run, ingest, digest) | open read-only (ask) |")
    print("|---|---|---|---|")
    for n in args.sizes:
        print(measure_state(n), flush=True)


if __name__ == "__main__":
    main()

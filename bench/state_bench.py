"""The bot state on SQLite against PostgreSQL: a baseline import, an ingest of new records, and the
digest cut that reads them back, median of a few runs each on a fresh database.

    python bench/state_bench.py [--base 10000] [--new 10000] [--runs 3] [--url postgresql://...]

Without ``--url`` a throwaway PostgreSQL cluster is started on a free port of 127.0.0.1 (the tests'
tests/postgres_server.py: Debian's binaries, fsync off as in the tests) and stopped at the end; with
``--url`` each run creates a database ``paperbot_bench_*`` on that server (drop them afterwards).
Records come from bench/gen_corpus.py. Figures go in bench/SCALE.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE))

from ingest import corpus_file  # noqa: E402

from bot.digest.state import Store  # noqa: E402
from bot.records import Paper  # noqa: E402
from bot.sources.corpus import load_corpus  # noqa: E402

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def one_run(database: str | Path, base: list[Paper], new: list[Paper]) -> tuple[float, float, float, float]:
    """Seconds for: opening a new database, the baseline import, the ingest, the digest cut."""
    started = time.perf_counter()
    store = Store(database)
    opened = time.perf_counter() - started
    try:
        started = time.perf_counter()
        store.import_baseline(base, now(), "corpus")
        baseline = time.perf_counter() - started
        watermark = now()
        started = time.perf_counter()
        added = store.add_records(new, now, "bench")
        ingest = time.perf_counter() - started
        started = time.perf_counter()
        _, seen = store.cut(watermark, now)
        cut = time.perf_counter() - started
        assert len(seen) == len(added) == len(new), (len(seen), len(added), len(new))
    finally:
        store.close()
    return opened, baseline, ingest, cut


def measure(name: str, fresh: Callable[[], str | Path], base: list[Paper], new: list[Paper], runs: int) -> str:
    results = [one_run(fresh(), base, new) for _ in range(runs)]
    opened, baseline, ingest, cut = (statistics.median(r[i] for r in results) for i in range(4))
    return (
        f"| {name} | {opened * 1e3:.0f} ms | {baseline:.2f} s | {ingest:.2f} s ({ingest / len(new) * 1e6:.0f} µs a record) "
        f"| {cut * 1e3:.0f} ms |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", type=int, default=10_000, help="records imported as the corpus baseline")
    parser.add_argument("--new", type=int, default=10_000, help="new records ingested, then cut for a digest")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--url", default="", help="an existing PostgreSQL server (its postgres database) to create databases on")
    args = parser.parse_args()
    papers = load_corpus([corpus_file(args.base + args.new)]).papers
    base, new = papers[: args.base], papers[args.base : args.base + args.new]
    print(f"{args.base:,} baseline records, {args.new:,} ingested, median of {args.runs} runs each")
    print("| backend | open a new database | baseline import | ingest | digest cut |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="paperbot-state-bench-") as tmp:
        print(measure("SQLite file", lambda: Path(tmp) / f"{uuid.uuid4().hex}.sqlite3", base, new, args.runs))
    if args.url:
        print(measure("PostgreSQL (--url)", lambda: fresh_database(args.url), base, new, args.runs))
        return
    import postgres_server

    with postgres_server.cluster() as cluster:
        print(measure("PostgreSQL 127.0.0.1, fsync off", cluster.new_database, base, new, args.runs))


def fresh_database(url: str) -> str:
    import psycopg

    name = f"paperbot_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + "/" + name


if __name__ == "__main__":
    main()

"""How long ``paperbot ingest`` takes to store new records into a large database, and whether two
ingests at once both succeed.

    python bench/ingest.py [--corpus 100000] [--new 20000]

A synthetic corpus (bench/gen_corpus.py) of ``corpus + new`` records: the first ``corpus`` are the
baseline (first start), then ``new`` records go through ``Store.add_records`` (the duplicate check and
the insert), timed. Then the same ``new`` records split in two halves are ingested by two processes at
once into a fresh copy, and the script prints whether both finished. Figures go in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bot.digest.state import Store  # noqa: E402
from bot.sources.corpus import load_corpus  # noqa: E402


def corpus_file(total: int) -> Path:
    path = HERE / ".cache" / f"c{total // 1000}k.jsonl"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        with path.open("w") as out:
            subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), str(total)], stdout=out, check=True)
    return path


def _ingest(db: Path, papers: list, out: mp.Queue) -> None:
    store = Store(db)
    try:
        store.add_records(papers, lambda: dt.datetime.now(dt.UTC), "bench")
        out.put("ok")
    except Exception as exc:  # the figure is whether this happens
        out.put(f"failed: {exc}")
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=20_000)
    args = parser.parse_args()
    papers = load_corpus([corpus_file(args.corpus + args.new)]).papers
    base, new = papers[: args.corpus], papers[args.corpus : args.corpus + args.new]
    work = Path(tempfile.mkdtemp(prefix="paperbot-bench-"))
    try:
        db = work / "state.sqlite3"
        store = Store(db)
        store.import_baseline(base, dt.datetime.now(dt.UTC), "corpus")
        store.close()
        shutil.copy(db, work / "copy.sqlite3")
        store = Store(db)
        started = time.perf_counter()
        added = store.add_records(new, lambda: dt.datetime.now(dt.UTC), "bench")
        took = time.perf_counter() - started
        store.close()
        print(
            f"ingest: {len(added)} new records into a {args.corpus}-record database in {took:.2f} s ({took / max(1, len(new)) * 1e3:.3f} ms a record)"
        )
        out: mp.Queue = mp.Queue()
        half = len(new) // 2
        procs = [mp.Process(target=_ingest, args=(work / "copy.sqlite3", part, out)) for part in (new[:half], new[half:])]
        started = time.perf_counter()
        for p in procs:
            p.start()
        results = [out.get() for _ in procs]
        for p in procs:
            p.join()
        print(f"two ingests at once: {', '.join(results)} in {time.perf_counter() - started:.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""The digest claim under competing bot processes: P processes on one SQLite state file each try to claim
every one of N channels' digest slots (in their own random order, the worst case: every slot contested
by all of them, as when shards move), and finish each slot they win (the done-mark: message id, time and
watermark in one transaction). Prints attempts/s, wins/s, conflicts, latency, and checks that every slot
was won exactly once and marked done once.

    python bench/digest_claim.py [--processes 8] [--channels 2000] [--dir DIR | --database URL]

``--database`` takes what config's ``database:`` takes (an empty database; a postgresql:// URL once
the PostgreSQL backend is there); by default a new SQLite file in ``--dir`` or the temp folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import random
import statistics
import tempfile
import time
from pathlib import Path

from bot.digest.state import Store, iso

START = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)


def open_store(database: str) -> Store:
    return Store(database if "://" in database else Path(database))  # type: ignore[arg-type]


def compete(database: str, owner: str, channels: int, barrier, out) -> None:
    """One bot process: claim every slot in a random order, finish each one won."""
    store = open_store(database)
    order = list(range(1, channels + 1))
    random.Random(owner).shuffle(order)
    slot = iso(START)
    won: list[int] = []
    claim_ms: list[float] = []
    finish_ms: list[float] = []
    barrier.wait()
    began = time.perf_counter()
    for channel in order:
        now = dt.datetime.now(dt.UTC)
        t0 = time.perf_counter()
        got = store.claim_digest(channel, slot, owner, now, now + dt.timedelta(seconds=60))
        claim_ms.append((time.perf_counter() - t0) * 1000)
        if got:
            t0 = time.perf_counter()
            assert store.finish_digest(channel, slot, owner, now, now, True, channel * 10)
            finish_ms.append((time.perf_counter() - t0) * 1000)
            won.append(channel)
    out.put((owner, won, claim_ms, finish_ms, time.perf_counter() - began))
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--channels", type=int, default=2000)
    parser.add_argument("--dir", type=Path, default=None, help="where the state file goes (default: the temp folder)")
    parser.add_argument("--database", default=None, help="an empty database to use instead (a postgresql:// URL)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        path = args.database or str(Path(tmp) / "state.sqlite3")
        store = open_store(path)
        for channel in range(1, args.channels + 1):
            store.subscribe(channel, channel << 22, "", None, None, START)
        store.close()
        ctx = mp.get_context("spawn")
        barrier, out = ctx.Barrier(args.processes), ctx.Queue()
        procs = [
            ctx.Process(target=compete, args=(str(path), f"bench:{k}", args.channels, barrier, out))
            for k in range(args.processes)
        ]
        for proc in procs:
            proc.start()
        results = [out.get() for _ in procs]
        for proc in procs:
            proc.join()
        check = open_store(path)
        done = check.db.execute(
            "SELECT count(*), count(DISTINCT channel_id) FROM digest_claims WHERE done_at IS NOT NULL"
        ).fetchone()
        moved = check.db.execute("SELECT count(*) FROM subscriptions WHERE last_post_at IS NOT NULL").fetchone()[0]
        check.close()
    wins = [c for _, won, _, _, _ in results for c in won]
    claims = [ms for _, _, claim_ms, _, _ in results for ms in claim_ms]
    finishes = [ms for _, _, _, finish_ms, _ in results for ms in finish_ms]
    wall = max(r[4] for r in results)
    attempts = len(claims)
    pct = lambda xs, q: statistics.quantiles(xs, n=100)[q - 1]  # noqa: E731
    engine = "PostgreSQL" if args.database and "://" in args.database else "SQLite WAL, one file"
    print(f"{args.processes} processes x {args.channels} slots, every slot contested by all ({engine})")
    print(
        f"  wall time {wall:.2f} s; claim attempts {attempts} ({attempts / wall:,.0f}/s); won {len(wins)} ({len(wins) / wall:,.0f}/s)"
    )
    print(f"  conflicts (claim refused: held or done) {attempts - len(wins)}")
    print(f"  claim latency p50 {pct(claims, 50):.2f} ms, p99 {pct(claims, 99):.2f} ms")
    print(f"  finish (message id + watermark, one transaction) p50 {pct(finishes, 50):.2f} ms, p99 {pct(finishes, 99):.2f} ms")
    print(f"  wins per process: {sorted(len(r[1]) for r in results)}")
    exactly_once = len(wins) == len(set(wins)) == args.channels and tuple(done) == (args.channels, args.channels)
    print(f"  every slot won exactly once and marked done once: {exactly_once} (subscriptions posted: {moved})")
    if not exactly_once:
        raise SystemExit(1)


if __name__ == "__main__":
    main()

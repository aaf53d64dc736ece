"""Conversations: time per follow-up turn, and the context store's memory under 100,000 simulated users.

    python bench/conversations.py            # seed corpus; prints a few lines for bench/RESULTS.md

Every user of the 100,000 leaves a real context (a question, its refinement and a reference to the
list it shows, answered on the seed corpus for the first ``--real`` users and copied for the rest,
so each holds its own objects); the store keeps at most ``--cap`` of them and memory stops growing
once it is full.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answer.conversation import Conversations  # noqa: E402
from bot.answer.service import PaperService  # noqa: E402
from bot.config import load_settings  # noqa: E402

TODAY = dt.date(2026, 11, 25)
TURNS = [
    "diffusion papers from 2023",
    "and with code?",
    "with or without code",
    "who wrote the second one?",
    "cite the first two",
    "more",
    "papers on NeRF",
    "only 2024",
    "how many of those have code?",
    "start over",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--cap", type=int, default=10_000)
    parser.add_argument("--real", type=int, default=2_000, help="users whose contexts are answered, not copied")
    args = parser.parse_args()
    service = PaperService.from_paths(load_settings(ROOT / "config.yaml"))

    timing = Conversations(service)
    times: list[float] = []
    for _ in range(50):
        for text in TURNS:
            started = time.perf_counter()
            timing.say("bench", text, today=TODAY)
            times.append(time.perf_counter() - started)
    times.sort()
    print(
        f"per turn (seed corpus, {len(times)} turns): median {statistics.median(times) * 1e3:.2f} ms, p99 {times[int(len(times) * 0.99)] * 1e3:.2f} ms"
    )

    chat = Conversations(service, cap=args.cap)
    tracemalloc.start()
    base, _ = tracemalloc.get_traced_memory()
    samples = []
    for user in range(args.real):
        for text in ("diffusion papers from 2023", "with or without code", "who wrote the second one?"):
            chat.say(user, text, today=TODAY)
        samples.append(chat.store.get(user))
    per_context = (tracemalloc.get_traced_memory()[0] - base) / args.real
    largest = len(chat.store)
    at_cap = None
    for user in range(args.real, args.users):
        chat.store.put(user, copy.deepcopy(samples[user % len(samples)]))
        largest = max(largest, len(chat.store))
        if user == args.cap:
            at_cap = tracemalloc.get_traced_memory()[0] - base
    final = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    print(f"context: about {per_context / 1024:.1f} KiB each (question, refinement, the list's record positions)")
    print(
        f"{args.users:,} users, cap {args.cap:,}: at most {largest:,} contexts held; memory {(at_cap or 0) / 2**20:.1f} MiB when full, "
        f"{final / 2**20:.1f} MiB after all users (with the {len(samples):,} answered contexts kept aside for copying)"
    )


if __name__ == "__main__":
    main()

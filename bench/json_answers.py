"""How big and how slow `paperbot ask --json` answers are at 100k records, bounded (records ≤ --limit,
the default 100) against unbounded (every record the answer is about, as before).

    python bench/json_answers.py [--records 100000]

Uses the synthetic corpus of bench/ingest.py (bench/gen_corpus.py), indexed once into its store.
Prints, per question, the answer's total, the JSON line's size and the time to build and serialise it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bot.answer.service import PaperService  # noqa: E402
from bot.config import Settings  # noqa: E402

QUESTIONS = [
    "how many papers?",
    "how many papers in 2023?",
    "how many papers have code?",
    "papers per year",
    "papers on gradient",
]


def corpus(records: int) -> Path:
    path = HERE / ".cache" / f"c{records // 1000}k-json.jsonl"
    if not path.exists():
        import subprocess

        path.parent.mkdir(exist_ok=True)
        with path.open("w") as out:
            subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), str(records)], stdout=out, check=True)
    return path


def timed(service: PaperService, question: str, limit: int) -> tuple[int, int, float]:
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        answer = service.ask(question)
        line = json.dumps(answer.as_json(limit), ensure_ascii=False)
        runs.append(time.perf_counter() - started)
    return answer.as_json(1)["total"], len(line.encode()), statistics.median(runs) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()
    service = PaperService.from_paths(Settings(), [corpus(args.records)])
    print(f"{len(service.index)} records; median of 5 runs, question to JSON line")
    print("| question | total | bounded (100) bytes | ms | unbounded bytes | ms |")
    print("|---|---|---|---|---|---|")
    for question in QUESTIONS:
        total, small, fast = timed(service, question, 100)
        _, big, slow = timed(service, question, 10**9)
        print(f"| {question} | {total} | {small:,} | {fast:.1f} | {big:,} | {slow:.1f} |")


if __name__ == "__main__":
    main()

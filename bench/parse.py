"""Question understanding speed: parse_query over every dev evaluation question (min of 20 runs each).

Usage: python bench/parse.py   Prints median, 99th percentile and worst time per question in ms.
Parsing runs on every message the bot reads, so it should stay well under a millisecond.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answer.service import PaperService  # noqa: E402
from bot.config import load_settings  # noqa: E402


def main() -> int:
    service = PaperService.from_paths(load_settings(ROOT / "config.yaml"))
    today = dt.date(2026, 11, 25)
    questions = [
        str(c["question"]) for path in [ROOT / "tests" / "eval" / "questions.yaml"] for c in yaml.safe_load(path.read_text())
    ]
    for q in questions:
        service.understand(q, today)
    times = []
    for q in questions:
        best = min(_time(service, q, today) for _ in range(20))
        times.append(best * 1e3)
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"{len(questions)} questions: parse median {statistics.median(times):.3f} ms, p99 {p99:.3f} ms, max {times[-1]:.3f} ms")
    return 0


def _time(service: PaperService, question: str, today: dt.date) -> float:
    started = time.perf_counter()
    service.understand(question, today)
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())

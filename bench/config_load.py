"""What validating config.yaml with pydantic costs a command's start-up, in fresh processes.

    python bench/config_load.py

``yaml only`` imports what the hand-written validation needed (PyYAML, zoneinfo) and reads the file
with ``yaml.safe_load``; ``pydantic`` imports bot.config (pydantic and its models) and runs
``load_settings`` on the same file. Medians of 15 processes each, alternated.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = {
    "yaml only (what the hand-written checks imported)": (
        "import time; t = time.perf_counter(); import yaml, zoneinfo, re, dataclasses; "
        "yaml.safe_load(open('config.yaml', encoding='utf-8')); print(time.perf_counter() - t)"
    ),
    "pydantic (import bot.config, load_settings)": (
        "import time; t = time.perf_counter(); from pathlib import Path; import bot.config; "
        "bot.config.load_settings(Path('config.yaml')); print(time.perf_counter() - t)"
    ),
}


def main() -> None:
    times: dict[str, list[float]] = {name: [] for name in RUNS}
    for _ in range(15):
        for name, code in RUNS.items():
            out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
            times[name].append(float(out.stdout))
    for name, values in times.items():
        print(f"{name}: {statistics.median(values) * 1e3:.0f} ms")


if __name__ == "__main__":
    main()

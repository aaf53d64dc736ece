"""kill -9 during `paperbot index --rebuild`: the workers die with it, and the next run removes the
temporary store folder it left."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

WORDS = [
    "gradient",
    "sparse",
    "attention",
    "widget",
    "lattice",
    "manifold",
    "kernel",
    "tensor",
    "prior",
    "posterior",
    "flow",
    "diffusion",
]


def _children(pid: int) -> set[int]:
    kids: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            kids.update(int(k) for k in (task / "children").read_text().split())
    return kids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(
    not Path("/proc/self/task").is_dir() or (os.cpu_count() or 1) < 2, reason="needs Linux /proc and 2 cores (workers)"
)
def test_a_killed_build_leaves_no_workers_and_no_folder(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with (corpus / "big.jsonl").open("w") as out:  # about 70 MB: several worker pieces
        for i in range(50_000):
            abstract = " ".join(WORDS[(i * 7 + k) % len(WORDS)] + str(k % 50) for k in range(150))
            out.write(
                json.dumps(
                    {"title": f"Widget study {i}", "authors": [f"Ann Lee{i % 300}"], "date": "2024-01-02", "abstract": abstract}
                )
                + "\n"
            )
    (tmp_path / "config.yaml").write_text("corpus: [corpus]\n")
    cmd = [sys.executable, "-m", "bot", "index", "--rebuild", "--quiet", "--config", str(tmp_path / "config.yaml")]
    proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline and (len(workers) < 2 or not list(corpus.rglob(".tmp-*"))) and proc.poll() is None:
        workers |= _children(proc.pid)
        time.sleep(0.01)
    assert workers, "the build finished before its workers were seen"
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers), "workers outlived the killed build"
    left = list(corpus.rglob(".tmp-*"))
    assert left  # what the kill left behind...
    (corpus / "big.jsonl").write_text(
        json.dumps({"title": "One record", "authors": ["Ann Lee"], "date": "2024"}) + "\n"
    )  # a quick next run
    done = subprocess.run(
        [*cmd[:4], "--quiet", "--config", str(tmp_path / "config.yaml")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert not [p for p in left if p.exists()]  # ...the next run removed

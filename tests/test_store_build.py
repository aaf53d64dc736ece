"""Building a store in worker processes gives the store an in-memory build would save, file for file."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.search import store_build
from bot.search.index import PaperIndex
from bot.search.store import fingerprint, open_corpus, save, store_folder
from bot.sources.corpus import corpus_files, load_corpus
from conftest import ROOT

WORDS = [
    "diffusion",
    "score",
    "matching",
    "variational",
    "bound",
    "mutual",
    "information",
    "neural",
    "rendering",
    "3d",
    "gan",
    "flow",
    "prior",
    "latent",
    "β-VAE",
    "naïve",
]
RARE = [f"term{i}" for i in range(600)]  # words whose first use is often in a record dropped as a duplicate
PEOPLE = [
    ["Ben Poole", "ben poole", "Ben  Poole"],
    ["José García", "Jose Garcia", "JOSÉ GARCÍA"],
    ["J. Smith", "J Smith"],
    ["Ana-Maria Ionescu", "Ana Maria Ionescu"],
    ["Diederik P. Kingma"],
    ["Chloé Dupont", "Chloe Dupont"],
]


def _records(rng: random.Random, n: int) -> list[str]:
    """JSON Lines with duplicates (by id and by title), people spelled several ways, and bad lines."""
    lines: list[str] = []
    titles: list[str] = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.04:
            lines.append(
                rng.choice(
                    [
                        "{not json",
                        '{"title": "no authors"}',
                        "[1, 2]",
                        "",
                        '{"title": "x", "authors": ["A"], "date": "2020-13-01"}',
                    ]
                )
            )
            continue
        title = " ".join(rng.choices(WORDS, k=rng.randint(2, 7)))
        if roll < 0.08 and titles:
            title = rng.choice(titles).upper()  # the same paper again, as another source writes it
        titles.append(title)
        people = rng.sample(PEOPLE, rng.randint(1, 4))
        record = {
            "id": f"r{rng.randint(0, n)}" if roll < 0.12 else f"r{i}-{rng.random()}",
            "title": title,
            "authors": [rng.choice(spellings) for spellings in people],
            "date": f"{rng.randint(2010, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "category": rng.choice(["cs.LG", "stat.ML", "cs.CV", ""]),
            "abstract": " ".join(rng.choices(WORDS + RARE, k=rng.randint(0, 40)))
            + (" line\u2028separator" if roll > 0.97 else ""),
            "has_code": rng.random() < 0.3,
            "affiliations": rng.sample(["Google", "Stanford", "OpenAI"], rng.randint(0, 2)),
        }
        lines.append(json.dumps(record, ensure_ascii=rng.random() < 0.5))
    return lines


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    rng = random.Random(5)
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(ROOT / "corpus" / "ben-poole-profile.txt", folder / "a-profile.txt")
    (folder / "b.jsonl").write_text("\ufeff" + "\n".join(_records(rng, 400)) + "\n", encoding="utf-8")
    (folder / "c.jsonl").write_text("\n".join(_records(rng, 300)), encoding="utf-8")  # no newline at the end
    (folder / "d.jsonl").write_bytes("\r\n".join(_records(rng, 60)).encode())  # Windows line ends
    (folder / "e.jsonl").write_bytes("\r".join(_records(rng, 60)).encode())  # classic Mac line ends
    mixed = _records(rng, 90)
    (folder / "f.jsonl").write_bytes("".join(line + ["\n", "\r", "\r\n"][i % 3] for i, line in enumerate(mixed)).encode())
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    """Every file's bytes; in the manifest, the store files' mtimes (when each was written) are left out."""
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
    manifest = json.loads(files["manifest.json"])
    for entry in manifest["store_files"].values():
        del entry["mtime_ns"]
    files["manifest.json"] = json.dumps(manifest).encode()
    return files


def test_store_built_by_workers_equals_the_in_memory_build(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_build, "PIECE_BYTES", 3000)  # many pieces, so worker processes share the files
    loaded = open_corpus([corpus], rebuild=True)
    in_memory = load_corpus([corpus])
    expected = tmp_path / "expected"
    save(PaperIndex(in_memory.papers), expected, fingerprint(corpus_files([corpus])), in_memory.profiles, in_memory.warnings)

    assert _files(store_folder([corpus])) == _files(expected)
    assert [p.authors for p in loaded.index.papers] == [p.authors for p in in_memory.papers]
    assert loaded.warnings == in_memory.warnings and not loaded.from_store
    assert sum(f"{corpus / 'e.jsonl'}:" in p.source for p in in_memory.papers) > 40  # a lone CR ends a line
    # the corpus exercises what the workers must agree on with the main process
    assert len(in_memory.papers) < 46 + 910 * 0.93  # duplicates (and bad lines) were dropped
    written = {a for p in loaded.index.papers for a in p.authors}
    assert [len(written & set(spellings)) for spellings in PEOPLE] == [1] * len(PEOPLE)  # one spelling each
    assert {"Chloé Dupont", "Ana-Maria Ionescu", "J. Smith"} <= written  # the most informative one


def test_warnings_name_the_line_in_the_whole_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_build, "PIECE_BYTES", 200)
    good = '{"title": "Paper %d", "authors": ["A B"], "date": "2021-01-01", "abstract": "some words here"}'
    lines = [good % i for i in range(60)]
    lines[41] = "{broken"
    lines[52] = '{"title": "No date", "authors": ["A B"]}'
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    loaded = open_corpus([path], rebuild=True)
    assert len(loaded.index) == 58
    assert [w.split(" (")[0] for w in loaded.warnings] == [f"{path}:42: not valid JSON", f"{path}:53: field 'date' is required"]
    assert loaded.index.papers[57].source == f"{path}:60"


KILL_A_WORKER = """
import os, signal, sys
from pathlib import Path
from bot.search import store_build
from bot.errors import PaperBotError
from bot.search.store import open_corpus

main, read_piece = os.getpid(), store_build.read_piece
def dying(piece, *args):
    if os.getpid() != main and piece.start > 0:  # a worker, on any piece but the first
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's OOM killer ends a process
    return read_piece(piece, *args)
store_build.read_piece, store_build.PIECE_BYTES = dying, 200
try:
    open_corpus([Path(sys.argv[1])])
except PaperBotError as exc:
    print(type(exc).__name__, exc.user_message)
"""


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="records are read in worker processes only with two cores or more")
def test_a_killed_worker_fails_the_build_and_keeps_the_old_store(tmp_path: Path) -> None:
    good = '{"title": "Paper %d", "authors": ["A B"], "date": "2021-01-01", "abstract": "some words here"}'
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(good % i for i in range(40)) + "\n", encoding="utf-8")
    assert len(open_corpus([path]).index) == 40
    before = _files(store_folder([path]))
    path.write_text("\n".join(good % i for i in range(60)) + "\n", encoding="utf-8")  # changed: the next open rebuilds

    run = subprocess.run([sys.executable, "-c", KILL_A_WORKER, str(path)], capture_output=True, text=True, timeout=120, cwd=ROOT)

    assert run.stdout.startswith("WorkerDied a worker process died while reading records"), run.stdout + run.stderr
    assert _files(store_folder([path])) == before  # the old store is whole, and nothing half-written is left beside it
    assert sorted(p.name for p in store_folder([path]).parent.iterdir()) == [store_folder([path]).name]


def test_the_bot_never_forks_itself_to_build(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build in a process with threads running (the bot) does not fork it: ``isolated`` builds in a
    process started for it, and a build in this process runs its pieces here instead of in forked workers."""
    import threading

    monkeypatch.setattr(store_build, "PIECE_BYTES", 3000)  # many pieces: a single-threaded process would fork workers

    def no_fork() -> int:
        raise AssertionError("forked a process with threads running")

    stop = threading.Event()
    worker = threading.Thread(target=stop.wait, daemon=True)  # the bot always has threads (gateway, executors)
    worker.start()
    monkeypatch.setattr(os, "fork", no_fork)
    try:
        isolated = open_corpus([corpus], isolated=True)
        shutil.rmtree(store_folder([corpus]))
        here = open_corpus([corpus])
    finally:
        stop.set()
    assert len(isolated.index) == len(here.index) > 100
    assert [p.title for p in isolated.index.papers] == [p.title for p in here.index.papers]

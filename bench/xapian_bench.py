"""The Xapian backend against the built-in engine: the 200 bench questions on shards served by xapian-tcpsrv.

    python bench/xapian_bench.py --sizes 100000               # prints a markdown table
    python bench/xapian_bench.py --sizes 100000 1000000 --out bench/XAPIAN.md
    python bench/xapian_bench.py --dir DIR --builtin-only --answers FILE   # built-in engine only (any checkout)

For each size: the built-in store's build time and size, the shards' build time (from the built-in
index, ``paperbot index --backend xapian``) and size, then the same 200 questions (bench/bench.py's)
answered by both, timing retrieval (topic ranking and filters, as bench.py does) and the whole answer,
and counting questions whose answers (records and text) differ. The shard servers run on this
machine, so they share its cores with the bot; on other hosts the network adds its round trips.
``--builtin-only`` writes the built-in engine's answers to a file, to check that a change leaves them as
they were: run it in two checkouts and compare the files.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from bench import corpus_dir, pct, questions  # noqa: E402
from bot.answer.answer import retrieve  # noqa: E402
from bot.answer.service import PaperService  # noqa: E402
from bot.config import SearchSettings, Settings  # noqa: E402
from bot.search.store import open_corpus, store_folder  # noqa: E402


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


SCORING_FILES = ("text.", "rows.", "records.jsonl")  # the built-in scorer's postings and rows, and the records read on demand


def columns_mb(store: Path) -> float:
    """What a bot on Xapian shards keeps in memory from the store: every array but the scorer's (and the records' file)."""
    return sum(f.stat().st_size for f in store.iterdir() if not f.name.startswith(SCORING_FILES)) / 1e6


def timed_answers(service: PaperService, qs: list[tuple[str, str]]) -> tuple[list[float], list[float], list[dict]]:
    """Retrieval and whole-answer times (ms) for each question, and the answers as JSON."""
    for _, q in qs[:20]:  # warm caches, as a running bot has them
        service.ask(q)
    retrieval, whole, answers = [], [], []
    for _, q in qs:
        query = service.understand(q)
        t0 = time.perf_counter()
        retrieve(query, service.knowledge)
        t1 = time.perf_counter()
        answer = service.ask(q)
        answer.first()
        t2 = time.perf_counter()
        retrieval.append((t1 - t0) * 1e3)
        whole.append((t2 - t1) * 1e3)
        answers.append(answer.as_json())
    return retrieval, whole, answers


def serve(paths: list[Path]) -> tuple[list[subprocess.Popen], list[str]]:
    """One xapian-tcpsrv per shard on 127.0.0.1 (each in a session of its own: on SIGTERM it signals its group)."""
    procs, addresses = [], []
    for path in paths:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        procs.append(
            subprocess.Popen(
                ["xapian-tcpsrv", "--interface", "127.0.0.1", "--port", str(port), str(path)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
        for _ in range(500):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.02)
        addresses.append(f"127.0.0.1:{port}")
    return procs, addresses


def run_size(folder: Path, shards: int, reuse: bool = False) -> dict:
    from bot.search.xapian_build import build_shards, shard_paths

    settings = Settings(responses=ROOT / "responses")
    t0 = time.perf_counter()
    loaded = open_corpus([folder], rebuild=not reuse)
    builtin_build = float("nan") if reuse else time.perf_counter() - t0
    builtin = PaperService(settings, loaded)
    out = folder / "xapian-shards"
    t0 = time.perf_counter()
    if reuse and all(p.is_dir() for p in shard_paths(out, shards)):
        paths, shard_build = shard_paths(out, shards), float("nan")
    else:
        shutil.rmtree(out, ignore_errors=True)
        paths = build_shards(builtin.index, out, shards)
        shard_build = time.perf_counter() - t0
    qs = questions(builtin)
    b_retrieval, b_whole, b_answers = timed_answers(builtin, qs)
    procs, addresses = serve(paths)
    try:
        search = SearchSettings(backend="xapian", shards=tuple(addresses))
        sharded = PaperService(Settings(responses=ROOT / "responses", search=search), loaded)
        x_retrieval, x_whole, x_answers = timed_answers(sharded, qs)
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait()
    return {
        "records": len(builtin.index),
        "shards": shards,
        "questions": len(qs),
        "builtin_build_s": builtin_build,
        "builtin_disk_mb": folder_mb(store_folder([folder])),
        "columns_mb": columns_mb(store_folder([folder])),
        "shard_build_s": shard_build,
        "shard_disk_mb": folder_mb(out),
        "builtin_p50": pct(b_retrieval, 50),
        "builtin_p99": pct(b_retrieval, 99),
        "builtin_whole_p50": pct(b_whole, 50),
        "builtin_whole_p99": pct(b_whole, 99),
        "xapian_p50": pct(x_retrieval, 50),
        "xapian_p99": pct(x_retrieval, 99),
        "xapian_whole_p50": pct(x_whole, 50),
        "xapian_whole_p99": pct(x_whole, 99),
        "different": sum(a != b for a, b in zip(b_answers, x_answers, strict=True)),
    }


def table(rows: list[dict]) -> str:
    head = [
        "records",
        "shards",
        "built-in build s / disk MB",
        "shards build s / disk MB",
        "built-in retrieval p50 / p99 ms",
        "xapian retrieval p50 / p99 ms",
        "built-in whole answer p50 / p99 ms",
        "xapian whole answer p50 / p99 ms",
        "answers that differ",
        "bot-side columns MB",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        lines.append(
            "| "
            + " | ".join(
                [
                    f"{r['records']:,}",
                    str(r["shards"]),
                    f"{r['builtin_build_s']:.1f} / {r['builtin_disk_mb']:.0f}",
                    f"{r['shard_build_s']:.1f} / {r['shard_disk_mb']:.0f}",
                    f"{r['builtin_p50']:.2f} / {r['builtin_p99']:.2f}",
                    f"{r['xapian_p50']:.2f} / {r['xapian_p99']:.2f}",
                    f"{r['builtin_whole_p50']:.2f} / {r['builtin_whole_p99']:.2f}",
                    f"{r['xapian_whole_p50']:.2f} / {r['xapian_whole_p99']:.2f}",
                    f"{r['different']} of {r['questions']}",
                    f"{r['columns_mb']:.0f}",
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def builtin_only(folder: Path, answers_path: Path) -> None:
    service = PaperService.from_paths(Settings(responses=ROOT / "responses"), [folder])
    retrieval, whole, answers = timed_answers(service, questions(service))
    answers_path.write_text("\n".join(json.dumps(a, sort_keys=True) for a in answers) + "\n", encoding="utf-8")
    print(
        f"{len(service.index):,} records, {len(answers)} questions: retrieval p50 {pct(retrieval, 50):.2f} ms, p99 {pct(retrieval, 99):.2f} ms; "
        f"whole answer p50 {pct(whole, 50):.2f} ms, p99 {pct(whole, 99):.2f} ms; answers in {answers_path}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--dir", type=Path, default=None, help="a corpus folder instead of generated ones")
    parser.add_argument(
        "--builtin-only", action="store_true", help="only the built-in engine's times and answers (see --answers)"
    )
    parser.add_argument(
        "--answers", type=Path, default=None, help="with --builtin-only: write the answers here, one JSON line each"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="answer from the store and shards already built (build times shown as nan)"
    )
    parser.add_argument("--out", type=Path, default=None, help="also write the report here (markdown)")
    args = parser.parse_args()
    if args.builtin_only:
        builtin_only(args.dir or corpus_dir(args.sizes[0]), args.answers or Path("answers.jsonl"))
        return
    rows = []
    for folder in [args.dir] if args.dir else [corpus_dir(n) for n in args.sizes]:
        rows.append(run_size(folder, args.shards, args.reuse))
        print(json.dumps(rows[-1]), file=sys.stderr)
    report = "\n".join(
        [
            "# Xapian shards against the built-in engine",
            "",
            f"Produced by `python bench/xapian_bench.py {' '.join(sys.argv[1:])}`".rstrip()
            + f" on {platform.processor() or platform.machine()}, "
            f"{__import__('os').cpu_count()} cores (shared by the bot and every shard server), Python {platform.python_version()}, in one run.",
            "",
            table(rows),
            "",
            "Retrieval = topic ranking (BM25 + RM3 feedback) and filters to the 100-record cap, as bench/bench.py times it; whole answer = "
            "free text to the first page rendered. The shards are built from the built-in index (its records, tokens and term frequencies). "
            "Bot-side columns = the store's arrays a bot on Xapian shards still reads (filters, aggregations, title lookups, vocabulary): all but the "
            "text postings, the rows and the records' file (read on demand).",
        ]
    )
    print(report)
    if args.out:
        args.out.write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

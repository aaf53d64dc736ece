"""Speed benchmark: build, load and answer at 10k, 100k and 1M synthetic records, against naive rank_bm25.

    python bench/bench.py                      # 10k, 100k, 1M; prints a markdown table
    python bench/bench.py --sizes 10000 --out bench/RESULTS.md

Each phase runs in its own process so peak RSS and start-up are measured as a user would see them:
``build`` (parse JSON Lines, index, persist), ``answer`` (open the persisted index, then time 200+
mixed questions: retrieval alone, and the whole answer from free text to rendered reply; top
coauthors; adding 1,000 records), ``naive`` (rank_bm25.BM25Plus.get_scores + top 10 on the same
topic questions and the same tokens, and a check that its top 10 equals ours before feedback).
Corpora are generated once into bench/.cache/ (not committed).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

import gen_corpus  # noqa: E402
import numpy as np  # noqa: E402

from bot.answer.answer import retrieve  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.search.feedback import FeedbackParams  # noqa: E402
from bot.search.store import open_corpus, store_folder  # noqa: E402
from bot.search.tokenizer import STOPWORDS, analyze_word, tokenize  # noqa: E402
from bot.text import words  # noqa: E402

CATEGORY_WORDS = [
    "computer vision",
    "machine learning",
    "robotics",
    "computation and language",
    "cs.AI",
    "statistical machine learning",
]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def corpus_dir(n: int) -> Path:
    folder = HERE / ".cache" / f"synthetic-{n}"
    gen_corpus.write(n, folder / "corpus.jsonl")
    return folder


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


# --- questions ---------------------------------------------------------------------------
def questions(service, count: int = 200, seed: int = 11) -> list[tuple[str, str]]:
    """(kind, question) pairs drawn from the corpus itself: real words, real authors, real titles."""
    rng = random.Random(seed)
    index = service.index
    n = len(index)

    def paper():
        return index.papers[rng.randrange(n)]

    def word() -> str:
        """A topic word as people ask: a distinct content word of some record, held by under 5% of records."""
        while True:
            ws = sorted({w for w in words(paper().abstract) if w not in STOPWORDS and len(w) > 3 and analyze_word(w)})
            ws = [w for w in ws if index.term_frequency(w) < 0.05 * n]
            if ws:
                return rng.choice(ws)

    def author() -> str:
        return rng.choice(paper().authors)

    year = lambda: rng.randrange(2012, 2026)  # noqa: E731
    makers = [
        (60, "topic", lambda: f"papers on {word()} {word()}"),
        (
            30,
            "topic+year",
            lambda: rng.choice(
                [f"{word()} papers after {year()}", f"{word()} between {year() - 3} and {year()}", f"{word()} since {year()}"]
            ),
        ),
        (25, "topic+author", lambda: f"{word()} papers by {author()}"),
        (20, "topic+category", lambda: f"{word()} papers in {rng.choice(CATEGORY_WORDS)}"),
        (
            15,
            "coauthors",
            lambda: rng.choice(["who coauthored most?", f"top coauthors on {word()}", f"who coauthored most with {author()}"]),
        ),
        (
            20,
            "count",
            lambda: rng.choice(
                [f"how many papers in {year()}", f"how many {word()} papers have code", f"how many papers by {author()}"]
            ),
        ),
        (15, "lookup", lambda: rng.choice([f"tell me about {paper().title}", f"who wrote {paper().title}"])),
        (15, "long", lambda: " ".join(words(paper().abstract)[:14])),
    ]
    out = [(kind, make()) for times, kind, make in makers for _ in range(times)]
    while len(out) < count:
        out.append(("topic", f"papers on {word()}"))
    rng.shuffle(out)
    return out


# --- phases (each in its own process) ----------------------------------------------------
def phase_build(folder: Path) -> dict:
    shutil.rmtree(store_folder([folder]).parent, ignore_errors=True)
    started = time.perf_counter()
    loaded = open_corpus([folder], rebuild=True)
    seconds = time.perf_counter() - started
    store = store_folder([folder])
    return {
        "records": len(loaded.index),
        "terms": len(loaded.index.vocab),
        "build_s": seconds,
        "build_rss_mb": peak_rss_mb(),
        "disk_mb": sum(f.stat().st_size for f in store.iterdir()) / 1e6,
    }


def phase_answer(folder: Path) -> dict:
    from bot.answer.service import PaperService

    settings = Settings(responses=ROOT / "responses")
    started = time.perf_counter()
    service = PaperService.from_paths(settings, [folder])
    load_s = time.perf_counter() - started
    assert service.loaded.from_store, "the persisted index was not used"
    qs = questions(service)
    service.warm()  # what the bot does after connecting
    for _, q in qs[:20]:  # warm caches, as a running bot has them
        service.ask(q)
    retrieval, whole, every_page, coauthors = [], [], [], []
    for kind, q in qs:
        query = service.understand(q)
        t0 = time.perf_counter()
        retrieve(query, service.knowledge)
        t1 = time.perf_counter()
        service.ask(q).first()  # the reply as posted: page 1 rendered, the page count known
        t2 = time.perf_counter()
        _ = service.ask(q).pages  # every page, as `paperbot ask` prints
        t3 = time.perf_counter()
        retrieval.append((t1 - t0) * 1e3)
        whole.append((t2 - t1) * 1e3)
        every_page.append((t3 - t2) * 1e3)
        if kind == "coauthors":
            coauthors.append((t2 - t1) * 1e3)
    t0 = time.perf_counter()
    service.ask("who coauthored most?").first()
    all_coauthors = (time.perf_counter() - t0) * 1e3
    bm25_alone = []  # the exact BM25 stage with filters, feedback off: what rank_bm25 would compute
    service.index.feedback = FeedbackParams(docs=0)
    for _, q in qs:
        query = service.understand(q)
        t0 = time.perf_counter()
        retrieve(query, service.knowledge)
        bm25_alone.append((time.perf_counter() - t0) * 1e3)
    service.index.feedback = FeedbackParams()
    answering_rss = peak_rss_mb()
    extra = [_paper(r) for r in gen_corpus.generate(1000, seed=99)]
    t0 = time.perf_counter()
    grown = service.index.appended(extra)
    service.use_index(grown)
    add_s = time.perf_counter() - t0
    return {
        "questions": len(qs),
        "load_s": load_s,
        "retrieval_p50": pct(retrieval, 50),
        "retrieval_p99": pct(retrieval, 99),
        "bm25_p50": pct(bm25_alone, 50),
        "bm25_p99": pct(bm25_alone, 99),
        "whole_p50": pct(whole, 50),
        "whole_p99": pct(whole, 99),
        "pages_p50": pct(every_page, 50),
        "coauthors_p50": pct(coauthors, 50),
        "coauthors_all_ms": all_coauthors,
        "add1000_s": add_s,
        "answer_rss_mb": answering_rss,
        "after_add_rss_mb": peak_rss_mb(),
    }


def _paper(record: dict):
    from bot.sources.jsonl import paper_from_json

    record = dict(record, id="new-" + record["id"])
    return paper_from_json(record, "bench")


def phase_naive(folder: Path, limit: int) -> dict:
    from rank_bm25 import BM25Plus

    from bot.answer.answer import topic_terms
    from bot.answer.service import PaperService

    service = PaperService.from_paths(Settings(responses=ROOT / "responses"), [folder])
    index = service.index
    topical = [q for kind, q in questions(service) if kind.startswith("topic") or kind == "long"][:limit]
    started = time.perf_counter()
    docs = [tokenize(p.title) * index.title_weight + tokenize(p.abstract) for p in index.papers]
    naive = BM25Plus(docs, k1=index.params.k1, b=index.params.b, delta=index.params.delta)
    build_s = time.perf_counter() - started
    times, same = [], 0
    for q in topical:
        terms = topic_terms(service.understand(q).topic, index).terms
        t0 = time.perf_counter()
        scores = naive.get_scores(terms)
        top = np.argsort(-scores, kind="stable")[:10]
        times.append((time.perf_counter() - t0) * 1e3)
        ours = index.bm25.full_scores(index.vocab.query(terms))
        same += bool(np.allclose(scores, ours, atol=1e-6) and np.allclose(scores[top], np.sort(ours)[::-1][:10], atol=1e-6))
    return {
        "naive_build_s": build_s,
        "naive_p50": pct(times, 50),
        "naive_queries": len(times),
        "naive_exact": f"{same}/{len(times)}",
        "naive_rss_mb": peak_rss_mb(),
    }


# --- driver ------------------------------------------------------------------------------
def run_phase(name: str, folder: Path, *extra: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--dir", str(folder), *extra], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def table(rows: list[dict]) -> str:
    head = [
        "records",
        "build s",
        "build peak RSS MB",
        "index on disk MB",
        "start-up s",
        "retrieval p50 / p99 ms",
        "BM25 stage alone p50 / p99 ms",
        "whole answer p50 / p99 ms",
        "all pages p50 ms",
        "coauthors p50 ms (all records)",
        "add 1,000 s",
        "answering peak RSS MB",
        "naive rank_bm25 p50 ms",
        "speed-up (retrieval p50)",
        "same scores as rank_bm25",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        lines.append(
            "| "
            + " | ".join(
                [
                    f"{r['records']:,}",
                    f"{r['build_s']:.1f}",
                    f"{r['build_rss_mb']:.0f}",
                    f"{r['disk_mb']:.0f}",
                    f"{r['load_s']:.2f}",
                    f"{r['retrieval_p50']:.2f} / {r['retrieval_p99']:.2f}",
                    f"{r['bm25_p50']:.2f} / {r['bm25_p99']:.2f}",
                    f"{r['whole_p50']:.2f} / {r['whole_p99']:.2f}",
                    f"{r['pages_p50']:.1f}",
                    f"{r['coauthors_p50']:.1f} ({r['coauthors_all_ms']:.1f})",
                    f"{r['add1000_s']:.2f}",
                    f"{r['answer_rss_mb']:.0f}",
                    f"{r['naive_p50']:.1f} ({r['naive_queries']} q)",
                    f"{r['naive_p50'] / r['retrieval_p50']:.0f}x",
                    r["naive_exact"],
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument(
        "--naive-limit", type=int, default=150, help="topic questions through rank_bm25 (fewer at 1M: it takes ~1 s each)"
    )
    parser.add_argument("--out", type=Path, default=None, help="also write the report here (markdown)")
    parser.add_argument("--phase", choices=["build", "answer", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        result = {
            "build": lambda: phase_build(args.dir),
            "answer": lambda: phase_answer(args.dir),
            "naive": lambda: phase_naive(args.dir, args.naive_limit),
        }[args.phase]()
        print(json.dumps(result))
        return
    rows = []
    for n in args.sizes:
        folder = corpus_dir(n)
        row = run_phase("build", folder)
        row.update(run_phase("answer", folder))
        row.update(
            run_phase("naive", folder, "--naive-limit", str(args.naive_limit if n < 1_000_000 else min(args.naive_limit, 30)))
        )
        rows.append(row)
        print(f"{n:,} records done: {json.dumps(row)}", file=sys.stderr)
    report = "\n".join(
        [
            "# Speed",
            "",
            f"Produced by `python bench/bench.py {' '.join(sys.argv[1:])}`".rstrip()
            + f" on {platform.processor() or platform.machine()}, "
            f"{__import__('os').cpu_count()} cores, Python {platform.python_version()}, in one run. Times are medians (p50) and 99th "
            "percentiles over the run's questions, in milliseconds unless marked s.",
            "",
            table(rows),
            "",
            f"Questions per size: {rows[0]['questions']} (topics; topics with years, authors, categories; coauthors; counts; title lookups; long "
            "requests). Retrieval = topic ranking (BM25 + RM3 feedback re-ranking the best 150) and filters, to the 100-record cap, as the bot answers; "
            "BM25 stage alone = the same with feedback off (the exact scores rank_bm25 computes, with pruning and filters), timed in a second pass; whole answer = free text to rendered reply as first posted (page 1 rendered, page count known; Discord renders other pages when flipped); all pages = every page rendered, as `paperbot ask` prints. Naive = `rank_bm25.BM25Plus.get_scores` + top 10 on the same tokens (title x3 + abstract); 'same scores' counts questions whose "
            "every document score equals ours to 1e-6.",
        ]
    )
    print(report)
    if args.out:
        args.out.write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

"""Search quality, paperbot against peer BM25 implementations, on classic test collections.

Usage: python bench/quality.py [DIR ...]   (default: bench/data/cranfield bench/data/cisi)
Prints a markdown table of nDCG@10, MAP@100 and Recall@100 and writes bench/QUALITY.md.
Every system indexes title + text and runs each query as a plain topic search, top 100.
Peers need the bench extras: pip install -e '.[bench]'.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.eval.ir import evaluate_collection, load_qrels, score_run  # noqa: E402
from bot.search.tokenizer import STOPWORDS  # noqa: E402

TOP = 100
Run = dict[str, dict[str, float]]
System = Callable[[list[dict], list[dict]], Run]


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _full_text(doc: dict) -> str:
    return f"{doc.get('title', '')} {doc.get('text', '')}"


def _top(scores: np.ndarray, ids: list[str]) -> dict[str, float]:
    order = np.argsort(-scores, kind="stable")[:TOP]
    return {ids[i]: float(scores[i]) for i in order}


def rank_bm25_naive(docs: list[dict], queries: list[dict]) -> Run:
    from rank_bm25 import BM25Okapi

    tok = lambda text: re.findall(r"\w+", text.lower())  # noqa: E731
    bm25 = BM25Okapi([tok(_full_text(d)) for d in docs])
    ids = [str(d["id"]) for d in docs]
    return {str(q["id"]): _top(bm25.get_scores(tok(q["text"])), ids) for q in queries}


def rank_bm25_stemmed(docs: list[dict], queries: list[dict]) -> Run:
    import Stemmer
    from rank_bm25 import BM25Okapi

    stemmer = Stemmer.Stemmer("english")

    def tok(text: str) -> list[str]:
        return stemmer.stemWords([w for w in re.findall(r"\w+", text.lower()) if w not in STOPWORDS])

    bm25 = BM25Okapi([tok(_full_text(d)) for d in docs])
    ids = [str(d["id"]) for d in docs]
    return {str(q["id"]): _top(bm25.get_scores(tok(q["text"])), ids) for q in queries}


def bm25s_lucene(docs: list[dict], queries: list[dict]) -> Run:
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    retriever = bm25s.BM25(method="lucene", k1=1.5, b=0.75)
    retriever.index(
        bm25s.tokenize([_full_text(d) for d in docs], stopwords="en", stemmer=stemmer, show_progress=False), show_progress=False
    )
    ids = [str(d["id"]) for d in docs]
    run: Run = {}
    for q in queries:
        tokens = bm25s.tokenize([q["text"]], stopwords="en", stemmer=stemmer, show_progress=False)
        if not tokens.vocab:
            run[str(q["id"])] = {}
            continue
        results, scores = retriever.retrieve(tokens, k=min(TOP, len(docs)), show_progress=False)
        run[str(q["id"])] = {ids[int(i)]: float(s) for i, s in zip(results[0], scores[0], strict=True) if s > 0}
    return run


def tantivy_en_stem(docs: list[dict], queries: list[dict]) -> Run:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", tokenizer_name="en_stem")
    builder.add_text_field("body", tokenizer_name="en_stem")
    schema = builder.build()
    with tempfile.TemporaryDirectory() as folder:
        index = tantivy.Index(schema, path=folder)
        writer = index.writer()
        for d in docs:
            writer.add_document(tantivy.Document(id=str(d["id"]), title=d.get("title", ""), body=d.get("text", "")))
        writer.commit()
        index.reload()
        searcher = index.searcher()
        run: Run = {}
        for q in queries:
            text = " ".join(re.findall(r"\w+", q["text"]))
            if not text:
                run[str(q["id"])] = {}
                continue
            query = index.parse_query(text, ["title", "body"])
            hits = searcher.search(query, TOP).hits
            run[str(q["id"])] = {searcher.doc(addr)["id"][0]: float(score) for score, addr in hits}
    return run


PEERS: dict[str, System] = {
    "rank-bm25 naive": rank_bm25_naive,
    "rank-bm25 + stem/stop": rank_bm25_stemmed,
    "bm25s (lucene)": bm25s_lucene,
    "tantivy (en_stem)": tantivy_en_stem,
}


def measure(folder: Path) -> dict[str, dict[str, float]]:
    docs, queries = _rows(folder / "corpus.jsonl"), _rows(folder / "queries.jsonl")
    qrels = load_qrels(folder / "qrels.tsv")
    results: dict[str, dict[str, float]] = {}
    for name, system in PEERS.items():
        try:
            results[name] = score_run(system(docs, queries), qrels)
        except ImportError as exc:
            print(f"skipping {name}: {exc} (pip install -e '.[bench]')", file=sys.stderr)
    started = time.perf_counter()
    results["paperbot"] = evaluate_collection(folder, top=TOP).measures
    results["paperbot"]["seconds"] = time.perf_counter() - started
    return results


def table(all_results: dict[str, dict[str, dict[str, float]]]) -> str:
    lines = ["| collection | system | nDCG@10 | MAP@100 | Recall@100 |", "|---|---|---|---|---|"]
    for collection, results in all_results.items():
        best_ndcg = max(v["nDCG@10"] for k, v in results.items() if k != "paperbot")
        best_map = max(v["AP@100"] for k, v in results.items() if k != "paperbot")
        for name, m in results.items():
            mark = ""
            if name == "paperbot":
                mark = f" ({m['nDCG@10'] - best_ndcg:+.3f} / {m['AP@100'] - best_map:+.3f} vs best peer)"
            lines.append(f"| {collection} | {name}{mark} | {m['nDCG@10']:.4f} | {m['AP@100']:.4f} | {m['R@100']:.4f} |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or [ROOT / "bench" / "data" / "cranfield", ROOT / "bench" / "data" / "cisi"]
    all_results = {f.name: measure(f) for f in folders}
    report = table(all_results)
    print(report)
    if not argv:
        (ROOT / "bench" / "QUALITY.md").write_text(
            "# Search quality\n\nProduced by `python bench/quality.py` (one run, this machine). "
            "Measures follow trec_eval (nDCG@10 linear gains; MAP and recall cut at 100).\n\n" + report + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

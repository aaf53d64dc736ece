"""``paperbot eval-ir``: run a test collection through the bot's own topic ranking and score it.

Layout: ``corpus.jsonl`` (id, title, text), ``queries.jsonl`` (id, text), ``qrels.tsv`` (query-id,
corpus-id, score). Measures follow trec_eval: nDCG@10 with linear gains, AP cut at 100, recall at
100; ties in score are ordered by docid descending, as trec_eval does; queries without judgments
are left out.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.errors import CorpusError
from bot.records import Paper
from bot.search.index import PaperIndex
from bot.search.tokenizer import tokenize

Run = dict[str, dict[str, float]]
Qrels = dict[str, dict[str, int]]


@dataclass(frozen=True, slots=True)
class IRResult:
    queries: int
    docs: int
    measures: dict[str, float]
    run: Run


def _jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        raise CorpusError(f"missing {path}")
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):  # JSON strings may hold U+2028
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
        if not isinstance(row, dict) or row.get("id", row.get("_id")) is None:
            raise CorpusError(f'{path}:{number}: each line needs an "id" (or "_id")')
        rows.append(row)
    return rows


def _id(row: dict[str, Any]) -> str:
    return str(row.get("id", row.get("_id")))


def load_qrels(path: Path) -> Qrels:
    """``query-id corpus-id score`` (tab or space separated, header optional), or TREC's ``qid 0 docid rel``."""
    if not path.exists():
        raise CorpusError(f"missing {path}")
    qrels: Qrels = defaultdict(dict)
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 4:
            parts = [parts[0], parts[2], parts[3]]
        if len(parts) != 3:
            continue
        try:
            qrels[parts[0]][parts[1]] = int(float(parts[2]))
        except ValueError:
            continue  # the header line
    return dict(qrels)


def collection_papers(rows: list[dict[str, Any]]) -> list[Paper]:
    """Collection documents as records: ``text`` is the abstract."""
    epoch = dt.date(2000, 1, 1)
    return [
        Paper(id=_id(r), title=str(r.get("title") or ""), authors=(), date=epoch, abstract=str(r.get("text") or "")) for r in rows
    ]


def ranked(run: dict[str, float]) -> list[str]:
    """trec_eval's order: score descending, then docid descending."""
    return [d for d, _ in sorted(run.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)]


def ndcg(docs: list[str], rels: dict[str, int], k: int = 10) -> float:
    dcg = sum(rels.get(d, 0) / math.log2(i + 2) for i, d in enumerate(docs[:k]) if rels.get(d, 0) > 0)
    ideal = sorted((g for g in rels.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def average_precision(docs: list[str], rels: dict[str, int], k: int = 100) -> float:
    relevant = sum(1 for g in rels.values() if g > 0)
    if not relevant:
        return 0.0
    hits, total = 0, 0.0
    for i, d in enumerate(docs[:k]):
        if rels.get(d, 0) > 0:
            hits += 1
            total += hits / (i + 1)
    return total / relevant


def recall(docs: list[str], rels: dict[str, int], k: int = 100) -> float:
    relevant = {d for d, g in rels.items() if g > 0}
    return len(relevant & set(docs[:k])) / len(relevant) if relevant else 0.0


def score_run(run: Run, qrels: Qrels) -> dict[str, float]:
    """Mean nDCG@10, AP@100 and R@100 over the judged queries."""
    judged = [q for q in qrels if q in run]
    if not judged:
        return {"nDCG@10": 0.0, "AP@100": 0.0, "R@100": 0.0}
    sums = {"nDCG@10": 0.0, "AP@100": 0.0, "R@100": 0.0}
    for q in judged:
        docs = ranked(run[q])
        sums["nDCG@10"] += ndcg(docs, qrels[q])
        sums["AP@100"] += average_precision(docs, qrels[q])
        sums["R@100"] += recall(docs, qrels[q])
    return {name: total / len(judged) for name, total in sums.items()}


def write_run(run: Run, path: Path, tag: str = "paperbot") -> None:
    with path.open("w", encoding="utf-8") as out:
        for qid, docs in run.items():
            for rank, doc in enumerate(ranked(docs), start=1):
                out.write(f"{qid} Q0 {doc} {rank} {docs[doc]:.6f} {tag}\n")


def evaluate_collection(folder: Path, top: int = 100, run_path: Path | None = None) -> IRResult:
    """Index the collection exactly as the bot indexes records and run every query as a topic search."""
    papers = collection_papers(_jsonl(folder / "corpus.jsonl"))
    queries = _jsonl(folder / "queries.jsonl")
    qrels = load_qrels(folder / "qrels.tsv")
    index = PaperIndex(papers)
    run: Run = {}
    for query in queries:
        hits = index.search(tokenize(str(query.get("text") or query.get("query") or "")), k=top)
        run[_id(query)] = {papers[h.doc].id: h.score for h in hits}
    if run_path:
        write_run(run, run_path)
    return IRResult(len(queries), len(papers), score_run(run, qrels), run)

"""eval-ir: our trec_eval measures agree with ir-measures, and the CLI prints them."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import ir_measures
import pytest
from ir_measures import AP, R, nDCG

from bot.eval.ir import score_run
from conftest import ROOT


def test_measures_match_ir_measures():
    rng = random.Random(7)
    qrels = {f"q{q}": {f"d{d}": rng.choice([0, 1, 2, 3]) for d in rng.sample(range(60), 15)} for q in range(12)}
    run = {f"q{q}": {f"d{d}": round(rng.random(), 2) for d in rng.sample(range(60), 40)} for q in range(12)}
    ours = score_run(run, qrels)
    ref = ir_measures.calc_aggregate([nDCG @ 10, AP @ 100, R @ 100], qrels, run)
    assert ours["nDCG@10"] == pytest.approx(ref[nDCG @ 10], abs=1e-9)
    assert ours["AP@100"] == pytest.approx(ref[AP @ 100], abs=1e-9)
    assert ours["R@100"] == pytest.approx(ref[R @ 100], abs=1e-9)


def test_eval_ir_cli_writes_a_trec_run(tmp_path: Path):
    folder = tmp_path / "tiny"
    folder.mkdir()
    docs = [
        ("1", "wing flow", "flow over a swept wing"),
        ("2", "heat transfer", "heat transfer in slabs"),
        ("3", "boundary layer", "laminar boundary layer flow"),
    ]
    (folder / "corpus.jsonl").write_text("".join(json.dumps({"id": i, "title": t, "text": x}) + "\n" for i, t, x in docs))
    (folder / "queries.jsonl").write_text(json.dumps({"id": "1", "text": "flow over wings"}) + "\n")
    (folder / "qrels.tsv").write_text("query-id\tcorpus-id\tscore\n1\t1\t2\n1\t3\t1\n")
    run = tmp_path / "run.txt"
    out = subprocess.run(
        [sys.executable, "-m", "bot", "eval-ir", str(folder), "--run", str(run)], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert "nDCG@10\t1.0000" in out.stdout
    first = run.read_text().splitlines()[0].split()
    assert first[:4] == ["1", "Q0", "1", "1"] and first[5] == "paperbot"


def test_beir_ids_and_trec_qrels_are_read(tmp_path):
    from bot.eval.ir import evaluate_collection

    (tmp_path / "corpus.jsonl").write_text(
        '{"_id": "d1", "title": "Apples", "text": "apples and oranges are fruit"}\n'
        '{"_id": "d2", "text": "cars and trucks are vehicles"}\n'
        '{"_id": "d3", "title": null, "text": "fruit salad with apples"}\n'
    )
    (tmp_path / "queries.jsonl").write_text('{"_id": "q1", "text": "apple fruit"}\n{"_id": "q2", "text": "vehicles"}\n')
    (tmp_path / "qrels.tsv").write_text("q1 0 d1 1\nq1 0 d3 2\nq2 0 d2 1\n")  # TREC layout, no header
    result = evaluate_collection(tmp_path)
    assert result.queries == 2 and result.docs == 3
    assert result.measures["R@100"] == 1.0 and set(result.run["q1"]) == {"d1", "d3"}

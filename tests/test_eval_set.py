"""The evaluation set answers correctly end to end (`paperbot eval`), in every category the issue names."""

from __future__ import annotations

import yaml

from bot.eval.questions import run_eval
from conftest import ROOT

CATEGORIES = {
    "unknown_words", "operators", "top_people", "single_lookup", "multiword_topic", "names", "discord_markup",
    "acronyms", "missing_data", "other_language", "length", "reply_text", "works_today",
}  # fmt: skip


def test_every_evaluation_question_is_answered_correctly(seed):
    report = run_eval(seed, ROOT / "tests" / "eval" / "questions.yaml")
    assert report.total >= 200
    assert set(report.categories) == CATEGORIES
    assert report.failures == []


HELDOUT_PASSED = 275  # of 295 (274 at the end of session 11, 271 of session 10, 270 of session 9, 267 of session 8, 265 of session 7, 256 of session 6); measured, never tuned on


HELDOUT_14_PASSED = 325  # of 330, at the start and the end of session 14; written later by three helpers, never seen


def test_later_held_out_set_keeps_its_measured_accuracy(seed):
    """A second held-out set, written in session 14 by helpers who never read the code and measured only as totals."""
    report = run_eval(seed, ROOT / "tests" / "eval" / "heldout" / "session14" / "questions.yaml")
    assert report.total == 330
    assert report.passed >= HELDOUT_14_PASSED, f"{report.passed}/{report.total}"  # its failures are never printed


def test_held_out_half_keeps_its_measured_accuracy(seed):
    """The held-out half was written by someone who had not read the code; it may only get better."""
    report = run_eval(seed, ROOT / "tests" / "eval" / "heldout" / "questions.yaml")
    assert report.total >= 200
    assert report.passed >= HELDOUT_PASSED, f"{report.passed}/{report.total}"  # its failures are never printed


def test_verbose_eval_prints_dev_failures_never_held_out_ones(tmp_path, capsys, monkeypatch):
    """`paperbot eval -v` lists the dev set's failing questions to work on; a held-out set's failures are never
    printed (read, they would be tuned on), only its totals."""
    from bot.cli import main

    wrong = [{"question": "papers from 2019", "category": "works_today", "count": 99}]
    dev, held = tmp_path / "dev.yaml", tmp_path / "held.yaml"
    dev.write_text(yaml.safe_dump([{**wrong[0], "question": "papers from 2016"}]))
    held.write_text(yaml.safe_dump(wrong))
    monkeypatch.chdir(ROOT)
    assert main(["eval", str(dev), "--heldout", str(held), "-v"]) == 0
    out = capsys.readouterr().out
    assert "FAIL [works_today] 'papers from 2016'" in out
    assert "papers from 2019" not in out and "held-out" in out and "0/1" in out

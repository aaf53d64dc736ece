"""The evaluation set answers correctly end to end (`paperbot eval`)."""

from __future__ import annotations

from bot.eval.questions import run_eval
from conftest import ROOT


def test_every_evaluation_question_is_answered_correctly(seed):
    report = run_eval(seed, ROOT / "tests" / "eval" / "questions.yaml")
    assert report.total >= 30
    assert report.failures == []

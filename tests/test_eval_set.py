"""The evaluation set answers correctly end to end (`paperbot eval`), in every category the issue names."""

from __future__ import annotations

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


def test_held_out_half_keeps_its_measured_accuracy(seed):
    """The held-out half was written by someone who had not read the code; it may only get better."""
    report = run_eval(seed, ROOT / "tests" / "eval" / "heldout" / "questions.yaml")
    assert report.total >= 200
    assert report.passed >= HELDOUT_PASSED, "\n".join(report.failures)

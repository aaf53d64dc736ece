"""``paperbot eval``: accuracy of answers on a YAML set of questions with expected titles or facts.

Each entry: ``question`` and any of ``intent``, ``titles`` (all must be among the records),
``top`` (the first record's title), ``count`` (number of records), ``absent`` (titles that must not
appear), ``text`` (substrings of the reply), ``none`` (true: no records), ``flag`` (true: the reply
must say it did not understand part of the question, that the corpus lacks the data, or that only
English is understood; false: it must not), and ``category`` (accuracy is reported per category).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.errors import PaperBotError

FIXED_TODAY = dt.date(2026, 11, 25)


@dataclass(slots=True)
class EvalReport:
    total: int = 0
    passed: int = 0
    failures: list[str] = field(default_factory=list)
    categories: dict[str, list[int]] = field(default_factory=dict)  # category -> [passed, total]

    @property
    def accuracy(self) -> float:
        return self.passed / self.total if self.total else 0.0

    def add(self, category: str, ok: bool) -> None:
        tally = self.categories.setdefault(category, [0, 0])
        tally[0] += ok
        tally[1] += 1
        self.total += 1
        self.passed += ok

    def lines(self) -> list[str]:
        """Accuracy per category, then overall."""
        rows = [f"  {name:<18} {p:>3}/{t:<3} {p / t:6.1%}" for name, (p, t) in sorted(self.categories.items())]
        return [*rows, f"  {'all':<18} {self.passed:>3}/{self.total:<3} {self.accuracy:6.1%}"]


def flagged(answer: Any) -> bool:
    """Does the reply say it did not understand part of the question, or that the corpus lacks the data?"""
    q = answer.reply.query
    context = answer.reply.context
    return bool(
        q.set_aside
        or q.caveat
        or q.missing
        or q.unknown_authors
        or q.ambiguous
        or context.get("partial")
        or any(
            "no paper is titled" in str(n)
            or "no record mentions" in str(n)
            or str(n).startswith(("the corpus holds no", "the corpus holds only", "the corpus does not", "I cannot"))
            for n in answer.reply.notes
        )
        or any(str(h).startswith("no record") and not str(h).startswith("no record is dated") for h in context.get("hints", []))
        # "papers in 2018": none, because none are dated so; a full answer, not a part it could not read
    )


def check(answer: Any, case: dict[str, Any]) -> list[str]:
    """Problems with one answer against one case (empty when it is right)."""
    problems: list[str] = []
    titles = [r.title for r in answer.reply.records]
    lowered = [t.lower() for t in titles]
    if "intent" in case and answer.intent != case["intent"]:
        problems.append(f"intent {answer.intent!r} != {case['intent']!r}")
    for title in case.get("titles", []):
        if not any(title.lower() in t for t in lowered):
            problems.append(f"missing {title!r}")
    if "top" in case and (not lowered or case["top"].lower() not in lowered[0]):
        problems.append(f"top is {titles[0] if titles else None!r}, wanted {case['top']!r}")
    if "count" in case and len(titles) != case["count"]:
        problems.append(f"{len(titles)} records, wanted {case['count']}")
    for title in case.get("absent", []):
        if any(title.lower() in t for t in lowered):
            problems.append(f"unexpected {title!r}")
    for snippet in case.get("text", []):
        if str(snippet).lower() not in answer.text.lower():
            problems.append(f"text lacks {snippet!r}")
    if case.get("none") and titles:
        problems.append(f"wanted no records, got {len(titles)}")
    if "flag" in case and flagged(answer) != bool(case["flag"]):
        problems.append(
            "the reply does not say what it could not answer" if case["flag"] else "the reply flags a question it understood"
        )
    return problems


def load_cases(path: Path) -> list[dict[str, Any]]:
    try:
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PaperBotError(f"cannot read evaluation set {path}: {exc}") from None
    if not isinstance(cases, list) or not all(isinstance(c, dict) and "question" in c for c in cases):
        raise PaperBotError(f"{path}: expected a list of entries with a 'question'")
    return cases


def run_eval(service: Any, path: Path, today: dt.date = FIXED_TODAY) -> EvalReport:
    report = EvalReport()
    for case in load_cases(path):
        answer = service.ask(str(case["question"]), today=today)
        problems = check(answer, case)
        report.add(str(case.get("category", "works_today")), not problems)
        if problems:
            report.failures.append(f"[{case.get('category', 'works_today')}] {case['question']!r}: " + "; ".join(problems))
    return report

"""``paperbot eval``: accuracy of answers on a YAML set of questions with expected titles or facts.

Each entry: ``question`` and any of ``intent``, ``titles`` (all must be among the records),
``top`` (the first record's title), ``count`` (number of records), ``absent`` (titles that must not
appear), ``text`` (substrings of the reply), ``none`` (true: no records).
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

    @property
    def accuracy(self) -> float:
        return self.passed / self.total if self.total else 0.0


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
        report.total += 1
        if problems:
            report.failures.append(f"{case['question']!r}: " + "; ".join(problems))
        else:
            report.passed += 1
    return report

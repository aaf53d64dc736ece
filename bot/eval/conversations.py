"""``paperbot eval`` on conversations: every turn of every conversation scored against what it expects.

A conversation file is a list of ``{conversation: name, category: ..., turns: [{say: ..., <expectations>}]}``.
A turn's expectations are those of a question (``intent``, ``titles``, ``top``, ``count``, ``absent``,
``text``, ``none``; see bot.eval.questions) plus ``follows`` (true: the turn used the previous
context; false: it did not) and ``hint`` (true: a short nothing-to-follow hint with no records).
Each conversation runs in its own context, as one user in one place.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from bot.answer.conversation import Conversations
from bot.errors import PaperBotError

from .questions import FIXED_TODAY, EvalReport, check

CATEGORIES = ("refine", "replace_remove", "topic_swap", "reference", "reference_lookup", "paging", "reset", "no_context", "mixed")
HINT_LENGTH = 400  # a hint is short: never a list of papers


def turn_problems(answer: Any, turn: dict[str, Any]) -> list[str]:
    """Problems with one turn's answer (empty when it is right)."""
    problems = check(answer, turn)
    if "follows" in turn and bool(answer.follows) != bool(turn["follows"]):
        problems.append(f"follows is {answer.follows is not None}, wanted {bool(turn['follows'])}")
    if turn.get("hint") and (answer.intent != "hint" or answer.reply.records or len(answer.text) > HINT_LENGTH):
        problems.append(f"wanted a short hint, got intent {answer.intent!r} with {len(answer.reply.records)} records")
    return problems


def load_conversations(path: Path) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PaperBotError(f"cannot read conversations {path}: {exc}") from None
    ok = isinstance(data, list) and all(
        isinstance(c, dict)
        and "conversation" in c
        and isinstance(c.get("turns"), list)
        and all(isinstance(t, dict) and "say" in t for t in c["turns"])
        for c in data
    )
    if not ok:
        raise PaperBotError(f"{path}: expected a list of {{conversation, category, turns: [{{say, ...}}]}}")
    return data


def is_conversation_file(path: Path) -> bool:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return False
    return isinstance(data, list) and bool(data) and isinstance(data[0], dict) and "conversation" in data[0]


def run_conversations(service: Any, path: Path, today: dt.date = FIXED_TODAY) -> EvalReport:
    """Turn accuracy over a conversation file; each failure names the conversation, turn and problems."""
    report = EvalReport()
    for conversation in load_conversations(path):
        chat = Conversations(service)
        for number, turn in enumerate(conversation["turns"], start=1):
            answer = chat.say("eval", str(turn["say"]), today=today)
            problems = turn_problems(answer, turn)
            report.add(str(conversation.get("category", "mixed")), not problems)
            if problems:
                report.failures.append(f"{conversation['conversation']} turn {number} {turn['say']!r}: " + "; ".join(problems))
    return report

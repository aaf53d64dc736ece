"""No SQLite call on the event loop: in the Discord layer every Library call that can touch the database
goes through asyncio.to_thread, so a locked database never stalls answers (Discord's 3 s deadline).
Library methods that compute from a subscription alone are allowed; anything new must be added here
with a reason, or go through a thread."""

from __future__ import annotations

import ast

from conftest import ROOT

PURE = {"schedule", "next_digest", "request_key"}  # clock arithmetic and hashing: no database
THREADED_HOOKS = {"due", "mark_done"}  # DeliveryLoop runs these cog methods through asyncio.to_thread (checked below)


def _calls_outside_threads(tree: ast.AST) -> list[str]:
    threaded: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "to_thread":
            for arg in node.args:
                threaded.update(id(n) for n in ast.walk(arg))
        if isinstance(node, ast.FunctionDef) and node.name in THREADED_HOOKS:
            threaded.update(id(n) for n in ast.walk(node))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and id(node) not in threaded:
            owner = node.func.value
            name = getattr(owner, "attr", None) or getattr(owner, "id", None)
            if name in ("library", "Library") and node.func.attr not in PURE:
                found.append(f"{node.func.attr} (line {node.lineno})")
    return found


def test_the_discord_layer_reaches_the_database_only_through_threads() -> None:
    offenders = {}
    for path in sorted((ROOT / "bot" / "discord").rglob("*.py")):
        if path.name == "app.py":
            continue  # run_bot opens and closes the Library before and after the event loop
        found = _calls_outside_threads(ast.parse(path.read_text(encoding="utf-8")))
        if found:
            offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}


def test_the_delivery_loop_runs_its_database_hooks_in_threads() -> None:
    """The hooks the check above trusts are only ever called through asyncio.to_thread."""
    source = (ROOT / "bot" / "discord" / "cogs" / "delivery.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    direct = [
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in THREADED_HOOKS
    ]
    assert direct == []  # never called on the loop
    assert "asyncio.to_thread(self.due)" in source and "asyncio.to_thread(self.mark_done, " in source

"""Project-wide rules: the core never imports discord, ruff is clean, every template renders."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

DISCORD_LAYER = {"app.py", "ui.py"}


def test_core_modules_do_not_import_discord():
    offenders = []
    for path in (ROOT / "bot").glob("*.py"):
        if path.name in DISCORD_LAYER:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n == "discord" or n.startswith("discord.") for n in names):
                offenders.append(path.name)
    assert offenders == []


def test_ask_does_not_import_discord():
    code = "import sys; from bot.cli import main; main(['ask', 'h-index']); assert 'discord' not in sys.modules, 'discord imported'"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "111" in result.stdout


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is installed by the test extras")
def test_ruff_is_clean():
    result = subprocess.run(["ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout

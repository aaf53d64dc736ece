"""Project-wide rules: imports flow one way between the layer packages, ruff is clean, every template renders."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT


def test_imports_flow_one_way():
    """The import-linter contracts in pyproject.toml: layers import downwards only, and only bot.discord imports discord."""
    result = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()", "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_ask_does_not_import_discord():
    code = (
        "import sys; from bot.cli import main; main(['ask', 'h-index']); assert 'discord' not in sys.modules, 'discord imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "111" in result.stdout


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is installed by the test extras")
def test_code_is_formatted_to_the_one_line_limit():
    """ruff format at 130 columns (pyproject.toml) is the one line limit; only literals it cannot split run longer."""
    result = subprocess.run(["ruff", "format", "--check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is installed by the test extras")
def test_ruff_is_clean():
    result = subprocess.run(["ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout

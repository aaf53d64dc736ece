"""paperbot runs from any folder: templates ship inside the package, config paths are relative to the
config file, and ``paperbot init`` sets up a folder. (CI also installs the project without -e into a
fresh venv and runs the same steps: .ci/install-check.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_ask_from_another_folder_finds_its_templates(tmp_path: Path) -> None:
    out = run("ask", "--corpus", str(ROOT / "corpus"), "papers on diffusion", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "understood as: topic: diffusion" in out.stdout and "Traceback" not in out.stderr


def test_init_then_ask_from_anywhere(tmp_path: Path) -> None:
    out = run("init", "site", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "site" / "config.yaml").read_text() == (ROOT / "config.yaml").read_text()  # one commented config
    assert (tmp_path / "site" / "corpus" / "ben-poole-profile.txt").read_bytes() == (
        ROOT / "corpus" / "ben-poole-profile.txt"
    ).read_bytes()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = run("ask", "--json", "--config", "../site/config.yaml", "who coauthored most?", cwd=elsewhere)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["intent"] == "coauthors"
    again = run("init", "site", cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr


def test_a_responses_folder_in_config_overrides_templates_one_by_one(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "help.md.j2").write_text("Our own help for {{ total }} papers.\n")
    (tmp_path / "config.yaml").write_text(f"corpus: [{ROOT / 'corpus'}]\nresponses: mine\n")
    elsewhere = tmp_path / "x"
    elsewhere.mkdir()
    assert run("ask", "--config", "../config.yaml", "help", cwd=elsewhere).stdout.strip() == "Our own help for 46 papers."
    assert (
        "understood as: topic: diffusion" in run("ask", "--config", "../config.yaml", "papers on diffusion", cwd=elsewhere).stdout
    )
    (tmp_path / "config.yaml").write_text(f"corpus: [{ROOT / 'corpus'}]\nresponses: missing\n")
    out = run("ask", "--config", "../config.yaml", "help", cwd=elsewhere)
    assert out.returncode == 2 and "is not a folder of templates" in out.stderr

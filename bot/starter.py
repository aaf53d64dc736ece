"""``paperbot init DIR``: a folder to run paperbot from, with a commented config and the example corpus.

Both come from inside the installed package (``starter_config.yaml`` and the data package
``bot.example``, which is the repository's ``corpus/``), so a plain ``pip install`` can set up a
folder anywhere. Nothing is overwritten.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from .errors import PaperBotError

EXAMPLE = "ben-poole-profile.txt"


def write_starter(folder: Path) -> list[Path]:
    """Write ``config.yaml`` and ``corpus/`` with the example profile page into ``folder``; returns what was written."""
    config, corpus = folder / "config.yaml", folder / "corpus"
    if config.exists():
        raise PaperBotError(f"{config} already exists; not overwriting it")
    corpus.mkdir(parents=True, exist_ok=True)
    page = corpus / EXAMPLE
    written = [config]
    config.write_text(
        importlib.resources.files("bot").joinpath("starter_config.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    if not page.exists():
        page.write_text(importlib.resources.files("bot.example").joinpath(EXAMPLE).read_text(encoding="utf-8"), encoding="utf-8")
        written.append(page)
    return written

"""Temporary build folders that name the process that owns them, so the next run removes those whose
owner died (a build killed with SIGKILL cannot clean up after itself: each left about 30 MB per
10k records behind before this).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

log = logging.getLogger("paperbot.store")
PREFIX = ".tmp-"
_OWNED = re.compile(r"^\.tmp-(\d+)-")
UNOWNED_AGE = 24 * 3600.0  # a folder from an older paperbot names no owner: removed once this old


def make(parent: Path) -> Path:
    """A new temporary folder in ``parent`` named after this process."""
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=parent))


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def sweep(parent: Path) -> list[Path]:
    """Remove the temporary folders in ``parent`` whose owner is dead; returns them."""
    removed: list[Path] = []
    try:
        candidates = [p for p in parent.iterdir() if p.name.startswith(PREFIX) and p.is_dir()]
    except OSError:
        return removed
    for path in candidates:
        owner = _OWNED.match(path.name)
        try:
            dead = not alive(int(owner.group(1))) if owner else time.time() - path.stat().st_mtime > UNOWNED_AGE
        except OSError:
            continue
        if dead:
            shutil.rmtree(path, ignore_errors=True)
            log.info("removed %s, left by a build that did not finish", path)
            removed.append(path)
    return removed

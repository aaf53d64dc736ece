"""Integrity of an index store: a damaged store is rebuilt, never answered from.

The manifest records every store file's size, mtime and sha256 and each array's dtype and shape
(``stored_files``, when the store is written). Every load checks sizes and mtimes (``check_files``)
and array headers against it: free (a stat, and the header np.load reads anyway), and it catches
truncation, a 0-byte or deleted file, and any rewrite (whose new mtime makes that one file hashed
before use). ``verify`` hashes every file: the bot runs it in the background after start-up and
``paperbot index --verify`` in the foreground, for damage that keeps size and mtime (bit rot).
Costs: bench/RESULTS.md, "Integrity checks of the index store".
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from bot.errors import PaperBotError


class StoreDamaged(PaperBotError):
    """A store file is missing, cut short or changed since it was written: the store must not answer."""


def damaged(folder: Path, name: str, problem: str) -> StoreDamaged:
    return StoreDamaged(f"the index store at {folder} is damaged ({name}: {problem}); run `paperbot index --rebuild`")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def header(array: np.ndarray) -> dict[str, Any]:
    return {"dtype": array.dtype.str, "shape": list(array.shape)}


def stored_files(folder: Path) -> dict[str, dict[str, Any]]:
    """Size, mtime and sha256 of every file of a store being written (two at a time: hashlib releases the GIL)."""
    paths = sorted(p for p in folder.iterdir() if p.name != "manifest.json")
    with ThreadPoolExecutor(2) as pool:
        digests = list(pool.map(sha256_file, paths))
    return {
        p.name: {"size": (st := p.stat()).st_size, "mtime_ns": st.st_mtime_ns, "sha256": d}
        for p, d in zip(paths, digests, strict=True)
    }


def check_files(folder: Path, manifest: dict[str, Any]) -> bool:
    """Every store file is there with the size it was written with; a file whose mtime changed is
    hashed now. Raises StoreDamaged; returns whether mtimes changed with the content intact (copied)."""
    touched = False
    for name, entry in manifest["store_files"].items():
        try:
            st = (folder / name).stat()
        except OSError as exc:
            raise damaged(folder, name, exc.strerror or str(exc)) from None
        if st.st_size != entry["size"]:
            raise damaged(folder, name, f"{st.st_size} bytes, {entry['size']} written")
        if st.st_mtime_ns != entry["mtime_ns"]:
            if sha256_file(folder / name) != entry["sha256"]:
                raise damaged(folder, name, "changed since it was written (checksum differs)")
            entry["mtime_ns"], touched = st.st_mtime_ns, True
    return touched


def verify(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """Hash every store file against the manifest; returns the problems (none: the store is intact)."""
    problems = []
    for name, entry in manifest["store_files"].items():
        try:
            if sha256_file(folder / name) != entry["sha256"]:
                problems.append(f"{name}: checksum differs from the one written")
        except OSError as exc:
            problems.append(f"{name}: {exc.strerror or exc}")
    return problems


_FILE_KEYS = {"path": str, "size": int, "mtime_ns": int, "sha256": str}
_STORED_KEYS = {"size": int, "mtime_ns": int, "sha256": str}


def complete(manifest: Any) -> bool:
    """The manifest has every key a load reads, with the right types (an entry without sha256 is a rebuild, not a KeyError)."""
    if not isinstance(manifest, dict):
        return False
    files, stored, arrays = manifest.get("files"), manifest.get("store_files"), manifest.get("arrays")
    if not (
        isinstance(files, list)
        and isinstance(stored, dict)
        and isinstance(arrays, dict)
        and isinstance(manifest.get("warnings"), list)
    ):
        return False
    if (
        not isinstance(manifest.get("title_weight"), int)
        or not isinstance(manifest.get("profile"), (dict, type(None)))
        or not isinstance(manifest.get("profiles", []), list)
    ):
        return False
    entries = [(f, _FILE_KEYS) for f in files] + [(f, _STORED_KEYS) for f in stored.values()]
    if not all(isinstance(e, dict) and all(isinstance(e.get(k), t) for k, t in keys.items()) for e, keys in entries):
        return False
    needed = {"manifest.json", "vocab.txt", "surface.txt", "tables.json", "records.jsonl", *(f"{a}.npy" for a in arrays)}
    return needed - {"manifest.json"} <= set(stored)

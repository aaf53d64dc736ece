"""Load every corpus source into one de-duplicated list of papers.

A path is a file or a folder; folders are read in name order. Profile pages (``*.txt``) and JSON
Lines (``*.jsonl``) are understood. A malformed record is skipped with a warning naming the file and
line; an unreadable or missing path is a CorpusError.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

from .errors import CorpusError
from .gc_pause import gc_paused
from .jsonl_source import parse_jsonl
from .names import display_score, name_key
from .profile_page import ParseWarning, looks_like_profile, parse_profile
from .records import Corpus, Paper, Profile, title_key

SUFFIXES = (".txt", ".jsonl")


def corpus_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the corpus files they hold; a missing path is an error."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.is_file() and p.suffix in SUFFIXES))
        elif path.is_file():
            files.append(path)
        else:
            raise CorpusError(f"corpus path not found: {path}")
    return files


def read_file(path: Path) -> tuple[Profile | None, list[Paper], list[ParseWarning]]:
    """Parse one file by its suffix (and content, for text files)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"cannot read corpus file {path}: {exc}") from None
    if path.suffix == ".jsonl":
        papers, warnings = parse_jsonl(text, str(path))
        return None, papers, warnings
    if not looks_like_profile(text):
        return None, [], [ParseWarning(1, "no records found (expected a profile page)")]
    return parse_profile(text, str(path))


def canonical_authors(papers: list[Paper]) -> list[Paper]:
    """Give each person one display name across the corpus (the most informative spelling)."""
    key_of: dict[str, str] = {}  # each spelling once: a corpus repeats its authors' names
    best: dict[str, str] = {}
    for paper in papers:
        for name in paper.authors:
            key = key_of.get(name)
            if key is None:
                key = key_of[name] = name_key(name)
                held = best.get(key)
                if held is None or display_score(name) > display_score(held):
                    best[key] = name
    rename = {name: best[key] for name, key in key_of.items() if best[key] != name}
    if not rename:  # every person is spelled one way: nothing to rewrite
        return papers
    out = []
    for paper in papers:
        if any(map(rename.__contains__, paper.authors)):
            paper = dataclasses.replace(paper, authors=tuple(rename.get(n, n) for n in paper.authors))
        out.append(paper)
    return out


def merge(papers: Iterable[Paper], seen: set[str] | None = None) -> tuple[list[Paper], int]:
    """Drop records whose id or normalised title was already seen; returns (kept, dropped)."""
    seen = set() if seen is None else seen
    kept: list[Paper] = []
    dropped = 0
    for paper in papers:
        keys = {paper.id, "t:" + title_key(paper.title)}
        if keys & seen:
            dropped += 1
            continue
        seen |= keys
        kept.append(paper)
    return kept, dropped


def load_corpus(paths: Iterable[Path]) -> Corpus:
    """Read all sources. Raises CorpusError when nothing at all could be loaded."""
    with gc_paused():
        return _load(corpus_files(paths))


def _load(files: list[Path]) -> Corpus:
    if not files:
        raise CorpusError("no corpus files (*.txt profile pages or *.jsonl) found")
    corpus = Corpus()
    loaded: list[Paper] = []
    for path in files:
        profile, papers, warnings = read_file(path)
        corpus.warnings.extend(f"{path}:{w.line}: {w.message}" for w in warnings)
        if profile and corpus.profile is None:
            corpus.profile = profile
        loaded.extend(papers)
    merged, _ = merge(loaded)
    if not merged:
        raise CorpusError("the corpus holds no readable records: " + "; ".join(corpus.warnings[:3]))
    corpus.papers = canonical_authors(merged)
    return corpus

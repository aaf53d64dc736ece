"""Load every corpus source into one de-duplicated list of papers.

A path is a file or a folder; folders are read in name order. Profile pages (``*.txt``) and JSON
Lines (``*.jsonl``) are understood. A malformed record is skipped with a warning naming the file and
line; an unreadable or missing path is a CorpusError.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from itertools import compress
from pathlib import Path

from bot.errors import CorpusError
from bot.gc_pause import gc_paused
from bot.names import display_score, name_key
from bot.records import Corpus, Paper, Profile, title_key

from .jsonl import parse_jsonl
from .profile_page import ParseWarning, looks_like_profile, parse_profile

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


class Spellings:
    """Each person's most informative spelling (``display_score``), from the names seen, in order.

    Spellings are numbered as first seen, and each is normalised once however often a corpus repeats it.
    """

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}  # spelling -> its number
        self.keys: list[str] = []  # name key by spelling number
        self.best: dict[str, str] = {}  # name key -> best spelling so far (the first of equal ones)

    def add(self, names: Sequence[str], keys: Sequence[str] | None = None) -> list[int]:
        """See spellings in order (``keys``: their name keys, when already computed); returns their numbers."""
        numbers = list(map(self.ids.get, names))  # known spellings: one lookup each, in C
        if None not in numbers:
            return numbers  # type: ignore[return-value]
        for i, name in enumerate(names):
            if numbers[i] is None:
                number = self.ids.get(name)  # listed twice in ``names``: numbered by its first
                if number is None:
                    number = self.ids[name] = len(self.keys)
                    key = keys[i] if keys is not None else name_key(name)
                    self.keys.append(key)
                    held = self.best.get(key)
                    if held is None or display_score(name) > display_score(held):
                        self.best[key] = name
                numbers[i] = number
        return numbers  # type: ignore[return-value]

    def renames(self) -> dict[str, str]:
        """Spelling -> the person's best spelling, for every spelling that is not the best."""
        best, keys = self.best, self.keys
        return {name: best[keys[n]] for name, n in self.ids.items() if best[keys[n]] != name}


def respelled(paper: Paper, renames: dict[str, str]) -> Paper:
    """The paper with its authors written as ``renames`` says (unchanged if none is renamed)."""
    if not any(map(renames.__contains__, paper.authors)):
        return paper
    return dataclasses.replace(paper, authors=tuple(renames.get(n, n) for n in paper.authors))


def canonical_authors(papers: list[Paper]) -> list[Paper]:
    """Give each person one display name across the corpus (the most informative spelling)."""
    spellings = Spellings()
    for paper in papers:
        spellings.add(paper.authors)
    renames = spellings.renames()
    if not renames:  # every person is spelled one way: nothing to rewrite
        return papers
    return [respelled(paper, renames) for paper in papers]


def record_keys(paper: Paper) -> tuple[str, str]:
    """What identifies a record across sources: its id, and its normalised title."""
    return paper.id, "t:" + title_key(paper.title)


def unseen(ids: Sequence[str], titles: Sequence[str], seen: set[str]) -> list[bool]:
    """Which records are new, in order: neither their id nor their title key (``record_keys``) is in
    ``seen`` or on an earlier record. ``seen`` grows by the new records' keys."""
    keys = [*ids, *titles]
    if seen.isdisjoint(keys) and len(set(keys)) == len(keys):  # no duplicate at all: the usual case, in C
        seen.update(keys)
        return [True] * len(ids)
    new = []
    for pair in zip(ids, titles, strict=True):
        fresh = seen.isdisjoint(pair)
        if fresh:
            seen.update(pair)
        new.append(fresh)
    return new


def merge(papers: Iterable[Paper], seen: set[str] | None = None) -> tuple[list[Paper], int]:
    """Drop records whose id or normalised title was already seen; returns (kept, dropped)."""
    papers = list(papers)
    keys = [record_keys(p) for p in papers]
    new = unseen([k[0] for k in keys], [k[1] for k in keys], set() if seen is None else seen)
    kept = list(compress(papers, new))
    return kept, len(papers) - len(kept)


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

"""Load every corpus source into one de-duplicated list of papers.

A path is a file or a folder; folders are read in name order. Profile pages (``*.txt``) and JSON
Lines (``*.jsonl``) are understood. One bad byte, line, record or file never takes the rest offline:
a malformed record or a line that is not UTF-8 is skipped with a warning naming the file and line,
an unreadable file or folder (or one holding UTF-16 or binary data) is skipped with one warning, and
records dropped as duplicates are counted in one warning. A missing path is a CorpusError.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Sequence
from itertools import compress
from pathlib import Path

from bot.errors import CorpusError
from bot.gc_pause import gc_paused
from bot.names import display_score, name_key
from bot.records import Corpus, Paper, Profile, profiles_named, title_key, with_profiles

from .jsonl import decoded_lines, not_text, out_of_memory, read_jsonl, unreadable
from .profile_page import ParseWarning, looks_like_profile, parse_profile

SUFFIXES = (".txt", ".jsonl")
WARNINGS_PER_FILE = 20  # then one line counts the rest: 30,000 junk lines are not 30,000 warnings
DUPLICATES_NAMED = 3


def corpus_files(paths: Iterable[Path], skipped: list[str] | None = None) -> list[Path]:
    """Expand folders into the corpus files they hold; a missing path is an error.

    A folder or file that cannot be read is left out, with one warning added to ``skipped``.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            try:
                found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix in SUFFIXES)
            except OSError as exc:
                out_of_memory(exc)
                _skip(skipped, f"{path}: cannot read this corpus folder ({exc.strerror or exc}); skipped")
                continue
            files.extend(p for p in found if _readable(p, skipped))
        elif path.is_file():
            if _readable(path, skipped):
                files.append(path)
        else:
            raise CorpusError(f"corpus path not found: {path}")
    return files


def _readable(path: Path, skipped: list[str] | None) -> bool:
    try:
        os.close(os.open(path, os.O_RDONLY))
    except OSError as exc:
        out_of_memory(exc)
        _skip(skipped, f"{path}: cannot read this corpus file ({exc.strerror or exc}); skipped")
        return False
    return True


def _skip(skipped: list[str] | None, warning: str) -> None:
    if skipped is None:
        raise CorpusError(warning.removesuffix("; skipped"))
    skipped.append(warning)


def read_file(path: Path) -> tuple[Profile | None, list[Paper], list[ParseWarning]]:
    """Parse one file by its suffix (and content, for text files); a file that cannot be read is one warning."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [], [unreadable(exc)]
    binary = not_text(data[:4096])
    if binary:
        return None, [], [binary]
    if path.suffix == ".jsonl":
        papers, warnings = read_jsonl(data, str(path))
        return None, papers, warnings
    text, bad = decoded_lines(data)
    if not looks_like_profile(text):
        return None, [], [*bad, ParseWarning(1, "no records found (expected a profile page)")]
    profile, papers, warnings = parse_profile(text, str(path), frozenset(w.line for w in bad))
    return profile, papers, sorted([*bad, *warnings], key=lambda w: w.line)


class LoadWarnings:
    """The warnings of a load, in file order, at most ``WARNINGS_PER_FILE`` per file and then one
    line counting the rest. Both build paths (``load_corpus`` and the store build) fill one."""

    def __init__(self, first: Iterable[str] = ()) -> None:
        self.lines: list[str] = list(first)
        self._path: Path | None = None
        self._count = 0

    def add(self, path: Path, lines: Sequence[str]) -> None:
        """``lines`` of ``path``, formatted ("file:line: message"); a file's pieces come in a row."""
        if path != self._path:
            self._flush()
            self._path, self._count = path, 0
        room = max(WARNINGS_PER_FILE - self._count, 0)
        self.lines.extend(lines[:room])
        self._count += len(lines)

    def _flush(self) -> None:
        if self._count > WARNINGS_PER_FILE:
            self.lines.append(f"{self._path}: {self._count - WARNINGS_PER_FILE} more bad lines not shown")

    def finish(self, duplicates: Sequence[str] = (), dropped: int = 0) -> list[str]:
        """All the lines, ending with one about records dropped as duplicates (``duplicates``: the first few's sources)."""
        self._flush()
        self._path, self._count = None, 0
        if dropped:
            named = ", ".join(duplicates[:DUPLICATES_NAMED]) + (", ..." if dropped > DUPLICATES_NAMED else "")
            self.lines.append(
                f"{dropped} duplicate {'record' if dropped == 1 else 'records'} dropped (same id or title as an earlier one): {named}"
            )
        return self.lines


def duplicate_name(paper: Paper) -> str:
    """How a dropped duplicate is named in the warning: where it was read, and its title."""
    return f"{paper.source} {paper.title[:50]!r}"


def warning_lines(path: Path, warnings: Iterable[ParseWarning]) -> list[str]:
    """Parse warnings as "file:line: message" ("file: message" for a whole file)."""
    return [f"{path}:{w.line}: {w.message}" if w.line else f"{path}: {w.message}" for w in warnings]


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


def merge(papers: Iterable[Paper], seen: set[str] | None = None) -> tuple[list[Paper], list[Paper]]:
    """Drop records whose id or normalised title was already seen; returns (kept, dropped)."""
    papers = list(papers)
    keys = [record_keys(p) for p in papers]
    new = unseen([k[0] for k in keys], [k[1] for k in keys], set() if seen is None else seen)
    kept = list(compress(papers, new))
    dropped = [] if len(kept) == len(papers) else list(compress(papers, (not n for n in new)))
    return kept, dropped


def joined_profiles(kept: list[Paper], dropped: Sequence[Paper]) -> tuple[list[Paper], set[int]]:
    """``kept`` with the profiles of the duplicates dropped against them (a paper on two profiles is one
    record on both), and which duplicates (by ``id()``) brought another profile: those are no problem to warn of."""
    listed = [p for p in dropped if p.profiles]
    joined: set[int] = set()
    if not listed:
        return kept, joined
    position: dict[str, int] = {}
    for i, paper in enumerate(kept):
        for key in record_keys(paper):
            position.setdefault(key, i)
    kept = list(kept)
    for paper in listed:
        i = next((position[k] for k in record_keys(paper) if k in position), None)
        if i is not None and not set(paper.profiles) <= set(kept[i].profiles):
            kept[i] = with_profiles(kept[i], paper.profiles)
            joined.add(id(paper))
    return kept, joined


def load_corpus(paths: Iterable[Path]) -> Corpus:
    """Read all sources. Raises CorpusError when nothing at all could be loaded."""
    skipped: list[str] = []
    with gc_paused():
        return _load(corpus_files(paths, skipped), skipped)


def _load(files: list[Path], skipped: list[str]) -> Corpus:
    if not files:
        raise CorpusError("; ".join(skipped[:3]) or "no corpus files (*.txt profile pages or *.jsonl) found")
    corpus = Corpus()
    warnings = LoadWarnings(skipped)
    loaded: list[Paper] = []
    pages: list[Profile] = []
    for path in files:
        profile, papers, problems = read_file(path)
        warnings.add(path, warning_lines(path, problems))
        if profile:
            pages.append(profile)
        loaded.extend(papers)
    merged, dropped = merge(loaded)
    merged, joined = joined_profiles(merged, dropped)
    dropped = [p for p in dropped if id(p) not in joined]
    corpus.profiles = profiles_named(pages, ((n, p.source.rpartition(":")[0]) for p in loaded for n in p.profiles))
    corpus.warnings = warnings.finish([duplicate_name(p) for p in dropped[:DUPLICATES_NAMED]], len(dropped))
    if not merged:
        raise CorpusError("the corpus holds no readable records: " + "; ".join(corpus.warnings[:3]))
    corpus.papers = canonical_authors(merged)
    return corpus

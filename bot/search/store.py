"""A persisted index next to the corpus, so start-up loads arrays instead of re-reading every record.

Layout of a store folder (one per list of corpus paths, under ``<corpus>/.paperbot-index/``)::

    manifest.json      format version, corpus files (path, size, mtime, sha256), profile, warnings,
                       and every store file's size, mtime and sha256 (and each array's dtype and shape)
    *.npy              every index column, memory-mapped on load
    vocab.txt          index terms, one per line (term id = line number)
    surface.txt        indexed words as written, for spelling suggestions (read on first use)
    tables.json        author keys and display names, categories, affiliations
    records.jsonl      one record per line; ``record_offsets.npy`` says where each starts

Freshness is decided by content: a file whose size and mtime match the manifest keeps its recorded
hash, any other is hashed again, and the store is used only when every hash matches. A store is
written to a temporary folder and renamed into place, so a crash never leaves half an index.

Integrity (``integrity``): a damaged store is rebuilt, never answered from. Every load checks each
store file's size and mtime and each array's header against the manifest; checksums are verified in
the background after start-up. A store file that goes missing or unreadable after the load fails
the answer with one line.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import mmap
import multiprocessing as mp
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from bot.errors import WorkerDied
from bot.records import Paper, Profile, record_line
from bot.sources.corpus import corpus_files, load_corpus
from bot.sources.jsonl import out_of_memory

from . import scratch
from .build import Columns, Tables
from .forking import die_with_parent
from .index import TITLE_WEIGHT, PaperIndex, Records
from .integrity import StoreDamaged, check_files, complete, damaged, header, sha256_file, stored_files, verify
from .postings import Postings, Rows, RowSegments, Segments
from .ragged import pointers
from .store_build import Progress, build
from .vocabulary import Vocabulary

FORMAT = 7  # 5: the manifest records every store file's size, mtime and sha256; 6: every profile, and records say whose profiles list them; 7: British spellings indexed as American
STRUCTURED = {"text": Postings, "title": Postings, "rows": Rows}  # Columns fields stored as several arrays
STORE_DIR = ".paperbot-index"
log = logging.getLogger(__name__)


@dataclasses.dataclass(slots=True)
class LoadedCorpus:
    """What a service needs from a corpus: its index, profiles and load warnings."""

    index: PaperIndex
    profiles: list[Profile]
    warnings: list[str]
    from_store: bool = False
    fingerprint: str = ""  # one hash of every corpus file's content
    folder: Path | None = None  # the store it was loaded from (None: built in memory, not saved)

    @property
    def profile(self) -> Profile | None:
        """The first profile: the one a single-researcher corpus is about."""
        return self.profiles[0] if self.profiles else None


class StoredRecords(Sequence[Paper]):
    """Records read on demand from a JSON Lines file, one positioned read each.

    Not memory-mapped: an answer reads a few scattered records, and a mapping would count every page
    the kernel maps around them (whole large folios of a freshly written file) in the bot's memory.
    Decoded with the json module, not orjson: orjson 3.13 crashes the process (SIGSEGV) when an
    allocation fails near a memory limit, where json raises MemoryError (bench/ORJSON_OOM.md); a
    record costs 4.8 us instead of 1.6, 0.03 ms for a page of ten.
    """

    def __init__(self, path: Path, offsets: np.ndarray) -> None:
        self.path = path
        self.offsets = offsets
        self._file = path.open("rb", buffering=0)

    def __iter__(self) -> Iterator[Paper]:
        """Every record in order, read sequentially (a whole pass, such as a first start's baseline)."""
        with self.path.open("rb") as lines:
            for _, line in zip(range(len(self)), lines, strict=False):
                yield Paper.from_row(json.loads(line))

    def __len__(self) -> int:
        return int(self.offsets.shape[0] - 1)

    def holding(self, needle: bytes, chunk: int = 16 << 20) -> np.ndarray:
        """Positions of the records whose stored line holds ``needle``: one read of the file in chunks,
        no record decoded (which records a profile lists: a few among a million, found in about a second)."""
        found: list[int] = []
        with self.path.open("rb") as lines:
            base, carry = 0, b""
            while block := lines.read(chunk):
                data = carry + block
                at = data.find(needle)
                while at >= 0:
                    found.append(base - len(carry) + at)
                    at = data.find(needle, at + 1)
                carry = data[-(len(needle) - 1) :] if len(needle) > 1 else b""
                base += len(block)
        rows = np.searchsorted(self.offsets, np.asarray(found, dtype=np.int64), side="right") - 1
        return np.unique(rows[(rows >= 0) & (rows < len(self))])

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        start = int(self.offsets[i])
        try:
            return Paper.from_row(json.loads(os.pread(self._file.fileno(), int(self.offsets[i + 1]) - start, start)))
        except (OSError, ValueError, KeyError, TypeError) as exc:  # changed under us after the load: one line, not a traceback
            raise damaged(self.path.parent, self.path.name, f"record {i} unreadable: {exc}") from None


class LazySurface(set):
    """The spelling vocabulary, read from disk the first time a misspelling is looked up.

    The file is opened at load, so deleting it later changes nothing; if it cannot be read then,
    spelling suggestions are off, with one warning.
    """

    def __init__(self, path: Path, size: int) -> None:
        super().__init__()
        self._path: Path | None = path
        self._file = path.open("rb")
        self._size = size

    def _load(self) -> None:
        if self._path is not None:
            path, self._path = self._path, None
            try:
                with self._file:
                    data = self._file.read()
                if len(data) != self._size:
                    raise ValueError(f"{len(data)} bytes, {self._size} written")
                self.update(data.decode("utf-8").split("\n"))
            except (OSError, ValueError) as exc:
                log.warning("%s unreadable (%s): no spelling suggestions until the store is rebuilt", path, exc)
            self.discard("")

    def __contains__(self, word: object) -> bool:
        self._load()
        return super().__contains__(word)

    def __iter__(self):
        self._load()
        return super().__iter__()

    def __len__(self) -> int:
        self._load()
        return super().__len__()


def store_folder(paths: Sequence[Path]) -> Path:
    """Where the store for these corpus paths lives: beside the first one."""
    first = paths[0]
    base = first if first.is_dir() else first.parent
    tag = hashlib.sha1("\n".join(str(p.resolve()) for p in paths).encode()).hexdigest()[:12]
    return base / STORE_DIR / tag


def fingerprint(files: Sequence[Path], known: dict[str, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Size, mtime and content hash of each corpus file; hashes are reused when size and mtime match."""
    known = known or {}
    out = []
    for path in files:
        st = path.stat()
        entry = {"path": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}
        old = known.get(entry["path"])
        same = old and old.get("size") == st.st_size and old.get("mtime_ns") == st.st_mtime_ns
        entry["sha256"] = old["sha256"] if same else sha256_file(path)
        out.append(entry)
    return out


def combined(files: list[dict[str, Any]]) -> str:
    """One hash for a corpus: its files' paths and content hashes."""
    return hashlib.sha256("\n".join(f"{f['path']} {f['sha256']}" for f in files).encode()).hexdigest()


def _array_fields(columns: Columns) -> dict[str, np.ndarray]:
    arrays: dict[str, np.ndarray] = {}
    for f in dataclasses.fields(columns):
        value = getattr(columns, f.name)
        if isinstance(value, (Segments, RowSegments)):
            value = value.merged()
        if dataclasses.is_dataclass(value):
            for part in dataclasses.fields(value):
                arrays[f"{f.name}.{part.name}"] = getattr(value, part.name)
        else:
            arrays[f.name] = value
    return arrays


class StoreWriter:
    """A store folder being written: records first (streamed, in order), then ``commit`` writes the
    index and renames the folder into place. Leaving the ``with`` block without a commit removes it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = scratch.make(folder.parent)
        self._records = (self.tmp / "records.jsonl").open("wb")
        self._lengths: list[np.ndarray] = []  # bytes per record line, one array per batch

    def __enter__(self) -> StoreWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._records.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def add_lines(self, lines: bytes, lengths: np.ndarray) -> None:
        """Records already serialised (``record_line`` each), with each line's length in bytes."""
        self._records.write(lines)
        self._lengths.append(lengths)

    def add_papers(self, papers: Iterable[Paper]) -> None:
        lines = [record_line(p) for p in papers]
        self.add_lines(b"".join(lines), np.fromiter(map(len, lines), dtype=np.int64, count=len(lines)))

    def _line_lengths(self) -> np.ndarray:
        return np.concatenate([np.zeros(0, np.int64), *self._lengths])

    def rewrite(self, records: np.ndarray, change: Callable[[Paper], Paper]) -> None:
        """Replace records already added (by position, ascending) with ``change`` of each."""
        self._records.close()
        lengths = self._line_lengths()
        offsets = pointers(lengths)
        path = self.tmp / "records.jsonl"
        with path.open("rb") as src, path.with_suffix(".new").open("wb") as out:
            data = mmap.mmap(src.fileno(), 0, access=mmap.ACCESS_READ)
            done = 0
            for r in records.tolist():
                start, end = int(offsets[r]), int(offsets[r + 1])
                out.write(data[done:start])
                line = record_line(change(Paper.from_row(orjson.loads(data[start:end]))))
                out.write(line)
                lengths[r], done = len(line), end
            out.write(data[done:])
            data.close()
        path.with_suffix(".new").replace(path)
        self._records = path.open("ab")
        self._lengths = [lengths]

    def commit(
        self,
        parts: tuple[Vocabulary, Tables, Columns],
        title_weight: int,
        files: list[dict[str, Any]],
        profiles: Sequence[Profile],
        warnings: list[str],
    ) -> None:
        """Write the index beside the records and move the folder into place (replacing an older store)."""
        vocab, t, columns = parts
        tmp = self.tmp
        self._records.close()
        lengths = self._line_lengths()
        np.save(tmp / "record_offsets.npy", pointers(lengths))
        with ThreadPoolExecutor(2) as pool:  # writing releases the GIL: two arrays at a time
            saving = [
                pool.submit(np.save, tmp / f"{name}.npy", np.ascontiguousarray(a)) for name, a in _array_fields(columns).items()
            ]
        for done in saving:
            done.result()  # a failed write (full disk) fails the commit
        (tmp / "vocab.txt").write_text("\n".join(vocab.terms), encoding="utf-8")
        (tmp / "surface.txt").write_text("\n".join(sorted(vocab.surface)), encoding="utf-8")
        tables = {
            "author_keys": t.author_keys,
            "author_display": t.author_display,
            "categories": t.categories,
            "affiliations": t.affiliations,
        }
        (tmp / "tables.json").write_text(json.dumps(tables, ensure_ascii=False), encoding="utf-8")
        manifest = {
            "format": FORMAT,
            "title_weight": title_weight,
            "records": int(lengths.shape[0]),
            "files": files,
            "profile": dataclasses.asdict(profiles[0]) if profiles else None,
            "profiles": [dataclasses.asdict(p) for p in profiles],
            "warnings": warnings,
            "store_files": stored_files(tmp),
            "arrays": {name: header(a) for name, a in [*_array_fields(columns).items(), ("record_offsets", pointers(lengths))]},
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
        folder = self.folder
        old = folder.with_name(folder.name + ".old")
        if folder.exists():
            shutil.rmtree(old, ignore_errors=True)
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)


def save(index: PaperIndex, folder: Path, files: list[dict[str, Any]], profiles: Sequence[Profile], warnings: list[str]) -> None:
    """Write the index as a store folder (atomically replacing any older one)."""
    with StoreWriter(folder) as writer:
        writer.add_papers(index.papers)
        writer.commit((index.vocab, index.tables, index.columns), index.title_weight, files, profiles, warnings)


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The store's manifest, or None when it is missing, unreadable, of another format or incomplete."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("format") == FORMAT and complete(manifest) else None


def load(folder: Path, manifest: dict[str, Any]) -> LoadedCorpus:
    """Open a store folder: arrays memory-mapped, records and spelling words read on demand.

    Raises StoreDamaged when a file's size, mtime (and then checksum) or an array's header differs
    from the manifest."""
    touched = check_files(folder, manifest)

    def array(name: str) -> np.ndarray:
        # a plain ndarray view of the mapping: np.memmap's slicing overhead shows in per-query times
        loaded = np.load(folder / f"{name}.npy", mmap_mode="r").view(np.ndarray)
        expected = manifest["arrays"].get(name)
        if expected != header(loaded):
            raise damaged(folder, f"{name}.npy", f"header says {header(loaded)}, {expected} written")
        return loaded

    values: dict[str, Any] = {}
    for f in dataclasses.fields(Columns):
        kind = STRUCTURED.get(f.name)
        if kind is not None:
            values[f.name] = kind(*(array(f"{f.name}.{part.name}") for part in dataclasses.fields(kind)))
        else:
            values[f.name] = array(f.name)
    columns = Columns(**values)
    terms = (folder / "vocab.txt").read_text(encoding="utf-8").split("\n")
    vocab = Vocabulary(terms if terms != [""] else [])
    vocab.surface = LazySurface(folder / "surface.txt", manifest["store_files"]["surface.txt"]["size"])
    raw = json.loads((folder / "tables.json").read_text(encoding="utf-8"))
    tables = Tables(
        raw["author_keys"],
        raw["author_display"],
        {k: i for i, k in enumerate(raw["author_keys"])},
        raw["categories"],
        {c: i for i, c in enumerate(raw["categories"])},
        raw["affiliations"],
        {a: i for i, a in enumerate(raw["affiliations"])},
    )
    offsets = array("record_offsets")
    if offsets.shape != (manifest["records"] + 1,) or int(offsets[-1]) != manifest["store_files"]["records.jsonl"]["size"]:
        raise damaged(folder, "record_offsets.npy", "does not match records.jsonl")
    papers = StoredRecords(folder / "records.jsonl", np.array(offsets))
    if touched:
        _rewrite_manifest(folder, manifest, manifest["files"])
    index = PaperIndex(Records([papers]), title_weight=manifest["title_weight"], parts=(vocab, tables, columns))
    profiles = [Profile(**p) for p in manifest.get("profiles", [])]
    return LoadedCorpus(index, profiles, list(manifest.get("warnings", [])), from_store=True, folder=folder)


def _located(paths: Sequence[Path], skipped: list[str] | None = None) -> tuple[list[Path], Path | None, dict[str, Any] | None]:
    """The corpus files, their store folder and its manifest (nothing hashed yet). Files that cannot
    be read are left out, with a warning each in ``skipped``."""
    files = corpus_files(paths, [] if skipped is None else skipped)
    folder = store_folder(list(paths)) if files else None
    return files, folder, read_manifest(folder) if folder else None


def _known(manifest: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    return {f["path"]: f for f in manifest.get("files", [])} if manifest else {}


def corpus_fingerprint(paths: Sequence[Path]) -> str:
    """The corpus's content hash, re-hashing only files whose size or mtime changed since the store was written."""
    files, _, manifest = _located(paths)
    return combined(fingerprint(files, _known(manifest)))


def open_corpus(
    paths: Sequence[Path], persist: bool = True, rebuild: bool = False, progress: Progress | None = None, isolated: bool = False
) -> LoadedCorpus:
    """The corpus at ``paths`` as an index: from its store when fresh, else parsed, indexed and stored.

    A store that cannot be written (read-only folder, full disk) is logged and the index is built in
    memory instead: answering never depends on it. ``isolated`` (the long-running bot) builds the store
    in a process started for it, so the bot is never forked while its threads run and the build's
    allocator settings (heap.py) end with that process.
    """
    skipped: list[str] = []
    files, folder, manifest = _located(paths, skipped)
    if persist and folder is not None:
        scratch.sweep(folder.parent)  # what builds killed mid-way left behind
    current: list[dict[str, Any]] | None = None  # the files' fingerprints, once computed
    if persist and not rebuild and manifest is not None and manifest.get("title_weight") == TITLE_WEIGHT:
        current = fingerprint(files, _known(manifest))  # the hashes decide whether the store is fresh
        if [(f["path"], f["sha256"]) for f in current] == [(f["path"], f["sha256"]) for f in manifest["files"]]:
            try:
                loaded = load(folder, manifest)  # type: ignore[arg-type]
            except StoreDamaged as exc:
                log.warning("%s; rebuilding it", exc)
            except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
                out_of_memory(exc)
                log.warning("index store at %s unreadable (%s); rebuilding", folder, exc)
            else:
                if current != manifest["files"]:
                    _rewrite_manifest(folder, manifest, current)  # type: ignore[arg-type]
                loaded.fingerprint = combined(current)
                return loaded
    if persist and folder is not None:
        try:
            if isolated:
                return _build_in_own_process(files, skipped, folder, current, _known(manifest))
            return _build_store(files, skipped, folder, current, _known(manifest), progress)
        except (OSError, StoreDamaged) as exc:
            out_of_memory(exc)
            log.warning("could not save the index store at %s (%s); indexing in memory", folder, exc)
    corpus = load_corpus(paths)
    if progress is not None:
        progress.total = len(corpus.papers)
    index = PaperIndex(corpus.papers, progress=progress.update if progress is not None else None)
    return LoadedCorpus(
        index, corpus.profiles, corpus.warnings, fingerprint=combined(current or fingerprint(files, _known(manifest)))
    )


def _build_store(
    files: list[Path],
    skipped: list[str],
    folder: Path,
    current: list[dict[str, Any]] | None,
    known: dict[str, dict[str, Any]],
    progress: Progress | None,
) -> LoadedCorpus:
    """Build the store from the files (store_build), then open it as a start-up would. The files'
    fingerprints are ``current`` when already computed, else computed during the build (reusing ``known``)."""
    hashing: list[Future[list[dict[str, Any]]]] = []

    def start_hashing() -> None:  # on another core once the workers are forked (hashlib releases the GIL)
        if current is None:
            hasher = ThreadPoolExecutor(1)
            hashing.append(hasher.submit(fingerprint, files, known))
            hasher.shutdown(wait=False)  # the build goes on meanwhile

    with StoreWriter(folder) as writer:
        built = build(files, writer, TITLE_WEIGHT, progress, started=start_hashing, skipped=skipped)
        if current is None:
            current = hashing[0].result() if hashing else fingerprint(files, known)
        writer.commit(built.parts, TITLE_WEIGHT, current, built.profiles, built.warnings)
    manifest = read_manifest(folder)
    if manifest is None:
        raise damaged(folder, "manifest.json", "unreadable right after it was written")
    loaded = load(folder, manifest)
    loaded.from_store, loaded.fingerprint = False, combined(current)
    return loaded


def verified(paths: Sequence[Path], loaded: LoadedCorpus, isolated: bool = False) -> tuple[LoadedCorpus, list[str]]:
    """Hash every file of the store ``loaded`` came from; when one differs, rebuild the store (in a
    process of its own when ``isolated``, as ``open_corpus``) and return the rebuilt corpus (never the
    damaged one) with the problems found."""
    if loaded.folder is None:
        return loaded, []
    manifest = read_manifest(loaded.folder)
    problems = verify(loaded.folder, manifest) if manifest is not None else [f"{loaded.folder}: no readable manifest"]
    if not problems:
        return loaded, []
    log.error("the index store at %s is damaged (%s); rebuilding it", loaded.folder, "; ".join(problems[:3]))
    return open_corpus(paths, rebuild=True, isolated=isolated), problems


def _build_in_own_process(
    files: list[Path], skipped: list[str], folder: Path, current: list[dict[str, Any]] | None, known: dict[str, dict[str, Any]]
) -> LoadedCorpus:
    """``_build_store`` in a freshly started (spawned) process, then the store opened here."""
    with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn"), initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        try:
            pool.submit(_build_only, files, skipped, folder, current, known).result()
        except BrokenProcessPool:
            raise WorkerDied(
                "the index build process died (killed, perhaps for lack of memory); the previous store is unchanged"
            ) from None
    manifest = read_manifest(folder)
    if manifest is None:
        raise damaged(folder, "manifest.json", "unreadable right after it was written")
    loaded = load(folder, manifest)
    loaded.from_store, loaded.fingerprint = False, combined(manifest["files"])
    return loaded


def _build_only(
    files: list[Path], skipped: list[str], folder: Path, current: list[dict[str, Any]] | None, known: dict[str, dict[str, Any]]
) -> None:
    """The child's side of ``_build_in_own_process`` (a module-level function, so it can be pickled)."""
    _build_store(files, skipped, folder, current, known, None)


def _rewrite_manifest(folder: Path, manifest: dict[str, Any], files: list[dict[str, Any]]) -> None:
    """Record new stat data for files whose content did not change (touched, copied)."""
    try:
        tmp = folder / "manifest.json.tmp"
        tmp.write_text(json.dumps({**manifest, "files": files}, indent=1, ensure_ascii=False), encoding="utf-8")
        tmp.replace(folder / "manifest.json")
    except OSError as exc:
        log.warning("could not update %s: %s", folder / "manifest.json", exc)

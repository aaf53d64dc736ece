"""A persisted index next to the corpus, so start-up loads arrays instead of re-reading every record.

Layout of a store folder (one per list of corpus paths, under ``<corpus>/.paperbot-index/``)::

    manifest.json      format version, corpus files (path, size, mtime, sha256), profile, warnings
    *.npy              every index column, memory-mapped on load
    vocab.txt          index terms, one per line (term id = line number)
    surface.txt        indexed words as written, for spelling suggestions (read on first use)
    tables.json        author keys and display names, categories, affiliations
    records.jsonl      one record per line; ``record_offsets.npy`` says where each starts

Freshness is decided by content: a file whose size and mtime match the manifest keeps its recorded
hash, any other is hashed again, and the store is used only when every hash matches. A store is
written to a temporary folder and renamed into place, so a crash never leaves half an index.
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
import tempfile
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

from .build import Columns, Tables
from .index import TITLE_WEIGHT, PaperIndex, Records
from .postings import Postings, Rows, RowSegments, Segments
from .ragged import pointers
from .store_build import Progress, build
from .vocabulary import Vocabulary

FORMAT = 4
STRUCTURED = {"text": Postings, "title": Postings, "rows": Rows}  # Columns fields stored as several arrays
STORE_DIR = ".paperbot-index"
log = logging.getLogger(__name__)


@dataclasses.dataclass(slots=True)
class LoadedCorpus:
    """What a service needs from a corpus: its index, profile and load warnings."""

    index: PaperIndex
    profile: Profile | None
    warnings: list[str]
    from_store: bool = False
    fingerprint: str = ""  # one hash of every corpus file's content


class StoredRecords(Sequence[Paper]):
    """Records read on demand from a JSON Lines file, one positioned read each.

    Not memory-mapped: an answer reads a few scattered records, and a mapping would count every page
    the kernel maps around them (whole large folios of a freshly written file) in the bot's memory.
    """

    def __init__(self, path: Path, offsets: np.ndarray) -> None:
        self.path = path
        self.offsets = offsets
        self._file = path.open("rb", buffering=0)

    def __iter__(self) -> Iterator[Paper]:
        """Every record in order, read sequentially (a whole pass, such as a first start's baseline)."""
        with self.path.open("rb") as lines:
            for _, line in zip(range(len(self)), lines, strict=False):
                yield Paper.from_row(orjson.loads(line))

    def __len__(self) -> int:
        return int(self.offsets.shape[0] - 1)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        start = int(self.offsets[i])
        return Paper.from_row(orjson.loads(os.pread(self._file.fileno(), int(self.offsets[i + 1]) - start, start)))


class LazySurface(set):
    """The spelling vocabulary, read from disk the first time a misspelling is looked up."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._path: Path | None = path

    def _load(self) -> None:
        if self._path is not None:
            path, self._path = self._path, None
            self.update(path.read_text(encoding="utf-8").split("\n"))
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


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fingerprint(files: Sequence[Path], known: dict[str, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Size, mtime and content hash of each corpus file; hashes are reused when size and mtime match."""
    known = known or {}
    out = []
    for path in files:
        st = path.stat()
        entry = {"path": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}
        old = known.get(entry["path"])
        same = old and old.get("size") == st.st_size and old.get("mtime_ns") == st.st_mtime_ns
        entry["sha256"] = old["sha256"] if same else _sha256(path)
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
        self.tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder.parent))
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

    def commit(self, parts: tuple[Vocabulary, Tables, Columns], title_weight: int, files: list[dict[str, Any]], profile: Profile | None, warnings: list[str]) -> None:
        """Write the index beside the records and move the folder into place (replacing an older store)."""
        vocab, t, columns = parts
        tmp = self.tmp
        self._records.close()
        lengths = self._line_lengths()
        np.save(tmp / "record_offsets.npy", pointers(lengths))
        with ThreadPoolExecutor(2) as pool:  # writing releases the GIL: two arrays at a time
            saving = [pool.submit(np.save, tmp / f"{name}.npy", np.ascontiguousarray(a)) for name, a in _array_fields(columns).items()]
        for done in saving:
            done.result()  # a failed write (full disk) fails the commit
        (tmp / "vocab.txt").write_text("\n".join(vocab.terms), encoding="utf-8")
        (tmp / "surface.txt").write_text("\n".join(sorted(vocab.surface)), encoding="utf-8")
        tables = {"author_keys": t.author_keys, "author_display": t.author_display, "categories": t.categories, "affiliations": t.affiliations}
        (tmp / "tables.json").write_text(json.dumps(tables, ensure_ascii=False), encoding="utf-8")
        manifest = {
            "format": FORMAT,
            "title_weight": title_weight,
            "records": int(lengths.shape[0]),
            "files": files,
            "profile": dataclasses.asdict(profile) if profile else None,
            "warnings": warnings,
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
        folder = self.folder
        old = folder.with_name(folder.name + ".old")
        if folder.exists():
            shutil.rmtree(old, ignore_errors=True)
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)


def save(index: PaperIndex, folder: Path, files: list[dict[str, Any]], profile: Profile | None, warnings: list[str]) -> None:
    """Write the index as a store folder (atomically replacing any older one)."""
    with StoreWriter(folder) as writer:
        writer.add_papers(index.papers)
        writer.commit((index.vocab, index.tables, index.columns), index.title_weight, files, profile, warnings)


def read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("format") == FORMAT else None


def load(folder: Path, manifest: dict[str, Any]) -> LoadedCorpus:
    """Open a store folder: arrays memory-mapped, records and spelling words read on demand."""

    def array(name: str) -> np.ndarray:
        # a plain ndarray view of the mapping: np.memmap's slicing overhead shows in per-query times
        return np.load(folder / f"{name}.npy", mmap_mode="r").view(np.ndarray)

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
    vocab.surface = LazySurface(folder / "surface.txt")
    raw = json.loads((folder / "tables.json").read_text(encoding="utf-8"))
    tables = Tables(
        raw["author_keys"], raw["author_display"], {k: i for i, k in enumerate(raw["author_keys"])},
        raw["categories"], {c: i for i, c in enumerate(raw["categories"])},
        raw["affiliations"], {a: i for i, a in enumerate(raw["affiliations"])},
    )
    papers = StoredRecords(folder / "records.jsonl", np.load(folder / "record_offsets.npy"))
    index = PaperIndex(Records([papers]), title_weight=manifest["title_weight"], parts=(vocab, tables, columns))
    profile = Profile(**manifest["profile"]) if manifest.get("profile") else None
    return LoadedCorpus(index, profile, list(manifest.get("warnings", [])), from_store=True)


def _located(paths: Sequence[Path]) -> tuple[list[Path], Path | None, dict[str, Any] | None]:
    """The corpus files, their store folder and its manifest (nothing hashed yet)."""
    files = corpus_files(paths)
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
    files, folder, manifest = _located(paths)
    current: list[dict[str, Any]] | None = None  # the files' fingerprints, once computed
    if persist and not rebuild and manifest is not None and manifest.get("title_weight") == TITLE_WEIGHT:
        current = fingerprint(files, _known(manifest))  # the hashes decide whether the store is fresh
        if [(f["path"], f["sha256"]) for f in current] == [(f["path"], f["sha256"]) for f in manifest["files"]]:
            try:
                loaded = load(folder, manifest)  # type: ignore[arg-type]
            except (OSError, ValueError, KeyError, TypeError) as exc:
                log.warning("index store at %s unreadable (%s); rebuilding", folder, exc)
            else:
                if current != manifest["files"]:
                    _rewrite_manifest(folder, manifest, current)  # type: ignore[arg-type]
                loaded.fingerprint = combined(current)
                return loaded
    if persist and folder is not None:
        try:
            if isolated:
                return _build_in_own_process(files, folder, current, _known(manifest))
            return _build_store(files, folder, current, _known(manifest), progress)
        except OSError as exc:
            log.warning("could not save the index store at %s (%s); indexing in memory", folder, exc)
    corpus = load_corpus(paths)
    if progress is not None:
        progress.total = len(corpus.papers)
    index = PaperIndex(corpus.papers, progress=progress.update if progress is not None else None)
    return LoadedCorpus(index, corpus.profile, corpus.warnings, fingerprint=combined(current or fingerprint(files, _known(manifest))))


def _build_store(
    files: list[Path], folder: Path, current: list[dict[str, Any]] | None, known: dict[str, dict[str, Any]], progress: Progress | None
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
        built = build(files, writer, TITLE_WEIGHT, progress, started=start_hashing)
        if current is None:
            current = hashing[0].result() if hashing else fingerprint(files, known)
        writer.commit(built.parts, TITLE_WEIGHT, current, built.profile, built.warnings)
    loaded = load(folder, read_manifest(folder) or {})
    loaded.from_store, loaded.fingerprint = False, combined(current)
    return loaded


def _build_in_own_process(files: list[Path], folder: Path, current: list[dict[str, Any]] | None, known: dict[str, dict[str, Any]]) -> LoadedCorpus:
    """``_build_store`` in a freshly started (spawned) process, then the store opened here."""
    with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as pool:
        try:
            pool.submit(_build_only, files, folder, current, known).result()
        except BrokenProcessPool:
            raise WorkerDied("the index build process died (killed, perhaps for lack of memory); the previous store is unchanged") from None
    manifest = read_manifest(folder) or {}
    loaded = load(folder, manifest)
    loaded.from_store, loaded.fingerprint = False, combined(manifest["files"])
    return loaded


def _build_only(files: list[Path], folder: Path, current: list[dict[str, Any]] | None, known: dict[str, dict[str, Any]]) -> None:
    """The child's side of ``_build_in_own_process`` (a module-level function, so it can be pickled)."""
    _build_store(files, folder, current, known, None)


def _rewrite_manifest(folder: Path, manifest: dict[str, Any], files: list[dict[str, Any]]) -> None:
    """Record new stat data for files whose content did not change (touched, copied)."""
    try:
        tmp = folder / "manifest.json.tmp"
        tmp.write_text(json.dumps({**manifest, "files": files}, indent=1, ensure_ascii=False), encoding="utf-8")
        tmp.replace(folder / "manifest.json")
    except OSError as exc:
        log.warning("could not update %s: %s", folder / "manifest.json", exc)

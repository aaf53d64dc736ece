"""Fault injection: bad input and damaged files give a clear message, the rest keeps working, and no
answer is ever wrong (issue 18). One module, one family of faults per section."""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import json
import math
import mmap
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot import cli
from bot.answer.service import PaperService
from bot.cli import main
from bot.config import Settings, load_settings
from bot.digest.library import Library
from bot.digest.state import SCHEMA_VERSION, Store, StoreError
from bot.errors import ConfigError, PaperBotError
from bot.search import store_build
from bot.search.store import StoreWriter, open_corpus, store_folder
from bot.sources import jsonl as jsonl_module
from bot.sources.corpus import load_corpus
from bot.sources.profile_page import RECORD_HEAD
from conftest import DATA, ROOT, TODAY

SEED = ROOT / "corpus" / "ben-poole-profile.txt"
GOOD = '{"title": "Paper %d on diffusion", "authors": ["Ann Lee"], "date": "2021-01-01", "abstract": "words"}'


def jsonl(path: Path, lines: list[str] | list[bytes]) -> Path:
    data = b"\n".join(line if isinstance(line, bytes) else line.encode() for line in lines) + b"\n"
    path.write_bytes(data)
    return path


def config(folder: Path, **extra: str) -> Path:
    """A config.yaml in ``folder`` with the shipped templates and a database in the folder."""
    lines = [f"responses: {ROOT / 'responses'}", "database: state.sqlite3", *(f"{k}: {v}" for k, v in extra.items())]
    path = folder / "config.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ask(capsys: pytest.CaptureFixture[str], folder: Path, question: str, *corpus: Path) -> tuple[int, dict, str]:
    """``paperbot ask --json`` in-process: (exit code, the answer, standard error)."""
    args = ["ask", "--json", question, "--config", str(config(folder))]
    for path in corpus:
        args += ["--corpus", str(path)]
    code = main(args)
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else {}, err


@pytest.fixture
def deny(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Make a file or folder unreadable: chmod 000, and for root (whom modes do not stop) a refusal from the OS calls."""
    denied: set[str] = set()
    real_open, real_listdir = os.open, os.listdir

    def refuse(path: object) -> None:
        if os.fspath(path) in denied:  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", os.fspath(path))  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", lambda path, *a, **k: (refuse(path), real_open(path, *a, **k))[1])
    monkeypatch.setattr(os, "listdir", lambda path=".": (refuse(path), real_listdir(path))[1])

    def _deny(path: Path) -> None:
        denied.add(str(path))
        path.chmod(0)

    yield _deny
    for path in denied:
        Path(path).chmod(0o755)


# --- corpus: one bad byte, line, file or folder never takes the rest offline ------------------------------


def both_builds(paths: list[Path], monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """The warnings of the in-memory load and of a store build cut into small pieces: they must agree."""
    monkeypatch.setattr(store_build, "PIECE_BYTES", 300)
    return load_corpus(paths).warnings, open_corpus(paths, rebuild=True).warnings


def test_a_bad_byte_skips_its_line_only_and_names_file_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines: list[str | bytes] = [GOOD % i for i in range(30)]
    lines[12] = (GOOD % 12).encode().replace(b"words", b"w\xffrds")
    path = jsonl(tmp_path / "c.jsonl", lines)  # type: ignore[arg-type]
    column = lines[12].index(b"\xff") + 1  # type: ignore[union-attr]
    memory, store = both_builds([path], monkeypatch)
    assert memory == store == [f"{path}:13: not valid UTF-8 (byte 0xff at column {column})"]
    assert len(load_corpus([path]).papers) == 29


def test_binary_and_utf16_files_are_skipped_with_one_warning_and_the_rest_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    jsonl(folder / "a.jsonl", [GOOD % i for i in range(5)])
    (folder / "x.jsonl").write_bytes(bytes(range(256)) * 40)
    (folder / "y.jsonl").write_text(GOOD % 99 + "\n", encoding="utf-16")
    memory, store = both_builds([folder], monkeypatch)
    assert (
        memory
        == store
        == [
            f"{folder / 'x.jsonl'}: binary data, not UTF-8 text; file skipped",
            f"{folder / 'y.jsonl'}: UTF-16 text, not UTF-8 (save it as UTF-8); file skipped",
        ]
    )
    assert len(open_corpus([folder]).index) == 5


def test_a_bad_byte_in_the_profile_page_skips_that_record_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = SEED.read_bytes().replace(b"Imagen Video: High Definition", b"Imagen Video: High \xffDefinition", 1)
    page = tmp_path / "profile.txt"
    page.write_bytes(data)
    code, answer, err = ask(capsys, tmp_path, "how many papers?", page)
    line = data[: data.index(b"\xff")].count(b"\n") + 1
    assert code == 0 and "45" in answer["text"]
    assert (
        f"{page}:{line}: not valid UTF-8" in err
        and f"{page}:{line - 1}: record skipped: it holds a line that is not valid UTF-8" in err
    )


def test_a_profile_page_cut_mid_line_does_not_load_a_cut_author(tmp_path: Path) -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    head = max(i for i, line in enumerate(lines) if RECORD_HEAD.match(line))
    title, authors = [i for i in range(head + 1, len(lines)) if lines[i]][:2]
    cut = "\n".join([*lines[:authors], lines[authors][:20]])  # "Ben Poole, Jascha So"
    page = tmp_path / "profile.txt"
    page.write_text(cut, encoding="utf-8")
    corpus = load_corpus([page])
    assert len(corpus.papers) == 45 and lines[title] not in {p.title for p in corpus.papers}
    assert corpus.warnings == [f"{page}:{head + 1}: record skipped: the page ends mid-line before its abstract (cut short?)"]
    assert load_corpus([SEED]).warnings == []  # the seed ends without a newline too, after a whole record


def test_unreadable_file_and_folder_are_skipped_with_one_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], deny
) -> None:
    good, bad_file, bad_folder = tmp_path / "good", tmp_path / "bad_file", tmp_path / "bad_folder"
    for folder in (good, bad_file, bad_folder):
        folder.mkdir()
    jsonl(good / "a.jsonl", [GOOD % i for i in range(3)])
    jsonl(bad_file / "b.jsonl", [GOOD % i for i in range(10, 13)])
    jsonl(bad_folder / "c.jsonl", [GOOD % i for i in range(20, 23)])
    jsonl(bad_file / "d.jsonl", [GOOD % 30])
    deny(bad_file / "b.jsonl")
    deny(bad_folder)
    code, answer, err = ask(capsys, tmp_path, "how many papers?", good, bad_file, bad_folder)
    assert code == 0 and "4" in answer["text"]
    assert f"warning: {bad_file / 'b.jsonl'}: cannot read this corpus file (Permission denied); skipped" in err
    assert f"warning: {bad_folder}: cannot read this corpus folder (Permission denied); skipped" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date", 99999, "date '99999' is not YYYY-MM-DD, YYYY-MM or YYYY"),
        ("date", "12345-01-01", "date '12345-01-01' is not YYYY-MM-DD, YYYY-MM or YYYY"),
        ("date", "2023-01-01garbage", "date '2023-01-01garbage' is not YYYY-MM-DD, YYYY-MM or YYYY"),
        ("date", 2023.9, "field 'date' must be text as YYYY-MM-DD, YYYY-MM or YYYY, not 2023.9"),
        ("date", "2023-02-30", "date '2023-02-30': day is out of range for month"),
        ("date", "0001-01-01", "date '0001-01-01' is outside the years 1600-2200"),
        ("date", True, "field 'date' must be text as YYYY-MM-DD, YYYY-MM or YYYY, not True"),
        ("has_code", "maybe", "field 'has_code' must be true or false, not 'maybe'"),
        ("has_code", 2, "field 'has_code' must be true or false, not 2"),
        ("authors_truncated", [], "field 'authors_truncated' must be true or false, not []"),
    ],
)
def test_bad_values_are_refused_naming_the_field_not_coerced(tmp_path: Path, field: str, value: object, message: str) -> None:
    record = json.loads(GOOD % 1) | {field: value}
    path = jsonl(tmp_path / "c.jsonl", [GOOD % 0, json.dumps(record)])
    corpus = load_corpus([path])
    assert corpus.warnings == [f"{path}:2: {message}"] and len(corpus.papers) == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [("false", False), ("0", False), ("no", False), (0, False), ("yes", True), ("TRUE", True), (1, True), (None, False)],
)
def test_well_known_boolean_spellings_are_read_as_meant(tmp_path: Path, value: object, expected: bool) -> None:
    record = json.loads(GOOD % 1) | {"has_code": value, "authors_truncated": value}
    paper = load_corpus([jsonl(tmp_path / "c.jsonl", [json.dumps(record)])]).papers[0]
    assert paper.has_code is expected and paper.authors_truncated is expected


def test_dropped_duplicates_are_counted_in_one_warning_naming_the_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [GOOD % i for i in range(8)]
    lines += [GOOD % 1, (GOOD % 2).replace("Paper 2 on diffusion", "PAPER 2 on Diffusion!"), *(GOOD % i for i in range(3, 7))]
    path = jsonl(tmp_path / "c.jsonl", lines)
    memory, store = both_builds([path], monkeypatch)
    assert (
        memory
        == store
        == [
            f"6 duplicate records dropped (same id or title as an earlier one): {path}:9 'Paper 1 on diffusion', "
            f"{path}:10 'PAPER 2 on Diffusion!', {path}:11 'Paper 3 on diffusion', ..."
        ]
    )


def test_thousands_of_junk_lines_are_a_few_warnings_and_the_good_lines_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    junk = [b"\xff\xfe junk %d" % i if i % 2 else b"{not json %d" % i for i in range(3000)]
    path = jsonl(tmp_path / "c.jsonl", [*junk, (GOOD % 1).encode()])
    memory, store = both_builds([path], monkeypatch)
    assert memory == store and len(memory) == 21 and memory[-1] == f"{path}: 2980 more bad lines not shown"
    assert len(load_corpus([path]).papers) == 1


# --- the index store: damage is found at load (sizes, headers, mtimes) or by checksum, and never answers ----------

QUESTIONS = [
    "papers on diffusion after 2022",
    "papers with code",
    "LG papers",
    "who coauthored most?",
    "papers per year",
    "newest papers",
    "papers with Luke Metz",
    "how many papers in 2023?",
    "what is VeLO?",
    "difusion models",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, list[dict]]:
    """A corpus folder with a stored index, a pristine copy of the store, and the answers it gives."""
    corpus = tmp_path_factory.mktemp("store") / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus)
    shutil.copy(DATA / "mini.jsonl", corpus)
    service = _service(corpus)
    folder = store_folder([corpus])
    pristine = corpus.parent / "pristine"
    shutil.copytree(folder, pristine)
    return corpus, folder, pristine, _answers(service)


@pytest.fixture
def store(built: tuple[Path, Path, Path, list[dict]]):
    corpus, folder, pristine, expected = built
    yield corpus, folder, expected
    shutil.rmtree(folder)
    shutil.copytree(pristine, folder)  # copy2: the mtimes too, so the next test loads it as written


def _service(corpus: Path) -> PaperService:
    return PaperService.from_paths(Settings(responses=ROOT / "responses"), [corpus])


def _answers(service: PaperService) -> list[dict]:
    return [{k: v for k, v in service.ask(q, today=TODAY).as_json().items() if k in ("records", "text")} for q in QUESTIONS]


def _damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    if how == "zero":
        data[middle : middle + 64] = bytes(len(data[middle : middle + 64]))
    elif how == "flip":
        data[middle] ^= 0x41
    elif how == "flip last":  # data, never a header
        data[-1] ^= 0x41
    elif how == "truncate":
        data = data[:middle]
    elif how == "empty":
        data = bytearray()
    if how == "delete":
        path.unlink()
    else:
        path.write_bytes(bytes(data))


STORE_FILES = [
    "date_ord.npy",
    "doc_len.npy",
    "rows.terms.npy",
    "rows.tfs.npy",
    "rows.indptr.npy",
    "title.doc_ids.npy",
    "title.tfs.npy",
    "text.doc_ids.npy",
    "text.tfs.npy",
    "authors.npy",
    "author_ptr.npy",
    "category.npy",
    "has_code.npy",
    "truncated.npy",
    "record_offsets.npy",
    "vocab.txt",
    "surface.txt",
    "tables.json",
    "records.jsonl",
]


@pytest.mark.parametrize("how", ["zero", "flip", "truncate", "empty", "delete"])
@pytest.mark.parametrize("name", STORE_FILES)
def test_a_damaged_store_file_is_found_at_load_and_rebuilt_never_answered_from(
    store, name: str, how: str, caplog: pytest.LogCaptureFixture
) -> None:
    corpus, folder, expected = store
    if how in ("zero", "flip") and (folder / name).stat().st_size < 2:
        pytest.skip("nothing to damage in place")
    _damage(folder / name, how)
    service = _service(corpus)
    assert not service.loaded.from_store
    assert f"the index store at {folder} is damaged ({name}: " in caplog.text
    assert _answers(service) == expected


@pytest.mark.parametrize("name", ["doc_len.npy", "has_code.npy", "records.jsonl", "vocab.txt"])
def test_damage_that_keeps_size_and_mtime_is_found_by_verify_which_rebuilds(
    store, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, folder, expected = store
    before = (folder / name).stat()
    _damage(folder / name, "flip last")
    os.utime(folder / name, ns=(before.st_atime_ns, before.st_mtime_ns))  # bit rot: nothing but the content changed
    assert main(["index", "--verify", "--quiet", "--corpus", str(corpus), "--config", str(config(corpus.parent))]) == 0
    out = capsys.readouterr().out
    assert "index rebuilt (the store was damaged)" in out and f"damaged: {name}: checksum differs from the one written" in out
    service = _service(corpus)
    assert service.loaded.from_store and _answers(service) == expected
    assert main(["index", "--verify", "--quiet", "--corpus", str(corpus), "--config", str(config(corpus.parent))]) == 0
    assert "every checksum verified" in capsys.readouterr().out


def test_the_bot_verifies_in_the_background_and_swaps_in_a_rebuilt_index(store, tmp_path: Path) -> None:
    corpus, folder, expected = store
    before = (folder / "date_ord.npy").stat()
    _damage(folder / "date_ord.npy", "zero")
    os.utime(folder / "date_ord.npy", ns=(before.st_atime_ns, before.st_mtime_ns))
    library = Library.open(Settings(responses=ROOT / "responses", database=tmp_path / "state.sqlite3"), [corpus])
    try:
        assert library.service.loaded.from_store  # the load is not slowed by hashing: it cannot see this damage
        assert library.verify_store() == ["date_ord.npy: checksum differs from the one written"]
        assert _answers(library.service) == expected and library.verify_store() == []
    finally:
        library.close()


@pytest.mark.parametrize("change", ["no sha256", "no store_files", "not json", "sizes as text"])
def test_an_incomplete_manifest_rebuilds_instead_of_a_traceback(store, change: str) -> None:
    corpus, folder, expected = store
    manifest = json.loads((folder / "manifest.json").read_text())
    if change == "no sha256":
        del manifest["files"][0]["sha256"]
    elif change == "no store_files":
        del manifest["store_files"]
    elif change == "sizes as text":
        manifest["store_files"]["vocab.txt"]["size"] = "12"
    (folder / "manifest.json").write_text("{not json" if change == "not json" else json.dumps(manifest))
    service = _service(corpus)
    assert not service.loaded.from_store and _answers(service) == expected


def test_a_store_file_lost_after_the_load_is_one_clear_line(store) -> None:
    corpus, folder, expected = store
    service = _service(corpus)
    assert service.loaded.from_store
    (folder / "surface.txt").unlink()  # opened at load: spelling still works
    assert _answers(service) == expected
    with (folder / "records.jsonl").open("r+b") as records:
        records.truncate(100)
    with pytest.raises(PaperBotError, match=rf"^the index store at {folder} is damaged \(records.jsonl: record \d+ unreadable"):
        _ = service.ask("papers on diffusion", today=TODAY).text


# --- config: refused in one short line naming the file and the key, never a traceback or a hang -------------------

BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (BOMB, "not readable YAML at line 2 (aliases (*name) are not allowed)"),
        ("1: a\nb: c\n", "unknown key 1"),
        ("x: " + "[" * 10_000 + "]" * 10_000 + "\n", "not readable YAML at line 1 (nested more than 20 levels deep)"),
        ("responses: nothere\n", "responses: 'nothere' is not a folder of templates (*.md.j2)"),
        ("digest:\n  check_seconds: .inf\n", "digest.check_seconds must be a finite number, not inf"),
        ("fetch:\n  timeout_seconds: .nan\n", "fetch.timeout_seconds must be a finite number, not nan"),
        ("chat:\n  cooldown_seconds: .inf\n", "chat.cooldown_seconds must be a finite number, not inf"),
        ("digest:\n  check_seconds: 1.0e-300\n", "digest.check_seconds must be greater than or equal to 0.1, not 1e-300"),
        (
            "search:\n  page_size: 100000000000000000000000000000\n",
            "search.page_size must be less than or equal to 50, not 100000000000000000000000000000",
        ),
        ("fetch:\n  retries: 1000000000000\n", "fetch.retries must be less than or equal to 10, not 1000000000000"),
        (
            "fetch:\n  arxiv_api: file:///etc/passwd\n",
            "fetch.arxiv_api must be an http:// or https:// URL with a host name, not 'file:///etc/passwd'",
        ),
        (
            "fetch:\n  arxiv_api: 'https://user:pw@example.org/api'\n",
            "fetch.arxiv_api must be an http:// or https:// URL with a host name",
        ),
        ("feeds:\n  - arxiv: q\n    every: .inf\n", "feeds[0].every must be a finite number, not inf"),
        ("discord:\n  page_timeout_seconds: -5\n", "discord.page_timeout_seconds must be greater than or equal to 1, not -5"),
        ("search:\n  result_cap: 1.5\n", "search.result_cap must be a whole number, not 1.5"),
        ("discord:\n  message_content: 'yes'\n", "discord.message_content must be true or false, not 'yes'"),
        ("profile_owner: " + "x" * 5_000 + "\n", "profile_owner must have at most 200 characters, not 'xxxxxxxx"),
    ],
)
def test_a_bad_config_is_one_short_line_naming_file_and_key(
    tmp_path: Path, text: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["ask", "x", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"paperbot: {path}: ") and message in err
    assert err.count("\n") == 1 and len(err) <= len("paperbot: \n") + 300


def test_config_files_that_are_not_utf8_or_too_large_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "config.yaml"
    for data, message in [
        (b"profile_owner: \xff\n", "not UTF-8 text (byte 0xff at offset 15)"),
        (b"# " * 40_000, "larger than 64 KB"),
    ]:
        path.write_bytes(data)
        assert main(["ask", "x", "--config", str(path)]) == 2
        assert message in capsys.readouterr().err


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    section=st.sampled_from(["search", "chat", "discord", "digest", "fetch", None]),
    key=st.sampled_from(
        [
            "result_cap",
            "page_size",
            "cooldown_seconds",
            "channels",
            "guilds",
            "time",
            "timezone",
            "check_seconds",
            "arxiv_api",
            "retries",
            "corpus",
            "feeds",
            "x",
        ]
    ),
    value=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
        max_leaves=8,
    ),
)
def test_any_value_for_any_key_loads_or_is_one_line(tmp_path: Path, section: str | None, key: str, value: object) -> None:
    path = tmp_path / "config.yaml"
    data = {"responses": str(ROOT / "responses"), **({section: {key: value}} if section else {key: value})}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        loaded = load_settings(path)
    except ConfigError as exc:
        assert str(exc).startswith(f"{path}: ") and "\n" not in str(exc) and len(str(exc)) <= 300
    else:
        numbers = [loaded.search.result_cap, loaded.chat.cooldown_seconds, loaded.digest.check_seconds, loaded.fetch.retries]
        assert all(math.isfinite(n) for n in numbers) and loaded.fetch.arxiv_api.startswith(("http://", "https://"))


# --- SQLite state: every error is one line, ask answers from the corpus, state is never silently lost ------------

EXTRA = '{"title": "Quokka census by drone", "authors": ["Bo Li"], "date": "2024-05-01", "abstract": "quokka counts"}'


@pytest.fixture
def state(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, list[str]]:
    """A corpus, a config and a state database holding one ingested record and one subscription; returns
    the database and the arguments every command takes."""
    corpus = jsonl(tmp_path / "corpus.jsonl", [GOOD % i for i in range(5)])
    args = ["--config", str(config(tmp_path)), "--corpus", str(corpus)]
    assert main(["ingest", str(jsonl(tmp_path / "extra.jsonl", [EXTRA])), *args]) == 0
    store = Store(tmp_path / "state.sqlite3")
    store.subscribe(42, 1, "quokka", None, None, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    store.close()
    capsys.readouterr()
    return tmp_path / "state.sqlite3", args


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_damaged_database_is_one_line_and_ask_answers_from_the_corpus(state, capsys: pytest.CaptureFixture[str]) -> None:
    database, args = state
    with database.open("r+b") as db:
        db.seek(4096)
        db.write(os.urandom(4096))
    code, out, err = run_cli(capsys, "ask", "--json", "how many papers?", *args)
    assert code == 0 and "5" in json.loads(out)["text"]
    assert f"warning: database {database}" in err and "answering from the corpus files only" in err
    for command in (["ingest"], ["digest", "--preview"]):
        code, out, err = run_cli(capsys, *command, *args)
        assert code == 2 and err.startswith(f"paperbot: database {database}") and err.count("\n") == 1


@pytest.mark.parametrize(
    "row", ["{not json", '{"id": "x", "title": "T", "authors": ["A"], "date": "2023-02-30"}', '{"title": "no id"}']
)
def test_a_bad_record_row_is_skipped_with_a_warning_and_the_rest_answers(
    state, row: str, capsys, caplog: pytest.LogCaptureFixture
) -> None:
    database, args = state
    with sqlite3.connect(database) as db:
        db.execute(
            "INSERT INTO records(id, title_key, first_seen, source, in_files, row) VALUES ('bad', 'bad', '2026-01-02T00:00:00.000000Z', 'x', 0, ?)",
            (row,),
        )
    code, out, _ = run_cli(capsys, "ask", "--json", "quokka", *args)
    assert code == 0 and [r["title"] for r in json.loads(out)["records"]] == ["Quokka census by drone"]
    assert f"database {database}: skipped a bad row in records (id 'bad')" in caplog.text


@pytest.mark.parametrize(
    ("column", "value"), [("watermark", "yesterday"), ("timezone", "Mars/Base"), ("time", "25:99"), ("created_at", None)]
)
def test_a_bad_subscription_row_is_skipped_with_a_warning_not_a_crash(
    state, column: str, value: str | None, capsys, caplog: pytest.LogCaptureFixture
) -> None:
    database, args = state
    with sqlite3.connect(database) as db:
        db.execute("PRAGMA ignore_check_constraints = 1")
        db.execute("CREATE TABLE s2 AS SELECT * FROM subscriptions")  # NOT NULL columns: write through a copy without them
        db.execute(f"UPDATE s2 SET {column} = ?", (value,))
        db.execute("DELETE FROM subscriptions")
        db.execute("DROP TABLE subscriptions")
        db.execute("ALTER TABLE s2 RENAME TO subscriptions")
    code, _, err = run_cli(capsys, "digest", "--preview", "--channel", "42", *args)
    assert code == 0 and "Traceback" not in err
    assert f"database {database}: skipped a bad row in subscriptions (channel_id 42)" in caplog.text


def test_a_dropped_table_is_not_re_created_silently(state, capsys: pytest.CaptureFixture[str]) -> None:
    database, args = state
    with sqlite3.connect(database) as db:
        db.execute("DROP TABLE records")
    code, _, err = run_cli(capsys, "ingest", *args)
    assert (
        code == 2
        and err
        == f"paperbot: database {database} lacks the table records: re-creating it would lose state; restore a backup, or start with --init-state\n"
    )
    assert run_cli(capsys, "ingest", "--init-state", *args)[0] == 0


def test_a_deleted_database_is_not_replaced_by_an_empty_one_without_init_state(state, capsys: pytest.CaptureFixture[str]) -> None:
    database, args = state
    for leftover in database.parent.glob(database.name + "*"):
        leftover.unlink()  # rm paperbot.sqlite3*
    code, out, err = run_cli(capsys, "digest", "--preview", *args)
    assert code == 2 and f"paperbot: database {database} is missing or empty, but one existed" in err and "--init-state" in err
    code, out, err = run_cli(capsys, "ask", "--json", "how many papers?", *args)
    assert code == 0 and "5" in json.loads(out)["text"]  # ask never needed it
    assert run_cli(capsys, "digest", "--preview", "--init-state", *args)[0] == 0


def test_a_database_deleted_while_running_refuses_changes_and_says_so_loudly(state, caplog: pytest.LogCaptureFixture) -> None:
    database, args = state
    library = Library.open(load_settings(Path(args[1])), [Path(args[3])])
    try:
        database.unlink()
        with pytest.raises(StoreError, match="was deleted or replaced while paperbot ran; restart paperbot"):
            library.store.subscribe(7, 1, "", None, None, dt.datetime(2026, 1, 2, tzinfo=dt.UTC))
        assert "THE DATABASE FILE" in caplog.text and any(r.levelname == "ERROR" for r in caplog.records)
    finally:
        library.close()


def test_a_replaced_database_is_logged(state, caplog: pytest.LogCaptureFixture) -> None:
    database, _ = state
    other = database.with_name("other.sqlite3")
    Store(other).close()
    shutil.copy(other, database)
    for wal in database.parent.glob(database.name + "-*"):
        wal.unlink()
    Store(database).close()
    assert f"database {database} is not the one paperbot used before (its id changed)" in caplog.text


def test_a_newer_schema_and_a_full_disk_are_one_line(state) -> None:
    database, _ = state
    store = Store(database)
    store.db.execute("PRAGMA max_page_count = 8")  # as if the disk were full: the database cannot grow
    paper = load_corpus([DATA / "mini.jsonl"]).papers[0]
    many = [dataclasses.replace(paper, id=f"big{i}", title=f"Big {i}", abstract="words " * 2000) for i in range(50)]
    with pytest.raises(StoreError, match=r"^database .*: database or disk is full$"):
        store.add_records(many, lambda: dt.datetime(2026, 1, 3, tzinfo=dt.UTC), "x")
    assert store.extra_count() == 1  # nothing of the failed change was kept
    store.close()
    with sqlite3.connect(database) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match=f"has schema version 99, newer than this paperbot's {SCHEMA_VERSION}"):
        Store(database)


# --- batch input: stdin is bytes; bad bytes are replaced and flagged; every output line is UTF-8 JSON ------------


@pytest.mark.parametrize(
    "env", [{"PYTHONIOENCODING": "utf-8:strict"}, {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}]
)
def test_junk_batch_lines_each_get_one_valid_utf8_json_answer(env: dict[str, str]) -> None:
    rng = random.Random(18)
    junk = [
        bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40))).replace(b"\n", b"").replace(b"\r", b"") for _ in range(400)
    ]
    lines = [b"papers on nerf", b"\xff", "diffusion \u00e9t\u00e9".encode(), b"x" * 10_000, *junk]
    stdin = b"\n".join(lines) + b"\n"
    out = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "-"],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        timeout=300,
        env=os.environ | env,
    )
    assert out.returncode == 0 and b"Traceback" not in out.stderr
    answers = [json.loads(line.decode("utf-8")) for line in out.stdout.split(b"\n") if line]  # strict UTF-8, or this fails
    expected = [line.decode("utf-8", "replace").strip() for line in lines]
    assert len(answers) == sum(1 for q in expected if q)
    assert answers[0]["question"] == "papers on nerf" and answers[0]["records"] and "input_note" not in answers[0]
    assert answers[1]["question"] == "\ufffd" and answers[1]["input_note"] == "bytes that are not UTF-8 were replaced with U+FFFD"
    assert answers[2]["question"] == "diffusion \u00e9t\u00e9" and "input_note" not in answers[2]
    assert answers[3]["question"] == "x" * 4096 and answers[3]["input_note"] == "the question was cut to 4096 bytes"


# --- memory: running out is one clear line, never a native crash, never records skipped as unreadable ---------


def test_memory_refused_by_the_system_is_out_of_memory_not_an_unreadable_file(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = jsonl(tmp_path / "c.jsonl", [GOOD % i for i in range(5)])

    def refuse(*args, **kwargs):
        raise OSError(errno.ENOMEM, "Cannot allocate memory")

    monkeypatch.setattr(mmap, "mmap", refuse)
    code, _, err = ask(capsys, tmp_path, "papers", corpus)
    assert code == 2 and err.startswith("paperbot: out of memory (Cannot allocate memory)") and "cannot read" not in err


def test_orjson_running_out_of_memory_is_not_a_skipped_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_memory(data):
        raise orjson.JSONDecodeError("Not enough memory to allocate buffer for parsing", "", 0)

    monkeypatch.setattr(jsonl_module.orjson, "loads", no_memory)
    with pytest.raises(MemoryError):
        load_corpus([jsonl(tmp_path / "c.jsonl", [GOOD % 1])])


def test_an_import_failing_under_a_memory_limit_is_out_of_memory(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    """Near the limit, CPython may fail an import with SystemError instead of MemoryError: the same one line."""

    def failing_import(args) -> int:
        raise SystemError("error return without exception set")

    monkeypatch.setitem(cli.COMMANDS, "ask", failing_import)
    assert main(["ask", "papers"]) == 2
    assert capsys.readouterr().err.startswith("paperbot: out of memory (error return without exception set)")


def test_under_any_memory_limit_ask_answers_or_says_out_of_memory_never_crashes(built) -> None:
    """From limits too low for numpy's own import (OpenBLAS exits 1 with its message, before paperbot
    runs) to enough: never a signal or a traceback, and exit 2 is always the one out-of-memory line."""
    corpus = built[0]
    env = os.environ | {"OPENBLAS_NUM_THREADS": "1"}  # OpenBLAS starts a thread per core at import, which a low limit refuses
    outcomes = []
    for megabytes in (100, 110, 115, 120, 125, 130, 140, 160, 200, 300):
        limit = megabytes << 20

        def cap(limit: int = limit) -> None:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        out = subprocess.run(
            [sys.executable, "-m", "bot", "ask", "--json", "--corpus", str(corpus), "papers on diffusion"],
            cwd=ROOT,
            capture_output=True,
            timeout=120,
            env=env,
            preexec_fn=cap,
        )
        outcomes.append(out.returncode)
        assert out.returncode >= 0 and b"Traceback" not in out.stderr, (megabytes, out.returncode, out.stderr[-500:])
        if out.returncode == 0:
            assert json.loads(out.stdout)["records"]
        elif out.returncode == 2:
            assert out.stderr.startswith(b"paperbot: out of memory") and out.stderr.count(b"\n") == 1, (
                megabytes,
                out.stderr[-500:],
            )
        else:
            assert out.returncode == 1 and (b"OpenBLAS" in out.stderr or not out.stderr), (megabytes, out.stderr[-500:])
    assert outcomes[-1] == 0


# --- other bad input: arbitrary lines among good ones, a store that cannot be saved ---------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    junk=st.lists(st.binary(max_size=30) | st.text(max_size=20).map(str.encode), min_size=1, max_size=10), where=st.integers(0, 5)
)
def test_any_junk_lines_leave_every_good_record_loaded(tmp_path: Path, junk: list[bytes], where: int) -> None:
    """Junk up to a third of a file (more is a binary file, skipped whole) never costs a good record."""
    good = [(GOOD % i).encode() for i in range(6)]
    assume(sum(map(len, junk)) * 2 <= sum(map(len, good)))
    lines = [*good[:where], *(j.replace(b"\n", b" ").replace(b"\r", b" ") for j in junk), *good[where:]]
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    corpus = load_corpus([path])
    titles = {p.title for p in corpus.papers}
    assert {f"Paper {i} on diffusion" for i in range(6)} <= titles
    assert all("\n" not in w for w in corpus.warnings)


def test_an_index_that_cannot_be_saved_says_so_instead_of_built_0_mb(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = jsonl(tmp_path / "c.jsonl", [GOOD % i for i in range(5)])

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(StoreWriter, "commit", full)
    code, out, _ = run_cli(capsys, "index", "--quiet", "--corpus", str(corpus), "--config", str(config(tmp_path)))
    assert code == 2 and "5 records" in out and "store: not saved at" in out and "MB" not in out


def test_a_read_only_database_names_the_file_that_is_not_writable(state, monkeypatch: pytest.MonkeyPatch) -> None:
    database, _ = state
    store = Store(database)
    shm = database.with_name(database.name + "-shm")
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: Path(p) != shm and real_access(p, mode))  # a -shm left read-only
    store.db.execute("PRAGMA query_only = 1")  # the read-only database SQLite then gives (modes do not bind root)
    try:
        with pytest.raises(StoreError, match=rf"readonly database \({shm.name} not writable: make it writable\)$"):
            store.subscribe(7, 1, "", None, None, dt.datetime(2026, 1, 2, tzinfo=dt.UTC))
    finally:
        store.close()

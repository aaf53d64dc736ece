"""The persisted index: loaded instead of rebuilt, rebuilt when the corpus content changes, never trusted when broken."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from bot.answer.service import PaperService
from bot.config import Settings
from bot.search.store import open_corpus, store_folder
from conftest import DATA, ROOT, TODAY

QUESTIONS = [
    "papers on diffusion",
    "who coauthored most?",
    "how many papers have code?",
    "papers by Alexander Alemi after 2019",
    "tell me about score matching at scale",
    "papers per year",
]


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(DATA / "mini.jsonl", folder / "mini.jsonl")
    shutil.copy(ROOT / "corpus" / "ben-poole-profile.txt", folder / "profile.txt")
    return folder


def _service(folder: Path) -> PaperService:
    return PaperService.from_paths(Settings(responses=ROOT / "responses"), [folder])


def _answers(service: PaperService) -> list[dict]:
    return [service.ask(q, today=TODAY).as_json() for q in QUESTIONS]


def test_second_start_loads_the_store_and_answers_the_same(corpus_dir: Path) -> None:
    first = _service(corpus_dir)
    assert not first.loaded.from_store
    assert (store_folder([corpus_dir]) / "manifest.json").is_file()
    second = _service(corpus_dir)
    assert second.loaded.from_store
    assert _answers(second) == _answers(first)
    assert second.loaded.profile == first.loaded.profile


def test_changed_content_rebuilds_but_a_touch_does_not(corpus_dir: Path) -> None:
    _service(corpus_dir)
    os.utime(corpus_dir / "mini.jsonl", ns=(1, 1))
    assert _service(corpus_dir).loaded.from_store  # same bytes, new mtime: rehashed, still fresh
    with (corpus_dir / "mini.jsonl").open("a", encoding="utf-8") as out:
        out.write(
            json.dumps({"title": "Zebra Stripes Explained", "authors": ["Ann Lee"], "date": "2024-01-02", "abstract": "zebra"})
            + "\n"
        )
    changed = _service(corpus_dir)
    assert not changed.loaded.from_store
    assert [r["title"] for r in changed.ask("zebra", today=TODAY).as_json()["records"]] == ["Zebra Stripes Explained"]
    assert _service(corpus_dir).loaded.from_store


def test_a_new_file_in_the_folder_rebuilds(corpus_dir: Path) -> None:
    _service(corpus_dir)
    (corpus_dir / "more.jsonl").write_text(json.dumps({"title": "Quokka Census", "authors": ["Bo Li"], "date": "2023"}) + "\n")
    service = _service(corpus_dir)
    assert not service.loaded.from_store
    assert service.ask("quokka", today=TODAY).as_json()["records"][0]["title"] == "Quokka Census"


@pytest.mark.parametrize("damage", ["manifest", "array", "records"])
def test_a_damaged_store_is_rebuilt(corpus_dir: Path, damage: str) -> None:
    expected = _answers(_service(corpus_dir))
    folder = store_folder([corpus_dir])
    if damage == "manifest":
        (folder / "manifest.json").write_text("{not json")
    elif damage == "array":
        (folder / "doc_len.npy").write_bytes(b"garbage")
    else:
        (folder / "records.jsonl").unlink()
    assert _answers(_service(corpus_dir)) == expected


def test_unwritable_store_still_answers(corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise OSError("read-only file system")

    monkeypatch.setattr("bot.search.store.save", refuse)
    loaded = open_corpus([corpus_dir])
    assert len(loaded.index) == 52 and not loaded.from_store


def test_appended_index_answers_like_a_full_build(corpus_dir: Path) -> None:
    full = open_corpus([corpus_dir], persist=False).index
    head = open_corpus([corpus_dir / "mini.jsonl"], persist=False).index
    tail = [full.papers[i] for i in range(len(head), len(full))]
    grown = head.appended(tail)
    for terms in (["diffus"], ["score", "match"], ["optim", "learn"], ["imag"]):
        a, b = full.search(terms, k=20), grown.search(terms, k=20)
        assert [(full.papers[h.doc].id, round(h.score, 9)) for h in a] == [(grown.papers[h.doc].id, round(h.score, 9)) for h in b]

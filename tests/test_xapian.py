"""The Xapian backend against the built-in engine, on shards served by real xapian-tcpsrv processes.

Scores, rankings and whole answers (records and text) must be the built-in engine's: on the seed
corpus, and on a generated 20k-record corpus with the 200 bench questions.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml
from xapian_servers import require_xapian, serve, serving

from bot.answer.service import PaperService
from bot.config import Settings, load_settings
from bot.errors import ConfigError
from bot.records import Paper
from bot.search.tokenizer import tokenize
from conftest import ROOT, TODAY

require_xapian()

import xapian  # noqa: E402

from bot.search.xapian_build import build_shards  # noqa: E402
from bot.search.xapian_index import ShardedIndex, ShardError  # noqa: E402

SHARDS = 2


def xapian_settings(settings: Settings, addresses: list[str], shard_dir: Path | None = None) -> Settings:
    search = settings.search.model_copy(
        update={"backend": "xapian", "shards": tuple(addresses), "shard_dir": str(shard_dir or "")}
    )
    return settings.model_copy(update={"search": search})


def bench_module(name: str):
    """A module of bench/ (the 200 bench questions and the corpus generator are the bench's own)."""
    sys.path.insert(0, str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def served_seed(seed: PaperService, tmp_path_factory):
    paths = build_shards(seed.index, tmp_path_factory.mktemp("seed-shards"), SHARDS)
    with serve(paths) as addresses:
        yield PaperService.from_paths(xapian_settings(load_settings(ROOT / "config.yaml"), addresses))


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """(built-in service, xapian service) on 20k generated records split over two served shards."""
    folder = tmp_path_factory.mktemp("gen20k")
    bench_module("gen_corpus").write(20_000, folder / "corpus.jsonl")
    settings = Settings(responses=ROOT / "responses")
    builtin = PaperService.from_paths(settings, [folder])
    paths = build_shards(builtin.index, folder / "shards", SHARDS)
    with serve(paths) as addresses:
        yield builtin, PaperService.from_paths(xapian_settings(settings, addresses), [folder])


def seed_questions() -> list[str]:
    asked = []
    for name in ("questions.yaml", "heldout/questions.yaml"):
        asked += [item["question"] for item in yaml.safe_load((ROOT / "tests" / "eval" / name).read_text(encoding="utf-8"))]
    return asked


def test_first_pass_scores_equal_the_builtin_engine_on_two_served_shards(seed: PaperService, served_seed: PaperService):
    local, sharded = seed.index, served_seed.index
    assert isinstance(sharded, ShardedIndex) and sharded.db.get_doccount() == len(local)
    topics = (
        [p.title for p in local.papers]
        + [p.abstract[:200] for p in local.papers]
        + ["diffusion", "neural radiance fields", "learned optimizers"]
    )
    compared = 0
    for text in topics:
        query = local.vocab.query(tokenize(text))
        ours, theirs = local.first_pass(query, None, None), sharded.first_pass(query, None, None)
        assert ours.docs.tolist() == theirs.docs.tolist(), text
        assert np.allclose(ours.scores, theirs.scores, rtol=0, atol=1e-6), text
        compared += ours.docs.size
    assert compared > 1000


def test_rankings_with_filters_and_feedback_equal_the_builtin_engine(seed: PaperService, served_seed: PaperService):
    local, sharded = seed.index, served_seed.index
    masks = [None, local.date_mask(dt.date(2022, 1, 1).toordinal(), None), local.category_mask("CV"), local.has_code.copy()]
    for paper in local.papers:
        for mask in masks:
            for k in (None, 1, 5, 10):
                ours, theirs = local.rank(tokenize(paper.title), mask, k), sharded.rank(tokenize(paper.title), mask, k)
                assert ours[0].tolist() == theirs[0].tolist(), (paper.title, k)
                assert np.allclose(ours[1], theirs[1], rtol=0, atol=1e-6)


def test_every_seed_question_gets_the_same_answer(seed: PaperService, served_seed: PaperService):
    for question in seed_questions():
        assert served_seed.ask(question, today=TODAY).as_json() == seed.ask(question, today=TODAY).as_json(), question


def test_200_bench_questions_get_the_same_answers_on_20k_records(generated):
    builtin, sharded = generated
    questions = bench_module("bench").questions(builtin)
    assert len(questions) >= 200
    kinds = set()
    for kind, question in questions:
        ours, theirs = builtin.ask(question), sharded.ask(question)
        assert theirs.as_json() == ours.as_json(), question
        kinds.add(kind)
    assert {"topic", "topic+year", "topic+author", "topic+category", "coauthors", "count", "long"} <= kinds


def test_top_masked_matches_widen_until_every_tie_is_in(generated):
    builtin, sharded = generated
    local = builtin.index
    rare = local.category_mask("cs.SD")  # about 1% of the records: the shards are asked again for more
    assert rare.sum() > 2_000 or local.has_code.sum() > 2_000
    for topic in ["learning", "model training data", "wing pressure"]:
        for mask in (rare, local.has_code):
            ours, theirs = local.rank(tokenize(topic), mask, 10), sharded.index.rank(tokenize(topic), mask, 10)
            assert ours[0].tolist() == theirs[0].tolist(), topic


def test_new_records_go_to_a_shard_and_are_seen_after_a_reopen(tmp_path: Path):
    from bot.digest.library import Library

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text((ROOT / "tests" / "data" / "mini.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    settings = Settings(responses=ROOT / "responses", database=tmp_path / "state.sqlite3")
    paths = build_shards(PaperService.from_paths(settings, [corpus]).index, tmp_path / "shards", SHARDS)
    new = Paper(
        "zz-1",
        "Quasicrystal tilings for sparse attention",
        ("Ada Lovelace",),
        dt.date(2026, 1, 2),
        "cs.LG",
        "Aperiodic quasicrystal patterns.",
    )
    with serve(paths) as addresses:
        library = Library.open(xapian_settings(settings, addresses, tmp_path / "shards"), [corpus])
        held = len(library.service.index)
        assert not library.service.ask("quasicrystal").reply.records
        library.add([new], "ingest:test")
        assert [p.id for p in library.service.ask("quasicrystal").reply.records] == ["zz-1"]
        library.close()
        shard = tmp_path / "shards" / f"shard-{held % SHARDS}"
        assert xapian.Database(str(shard)).term_exists("Qzz-1")  # record number `held` is dealt to shard held % 2
        reopened = Library.open(xapian_settings(settings, addresses, tmp_path / "shards"), [corpus])
        assert reopened.service.index.db.get_doccount() == held + 1
        assert [p.id for p in reopened.service.ask("quasicrystal").reply.records] == ["zz-1"]
        reopened.close()


def test_shards_that_do_not_hold_the_index_records_are_refused(seed: PaperService, tmp_path: Path):
    mini = PaperService.from_paths(Settings(responses=ROOT / "responses"), [ROOT / "tests" / "data" / "mini.jsonl"])
    paths = build_shards(mini.index, tmp_path / "shards", SHARDS)
    with serve(paths) as addresses, pytest.raises(ShardError, match="rebuild"):
        ShardedIndex(seed.index, addresses)


def test_xapian_backend_needs_its_shards(tmp_path: Path):
    config = tmp_path / "config.yaml"
    templates = f"responses: {ROOT / 'responses'}\n"
    config.write_text(templates + "search:\n  backend: xapian\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="shards must list the shard servers"):
        load_settings(config)
    config.write_text(templates + "search:\n  backend: elastic\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"search\.backend must be 'builtin' or 'xapian'"):
        load_settings(config)
    config.write_text(templates + "search:\n  backend: xapian\n  shards: ['127.0.0.1']\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="must be host:port"):
        load_settings(config)
    config.write_text(
        templates + "search:\n  backend: xapian\n  shards: ['127.0.0.1:33301', '127.0.0.1:33302']\n  shard_dir: shards\n",
        encoding="utf-8",
    )
    search = load_settings(config).search
    assert search.shards == ("127.0.0.1:33301", "127.0.0.1:33302") and search.shard_dir == str(tmp_path / "shards")


def test_index_command_writes_one_served_database_per_shard(tmp_path: Path, capsys):
    from bot.cli import main

    corpus = ROOT / "tests" / "data" / "mini.jsonl"
    config = tmp_path / "config.yaml"
    config.write_text(f"corpus: [{corpus}]\nresponses: {ROOT / 'responses'}\ndatabase: state.sqlite3\n", encoding="utf-8")
    assert (
        main(["index", "--config", str(config), "--backend", "xapian", "--shards", "3", "--out", str(tmp_path / "shards"), "-q"])
        == 0
    )
    printed = capsys.readouterr().out
    builtin = PaperService.from_paths(load_settings(config))
    assert f"{len(builtin.index)} records in 3 Xapian shards" in printed
    assert sorted(p.name for p in (tmp_path / "shards").iterdir()) == ["shard-0", "shard-1", "shard-2"]
    with serve(sorted((tmp_path / "shards").iterdir())) as addresses:
        config.write_text(
            config.read_text(encoding="utf-8") + f"search:\n  backend: xapian\n  shards: {addresses}\n", encoding="utf-8"
        )
        sharded = PaperService.from_paths(load_settings(config))
        assert isinstance(sharded.index, ShardedIndex)
        for question in ("papers on diffusion", "who coauthored most?", "how many papers have code?"):
            assert sharded.ask(question, today=TODAY).as_json() == builtin.ask(question, today=TODAY).as_json()


def test_a_stopped_shard_server_is_a_clear_error_and_a_restarted_one_answers_again(seed: PaperService, tmp_path: Path):
    paths = build_shards(seed.index, tmp_path / "shards", SHARDS)
    with serving(paths) as servers:
        sharded = PaperService.from_paths(xapian_settings(load_settings(ROOT / "config.yaml"), servers.addresses))
        expected = seed.ask("papers on diffusion after 2022", today=TODAY).as_json()
        assert sharded.ask("papers on diffusion after 2022", today=TODAY).as_json() == expected
        servers.stop(1)
        with pytest.raises(ShardError) as failed:
            sharded.ask("papers on diffusion after 2022", today=TODAY)
        assert "try again" in failed.value.user_message and servers.addresses[1] in failed.value.user_message
        servers.start(1)
        assert sharded.ask("papers on diffusion after 2022", today=TODAY).as_json() == expected


def test_every_filter_and_aggregation_gets_the_same_answer_on_20k_records(generated):
    builtin, sharded = generated
    papers = [builtin.index.papers[i] for i in (3, 500, 7_000, 19_000)]
    asked = []
    for paper in papers:
        word = max((w for w in paper.title.split() if w.isalpha()), key=len).lower()
        author = paper.authors[0]
        asked += [
            f"google papers on {word}",
            f"{word} papers not from deepmind",
            f"papers with code on {word}",
            f"{word} papers without code",
            f"{word} papers not by {author}",
            f"{word} except CV",
            f"{word} in LG or CV before 2020",
            f"newest papers on {word}",
            f"earliest {word} paper",
            f"papers per year on {word}",
            f"papers per category on {word}",
            f"which year had the most papers on {word}?",
            f"how many {word} papers since 2018",
            f"top coauthors on {word}",
            f"who coauthored most with {author}",
            f"papers like {paper.title}",
            f"top 3 papers on {word} after 2015",
            f"{word} papers by {author} between 2012 and 2025",
        ]
    for question in asked:
        assert sharded.ask(question).as_json() == builtin.ask(question).as_json(), question


def test_new_records_wait_for_another_writer_with_a_clear_message(tmp_path: Path):
    corpus = ROOT / "tests" / "data" / "mini.jsonl"
    local = PaperService.from_paths(Settings(responses=ROOT / "responses"), [corpus]).index
    paths = build_shards(local, tmp_path / "shards", SHARDS)
    new = Paper("zz-2", "Aperiodic monotiles", ("Ada Lovelace",), dt.date(2026, 1, 3), "cs.LG", "Einstein tiles.")
    with serve(paths) as addresses:
        sharded = ShardedIndex(local, addresses, tmp_path / "shards")
        writer = xapian.WritableDatabase(str(paths[len(local) % SHARDS]), xapian.DB_OPEN)  # another process ingesting
        try:
            with pytest.raises(ShardError, match="being written by another process"):
                sharded.appended([new])
        finally:
            writer.close()
        assert sharded.appended([new]).db.get_doccount() == len(local) + 1

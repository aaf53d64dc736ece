"""Several researchers in one corpus (issue 17): two profile pages sharing four papers, and JSON Lines
records naming whose list they are on. What the user sees: each profile's facts, comparisons, papers
written together, a shared paper counted once, coauthors without the owner in focus."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.answer.conversation import Conversations
from bot.answer.service import PaperService
from bot.config import Settings
from bot.digest.schedule import matching
from bot.records import Paper
from bot.search.store import open_corpus
from bot.sources.corpus import load_corpus
from bot.understand.options import coauthors_query, profile_query, search_query
from conftest import DATA, ROOT, TODAY

SEED = ROOT / "corpus" / "ben-poole-profile.txt"
METZ = DATA / "profiles" / "luke-metz-profile.txt"
SHARED = {
    "VeLO: Training Versatile Learned Optimizers by Scaling Up",
    "Tasks, stability, architecture, and compute: Training more effective learned optimizers, and using them to train themselves",
    "Using a thousand optimization tasks to learn hyperparameter search strategies",
    "Unrolled Generative Adversarial Networks",
}


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("two")
    shutil.copy(SEED, folder)
    shutil.copy(METZ, folder)
    return folder


@pytest.fixture(scope="module")
def service(two: Path) -> PaperService:
    return PaperService.from_paths(Settings(responses=ROOT / "responses"), [two])


def ask(service: PaperService, question: str):
    return service.ask(question, today=TODAY)


def titles(answer) -> set[str]:
    return {p.title for p in answer.reply.records}


def test_each_profile_keeps_its_header_and_a_shared_paper_is_one_record_on_both(two: Path):
    corpus = load_corpus([two])
    assert [(p.name, p.h_index, p.citations) for p in corpus.profiles] == [("Ben Poole", 111, 36354), ("Luke Metz", 31, 9876)]
    assert len(corpus.papers) == 46 + 8 - 4
    on_both = {p.title for p in corpus.papers if set(p.profiles) == {"Ben Poole", "Luke Metz"}}
    assert on_both == SHARED  # "VeLO - Training versatile ..." on Metz's page is the same paper by its title
    assert not any("duplicate" in w for w in corpus.warnings)  # a paper on two profiles is no problem to warn of


def test_the_persisted_store_holds_the_same_profiles(two: Path, tmp_path: Path):
    folder = tmp_path / "c"
    shutil.copytree(two, folder)
    built = open_corpus([folder], persist=True)
    reopened = open_corpus([folder], persist=True)
    assert reopened.from_store and [p.name for p in reopened.profiles] == ["Ben Poole", "Luke Metz"]
    for loaded in (built, reopened):
        assert {p.title for p in loaded.index.papers if len(p.profiles) == 2} == SHARED
        assert loaded.profiles[1].h_index == 31
        assert not any("duplicate" in w for w in loaded.warnings)


def test_per_profile_facts(service: PaperService):
    metz = ask(service, "what's Luke Metz's h-index?")
    assert metz.intent == "profile" and "h-index: **31**" in metz.text and "8 indexed" in metz.text
    poole = ask(service, "Ben Poole's citations")
    assert "h-index: **111**" in poole.text and "36,354" in poole.text and "46 indexed" in poole.text
    listed = ask(service, "whose profiles do you have?")
    assert listed.intent == "profiles"
    assert "**Ben Poole** (LG): h-index 111" in listed.text and "**Luke Metz** (LG): h-index 31" in listed.text
    assert "50 papers in all" in listed.text and "(4 also on another profile)" in listed.text
    assert ask(service, "which researchers do you know?").intent == "profiles"
    assert "h-index 111" in ask(service, "h-index").text and "h-index 31" in ask(service, "h-index").text  # no one named: both


def test_a_shared_paper_is_counted_once(service: PaperService):
    assert ask(service, "how many papers?").reply.context["count"] == 50
    assert ask(service, "how many papers by Luke Metz?").reply.context["count"] == 8
    rows = {r["name"]: r["count"] for r in ask(service, "who coauthored most with Ben Poole?").reply.context["rows"]}
    assert rows["Jascha Sohl-Dickstein"] == 4  # none of his three papers on Metz's page is on Poole's: not added
    metz_rows = {r["name"]: r["count"] for r in ask(service, "top 20 coauthors of Luke Metz").reply.context["rows"]}
    assert metz_rows["C. Daniel Freeman"] == 5 and metz_rows["Ben Poole"] == 1  # VeLO once, though both pages list it
    assert "Luke Metz" not in metz_rows


def test_a_question_naming_a_profile_means_that_profile(service: PaperService):
    answer = ask(service, "Luke Metz's papers on optimizers")
    assert answer.reply.query.profiles == ["Luke Metz"]
    assert "Gradients are Not All You Need" in titles(answer)
    assert all("Luke Metz" in p.profiles or "Luke Metz" in p.authors for p in answer.reply.records)
    assert "profile: Luke Metz" in answer.text


def test_compare_two_researchers(service: PaperService):
    answer = ask(service, "compare Ben Poole and Luke Metz")
    assert answer.intent == "compare" and titles(answer) == SHARED
    text = answer.text
    assert "**Ben Poole** (profile: h-index 111, citations 36,354): 46 papers, 2013–2025" in text
    assert "**Luke Metz** (profile: h-index 31, citations 9,876): 8 papers, 2016–2022" in text
    assert "**4 shared papers**" in text
    assert "Coauthors in common: 6" in text and "Jascha Sohl-Dickstein (4 · 3)" in text
    assert ask(service, "Ben Poole vs Luke Metz").intent == "compare"
    unknown = ask(service, "compare Ben Poole and Jane Roe")
    assert "no author named Jane Roe" in unknown.text


def test_papers_they_wrote_together(service: PaperService):
    assert titles(ask(service, "papers by Ben Poole and Luke Metz together")) == SHARED
    assert titles(ask(service, "papers they wrote together")) == SHARED  # the two profiles loaded


def test_who_coauthored_most_asks_whose_or_follows_the_focus(service: PaperService):
    plain = ask(service, "who coauthored most?")
    assert plain.reply.template == "which_profile" and not plain.reply.records
    assert "Whose coauthors do you mean?" in plain.text and "**Ben Poole**, **Luke Metz**" in plain.text
    chat = Conversations(service)
    assert "h-index: **31**" in chat.say("u", "Luke Metz's h-index", TODAY).text
    focused = chat.say("u", "who coauthored most?", TODAY)
    names = [r["name"] for r in focused.reply.context["rows"]]
    assert (
        focused.reply.context["owner"] == "Luke Metz"
        and "Luke Metz" not in names
        and names[:2]
        == [
            "C. Daniel Freeman",
            "Niru Maheswaranathan",
        ]
    )
    assert "h-index: **31**" in chat.say("u", "what's his h-index", TODAY).text
    chat.say("u", "compare Ben Poole and Luke Metz", TODAY)
    assert titles(chat.say("u", "papers they wrote together", TODAY)) == SHARED


def test_jsonl_records_name_whose_list_they_are_on(two: Path, tmp_path: Path):
    folder = tmp_path / "c"
    shutil.copytree(two, folder)
    records = [  # "a-" sorts first: the plain record is kept and the pages' profiles join it
        {
            "title": "Variational Diffusion Models",
            "authors": ["Diederik P. Kingma"],
            "date": "2021-07-01",
            "profile": "Luke Metz",
        },
        {"title": "A Paper Only Jane Lists", "authors": ["Jane Roe", "Luke Metz"], "date": "2024-02-02", "profile": ["Jane Roe"]},
        {"title": "Unrolled generative adversarial networks", "authors": ["Luke Metz"], "date": "2016-11-07"},
    ]
    (folder / "a-extra.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    for loaded in (open_corpus([folder], persist=False), open_corpus([folder], persist=True)):
        assert [p.name for p in loaded.profiles] == ["Ben Poole", "Luke Metz", "Jane Roe"]
        by_title = {p.title.lower(): p for p in loaded.index.papers}
        assert set(by_title["variational diffusion models"].profiles) == {"Ben Poole", "Luke Metz"}
        assert set(by_title["unrolled generative adversarial networks"].profiles) == {"Ben Poole", "Luke Metz"}
        assert by_title["a paper only jane lists"].profiles == ("Jane Roe",)
        assert [w for w in loaded.warnings if "duplicate" in w] == []
    svc = PaperService.from_paths(Settings(responses=ROOT / "responses"), [folder])
    assert ask(svc, "how many papers by Luke Metz?").reply.context["count"] == 10  # 8, his JSON Lines record, Jane's
    assert ask(svc, "how many papers?").reply.context["count"] == 51


def test_the_cli_answers_from_a_folder_of_profiles(two: Path):
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--corpus", str(two), "--json", "compare Ben Poole and Luke Metz"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["intent"] == "compare" and {r["title"] for r in answer["records"]} == SHARED


def test_with_one_profile_answers_are_as_before(seed: PaperService):
    coauthors = ask(seed, "who coauthored most?")
    assert coauthors.reply.template == "coauthors" and coauthors.reply.context["owner"] == "Ben Poole"
    assert "Ben Poole" not in [r["name"] for r in coauthors.reply.context["rows"]]
    facts = ask(seed, "h-index")
    assert facts.intent == "profile" and "h-index: **111**" in facts.text and "46 indexed" in facts.text
    assert ask(seed, "papers by Ben Poole").reply.query.profiles == []  # every record is his: the filter is dropped as before
    assert all(p.profiles == ("Ben Poole",) for p in seed.index.papers)
    listed = ask(seed, "whose profiles do you have?")
    assert "I have 1 profile (46 papers in all)" in listed.text


def test_slash_command_options_name_the_profile(service: PaperService):
    """What /coauthors person:..., /stats profile:... and /search author:... answer (the cogs pass their options here)."""
    rows = [r["name"] for r in service.respond(coauthors_query(service.lexicon, "Luke Metz")).reply.context["rows"]]
    assert rows[:2] == ["C. Daniel Freeman", "Niru Maheswaranathan"] and "Luke Metz" not in rows
    assert service.respond(coauthors_query(service.lexicon)).reply.template == "which_profile"
    assert "h-index: **31**" in service.respond(profile_query(service.lexicon, "luke metz")).text
    assert "h-index 111" in service.respond(profile_query(service.lexicon)).text  # no profile named: every profile
    search = service.respond(search_query(service.lexicon, "optimizers", author="Luke Metz"))
    assert search.reply.query.profiles == ["Luke Metz"] and "Gradients are Not All You Need" in titles(search)
    assert service.complete_profiles("me") == ["Luke Metz"]


def test_a_name_answers_whose_coauthors_and_a_new_name_replaces_the_profile(service: PaperService):
    chat = Conversations(service)
    assert chat.say("w", "who coauthored most?", TODAY).reply.template == "which_profile"
    metz = chat.say("w", "Luke Metz", TODAY)
    assert metz.reply.template == "coauthors" and metz.reply.context["owner"] == "Luke Metz"
    poole = chat.say("w", "what about Ben Poole?", TODAY)
    assert poole.reply.query.profiles == ["Ben Poole"] and poole.reply.context["considered"] == 46
    assert "Ben Poole" not in [r["name"] for r in poole.reply.context["rows"]]
    compared = chat.say("w", "compare Ben Poole and Luke Metz", TODAY)
    second = chat.say("w", "the second one", TODAY)
    assert [p.title for p in second.reply.records] == [compared.reply.records[1].title]


def test_help_names_every_profile(service: PaperService, seed: PaperService):
    assert "I know **50 papers** from the profiles of Ben Poole and Luke Metz" in ask(service, "help").text
    assert "I know **46 papers** from Ben Poole's profile" in ask(seed, "help").text


def test_compare_them_follows_the_two_in_focus(service: PaperService, seed: PaperService):
    chat = Conversations(service)
    chat.say("t", "papers by Ben Poole and Luke Metz together", TODAY)
    assert chat.say("t", "compare them", TODAY).reply.context["shared"] == 4
    assert "Name two people to compare" in ask(seed, "compare them").text  # one profile: nobody to pair it with


def test_records_added_later_bring_their_profiles(two: Path):
    """`paperbot ingest`, feeds: a record naming a profile no page gave joins the profiles known."""
    svc = PaperService.from_paths(Settings(responses=ROOT / "responses"), [two])
    assert ask(svc, "how many papers by Luke Metz?").reply.context["count"] == 8  # read before: only new records are read after
    added = Paper(
        "x1", "A Later Paper", ("Jane Roe", "Luke Metz"), dt.date(2026, 1, 2), source="new.jsonl:1", profiles=("Jane Roe",)
    )
    svc.use_index(svc.index.appended([added]))
    listed = ask(svc, "whose profiles do you have?")
    assert "I have 3 profiles" in listed.text and "**Jane Roe**: h-index unknown" in listed.text
    assert ask(svc, "how many papers by Luke Metz?").reply.context["count"] == 9


def test_a_stored_corpus_finds_the_records_a_profile_lists_without_decoding_the_rest(tmp_path: Path):
    folder = tmp_path / "c"
    folder.mkdir()
    shutil.copy(METZ, folder)
    lines = [{"title": f"Plain paper {i}", "authors": ["A. Person"], "date": "2020"} for i in range(30)]
    lines[7]["profile"] = "Jane Roe"
    (folder / "more.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))
    stored = open_corpus([folder], persist=True).index.papers.segments[0]
    expected = [i for i, p in enumerate(stored) if p.profiles]
    assert len(expected) == 9
    for chunk in (3, 13, 1 << 20):  # a marker cut by a read boundary is still found
        assert stored.holding(b'"profiles":["', chunk).tolist() == expected


def test_a_digest_filter_naming_a_profile_keeps_the_new_records_on_it(service: PaperService):
    new = [
        Paper("n1", "Optimizers again", ("X. Young",), dt.date(2026, 1, 1), profiles=("Luke Metz",)),
        Paper("n2", "Optimizers elsewhere", ("Z. West",), dt.date(2026, 1, 1)),
    ]
    kept = matching(new, "Luke Metz's papers on optimizers", service.lexicon, TODAY)
    assert [p.title for p in kept] == ["Optimizers again"]

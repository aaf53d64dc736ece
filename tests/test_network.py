"""The coauthor network picture: who is drawn, which ties, which names are written, what was cut."""

from __future__ import annotations

import dataclasses
import random

import pytest

from bot.answer.network import MAX_EDGES, MAX_PEOPLE, draw_network, network_note, plan_network
from bot.records import Paper
from bot.sources.corpus import load_corpus
from conftest import ROOT


@pytest.fixture(scope="module")
def papers() -> list[Paper]:
    return load_corpus([ROOT / "corpus"]).papers


def test_profile_network_labels_its_top_coauthors(papers):
    plan = plan_network(papers, center="Ben Poole")
    assert plan.center == "Ben Poole" and plan.labelled[0] == "Ben Poole"
    assert {"Luke Metz", "Jascha Sohl-Dickstein", "Alexander A. Alemi"} <= set(plan.labelled[1:6])
    assert plan.people["Luke Metz"] == 4  # node size: papers among the records
    assert plan.edges[0] == ("Alexander A. Alemi", "Ben Poole", 4)  # the heaviest tie: four shared papers
    assert all(a in plan.people and b in plan.people for a, b, _ in plan.edges)


def test_a_persons_network_is_their_records(papers):
    metz = [p for p in papers if "Luke Metz" in p.authors]
    plan = plan_network(metz, center="Luke Metz")
    assert plan.people["Luke Metz"] == 4 and plan.people["C. Daniel Freeman"] == 2
    assert ("C. Daniel Freeman", "Luke Metz", 2) in plan.edges
    assert network_note(plan) == ""  # small enough to show whole


def test_one_person_spelled_twice_on_a_paper_is_one_node(papers):
    paper = dataclasses.replace(papers[0], authors=("Aäron van den Oord", "Aaron van den Oord", "Ben Poole"))
    plan = plan_network([paper])
    assert plan.people == {"Aäron van den Oord": 1, "Ben Poole": 1}
    assert [{a, b, n} for a, b, n in plan.edges] == [{"Aäron van den Oord", "Ben Poole", 1}]


def test_500_people_are_cut_to_the_strongest_and_the_cut_is_said(papers):
    rng = random.Random(1)
    people = [f"Person {i:03d}" for i in range(500)]
    weights = [1 / (i + 1) ** 0.8 for i in range(500)]
    papers = [
        dataclasses.replace(
            papers[0], id=f"x{i}", title=f"t{i}", authors=tuple(dict.fromkeys(rng.choices(people, weights, k=rng.randint(2, 6))))
        )
        for i in range(1500)
    ]
    plan = plan_network(papers)
    assert len(plan.people) == MAX_PEOPLE and len(plan.edges) == MAX_EDGES and plan.people_total > 450
    counts = sorted(plan.people.values(), reverse=True)
    assert list(plan.people.values()) == counts  # the busiest people are the ones kept
    assert [w for _, _, w in plan.edges] == sorted((w for _, _, w in plan.edges), reverse=True)
    assert f"{MAX_PEOPLE} of" in network_note(plan) and f"{MAX_EDGES} of" in network_note(plan)
    assert draw_network(plan, "500 people").startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("question", "authors", "topic"),
    [
        ("show the coauthor network", [], ""),
        ("coauthor network of Luke Metz", ["luke metz"], ""),
        ("who works with whom", [], ""),
        ("network of diffusion papers", [], "diffusion"),
    ],
)
def test_network_questions_are_understood(ask, question, authors, topic):
    answer = ask(question)
    assert answer.intent == "network" and answer.reply.query.authors == authors and answer.reply.query.topic == topic
    assert "coauthor network" in answer.reply.understood


def test_who_coauthored_most_is_still_a_ranking(ask):
    assert ask("who coauthored most?").intent == "coauthors"


def test_network_pages_redraw_from_their_stored_request(seed):
    """A /network answer's page buttons redraw it after a restart from the command's options."""
    from types import SimpleNamespace

    from bot.discord.cogs.search import SearchCog
    from bot.discord.ui import Request

    cog = SearchCog(SimpleNamespace(service=seed))  # type: ignore[arg-type]
    answer = cog.answer_for(Request("network", {"person": "Luke Metz", "after": None, "before": None}))
    assert answer.intent == "network" and answer.reply.context["center"] == "Luke Metz"

"""Templates: every shipped template renders under StrictUndefined; escaping; page limits."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.answer.answer import Reply
from bot.answer.network import plan_network
from bot.answer.render import MESSAGE_LIMIT, Renderer, chunk, escape_md
from bot.records import Paper, Profile
from bot.understand.query import Query
from conftest import ROOT

HOSTILE = Paper(
    id="x1",
    title="**Bold** _claims_ @everyone <@&42> [link](http://evil) ```fence",
    authors=("Ann @here Lee", "Bo `Tick`"),
    date=dt.date(2021, 5, 6),
    category="CV",
    abstract="# Heading\n> quote ||spoiler|| " + "long " * 600,
    has_code=True,
    affiliations=("lab *one*",),
)
PROFILE = Profile(
    name="Ann Lee", field="CV", h_index=3, paper_count=1, citations=1234, novelty="1%", ai_score="2", source="x.txt"
)

CONTEXTS = {
    "search_results": {"scores": [1.0], "total": 1, "partial": False, "topic": "x"},
    "count": {"count": 1, "total": 1, "shown": 1},
    "digest": {
        "count": 4,
        "since": "2026-11-24 09:00 UTC",
        "filter": "@everyone *diffusion*",
        "more": 3,
        "more_hint": "/search query:@everyone ```",
    },
    "watch": {
        "watch_id": 3,
        "watch_question": "@everyone *diffusion* ```",
        "count": 4,
        "more": 3,
        "since": "2026-11-24 09:00 UTC",
    },
    "no_results": {"hints": ["no @everyone here"], "total": 1},
    "paper_detail": {"detail": ""},
    "similar": {"source": HOSTILE, "scores": [1.0]},
    "cite": {"page_items": [{"paper": HOSTILE, "bibtex": "@misc{x, title={```@everyone}}"}]},
    "author": {
        "name": "Ann @everyone Lee",
        "count": 1,
        "first_year": 2021,
        "last_year": 2021,
        "coauthors": [{"name": "Bo", "count": 1}],
        "categories": {"CV": 1},
    },
    "network": {
        "plan": plan_network([HOSTILE], center="Ann *x*"),
        "center": "Ann *x*",
        "considered": 1,
        "cut": "1 of 2 [x](y) people",
        "page_items": [{"name": "Bo *x*", "count": 2}],
    },
    "coauthors": {
        "rows": [{"rank": 1, "name": "Bo *x*", "count": 2, "tied": False}],
        "considered": 1,
        "truncated": 0,
        "owner": "Ann",
        "distinct": 1,
        "page_items": [{"rank": 1, "name": "Bo *x*", "count": 2, "tied": False}],
    },
    "breakdown": {
        "rows": [{"key": 2021, "label": "2021", "count": 1}],
        "group_by": "year",
        "leaders": ["2021"],
        "best": 1,
        "total": 1,
        "show_leader": True,
        "least": False,
        "empty": [],
        "page_items": [{"key": 2021, "label": "2021", "count": 1}],
        "page_size": 60,
        "width": 4,
        "bar_scale": 1.0,
    },
    "profile": {"profile": PROFILE, "indexed": 1, "with_code": 1},
    "profiles": {
        "rows": [
            {"profile": PROFILE, "indexed": 1, "with_code": 1, "shared": 1},
            {"profile": Profile(name="Bo *x*"), "indexed": 0, "with_code": 0, "shared": 0},
        ],
        "total": 1,
        "several": True,
    },
    "which_profile": {"names": ["Ann @everyone", "Bo *x*"], "asked": "coauthors"},
    "compare": {
        "sides": [
            {
                "name": name,
                "profile": profile,
                "count": 1,
                "first_year": 2021,
                "last_year": 2021,
                "busiest": [2021],
                "busiest_count": 1,
                "categories": [{"code": "CV", "name": "Computer Vision", "count": 1}],
                "with_code": 1,
                "coauthors": [{"name": "Cy `x`", "count": 1}],
            }
            for name, profile in (("Ann @everyone Lee", PROFILE), ("Bo *x*", None))
        ],
        "shared": 1,
        "common": [{"name": "Cy @here", "counts": [1, 1]}],
        "common_total": 1,
    },
    "help": {"total": 1, "owner": "", "profiles": ["Ann @everyone", "Bo *x*"]},
    "error": {"message": "question too long"},
    "conversation": {"kind": "hint", "why": "range", "phrase": "the @everyone *second* one", "count": 3},
    "unsupported": {"caveat": "no @everyone [link](http://evil) here", "citations": 5},
}


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(ROOT / "responses")


def test_every_template_has_a_fixture(renderer):
    assert set(renderer.template_names()) == set(CONTEXTS)


@pytest.mark.parametrize("template", sorted(CONTEXTS))
def test_template_renders_safely(renderer, template):
    context = {"understood": "topic: x", "notes": ["a note"], "question": "q", **CONTEXTS[template]}
    paging = {key: context.pop(key) for key in ("page_items", "page_size") if key in context}
    reply = Reply("q", template, Query(text="q"), "topic: x", [HOSTILE], template, context, **paging)
    pages = [page.text for page in renderer.render(reply)]
    assert pages and all(0 < len(p) <= MESSAGE_LIMIT for p in pages)
    text = "\n".join(pages)
    assert "@everyone" not in text and "@here" not in text and "<@&42>" not in text
    assert "**Bold**" not in text


def test_footer_is_data_not_markdown_parsed_back(renderer):
    """Discord gets the body and a plain footer; the terminal text ends with the escaped footer line."""
    context = {"understood": "topic: *x* (y)", "notes": [], "question": "q", "total": 1}
    reply = Reply("q", "search", Query(text="q"), "topic: *x* (y)", [HOSTILE], "search_results", context)
    (page,) = renderer.render(reply)
    assert page.footer == "understood as: topic: *x* (y)"
    assert page.text.endswith(r"-# understood as: topic: \*x\* (y)")  # no visible \( (issue 13)
    assert "understood as" not in page.body and page.text.startswith(page.body)


def test_escape_md():
    assert (
        escape_md("*a* _b_ `c` [d](e) ~~f~~ ||g||") == r"\*a\* \_b\_ \`c\` \[d\](e) \~\~f\~\~ \|\|g\|\|"
    )  # brackets escaped: no link, no "\(" shown
    assert escape_md("# title") == r"\# title"
    assert "@\u200beveryone" in escape_md("@everyone")


def test_chunk_respects_limit_and_keeps_text():
    text = "\n".join(f"line {i} " + "w " * (i * 20) for i in range(60))
    pieces = chunk(text, 500)
    assert all(len(p) <= 500 for p in pieces)
    assert "".join(pieces).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")

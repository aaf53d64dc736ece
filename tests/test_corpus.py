"""The corpus parsers: the seed profile page, JSON Lines, malformed input, names."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import CorpusError
from bot.names import fold, name_key
from bot.records import title_key
from bot.sources.corpus import load_corpus
from bot.sources.jsonl import parse_jsonl
from conftest import DATA, ROOT

SEED = ROOT / "corpus" / "ben-poole-profile.txt"


def test_seed_profile_parses_every_record():
    corpus = load_corpus([SEED])
    assert len(corpus.papers) == 46
    assert sum(p.has_code for p in corpus.papers) == 6
    assert corpus.warnings == []
    profile = corpus.profile
    assert profile is not None
    assert (profile.name, profile.h_index, profile.paper_count, profile.citations) == ("Ben Poole", 111, 46, 36354)
    assert profile.novelty == "60%" and profile.ai_score == "47"
    assert len({p.id for p in corpus.papers}) == 46


def test_seed_record_fields():
    papers = {p.title: p for p in load_corpus([SEED]).papers}
    velo = papers["VeLO: Training Versatile Learned Optimizers by Scaling Up"]
    assert velo.category == "LG" and velo.has_code and velo.date == dt.date(2022, 11, 17)
    assert velo.authors == ("Luke Metz", "James Harrison", "C. Daniel Freeman")
    assert velo.authors_truncated and velo.affiliations == ("anthropic", "deepmind")
    assert velo.abstract.startswith("While deep learning models")
    prediction = papers["Variational Prediction"]
    assert prediction.authors == ("Alexander A. Alemi", "Ben Poole") and not prediction.authors_truncated
    assert prediction.affiliations == ()


def test_every_shipped_corpus_file_parses_without_warnings():
    corpus = load_corpus([ROOT / "corpus"])
    assert corpus.warnings == []
    assert len(corpus.papers) >= 46


def test_jsonl_records_and_optional_fields():
    papers = {p.title: p for p in load_corpus([DATA / "mini.jsonl"]).papers}
    assert len(papers) == 6
    score = papers["Score Matching at Scale"]
    assert score.date == dt.date(2022, 6, 1) and score.date_precision == "month" and score.category == "ML"
    assert papers["Learned Optimizers That Scale"].date_precision == "year"
    nerf = papers["Neural Radiance Fields from Few Views"]
    assert nerf.id == "2301.01234" and nerf.arxiv_id == "2301.01234v2"
    assert papers["Protein Structure, Briefly"].category == "q-bio.BM"


def test_names_are_one_person_however_spelled():
    assert name_key("Aäron van den Oord") == name_key("Aaron van den Oord")
    assert name_key("Alexander A Alemi") == name_key("Alexander A. Alemi")
    papers = load_corpus([DATA / "mini.jsonl"]).papers
    oord = {a for p in papers for a in p.authors if "Oord" in a}
    assert oord == {"Aäron van den Oord"}
    alemi = {a for p in papers for a in p.authors if "Alemi" in a}
    assert alemi == {"Alexander A. Alemi"}


def test_malformed_profile_record_is_skipped_with_file_and_line(tmp_path: Path):
    text = SEED.read_text(encoding="utf-8")
    broken = text.replace("CVOct 5, 2022\nImagen Video", "CVOct 5, 2022\n\n", 1)
    broken = broken.replace("LGJul 14, 2023", "LGJul 14, 2023", 1)
    path = tmp_path / "broken.txt"
    path.write_text(broken, encoding="utf-8")
    corpus = load_corpus([path])
    assert len(corpus.papers) == 45
    assert any(w.startswith(f"{path}:19:") for w in corpus.warnings)


def test_malformed_jsonl_lines_are_skipped_and_named(tmp_path: Path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"title": "Good", "authors": ["A B"], "date": "2020"}\n'
        "{not json\n"
        '{"title": "No authors", "date": "2020"}\n'
        '{"title": "Bad date", "authors": ["A B"], "date": "someday"}\n'
        '["a list"]\n'
        '{"title": "Also good", "authors": ["C D"], "date": "2021-02-03"}\n',
        encoding="utf-8",
    )
    corpus = load_corpus([path])
    assert [p.title for p in corpus.papers] == ["Good", "Also good"]
    assert [w.split(":")[1] for w in corpus.warnings] == ["2", "3", "4", "5"]
    assert "authors" in corpus.warnings[1] and "date" in corpus.warnings[2]


def test_jsonl_strings_may_hold_unicode_line_separators(tmp_path: Path):
    """A JSON string may hold U+2028 or U+0085 raw: the record is one line all the same, and the
    next record keeps its line number."""
    path = tmp_path / "seps.jsonl"
    path.write_text(
        '{"title": "Line\u2028separated", "authors": ["A B"], "date": "2020", "abstract": "one\u0085two three"}\n'
        "{broken\n"
        '{"title": "Next", "authors": ["C D"], "date": "2021"}\r\n',
        encoding="utf-8",
    )
    corpus = load_corpus([path])
    assert [p.title for p in corpus.papers] == ["Line separated", "Next"]
    assert corpus.papers[0].abstract == "one two three"
    assert [w.split(":")[1] for w in corpus.warnings] == ["2"]


def test_missing_path_and_empty_corpus_are_clear_errors(tmp_path: Path):
    with pytest.raises(CorpusError, match="not found"):
        load_corpus([tmp_path / "nope"])
    empty = tmp_path / "empty.jsonl"
    empty.write_text("{oops\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="no readable records"):
        load_corpus([empty])


def test_duplicates_across_sources_are_dropped(tmp_path: Path):
    copy = tmp_path / "dup.jsonl"
    copy.write_text('{"title": "DreamFusion: Text-to-3D using 2D Diffusion", "authors": ["Ben Poole"], "date": "2022"}\n')
    corpus = load_corpus([SEED, copy])
    assert len(corpus.papers) == 46


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=127), max_size=60))
def test_title_key_of_ascii_titles_is_unchanged(title: str):
    """Stable ids and de-duplication hang on title_key: its fast path for ASCII gives what the general one does."""
    import re

    assert title_key(title) == " ".join(re.sub(r"[^a-z0-9]+", " ", fold(title)).split())


@settings(max_examples=400)
@given(
    st.text(alphabet=st.sampled_from(list("ab  \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000\x00\x7fé")), max_size=30)
    | st.text(max_size=30)
)
def test_record_text_is_single_spaced_whatever_its_whitespace(text: str) -> None:
    """Titles and abstracts are stored with every run of whitespace (tabs, newlines, Unicode separators) as one space."""
    line = json.dumps({"title": "T " + text, "authors": ["A B"], "date": "2020", "abstract": text})
    papers, _ = parse_jsonl(line, "x")
    assert papers[0].abstract == " ".join(text.split())
    assert papers[0].title == " ".join(("T " + text).split())

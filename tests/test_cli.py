"""The terminal contract: JSON shape, exit codes, stdin JSON Lines, config validation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, ROOT

RECORD_KEYS = {"id", "title", "date", "year", "category", "authors", "authors_truncated", "affiliations", "has_code", "abstract"}


def run(*args: str, stdin: str | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120)


def test_ask_prints_discord_markdown():
    out = run("ask", "papers on diffusion after 2022")
    assert out.returncode == 0
    assert "**1. " in out.stdout and "understood as: topic: diffusion" in out.stdout


def test_ask_json_contract():
    out = run("ask", "--json", "papers on diffusion after 2022")
    data = json.loads(out.stdout)
    assert set(data) >= {"question", "intent", "interpretation", "records", "text"}
    assert data["intent"] == "search" and data["interpretation"]["topic"] == "diffusion"
    assert data["interpretation"]["date_from"] == "2023-01-01"
    assert data["records"] and set(data["records"][0]) >= RECORD_KEYS
    assert all(r["date"] >= "2023-01-01" for r in data["records"])


def test_records_are_never_cut_to_one_page_and_limit_caps_them():
    data = json.loads(run("ask", "--json", "papers").stdout)
    assert len(data["records"]) == 46
    capped = json.loads(run("ask", "--json", "--limit", "5", "diffusion").stdout)
    assert len(capped["records"]) == 5


def test_stdin_json_lines():
    out = run("ask", "--json", "-", stdin="h-index\n\nwho coauthored most?\n")
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [d["intent"] for d in lines] == ["profile", "coauthors"]


def test_nothing_found_exits_zero():
    out = run("ask", "papers on protein folding")
    assert out.returncode == 0 and "Nothing found" in out.stdout


def test_missing_corpus_exits_two_with_one_line():
    out = run("ask", "--corpus", "no/such/dir", "x")
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == ["paperbot: corpus path not found: no/such/dir"]


def test_other_corpus_and_warnings(tmp_path: Path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text((DATA / "mini.jsonl").read_text() + "{broken\n")
    out = run("ask", "--json", "--corpus", str(bad), "papers by Jane Roe")
    assert out.returncode == 0
    assert f"{bad}:7" in out.stderr
    assert len(json.loads(out.stdout)["records"]) == 3


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("search:\n  page_size: ten\n", "search.page_size must be a whole number"),
        ("serch: {}\n", "unknown key 'serch'"),
        ("search:\n  pagesize: 3\n", "unknown key 'pagesize'"),
        ("timezone: Mars/Base\n", "not an IANA time zone"),
        ("corpus: 7\n", "corpus must be a path or a list of paths"),
        ("[unclosed\n", "not readable YAML"),
        ('digest:\n  time: "25:00"\n', "digest.time must be a time as HH:MM"),
        ("digest:\n  timezone: Nowhere/Land\n", "digest.timezone"),
        ("feeds:\n  - arxiv: ''\n", "feeds[0].arxiv must have at least 1 character"),
        ("feeds:\n  - arxiv: 'au:X'\n    every: soon\n", "feeds[0].every must be a duration"),
        ("chat:\n  cooldown_seconds: -1\n", "chat.cooldown_seconds must be greater than or equal to 0, not -1"),
        ("discord:\n  guilds: [abc]\n", "discord.guilds[0] must be a whole number"),
    ],
)
def test_bad_config_names_the_key_and_exits_two(tmp_path: Path, config: str, message: str):
    path = tmp_path / "config.yaml"
    path.write_text(config)
    out = run("ask", "--config", str(path), "x")
    assert out.returncode == 2
    assert message in out.stderr and str(path) in out.stderr
    assert "Traceback" not in out.stderr


def test_bad_usage_exits_two():
    assert run("ask").returncode == 2
    assert run("frobnicate").returncode == 2


def test_chart_file(tmp_path: Path):
    png = tmp_path / "c.png"
    out = run("ask", "--chart", str(png), "papers per year")
    assert out.returncode == 0 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_network_question_writes_the_coauthor_picture(tmp_path: Path):
    png = tmp_path / "net.png"
    out = run("ask", "--chart", str(png), "coauthor network of Luke Metz")
    assert out.returncode == 0 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "around Luke Metz: 7 people on 4 papers" in out.stdout and "C. Daniel Freeman: 2 papers" in out.stdout


def test_chat_reads_until_eof():
    out = run("chat", stdin="h-index\nhow many papers have code?\n")
    assert out.returncode == 0
    assert "36,354" in out.stdout and "**6** of 46" in out.stdout


def test_ingest_prints_new_records_once_and_ask_sees_them(tmp_path: Path):
    config = tmp_path / "config.yaml"
    config.write_text(f"corpus: [{ROOT / 'corpus'}]\nresponses: {ROOT / 'responses'}\ndatabase: {tmp_path / 'db.sqlite3'}\n")
    first = run("ingest", str(DATA / "mini.jsonl"), "--config", str(config))
    assert first.returncode == 0 and "+ 2024-05-05  Protein Structure, Briefly" in first.stdout
    again = run("ingest", str(DATA / "mini.jsonl"), "--config", str(config))
    assert again.returncode == 0 and "\n+ " not in "\n" + again.stdout and "0 new records" in again.stdout
    answer = json.loads(run("ask", "--json", "protein structure", "--config", str(config)).stdout)
    assert answer["records"][0]["title"] == "Protein Structure, Briefly"
    preview = run("digest", "--preview", "--since", "2000-01-01", "--config", str(config))
    assert preview.returncode == 0 and "Protein Structure, Briefly" in preview.stdout
    assert run("ingest", str(tmp_path / "missing.jsonl"), "--config", str(config)).returncode == 2


def test_a_broken_database_is_named_and_never_a_traceback(tmp_path: Path):
    broken = tmp_path / "db.sqlite3"
    broken.write_bytes(b"not a database at all")
    config = tmp_path / "config.yaml"
    config.write_text(f"corpus: [{ROOT / 'corpus'}]\nresponses: {ROOT / 'responses'}\ndatabase: {broken}\n")
    ingest = run("ingest", "--config", str(config))
    assert ingest.returncode == 2 and "not a database" in ingest.stderr and "Traceback" not in ingest.stderr
    ask = run("ask", "--config", str(config), "papers on diffusion")
    assert ask.returncode == 0 and "answering from the corpus files only" in ask.stderr and "papers** found" in ask.stdout
    assert broken.read_bytes() == b"not a database at all"  # nothing overwritten


def test_json_records_are_bounded_by_limit_for_every_intent_and_total_counts_all():
    count = json.loads(run("ask", "--json", "--limit", "3", "how many papers?").stdout)
    assert count["intent"] == "count" and len(count["records"]) == 3 and count["total"] == 46
    assert "46" in count["text"]  # the count still counts everything
    full = json.loads(run("ask", "--json", "how many papers?").stdout)
    assert [r["id"] for r in full["records"][:3]] == [r["id"] for r in count["records"]]  # in answer order
    breakdown = json.loads(run("ask", "--json", "--limit", "2", "papers per year").stdout)
    assert len(breakdown["records"]) == 2 and breakdown["total"] == 46


def test_chat_keeps_the_conversation_and_json_names_the_context():
    out = run("chat", "--json", stdin="diffusion papers from 2023\n\nwho wrote the second one?\nstart over\nand with code?\n")
    assert out.returncode == 0
    turns = [json.loads(line) for line in out.stdout.splitlines()]
    assert [t["question"] for t in turns] == [
        "diffusion papers from 2023",
        "who wrote the second one?",
        "start over",
        "and with code?",
    ]
    ask_keys = set(json.loads(run("ask", "--json", "papers on NeRF").stdout))
    assert all(set(t) == ask_keys | {"context"} for t in turns)
    assert [t["context"] for t in turns] == [None, "diffusion papers from 2023", None, None]
    assert [r["title"] for r in turns[1]["records"]] == ["Learning a Diffusion Prior for NeRFs"] and "Guandao Yang" in turns[1][
        "text"
    ]
    assert turns[3]["intent"] == "hint" and turns[3]["records"] == []


def test_ask_stays_stateless():
    out = run("ask", "--json", "-", stdin="diffusion papers from 2023\nwho wrote the second one?\n")
    second = json.loads(out.stdout.splitlines()[1])
    assert "context" not in second and second["intent"] != "hint"
    assert "Learning a Diffusion Prior for NeRFs" not in [r["title"] for r in second["records"]]

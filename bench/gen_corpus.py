"""Synthetic paper-like corpora in the JSON Lines record format, for bench/bench.py.

Realistic in the ways that matter to speed: a Zipf vocabulary (real words from the Cranfield and
CISI abstracts first, in their frequency order, then invented words for the long tail), titles of
6-14 words and abstracts of ~180, authors drawn from a pool with a heavy tail (a few prolific
people, many one-paper authors), 1-12 authors per paper, dates over 15 years with more papers in
later years, arXiv categories with realistic weights, code on ~20% of papers, affiliations on some.

    python bench/gen_corpus.py 100000 > corpus-100k.jsonl
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
CATEGORIES = ["cs.LG", "cs.CV", "cs.CL", "stat.ML", "cs.AI", "cs.NE", "cs.RO", "cs.IR", "cs.CR", "eess.IV", "q-bio.NC", "cs.SD"]
CATEGORY_WEIGHTS = [0.30, 0.22, 0.15, 0.09, 0.07, 0.04, 0.04, 0.03, 0.02, 0.02, 0.01, 0.01]
AFFILIATIONS = [
    "google",
    "deepmind",
    "stanford",
    "mit",
    "berkeley",
    "cmu",
    "oxford",
    "meta",
    "microsoft",
    "eth zurich",
    "mila",
    "tsinghua",
    "nvidia",
    "openai",
    "toronto",
]
FIRST = [
    "Ada",
    "Ben",
    "Cleo",
    "Dan",
    "Eva",
    "Femi",
    "Gus",
    "Hana",
    "Ivan",
    "Jia",
    "Kai",
    "Lena",
    "Milo",
    "Nora",
    "Omar",
    "Pia",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
    "Uma",
    "Vik",
    "Wen",
    "Xin",
    "Yara",
    "Zoe",
    "Alex",
    "Bo",
    "Chen",
    "Dev",
    "Eli",
    "Farah",
    "Gil",
    "Hugo",
    "Ines",
    "Jon",
    "Kim",
    "Liam",
    "Maya",
    "Noor",
]
LAST = [
    "Abe",
    "Ali",
    "Bauer",
    "Chen",
    "Diaz",
    "Evans",
    "Fischer",
    "Garcia",
    "Gupta",
    "Hall",
    "Ito",
    "Jones",
    "Kim",
    "Kumar",
    "Lee",
    "Lopez",
    "Meyer",
    "Nguyen",
    "Ortiz",
    "Patel",
    "Quispe",
    "Rossi",
    "Sato",
    "Singh",
    "Smith",
    "Tanaka",
    "Ueda",
    "Volkov",
    "Wang",
    "Weber",
    "Xu",
    "Yamada",
    "Zhang",
    "Zhou",
    "Novak",
    "Berg",
    "Costa",
    "Dubois",
    "Okafor",
    "Haddad",
]
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "ta",
    "vo",
    "xi",
    "ze",
    "ph",
    "str",
    "gra",
    "mon",
    "tel",
    "vin",
    "dor",
    "quel",
    "bra",
    "sen",
    "tri",
    "ul",
    "ox",
    "er",
    "an",
]


def real_words() -> list[str]:
    """Words of the bench collections' abstracts, most frequent first."""
    counts: collections.Counter[str] = collections.Counter()
    for name in ("cranfield", "cisi"):
        for line in (HERE / "data" / name / "corpus.jsonl").open(encoding="utf-8"):
            record = json.loads(line)
            counts.update(re.findall(r"[a-z]{3,}", (record.get("title", "") + " " + record.get("text", "")).lower()))
    return [w for w, _ in counts.most_common()]


def invented_words(n: int, rng: np.random.Generator, taken: set[str]) -> list[str]:
    out: list[str] = []
    seen = set(taken)
    while len(out) < n:
        parts = rng.choice(SYLLABLES, size=rng.integers(2, 5))
        word = "".join(parts)
        if word not in seen:
            seen.add(word)
            out.append(word)
    return out


def person(i: int) -> str:
    """The i-th distinct name: first name, two initials, surname (about a million combinations)."""
    first, i = FIRST[i % len(FIRST)], i // len(FIRST)
    a, i = chr(65 + i % 26), i // 26
    b, i = chr(65 + i % 26), i // 26
    return f"{first} {a}. {b}. {LAST[i % len(LAST)]}"


def zipf_probabilities(n: int, exponent: float) -> np.ndarray:
    p = 1.0 / np.arange(1, n + 1, dtype=np.float64) ** exponent
    return p / p.sum()


def generate(n: int, seed: int = 7) -> Iterator[dict]:
    """``n`` records, deterministic for a seed."""
    rng = np.random.default_rng(seed)
    real = real_words()
    vocab = np.array(real + invented_words(max(20_000, n // 4), rng, set(real)))
    word_p = zipf_probabilities(len(vocab), 1.05)
    pool = max(50, n // 3)
    names = np.array([person(i) for i in range(pool)])
    author_p = zipf_probabilities(pool, 0.9)
    start = dt.date(2011, 1, 1).toordinal()
    span = dt.date(2025, 12, 31).toordinal() - start
    batch = 10_000
    for lo in range(0, n, batch):
        size = min(batch, n - lo)
        title_len = rng.integers(6, 15, size)
        abstract_len = np.clip(rng.normal(180, 40, size).astype(int), 40, 400)
        tokens = vocab[rng.choice(len(vocab), int(title_len.sum() + abstract_len.sum()), p=word_p)]
        n_authors = np.clip(rng.geometric(0.35, size), 1, 12)
        authors = names[rng.choice(pool, int(n_authors.sum()), p=author_p)]
        dates = start + (np.sqrt(rng.random(size)) * span).astype(int)
        cats = rng.choice(len(CATEGORIES), size, p=CATEGORY_WEIGHTS)
        code = rng.random(size) < 0.2
        affs = rng.random(size) < 0.3
        t = a = 0
        for i in range(size):
            title_words = tokens[t : t + title_len[i]]
            t += title_len[i]
            abstract = tokens[t : t + abstract_len[i]]
            t += abstract_len[i]
            people = list(dict.fromkeys(authors[a : a + n_authors[i]].tolist()))
            a += n_authors[i]
            record = {
                "id": f"syn{lo + i:07d}",
                "title": " ".join(title_words).capitalize(),
                "authors": people,
                "date": dt.date.fromordinal(int(dates[i])).isoformat(),
                "category": CATEGORIES[cats[i]],
                "abstract": " ".join(abstract).capitalize() + ".",
                "has_code": bool(code[i]),
            }
            if affs[i]:
                record["affiliations"] = [AFFILIATIONS[(lo + i) % len(AFFILIATIONS)]]
            yield record


def write(n: int, path: Path, seed: int = 7) -> Path:
    """Write a corpus file once; later calls reuse it."""
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for record in generate(n, seed):
            out.write(json.dumps(record) + "\n")
    tmp.replace(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of records")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for record in generate(args.n, args.seed):
        sys.stdout.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()

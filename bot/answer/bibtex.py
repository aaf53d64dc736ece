"""BibTeX entries for records ("cite X", /cite)."""

from __future__ import annotations

import re

from bot.names import fold
from bot.records import Paper

_SPECIAL = re.compile(r"([&%$#_{}])")


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def cite_key(paper: Paper) -> str:
    """``surnameYEARfirstword``, e.g. poole2022dreamfusion."""
    surname = fold(paper.authors[0].split()[-1]) if paper.authors else "anon"
    first = next((w for w in re.findall(r"[a-z0-9]+", fold(paper.title)) if len(w) > 3), "paper")
    return re.sub(r"[^a-z0-9]", "", surname) + str(paper.year) + first


def bibtex(paper: Paper) -> str:
    """An ``@article`` (arXiv ``@misc`` when an arXiv id is known) for the record."""
    authors = " and ".join(paper.authors) + (" and others" if paper.authors_truncated else "")
    fields = [("title", "{" + _escape(paper.title) + "}"), ("author", _escape(authors)), ("year", str(paper.year))]
    if paper.date_precision != "year":
        fields.append(("month", paper.date.strftime("%b").lower()))
    if paper.arxiv_id:
        fields += [("eprint", paper.arxiv_id), ("archivePrefix", "arXiv")]
    if paper.category:
        arxiv_class = paper.category if "." in paper.category else ("stat." if paper.category == "ML" else "cs.") + paper.category
        fields.append(("primaryClass", arxiv_class))
    if paper.url:
        fields.append(("url", paper.url))
    body = ",\n".join(f"  {name} = {{{value}}}" if name != "month" else f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{cite_key(paper)},\n{body}\n}}"

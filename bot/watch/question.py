"""A watch's question: understood as /ask understands it, checked once when it is saved, and matched
against the new records only.

The question is parsed again at every check, with the names the corpus knows then: a watch naming
an author the corpus does not know yet ("by Zyx Qwerty") is kept, matches nothing while the name
is unknown, and matches once a record by that author arrives; a title the corpus does not have yet is
watched as its words, and matches the record that brings it (which makes it a title the corpus has).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from bot.answer.answer import Knowledge, strict_matches
from bot.records import Paper, title_key
from bot.search.index import PaperIndex
from bot.understand.query import Lexicon, Query, parse_query

MAX_WATCH_QUESTION = 300  # a saved question is a filter, not an essay
ASKS_FOR_NOTHING = "it asks for nothing: ask for papers on a topic, by a person or from a year, e.g. `diffusion with code`"
# intents whose records are a list of papers: watched as "new papers among those"
LIST_INTENTS = ("search", "count", "breakdown", "coauthors", "network")
NOT_A_LIST = {
    "paper": "it names one paper the corpus already has ({}); a watch looks for new papers: give a topic, a person or a category",
    "cite": "it asks for a citation; a watch looks for new papers: give a topic, a person or a category",
    "similar": "“papers like” one paper cannot be watched; give its topic or its authors instead",
    "profile": "it asks about the profile, not for papers; give a topic, a person or a category",
}


def watch_query(question: str, lexicon: Lexicon, today: dt.date) -> Query:
    """The question as /ask parses it, turned into the list of papers it selects: a bare name
    ("Luke Metz") means their papers; "how many papers on X" and "who coauthored on X" mean papers on X."""
    query = parse_query(question, lexicon, today)
    if query.intent == "author":
        query = dataclasses.replace(query, intent="search", authors=[*query.authors, query.target], target="")
    elif query.intent in LIST_INTENTS:
        query = dataclasses.replace(query, intent="search", group_by="")
    return query


def rejection(query: Query, authors: dict[str, str]) -> str | None:
    """Why a question cannot be watched (as the user will read it), or None when it can."""
    if query.error == "empty" or query.intent == "help":
        return ASKS_FOR_NOTHING
    if query.error:
        return query.error
    if query.intent == "unsupported":
        return str(query.caveat) if query.caveat else ASKS_FOR_NOTHING
    if query.intent in NOT_A_LIST:
        return NOT_A_LIST[query.intent].format(authors.get(query.target, query.target))
    if query.intent != "search":
        return ASKS_FOR_NOTHING
    return None


def check_question(question: str, lexicon: Lexicon, today: dt.date) -> tuple[Query, str | None]:
    """The parsed question and why it is rejected (None: it can be watched)."""
    text = " ".join(question.split())
    if len(text) > MAX_WATCH_QUESTION:
        return Query(text=text), f"it is {len(text)} characters long; a watch's question holds at most {MAX_WATCH_QUESTION}"
    query = watch_query(text, lexicon, today)
    return query, rejection(query, lexicon.authors)


def new_matches(question: str, papers: Sequence[Paper], lexicon: Lexicon, today: dt.date) -> list[Paper]:
    """The new records the question selects, best first, as /ask would rank them among these records
    alone (topic words all held, every filter passed). Names resolve against the whole corpus."""
    if not papers:
        return []
    query, reason = check_question(question, lexicon, today)
    if query.intent == "paper" and query.target:  # a title unknown when watched: now the corpus has it (this record)
        key = title_key(query.target)
        return [p for p in papers if title_key(p.title) == key]
    if reason is not None:
        return []
    index = PaperIndex(list(papers))
    docs = strict_matches(query, Knowledge(index, None, lexicon, result_cap=len(papers)))
    return [index.papers[d] for d in docs]

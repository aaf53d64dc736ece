"""Questions answered by an aggregate over the records the rest of the question selects.

Who works with whom (the network), the coauthor table ("top 5 collaborators": the number limits the
people), a table by year or category ("his busiest year", "category breakdown") and a count. Only the
kind of answer is decided here, and the words that asked for it are taken; filters and topic are read after.
"""

from __future__ import annotations

import re

from .filters import Parser
from .patterns import (
    ASKS_FOR_PAPERS,
    BREAKDOWN,
    COAUTHOR_NOUN,
    COAUTHOR_VERB,
    COUNT,
    LEAST,
    NETWORK,
    NO_PAPER_YEARS,
    SUPERLATIVE,
    SUPERLATIVE_WORDS,
)

CATEGORY_TABLE = re.compile(
    r"\b(?:categor(?:y|ies)|fields?|subjects?|areas?)[\s-]+(?:breakdown|distribution|split|counts?|table|tally)\b"
)


def _grouped_later(low: str, after: int) -> str:
    """ "breakdown by category": the grouping named after the word that asked for a table."""
    m = re.search(r"\b(?:per|by|each|across|over|into)\s+(?:arxiv\s+)?(categor|field|subject|area|year)", low[after:])
    return m.group(1) if m else ""


THEY_SHARE = (
    r"\bhow\s+many\s+(?:papers|works|publications)\s+(?:they|each\s+of\s+them)\s+(?:share|shared|co-?wrote|co-?authored|wrote)\b"
)
PER_PERSON = re.compile(  # "who are his most frequent collaborators, with how many papers each": the coauthor table
    r"\bwho\b.*\bhow\s+many\s+(?:papers|works|publications)\s+(?:each|apiece|per\s+(?:person|author|coauthor))\b"
    r"|\bhow\s+many\s+(?:papers|works|publications)\s+(?:each|apiece)\b|\bwith\s+each\s+(?:co-?authors?|collaborators?|person|of\s+them)\b"
    r"|\b(?:rank|sort|order|list)\s+(?:\w+\s+){0,2}(?:co-?authors|collaborators)\s+by\b"  # "rank his coauthors by how many papers they share"
    r"|\b(?:most\s+(?:common|frequent|regular)|top(?:\s+(?:\d+|two|three|four|five|ten))?|main|closest)\s+(?:co-?authors?|collaborators?)\b.*\bhow\s+many\b"  # "... + how many papers"
    rf"|{THEY_SHARE}"
)
PEOPLE_RANKED = re.compile(  # the words of a coauthor table's request, no topic ("shared" before "papers" is gone already)
    r"\b(?:rank|ranked|ranking|sort|sorted|order|ordered)\b"
    r"|\b(?:(?:by|with)\s+)?(?:the\s+)?(?:number|count|amount)\s+of\s+(?:papers|publications|works)\s+(?:for\s+each(?:\s+person)?)?"
    r"|\bhow\s+(?:broad|wide|big|large|extensive)\s+(?:that\s+|his\s+|her\s+|the\s+)?network\s+is\b"
    rf"|{THEY_SHARE}"
)
COUNTS_PAPERS = re.compile(
    r"\bhow\s+many\s+(?:\w+\s+)?(?:papers|works|publications|articles|pubs)\b"
)  # counts papers, not people


LEADER_PAPERS = re.compile(  # the papers of the leading row are asked for, not the table: "papers from his busiest year"
    r"\b(?:papers|works|publications|articles|titles|ones)\s+(?:(?:did\s+he\s+|he\s+)?(?:publish(?:ed)?|wr[io]te|put\s+out)\s+)?"
    r"(?:are\s+)?(?:from|in|of|during)\s+(?:his|her|their|the|ben'?s)\b"
    r"|^(?:\w+\s+){0,3}?(?:which|what)\s+(?:papers|works|publications|ones)\b"
    r"|\b(?:show|list|give|display)\s+(?:me\s+)?(?:the\s+|his\s+|all\s+)?(?:papers|works|publications|titles)\b"
)


LEADER_COUNT = re.compile(r"\bhow\s+many\b.*\b(?:in|during|from)\s+(?:his|her|their|the|that)\b")


def read_aggregate(p: Parser, low: str) -> None:
    """Set the intent of a question asking for people, a table or a count, and take the words that asked."""
    q = p.query
    network = NETWORK.search(low)
    if network:  # the picture of who works with whom, over the records the rest of the question selects
        q.intent = "network"
        p.take(network.start(), network.end())
    elif (
        (COAUTHOR_NOUN.search(low) or COAUTHOR_VERB.search(low))
        and not ASKS_FOR_PAPERS.match(low)
        and (not COUNTS_PAPERS.search(low) or PER_PERSON.search(low))
    ):
        q.intent = "coauthors"
        p.read_order()  # "5 people he wrote most with": the number belongs to the people
        p.low = COAUTHOR_NOUN.sub(lambda m: " " * len(m.group(0)), p.low)
        for w in list(re.finditer(r"\b(?:working|writing|publishing|partnering|teaming\s+up)\b", p.low)):  # the asking verb
            p.take(w.start(), w.end())
        for w in list(PEOPLE_RANKED.finditer(p.low)):  # "rank his coauthors by number of shared papers": the table itself
            p.take(w.start(), w.end())
    else:
        b = BREAKDOWN.search(low)
        zero = NO_PAPER_YEARS.search(low)
        if zero:  # "which years had no papers", "any gap years?": the year table, its empty years named
            q.intent, q.group_by, q.sort = "breakdown", "year", "least"
            p.take(zero.start(), zero.end())
            for w in list(
                re.finditer(r"\b(?:calendar|years?|between|his|first|latest|last|paper|papers|had|were|there)\b", p.low)
            ):
                p.take(w.start(), w.end())
        elif b:
            q.intent = "breakdown"
            by = (
                b.group("by")
                or b.group("by3")
                or b.group("by4")
                or b.group("by5")
                or ("year" if b.group("vs") is not None else "")
                or b.group("which")
                or b.group("best")
                or b.group("yw")
                or b.group("yw2")
                or b.group("yw3")
                or b.group("yw4")
                or ("category" if b.group("split") is not None else "")
                or b.group("listed")
                or b.group("howmany")
                or b.group("common")
                or b.group("sup")
                or (b.group("bare") or "").removeprefix("by ")
                or ("category" if b.group("themes") or b.group("themes2") or b.group("themes3") else "")
                or _grouped_later(low, b.end())
                or ("category" if CATEGORY_TABLE.search(low) else "")
                or "year"
            )
            q.group_by = "category" if by.startswith(("categor", "field", "area", "subject")) else "year"
            if LEAST.search(low):
                q.sort = "least"
            elif (
                b.group("which")
                or b.group("best")
                or b.group("yw")
                or b.group("yw2")
                or b.group("yw3")
                or b.group("yw4")
                or b.group("common")
                or b.group("sup")
                or (by == "category" and not b.group("by"))
                or SUPERLATIVE.search(low)
            ):
                q.sort = "most"
            table = re.search(r"\b(?:per|by|each|every)\s+(?:year|category|field)|\btable\b|\bbreakdown\b", low)
            if q.sort in ("most", "least") and LEADER_PAPERS.search(low) and not (COUNT.search(low) or table):
                q.detail = "papers"  # "papers from his busiest year": that year's papers, not the table
            elif q.sort in ("most", "least") and COUNT.search(low) and LEADER_COUNT.search(low) and not table:
                q.detail = "count"  # "how many in his busiest year?": that year's count
            p.take(b.start(), b.end())
            table_words = r"\b(?:split|group(?:ed)?|bucket(?:ed)?|divided?|organi[sz]ed?|tabulated?|breakdown|table|tally)\b"
            for w in list(re.finditer(table_words, p.low)):
                p.take(w.start(), w.end())  # "split his papers by category", "category wise breakdown": the table's words
            for w in list(SUPERLATIVE_WORDS.finditer(p.low)):
                p.take(w.start(), w.end())
        elif COUNT.search(low):
            q.intent = "count"

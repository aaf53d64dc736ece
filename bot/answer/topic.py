"""Topic precision: which records a topic of a few words matches.

A record must hold every topic word (an acronym or its expansion counting as one word); of those,
the ones using the words as typed are preferred ("contrastive learning" is not "in contrast ...
learning"). Ranking stays BM25's (PaperIndex.rank); this only decides the set it ranks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from bot.search.index import PaperIndex
from bot.search.tokenizer import analyze_word
from bot.text import fold_text, words
from bot.understand.parsed import topic_parts
from bot.understand.query import Query
from bot.understand.spelling import suggest

TYPED_CHECK_LIMIT = 100  # records whose text is read for the as-typed check; beyond it the stems alone decide
STRONG_SHARE = 0.3  # a long question's match must score at least this share of the best first-pass score
HEAD_NOUNS = frozenset(["model", "models"])  # "diffusion models": a kind of thing, named by the word before it


@dataclass(slots=True)
class Topic:
    terms: list[str]
    corrected: dict[str, str]
    missing: list[str]
    groups: list[list[list[str]]] = field(default_factory=list)  # per topic word: alternatives, each a list of terms all held


def topic_groups(query: Query) -> list[list[list[str]]]:
    """The topic as groups a record must each satisfy: a word, or an acronym and its expansion as alternatives."""
    groups: list[list[list[str]]] = []
    words_left, sides = topic_parts(query.topic)
    phrases = sorted(query.expansions, key=lambda p: -len(p.split()))
    i = 0
    while i < len(words_left):
        for phrase in phrases:
            size = len(phrase.split())
            if " ".join(words_left[i : i + size]) == phrase:
                forms = [phrase, query.expansions[phrase]]
                groups.append([[t for t in map(analyze_word, words(f)) if t] for f in forms])
                i += size
                break
        else:
            terms = [t for t in map(analyze_word, words(words_left[i])) if t]
            if terms and groups and query.match_all and words_left[i] in HEAD_NOUNS:  # ranked on, not required (ReconFusion)
                i += 1
                continue
            if terms:
                groups.append([terms])
            i += 1
    if sides:  # "reinforcement learning or robot control": one group, each phrase an alternative held whole
        groups.append([[t for w in side for t in map(analyze_word, words(w)) if t] for side in sides])
    return [[alt for alt in g if alt] for g in groups if any(g)]


def topic_terms(text: str, index: PaperIndex, correct: bool = True) -> Topic:
    """Analysed topic terms, with typos corrected from the index's vocabulary (unless understanding did that)."""
    terms: list[str] = []
    corrected: dict[str, str] = {}
    missing: list[str] = []
    for word in words(text):
        term = analyze_word(word)
        if not term:
            continue
        if not index.knows_term(term):
            fix = suggest(word, index.term_frequency) if correct else None
            if fix and index.knows_term(analyze_word(fix)):
                corrected[word] = fix
                term = analyze_word(fix)
            else:
                missing.append(word)
        terms.append(term)
    return Topic(terms, corrected, missing)


def holding_all(index: PaperIndex, groups: list[list[list[str]]], mask: np.ndarray | None) -> np.ndarray:
    """Records holding every group (some alternative of it, all its terms), within ``mask``.

    Works on the terms' posting lists (sorted record numbers), so its cost follows the postings,
    not the corpus size."""
    docs: np.ndarray | None = None
    for group in groups:
        either = np.empty(0, dtype=np.int64)
        for alternative in group:
            held: np.ndarray | None = None
            for term in alternative:
                found = index.match([term]).docs
                held = found if held is None else np.intersect1d(held, found, assume_unique=True)
            if held is not None:
                either = np.union1d(either, held)
        docs = either if docs is None else np.intersect1d(docs, either, assume_unique=True)
    out = np.zeros(len(index), dtype=bool)
    if docs is not None:
        out[docs] = True
    return out if mask is None else out & mask


def as_typed(index: PaperIndex, q: Query, held: np.ndarray) -> tuple[np.ndarray, int]:
    """Of the records holding every topic word's stem, those holding the words as typed (plural aside),
    when some do: "contrastive learning" is not "in contrast ... learning", "learned optimizers" not
    "learning ... optimization". Returns the records kept and how many others hold other forms."""
    required = [w for i, w in enumerate(q.topic.split()) if not (i and q.match_all and w in HEAD_NOUNS)]  # as topic_groups
    typed = [p.removesuffix("s") for w in required for p in w.split("-") if len(p) > 3 and not p.isdigit()]
    docs = np.flatnonzero(held)
    one_word_few = len(q.topic.split()) < 2 and docs.size <= 5  # one word: only worth it when the stem is broad
    if one_word_few or not typed or q.expansions or topic_parts(q.topic)[1] or docs.size > TYPED_CHECK_LIMIT:
        return held, 0
    patterns = [re.compile(_typed_form(w)) for w in typed]
    texts = {int(d): fold_text(f"{index.papers[int(d)].title} {index.papers[int(d)].abstract}") for d in docs}
    inside = [d for d, text in texts.items() if all(p.search(text) for p in patterns)]
    if not inside or len(inside) == docs.size:
        return held, 0
    kept = np.zeros_like(held)
    kept[inside] = True
    return kept, int(docs.size - len(inside))


def _typed_form(word: str) -> str:
    """A typed word as a pattern: "video generation" also in "generate the video", not in "generative model"."""
    if len(word) > 7 and word.endswith("ation"):  # "learned optimization" also in "learned optimizers"
        stem = re.sub(r"i[sz]$", "i[sz]", re.escape(word[:-5]))  # "optimisation" and "optimization" alike
        return rf"\b{stem}(?:at(?!ive)|e\b|es\b|ed\b|ers?\b|ing)"
    return rf"\b{re.escape(word)}"


NEAR = 2  # words of a named concept may stand this many words apart beyond the phrase's own length


def named_together(index: PaperIndex, groups: list[list[list[str]]], held: np.ndarray) -> np.ndarray:
    """Of the records holding a named concept's words ("large language models", known by an acronym), those
    holding the acronym or the words close together: "large ... natural language ... models" is not about LLMs.
    Only names of three or more words: "variational inference" spread over an abstract is often still about it.
    Plain topic words are left alone: "signal propagation in deep nets" describes, it does not name."""
    named = [g for g in groups if len(g) > 1 and max(len(alt) for alt in g) >= 3]  # two words apart may still be it
    docs = np.flatnonzero(held)
    if not named or not docs.size or docs.size > TYPED_CHECK_LIMIT:
        return held
    kept = np.zeros_like(held)
    for d in docs.tolist():
        paper = index.papers[d]
        fields = [[analyze_word(w) for w in words(text)] for text in (paper.title, paper.abstract)]
        kept[d] = all(any(_close(terms, alt) for alt in g for terms in fields) for g in named)
    return kept


def _close(terms: list[str], wanted: list[str]) -> bool:
    """Do all of ``wanted`` occur within a window of their own length plus NEAR?"""
    spots = [[i for i, t in enumerate(terms) if t == stem] for stem in wanted]
    if not all(spots):
        return False
    events = sorted((pos, k) for k, positions in enumerate(spots) for pos in positions)
    seen: dict[int, int] = {}
    left = 0
    for pos, k in events:
        seen[k] = seen.get(k, 0) + 1
        while len(seen) == len(spots):
            if pos - events[left][0] <= len(wanted) - 1 + NEAR:
                return True
            first = events[left][1]
            seen[first] -= 1
            if not seen[first]:
                del seen[first]
            left += 1
    return False


def in_titles(index: PaperIndex, groups: list[list[list[str]]], mask: np.ndarray | None) -> np.ndarray:
    """Records whose title holds every group ("papers with diffusion in the title"), within ``mask``."""
    held = holding_all(index, groups, mask)
    kept = np.zeros_like(held)
    for doc in np.flatnonzero(held).tolist():
        title_terms = {analyze_word(w) for w in words(index.papers[doc].title)}
        kept[doc] = all(any(all(t in title_terms for t in alt) for alt in group) for group in groups)
    return kept


def strong_matches(index: PaperIndex, terms: list[str], mask: np.ndarray | None) -> tuple[np.ndarray, int]:
    """For a question of many words (any of them may match): the records whose first-pass BM25 score is at
    least STRONG_SHARE of the best one's, and how many weaker matches were left out. A record holding only
    "training" or "view" of a 20-word reading-list question is no answer to it; the ranking itself stays BM25's."""
    found = index.first_pass(index.vocab.query(terms), mask, None)
    kept = np.zeros(len(index), dtype=bool)
    if found.docs.size:
        strong = found.scores >= STRONG_SHARE * float(found.scores.max())
        kept[found.docs[strong]] = True
        return kept, int(found.docs.size - strong.sum())
    return kept, 0

"""The words no filter claimed: topic words, filler, or words set aside.

A word the corpus holds is a topic word; one a typing slip away from a corpus word is corrected
(never into a stopword or a filler word); one no record holds is a topic word still when it sits in
a topic phrase ("reinforcement learning", "papers on protein folding"), so the reply can say no
record mentions it; anywhere else it is set aside and named in the reply instead of silently
narrowing or widening the search. Long questions keep their most informative words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import CorpusView, Lexicon
from .patterns import FILLER, LONG
from .spelling import REAL_ENGLISH, common_english, suggest
from .wordclass import names_a_thing
from .wordlists import (
    CHATTER,
    JUDGEMENT_ENDINGS,
    NOUN_AFTER_TERM,
    RATING_WORDS,
    SOURCES,
    SPELLINGS,
    SUPERLATIVE_ADJECTIVE,
    TOPIC_MARKERS,
)

MAX_ALL_WORDS = 4  # up to this many topic words, a record must hold them all
MAX_TOPIC_WORDS = 24  # beyond this many, only the most informative (rarest) are searched


@dataclass(slots=True)
class TopicReading:
    topic: str = ""
    set_aside: list[str] = field(default_factory=list)
    corrections: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    expansions: dict[str, str] = field(default_factory=dict)
    match_all: bool = True
    reduced: bool = False


def judgement_like(word: str, lexicon: Lexicon) -> bool:
    """An adjective or adverb no record uses ("quirky", "flashy", "scrumptious"): how the asker feels, no topic."""
    return (
        lexicon.view is not None
        and len(word) >= 5
        and word.isalpha()
        and word.endswith(JUDGEMENT_ENDINGS)
        and not lexicon.frequency(word)
        and not lexicon.acronyms.get(word)
        and suggest(word, lexicon.view.written, min_length=5) is None
    )


def _completed(word: str, view: CorpusView) -> str | None:
    """A word cut short ("reparam", "regulariz"): the corpus word it begins, when all it may begin share one stem."""
    if len(word) < 6 or not word.isalpha() or common_english(word):
        return None
    found = [w for w in view.completions(word, 8) if w.isalpha()]
    if not found or len(found) == 8 or len({view.stem(w) for w in found}) > 1:
        return None
    return max(found, key=view.written)


def _coordinated(words: list[str], kinds: list[str], run_of: list[int], known_runs: set[int]) -> set[int]:
    """Runs of unknown words joined by "and"/"or" to a topic term ("robot grasping and manipulation"): part of the topic."""
    found: set[int] = set()
    for i, word in enumerate(words):
        if word not in ("and", "or") or not 0 < i < len(words) - 1:
            continue
        left, right = run_of[i - 1], run_of[i + 1]
        for mine, other in ((left, right), (right, left)):
            members = [j for j, r in enumerate(run_of) if r == mine]
            if other in known_runs and members and all(kinds[j] == "unknown" and len(words[j]) >= 4 for j in members):
                found.add(mine)
    return found


def _after_capitalised_term(before: str, lexicon: Lexicon) -> bool:
    """Does a capitalised corpus word come right before ("Adversarial Netwroks"): a term in title case, no name?"""
    m = re.search(r"\b([A-Z][a-z]{3,})\s+$", before)
    return bool(m) and lexicon.frequency(m.group(1).lower()) > 0 and not lexicon.people.exact(m.group(1).lower(), single_ok=True)


def _parts(word: str) -> list[str]:
    return [p for p in re.split(r"[-']", word) if p]


_ADJECTIVE_ENDINGS = ("al", "ous", "ful", "ic", "ive", "ble", "y", "ant", "ent", "ish", "less", "some", "est", "ly", "ed", "ing")
_PAPER_NOUNS = frozenset(["papers", "paper", "pubs", "publications", "work", "works", "research", "stuff", "articles"])


def read_topic(low: str, lexicon: Lexicon, other_parts: bool, orig: str = "") -> TopicReading:
    """Sort the unclaimed words of ``low`` into topic, filler and set-aside (``other_parts``: filters or an intent
    were read; ``orig``: the same text with its case, to tell an acronym like "GNN" from chatter like "asap")."""
    out = TopicReading()
    low = SOURCES.sub(lambda m: " " * len(m.group(0)), low)  # "on google scholar": where the list lives, no topic
    tokens = [(m.start(), m.end(), m.group(0).strip("'-")) for m in re.finditer(r"[a-z0-9][a-z0-9'+-]*", low)]
    view = lexicon.view
    kinds: list[str] = []  # filler, marker, known, unknown
    words: list[str] = []
    spelled = _expansion_spans(low, lexicon)  # "neural radiance field": each word is the topic, even "field"
    typed_words = re.findall(r"[A-Za-z][\w'-]*", orig)
    title_case = len(typed_words) >= 2 and all(w[0].isupper() for w in typed_words if len(w) > 3)
    for start, _, word in tokens:
        if any(a <= start < b for a, b in spelled):
            kinds.append("known")
            words.append(word)
            continue
        word = re.sub(
            r"-(?:related|ish|like|style|type|esque|oriented|focused|y)$", "", word.removesuffix("'s")
        )  # "diffusion-related"
        if word in SPELLINGS and view is not None and not lexicon.frequency(word):
            out.corrections[word] = SPELLINGS[word]
            word = SPELLINGS[word]
        if "'" in word:
            word = ""  # "i'm", "don't": contractions carry no topic
        if (
            word in RATING_WORDS
            or (len(_parts(word)) > 1 and any(p in RATING_WORDS for p in _parts(word)))
            or (word not in FILLER and word not in CHATTER and judgement_like(word, lexicon))
        ):
            # "seminal papers from 2020", "a beginner-friendly VAE paper": a judgement the corpus cannot make, said so
            out.set_aside.append(word)
            word = ""
        after_term = bool(kinds) and kinds[-1] == "known" and tokens[len(kinds) - 1][1] + 1 == start
        if word in NOUN_AFTER_TERM and after_term:  # "score matching" is a term; "papers matching GANs" is not
            kinds.append("known" if view is None or lexicon.frequency(word) else "unknown")
            words.append(word)
            continue
        if not word or word in FILLER or word in CHATTER or (view and word.isalpha() and view.is_stopword(word)):
            kinds.append("marker" if word in TOPIC_MARKERS else "filler")
        elif (
            view is None
            or word.isdigit()
            or all(lexicon.frequency(p) > 0 or view.is_stopword(p) for p in _parts(word))
            or _acronym(word, lexicon)
        ):
            kinds.append("known")
        else:
            named = (
                bool(orig)
                and start > 0
                and orig[start : start + 1].isupper()
                and not re.search(r"[.?!:]\s*$", orig[:start])
                and not title_case  # "Varitional Difusion Modles": every word capitalised, as titles are
                and not _after_capitalised_term(orig[:start], lexicon)  # "Generative Adversarial Netwroks"
            )
            fix = (  # a long question's words only rank; a capitalised word mid-sentence is a name ("Kaiming"), no typo
                suggest(word, view.written, min_length=5) or _completed(word, view) if len(low) <= LONG and not named else None
            )
            if fix and fix not in FILLER and fix not in CHATTER:
                out.corrections[word] = fix
                word = fix
                kinds.append("known")
            else:
                kinds.append("unknown")
        words.append(word)
    # runs: content words not separated by filler or by a span a filter claimed (blanked spans leave several spaces)
    run_of, run = [], 0
    for i, (start, _, _) in enumerate(tokens):
        if i and (start - tokens[i - 1][1] > 1 or kinds[i] in ("filler", "marker") or kinds[i - 1] in ("filler", "marker")):
            run += 1
        run_of.append(run)
    known_runs = {run_of[i] for i, k in enumerate(kinds) if k == "known"}
    marked_runs = {run_of[i + 1] for i, k in enumerate(kinds[:-1]) if k == "marker"}
    alone = not other_parts and not known_runs
    coordinated = _coordinated(words, kinds, run_of, known_runs)
    members_of: dict[int, list[int]] = {}  # run -> its word positions
    for j, r in enumerate(run_of):
        members_of.setdefault(r, []).append(j)
    kept: list[str] = []
    for i, kind in enumerate(kinds):
        if kind == "known" and words[i].isdigit() and other_parts:
            out.set_aside.append(words[i])  # a stray number ("5 most frequent ..." read elsewhere) is no topic
        elif kind == "known":
            kept.append(words[i])
        elif kind == "unknown":
            start, end, _ = tokens[i]
            termlike = (
                (len(words[i]) >= 6 and not SUPERLATIVE_ADJECTIVE.search(words[i]) and not words[i].endswith("ly"))
                # "juiciest", "beautifully" are no research terms
                or any(c.isdigit() for c in words[i])
                or (orig[start:end].isupper() and end - start > 1)
            )
            in_known, marked = run_of[i] in known_runs, run_of[i] in marked_runs
            named_kind = (  # an English noun-looking word right before "papers" ("blockchain papers"), not "whimsical papers"
                termlike
                and i + 1 < len(words)
                and words[i + 1] in _PAPER_NOUNS
                and end + 1 == tokens[i + 1][0]
                and words[i].isalpha()  # "old-school", "math-heavy": compound adjectives
                and common_english(words[i], REAL_ENGLISH)
                and not words[i].endswith(_ADJECTIVE_ENDINGS)
            )
            modifies = (  # "music generation", "protein folding": a noun naming what the known word is about
                len(low) <= LONG  # a long question's story ("my background is in robotics") is no topic
                and i + 1 < len(words)
                and kinds[i + 1] == "known"
                and run_of[i + 1] == run_of[i]
                and names_a_thing(words[i])
            )
            members = members_of[run_of[i]]
            compound = (  # "speech recognition has:code": two words naming one thing, neither in any record
                len(low) <= LONG
                and len(members) >= 2
                and all(kinds[j] == "unknown" and words[j].isalpha() and names_a_thing(words[j]) for j in members)
            )
            if (  # "blockchain papers with Luke Metz": the kind of paper asked for, which no record is
                alone
                or modifies
                or compound
                or (termlike and (in_known or marked or named_kind))
                or (marked and not in_known)
                or run_of[i] in coordinated
            ):
                kept.append(words[i])
                out.missing.append(words[i])
            elif len(low) <= LONG:  # in a long question, words outside its topic are its story, not a request
                out.set_aside.append(words[i])
    distinct = list(dict.fromkeys(kept))
    if len(distinct) > MAX_ALL_WORDS and view is not None:
        out.match_all = False  # a long topic ranks by BM25 over its words, as search engines do
        out.missing = [w for w in out.missing if w in distinct] if len(low) <= LONG else []
    if len(distinct) > MAX_TOPIC_WORDS and view is not None:
        known = [w for w in distinct if w not in out.missing]
        known.sort(key=lambda w: min(lexicon.frequency(p) for p in _parts(w)) if _parts(w) else 0)
        keep = set(known[:MAX_TOPIC_WORDS])
        kept = [w for w in distinct if w in keep]
        out.missing, out.match_all, out.reduced = [], False, True
    out.topic = " ".join(kept)
    out.expansions = expansions(out.topic, lexicon)
    return out


def _expansion_spans(low: str, lexicon: Lexicon) -> list[tuple[int, int]]:
    """Where the question spells out an acronym's expansion (plural or not)."""
    spans: list[tuple[int, int]] = []
    for expansion in lexicon.acronyms.values():
        if len(expansion) >= 2 and expansion[0] in low:
            pattern = r"\b" + r"[\s-]+".join(re.escape(w.rstrip("s")) + r"s?" for w in expansion) + r"\b"
            spans += [(m.start(), m.end()) for m in re.finditer(pattern, low)]
    return spans


def _acronym(word: str, lexicon: Lexicon) -> bool:
    return word in lexicon.acronyms or (word.endswith("s") and word[:-1] in lexicon.acronyms)


def expansions(topic: str, lexicon: Lexicon) -> dict[str, str]:
    """Acronyms in the topic with their expansions, and expansions with their acronyms ("nerf" <-> "neural radiance fields")."""
    found: dict[str, str] = {}
    if not lexicon.acronyms or not topic:
        return found
    words = topic.split()
    for word in words:
        key = word if word in lexicon.acronyms else word[:-1] if word.endswith("s") and word[:-1] in lexicon.acronyms else ""
        if key:
            found[word] = " ".join(lexicon.acronyms[key])
    joined = f" {topic} "
    for acronym, expansion in lexicon.acronyms.items():
        phrase = " ".join(expansion)
        stem = phrase.rstrip("s")
        m = re.search(rf" ({re.escape(stem)}s?) ", joined)
        if m and len(expansion) >= 2:
            found[m.group(1)] = acronym
    return found

"""From a understood question to a Reply: which records, which facts, which template.

compose_reply() picks the records and computes every number a template shows (counts, rankings, ties);
it never formats text. Templates only lay the context out.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bot.categories import category_name
from bot.names import name_key
from bot.records import Paper, Profile
from bot.search.index import PaperIndex, PaperList
from bot.understand.dates import DateRange
from bot.understand.lookup import TITLE_MATCH
from bot.understand.notes import Note, note
from bot.understand.parsed import topic_parts
from bot.understand.patterns import LONG
from bot.understand.query import Lexicon, Query
from bot.understand.roles import MAX_ALL_WORDS

from .bibtex import bibtex
from .describe import describe
from .network import network_note, plan_network
from .profiles import ProfileBook, compare_people, profile_rows
from .topic import Topic, as_typed, holding_all, in_titles, named_together, strong_matches, topic_groups, topic_terms

__all__ = ["Knowledge", "Reply", "compose_reply", "filter_mask", "retrieve", "strict_matches", "topic_terms"]


@dataclass(slots=True)
class Reply:
    """What the bot answers: the intent, how the question was understood, the records, and a template's context."""

    question: str
    intent: str
    query: Query
    understood: str
    records: Sequence[Paper]
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    page_items: Sequence[Any] | None = None  # what the pages list, when not the records (people, table rows)
    page_size: int | None = None  # items per page, when not the configured size
    followup: str = ""  # in a conversation: the question followed up on and what changed ("diffusion papers · + with code")


@dataclass(frozen=True, slots=True)
class Knowledge:
    """Everything compose_reply() reads: the index, the profile, the names the parser knows, and limits."""

    index: PaperIndex
    profile: Profile | None
    lexicon: Lexicon
    result_cap: int = 100
    coauthor_limit: int = 10
    book: ProfileBook = field(default_factory=ProfileBook)  # every profile loaded (several: questions name the one they mean)


def filter_mask(query: Query, index: PaperIndex, book: ProfileBook | None = None, owner_key: str = "") -> np.ndarray | None:
    """Records that pass every filter of the query (topic aside); None when it has no filter. ``owner_key``:
    whose first-authored papers "first author" means when the question names nobody else."""
    if not query.has_filters():
        return None
    mask = index.all_mask()
    for name in query.profiles:  # without the book (a digest's filter over new records): those records' own lists
        mask &= (book or ProfileBook()).mask(name, index)
    if query.dates:
        first = query.dates.first.toordinal() if query.dates.first else None
        last = query.dates.last.toordinal() if query.dates.last else None
        mask &= index.date_mask(first, last)
    if query.authors and query.author_mode == "any":
        mask &= np.logical_or.reduce([index.author_mask(k) for k in query.authors])
    else:
        for key in query.authors:
            mask &= index.author_mask(key)
    for names in query.ambiguous.values():  # "everything by jain": papers by any of the people it may mean (said so)
        mask &= np.logical_or.reduce([index.author_mask(name_key(n)) for n in names])
    if query.unknown_authors and not (query.authors and query.author_mode == "any"):
        mask &= False  # "Geoffrey Hinton or Luke Metz": Luke Metz's papers, and a note that no record lists the other
    for key in query.exclude_authors:
        mask &= ~index.author_mask(key)
    if query.categories:
        mask &= np.logical_or.reduce([index.category_mask(c) for c in query.categories])
    for code in query.exclude_categories:
        mask &= ~index.category_mask(code)
    if query.affiliations and query.affiliation_mode == "any":
        mask &= np.logical_or.reduce([index.affiliation_mask(n) for n in query.affiliations])
    else:
        for name in query.affiliations:
            mask &= index.affiliation_mask(name)
    if query.first_author:  # the person named, else the profile's owner, listed first
        key = query.authors[0] if query.authors else ""
        mask &= index.first_author_mask(key) if key else index.first_author_mask(owner_key) if owner_key else False
    for name in query.exclude_affiliations:
        mask &= ~index.affiliation_mask(name)
    if query.has_code is not None:
        mask &= index.has_code == query.has_code
    if query.date_periods:
        mask &= np.logical_or.reduce(
            [
                index.date_mask(r.first.toordinal() if r.first else None, r.last.toordinal() if r.last else None)
                for r in query.date_periods
            ]
        )
    if query.months:
        mask &= index.month_mask(query.months)
    if query.affiliated is not None:
        mask &= index.affiliated_mask() == query.affiliated
    for rng in query.exclude_dates:
        mask &= ~index.date_mask(rng.first.toordinal() if rng.first else None, rng.last.toordinal() if rng.last else None)
    for text in query.exclude_terms:  # "not about generative models": records holding every word of it
        terms = topic_terms(text, index).terms
        if terms:
            mask &= ~holding_all(index, [[[t]] for t in terms], None)
    if query.within is not None:
        named = np.zeros(len(index), dtype=bool)
        named[np.asarray(query.within, dtype=np.int64)] = True
        mask &= named
    return mask


class _Answerer:
    def __init__(self, query: Query, know: Knowledge) -> None:
        self.q = query
        self.know = know
        self.index = know.index
        self.notes: list[Note] = []
        self.partial = False

    def reply(
        self,
        template: str,
        records: Sequence[Paper],
        page_items: Sequence[Any] | None = None,
        page_size: int | None = None,
        **context: Any,
    ) -> Reply:
        self.notes[:0] = [n for n in self.q.notes if n not in self.notes]
        if self.q.set_aside:
            self.notes.append(note("set aside (not understood): {}", ", ".join(self.q.set_aside)))
        if records:
            for typed, names in self.q.ambiguous.items():  # "everything by jain": both Jains' papers, and which is which
                self.notes.append(
                    note("{} may be several people: showing papers by {}; name one to narrow", typed, " or ".join(names))
                )
        authors = self.know.lexicon.authors
        understood = describe(self.q, authors)
        context.setdefault("understood", understood)
        context.setdefault("notes", self.notes)
        context.setdefault("question", self.q.text)
        return Reply(
            self.q.text, self.q.intent, self.q, understood, records, template, context, self.notes, page_items, page_size
        )

    def papers(self, docs: Any) -> PaperList:
        return PaperList(self.index.papers, docs)

    def select(self, cap: int | None, limit_records: bool = True) -> tuple[list[int], list[float] | None, Topic | None]:
        """Records matching topic and filters, in the order the answer gives them.

        A topic of several words matches the records holding all of them (an acronym or its
        expansion counting as one); BM25 ranks those. When none holds them all, the records holding
        some are returned and the reply labels them partial.
        """
        q, index = self.q, self.index
        mask = filter_mask(q, index, self.know.book, self.know.lexicon.owner_key)
        if q.owner_dropped and self.know.profile and not q.first_author:
            self.notes.append(
                note("every record is from {}'s profile, so the author filter on them was left out", self.know.profile.name)
            )
        limit_to = q.limit if limit_records else None
        topic = topic_terms(q.topic, index, correct=self.know.lexicon.view is None) if q.topic else None
        if topic:
            topic.missing = [w for w in topic.missing if w not in q.expansions]  # an acronym the corpus only spells out
            for wrong, right in topic.corrected.items():
                if wrong not in q.corrections:
                    self.notes.append(note("showing results for **{}** (you wrote {})", right, wrong))
            topic.groups = topic_groups(q)
            if q.expansions:
                topic.terms = list(dict.fromkeys(t for g in topic.groups for alt in g for t in alt))
            sides = topic_parts(q.topic)[1]
            unheld = [side for side in sides if any(w in topic.missing for w in side)]
            if unheld and len(unheld) < len(sides):  # "music or video generation": the phrase no record holds drops out
                self.notes.append(note("no record mentions: {}", ", ".join(topic.missing)))
                topic.missing = []
            if q.match_all and topic.missing:
                return [], None, topic  # a topic word no record holds: nothing, said so, never a broader search
            if not q.match_all and topic.missing and len(topic.missing) < len(topic.terms) and len(q.text) <= LONG:
                self.notes.append(note("no record mentions: {}", ", ".join(topic.missing)))
        if topic and topic.terms:
            if q.in_title:
                mask = in_titles(index, topic.groups, mask)
            if q.match_all and (len(topic.terms) > 1 or not q.expansions):
                held = holding_all(index, topic.groups, mask)
                if held.any() and q.expansions:  # "large language models": the acronym or the words together
                    held = named_together(index, topic.groups, held)
                    if not held.any():
                        self.notes.append(note("no record mentions {} (some hold its words apart)", q.topic))
                        return [], None, topic
                if held.any():
                    typed, apart = as_typed(index, q, held)
                    if apart and q.limit and int(typed.sum()) < q.limit:
                        mask, apart = held, 0  # "top 5 papers on optimizers": five asked for, so other forms fill the list
                    else:
                        mask = typed
                    if apart:
                        self.notes.append(
                            note(
                                f"records using the words as typed; {apart} more {'holds' if apart == 1 else 'hold'} other forms of them"
                            )
                        )
                elif len(topic.groups) < 2 or holding_all(index, topic.groups, None).any():
                    return [], None, topic  # one word, or the filters left out every record holding them all: nothing, said so
                else:
                    self.partial = True  # several words no record holds together: the records holding whole words of them
                    mask = np.logical_or.reduce([holding_all(index, [group], mask) for group in topic.groups])
            if not q.match_all and len(topic.groups) <= MAX_ALL_WORDS:  # "nerf or gan": records holding either, whole
                mask = np.logical_or.reduce([holding_all(index, [group], mask) for group in topic.groups])
            elif not q.match_all and mask is not None and q.within is None:
                pass  # a long question with filters ("every 2019 paper, whatever the subject"): they select, its words rank
            elif not q.match_all:  # a long question: its strongest matches
                mask, weak = strong_matches(index, topic.terms, mask)
                if weak:
                    self.notes.append(note(f"{weak} weaker {'match' if weak == 1 else 'matches'} left out"))
            limit = limit_to if q.sort == "relevance" and limit_to else cap
            ranked, score_array = index.rank(topic.terms, mask, limit)
            docs, scores = ranked.tolist(), score_array.tolist()
            if not q.match_all and mask is not None and q.within is None and len(docs) < (limit or len(index)):
                rest = mask.copy()
                rest[ranked] = False  # the filtered records none of the words reach, after the ranked ones
                more = index.by_date(rest, newest_first=True, k=(limit - len(docs)) if limit else None)
                docs, scores = docs + list(more), scores + [0.0] * len(more)
            if q.sort in ("newest", "oldest"):
                order = sorted(range(len(docs)), key=lambda i: index.date_ord[docs[i]], reverse=q.sort == "newest")
                docs, scores = [docs[i] for i in order], [scores[i] for i in order]
            if limit_to:
                docs, scores = docs[:limit_to], scores[:limit_to]
            if q.ends and len(docs) > 2:
                docs, scores = [docs[0], docs[-1]], [scores[0], scores[-1]]
            return docs, scores, topic
        if q.within is not None and q.sort == "relevance":  # records named in a conversation keep the order they were shown in
            assert mask is not None
            return [d for d in q.within if mask[d]][: limit_to or cap], None, topic
        docs = index.by_date(mask, newest_first=q.sort != "oldest", k=None if q.ends else limit_to or cap)
        if q.ends and len(docs) > 2:
            docs = [docs[0], docs[-1]]  # "the oldest and the newest": the two ends, newest first
        return docs, None, topic

    # --- intents -----------------------------------------------------------------------
    def search(self) -> Reply:
        docs, scores, topic = self.select(self.know.result_cap)
        if not len(docs):
            return self.no_results(topic)
        self.notes.extend(self.unknown_people())  # "Geoffrey Hinton or Luke Metz": Luke Metz's papers, and who is not listed
        return self.reply(
            "search_results", self.papers(docs), scores=scores, total=len(docs), partial=self.partial, topic=self.q.topic
        )

    def unknown_people(self) -> list[str]:
        """A note per person no record lists, with the known names closest to it."""
        lexicon, hints = self.know.lexicon, []
        for name in self.q.unknown_authors:
            keys = lexicon.people.fuzzy(name_key(name), len(name.split()) == 1) or set(
                lexicon.surnames.get(name_key(name).split()[-1], ()) if name_key(name) else ()
            )
            close = sorted(lexicon.authors[k] for k in keys)
            hints.append(
                note(
                    "no author named {} in the corpus" + ("; did you mean {}?" if close else ""),
                    name,
                    *([", ".join(close)] if close else []),
                )
            )
        return hints

    def no_results(self, topic: Topic | None) -> Reply:
        q, index = self.q, self.index
        hints: list[str] = self.unknown_people()
        lexicon = self.know.lexicon
        if len(q.authors) > 1 and q.author_mode == "all":
            both = np.logical_and.reduce([index.author_mask(k) for k in q.authors])
            if not both.any():
                names = [lexicon.authors.get(k, k) for k in q.authors]
                hints.append(
                    note("no record lists all of {} together (ask “{}” for any of them)", ", ".join(names), " or ".join(names))
                )
        for typed, names in q.ambiguous.items():
            hints.append(note("{} may be several people: did you mean {}?", typed, " or ".join(names)))
        if topic and topic.missing:
            hints.append(note("no record mentions {}", ", ".join(topic.missing)))
        for code in q.categories:
            if not index.category_mask(code).any():
                hints.append(note(f"no record is in category {code} ({category_name(code)})"))
        if q.dates and not index.date_mask(*(d.toordinal() if d else None for d in (q.dates.first, q.dates.last))).any():
            hints.append(
                note("no record is dated between {} and {}", str(q.dates.first or "the start"), str(q.dates.last or "now"))
            )
        if q.has_filters() and topic and topic.terms and not q.ambiguous and not topic.missing:
            unfiltered = int(holding_all(index, topic.groups, None).sum()) if topic.groups else len(index.match(topic.terms).docs)
            if unfiltered:
                hints.append(
                    note(f"{unfiltered} {'record matches' if unfiltered == 1 else 'records match'} the topic without the filters")
                )
        return self.reply("no_results", [], hints=hints, total=len(index))

    def count(self) -> Reply:
        docs, _, topic = self.select(None)
        if self.partial:
            self.notes.append(note("no record holds all of: {}; none counted", self.q.topic))
            docs = []
        if topic and topic.missing:
            self.notes.append(note("no record mentions {}", ", ".join(topic.missing)))
        records = self.papers(docs)
        shown = records[: self.know.result_cap]
        return self.reply("count", records, count=len(docs), total=len(self.index), page_items=shown, shown=len(shown))

    def breakdown(self) -> Reply:
        docs, _, topic = self.select(None)
        if not len(docs):
            return self.no_results(topic)
        arr = np.asarray(docs, dtype=np.int64)
        if self.q.group_by == "category":
            counts = self.index.category_counts(arr)
            rows = [
                {"key": c, "label": f"{c} ({category_name(c)})", "count": n}
                for c, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            ]
        else:
            counts = self.index.year_counts(arr)
            rows = [{"key": y, "label": str(y), "count": n} for y, n in sorted(counts.items())]
        least = self.q.sort == "least"
        best = min(r["count"] for r in rows) if least else max(r["count"] for r in rows)
        leaders = [r["label"] for r in rows if r["count"] == best]
        if self.q.detail in ("papers", "count") and len(leaders) == 1:  # "papers from his busiest year", "how many in it"
            row = next(r for r in rows if r["label"] == leaders[0])
            intent = "count" if self.q.detail == "count" else "search"
            narrowed = dataclasses.replace(narrowed_to(self.q, self.q.group_by, row["key"]), intent=intent)
            listed = compose_reply(narrowed, self.know)
            listed.notes.insert(0, note(f"{{}} has the {'fewest' if least else 'most'} papers ({{}})", leaders[0], best))
            return listed
        empty: list[int] = []
        if least and self.q.group_by == "year":
            years = [int(r["key"]) for r in rows]
            empty = [y for y in range(min(years), max(years) + 1) if y not in years]
        return self.reply(
            "breakdown",
            self.papers(docs),
            rows=rows,
            group_by=self.q.group_by,
            leaders=leaders,
            least=least,
            empty=empty,
            best=best,
            total=len(docs),
            show_leader=self.q.sort in ("most", "least"),
            page_items=rows,
            page_size=60,
            width=max(len(r["label"]) for r in rows),
            bar_scale=max(1.0, best / 30),
        )

    def coauthors(self) -> Reply:
        book = self.know.book
        if book.several and not (self.q.profiles or self.q.authors or self.q.within is not None):
            return self.reply("which_profile", [], names=book.names(), asked="coauthors")
        left_out, self.q.exclude_authors = self.q.exclude_authors, []  # "besides Luke Metz, who ...": out of the table
        try:  # the people left out drop from the ranking; their papers still count for everyone else on them
            docs, _, topic = self.select(None, limit_records=False)  # "top 5 coauthors" limits people, not papers
        finally:
            self.q.exclude_authors = left_out
        if not len(docs):
            return self.no_results(topic)
        counts = self.index.author_counts(np.asarray(docs, dtype=np.int64)).astype(np.int64)
        skip = {self.know.lexicon.owner_key, *self.q.authors, *map(name_key, self.q.profiles), *left_out}
        for key in skip:
            if key in self.index.author_id:
                counts[self.index.author_id[key]] = 0
        nonzero = np.flatnonzero(counts)
        limit = self.q.limit or max(int(nonzero.size), 1)  # "top 5" limits the people; otherwise all, a page at a time
        distinct = int(nonzero.size)
        if nonzero.size > limit:  # keep only counts at or above the limit-th largest (ties at the cut stay)
            cut = counts[nonzero][np.argpartition(-counts[nonzero], limit - 1)[limit - 1]]
            nonzero = nonzero[counts[nonzero] >= cut]
        ranked = nonzero[np.argsort(-counts[nonzero], kind="stable")].tolist()
        rows: list[dict[str, Any]] = []
        rank = 0
        previous = None
        for position, aid in enumerate(ranked):
            n = int(counts[aid])
            if n != previous:
                if position >= limit:
                    break
                rank, previous = position + 1, n
            rows.append({"rank": rank, "name": self.index.author_display[aid], "count": n})
        for row in rows:
            row["tied"] = sum(r["rank"] == row["rank"] for r in rows) > 1
        arr = np.asarray(docs, dtype=np.int64)
        shown = min(len(rows), self.q.limit or self.know.coauthor_limit)  # the people of the first page
        listed = self.index.authors_mask([int(a) for a in ranked[:shown]])[arr]
        records = np.concatenate([arr[listed], arr[~listed]])  # every paper counted; the listed people's first
        truncated = int(self.index.columns.truncated[np.asarray(docs, dtype=np.int64)].sum()) if len(docs) else 0
        owner = self.know.profile.name if self.know.profile and not book.several else " and ".join(self.q.profiles)
        return self.reply(
            "coauthors",
            self.papers(records),
            rows=rows,
            considered=len(docs),
            truncated=truncated,
            owner=owner,
            page_items=rows,
            page_size=None if self.q.limit else self.know.coauthor_limit,
            distinct=distinct,
        )

    def resolve(self) -> int | None:
        found = self.index.find_title(self.q.target)
        if found and found[1] >= TITLE_MATCH:
            return found[0]
        return None

    def not_titled(self) -> Reply:
        self.notes.append(note("no paper is titled “{}”", self.q.target))
        return self.reply(
            "no_results",
            [],
            hints=[note("give the paper's title or words from it, e.g. `what is DreamFusion`")],
            total=len(self.index),
        )

    def named(self) -> list[int]:
        """The papers a lookup is about: those a conversation named, else the one whose title was given."""
        if self.q.within is not None:
            return list(self.q.within)
        if not self.q.target and self.q.topic:  # "give me the bibtex for it" after a story describing the paper
            best = self.select(1)[0][:1]
            if best:
                self.notes.append(note("the paper the question describes best: {}", self.index.papers[best[0]].title))
            return best
        doc = self.resolve()
        return [] if doc is None else [doc]

    def verdict(self, doc: int) -> Note:
        """Whether a paper fits what a question claims of it; a person missing from a list cut at "et al." is unknown."""
        fits = bool(filter_mask(self.q, self.index, self.know.book, self.know.lexicon.owner_key)[doc])
        asked = dataclasses.replace(self.q, target="", intent="search", limit=None, sort="relevance")
        claim = describe(asked, self.know.lexicon.authors)
        if fits:
            return note("yes: {}", claim)
        if (self.q.authors or self.q.unknown_authors) and self.index.papers[doc].authors_truncated:
            return note("not among the authors printed (the profile shows the first three, then et al.): {}", claim)
        return note("no: {}", claim)

    def paper(self) -> Reply:
        docs = self.named()
        if not docs:
            return self.not_titled()
        if self.q.detail == "link" and not any(self.index.papers[d].url for d in docs):  # "send me the PDF of X"
            self.notes.append(note("the corpus holds no link or PDF for this paper; its title or arXiv id will find it"))
        if self.q.detail == "arxiv" and not any(self.index.papers[d].url for d in docs):  # "arxiv id for DreamFusion?"
            self.notes.append(
                note(
                    "the corpus holds no arXiv id or DOI for this paper (the id shown is paperbot's own); its title will find it"
                )
            )
        if self.q.confirm and len(docs) == 1:  # "VeLO is from 2022, right?": yes or no, and the paper to check it on
            self.notes.insert(0, self.verdict(docs[0]))
        return self.reply("paper_detail", self.papers(docs), detail=self.q.detail)

    def cite(self) -> Reply:
        docs = self.named()
        if not docs:
            self.notes.append(note("no paper is titled “{}”", self.q.target))
            return self.reply(
                "no_results", [], hints=[note("give the paper's title, e.g. `cite DreamFusion`")], total=len(self.index)
            )
        papers = self.papers(docs)
        entries = [{"paper": p, "bibtex": bibtex(p)} for p in papers]
        return self.reply("cite", papers, page_items=entries, page_size=4)

    def similar(self) -> Reply:
        doc = self.resolve()
        if doc is None:
            return self.not_titled()
        mask = filter_mask(self.q, self.index, self.know.book, self.know.lexicon.owner_key)
        if self.q.detail in ("newer", "older"):  # "like X but newer": dated after it (or before)
            after = self.index.date_ord > self.index.date_ord[doc]
            dated = after if self.q.detail == "newer" else self.index.date_ord < self.index.date_ord[doc]
            mask = dated if mask is None else mask & dated
        hits = self.index.similar(doc, mask, k=self.q.limit or 10)
        source = self.index.papers[doc]
        if not hits:
            return self.reply("no_results", [], hints=[note("nothing else shares its words")], total=len(self.index))
        return self.reply("similar", self.papers([h.doc for h in hits]), source=source, scores=[h.score for h in hits])

    def author(self) -> Reply:
        key = self.q.target
        aid = self.index.author_id[key]
        book = self.know.book
        docs = self.index.by_date(book.person_mask(key, self.index) if book.several else self.index.author_mask(key))
        counts = self.index.author_counts(np.asarray(docs, dtype=np.int64))
        counts[aid] = 0
        if self.know.lexicon.owner_key in self.index.author_id and key != self.know.lexicon.owner_key:
            counts[self.index.author_id[self.know.lexicon.owner_key]] = 0
        top = [
            {"name": self.index.author_display[int(i)], "count": int(counts[i])}
            for i in np.argsort(-counts, kind="stable")[:5]
            if counts[i] > 0
        ]
        years = sorted(set(self.index.year[np.asarray(docs, dtype=np.int64)].tolist()))
        return self.reply(
            "author",
            self.papers(docs),
            name=self.index.author_display[aid],
            count=len(docs),
            first_year=years[0] if years else None,
            last_year=years[-1] if years else None,
            coauthors=top,
            categories=self.index.category_counts(np.asarray(docs, dtype=np.int64)),
        )

    def profile(self) -> Reply:
        book = self.know.book
        if book.several:
            if len(self.q.profiles) != 1:
                return self.profiles()
            profile, mask = book.named(self.q.profiles[0]), book.mask(self.q.profiles[0], self.index)
            return self.reply(
                "profile", [], profile=profile, indexed=int(mask.sum()), with_code=int((mask & self.index.has_code).sum())
            )
        profile = self.know.profile
        return self.reply("profile", [], profile=profile, indexed=len(self.index), with_code=int(self.index.has_code.sum()))

    def profiles(self) -> Reply:
        """Whose profiles are loaded, each with its header facts."""
        rows = profile_rows(self.know.book, self.index) if self.know.book.profiles else []
        return self.reply("profiles", [], rows=rows, total=len(self.index), several=self.know.book.several)

    def compare(self) -> Reply:
        """Two people side by side; the records are the papers they share."""
        keys = list(self.q.authors)
        if not keys and len(self.know.book.profiles) == 2:
            keys = [name_key(n) for n in self.know.book.names()]
        if self.q.unknown_authors or len(keys) != 2:
            if self.q.unknown_authors:
                return self.no_results(None)
            return self.reply("which_profile", [], names=self.know.book.names(), asked="compare")
        facts = compare_people(keys, self.know.book, self.index)
        return self.reply("compare", self.papers(facts.pop("shared_docs")), **facts)

    def unsupported(self) -> Reply:
        profile = self.know.profile if not self.know.book.several else None  # several totals: none is "the profile's"
        # "how many citations does DreamFusion have", "which of these got into CVPR?", a story's paper: those records, at least
        listed = bool(self.q.topic) and self.q.match_all and not self.q.target and self.q.within is None
        docs = self.named() if (self.q.target or self.q.topic or self.q.within is not None) and not listed else []
        if not docs and (self.q.dates or self.q.categories or listed):  # "rank his 2023 papers by citations": those papers
            docs = list(self.select(None)[0])
        records = self.papers(docs) if docs else []
        return self.reply("unsupported", records, caveat=self.q.caveat, citations=profile.citations if profile else None)

    def help(self) -> Reply:
        several = self.know.book.several
        owner = self.know.profile.name if self.know.profile and not several else ""
        return self.reply("help", [], total=len(self.index), owner=owner, profiles=self.know.book.names() if several else [])

    def network(self) -> Reply:
        """Who works with whom among the selected records: the plan of the picture (drawn by the service)."""
        docs, _, topic = self.select(None, limit_records=False)
        if not len(docs):
            return self.no_results(topic)
        papers = self.papers(docs)
        focus = (
            self.q.authors[0]
            if len(self.q.authors) == 1
            else name_key(self.q.profiles[0])
            if len(self.q.profiles) == 1
            else self.know.lexicon.owner_key
        )
        center = self.index.author_display[self.index.author_id[focus]] if focus in self.index.author_id else None
        plan = plan_network(papers, center=center)
        rows = [{"name": name, "count": plan.people[name]} for name in plan.labelled]
        return self.reply(
            "network",
            papers,
            plan=plan,
            center=center,
            considered=len(docs),
            cut=network_note(plan),
            page_items=rows,
            page_size=len(rows) or 1,
        )

    def error(self) -> Reply:
        return self.reply("error", [], message=self.q.error)


def compose_reply(query: Query, know: Knowledge) -> Reply:
    """Answer a parsed question from the index. Every record in the reply is a real record."""
    a = _Answerer(query, know)
    if query.error and query.error != "empty":
        return a.error()
    if query.together and len(query.profiles) + len(query.authors) < 2:  # "papers they wrote together": who are "they"?
        if len(know.book.profiles) != 2:
            return a.reply("which_profile", [], names=know.book.names(), asked="together")
        query.profiles = know.book.names()
    handler = getattr(a, query.intent)
    return handler()


def retrieve(query: Query, know: Knowledge, cap: int | None = None) -> list[int]:
    """Only the records a question selects (topic ranking and filters), without aggregating or
    rendering: what bench/ times as retrieval."""
    return _Answerer(query, know).select(cap if cap is not None else know.result_cap)[0]


def strict_matches(query: Query, know: Knowledge) -> list[int]:
    """The records a saved question selects, ranked as a search answers it, but never the partial
    matches a reply would show labelled (records holding only some topic words): a watch sends
    only what matches."""
    answerer = _Answerer(query, know)
    docs = answerer.select(None)[0]
    return [] if answerer.partial else list(docs)


def narrowed_to(query: Query, group_by: str, key: object) -> Query:
    """The question narrowed to one row of its table (a year or a category), asked for as a plain list."""
    narrowed = copy.deepcopy(query)
    narrowed.group_by, narrowed.detail, narrowed.sort = "", "", "relevance"
    if group_by == "category":
        narrowed.categories = [str(key)]
    else:
        narrowed.dates, narrowed.date_periods = DateRange(dt.date(int(str(key)), 1, 1), dt.date(int(str(key)), 12, 31)), []
    return narrowed

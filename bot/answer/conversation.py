"""Conversations: each user's context in each place, and follow-ups answered against it.

A context remembers, for one key (Discord: channel or DM or thread, plus user; the terminal: one
session), the question refinements apply to, the last list of records as the user saw it (its
order and the page shown) and what the last answer was about, so "and with code?", "who wrote the
second one?" and "more" mean what the user means. Contexts expire after a configured time and the
least recently used go first when the store is full. Core code: Discord, ``paperbot chat`` and the
tests all answer through ``Conversations.say``.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.names import name_key
from bot.search.tokenizer import tokenize
from bot.understand.dates import DateRange, month_number
from bot.understand.followup import LOOKUPS, RECORD_OPERATORS, FollowUp, read_followup, standalone
from bot.understand.lookup import resolve_title
from bot.understand.merge import as_record_query, complement, flip_dates, merge, together
from bot.understand.notes import note
from bot.understand.profiles import apply_profiles
from bot.understand.query import Query
from bot.understand.references import NEXT_ONE, WHO_WROTE_IT, Reference, asked_if_listed, asks_what_else, claim_about_it

from .answer import Reply
from .describe import describe
from .profiles import answered_whose, people_named, with_focus
from .service import Answer, PaperService

LIST_INTENTS = ("search", "count", "similar", "author", "coauthors", "breakdown", "compare")
FILTER_BASES = ("search", "count", "author", "coauthors", "breakdown")  # a refinement reproduces their records exactly


CITE_WORDS = re.compile(r"\b(?:cite|citation|bibtex|bib|reference)\b", re.IGNORECASE)  # a citation asked in so many words
YES_NO = re.compile(  # "does the 3rd one have code?", "is the second one in CV?", "did the first one come out before 2023?"
    r"^\W*(?:(?:so|and|but|ok(?:ay)?|hm+|wait|also)[\s,]+)*(?:does|did|do|is|was|has|had|can)\b", re.IGNORECASE
)


@dataclass(slots=True)
class Shown:
    """A list answer as the user saw it: the question that made it, its records in order, the page shown."""

    query: Query
    docs: np.ndarray
    page: int
    pages: int
    page_size: int
    note: str  # its "following up on" line, repeated on the pages turned later
    names: tuple[str, ...] = ()  # a coauthor table's rows: "the second one" is a person


@dataclass(slots=True)
class Context:
    """One user's conversation in one place."""

    root: str  # the question the conversation started from, as asked
    root_query: Query
    base: Query | None = None  # the question refinements apply to
    listing: Shown | None = None
    focus: tuple[int, ...] = ()  # what the last answer was about ("it"): a paper shown in detail, a similar search's source
    lookup: Query | None = None  # the last answer looked a title up: "and CAT3D?" asks the same of another
    asked: tuple[str, str] = ("", "")  # the last lookup's intent and detail: "and the 2nd?" asks the same of another record
    base_empty: bool = False  # the base's answer found nothing: "those" then means the last list shown
    earlier: Query | None = None  # the base before the last refinement ("never mind, ..." goes back to it)
    people: tuple[
        str, ...
    ] = ()  # several profiles: the ones the conversation is about ("his h-index", "papers they wrote together")
    generation: int = 0  # the index the record positions belong to
    touched: float = 0.0
    previous: Context | None = None  # the conversation before this question started afresh ("back to the diffusion ones")


class ContextStore:
    """Contexts by key, forgotten ``seconds`` after their last use; at most ``cap``, least recently used evicted first."""

    def __init__(self, seconds: float, cap: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.cap = cap
        self.clock = clock
        self._items: OrderedDict[Hashable, Context] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def _expire(self, now: float) -> None:
        while self._items:  # kept in order of last use, so the stale ones are at the front
            key, oldest = next(iter(self._items.items()))
            if now - oldest.touched < self.seconds:
                break
            del self._items[key]

    def get(self, key: Hashable) -> Context | None:
        with self._lock:
            self._expire(self.clock())
            context = self._items.get(key)
            if context is not None:
                self._items.move_to_end(key)
            return context

    def put(self, key: Hashable, context: Context) -> None:
        with self._lock:
            now = self.clock()
            context.touched = now
            self._items[key] = context
            self._items.move_to_end(key)
            self._expire(now)
            while len(self._items) > self.cap:
                self._items.popitem(last=False)

    def drop(self, key: Hashable) -> bool:
        with self._lock:
            return self._items.pop(key, None) is not None


class PageTurn(Answer):
    """One page of an earlier answer, posted again as its own message ("more", "previous page")."""

    def __init__(self, answer: Answer, number: int, records: list[Any], question: str) -> None:
        reply = dataclasses.replace(answer.reply, question=question, records=records)
        super().__init__(reply, answer.renderer)
        self._pages = [answer.page_at(number)]
        self._first = (self._pages[0], 1)


_SINGLE_FIELDS = (
    "topic",
    "dates",
    "authors",
    "exclude_authors",
    "unknown_authors",
    "categories",
    "exclude_categories",
    "affiliations",
    "exclude_affiliations",
    "has_code",
    "exclude_terms",
    "group_by",
    "sort",
    "limit",
)
_CLEARED = {
    "dates": "any date",
    "has_code": "with or without code",
    "authors": "any author",
    "categories": "any category",
    "topic": "any topic",
    "sort": "by relevance",
    "limit": "no limit",
    "affiliations": "any affiliation",
}
_INTENT_LABEL = {
    "count": "how many",
    "coauthors": "top coauthors",
    "breakdown": "breakdown",
    "similar": "similar papers",
    "search": "list",
    "paper": "paper",
    "cite": "cite",
}


def changes(root: Query, now: Query, authors: dict[str, str]) -> list[str]:
    """What a follow-up changed in the question the conversation started from: "+ with code", "→ dates: …", "any date"."""
    found: list[str] = []
    if now.intent != root.intent and root.intent in _INTENT_LABEL and now.intent in _INTENT_LABEL:
        found.append(f"+ {_INTENT_LABEL[now.intent]}")
    for name in _SINGLE_FIELDS:
        old, new = getattr(root, name), getattr(now, name)
        if old == new or (name == "sort" and now.intent == "breakdown"):
            continue
        part = describe(Query(text="", **{name: new}), authors)
        empty = new in (None, "", [], "relevance")
        if empty:
            found.append(_CLEARED.get(name, "− " + describe(Query(text="", **{name: old}), authors)))
        elif old in (None, "", [], "relevance"):
            found.append(f"+ {part}")
        else:
            found.append(f"→ {part}")
    return found


class Conversations:
    """Answers messages in conversations: follow-ups refine, refer to or page the previous answer of the same key."""

    def __init__(
        self, service: PaperService, minutes: float = 15.0, cap: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.service = service
        self.store = ContextStore(minutes * 60.0, cap, clock)
        self._index = service.index
        self._generation = 0
        self._dropped: tuple[Hashable, Context | None] = (None, None)  # the context a "new question: ..." just replaced
        self._turns = threading.RLock()  # one turn at a time: a user's two quick messages must not both edit their context

    # --- the index the stored record positions refer to ----------------------------------
    def generation(self) -> int:
        if self.service.index is not self._index:
            self._index, self._generation = self.service.index, self._generation + 1
        return self._generation

    def _current(self, context: Context) -> Context:
        """A context whose record positions belong to the index answering now (they are re-derived after a swap)."""
        generation = self.generation()
        if context.generation != generation:
            context.focus = ()
            if context.listing is not None:
                fresh = self.service.respond(copy.deepcopy(context.listing.query))
                context.listing.docs = _docs(fresh.reply, self.service.knowledge.result_cap)
            context.generation = generation
        return context

    # --- entry points ------------------------------------------------------------------
    def say(self, key: Hashable, text: str, today: dt.date | None = None) -> Answer:
        """Answer one message of ``key``'s conversation, using and updating its context."""
        with self._turns:
            return self._say(key, text, today or self.service.today())

    def _say(self, key: Hashable, text: str, today: dt.date) -> Answer:
        self._dropped = (None, None)
        follow = read_followup(text, self.service.lexicon, today)
        context = self.store.get(key)
        if follow.kind == "reset" and follow.undo and context is not None and context.earlier is not None:
            context = self._current(context)  # "nvm" after "and with code?": the question before that refinement again
            context.base, context.earlier, context.base_empty, context.focus = context.earlier, None, False, ()
            return self.answer(key, context, as_record_query(context.base))
        if follow.reset:
            self.store.drop(key)
            self._dropped = (key, context)  # "separate q: ..." starts afresh; "back to ..." may still return to it
            context = None
        named = answered_whose(context.base if context is not None else None, follow.query, self.service.knowledge.book)
        if context is not None and named is not None:  # "Luke Metz" after "whose coauthors do you mean?"
            return self.answer(key, context, named)
        refines = (
            follow.kind in ("refine", "swap") and context is not None and context.base is not None and bool(context.base.profiles)
        )
        if context is not None and not refines and with_focus(follow.query, context.people, self.service.knowledge.book):
            return self.start(key, follow.query, text)  # "his h-index", "papers they wrote together": about the people in focus
        if follow.kind == "ack":  # "thx", "👍": a short reply; the conversation stays for the next follow-up
            return self.note("ack", text, follows=context.root if context is not None else None)
        if follow.kind == "reset":
            if context is None:
                return self.note("hint", text, why="nothing_to_forget")
            self.store.drop(key)
            return self.note("reset", text)
        if context is None:
            if not follow.needs_context or (follow.kind in ("swap", "back") and follow.query.topic):  # "ok then papers on GANs"
                return self.start(key, follow.query, text)
            alone = standalone(follow, self.service.lexicon, today)
            if alone is None and follow.kind == "refine" and (_a_few_in_order(follow.query) or _names_a_set(follow.query)):
                alone = follow.query
            return self.start(key, alone, text) if alone else self.note("hint", text, why="nothing")
        context = self._current(context)
        if follow.undo and context.earlier is not None:
            context.base, context.earlier, context.base_empty, context.focus = context.earlier, None, False, ()
        shown = context.listing
        if follow.kind == "complement" or (follow.others and (shown is None or shown.page >= shown.pages)):
            turned = complement(context.earlier, context.base, follow) if context.earlier and context.base else None
            if turned is not None:  # "which ones don't?", "and the rest?" after a list that fits one page
                return self.answer(key, context, turned)
            if follow.kind == "complement":
                return self.note("hint", text, follows=context.root, why="no_complement")
        if follow.kind == "back" and context.previous is not None and _names_root(follow.rest, context.previous.root):
            back = self._current(context.previous)  # "ok back to the diffusion ones": the conversation before this one
            back.previous = dataclasses.replace(context, previous=None)
            if back.base is not None:
                return self.answer(key, back, as_record_query(back.base), reference="back")
        if follow.kind == "back":  # nothing before this question to go back to: "back to NeRF" swaps the topic
            follow.kind = "swap" if follow.query.topic else "refine"
        if follow.kind == "flip":  # "and after?" after "before 2019"
            flipped = flip_dates(context.base, follow) if context.base is not None else None
            if flipped is None:
                return self.note("hint", text, follows=context.root, why="no_dates")
            return self.answer(key, context, flipped)
        joined = together(context.earlier, context.base, follow) if follow.both and context.earlier and context.base else None
        if joined is not None:  # "both" after "papers by Luke Metz", "and Jascha?"
            return self.answer(key, context, joined)
        whose = asks_what_else(text) if len(context.focus) == 1 else None
        if whose:
            return self.what_else(key, context, text, whose)
        claim = claim_about_it(text) if len(context.focus) == 1 else None
        checked = self.service.understand(claim) if claim else None
        if checked is not None and checked.has_filters() and checked.intent in RECORD_OPERATORS and not checked.topic:
            title = self.service.index.papers[context.focus[0]].title  # "is that the 2022 one?": yes or no, of the paper in focus
            query = dataclasses.replace(checked, intent="paper", target=title, confirm=True, text=text)
            return self.answer(key, context, query, reference="it")
        listed = asked_if_listed(text) if shown is not None and len(shown.docs) and not shown.names else None
        title = (resolve_title(listed, self.service.lexicon) or self._one_described(listed)) if listed else None
        if title:  # "is dreamfusion on this page?": that paper, and where it stands in the list shown
            return self.on_the_list(key, context, text, title)
        if shown is not None and len(shown.docs) == 1 and WHO_WROTE_IT.match(text.strip()):  # one record listed: its authors
            follow = dataclasses.replace(
                follow,
                kind="reference",
                query=Query(text=text, intent="paper", detail="authors"),
                reference=Reference("it", False),
            )
            return self.refer(key, context, follow)
        one = NEXT_ONE.match(text)
        if one and len(context.focus) == 1 and shown is not None and context.focus[0] in shown.docs:
            # "and the next one?", "next one, abstract pls" after one record shown: the record beside it, not the next page
            beside = "the one after it" if one.group("dir").lower() == "next" else "the one before it"
            follow = read_followup(beside + text[one.end() :], self.service.lexicon, self.service.today())
            if follow.kind == "reference":
                return self.refer(key, context, follow)
        if follow.kind == "page":
            return self.turn_page(key, context, follow)
        if follow.kind == "reference":
            return self.refer(key, context, follow)
        another = (
            follow.kind == "fresh"
            and follow.cued
            and follow.query.intent in LOOKUPS
            and not follow.query.detail
            and not (follow.query.intent == "cite" and CITE_WORDS.search(text))
        )  # "and CAT3D?"
        if (follow.kind == "swap" or another) and context.lookup is not None:
            target = re.sub(r"^(?:on|about|for|of)\s+", "", follow.rest, flags=re.IGNORECASE)
            again = Query(text=text, intent=context.lookup.intent, detail=context.lookup.detail, target=target)
            return self.answer(key, context, again, reference=f"{_INTENT_LABEL.get(again.intent, 'lookup')}: {again.target}")
        nothing_kept = (
            follow.kind in ("refine", "swap")
            and "filters" in follow.removals
            and context.base is not None
            and not context.base.topic
            and (follow.query.has_filters() or bool(follow.query.topic))
        )
        if nothing_kept:  # "clear all filters. papers from 2016": a question of its own
            return self.start(key, follow.query, follow.rest or text)
        if follow.kind in ("refine", "swap"):
            if context.base is not None:
                merged = merge(context.base, follow)
                apply_profiles(merged, self.service.lexicon)  # "what about Ben Poole?": his profile, with several
                return self.answer(key, context, merged)
            if _a_few_in_order(follow.query):
                return self.start(key, follow.query, text)
            if follow.needs_context:
                return self.note("hint", text, why="nothing", follows=context.root)
        return self.start(key, follow.query, text)

    def start(self, key: Hashable, query: Query, label: str = "") -> Answer:
        """A question on its own (fresh text, or a slash command's options): answered, and the start of a new context."""
        with self._turns:
            return self._start(key, query, label)

    def _start(self, key: Hashable, query: Query, label: str = "") -> Answer:
        context = Context(
            root=label or query.text or describe(query, self.service.lexicon.authors), root_query=copy.deepcopy(query)
        )
        context.generation = self.generation()
        before = self.store.get(key) or (self._dropped[1] if self._dropped[0] == key else None)
        self._dropped = (None, None)
        if before is not None and before.base is not None:  # kept one level deep: a question back, not a history
            context.previous = dataclasses.replace(before, previous=None)
        answer = self.service.respond(query)
        if answer.intent == "unsupported" and answer.reply.records:  # "what venue was VeLO at": then "papers like it"
            self._remember(key, context, answer, note="")
            return answer
        if answer.intent not in LIST_INTENTS + LOOKUPS:
            people = people_named(answer.reply.query, self.service.knowledge.book)
            if people:  # "Luke Metz's h-index", "compare A and B": whom "his", "they" mean next
                kept = self.store.get(key) or context
                kept.people = people
                self.store.put(key, kept)
            return answer  # help, profile facts, errors: nothing to follow up on, and the conversation so far stays
        self._remember(key, context, answer, note="")
        return answer

    def saw_page(self, key: Hashable, answer: Answer, number: int) -> None:
        """The user turned to page ``number`` of ``answer`` with buttons: ordinals now count on that page."""
        context = self.store.get(key)
        if context is not None and context.listing is not None and context.listing.query is answer.reply.query:
            context.listing.page = number

    # --- answers -------------------------------------------------------------------------
    def answer(self, key: Hashable, context: Context, query: Query, reference: str = "", named: str = "") -> Answer:
        answer = self.service.respond(query)
        if query.within is not None and named:  # say which records, not "everything"
            plain = describe(dataclasses.replace(query, within=None, target=""), self.service.lexicon.authors)
            answer.reply.understood = named if plain == "everything" else f"{plain} · among {named}"
        parts = changes(as_record_query(context.root_query), answer.reply.query, self.service.lexicon.authors)
        note = " · ".join([context.root, *([reference] if reference else parts)])
        answer.reply.followup = note
        answer.follows = context.root
        self._remember(key, context, answer, note)
        return answer

    def _remember(self, key: Hashable, context: Context, answer: Answer, note: str) -> None:
        reply = answer.reply
        query = reply.query
        context.people = people_named(query, self.service.knowledge.book) or context.people
        docs = _docs(reply, self.service.knowledge.result_cap)
        if query.intent in (*FILTER_BASES, "similar") and query.within is None:
            context.earlier = context.base
            context.base, context.base_empty = _leader(query, reply), not len(reply.records)
        elif query.intent == "unsupported" and query.within is None and len(docs) and query.has_filters() and not query.target:
            context.earlier = context.base  # "CV papers from 2023 and how many citations each": those papers, to refine
            context.base, context.base_empty = dataclasses.replace(query, intent="search", caveat=None), False
        context.lookup = query if reply.intent in LOOKUPS and query.target and query.within is None else None
        context.asked = (reply.intent, query.detail) if reply.intent in ("paper", "cite") else ("", "")
        if reply.intent in ("paper", "cite") or (
            reply.intent == "unsupported" and len(docs) and (query.target or len(docs) == 1)
        ):
            context.focus = tuple(int(d) for d in docs)
        elif reply.intent == "similar":
            source = reply.context.get("source")
            found = self.service.index.find_title(source.title) if source is not None else None
            context.focus = (found[0],) if found else ()
        elif reply.intent in ("search", "author") and len(docs):
            context.focus = ()  # a new list to look at: "it" is its first record
        if reply.intent in LIST_INTENTS and (len(docs) or reply.intent == "coauthors"):
            names = tuple(row["name"] for row in reply.context.get("rows", ())) if reply.intent == "coauthors" else ()
            size = reply.page_size or self.service.renderer.page_size
            context.listing = Shown(query, docs, 1, answer.page_count, size, note, names)
        elif reply.template == "no_results":
            context.listing = None  # "Nothing found": "the second one" and "more" point at nothing now
        self.store.put(key, context)

    def note(self, intent: str, text: str, follows: str | None = None, **context: Any) -> Answer:
        """A short message with no records: a hint, or the confirmation of a reset."""
        reply = Reply(
            text, intent, Query(text=text, intent=intent), "", [], "conversation", {"kind": intent, "question": text, **context}
        )
        answer = Answer(reply, self.service.renderer)
        answer.follows = follows
        return answer

    def turn_page(self, key: Hashable, context: Context, follow: FollowUp) -> Answer:
        shown = context.listing
        if shown is None:
            return self.note("hint", follow.text, follows=context.root, why="no_pages")
        wanted = {"next": shown.page + 1, "previous": shown.page - 1, "first": 1, "last": shown.pages}.get(
            str(follow.page), follow.page
        )
        assert isinstance(wanted, int)
        if not 1 <= wanted <= shown.pages:
            why = "first_page" if wanted < 1 else "last_page"
            return self.note("hint", follow.text, follows=context.root, why=why, shown_pages=shown.pages)
        full = self.service.respond(copy.deepcopy(shown.query))
        full.reply.followup = shown.note or context.root
        items = full.reply.records if full.reply.page_items is None else full.reply.page_items
        lo = (wanted - 1) * shown.page_size
        records = [r for r in items[lo : lo + shown.page_size] if not isinstance(r, dict)]
        turned = PageTurn(full, wanted, records, follow.text)
        turned.follows = context.root
        shown.page = wanted
        self.store.put(key, context)
        return turned

    def refer(self, key: Hashable, context: Context, follow: FollowUp) -> Answer:
        """A question about records of the previous answer: "who wrote it", "cite the first two", "how many of those have code"."""
        ref = follow.reference
        assert ref is not None
        q = follow.query
        shown = context.listing
        if shown is not None and shown.names and (ref.positions or ref.numbers) and q.intent in ("search", "count"):
            return self.person(key, context, follow, shown)
        if q.intent == "unsupported":  # "which of these got into CVPR?": what the corpus lacks, said of those records
            picked = self._described(context, ref) if ref.described else self._resolve(context, ref)
            within = picked[0] if picked is not None and not isinstance(picked, str) else None  # none named: the caveat alone
            return self.answer(key, context, dataclasses.replace(q, within=within, text=follow.text), reference=ref.phrase)
        plural_all = ref.plural and not (ref.positions or ref.numbers)
        narrowing = (
            ref.phrase in ("it", "that", "this") and q.intent in RECORD_OPERATORS and (q.has_filters() or bool(q.limit))
        )  # "narrow it down to 2020", "just the top 3 of that"
        base = context.base
        exact = (
            base is not None and base.intent in FILTER_BASES and not context.base_empty and (len(context.focus) <= 1 or narrowing)
        )
        if plural_all and base is not None and context.base_empty and q.has_filters() and q.intent not in LOOKUPS:
            return self.answer(key, context, merge(base, dataclasses.replace(follow, kind="refine")))  # "And 2017? List them."
        if (plural_all or narrowing) and q.intent not in LOOKUPS and not q.topic and exact:
            merged = merge(base, dataclasses.replace(follow, kind="refine"))
            if q.intent == "search" and not q.has_filters() and q.sort == "relevance" and not q.limit:
                merged.intent = "search"
            return self.answer(key, context, merged, reference=f"{ref.phrase}")
        chosen_by_filter = not ref.plural and not (ref.positions or ref.numbers) and ref.phrase not in ("it", "that", "this")
        if chosen_by_filter and q.intent in RECORD_OPERATORS and (q.has_filters() or q.topic):
            return self.pick_one(key, context, follow)  # "the one from 2021": which of the records listed
        picked = self._described(context, ref) if ref.described else self._resolve(context, ref)
        if picked is None:  # "the velo paper" names no listed record: a question of its own
            return self.start(key, self.service.understand(follow.text), follow.text)
        if isinstance(picked, str):
            count = len(shown.docs) if shown is not None else 0
            return self.note("hint", follow.text, follows=context.root, why=picked, phrase=ref.phrase, count=count)
        docs, label = picked
        if not docs:  # nothing the reference can point at (an empty list shown): say so, never fail
            return self.note("hint", follow.text, follows=context.root, why="no_records", phrase=ref.phrase, count=0)
        if YES_NO.match(follow.text) and not ref.plural and q.intent in ("search", "count") and (q.has_filters() or q.topic):
            return self.yes_no(key, context, follow, docs, label)  # "does the 3rd one have code?", "is the second one in CV?"
        bare = q.intent in ("paper", "search") and not (
            q.detail or q.topic or q.has_filters() or q.limit or q.sort != "relevance"
        )
        if bare and follow.cued and context.asked[0] and (ref.positions or ref.numbers):
            q = dataclasses.replace(q, intent=context.asked[0], detail=context.asked[1])  # "and the 2nd?": the same again
        if q.intent == "similar":
            title = self.service.index.papers[docs[0]].title
            query = dataclasses.replace(as_record_query(q), intent="similar", target=title, topic="", within=None)
        elif q.intent == "paper" and not q.detail and plural_all and len(docs) > 1:  # "what are they?": list them
            query = Query(text=follow.text, intent="search", within=docs)
        elif q.intent in ("paper", "cite"):
            query = Query(text=follow.text, intent=q.intent, detail=q.detail, within=docs)
        elif q.intent == "search" and not q.has_filters() and not q.topic and q.sort == "relevance" and not q.limit:
            named_records = (
                len(docs) == 1 or ref.positions or ref.numbers
            )  # "the first two": shown in full; "those": listed again
            query = Query(text=follow.text, intent="paper" if named_records else "search", within=docs)
        else:
            query = dataclasses.replace(q, within=docs)
        query.text = follow.text
        return self.answer(key, context, query, reference=f"{ref.phrase} = {label}", named=label)

    def yes_no(self, key: Hashable, context: Context, follow: FollowUp, docs: list[int], label: str) -> Answer:
        """A yes/no question about one listed record: that record shown, and whether it fits what was asked."""
        q = follow.query
        fits = self.service.respond(dataclasses.replace(q, intent="search", within=docs, limit=None, sort="relevance"))
        detail = "code" if q.has_code is not None else "date" if q.dates else "authors" if q.authors or q.unknown_authors else ""
        query = Query(text=follow.text, intent="paper", detail=detail, within=docs)
        answer = self.answer(
            key, context, query, reference=f"{follow.reference.phrase if follow.reference else ''} = {label}", named=label
        )
        asked = describe(dataclasses.replace(q, within=None, intent="search"), self.service.lexicon.authors)
        answer.reply.notes.insert(0, note("{}: {}", "yes" if len(fits.reply.records) else "no", asked))
        return answer

    def what_else(self, key: Hashable, context: Context, text: str, whose: str) -> Answer:
        """ "And what else did she write?" after one paper: the other papers of its first author ("they": of any author)."""
        doc = context.focus[0]
        index = self.service.index
        authors = [name_key(n) for n in index.papers[doc].authors]
        people = authors[:1] if whose == "one" else authors
        theirs = self.service.respond(Query(text=text, authors=people, author_mode="any"))
        others = [int(d) for d in _docs(theirs.reply, self.service.knowledge.result_cap) if int(d) != doc]
        query = Query(text=text, authors=people, author_mode="any", within=others)
        return self.answer(key, context, query, reference=f"besides {index.papers[doc].title}")

    _PARTS = (
        "topic",
        "dates",
        "date_periods",
        "months",
        "categories",
        "exclude_categories",
        "has_code",
        "authors",
        "affiliations",
    )

    def _unmet(self, base: Query, doc: int) -> list[str]:
        """The parts of a list's question a paper fails ("why isn't DreamFusion in there?": it is not with code)."""
        unmet = []
        for part in self._PARTS:
            value = getattr(base, part)
            if value in (None, "", []):
                continue
            alone = dataclasses.replace(Query(text="", expansions=dict(base.expansions)), **{part: value}, within=[doc])
            if not self.service.respond(alone).reply.records:
                unmet.append(describe(dataclasses.replace(alone, within=None), self.service.lexicon.authors))
        return unmet

    def _one_described(self, text: str) -> str | None:
        """The title of the one record a description finds ("the Song et al SDE paper"), else None."""
        found = self.service.respond(dataclasses.replace(self.service.understand(text), limit=None)).reply.records
        return found[0].title if len(found) == 1 else None

    def on_the_list(self, key: Hashable, context: Context, text: str, title: str) -> Answer:
        """Whether a paper is in the list shown, and on which page: the paper shown, the list kept for what follows."""
        shown = context.listing
        assert shown is not None
        doc = next(i for i, p in enumerate(self.service.index.papers) if p.title == title)
        listed = [int(d) for d in shown.docs]
        answer = self.answer(key, context, Query(text=text, intent="paper", target=title), reference="the list shown")
        if doc in listed:
            at = listed.index(doc)
            page = at // shown.page_size + 1
            where = f"#{at % shown.page_size + 1} on page {page}" + (" (this page)" if page == shown.page else "")
            answer.reply.notes.insert(0, note("yes: it is in the list shown, {}", where))
        else:
            unmet = self._unmet(context.base, doc) if context.base is not None else []
            answer.reply.notes.insert(
                0,
                note("no: it is not among the {} records listed; it does not fit: {}", len(listed), "; ".join(unmet))
                if unmet
                else note("no: it is not among the {} records listed", len(listed)),
            )
        context.listing = shown  # the list stays what "the last one there" points at
        self.store.put(key, context)
        return answer

    def person(self, key: Hashable, context: Context, follow: FollowUp, shown: Shown) -> Answer:
        """After a coauthor table, "the first one" is a person: their profile, or their papers counted or filtered."""
        ref, q = follow.reference, follow.query
        assert ref is not None
        picked = _pick(shown, ref, list(shown.names))
        if isinstance(picked, str):
            return self.note("hint", follow.text, follows=context.root, why=picked, phrase=ref.phrase, count=len(shown.names))
        name = picked[0]
        who = name_key(name)
        if who not in self.service.lexicon.authors:
            return self.note("hint", follow.text, follows=context.root, why="no_records", phrase=ref.phrase, count=0)
        if q.intent == "search" and not q.has_filters() and not q.topic:
            query = Query(text=follow.text, intent="author", target=who)
        else:
            query = dataclasses.replace(q, authors=[who], text=follow.text)
        return self.answer(key, context, query, reference=f"{ref.phrase} = {name}")

    def pick_one(self, key: Hashable, context: Context, follow: FollowUp) -> Answer:
        """ "The one from 2021", "the paper by Luke Metz": the listed records that match, in full when one does."""
        shown = context.listing
        if shown is None or not len(shown.docs):
            return self.note("hint", follow.text, follows=context.root, why="no_records", phrase=follow.text, count=0)
        docs = [int(d) for d in shown.docs]
        label = f"the {len(docs)} listed records"
        matching = self.service.respond(dataclasses.replace(follow.query, within=docs, intent="search"))
        singular = follow.reference is not None and not follow.reference.plural  # "the one with ...": the best match
        if len(matching.reply.records) == 1 or (singular and len(matching.reply.records) > 1):
            one = [int(matching.reply.records.docs[0])] if hasattr(matching.reply.records, "docs") else docs[:1]
            return self.answer(
                key, context, Query(text=follow.text, intent="paper", within=one), reference=follow.text, named=label
            )
        return self.answer(
            key,
            context,
            dataclasses.replace(follow.query, within=docs, intent="search", text=follow.text),
            reference=follow.text,
            named=label,
        )

    def _described(self, context: Context, ref: Reference) -> tuple[list[int], str] | None:
        """The record a description picks ("the non-saturating one", "the gumbel one"): the best listed record matching
        it, else the one paper of the corpus it names; None when it names none (then the message is a question alone)."""
        shown = context.listing
        docs = [int(d) for d in shown.docs] if shown is not None else []
        month = month_number(ref.described)
        if month and docs:  # "cite the november one": the listed record of that month
            dated = [d for d in docs if self.service.index.papers[d].date.month == month]
            if len(dated) == 1:
                return dated, f"record #{docs.index(dated[0]) + 1}"
        wanted = self.service.understand(ref.described)
        if wanted.intent == "author" and wanted.target:  # "the one with locatello": the listed one with that person
            wanted = as_record_query(wanted)
        if wanted.intent == "paper" and wanted.target:  # "the CAT4D one": a title
            found = self.service.index.find_title(wanted.target)
            if found:
                doc = int(found[0])
                return [doc], f"record #{docs.index(doc) + 1}" if doc in docs else _titles(self.service, (doc,))
        if wanted.intent not in RECORD_OPERATORS or not (wanted.topic or wanted.has_filters()):
            return None
        theirs: list[int] = []  # the records of the people the conversation is about ("jascha + surya papers with code?")
        if context.base is not None and context.base.authors:
            people = Query(text="", authors=list(context.base.authors), author_mode=context.base.author_mode)
            theirs = [int(d) for d in _docs(self.service.respond(people).reply, self.service.knowledge.result_cap)]
        scopes = [scope for scope in (docs, theirs) if scope]
        for within in (*scopes, None):  # the records listed first, then the people's, then the whole corpus
            found = self.service.respond(
                dataclasses.replace(wanted, intent="search", within=within, limit=None, sort="relevance")
            )
            matched = getattr(found.reply.records, "docs", None)
            if matched is not None and within is None and len(matched) > 1:  # "the autoencoder one": the one titled so
                terms = set(tokenize(ref.described))
                titled = [d for d in matched if terms and terms <= set(tokenize(self.service.index.papers[int(d)].title))]
                matched = titled if len(titled) == 1 else matched
            if matched is not None and (len(matched) == 1 or (within is not None and len(matched))):
                doc = int(matched[0])
                return [doc], f"record #{docs.index(doc) + 1}" if doc in docs else _titles(self.service, (doc,))
        return None

    def _resolve(self, context: Context, ref: Reference) -> tuple[list[int], str] | str:
        """The records a reference names, and how to show them ("#2"); or why it names none."""
        shown = context.listing
        if ref.step:  # "the one after it": beside the record in focus, in the order shown
            listed = [int(d) for d in shown.docs] if shown is not None else []
            here = listed.index(context.focus[0]) if context.focus and context.focus[0] in listed else -1
            there = here + ref.step
            if here < 0 or not 0 <= there < len(listed):
                return "no_records"
            return [listed[there]], f"record #{there + 1}"
        if ref.other:  # "the other one": of the records listed, those not in focus
            listed = [int(d) for d in shown.docs] if shown is not None else []
            rest = [d for d in listed if d not in context.focus]
            if not context.focus or not rest or len(rest) == len(listed):
                return "no_records"
            return rest[:1] if len(rest) == 1 else rest, _titles(self.service, tuple(rest))
        if ref.positions or ref.numbers:
            if shown is None or not len(shown.docs):
                return "no_records"
            picked = _pick(shown, ref, shown.docs.tolist())
            if (
                picked == "range" and shown.query.limit and all(p > 0 for p in ref.positions)
            ):  # positive: not "last", "middle"  # "top 3", then "and the 4th?"
                full = self.service.respond(dataclasses.replace(shown.query, limit=None))
                shown = dataclasses.replace(shown, docs=_docs(full.reply, self.service.knowledge.result_cap))
                picked = _pick(shown, ref, shown.docs.tolist())
            if isinstance(picked, str):
                return picked
            numbers = ", ".join(f"#{n}" for n in _numbers(shown, ref))
            return [int(d) for d in picked], f"{'records' if len(picked) > 1 else 'record'} {numbers}"
        if context.focus and (not ref.plural or len(context.focus) > 1):
            focus = context.focus if ref.plural else context.focus[:1]
            return list(focus), _titles(self.service, focus)
        if shown is None or not len(shown.docs):
            return list(context.focus), _titles(self.service, context.focus) if context.focus else "no_records"
        if ref.plural:
            return [int(d) for d in shown.docs], f"the {len(shown.docs)} listed records"
        lo = (shown.page - 1) * shown.page_size
        return [int(shown.docs[min(lo, len(shown.docs) - 1)])], f"record #{min(lo, len(shown.docs) - 1) + 1}"


def _names_root(said: str, root: str) -> bool:
    """Does "back to the diffusion ones" name the question a conversation started from ("diffusion papers from 2024")?"""
    wanted = [w for w in re.findall(r"[a-z0-9]+", said.lower()) if w not in BACK_FILLER]
    return not wanted or all(w in root.lower() for w in wanted)


BACK_FILLER = frozenset(["the", "those", "these", "ones", "one", "papers", "paper", "list", "results", "search", "question",
                         "previous", "last", "earlier", "first", "other", "before", "that", "them", "again", "stuff"])  # fmt: skip


def _leader(query: Query, reply: Reply) -> Query:
    """After "which year was his busiest", "those papers" are that year's: the base narrowed to the one leading row."""
    leaders = reply.context.get("leaders", [])
    if reply.intent != "breakdown" or not reply.context.get("show_leader") or len(leaders) != 1:
        return query
    key = next(r["key"] for r in reply.context["rows"] if r["label"] == leaders[0])
    narrowed = copy.deepcopy(query)
    if reply.context.get("group_by") == "category":
        narrowed.categories = [str(key)]
    else:
        narrowed.dates, narrowed.date_periods = DateRange(dt.date(int(key), 1, 1), dt.date(int(key), 12, 31)), []
    return narrowed


def _names_a_set(q: Query) -> bool:
    """ "LG ones, oldest first" with no list before: a category, person or affiliation is a question alone."""
    return bool(q.categories or q.authors or q.affiliations) and q.intent in ("search", "count")


def _a_few_in_order(query: Query) -> bool:
    """ "then just the 3 most recent ones" with no list before: a question alone (the newest three), no hint."""
    return query.sort != "relevance" and bool(query.limit) and not query.topic


def _docs(reply: Reply, cap: int) -> np.ndarray:
    """The positions of a reply's records (at most ``cap``: what a user can see)."""
    docs = getattr(reply.records, "docs", None)
    if docs is None:
        return np.zeros(0, dtype=np.int64)
    return np.array(docs[:cap], dtype=np.int64)


def _numbers(shown: Shown, ref: Reference) -> list[int]:
    """1-based numbers, as printed beside the records, of what a reference names."""
    if ref.numbers:
        return list(ref.numbers)
    lo = (shown.page - 1) * shown.page_size
    hi = min(lo + shown.page_size, len(shown.names) or len(shown.docs))
    return [lo + p if p > 0 else hi + p + 1 if p < 0 else lo + (hi - lo + 1) // 2 for p in ref.positions]  # 0: the middle one


def _pick(shown: Shown, ref: Reference, items: list[Any]) -> list[Any] | str:
    numbers = _numbers(shown, ref)
    if not all(1 <= n <= len(items) for n in numbers):
        return "range"
    return [items[n - 1] for n in numbers]


def _titles(service: PaperService, docs: tuple[int, ...]) -> str:
    titles = [service.index.papers[d].title for d in docs[:3]]
    short = [t if len(t) <= 40 else t[:39] + "…" for t in titles]
    return "; ".join(short) + ("…" if len(docs) > 3 else "")

"""Conversations: each user's context in each place, and follow-ups answered against it.

A context remembers, for one key (Discord: channel or DM or thread, plus user; the terminal: one
session), the question refinements apply to, the last list of records as the user saw it (its
order and the page shown) and what the last answer was about, so "and with code?", "who wrote the
second one?" and "more" mean what the user means. Contexts expire after a configured time and the
least recently used go first when the store is full. Core code: Discord, ``paperbot chat`` and the
tests all answer through ``Conversations.say``. The context itself lives in context.py; questions about
the records listed ("the second one", "is X on this page?") in listed.py.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

from bot.understand.followup import (
    ABOUT_HIM,
    LOOKUPS,
    RECORD_OPERATORS,
    FollowUp,
    long_followup_core,
    read_followup,
    standalone,
    strip_cues,
)
from bot.understand.lookup import resolve_title
from bot.understand.merge import as_record_query, complement, flip_dates, merge, together
from bot.understand.notes import note
from bot.understand.parsed import SELECTION
from bot.understand.patterns import LONG
from bot.understand.profiles import apply_profiles
from bot.understand.query import Query, clean_question
from bot.understand.references import NEXT_ONE, WHO_WROTE_IT, Reference, asked_if_listed, asks_what_else, claim_about_it

from .answer import Reply, narrowed_to
from .context import Context, ContextStore, Shown, reply_positions
from .describe import describe
from .listed import FILTER_BASES, ListedRecords
from .profiles import answered_whose, people_named, with_focus
from .service import Answer, PaperService

ASKED_IF_ANY = re.compile(  # a yes-or-no question about the list shown, not a new filter on it
    r"^\W*(?:(?:so|and|but|ok(?:ay)?|hm+|wait|also|cool|thanks)[\s,.!]+)*(?:(?:does|do|did|is|are|has|have)\s+(?:any|one|some)\b|any\b(?!\s+(?:year|date|category|author|topic|order)))"
    r".*\?\s*$",
    re.IGNORECASE,
)
WHOLE_TABLE = re.compile(r"\b(?:table|breakdown|chart|papers|publications|co-?authors|collaborators)\b", re.IGNORECASE)
FIRST_AUTHOR_CLAIM = re.compile(
    r"^\W*(?:(?:so|and|but|ok(?:ay)?|hm+|wait|also)[\s,]+)*(?:is|was)\s+(?P<name>.+?)\s+(?:the\s+)?(?:first|lead)\s+author"
    r"(?:\s+(?:on|of|for)\s+(?:it|that|this)(?:\s+one|\s+paper)?)?\s*[?.!]*$",
    re.IGNORECASE,
)
NEW_TOPIC = re.compile(
    r"\b(?:what\s+about|how\s+about|(?:papers|ones|stuff)\s+(?:on|about)|topic\s+(?:to|of)|switch\s+to)\b", re.IGNORECASE
)
LIST_INTENTS = ("search", "count", "similar", "author", "coauthors", "breakdown", "compare")


CITE_WORDS = re.compile(r"\b(?:cite|citation|bibtex|bib|reference)\b", re.IGNORECASE)  # a citation asked in so many words


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


class Conversations(ListedRecords):
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
                context.listing.docs = reply_positions(fresh.reply, self.service.knowledge.result_cap)
            context.generation = generation
        return context

    # --- entry points ------------------------------------------------------------------
    def say(self, key: Hashable, text: str, today: dt.date | None = None) -> Answer:
        """Answer one message of ``key``'s conversation, using and updating its context."""
        with self._turns:
            return self._say(key, text, today or self.service.today())

    def _say(self, key: Hashable, text: str, today: dt.date) -> Answer:
        self._dropped = (None, None)
        context = self.store.get(key)
        core = long_followup_core(text) if context is not None and len(text) > LONG else text
        follow = read_followup(core, self.service.lexicon, today)
        if core != text:
            follow.text = follow.query.text = text
            if (
                follow.kind in ("refine", "swap")
                and (follow.query.has_filters() or follow.removals)
                and not NEW_TOPIC.search(core)
            ):
                follow.kind = "refine"  # its changes are filters; the words around them are its story, not a new topic
                follow.query.topic, follow.query.missing, follow.query.expansions = "", [], {}
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
            people = follow.query.intent == "coauthors"  # "cool. who are the 5 people he's published with most?"
            table = people or (follow.query.intent == "breakdown" and bool(WHOLE_TABLE.search(text)))  # "ok, table by year"
            if (
                not follow.needs_context or (follow.kind in ("swap", "back") and follow.query.topic) or table
            ):  # "ok then papers on GANs"
                return self.start(key, follow.query, text)
            alone = standalone(follow, self.service.lexicon, today)
            if alone is None and follow.kind == "refine" and (_a_few_in_order(follow.query) or _names_a_set(follow.query)):
                alone = follow.query
            if alone is None and (len(text) > LONG or ABOUT_HIM.search(text.lower())):
                # a long first message says what it means; so does "what about before 2018, what did he publish?"
                alone = self.service.understand(text, today)
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
        by_position = self.author_of(key, context, text)
        if by_position is not None:  # "papers by the first author of that one"
            return by_position
        whose = asks_what_else(text) if len(context.focus) == 1 else None
        if whose:
            return self.what_else(key, context, text, whose)
        terse = context.asked[0] in ("paper", "cite")  # "thanks. and is that one in CV?": the claim after the thanks
        claim = (claim_about_it(text, terse) or claim_about_it(strip_cues(text)[0], terse)) if len(context.focus) == 1 else None
        checked = self.service.understand(claim) if claim else None
        if checked is not None and checked.has_filters() and checked.intent in RECORD_OPERATORS and not checked.topic:
            title = self.service.index.papers[context.focus[0]].title  # "is that the 2022 one?": yes or no, of the paper in focus
            query = dataclasses.replace(checked, intent="paper", target=title, confirm=True, text=text)
            return self.answer(key, context, query, reference="it")
        listed = asked_if_listed(text) if shown is not None and len(shown.docs) and not shown.names else None
        title = (resolve_title(listed, self.service.lexicon) or self._one_described(listed)) if listed else None
        if title:  # "is dreamfusion on this page?": that paper, and where it stands in the list shown
            return self.on_the_list(key, context, text, title)
        one = (shown is not None and len(shown.docs) == 1) or (
            len(context.focus) == 1 and (shown is None or context.asked[0] in ("paper", "cite"))
        )  # a list of one, a card, or the one record just shown from a list
        if one and (
            WHO_WROTE_IT.match(text.strip()) or WHO_WROTE_IT.match(clean_question(text))
        ):  # one record listed or shown: its authors
            follow = dataclasses.replace(
                follow,
                kind="reference",
                query=Query(text=text, intent="paper", detail="authors"),
                reference=Reference("it", False),
            )
            return self.refer(key, context, follow)
        first = FIRST_AUTHOR_CLAIM.match(clean_question(text)) if one and len(context.focus) == 1 else None
        if first:  # "is Ben Poole the first author?" of the one paper shown: its authors, and yes or no
            return self.first_author_check(key, context, text, first.group("name"))
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
                if follow.asks_alone and _selects_alike(merged, follow.query):  # "Jonathan Ho papers" after "Jonathan Barron
                    return self.start(key, follow.query, text)  # papers": the list before adds nothing, a question of its own
                refined = self.answer(key, context, merged)
                own = follow.query.has_filters() or bool(follow.query.topic)  # "their shared papers" alone selects nothing
                if not refined.reply.records and refined.intent in ("search", "count") and follow.asks_alone and own:
                    fresh = self.start(key, follow.query, text)  # "papers with c. daniel freeman" after the 2025 list:
                    if fresh.reply.records:  # nothing there fits, so the question is read on its own (and said so)
                        fresh.reply.notes.append(note("none of the list before fits, so this is read as a new question"))
                        return fresh
                return self._alone_if_empty(refined, follow)
            if _a_few_in_order(follow.query):
                return self.start(key, follow.query, text)
            if follow.needs_context:  # "just the first author" read as a filter after a card: no list to narrow
                return self.note("hint", text, why="no_list", follows=context.root, phrase=text)
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

    def _alone_if_empty(self, answer: Answer, follow: FollowUp) -> Answer:
        """A refinement that leaves nothing ("papers by Dave Epstein" after "papers with code") says what the new
        part finds on its own, so an empty list is not read as "he has no papers"."""
        q = follow.query
        if answer.reply.records or answer.intent not in ("search", "count") or not (q.authors or q.categories or q.dates):
            return answer
        alone = self.service.respond(dataclasses.replace(as_record_query(q), intent="search", limit=None)).reply.records
        if alone:
            what = describe(dataclasses.replace(as_record_query(q), intent="search"), self.service.lexicon.authors)
            count = f"{len(alone)} {'paper' if len(alone) == 1 else 'papers'}"
            answer.reply.notes.append(note("none of the list before fits; on its own, “{}” gives {}", what, count))
        return answer

    def _remember(self, key: Hashable, context: Context, answer: Answer, note: str) -> None:
        reply = answer.reply
        query = reply.query
        context.people = people_named(query, self.service.knowledge.book) or context.people
        docs = reply_positions(reply, self.service.knowledge.result_cap)
        shown = context.listing is not None and len(context.listing.docs) > 0
        if shown and query.intent in ("search", "count") and not len(reply.records) and ASKED_IF_ANY.match(query.text):
            self.store.put(key, context)  # kept fresh, unchanged
            return  # "does any of them have code?" found none: the list shown and its question stay as they were
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
    narrowed = narrowed_to(query, str(reply.context.get("group_by")), key)
    narrowed.intent, narrowed.group_by, narrowed.sort = query.intent, query.group_by, query.sort  # the caller sets them
    return narrowed


def _names_a_set(q: Query) -> bool:
    """ "LG ones, oldest first" with no list before: a category, person or affiliation is a question alone."""
    return bool(q.categories or q.authors or q.affiliations) and q.intent in ("search", "count")


def _a_few_in_order(query: Query) -> bool:
    """ "then just the 3 most recent ones" with no list before: a question alone (the newest three), no hint."""
    return query.sort != "relevance" and bool(query.limit) and not query.topic


def _selects_alike(merged: Query, alone: Query) -> bool:
    """Does the refined question pick the same records as the message alone (the list before adds no condition)?"""
    return all(getattr(merged, f) == getattr(alone, f) for f in SELECTION)

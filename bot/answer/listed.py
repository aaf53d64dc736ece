"""Follow-ups about the records of the previous answer: "who wrote the second one?", "cite it", "is
DreamFusion on this page?", "does the 3rd one have code?", "what else did she write?".

A mixin of ``Conversations`` (bot/answer/conversation.py): it resolves a reference against the list as
the user saw it (its order, the page shown, the paper in focus) and answers about the records it names.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

from bot.names import name_key
from bot.search.tokenizer import tokenize
from bot.understand.authors import person_named
from bot.understand.dates import month_number
from bot.understand.followup import LOOKUPS, RECORD_OPERATORS, FollowUp
from bot.understand.lookup import resolve_title
from bot.understand.merge import as_record_query, merge
from bot.understand.notes import note
from bot.understand.patterns import PAPER_NOUN, REF_TOKEN
from bot.understand.query import Query
from bot.understand.references import Reference, author_at, find_reference

from .context import Context, ContextStore, Shown, reply_positions
from .describe import describe
from .service import Answer, PaperService

FILTER_BASES = ("search", "count", "author", "coauthors", "breakdown")  # a refinement reproduces their records exactly
YES_NO = re.compile(  # "does the 3rd one have code?", "is the second one in CV?", "did the first one come out before 2023?"
    r"^\W*(?:(?:so|and|but|ok(?:ay)?|hm+|wait|also)[\s,]+)*(?:does|did|do|is|was|has|had|can)\b", re.IGNORECASE
)


class ListedRecords:
    """Answers about records the user was shown; ``Conversations`` supplies the service, the store and the replies."""

    service: PaperService
    store: ContextStore

    if TYPE_CHECKING:  # defined by Conversations

        def answer(self, key: Hashable, context: Context, query: Query, reference: str = "", named: str = "") -> Answer: ...
        def note(self, intent: str, text: str, follows: str | None = None, **context: Any) -> Answer: ...
        def start(self, key: Hashable, query: Query, label: str = "") -> Answer: ...

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
            merged = merge(base, dataclasses.replace(follow, kind="refine", also=True))  # "which of these is with Kingma": both
            if q.intent == "search" and not q.has_filters() and q.sort == "relevance" and not q.limit:
                merged.intent = "search"
            return self.answer(key, context, merged, reference=f"{ref.phrase}")
        checked = ref.described and q.intent in ("search", "count") and q.has_filters() and follow.text.rstrip().endswith("?")
        described = self._described(context, ref) if checked else None  # found once, used below too
        if described is not None:  # "hmm, is the VIB one really 2020?", "wait, the unrolled GAN one has no code?"
            return self.yes_no(key, context, follow, *described)
        chosen_by_filter = not ref.plural and not (ref.positions or ref.numbers) and ref.phrase not in ("it", "that", "this")
        if chosen_by_filter and q.intent in RECORD_OPERATORS and (q.has_filters() or q.topic):
            return self.pick_one(key, context, follow)  # "the one from 2021": which of the records listed
        if ref.described and not checked:
            described = self._described(context, ref)
        picked = described if ref.described else self._resolve(context, ref)
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
        if bare and follow.cued and context.asked[0] and (ref.positions or ref.numbers or ref.described):
            q = dataclasses.replace(q, intent=context.asked[0], detail=context.asked[1])  # "and the 2nd?", "and the VAE one?"
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
        others = [int(d) for d in reply_positions(theirs.reply, self.service.knowledge.result_cap) if int(d) != doc]
        query = Query(text=text, authors=people, author_mode="any", within=others)
        return self.answer(key, context, query, reference=f"besides {index.papers[doc].title}")

    def author_of(self, key: Hashable, context: Context, text: str) -> Answer | None:
        """ "papers by the first author of that one", "and by the third author of CAT3D?": that person's papers."""
        asked = author_at(text)
        if asked is None:
            return None
        position, named = asked
        found = find_reference(named)
        if found is not None and found[1].strip(" ?!.") == REF_TOKEN:  # "that one", "the first one": of the last answer
            resolved = self._resolve(context, found[0])
            if isinstance(resolved, str) or len(resolved[0]) != 1:
                return None
            doc = resolved[0][0]
        else:
            title = resolve_title(named, self.service.lexicon)
            hit = self.service.index.find_title(title) if title else None
            if hit is None:
                return None
            doc = hit[0]
        paper = self.service.index.papers[doc]
        if (position == -1 and paper.authors_truncated) or abs(position) > len(paper.authors):
            return self.note("hint", text, follows=context.root, why="authors_cut", title=paper.title, count=len(paper.authors))
        name = paper.authors[position - 1 if position > 0 else position]
        who = name_key(name)
        query = Query(text=text, authors=[who])
        return self.answer(
            key, context, query, reference=f"{'the last' if position == -1 else f'#{position}'} author of {paper.title} = {name}"
        )

    def first_author_check(self, key: Hashable, context: Context, text: str, named: str) -> Answer:
        """ "is Ben Poole the first author?" of the paper in focus: its authors, with yes or no said first."""
        doc = context.focus[0]
        paper = self.service.index.papers[doc]
        lexicon = self.service.lexicon
        owner = lexicon.authors.get(lexicon.owner_key, "").lower()  # "he", "Ben": the profile's owner
        mine = named.lower() in ("he", "him", "she", "her") or (owner.startswith(named.lower() + " ") and lexicon.owner_key)
        who = lexicon.owner_key if mine else person_named(named, lexicon)
        query = Query(text=text, intent="paper", detail="authors", within=[doc])
        answer = self.answer(key, context, query, reference=f"it = {paper.title}", named=paper.title)
        first = paper.authors[0] if paper.authors else ""
        if who is None:
            said = note("no author of it is called {}; its first author is {}", named, first)
        elif name_key(first) == who:
            said = note("yes: {} is its first author", first)
        else:
            said = note("no: its first author is {}", first)
        answer.reply.notes.insert(0, said)
        return answer

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
        if q.intent == "search" and not q.has_filters() and not q.topic and not PAPER_NOUN.search(follow.text.lower()):
            query = Query(text=follow.text, intent="author", target=who)  # "the first one": the person; "#2's papers": a list
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
            theirs = [int(d) for d in reply_positions(self.service.respond(people).reply, self.service.knowledge.result_cap)]
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
        if ref.age:  # "the older one": of the records listed, the one dated first (or last)
            listed = [int(d) for d in shown.docs] if shown is not None else []
            if not listed:
                return "no_records"
            dates = self.service.index.date_ord
            doc = (max if ref.age > 0 else min)(listed, key=lambda d: dates[d])
            return [doc], f"record #{listed.index(doc) + 1}"
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
                shown = dataclasses.replace(shown, docs=reply_positions(full.reply, self.service.knowledge.result_cap))
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


def _numbers(shown: Shown, ref: Reference) -> list[int]:
    """1-based numbers, as printed beside the records, of what a reference names."""
    if ref.numbers:
        return list(ref.numbers)
    lo = (shown.page - 1) * shown.page_size
    hi = min(lo + shown.page_size, len(shown.names) or len(shown.docs))
    return [  # on the page shown ("the 2nd one" on page 2 is #12); past a page's length, the number printed ("the 12th")
        p if p > shown.page_size else lo + p if p > 0 else hi + p + 1 if p < 0 else lo + (hi - lo + 1) // 2 for p in ref.positions
    ]  # 0: the middle one


def _pick(shown: Shown, ref: Reference, items: list[Any]) -> list[Any] | str:
    numbers = _numbers(shown, ref)
    if not all(1 <= n <= len(items) for n in numbers):
        return "range"
    return [items[n - 1] for n in numbers]


def _titles(service: PaperService, docs: tuple[int, ...]) -> str:
    titles = [service.index.papers[d].title for d in docs[:3]]
    short = [t if len(t) <= 40 else t[:39] + "…" for t in titles]
    return "; ".join(short) + ("…" if len(docs) > 3 else "")

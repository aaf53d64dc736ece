"""Reading the people a question names: full names, surnames, first names and typos of them linked to the
corpus's authors, unknown names after "by" kept (and named in the reply), and "or", "not" and "together" carried
along a list of people. A mixin of the filter parser (filters.py), which reads everything else.
"""

from __future__ import annotations

import re

from bot.categories import CATEGORY_NAMES
from bot.names import name_key

from .lexicon import Lexicon
from .notes import note
from .parsed import Query
from .patterns import AUTHOR_TRIGGER, FILLER, LONG, NEGATION
from .people import Link, first_names_agree
from .spelling import common_english, suggest
from .wordlists import CHATTER

PARTICLES = {"de", "van", "von", "der", "den", "da", "di", "le", "du", "del", "dos", "bin", "al"}


def _blank(low: str, start: int, end: int) -> str:
    return low[:start] + " " * (end - start) + low[end:]


def _negated(low: str, start: int) -> bool:
    return bool(NEGATION.search(low[max(0, start - 45) : start]))  # "excluding those co-authored with Luke Metz"


_LIST_GAP = re.compile(r"^[\s,]*(?:,|or|nor|and|&|/|,\s*or|,\s*and|,\s*nor)?[\s,]*$")
_ANY_GAP = re.compile(r"^[\s,?]*(?:or|/|,\s*or)(?:\s+(?:was\s+it|is\s+it|maybe|perhaps|rather))?[\s,]*(?:by\s+)?$")
_NOT_AFTER = re.compile(  # "papers ben does NOT appear on", "where ben is not in the author list": without him
    r"\s*(?:is\s+not|isn't|isnt|was\s+not|wasn't|were\s+not|weren't|does\s+not|doesn't|doesnt|did\s+not|didn't|not)\s+"
    r"(?:appear|listed|(?:in|on|among)\s+(?:the\s+)?(?:visible\s+|printed\s+|listed\s+|shown\s+)?(?:author|byline|names)|(?:on|in)\s*(?:[?.!,]|$))"
)
_OR_BEFORE = re.compile(r"(?:\bor|/)(?:\s+(?:was|is)\s+it|\s+maybe|\s+perhaps|\s+rather)?\s*(?:by\s+)?$")
_TRIGGER_BEFORE = re.compile(
    r"\b(?:by|with|and|or|nor|coauthored with|co-authored with|from|featuring|written by|authored by)\s+(?:both\s+|either\s+|neither\s+)?$"
)
_LOWER_NAME = re.compile(
    r"(?<!sorted )(?<!sort )(?<!ordered )(?<!order )(?<!ranked )(?<!grouped )(?<!group )(?<!down )(?<!split )"
    r"\b(?:written|authored|(?:papers?|work|works|stuff|anything)\s+by|by|(?:co-?authored|co-?wrote|co-?written|worked|work|works"
    r"|published|publish|wrote|write|writes|written|collaborated|collaborate)\s+(?:anything\s+|something\s+|papers?\s+)?with)\s{1,2}(?P<name>[a-z]{2,}(?:\s{1,2}[a-z]{2,}){0,2})(?=\s*(?:[?!.,]|$))"
    r"|\b(?:papers?|anything|stuff|works?)\s+with\s{1,2}(?P<name2>[a-z]{2,}\s{1,2}[a-z]{2,})(?=\s*(?:[?!.,]|$))"  # a full name only
)  # a name at the end of the question or clause: "by yann lecun", "has he worked with hinton?"
HONORIFICS = {"dr", "prof", "professor", "mr", "ms", "mrs", "miss", "sir", "dr.", "prof."}  # "Dr. Luke Metz": no part of a name
_NAME_STOP = (
    FILLER
    | HONORIFICS
    | {
        "like",
        "pubs",
        "pub",
        "more",
        "less",
        "new",
        "old",
        "best",
        "top",
        "recent",
        "also",
        "only",
        "just",
        "even",
        "than",
        "then",
        "when",
        "both",
        "either",
        "neither",
    }
)


def links_end_at(links: list[Link], end: int) -> bool:
    return any(link.end == end for link in links)


class AuthorReading:
    """The people of a question, and the span bookkeeping every reader of the parser shares."""

    orig: str  # the question, case kept
    low: str  # lowercase, same length; spans read are blanked
    lexicon: Lexicon
    query: Query
    last: dict[str, tuple[int, bool]]  # entity kind -> (end of the last one read, was it negated)
    author_links: list[tuple[int, int, str, bool]]  # (start, end, key, by the surname alone)

    def take(self, start: int, end: int) -> None:
        self.low = _blank(self.low, start, end)

    def negated(self, kind: str, start: int) -> bool:
        """Negated by a word before it, or by being listed after a negated one ("not in CV or LG")."""
        if _negated(self.low, start):
            return True
        prev = self.last.get(kind)
        return bool(prev and prev[1] and _LIST_GAP.match(self.orig.lower()[prev[0] : start]))

    def listed_with_or(self, kind: str, start: int) -> bool:
        prev = self.last.get(kind)
        return bool(prev and _ANY_GAP.match(self.orig.lower()[prev[0] : start])) or bool(
            re.search(r"\beither\s+(?:by\s+|from\s+|in\s+)?$", self.orig.lower()[max(0, start - 20) : start])
        )

    # --- filters ---------------------------------------------------------------------------
    def _add_unknown(self, name: str, start: int, end: int) -> None:
        """A person no record lists: named in the reply; "X or Y" keeps the known one's papers."""
        before, after = self.low[max(0, start - 30) : start], self.low[end : end + 12]
        beside_or = _OR_BEFORE.search(before) or re.match(r"[\s,?]*(?:or|/)\s", after)
        if self.listed_with_or("author", start) or (beside_or and (self.query.authors or self.query.unknown_authors)):
            self.query.author_mode = "any"  # "Metz Luke? or was it Lucas Metz", "Geoffrey Hinton or Luke Metz": either
        self.last["author"] = (end, False)
        inside = {k for a, b, k, alone in self.author_links if alone and start <= a and b <= end}
        elsewhere = {k for a, b, k, _ in self.author_links if not (start <= a and b <= end)}
        for key in inside - elsewhere:  # "Lucas Metz": someone else than Luke Metz (the reply asks if he was meant)
            if key in self.query.authors:
                self.query.authors.remove(key)
        self.query.unknown_authors.append(name)

    def _add_author(self, key: str, start: int, end: int) -> None:
        q = self.query
        negated = self.negated("author", start) or bool(_NOT_AFTER.match(self.low[end:]))
        if self.listed_with_or("author", start) or len(self.low) > LONG:  # a long question names people it may mean
            q.author_mode = "any"
        self.last["author"] = (end, negated)
        besides = re.search(r"\b(?:besides|aside\s+from|apart\s+from|other\s+than)\s+$", self.low[max(0, start - 20) : start])
        if key == self.lexicon.owner_key and (not negated or besides):  # "who else besides Ben is on it": he is on all
            q.owner_dropped = not negated
            return
        if negated and key in q.authors:  # "by metz... actually drop the metz part": the person is withdrawn, not excluded
            q.authors.remove(key)
            return
        if negated and key == self.lexicon.owner_key:  # "papers ben does not appear on": his name is not printed on them
            q.notes.append(
                note("papers whose printed author list (up to three names, then et al.) leaves out {}", self.lexicon.authors[key])
            )
        target = q.exclude_authors if negated else q.authors
        if key not in target:
            target.append(key)

    def link_people(self) -> list[Link]:
        """Spans of the question that name people in the lexicon (longest first, left to right)."""
        people = self.lexicon.people
        found = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"[a-z]+", self.low)]
        stop = [  # "s" of a possessive never ends a name; "A. Jain": a capital initial with its dot may start one
            (w in _NAME_STOP or w == "s") and not (len(w) == 1 and self.orig[a].isupper() and self.orig[b : b + 1] == ".")
            for a, b, w in found
        ]
        links: list[Link] = []
        i = 0
        while i < len(found):
            if stop[i]:  # a name never starts with a filler word
                i += 1
                continue
            for size in (4, 3, 2, 1):
                last = i + size - 1
                if last >= len(found) or stop[last]:
                    continue
                if any(found[j + 1][0] - found[j][1] > 2 for j in range(i, last)):
                    continue  # a claimed span lies between: not one name
                start, end = found[i][0], found[last][1]
                text = " ".join(w for _, _, w in found[i : last + 1])
                if (
                    size == 1
                    and len(text) <= 2
                    and not (
                        text in people.surname
                        and (self.orig[start].isupper() or _TRIGGER_BEFORE.search(self.low[max(0, start - 30) : start]))
                    )
                ):
                    continue  # "Wu", "Li": a two-letter surname only when typed as a name
                keys: set[str] = set()
                fuzzy = False
                if size > 1:
                    keys = people.exact(text, single_ok=False)
                    if not keys and size <= 3 and not any(stop[i : last + 1]) and self.name_cue(start, end, text, size):
                        keys = people.fuzzy(text, single=False)
                        fuzzy = bool(keys)
                elif self.name_cue(start, end, text, size):
                    keys = people.exact(text, single_ok=True)
                    if (
                        keys
                        and text in people.first
                        and text not in people.surname
                        and self.beside_unknown(found, i, {p for k in keys for p in re.split(r"[\s-]+", k)})
                    ):
                        keys = set()  # "Jane Newperson": someone else of that first name, not Jane Wu
                    if (
                        not keys
                        and self.lexicon.frequency(text) == 0
                        and not self.beside_unknown(found, i, typo=True)
                        and (not common_english(text) or _TRIGGER_BEFORE.search(self.low[max(0, start - 30) : start]))
                    ):  # "okay, papers by barron": an English word is a name's typo only after "by" ("by pool")
                        keys = people.fuzzy(text, single=True)  # a typo, never of a word the corpus uses
                        fuzzy = bool(keys)
                if keys:
                    if len(keys) == 1:  # "jascha sohl", "dan freeman": neighbouring parts of the same name belong to it
                        parts = next(iter(keys)).split()
                        while last + 1 < len(found) and found[last + 1][0] - found[last][1] <= 2 and found[last + 1][2] in parts:
                            last += 1
                            size += 1
                            end = found[last][1]
                        if (
                            i > 0
                            and found[i][0] - found[i - 1][1] <= 2
                            and not stop[i - 1]
                            and not links_end_at(links, found[i - 1][1])
                            and any(first_names_agree(found[i - 1][2], p) for p in parts[:-1] if len(p) > 1)
                        ):
                            start = found[i - 1][0]
                    if self.low[end : end + 2] == "'s":
                        end += 2
                    links.append(Link(start, end, tuple(sorted(keys)), self.orig[start:end], fuzzy))
                    i += size
                    break
            else:
                i += 1
        return links

    def beside_unknown(self, found: list[tuple[int, int, str]], i: int, own: set[str] = frozenset(), typo: bool = False) -> bool:
        """Is word ``i`` next to another word no record uses? Then the two are one unknown name ("yann lecun"),
        and the first alone is no typo of a known one ("yann" is not Guandao Yang)."""
        for j in (i - 1, i + 1):
            if 0 <= j < len(found) and abs(found[j][0] - found[i][1] if j > i else found[i][0] - found[j][1]) <= 2:
                word = found[j][2]
                chatter = typo and j > i and word in CHATTER  # "papers of Alemy pls": "pls" after a typo is no name
                if (
                    word not in _NAME_STOP
                    and word not in own
                    and len(word) > 2
                    and not chatter
                    and self.lexicon.frequency(word) == 0
                ):
                    return True
        return False

    def name_cue(self, start: int, end: int, text: str, size: int) -> bool:
        """Does a span look meant as a name: capitalised, after "by"/"with", possessive, or (one word) no corpus word?"""
        if (
            self.orig[start].isupper()
            or self.low[end : end + 2] == "'s"
            or _TRIGGER_BEFORE.search(self.low[max(0, start - 30) : start])
        ):
            return True
        if self.lexicon.view is None:
            return False
        if size == 1:
            return len(text) >= 3 and self.lexicon.frequency(text) == 0
        words = text.split()  # "ben mildenhal", "sohl dikstein": a known first name or surname's start, and a word no record uses
        people = self.lexicon.people
        head = (
            words[0] in people.first_names
            or words[0] in people.surname_heads
            or (words[-1] in people.surname and len(words[0]) >= 4)  # "jonathn ho": a first name mistyped, a surname
        )
        if head:
            return any(self.lexicon.frequency(w) == 0 for w in words[1:])
        return (  # "mythra ragu", "philip hensler": two words no record holds, the last no English word: maybe a name as heard
            size == 2
            and all(len(w) >= 3 and self.lexicon.frequency(w) == 0 for w in words)
            and len(words[-1]) >= 4
            and not common_english(words[-1])
        )

    def read_authors(self) -> None:
        """Known names (full, short, surname, or a typo of one) anywhere; unknown capitalised names after 'by'."""
        lex = self.lexicon
        owner_first = lex.owner_key.split()[0] if lex.owner_key else ""
        links = self.link_people()
        for link in links:
            typed = set(re.findall(r"[a-z]+", link.typed.lower()))
            if any(typed <= set(other.split()) for other in self.query.authors if other not in link.keys):
                self.take(link.start, link.end)  # "Daniel Freeman (the C. Daniel one)": parts of a name already read
                continue
            if len(link.keys) == 1:
                key = link.keys[0]
                self.author_links.append((link.start, link.end, key, " " not in link.typed.strip()))
                if link.fuzzy:
                    self.query.corrections[link.typed] = lex.authors[key]
                    self.query.notes.append(note("read {} as **{}**", link.typed, lex.authors[key]))
                self._add_author(key, link.start, link.end)
                self.take(link.start, link.end)
            elif name_key(re.sub(r"'s$", "", link.typed.strip())) == owner_first:
                continue
            elif all(any(k in other.keys for other in links if len(other.keys) == 1) for k in link.keys):
                self.query.author_mode = "any"  # "the Wu papers, a Rundi and a Jane": each of them is named too
                self.take(link.start, link.end)
            elif self.negated("author", link.start):  # "Barron but not Jain": none of the people it may mean
                for key in link.keys:
                    if key not in self.query.exclude_authors:
                        self.query.exclude_authors.append(key)
                self.take(link.start, link.end)
            else:
                self.query.ambiguous[link.typed] = sorted(lex.authors[k] for k in link.keys)
                self.take(link.start, link.end)
        for m in re.finditer(r"[a-z]+(?:'s)?", self.low):
            word = m.group(0).removesuffix("'s")
            if word == owner_first:  # any other person of that first name was linked above with the surname
                self._add_author(lex.owner_key, m.start(), m.end())  # "Ben's coauthors": the profile's owner
                self.take(m.start(), m.end())
        for m in AUTHOR_TRIGGER.finditer(self.orig):
            start, end = m.start("name"), m.end("name")
            if not self.low[start:end].strip() or self.low[start:end] != self.orig[start:end].lower():
                continue  # already read as a known name
            name = m.group("name").strip()
            trigger = m.group(0)[: m.start("name") - m.start()].strip().lower()
            words = name.split()
            looks_like_name = all(w[0].isupper() or w in PARTICLES for w in words) and not any(
                w.upper() in CATEGORY_NAMES or w.lower() in lex.affiliations or w.lower() in FILLER or lex.acronyms.get(w.lower())
                for w in words
            )
            strong = trigger not in {"with", "from", "and", "featuring"}
            surname_alone = (  # "is there a paper with Hinton?": one word shaped like a surname, no word of the corpus
                trigger == "with"
                and len(words) == 1
                and name[1:].islower()
                and not lex.frequency(name.lower())
                and not common_english(name.lower())
            )
            if (
                looks_like_name
                and (strong or ((len(words) >= 2 or surname_alone) and len(self.low) <= LONG))  # "played with Stable Diffusion"
                and not (lex.view and any(lex.frequency(w.lower()) > 2 for w in words))  # "with Diffusion Recovery ...": a title
            ):
                self._add_unknown(" ".join(w for w in words if w.lower().rstrip(".") not in HONORIFICS) or name, start, end)
                self.take(m.start(), end)
        for m in re.finditer(r"(?:(?<=[a-z,]\s)|^)(?P<name>[A-Z][a-z]{2,}\s+[A-Z][a-z]+(?:[A-Z][a-z]+)?)\b", self.orig):
            words = m.group("name").split()  # "did Geoffrey Hinton ever coauthor with him": a name by its shape alone
            if (
                self.low[m.start() : m.end()].strip()
                and all(
                    not lex.frequency(w.lower())
                    and w.lower() not in FILLER
                    and w.lower() not in CHATTER
                    and w.upper() not in CATEGORY_NAMES
                    and w.lower() not in lex.affiliations
                    for w in words
                )
                and not self.lexicon.people.fuzzy(m.group("name").lower(), single=False)
                and not (  # "Varitional Difusion Modles": corpus words mistyped, no name
                    lex.view is not None and all(suggest(w.lower(), lex.view.written, min_length=5) for w in words)
                )
            ):
                self._add_unknown(m.group("name"), m.start(), m.end())
                self.take(m.start(), m.end())
        for m in _LOWER_NAME.finditer(self.low):  # "papers by geoffrey hinton": typed in lowercase, no word of the corpus
            group = "name" if m.group("name") else "name2"
            words = m.group(group).split()
            if re.search(r"\b(?:sort|sorted|rank|ranked|order|ordered|group|grouped)\b[^,.;?!]*$", self.low[: m.start()]):
                continue  # "sort the 2023 papers by vibes": a sort key, no person
            if len(words) == 1 and common_english(words[0]):
                continue  # "papers by vibes": an English word, no surname
            if all(self.low[m.start(group) : m.end(group)].strip()) and all(
                w not in _NAME_STOP
                and w not in CHATTER
                and w.upper() not in CATEGORY_NAMES
                and not lex.frequency(w)
                and w not in lex.affiliations
                for w in words
            ):
                self._add_unknown(" ".join(w.capitalize() for w in words), m.start(group), m.end(group))
                self.take(m.start(group), m.end(group))


def person_named(text: str, lexicon: Lexicon) -> str | None:
    """The author key a whole text names (full name, short form, unique surname, or a typo of one)."""
    key = name_key(text.removesuffix("'s"))
    if not key or len(key) <= 2 or key in _NAME_STOP:
        return None
    if key in lexicon.authors:
        return key
    words = key.split()
    if len(words) > 4:
        return None
    keys = lexicon.people.exact(key, single_ok=True)
    if not keys and (len(words) > 1 or lexicon.frequency(key) == 0) and not any(w in _NAME_STOP for w in words):
        keys = lexicon.people.fuzzy(key, len(words) == 1)
    return next(iter(keys)) if len(keys) == 1 else None

"""Linking the names people type to the corpus's authors.

People write "alexander alemi" for "Alexander A. Alemi", "Jon Barron" for "Jonathan T. Barron",
"Sohl-Dickstein" alone, or "luke mets". Each author key gets its spellable forms (full, first and last,
surnames, initials) for exact lookup; a short or familiar first name is accepted when the surname
agrees; what is still unmatched is compared with rapidfuzz (a swap of two letters is one edit), within an edit distance that grows with
length, so a typo is forgiven but "like meta" never becomes "Luke Metz" (spans holding common words
are never fuzzy-matched).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from rapidfuzz import process
from rapidfuzz.distance import OSA

from .spelling import EVERYDAY_ENGLISH, common_english

# familiar forms whose spelling is not a prefix of the full name (prefixes like jon/jonathan need no entry)
NICKNAMES = {
    "bill": "william", "will": "william", "bob": "robert", "rob": "robert", "mike": "michael", "jim": "james",
    "jimmy": "james", "dave": "david", "steve": "steven", "chris": "christopher", "matt": "matthew", "tom": "thomas",
    "dan": "daniel", "danny": "daniel", "sasha": "alexander", "ben": "benjamin", "sam": "samuel", "nick": "nicholas",
    "tony": "anthony", "andy": "andrew", "liz": "elizabeth", "kate": "katherine", "jen": "jennifer", "john": "jonathan", "durk": "diederik",
}  # fmt: skip


def max_typos(length: int) -> int:
    """Edits forgiven in a name of ``length`` characters: none in short names, more in long ones."""
    return 0 if length < 5 else 1 if length < 9 else 2 if length < 16 else 3


def first_names_agree(typed: str, first: str) -> bool:
    """ "jon" ~ "jonathan", "alexander" ~ "alex", "a" ~ "alexander", "bill" ~ "william", "alex" ~ "aleksander",
    "mythra" ~ "maithra" (said alike)."""
    if typed == first:
        return True
    if len(typed) == 1:
        return typed == first[0]
    if len(typed) >= 3 and len(first) >= 3 and (first.startswith(typed) or typed.startswith(first)):
        return True
    if NICKNAMES.get(typed) == first or NICKNAMES.get(first) == typed:
        return True
    if len(typed) >= 4 and len(first) >= 4 and typed[0] == first[0]:  # "jian" is too short to be heard as "james"
        said, name = sounds(typed), sounds(first)
        alike = len(typed) >= 5 and (said[0] == name[0] or said[1] == name[1])
        return alike or (len(said[0]) >= 3 and name[0].startswith(said[0]))
    return False


@lru_cache(maxsize=8192)
def sounds(word: str) -> tuple[str, str]:
    """How a name is said, two ways (Metaphone, NYSIIS): a name typed as heard often matches one of them."""
    return jellyfish.metaphone(word), jellyfish.nysiis(word)


def sound_alike(typed: str, name: str) -> bool:
    """A word typed as heard: said alike one of two ways, same first letter, and at most half its letters off
    ("gangooly" ~ "ganguli", "holinski" ~ "holynski"; "meta" is too short to be heard as "metz")."""
    if len(typed) < 5 or typed[0] != name[0] or OSA.distance(typed, name) > len(typed) // 2:
        return False
    said, named = sounds(typed), sounds(name)
    return said[0] == named[0] or said[1] == named[1]


@dataclass(slots=True)
class Link:
    """A span of the question read as a person: the keys it may name (one when linked), and how."""

    start: int
    end: int
    keys: tuple[str, ...]
    typed: str
    fuzzy: bool = False


class People:
    """Lookup tables over author keys, built once per lexicon on first use."""

    def __init__(self, keys: list[str]) -> None:
        self.full: dict[str, set[str]] = {}  # full name, first + last, initials + last
        self.surname: dict[str, set[str]] = {}  # "metz", "sohl dickstein", "van den oord"
        self.first: dict[str, set[str]] = {}  # "maithra": a first name alone, when only one person has it
        self._by_first: dict[str, set[str]] = {}  # "ben" -> everyone of that first name ("Ben M." picks by initial)
        for key in keys:
            if " " in key:
                self._by_first.setdefault(key.split()[0], set()).add(key)
        self.first_names: set[str] = set(self._by_first)  # "ben", "niru": anyone's first name
        for key in keys:
            parts = key.split()
            if len(parts) >= 2 and len(parts[0]) >= 4:
                self.first.setdefault(parts[0], set()).add(key)
            forms = {key}
            if len(parts) >= 2:
                forms |= {
                    f"{parts[0]} {parts[-1]}",
                    f"{parts[0][0]} {parts[-1]}",
                    " ".join([p[0] for p in parts[:-1]] + [parts[-1]]),
                }
            if len(parts) >= 3 and len(parts[0]) == 1 and len(parts[1]) > 1:
                forms.add(f"{parts[1]} {parts[-1]}")  # "C. Daniel Freeman" goes by "Daniel Freeman"
            for form in forms:
                self.full.setdefault(form, set()).add(key)
            for j in range(1, len(parts)):
                if len(parts[j]) > 1:
                    self.surname.setdefault(" ".join(parts[j:]), set()).add(key)
        for key in keys:  # "gontijo" of Raphael Gontijo Lopes: the first part of a two-part surname, when nobody's first name
            parts = key.split()
            for part in parts[1:-1]:
                if len(part) >= 5 and part not in self.first_names and part not in self.surname:
                    self.surname.setdefault(part, set()).add(key)
        self.surname_heads = {s.split()[0] for s in self.surname if " " in s}  # "sohl" of "sohl dickstein"
        self.possessives = {n + "s" for n in self.first_names | set(self.surname) if " " not in n}  # "bens", "metzs"
        self._sharing: dict[str, set[str]] = {}  # first name as typed -> everyone it may mean (memo)
        self._choices = _by_initial(
            [f for f in self.full if len(f.split()[0]) > 1] + [s for s in self.surname if " " in s and len(s) >= 8]
        )  # "sohl dikstein": a two-word surname mistyped is as good a handle as a full name
        self._surnames = _by_initial(
            [s for s in self.surname if len(s) >= 4]
            + [f for f, k in self.first.items() if len(k) == 1 and len(f) >= 6 and f not in self.surname]
        )  # "by jasha": a first name only one person has is as good a handle as a surname

    def exact(self, text: str, single_ok: bool) -> set[str]:
        """Keys a span names exactly: a full form, a surname (one word only when ``single_ok``), or a
        short first name followed by a surname."""
        keys = self.full.get(text)
        if keys:
            return keys
        words = text.split()
        if len(words) >= 2 or single_ok:
            keys = self.surname.get(text)
            if keys:
                return keys
        if single_ok and len(words) == 1 and len(self.first.get(text, ())) == 1:
            return self.first[text]
        nick = NICKNAMES.get(text, "") if single_ok and len(words) == 1 and not common_english(text) else ""
        if len(self.first.get(nick, ())) == 1:  # "durk": Diederik, the one person of that name ("dan" is too common a word)
            return self.first[nick]
        if single_ok and len(words) == 1 and len(text) >= 3 and not common_english(text, EVERYDAY_ENGLISH):
            return self._shared_first_name(text)  # "jonathan", "jon": one of several people (the reply says which)
        if len(words) >= 2 and 2 <= len(words[0]) <= 3 and words[0] not in self.first_names and words[0].isalpha():
            spelled = self.full.get(" ".join([*words[0], *words[1:]]))  # "DP Kingma": initials run together
            if spelled:
                return spelled
        if len(words) == 2 and len(words[1]) == 1 and len(words[0]) > 1:  # "Ben M.": a first name and a surname's initial
            found = {k for k in self._by_first.get(words[0], ()) if k.split()[-1].startswith(words[1])}
            if found:
                return found
        if len(words) >= 2:
            rest = self.surname.get(" ".join(words[1:]), set())
            agreeing = {k for k in rest if first_names_agree(words[0], k.split()[0])}
            skip = 1
            while not agreeing and skip < len(words) - 1 and len(words[skip]) == 1:  # "alex a alemi": a middle initial
                skip += 1
                rest = self.surname.get(" ".join(words[skip:]), set())
                agreeing = {k for k in rest if first_names_agree(words[0], k.split()[0])}
            return agreeing
        return set()

    def _surname_after_first_name(self, text: str) -> set[str]:
        """ "jon baron", "alex alumni": a first name that fits, then a surname one edit further off than a typo alone
        (the first name vouches for it); the nearest of the people that first name may mean."""
        first, _, rest = text.partition(" ")
        if len(first) < 3 or len(rest) < 4:
            return set()
        limit = max_typos(len(rest)) + 1
        nearest: dict[str, int] = {}
        for name, keys in self._by_first.items():
            if len(name) > 1 and first_names_agree(first, name):
                for key in keys:
                    surname = key.split()[-1]
                    d = OSA.distance(rest, surname, score_cutoff=limit)
                    if d <= limit or sound_alike(rest, surname):  # "surya gangooly": heard, not misspelt
                        nearest[key] = min(d, limit + 1)
        best = min(nearest.values(), default=None)
        return {k for k, d in nearest.items() if d == best}

    def _shared_first_name(self, text: str) -> set[str]:
        """ "jonathan", "jon": the several people a first name may mean (empty when one or none)."""
        if text not in self._sharing:
            if len(self._sharing) > 4096:  # words users type are unbounded; the memo is not
                self._sharing.clear()
            named = {
                k for first, keys in self._by_first.items() if len(first) > 1 and first_names_agree(text, first) for k in keys
            }
            self._sharing[text] = named if len(named) > 1 else set()
        return self._sharing[text]

    def fuzzy(self, text: str, single: bool) -> set[str]:
        """Keys within the typo distance of ``text`` (all of the nearest, so a tie shows as ambiguity)."""
        choices = (self._surnames if single else self._choices).get(text[:1], [])  # typos rarely hit the first letter
        limit = max(
            max_typos(len(text)), 1 if single and len(text) >= 4 else 0
        )  # "by mets": a cue was seen, the word is no corpus word
        if not limit or not choices:
            return set()
        found = process.extract(text, choices, scorer=OSA.distance, score_cutoff=limit, limit=5)
        if not found and single:  # "holinski": a surname typed as heard, when it sounds like one author's only
            heard = {
                k for choice in choices if " " not in choice and sound_alike(text, choice) for k in self.surname.get(choice, ())
            }
            return heard if len(heard) == 1 else set()
        if not found:
            return self._surname_after_first_name(text)
        best = min(d for _, d, _ in found)
        table = self.surname if single else self.full
        return {
            k for choice, d, _ in found if d == best for k in table.get(choice) or self.surname.get(choice) or self.first[choice]
        }


def _by_initial(forms: Iterable[str]) -> dict[str, list[str]]:
    """Forms grouped by first letter: a typo is looked for among names starting alike (26 times fewer to compare)."""
    groups: dict[str, list[str]] = {}
    for form in sorted(forms):
        groups.setdefault(form[:1], []).append(form)
    return groups

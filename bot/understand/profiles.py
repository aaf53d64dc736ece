"""Questions about several researchers: whose profiles are known, comparisons, papers written together,
and a question naming the profile it means.

With one profile nothing here changes a question (its owner's name is dropped as before: every record
is on that profile). With several, ``Lexicon.profile_owners`` holds each owner's name key and a question
naming an owner as an author means that owner's profile (``Query.profiles``): the papers it lists, plus
any other record naming them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.names import name_key

from .lexicon import Lexicon
from .parsed import Query

WHOSE_PROFILES = re.compile(
    r"^(?:(?:so|ok|and)\s+)?(?:whose|which|what|who(?:se)?)\s+(?:profiles|researchers|people|persons|scientists|authors'\s+profiles)\s+"
    r"(?:do\s+you\s+(?:have|know|follow|track|cover)|are\s+(?:there|loaded|in\s+(?:the|this)\s+corpus)|have\s+you\s+got|can\s+i\s+ask\s+about)"
    r"|^(?:list|show)\s+(?:me\s+)?(?:the\s+|all\s+(?:the\s+)?)?(?:profiles|researchers)$"
    r"|^who\s+(?:do\s+you\s+(?:have\s+profiles?\s+(?:for|of)|follow|track|know\s+about)|are\s+the\s+researchers)"
    r"|^(?:how\s+many|which)\s+profiles\b"
)
_PERSON = r"(?P<{}>[^,;?]+?)"
COMPARE = [
    re.compile(
        r"^(?:please\s+|can\s+you\s+|could\s+you\s+)?(?:compare|contrast)\s+"
        + _PERSON.format("a")
        + r"\s+(?:and|with|to|vs\.?|versus|&)\s+"
        + _PERSON.format("b")
        + r"$"
    ),
    re.compile(
        r"^how\s+(?:do|does)\s+"
        + _PERSON.format("a")
        + r"\s+(?:and|&)\s+"
        + _PERSON.format("b")
        + r"\s+compare(?:\s+to\s+each\s+other)?$"
    ),
    re.compile(r"^" + _PERSON.format("a") + r"\s+(?:vs\.?|versus)\s+" + _PERSON.format("b") + r"$"),
    re.compile(  # "how many papers did ben write with metz vs sohl-dickstein"
        r"^how\s+many\s+(?:papers\s+)?(?:did|does|has|have)\s+(?:ben(?:\s+poole)?|he|poole)\s+(?:written|write|co-?authored|co-?author|published|done)"
        r"\s+with\s+"
        + _PERSON.format("a")
        + r"\s+(?:vs\.?|versus|compared\s+(?:to|with))\s+(?:with\s+)?"
        + _PERSON.format("b")
        + r"$"
    ),
    re.compile(  # "luke metz or jascha sohl-dickstein, who has more papers with ben"
        r"^"
        + _PERSON.format("a")
        + r"\s+or\s+"
        + _PERSON.format("b")
        + r"\s*[,:-]+\s*who(?:'s|\s+has|\s+wrote|\s+did|\s+co-?authored|\s+published|\s+is\s+on)\s+more\b.*$"
    ),
    re.compile(  # "who wrote more with ben, metz or sohl-dickstein?"
        r"^who(?:'s|\s+has|\s+wrote|\s+did|\s+co-?authored|\s+published|\s+is\s+on)\s+more(?:\s+papers)?(?:\s+with\s+(?:him|ben(?:\s+poole)?))?\s*[,:]?\s+"
        + _PERSON.format("a")
        + r"\s+or\s+"
        + _PERSON.format("b")
        + r"$"
    ),
]
COMPARE_THEM = re.compile(
    r"^(?:please\s+)?(?:compare|contrast)\s+(?:them|the\s+two(?:\s+of\s+them)?|both(?:\s+of\s+them)?|the\s+profiles|(?:the\s+)?two\s+profiles)$"
)
# "papers they wrote together", "papers by X and Y together", "joint papers", "what did they write together"
TOGETHER = re.compile(r"\b(?:together|jointly|in\s+common|joint(?=\s+(?:papers?|work|publications?)))\b")
ONE_PERSON = re.compile(r"\b(?:his|her|he|she|him)\b")  # a pronoun for the one person a conversation is about


def profiles_question(low: str) -> bool:
    """'whose profiles do you have?', 'which researchers do you know?'."""
    return bool(WHOSE_PROFILES.search(low))


def read_compare(low: str, orig: str, person: Callable[[str], str | None]) -> tuple[list[str], list[str]] | None:
    """The two people a comparison names (author keys) and the names it gave that are nobody known (as
    typed: ``orig`` is ``low`` with its case); ``[]`` people for "compare them" (the conversation, or the
    two profiles, say who). None: no comparison."""
    if COMPARE_THEM.match(low):
        return [], []
    for pattern in COMPARE:
        m = pattern.match(low)
        if not m:
            continue
        typed = [orig[m.start(g) : m.end(g)].strip() for g in ("a", "b")]
        keys = [person(t) for t in typed]
        if all(keys) and keys[0] != keys[1]:
            return [k for k in keys if k], []
        if pattern is COMPARE[0] and any(keys):  # "compare Ben Poole and Jane Roe": one known, say the other is not
            return [k for k in keys if k], [t for t, k in zip(typed, keys, strict=True) if not k]
    return None


def named_profiles(low: str, lexicon: Lexicon) -> list[str]:
    """The profiles a question names by their owner's full name or surname ("Luke Metz's h-index", "metz's citations")."""
    found = []
    for key, name in lexicon.profile_owners.items():
        surname = key.split()[-1]
        if re.search(rf"\b(?:{re.escape(key)}|{re.escape(surname)})\b", name_key(low)):
            found.append(name)
    return found


def apply_profiles(q: Query, lexicon: Lexicon) -> None:
    """A question naming a profile's owner as an author means that profile (several profiles loaded)."""
    owners = lexicon.profile_owners
    if not owners or q.author_mode == "any":
        return
    for key in [k for k in q.authors if k in owners]:
        q.authors.remove(key)
        if owners[key] not in q.profiles:
            q.profiles.append(owners[key])

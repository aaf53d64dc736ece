"""Remarks a reply makes about how it read the question ("showing results for **diffusion** (you wrote difusion)").

A Note keeps its fixed wording apart from the user's words it quotes, so the renderer escapes every
quoted word with one rule (render.escape_md) while the wording's own markdown stays; ``str(note)`` is
the plain text the JSON output shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Note:
    """Wording with ``{}`` slots, and the quoted values that fill them."""

    wording: str
    values: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.wording.replace("**", "").replace("`", "").format(*self.values)

    def render(self, escape: Callable[[str], str]) -> str:
        return self.wording.format(*(escape(v) for v in self.values))


def note(wording: str, *values: str) -> Note:
    return Note(wording, tuple(str(v) for v in values))

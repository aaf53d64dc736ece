"""Render a Reply through its jinja2 template into Discord-markdown pages.

Only this module touches jinja2. Text that comes from records or questions goes through the ``md``
filter, which escapes Discord markdown and defuses mass mentions, so no record or question can break
the layout or ping anyone. Pages never exceed Discord's 2,000-character message limit and break at
record boundaries.
"""

from __future__ import annotations

import importlib.resources
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from bot.categories import category_name
from bot.text import links_in
from bot.understand.notes import Note

from .answer import Reply

MESSAGE_LIMIT = 2000
_MD_SPECIAL = re.compile(r"([\\*_~`|\[\]])")  # brackets escaped, so "(" never needs to be: no link can form
_LINE_START = re.compile(r"^(#{1,3}|>{1,3}|-#?|\d+\.)(?=\s)")  # a heading, quote or list only when a space follows
_MENTION = re.compile(r"@(everyone|here|&?\d+|!?\d+)", re.I)
_TAG = re.compile(r"<(?=[#:]|a:|t:)")  # channel, emoji and timestamp tags
_AUTOLINK = re.compile(r"(?<=[a-z])://", re.I)  # "https://x" would become a link


def escape_md(text: Any) -> str:
    """The one escaping rule for text from records and questions: Discord markdown escaped,
    @everyone/@here/<@id>/<#id> broken and URLs unlinked, so the text neither formats, links nor pings."""
    text = " ".join(str(text).split())
    text = _LINE_START.sub(r"\\\1", _MD_SPECIAL.sub(r"\\\1", text))
    text = _AUTOLINK.sub(":\u200b//", _TAG.sub("<\u200b", text))
    return _MENTION.sub("@\u200b\\1", text)


def render_note(note: Any) -> str:
    """A note or hint: its own wording kept, every quoted user word escaped (plain strings escaped whole)."""
    return note.render(escape_md) if isinstance(note, Note) else escape_md(note)


def safe_code(text: Any) -> str:
    """Text for a code block: no closing fence, no mass mention."""
    return _MENTION.sub("@\u200b\\1", str(text).replace("```", "`\u200b``"))


def chunk(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split text at line (then word) boundaries into pieces of at most ``limit`` characters."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:cut])
            line = line[cut:].lstrip()
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        pieces.append(current)
    return [p for p in pieces if p.strip()]


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a reply, as data: the terminal shows ``text``; Discord shows ``body`` with ``footer`` under it.

    ``footer`` is plain text (how the question was understood, and the page), never markdown, so the
    Discord layer puts it in an embed footer as it is; None for replies that do not say it.
    """

    text: str
    body: str
    footer: str | None


def footer_text(understood: str, page: int, pages: int, followup: str = "") -> str:
    """How the question was understood (after what it followed up on, in a conversation), with the page number when there are several."""
    context = f"following up on: {followup} · " if followup else ""
    return f"{context}understood as: {understood}" + (f" · page {page}/{pages}" if pages > 1 else "")


def builtin_templates() -> Path:
    """The templates shipped inside the package (the repository's ``responses/``, installed as ``bot.responses``)."""
    return Path(str(importlib.resources.files("bot.responses")))


class Renderer:
    """Templates one per intent (``<template>.md.j2``), partials start with ``_``: the built-in ones, each
    overridden by a file of the same name in ``responses_dir`` when one is given (config ``responses``)."""

    def __init__(self, responses_dir: Path | None = None, page_size: int = 10) -> None:
        self.page_size = page_size
        folders = [responses_dir] if responses_dir is not None else []
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(f) for f in [*folders, builtin_templates()]]),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        self.env.filters["md"] = escape_md
        self.env.filters["note"] = render_note
        self.env.filters["code"] = safe_code
        self.env.filters["category_name"] = category_name
        self.env.filters["links"] = links_in
        self.env.filters["authors"] = lambda p: ", ".join(p.authors) + (" et al." if p.authors_truncated else "")

    def template_names(self) -> list[str]:
        return sorted(
            n.removesuffix(".md.j2") for n in self.env.list_templates() if n.endswith(".md.j2") and not n.startswith("_")
        )

    def _render(self, reply: Reply, items: Sequence[Any], start: int, page: int, pages: int) -> Page:
        """One page; its last line says how the question was understood, when the template includes the footer."""
        template = self.env.get_template(f"{reply.template}.md.j2")
        footer = footer_text(reply.understood, page, pages, reply.followup)
        footer_line = "-# " + escape_md(footer)
        text = template.render(
            **reply.context,
            records=reply.records,
            items=items,
            start=start,
            page=page,
            pages=pages,
            intent=reply.intent,
            footer_line=footer_line,
        )
        text = re.sub(r"\n{3,}", "\n\n", text).strip()
        if text.endswith(footer_line):
            return Page(text, text.removesuffix(footer_line).rstrip(), footer)
        return Page(text, text, None)

    def _page_size(self, reply: Reply) -> int:
        return reply.page_size or self.page_size

    def _layout(self, reply: Reply) -> tuple[Sequence[Any], list[tuple[int, int]]]:
        items: Sequence[Any] = reply.records if reply.page_items is None else reply.page_items
        page_size = self._page_size(reply)
        return items, [(lo, min(lo + page_size, len(items))) for lo in range(0, len(items), page_size)]

    def first_page(self, reply: Reply) -> tuple[Page, int] | None:
        """Page 1 and the page count when page 1 fits one message (else None: render everything)."""
        items, bounds = self._layout(reply)
        if not bounds:
            return None
        page = self._render(reply, items[bounds[0][0] : bounds[0][1]], 0, 1, len(bounds))
        return (page, len(bounds)) if len(page.text) <= MESSAGE_LIMIT else None

    def render(self, reply: Reply) -> list[Page]:
        """All pages of a reply, over ``reply.page_items`` if given, else over the records.

        Pages hold ``page_size`` items; a page whose text would pass Discord's message limit holds
        fewer (found by re-rendering), and a single item too long for one message is split.
        """
        items, bounds = self._layout(reply)
        page_size = self._page_size(reply)
        if not len(items):
            return split(self._render(reply, [], 0, 1, 1))
        pages = [self._render(reply, items[lo:hi], lo, n, len(bounds)) for n, (lo, hi) in enumerate(bounds, start=1)]
        if all(len(p.text) <= MESSAGE_LIMIT for p in pages):
            return pages
        groups: list[tuple[int, int]] = []
        start = 0
        while start < len(items):
            size = min(page_size, len(items) - start)
            while size > 1 and len(self._render(reply, items[start : start + size], start, 1, 99).text) > MESSAGE_LIMIT:
                size -= 1
            groups.append((start, start + size))
            start += size
        out: list[Page] = []
        for number, (lo, hi) in enumerate(groups, start=1):
            out.extend(split(self._render(reply, items[lo:hi], lo, number, len(groups))))
        return out


def split(page: Page) -> list[Page]:
    """A page too long for one message as several; the footer stays with the last piece."""
    if len(page.text) <= MESSAGE_LIMIT:
        return [page]
    footer_line = page.text[len(page.body) :].strip()  # empty when the page has no footer
    pieces = chunk(page.text)
    out = [Page(piece, piece, None) for piece in pieces[:-1]]
    last = pieces[-1]
    if footer_line and last.endswith(footer_line):
        out.append(Page(last, last.removesuffix(footer_line).rstrip(), page.footer))
    else:
        out.append(Page(last, last, None))
    return out

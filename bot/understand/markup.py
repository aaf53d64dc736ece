"""Discord markup taken out of a question before it is parsed.

Mentions (<@id>, <@!id>, <@&id>), channels (<#id>), custom emoji (<:name:id>, <a:name:id>),
@everyone/@here, emoji shortcodes (:fire:), struck-out text, markdown links and formatting characters are
no part of what a user asks: left in, they became search words ("123", "pepe", "everyone"). A timestamp
(<t:1700000000:d>) reads as the date Discord shows for it; a relative one (":R", "3 years ago") is dropped. A markdown link keeps its text; a bare URL is dropped. Core code: the Discord layer only passes the text through.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))  # zero-width characters, soft hyphen
_TAGS = re.compile(r"<(?:@[!&]?\d+|#\d+|a?:\w+:\d+|t:-?\d+:R|/[\w -]+:\d+)>")
_TIME = re.compile(
    r"<t:(-?\d{1,12})(?::[tTdDfF])?>"
)  # "<t:...:R>" shows "3 years ago": when something happened, no date asked for (removed with the other tags)  # shown as a date in Discord, so read as that date ("R" shows "3 years ago")
_SHORTCODE = re.compile(r"(?<![\w:]):[a-z0-9_+-]{2,32}:(?![\w:])")  # ":fire:", ":eyes:" typed as text
_SPOILER_TAG = re.compile(  # "||spoiler|| abstract of X", "||spoiler: it's not a GAN paper||": a joke, not the ask
    r"\|\|\s*(?:no\s+)?spoilers?\b(?:\s+alert)?[^|\n]*\|\|", re.I
)
_STRUCK = re.compile(r"~~[^~\n]*~~")  # "papers on ~~gans~~ diffusion": struck out, so not asked
_MASS = re.compile(r"(?<![\w@])@(?:everyone|here)\b", re.I)
_ADDRESSED = re.compile(r"^\s*@[\w.-]{2,32}[,:]?\s+", re.I)  # "@paperbot what venue ...": typed to the bot, not asked
_LINK = re.compile(r"\[([^\]\n]*)\]\(\s*<?(?:https?://|www\.)[^)\s]*>?\s*\)")
_ARXIV_URL = re.compile(r"<?\b(?:https?://)?(?:www\.)?arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?/?>?", re.I)
_LIST_MARK = re.compile(r"(?m)^\s*(?:\d{1,2}[.)]|[-*•])\s+")  # "1. nerf papers", "- nerf papers": a list item's marker
_PROJECT_URL = re.compile(
    r"<?\b(?:https?://)?(?:www\.)?(?:([a-z0-9][\w-]{2,40})\.github\.io|github\.com/[\w.-]+/([\w.-]{3,60}))[^\s>]*>?", re.I
)
_URL = re.compile(r"<?\b(?:https?://|www\.)\S+>?")
_MARKED_TITLE = re.compile(
    r"(?<![`*])(?:`|\*\*)([^`*\n\s][^`*\n]{2,200}?\s[^`*\n]{2,200}?)(?:`|\*\*)(?![`*])"
)  # "show `Fixing a Broken ELBO`": words set apart
_FORMAT = re.compile(r"\*\*|__|~~|\|\||```|(?<!\w)[*_`](?=\S)|(?<=\S)[*_`](?!\w)")
_QUOTE = re.compile(r"(?m)^\s*(?:>>>|>|-#)\s+")


def _date_of(m: re.Match[str]) -> str:
    try:
        return f" {dt.datetime.fromtimestamp(int(m.group(1)), dt.UTC).date().isoformat()} "
    except (OverflowError, OSError, ValueError):
        return " "


def strip_markup(text: str) -> str:
    """The words a user typed, without Discord mentions, emoji, timestamps, links or formatting."""
    if not text.isascii():  # "ＧＡＮ papers": fullwidth letters as plain ones; zero-width spaces and marks gone
        text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    if not any(c in text for c in "<@[*_~|`>#:/.-•)"):
        return text
    text = _TIME.sub(_date_of, text)
    text = _TAGS.sub(" ", text)
    text = _SHORTCODE.sub(" ", text)
    text = _STRUCK.sub(" ", text)
    text = _SPOILER_TAG.sub(" ", text)
    text = _MASS.sub(" ", text)
    text = _ADDRESSED.sub("", text)
    text = _LINK.sub(r" \1 ", text)
    text = _ARXIV_URL.sub(r" arXiv:\1 ", text)  # an arXiv link names a paper by its arXiv id
    text = _PROJECT_URL.sub(
        lambda m: f" {m.group(1) or m.group(2)} ", text
    )  # "https://cat3d.github.io": a project page's name is the paper's
    text = _URL.sub(" ", text)
    text = _QUOTE.sub("", text)
    text = _LIST_MARK.sub("", text)
    if not _MARKED_TITLE.fullmatch(text.strip()):  # set apart from the rest in code or bold: quoted, as a typed title is
        text = _MARKED_TITLE.sub(r'"\1"', text)
    text = _FORMAT.sub("", text)
    return " ".join(text.split())

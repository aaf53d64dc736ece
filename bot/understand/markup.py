"""Discord markup taken out of a question before it is parsed.

Mentions (<@id>, <@!id>, <@&id>), channels (<#id>), custom emoji (<:name:id>, <a:name:id>),
timestamps (<t:1700000000:R>), @everyone/@here, markdown links and formatting characters are no part
of what a user asks: left in, they became search words ("123", "pepe", "everyone"). A markdown link
keeps its text; a bare URL is dropped. Core code: the Discord layer only passes the text through.
"""

from __future__ import annotations

import re

_TAGS = re.compile(r"<(?:@[!&]?\d+|#\d+|a?:\w+:\d+|t:-?\d+(?::[tTdDfFR])?|/[\w -]+:\d+)>")
_MASS = re.compile(r"(?<![\w@])@(?:everyone|here)\b", re.I)
_LINK = re.compile(r"\[([^\]\n]*)\]\(\s*<?(?:https?://|www\.)[^)\s]*>?\s*\)")
_URL = re.compile(r"<?\b(?:https?://|www\.)\S+>?")
_FORMAT = re.compile(r"\*\*|__|~~|\|\||```|(?<!\w)[*_`](?=\S)|(?<=\S)[*_`](?!\w)")
_QUOTE = re.compile(r"(?m)^\s*(?:>>>|>|-#)\s+")


def strip_markup(text: str) -> str:
    """The words a user typed, without Discord mentions, emoji, timestamps, links or formatting."""
    if not any(c in text for c in "<@[*_~|`>#:/"):
        return text
    text = _TAGS.sub(" ", text)
    text = _MASS.sub(" ", text)
    text = _LINK.sub(r" \1 ", text)
    text = _URL.sub(" ", text)
    text = _QUOTE.sub("", text)
    text = _FORMAT.sub("", text)
    return " ".join(text.split())

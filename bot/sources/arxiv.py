"""arXiv API feeds: fetch over HTTP (timeout, retries with backoff, a polite delay) and parse the Atom with feedparser.

A feed that is malformed or truncated (feedparser's ``bozo``), or an arXiv error entry, is
rejected whole: partial feeds never reach the corpus.

Retries stay a loop of our own rather than tenacity: the policy (which errors are retried, the
doubling wait capped at ``MAX_BACKOFF``, one log line per failure, one FeedError at the end) reads
top to bottom in ``fetch``, in fewer lines than tenacity's Retrying with its stop, wait, retry and
before_sleep objects plus the unwrapping of its RetryError, and takes no dependency for it.
"""

from __future__ import annotations

import logging
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

import feedparser

from bot.config import FeedSettings, FetchSettings
from bot.errors import PaperBotError
from bot.records import Paper

from .jsonl import RecordError, paper_from_json

log = logging.getLogger("paperbot.feeds")
USER_AGENT = "paperbot/0.1 (+https://github.com/; research-paper Discord bot)"
_ABS = re.compile(r"/abs/(?P<id>.+?)/?$")
MAX_BACKOFF = 600.0  # seconds: the doubling wait between retries stops growing here
_CODE = re.compile(r"github\.com|gitlab\.com|code (?:is )?(?:available|released)|our code", re.IGNORECASE)


class FeedError(PaperBotError):
    """A feed could not be fetched or read; nothing from it was added."""


def feed_url(client: FetchSettings, feed: FeedSettings) -> str:
    params = {
        "search_query": feed.arxiv,
        "start": 0,
        "max_results": feed.max_results,
        "sortBy": "submittedDate",
        "sortOrder": "descending",
    }
    return f"{client.arxiv_api}?{urllib.parse.urlencode(params)}"


def fetch(url: str, client: FetchSettings, sleep: Callable[[float], None] = time.sleep) -> bytes:
    """GET with a timeout; network errors, timeouts, 429 and 5xx are retried with exponential backoff."""
    last: Exception | None = None
    for attempt in range(client.retries + 1):
        if attempt:
            sleep(min(client.delay_seconds * 2 ** (attempt - 1), MAX_BACKOFF))
        try:
            request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
            with urllib.request.urlopen(request, timeout=client.timeout_seconds) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            if exc.code != 429 and exc.code < 500:
                raise FeedError(f"{url}: HTTP {exc.code} {exc.reason}") from None
            last = exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            last = exc
        log.warning("feed fetch failed (attempt %d of %d): %s", attempt + 1, client.retries + 1, last)
    raise FeedError(f"{url}: failed after {client.retries + 1} attempts ({last})")


def parse_atom(data: bytes, source: str) -> list[Paper]:
    """Papers from an arXiv API Atom response. Raises FeedError for a malformed or error feed."""
    feed = feedparser.parse(data)
    if feed.bozo:
        raise FeedError(f"{source}: malformed or truncated feed ({feed.bozo_exception})")
    if not feed.get("feed") and not feed.entries:
        raise FeedError(f"{source}: not an Atom feed")
    papers: list[Paper] = []
    for entry in feed.entries:
        if "/api/errors" in entry.get("id", ""):
            raise FeedError(f"{source}: arXiv says {entry.get('summary', 'error')!r}")
        match = _ABS.search(entry.get("id", ""))
        tags = entry.get("tags") or []
        category = (entry.get("arxiv_primary_category") or {}).get("term") or (tags[0].get("term") if tags else "")
        record = {
            "title": entry.get("title", ""),
            "authors": [a.get("name", "") for a in entry.get("authors", [])],
            "date": (entry.get("published") or entry.get("updated") or "")[:10],
            "abstract": entry.get("summary", ""),
            "category": category,
            "arxiv_id": match.group("id") if match else "",
            "url": entry.get("link", ""),
            "has_code": bool(_CODE.search(entry.get("arxiv_comment", "") or "")),
        }
        try:
            papers.append(paper_from_json(record, source))
        except RecordError as exc:
            log.warning("%s: skipped an entry (%s): %s", source, record["arxiv_id"] or record["title"][:60], exc)
    return papers


def read_feed(client: FetchSettings, feed: FeedSettings, sleep: Callable[[float], None] = time.sleep) -> list[Paper]:
    url = feed_url(client, feed)
    return parse_atom(fetch(url, client, sleep), f"arxiv:{feed.arxiv}")

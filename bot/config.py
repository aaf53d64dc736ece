"""Settings from config.yaml, validated on load: an unknown key or a wrong type names the key and file.

The Discord token never lives here: it comes from the DISCORD_TOKEN environment variable only.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from .errors import ConfigError


@dataclass(frozen=True, slots=True)
class SearchSettings:
    result_cap: int = 100
    page_size: int = 10
    coauthor_limit: int = 10


@dataclass(frozen=True, slots=True)
class ChatSettings:
    channels: tuple[int, ...] = ()
    cooldown_seconds: float = 3.0
    context_minutes: float = 15.0  # how long a follow-up can refer to a user's previous question
    context_cap: int = 10_000  # most conversations remembered at once; the least recently used go first


@dataclass(frozen=True, slots=True)
class DiscordSettings:
    guilds: tuple[int, ...] = ()
    message_content: bool = False  # true only if the privileged intent is enabled in the developer portal
    page_timeout_seconds: float = 300.0


@dataclass(frozen=True, slots=True)
class DigestSettings:
    time: str = "09:00"  # HH:MM in ``timezone``; a channel can override both
    timezone: str = "UTC"
    skip_empty: bool = True
    check_seconds: float = 60.0  # how often the bot checks for due digests, feeds and new corpus files


@dataclass(frozen=True, slots=True)
class FeedSettings:
    """One arXiv API query fetched on a schedule."""

    arxiv: str
    every_seconds: float = 86400.0
    max_results: int = 100


@dataclass(frozen=True, slots=True)
class FeedClient:
    """How feeds are fetched: endpoint, timeout, politeness, retries."""

    arxiv_api: str = "http://export.arxiv.org/api/query"
    timeout_seconds: float = 30.0
    delay_seconds: float = 3.0  # between requests, as arXiv asks
    retries: int = 3
    reload_every_seconds: float = 300.0  # how often the running bot looks for new corpus files


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable. Paths are resolved against the config file's folder."""

    corpus: tuple[Path, ...] = (Path("corpus"),)
    responses: Path = Path("responses")
    profile_owner: str = ""
    timezone: str = "UTC"
    search: SearchSettings = field(default_factory=SearchSettings)
    chat: ChatSettings = field(default_factory=ChatSettings)
    discord: DiscordSettings = field(default_factory=DiscordSettings)
    database: Path = Path("paperbot.sqlite3")
    digest: DigestSettings = field(default_factory=DigestSettings)
    feeds: tuple[FeedSettings, ...] = ()
    fetch: FeedClient = field(default_factory=FeedClient)
    source: str = "(defaults)"


ZERO_ALLOWED = {"cooldown_seconds", "delay_seconds", "retries"}  # 0 turns these off
_SECTIONS = {"search": SearchSettings, "chat": ChatSettings, "discord": DiscordSettings, "digest": DigestSettings, "fetch": FeedClient}
_TOP = {"corpus", "responses", "profile_owner", "timezone", "database", "feeds", *_SECTIONS}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def parse_duration(value: Any, where: str) -> float:
    """'24h', '30m', '90s', '1d' (or a number of seconds) -> seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    m = _DURATION.match(str(value))
    if not m or float(m.group(1)) <= 0:
        raise ConfigError(f"{where} must be a duration such as 30m, 24h or 1d, not {value!r}")
    return float(m.group(1)) * _UNIT[m.group(2)]


def check_clock(value: str, where: str) -> str:
    """HH:MM on a 24-hour clock."""
    if not isinstance(value, str) or not _CLOCK.match(value.strip()):
        raise ConfigError(f"{where} must be a time as HH:MM (24-hour), not {value!r}")
    return value.strip()


def check_timezone(value: Any, where: str) -> str:
    name = _check(value, str, where)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{where}: {name!r} is not an IANA time zone name (e.g. Europe/Paris)") from None
    return name


def _feeds(raw: Any, where: str) -> tuple[FeedSettings, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError(f"{where} must be a list of feeds, e.g. - arxiv: 'au:Poole_B'")
    feeds = []
    for i, item in enumerate(raw):
        at = f"{where}[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("arxiv"), str) or not item["arxiv"].strip():
            raise ConfigError(f"{at} must be a mapping with an arxiv search query, e.g. arxiv: 'au:Poole_B'")
        unknown = set(item) - {"arxiv", "every", "max_results"}
        if unknown:
            raise ConfigError(f"{at}: unknown key {sorted(unknown)[0]!r} (known: arxiv, every, max_results)")
        limit = _check(item.get("max_results", 100), int, f"{at}.max_results")
        if not 1 <= limit <= 2000:
            raise ConfigError(f"{at}.max_results must be between 1 and 2000, not {limit!r}")
        feeds.append(FeedSettings(item["arxiv"].strip(), parse_duration(item.get("every", "24h"), f"{at}.every"), limit))
    return tuple(feeds)


def _check(value: Any, expected: Any, where: str) -> Any:
    """Coerce-free type check with a message naming the key."""
    if expected is int and isinstance(value, bool):
        raise ConfigError(f"{where} must be a whole number, not {value!r}")
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if expected in (int, float, str, bool) and not isinstance(value, expected):
        kind = {int: "a whole number", float: "a number", str: "text", bool: "true or false"}[expected]
        raise ConfigError(f"{where} must be {kind}, not {value!r}")
    return value


def _section(cls: type, raw: Any, where: str) -> Any:
    if raw is None:
        return cls()
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a mapping of keys to values")
    known = {f.name: f for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(known))})")
        default = getattr(cls(), key)
        if isinstance(default, tuple):
            if not isinstance(value, list):
                raise ConfigError(f"{where}.{key} must be a list")
            values[key] = tuple(_check(v, int, f"{where}.{key}[]") for v in value)
        else:
            values[key] = _check(value, type(default), f"{where}.{key}")
        number = values[key]
        if isinstance(number, (int, float)) and not isinstance(number, bool) and (number < 0 or (number == 0 and key not in ZERO_ALLOWED)):
            least = "0 or more" if key in ZERO_ALLOWED else "greater than 0"
            raise ConfigError(f"{where}.{key} must be {least}, not {value!r}")
    return cls(**values)


def load_settings(path: Path | None, required: bool = False) -> Settings:
    """Read and validate config.yaml. A missing file gives defaults unless ``required``."""
    if path is None or not path.exists():
        if required and path is not None:
            raise ConfigError(f"config file not found: {path}")
        return Settings()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: not readable YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of keys to values")
    unknown = set(raw) - _TOP
    if unknown:
        raise ConfigError(f"{path}: unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(_TOP))})")
    base = path.parent
    corpus_raw = raw.get("corpus", ["corpus"])
    if isinstance(corpus_raw, str):
        corpus_raw = [corpus_raw]
    if not isinstance(corpus_raw, list) or not corpus_raw or not all(isinstance(c, str) for c in corpus_raw):
        raise ConfigError(f"{path}: corpus must be a path or a list of paths")
    timezone = check_timezone(raw.get("timezone", "UTC"), f"{path}: timezone")
    digest = _section(DigestSettings, raw.get("digest"), f"{path}: digest")
    check_clock(digest.time, f"{path}: digest.time")
    check_timezone(digest.timezone, f"{path}: digest.timezone")
    owner = raw.get("profile_owner") or ""
    return Settings(
        corpus=tuple(base / c for c in corpus_raw),
        responses=base / _check(raw.get("responses", "responses"), str, f"{path}: responses"),
        profile_owner=_check(owner, str, f"{path}: profile_owner"),
        timezone=timezone,
        search=_section(SearchSettings, raw.get("search"), f"{path}: search"),
        chat=_section(ChatSettings, raw.get("chat"), f"{path}: chat"),
        discord=_section(DiscordSettings, raw.get("discord"), f"{path}: discord"),
        database=base / _check(raw.get("database", "paperbot.sqlite3"), str, f"{path}: database"),
        digest=digest,
        feeds=_feeds(raw.get("feeds"), f"{path}: feeds"),
        fetch=_section(FeedClient, raw.get("fetch"), f"{path}: fetch"),
        source=str(path),
    )

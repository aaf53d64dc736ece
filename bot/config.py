"""Settings from config.yaml, validated on load: an unknown key or a wrong type names the key and file.

The Discord token never lives here: it comes from the DISCORD_TOKEN environment variable only.
"""

from __future__ import annotations

import dataclasses
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


@dataclass(frozen=True, slots=True)
class DiscordSettings:
    guilds: tuple[int, ...] = ()
    message_content: bool = False  # true only if the privileged intent is enabled in the developer portal
    page_timeout_seconds: float = 300.0


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
    source: str = "(defaults)"


ZERO_ALLOWED = {"cooldown_seconds"}  # 0 turns the cooldown off
_SECTIONS = {"search": SearchSettings, "chat": ChatSettings, "discord": DiscordSettings}
_TOP = {"corpus", "responses", "profile_owner", "timezone", *_SECTIONS}


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
    timezone = _check(raw.get("timezone", "UTC"), str, f"{path}: timezone")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{path}: timezone {timezone!r} is not an IANA time zone name (e.g. Europe/Paris)") from None
    owner = raw.get("profile_owner") or ""
    return Settings(
        corpus=tuple(base / c for c in corpus_raw),
        responses=base / _check(raw.get("responses", "responses"), str, f"{path}: responses"),
        profile_owner=_check(owner, str, f"{path}: profile_owner"),
        timezone=timezone,
        search=_section(SearchSettings, raw.get("search"), f"{path}: search"),
        chat=_section(ChatSettings, raw.get("chat"), f"{path}: chat"),
        discord=_section(DiscordSettings, raw.get("discord"), f"{path}: discord"),
        source=str(path),
    )

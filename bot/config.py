"""Settings from config.yaml, validated on load by pydantic models.

A bad config is one line naming the file, the key and what was expected, at most ``MESSAGE_LIMIT``
characters however large the value. Every number must be finite and inside the range stated on its
field (``.inf`` seconds would stop the bot's loops, ``1e-300`` would keep a core busy); URLs must be
http or https with a host. The YAML is read with aliases refused (a 734-byte alias bomb expands to
gigabytes), at most ``MAX_BYTES`` bytes and ``MAX_DEPTH`` levels deep.

pydantic replaces 215 lines of hand-written checks: the models below state each key's type and range
once, and its errors carry the key's path. Its price is start-up: importing it costs a command about
0.1 s more than the hand-written checks did (bench/config_load.py, bench/RESULTS.md). The Discord token never lives here: it comes from the
DISCORD_TOKEN environment variable only.
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictFloat,
    StrictInt,
    ValidationError,
    model_validator,
)

from .errors import ConfigError

MESSAGE_LIMIT = 300
MAX_BYTES = 64 * 1024
MAX_DEPTH = 20
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
SNOWFLAKE = Annotated[StrictInt, Field(ge=1, le=2**63 - 1)]  # a Discord id


def shown(value: Any, limit: int = 60) -> str:
    """A value as a message shows it: its repr, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def parse_duration(value: Any, where: str) -> float:
    """'24h', '30m', '90s', '1d' (or a number of seconds) -> seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)  # the field's range decides
    m = _DURATION.match(value) if isinstance(value, str) else None
    if not m:
        raise ConfigError(f"{where} must be a duration such as 30m, 24h or 1d, not {shown(value)}")
    return float(m.group(1)) * _UNIT[m.group(2)]


def check_clock(value: Any, where: str) -> str:
    """HH:MM on a 24-hour clock."""
    if not isinstance(value, str) or not _CLOCK.match(value.strip()):
        raise ConfigError(f"{where} must be a time as HH:MM (24-hour), not {shown(value)}")
    return value.strip()


def check_timezone(value: Any, where: str) -> str:
    """An IANA time zone name."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ConfigError(f"{where}: {shown(value)} is not an IANA time zone name (e.g. Europe/Paris)") from None
    return value


def check_url(value: str) -> str:
    """An http or https URL with a host (no file://, no credentials)."""
    parts = urllib.parse.urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username is not None:
        raise ValueError("must be an http:// or https:// URL with a host name")
    return value


DATABASE_URLS = ("postgresql://", "postgres://")


def redact_url(value: Any) -> Any:
    """A URL's password as ***, for messages and logs (any other value unchanged)."""
    if not isinstance(value, str) or "://" not in value:
        return value
    parts = urllib.parse.urlsplit(value)
    if parts.password is None:
        return value
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{parts.netloc.rpartition('@')[2]}"))


def _database(value: Any) -> Any:
    """A postgresql:// URL stays text (the state lives on that server); anything else is a SQLite file path."""
    if isinstance(value, str) and value.startswith(DATABASE_URLS):
        try:
            urllib.parse.urlsplit(value).port  # noqa: B018 (a bad port raises)
        except ValueError:
            raise ValueError("must be a postgresql://user@host:port/dbname URL (its port is not a number)") from None
        return value
    if isinstance(value, str) and "://" in value:
        raise ValueError("must be a SQLite file path or a postgresql:// URL")
    return Path(value) if isinstance(value, str) else value


def _as_value_error(check: Any) -> Any:
    """A ConfigError check as a pydantic validator (its message, without the key: pydantic adds that)."""

    def validate(value: Any) -> Any:
        try:
            return check(value, "")
        except ConfigError as exc:
            raise ValueError(str(exc).removeprefix(": ").removeprefix(" ")) from None

    return validate


Seconds = Annotated[StrictFloat, BeforeValidator(_as_value_error(parse_duration))]
Clock = Annotated[str, AfterValidator(_as_value_error(check_clock))]
TimeZone = Annotated[str, AfterValidator(_as_value_error(check_timezone))]
Database = Annotated[Path | str, BeforeValidator(_database)]  # a SQLite file, or a postgresql:// URL


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, strict=False)


def check_address(value: str) -> str:
    """host:port of a server (a Xapian shard's xapian-tcpsrv)."""
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 1 <= int(port) <= 65_535:
        raise ValueError("must be host:port, e.g. 127.0.0.1:33301")
    return value


class SearchSettings(_Section):
    result_cap: StrictInt = Field(100, ge=1, le=10_000)
    page_size: StrictInt = Field(10, ge=1, le=50)
    coauthor_limit: StrictInt = Field(10, ge=1, le=1_000)
    backend: Literal["builtin", "xapian"] = "builtin"  # xapian: topics ranked on the Xapian shard servers in ``shards``
    shards: tuple[Annotated[str, Field(max_length=300), AfterValidator(check_address)], ...] = Field(
        (), max_length=10_000
    )  # in shard order
    shard_dir: Annotated[str, Field(max_length=4096)] = (
        ""  # the shard databases' folder, where this host writes new records to them
    )

    @model_validator(mode="after")
    def _xapian_has_shards(self) -> SearchSettings:
        if self.backend == "xapian" and not self.shards:
            raise ValueError("shards must list the shard servers (host:port) when backend is xapian")
        return self


class ChatSettings(_Section):
    channels: tuple[SNOWFLAKE, ...] = ()
    cooldown_seconds: StrictFloat = Field(3.0, ge=0, le=3600)  # 0 turns it off
    context_minutes: StrictFloat = Field(15.0, gt=0, le=24 * 60)  # how long a follow-up can refer to a user's previous question
    context_cap: StrictInt = Field(
        10_000, ge=1, le=1_000_000
    )  # most conversations remembered at once; the least recently used go first


class DiscordSettings(_Section):
    guilds: tuple[SNOWFLAKE, ...] = ()
    message_content: StrictBool = False  # true only if the privileged intent is enabled in the developer portal
    page_timeout_seconds: StrictFloat = Field(300.0, ge=1, le=86_400)
    stop_seconds: StrictFloat = Field(
        10.0, ge=1, le=600
    )  # on SIGTERM/SIGINT, the most time to finish in-flight work before exiting 0


class DigestSettings(_Section):
    time: Clock = "09:00"  # HH:MM in ``timezone``; a channel can override both
    timezone: TimeZone = "UTC"
    skip_empty: StrictBool = True
    check_seconds: StrictFloat = Field(
        60.0, ge=0.1, le=3600
    )  # how often the bot checks for due digests, feeds and new corpus files
    max_pages: StrictInt = Field(5, ge=1, le=100)  # a digest posts at most this many pages, then "and N more"
    lease_seconds: StrictFloat = Field(
        60.0, ge=0.5, le=3600
    )  # a process's claim on a channel's digest lasts this long after its last page; keep it under Discord's nonce window (minutes)


class WatchSettings(_Section):
    """Personal watch lists (/watch): limits against abuse, and the size of one DM."""

    max_per_user: StrictInt = Field(20, ge=1, le=1000)  # watches one user may keep
    dms_per_day: StrictInt = Field(10, ge=1, le=1000)  # most watch DMs one user gets per UTC day; the rest wait for tomorrow
    records_per_dm: StrictInt = Field(10, ge=1, le=25)  # records listed in one DM; more are counted ("and N more")


class FeedSettings(_Section):
    """One arXiv API query fetched on a schedule (``every`` in the file)."""

    arxiv: Annotated[str, Field(min_length=1, max_length=1000), AfterValidator(str.strip)]
    every_seconds: Seconds = Field(86_400.0, ge=1, le=366 * 86_400, validation_alias=AliasChoices("every", "every_seconds"))
    max_results: StrictInt = Field(100, ge=1, le=2000)


class FetchSettings(_Section):
    """How feeds are fetched: endpoint, timeout, politeness, retries."""

    arxiv_api: Annotated[str, AfterValidator(check_url)] = "http://export.arxiv.org/api/query"
    timeout_seconds: StrictFloat = Field(30.0, gt=0, le=600)
    delay_seconds: StrictFloat = Field(3.0, ge=0, le=3600)  # between requests, as arXiv asks
    retries: StrictInt = Field(3, ge=0, le=10)
    reload_every_seconds: StrictFloat = Field(300.0, ge=0.1, le=86_400)  # how often the running bot looks for new corpus files


def _paths(value: Any) -> Any:
    if isinstance(value, (str, Path)):
        return [value]
    if not isinstance(value, (list, tuple)):
        raise ValueError("must be a path or a list of paths")
    return value


class Settings(_Section):
    """Everything configurable. Paths are resolved against the config file's folder."""

    corpus: Annotated[tuple[Path, ...], BeforeValidator(_paths), Field(min_length=1)] = (Path("corpus"),)
    responses: Path | None = None  # a folder of templates overriding the built-in ones, file by file (None: the built-in ones)
    profile_owner: Annotated[str, Field(max_length=200), BeforeValidator(lambda v: "" if v is None else v)] = ""
    timezone: TimeZone = "UTC"
    search: SearchSettings = SearchSettings()
    chat: ChatSettings = ChatSettings()
    discord: DiscordSettings = DiscordSettings()
    database: Database = Path("paperbot.sqlite3")
    digest: DigestSettings = DigestSettings()
    watch: WatchSettings = WatchSettings()
    feeds: Annotated[tuple[FeedSettings, ...], BeforeValidator(lambda v: () if v is None else v)] = ()
    fetch: FetchSettings = FetchSettings()
    _source: str = PrivateAttr("(defaults)")

    @property
    def source(self) -> str:
        """The config file these settings came from."""
        return self._source


_SECTIONS: dict[str, type[BaseModel]] = {
    "search": SearchSettings,
    "chat": ChatSettings,
    "discord": DiscordSettings,
    "digest": DigestSettings,
    "watch": WatchSettings,
    "feeds": FeedSettings,
    "fetch": FetchSettings,
}


class _Loader(yaml.SafeLoader):
    """safe_load without aliases and with a nesting limit: config files need neither."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed", self.peek_event().start_mark)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def read_yaml(path: Path) -> Any:
    """The config file's data; ConfigError for a file too large, not UTF-8, not YAML, or with aliases."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise ConfigError(f"{path}: larger than {MAX_BYTES // 1024} KB; a paperbot config is a few dozen lines")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    try:
        return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(_capped(f"{path}: not readable YAML{where} ({problem})")) from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply to be a config") from None


def _capped(message: str) -> str:
    return message if len(message) <= MESSAGE_LIMIT else message[: MESSAGE_LIMIT - 3] + "..."


def _key(loc: tuple[Any, ...]) -> str:
    """A pydantic error location as the key it names: search.page_size, feeds[0].every."""
    key = ""
    for part in loc:
        if isinstance(part, int) and key:
            key += f"[{part}]"
        else:
            key += f".{part}" if key else str(part)
    return key


def _message(path: Path, error: Any) -> str:
    """One pydantic error as one line naming the file and the key."""
    loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith(("function-", "tuple["))))
    if error["type"] in ("extra_forbidden", "invalid_key"):
        section = next((p for p in loc[:-1] if isinstance(p, str)), None)
        model = _SECTIONS.get(section, Settings) if section else Settings
        known = ", ".join(model.model_fields).replace("every_seconds", "every")
        where = f" in {_key(loc[:-1])}" if loc[:-1] else ""
        return _capped(f"{path}: unknown key {shown(loc[-1], 40)}{where} (known: {known})")
    message = _KINDS.get(error["type"]) or error["msg"].removeprefix("Value error, ")
    for theirs, ours in (
        ("Input should be", "must be"),
        ("Value should", "must"),
        ("String should", "must"),
        ("List should", "must"),
    ):
        message = message.replace(theirs, ours)
    message = message.split(" after validation")[0]
    value = shown(redact_url(error.get("input")))
    return _capped(
        f"{path}: {_key(loc)}{' ' if message.startswith('must') else ': '}{message}"
        + ("" if value in message else f", not {value}")
    )


_KINDS = {  # pydantic's words for a wrong type, in ours
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be text",
    "tuple_type": "must be a list",
    "list_type": "must be a list",
    "model_type": "must be a mapping of keys to values",
    "dict_type": "must be a mapping of keys to values",
    "path_type": "must be a path",
}


def load_settings(path: Path | None, required: bool = False) -> Settings:
    """Read and validate config.yaml. A missing file gives defaults unless ``required``."""
    if path is None or not path.exists():
        if required and path is not None:
            raise ConfigError(f"config file not found: {path}")
        return Settings()
    raw = read_yaml(path)
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of keys to values")
    base = path.parent
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_message(path, exc.errors()[0])) from None
    responses = base / settings.responses if settings.responses is not None else None  # paths are relative to the file
    if responses is not None and (not responses.is_dir() or not any(responses.glob("*.md.j2"))):
        raise ConfigError(_capped(f"{path}: responses: {str(settings.responses)!r} is not a folder of templates (*.md.j2)"))
    search = (
        settings.search.model_copy(update={"shard_dir": str(base / settings.search.shard_dir)})
        if settings.search.shard_dir
        else settings.search
    )
    settings = settings.model_copy(
        update={
            "corpus": tuple(base / c for c in settings.corpus),
            "responses": responses,
            "database": base / settings.database if isinstance(settings.database, Path) else settings.database,
            "search": search,
        }
    )
    settings._source = str(path)
    return settings

"""A small fake Discord on 127.0.0.1: the REST routes discord.py calls and a JSON gateway websocket.

It runs in a background thread with its own event loop. Tests push gateway events (messages,
interactions) and read what the bot sent (``requests``). It behaves like Discord where tests rely
on it: interactions must be acknowledged within 3 s and only once, a follow-up needs an
acknowledgement first, a 429 can be injected for the next request on a route, and a message sent
with ``enforce_nonce`` and a nonce already used in that channel within ``nonce_window`` seconds
returns the message already posted instead of a new one (Discord keeps nonces "a few minutes").
``on_post`` lets a test act (kill the bot) when a message arrives (dropping it, as if the process
died before sending) and after it is created (as if it died before reading the reply).

Several guilds (``add_guilds``) over sharded gateway connections: an IDENTIFY with ``shard: [id, count]``
gets only that shard's guilds (``(guild_id >> 22) % count``) in READY and GUILD_CREATE, events for a
guild go to the connection of its shard, and ``GET /gateway/bot`` answers ``shard_count``. Several bot
processes may be connected at once. ``delay`` holds a channel's message posts for some seconds after
they arrive (listed in ``held``), then creates them even if the sender died meanwhile, as Discord
does with a request it received whole.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web

APP_ID = 900000000000000001
BOT_ID = APP_ID
GUILD_ID = 910000000000000001
CHANNEL_ID = 920000000000000001
CHAT_CHANNEL_ID = 920000000000000002
DM_CHANNEL_ID = 920000000000000099
ROLE_ID = 930000000000000001
ALICE = {"id": "940000000000000001", "username": "alice", "discriminator": "0", "global_name": "Alice", "avatar": None}
BOB = {"id": "940000000000000002", "username": "bob", "discriminator": "0", "global_name": "Bob", "avatar": None}
BOT_USER = {"id": str(BOT_ID), "username": "paperbot", "discriminator": "0", "avatar": None, "bot": True, "global_name": None}
TOKEN = "fake-token-abc.def.ghi"
EVERYDAY = 1071698660929  # view, send, embed, attach, read history...
MANAGER = EVERYDAY | 16 | 32  # ...plus Manage Channels and Manage Server
PERMISSIONS = {ALICE["id"]: MANAGER, BOB["id"]: EVERYDAY}


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """discord.py decodes a body only when the content type is exactly application/json (no charset)."""
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json", **(headers or {})}
    )


def shard_of(guild_id: int, count: int) -> int:
    return (guild_id >> 22) % count


def _timestamp() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000000+00:00", time.gmtime())


@dataclass
class Recorded:
    """One request the bot made."""

    method: str
    path: str
    body: Any
    at: float = field(default_factory=time.monotonic)
    status: int = 200


@dataclass
class Connection:
    """One gateway session: the shard it identified for (None: unsharded) and its socket."""

    ws: web.WebSocketResponse
    shard: tuple[int, int] | None = None

    def serves(self, guild_id: int) -> bool:
        return self.shard is None or shard_of(guild_id, self.shard[1]) == self.shard[0]


class FakeDiscord:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.commands: dict[str, list[dict]] = {}
        self.ids = itertools.count(950000000000000001)
        self.loop = asyncio.new_event_loop()
        self.ws: web.WebSocketResponse | None = None
        self.seq = 0
        self.identified = threading.Event()
        self.interactions: dict[str, dict[str, Any]] = {}  # token -> {created, acked, message}
        self.messages: dict[str, dict] = {}
        self.fail_next: dict[str, int] = {}  # path prefix -> how many 429s to answer
        self.forbid: set[str] = set()  # path prefixes answered 403 Missing Permissions while listed
        self.closed_dms: set[str] = set()  # user ids whose DMs are closed: a message to their DM channel gets 403, code 50007
        self.dm_channels: dict[str, str] = {}  # DM channel id -> the user it reaches
        self.port = 0
        self._lock = threading.Lock()
        self.nonce_window = 300.0
        self.nonces: dict[tuple[str, str], tuple[float, dict]] = {}  # (channel, nonce) -> (when, message)
        self.created: list[dict] = []  # every message created, in order (a nonce replay creates none)
        self.on_post: Callable[[str, dict], bool] | None = (
            None  # ("arrived" | "created", body); True on "arrived" drops the request
        )
        self.guild_channels: dict[int, list[int]] = {GUILD_ID: [CHANNEL_ID, CHAT_CHANNEL_ID]}
        self.connections: list[Connection] = []  # live gateway sessions, oldest first
        self.shard_count = 1  # what GET /gateway/bot recommends
        self.identified_shards: list[tuple[int, int] | None] = []  # every IDENTIFY's shard, in order
        self.delay: dict[str, float] = {}  # channel id -> seconds a message post is held before it is created
        self.held: list[tuple[str, dict]] = []  # (channel id, body) of each post held, as it arrived

    # --- lifecycle ---------------------------------------------------------------------
    def start(self) -> None:
        started = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            app = web.Application(client_max_size=32 * 1024 * 1024)
            app.router.add_get("/gateway", self.gateway)
            app.router.add_route("*", "/api/v10/{tail:.*}", self.rest)
            self.runner = web.AppRunner(app)
            self.loop.run_until_complete(self.runner.setup())
            site = web.TCPSite(self.runner, "127.0.0.1", 0)
            self.loop.run_until_complete(site.start())
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            started.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        started.wait(10)

    def stop(self) -> None:
        async def close() -> None:
            for ws in [c.ws for c in self.connections] + ([self.ws] if self.ws is not None else []):
                await ws.close()
            await self.runner.cleanup()

        asyncio.run_coroutine_threadsafe(close(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def add_guilds(self, count: int) -> list[tuple[int, int]]:
        """``count`` more guilds, each with one text channel; returns their (guild id, channel id).
        Consecutive guilds fall on consecutive shards."""
        added = []
        for k in range(1, count + 1):
            guild_id = ((GUILD_ID >> 22) + len(self.guild_channels) - 1 + k) << 22 | 1
            channel_id = guild_id + 2
            added.append((guild_id, channel_id))
        for guild_id, channel_id in added:
            self.guild_channels[guild_id] = [channel_id]
        return added

    # --- gateway -----------------------------------------------------------------------
    async def gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        self.ws = ws
        connection = Connection(ws)
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 40000}})
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                data = json.loads(msg.data)
                if data["op"] == 1:
                    await ws.send_json({"op": 11})
                elif data["op"] == 2:
                    assert data["d"]["token"] == TOKEN
                    shard = data["d"].get("shard")
                    connection.shard = (int(shard[0]), int(shard[1])) if shard else None
                    self.connections.append(connection)
                    guilds = [g for g in self.guild_channels if connection.serves(g)]
                    ready = {
                        "v": 10,
                        "user": BOT_USER,
                        "guilds": [{"id": str(g), "unavailable": True} for g in guilds],
                        "session_id": f"session-{id(ws)}",
                        "resume_gateway_url": self.gateway_url,
                        "application": {"id": str(APP_ID), "flags": 0},
                        "private_channels": [],
                    }
                    if shard:
                        ready["shard"] = shard
                    await self._send_event("READY", ready, ws)
                    for guild_id in guilds:
                        await self._send_event("GUILD_CREATE", self.guild(guild_id), ws)
                    self.identified_shards.append(connection.shard)
                    self.identified.set()
        finally:
            if connection in self.connections:
                self.connections.remove(connection)
        return ws

    def guild(self, guild_id: int = GUILD_ID) -> dict:
        channel = {
            "type": 0,
            "position": 0,
            "permission_overwrites": [],
            "guild_id": str(GUILD_ID),
            "nsfw": False,
            "parent_id": None,
        }
        names = ["general", "papers"]
        return {
            "id": str(guild_id),
            "name": "Lab",
            "owner_id": ALICE["id"],
            "unavailable": False,
            "large": False,
            "member_count": 3,
            "roles": [
                {
                    "id": str(guild_id),
                    "name": "@everyone",
                    "permissions": "1071698660929",
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                },
                {
                    "id": str(ROLE_ID),
                    "name": "students",
                    "permissions": "0",
                    "position": 1,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": True,
                    "flags": 0,
                },
            ],
            "channels": [
                dict(
                    channel,
                    id=str(cid),
                    name=names[n % 2] if guild_id == GUILD_ID else "digest",
                    position=n,
                    guild_id=str(guild_id),
                )
                for n, cid in enumerate(self.guild_channels[guild_id])
            ],
            "members": [{"user": BOT_USER, "roles": [], "joined_at": _timestamp(), "deaf": False, "mute": False, "flags": 0}],
            "emojis": [],
            "stickers": [],
            "features": [],
            "threads": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "joined_at": _timestamp(),
        }

    async def _send_event(self, name: str, data: dict, ws: web.WebSocketResponse | None = None) -> None:
        """Send an event on ``ws``, else on the newest session serving the event's guild (the newest session)."""
        self.seq += 1
        if ws is None:
            guild = int(data["guild_id"]) if "guild_id" in data else None
            serving = [c.ws for c in self.connections if guild is None or c.serves(guild)]
            ws = serving[-1] if serving else self.ws
        assert ws is not None
        await ws.send_json({"op": 0, "t": name, "s": self.seq, "d": data})

    def dispatch(self, name: str, data: dict) -> None:
        asyncio.run_coroutine_threadsafe(self._send_event(name, data), self.loop).result(5)

    def dm_channel(self, user_id: str) -> dict:
        """The DM channel with a user (POST /users/@me/channels): Alice's is DM_CHANNEL_ID, each other user has their own."""
        user = next((u for u in (ALICE, BOB) if u["id"] == user_id), {**BOB, "id": user_id, "username": f"user{user_id}"})
        channel_id = str(DM_CHANNEL_ID) if user_id == ALICE["id"] else str(DM_CHANNEL_ID + 1 + int(user_id) % 1_000_000)
        self.dm_channels[channel_id] = user_id
        return {"id": channel_id, "type": 1, "recipients": [user]}

    # --- what tests send -----------------------------------------------------------------
    def message(
        self,
        content: str,
        author: dict = ALICE,
        channel_id: int = CHANNEL_ID,
        mentions: list[dict] | None = None,
        dm: bool = False,
        mention_roles: list[str] | None = None,
    ) -> str:
        mid = str(next(self.ids))
        data: dict[str, Any] = {
            "id": mid,
            "channel_id": str(DM_CHANNEL_ID if dm else channel_id),
            "author": author,
            "content": content,
            "timestamp": _timestamp(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": "@everyone" in content,
            "mentions": mentions or [],
            "mention_roles": mention_roles or [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
            "components": [],
        }
        if not dm:
            data["guild_id"] = str(GUILD_ID)
            data["member"] = {"roles": [], "joined_at": _timestamp(), "deaf": False, "mute": False, "flags": 0}
        self.dispatch("MESSAGE_CREATE", data)
        return mid

    def interaction(
        self,
        kind: int,
        data: dict,
        user: dict = ALICE,
        message: dict | None = None,
        channel_id: int = CHANNEL_ID,
        guild_id: int = GUILD_ID,
    ) -> str:
        iid = str(next(self.ids))
        token = f"itoken-{iid}"
        self.interactions[token] = {
            "created": time.monotonic(),
            "acked": False,
            "id": iid,
            "message": None,
            "user": user,
            "clicked": message,
        }
        payload: dict[str, Any] = {
            "id": iid,
            "application_id": str(APP_ID),
            "type": kind,
            "data": data,
            "guild_id": str(guild_id),
            "channel_id": str(channel_id),
            "channel": {"id": str(channel_id), "type": 0, "guild_id": str(guild_id), "name": "general"},
            "member": {
                "user": user,
                "roles": [],
                "permissions": str(PERMISSIONS.get(user["id"], EVERYDAY)),
                "joined_at": _timestamp(),
                "deaf": False,
                "mute": False,
                "flags": 0,
            },
            "token": token,
            "version": 1,
            "locale": "en-US",
            "guild_locale": "en-US",
            "app_permissions": "1071698660929",
            "attachment_size_limit": 8388608,
            "entitlements": [],
            "authorizing_integration_owners": {},
            "context": 0,
        }
        if message is not None:
            payload["message"] = message
        self.dispatch("INTERACTION_CREATE", payload)
        return token

    def command(self, name: str, user: dict = ALICE, **options: Any) -> str:
        registered = {c["name"]: c for c in self.commands.get(str(GUILD_ID), []) + self.commands.get("global", [])}
        spec = registered[name]
        types = {o["name"]: o["type"] for o in spec.get("options", [])}
        opts = [{"name": k, "type": types[k], "value": v} for k, v in options.items()]
        return self.interaction(2, {"id": spec["id"], "name": name, "type": 1, "options": opts}, user)

    def command_in_group(
        self, group: str, name: str, user: dict = ALICE, channel_id: int = CHANNEL_ID, guild_id: int = GUILD_ID, **options: Any
    ) -> str:
        """A subcommand such as /digest subscribe, in a given channel of a given guild."""
        registered = {c["name"]: c for c in self.commands.get(str(guild_id), []) + self.commands.get("global", [])}
        spec = registered[group]
        sub = next(o for o in spec["options"] if o["name"] == name)
        types = {o["name"]: o["type"] for o in sub.get("options", [])}
        opts = [{"name": k, "type": types[k], "value": v} for k, v in options.items()]
        data = {"id": spec["id"], "name": group, "type": 1, "options": [{"name": name, "type": 1, "options": opts}]}
        return self.interaction(2, data, user, channel_id=channel_id, guild_id=guild_id)

    def autocomplete(self, name: str, option: str, typed: str) -> str:
        registered = {c["name"]: c for c in self.commands.get(str(GUILD_ID), [])}
        spec = registered[name]
        types = {o["name"]: o["type"] for o in spec.get("options", [])}
        opts = [{"name": option, "type": types[option], "value": typed, "focused": True}]
        return self.interaction(4, {"id": spec["id"], "name": name, "type": 1, "options": opts})

    def click(self, message: dict, custom_id: str, user: dict = ALICE) -> str:
        return self.interaction(3, {"custom_id": custom_id, "component_type": 2}, user, message=message)

    # --- what tests read -----------------------------------------------------------------
    def wait_for(self, predicate: Callable[[Recorded], bool], timeout: float = 10.0, after: int = 0) -> Recorded:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                for rec in self.requests[after:]:
                    if predicate(rec):
                        return rec
            time.sleep(0.02)
        raise AssertionError(
            f"no matching request within {timeout} s; saw: {[(r.method, r.path, r.status) for r in self.requests[after:]]}"
        )

    def sent_to(self, token_or_channel: str) -> Callable[[Recorded], bool]:
        return lambda r: r.method in ("POST", "PATCH") and token_or_channel in r.path and r.status < 300

    # --- REST ---------------------------------------------------------------------------
    async def _body(self, request: web.Request) -> Any:
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            body = json.loads(form["payload_json"]) if "payload_json" in form else {}
            body["_files"] = [k for k in form if k.startswith("files[")]
            return body
        raw = await request.read()
        return json.loads(raw) if raw else None

    def _message(self, channel_id: str, body: dict) -> dict:
        mid = str(next(self.ids))
        message = {
            "id": mid,
            "channel_id": channel_id,
            "author": BOT_USER,
            "content": body.get("content") or "",
            "timestamp": _timestamp(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "type": 0,
            "flags": body.get("flags", 0),
        }
        self.messages[mid] = message
        self.created.append(message)
        return message

    def _channel_message(self, channel_id: str, body: dict) -> dict:
        """POST /channels/{id}/messages, with Discord's nonce rule: the same nonce within the window returns the first message."""
        nonce = body.get("nonce")
        if body.get("enforce_nonce") and nonce is not None:
            seen = self.nonces.get((channel_id, str(nonce)))
            if seen is not None and time.monotonic() - seen[0] <= self.nonce_window:
                return seen[1]
        message = self._message(channel_id, body)
        if nonce is not None:
            message["nonce"] = nonce
            self.nonces[(channel_id, str(nonce))] = (time.monotonic(), message)
        if self.on_post:
            self.on_post("created", body)
        return message

    async def rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body = await self._body(request)
        rec = Recorded(request.method, path, body)
        with self._lock:
            self.requests.append(rec)
        if request.headers.get("Authorization") != f"Bot {TOKEN}" and not path.startswith(("/interactions/", "/webhooks/")):
            rec.status = 401
            return _json({"message": "401: Unauthorized", "code": 0}, 401)
        parts = path.strip("/").split("/")
        if request.method == "POST" and len(parts) == 3 and parts[0] == "channels" and parts[2] == "messages":
            seconds = self.delay.get(parts[1])
            if seconds:
                self.held.append((parts[1], body))
                # created after the wait even when the sender is gone (Discord received the request whole)
                return await asyncio.shield(self._respond(rec, request.method, path, body, seconds))
        if any(path.startswith(prefix) for prefix in self.forbid) and request.method in ("POST", "PUT"):
            rec.status = 403
            return _json({"message": "Missing Permissions", "code": 50013}, 403)
        for prefix, count in list(self.fail_next.items()):
            if count and path.startswith(prefix) and request.method == "POST":
                self.fail_next[prefix] = count - 1
                rec.status = 429
                headers = {
                    "X-RateLimit-Limit": "5",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset-After": "0.3",
                    "X-RateLimit-Bucket": "b",
                    "Via": "1.1 google",
                }  # without Via discord.py takes a 429 for a Cloudflare ban
                return _json({"message": "You are being rate limited.", "retry_after": 0.3, "global": False}, 429, headers)
        return await self._respond(rec, request.method, path, body)

    async def _respond(self, rec: Recorded, method: str, path: str, body: Any, wait: float = 0.0) -> web.Response:
        if wait:
            await asyncio.sleep(wait)
        status, data = self.route(method, path, body)
        rec.status = status
        if data is None:
            return web.Response(status=204)
        return _json(data, status)

    def route(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        parts = path.strip("/").split("/")
        if path == "/users/@me":
            return 200, BOT_USER
        if path == "/gateway/bot":
            limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
            return 200, {"url": self.gateway_url, "shards": self.shard_count, "session_start_limit": limit}
        if path == "/oauth2/applications/@me":
            return 200, {
                "id": str(APP_ID),
                "name": "paperbot",
                "description": "",
                "icon": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": ALICE,
                "verify_key": "k",
                "flags": 0,
                "team": None,
            }
        if parts[0] == "applications" and parts[-1] == "commands" and method == "PUT":
            scope = parts[3] if "guilds" in parts else "global"
            registered = [dict(c, id=str(next(self.ids)), application_id=str(APP_ID), version="1") for c in body]
            self.commands[scope] = registered
            return 200, registered
        if parts[0] == "channels" and parts[-1] == "messages" and method == "POST":
            if self.dm_channels.get(parts[1]) in self.closed_dms:
                return 403, {"message": "Cannot send messages to this user", "code": 50007}
            if self.on_post and self.on_post("arrived", body):
                return 503, {
                    "message": "the sender died before this request was sent",
                    "code": 0,
                }  # a test's kill: never delivered
            return 200, self._channel_message(parts[1], body)
        if parts[0] == "channels" and len(parts) == 4 and method == "PATCH":
            message = self.messages.get(parts[3], self._message(parts[1], {}))
            message.update({k: v for k, v in (body or {}).items() if k in ("content", "embeds", "components")})
            return 200, message
        if parts[0] == "users" and parts[-1] == "channels":
            return 200, self.dm_channel(str((body or {}).get("recipient_id", ALICE["id"])))
        if parts[0] == "interactions":
            token = parts[2]
            state = self.interactions.get(token)
            if state is None or time.monotonic() - state["created"] > 3.0:
                return 404, {"message": "Unknown interaction", "code": 10062}
            if state["acked"]:
                return 400, {"message": "Interaction has already been acknowledged.", "code": 40060}
            state["acked"] = True
            kind = body.get("type")
            data = body.get("data") or {}
            message = None
            if kind in (4, 5):
                message = self._message(str(CHANNEL_ID), data)
                message["interaction_metadata"] = {"id": state["id"], "type": 2, "user": state["user"]}
                state["message"] = message
            elif kind == 7 and state["clicked"] is not None:
                message = state["clicked"]
                message.update({k: v for k, v in data.items() if k in ("content", "embeds", "components")})
            response = {
                "interaction": {
                    "id": state["id"],
                    "type": 2,
                    "response_message_id": message["id"] if message else None,
                    "response_message_loading": kind == 5,
                    "response_message_ephemeral": bool(data.get("flags", 0) & 64),
                }
            }
            if message:
                response["resource"] = {"type": kind, "message": message}
            return 200, response
        if parts[0] == "webhooks":
            token = parts[2]
            state = self.interactions.get(token)
            if state is None or not state["acked"]:
                return 404, {"message": "Unknown Webhook", "code": 10015}
            if method == "POST":
                return 200, self._message(str(CHANNEL_ID), body)
            if method == "PATCH":
                message = state["message"] or self._message(str(CHANNEL_ID), {})
                message.update({k: v for k, v in (body or {}).items() if k in ("content", "embeds", "components")})
                return 200, message
            if method == "GET":
                return 200, state["message"]
        if parts[0] == "channels" and parts[-1] == "typing":
            return 204, None
        return 404, {"message": f"fake Discord has no route {method} {path}", "code": 0}


def launch_bot(server: FakeDiscord, config: Path, log: Path, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start the unmodified ``paperbot run`` against the fake server and wait until it has synced its commands."""
    start = len(server.requests)
    proc = spawn_bot(server, config, log, extra_env)
    wait_ready(server, proc, log, start)
    return proc


def spawn_bot(
    server: FakeDiscord, config: Path, log: Path, extra_env: dict[str, str] | None = None, args: tuple[str, ...] = ()
) -> subprocess.Popen:
    """Start ``paperbot run [args]`` against the fake server without waiting (a test that may kill it early
    needs the process at once)."""
    env = dict(
        os.environ,
        DISCORD_TOKEN=TOKEN,
        DISCORD_API_BASE=server.api_base,
        DISCORD_GATEWAY_URL=server.gateway_url,
        **(extra_env or {}),
    )
    server.identified.clear()
    with log.open("a") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--config", str(config), *args],
            cwd=config.parent,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def wait_ready(server: FakeDiscord, proc: subprocess.Popen, log: Path, start: int) -> None:
    """Wait until a spawned bot has identified and logged in (requests from index ``start`` on)."""
    if not server.identified.wait(30):
        proc.kill()
        raise AssertionError("the bot never identified on the gateway: " + log.read_text()[-2000:])
    server.wait_for(lambda r: r.path == "/oauth2/applications/@me", timeout=30, after=start)
    time.sleep(2.5)  # on_ready after the guild-ready timeout, as on Discord


def stop_bot(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)

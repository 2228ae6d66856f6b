"""A loopback Discord REST API host that discord.py's real HTTP client talks to.

    async with FakeDiscord() as server, server.patch_base():
        http = discord.http.HTTPClient(asyncio.get_running_loop())
        await http.static_login(TOKEN)               # GET /users/@me
        await http.send_message(CHANNEL_ID, params=...)

discord.py builds every REST URL (the bot's and the webhooks' alike) from the class attribute
`discord.http.Route.BASE` when a `Route` is made. `server.patch_base()` points it at
`{server.base_url}/api/v10` and restores it on exit, so `HTTPClient`, `discord.Client.login`
(without the gateway), `PartialMessageable.send`, `app_commands.CommandTree.sync` and
`discord.Webhook.from_url(WebhookInfo.url, session=...)` all talk to this server unchanged.
It is a process-wide setting: one patched server at a time.

Routes under `/api/v9` and `/api/v10`: the bot user, channels, guilds, members and roles (with
the permissions `set_permissions` gives), message create/edit/delete (JSON or multipart with
`payload_json` and files), typing, application info, bulk overwrite of application commands,
interaction callbacks, webhook execute and webhook message edits. Anything else answers 404
`{"message": "404: Not Found", "code": 0}` (405 for a known path with another method).

What it emulates of the real service:
- the limits of a message (content 2000 characters, 10 embeds, the per-field embed limits and
  6000 characters per embed and per message), answered 400 "Invalid Form Body" (50035) with
  Discord's nested `errors`; an empty message answers 50006; uploads over 10 MiB answer 413;
- the bot's permissions in the channel's guild: without View Channel a send answers 403 Missing
  Access (50001), without Send Messages (or Attach Files, Embed Links for files and embeds) 403
  Missing Permissions (50013);
- rate-limit headers on every answer (`X-RateLimit-*`, never exhausted) and the 429 shape
  discord.py retries on (it needs the `Via` header Cloudflare adds, or it takes a 429 for a ban);
- scripted failures (`fail`), forbidden and unknown channels (`forbid`, `unknown`), unknown
  webhooks and bad webhook tokens, interactions answered twice (40060), a wrong bot token (401).

Not emulated: the gateway (no websocket), real rate limiting (`fail(..., status=429)` scripts
it), channel permission overwrites, mentions, threads, DMs, stickers and polls.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import mimetypes
import re
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import discord
from aiohttp import BodyPartReader, web
from discord.http import Route

from tests.servers.loopback import LoopbackServer
from tests.servers.openai import RecordedHeaders

DISCORD_EPOCH_MS = 1_420_070_400_000

BOT_ID = 1_180_000_000_000_000_001
"""The bot user's id, and the application's (as for every application made since 2020)."""
OWNER_ID = 1_180_000_000_000_000_002
GUILD_ID = 1_180_000_000_000_000_100
CHANNEL_ID = 1_180_000_000_000_000_200
"""The channel every unknown channel id defaults to belonging to `GUILD_ID`; any id works."""

TOKEN = (
    base64.b64encode(str(BOT_ID).encode()).decode().rstrip("=")
    + ".GFake0.LoopbackDiscordTokenForTheTests_0123456"
)
"""A token in Discord's shape: the bot id in base64, a timestamp part and an HMAC part."""

MAX_CONTENT_LENGTH = 2000
MAX_EMBEDS = 10
MAX_EMBED_TITLE = 256
MAX_EMBED_DESCRIPTION = 4096
MAX_EMBED_FIELDS = 25
MAX_FIELD_NAME = 256
MAX_FIELD_VALUE = 1024
MAX_FOOTER_TEXT = 2048
MAX_AUTHOR_NAME = 256
MAX_EMBED_TOTAL = 6000  # per embed, and across the embeds of one message
MAX_FILES = 10
MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # the default upload limit (a guild without boosts)
MAX_COMMAND_NAME = 32
MAX_COMMAND_DESCRIPTION = 100
MAX_COMMANDS = 100

ADMINISTRATOR = discord.Permissions(administrator=True).value
VIEW_CHANNEL = discord.Permissions(view_channel=True).value
SEND_MESSAGES = discord.Permissions(send_messages=True).value
EMBED_LINKS = discord.Permissions(embed_links=True).value
ATTACH_FILES = discord.Permissions(attach_files=True).value
ALL_PERMISSIONS = discord.Permissions.all().value
DEFAULT_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    add_reactions=True,
    use_external_emojis=True,
    use_application_commands=True,
).value
"""What a member has unless `set_permissions` says otherwise (through the "Members" role)."""

_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
_TRUE = frozenset({"1", "true", "True"})

# The routes whose successful answers are delivered messages (`FakeDiscord.messages`).
MESSAGE_ROUTES = frozenset(
    {"POST /channels/{channel_id}/messages", "POST /webhooks/{webhook_id}/{webhook_token}"}
)
# Routes that take no bot token (a webhook's or an interaction's token is in the path).
_TOKENLESS_PREFIXES = ("/webhooks/", "/interactions/")

_CALLBACK_TYPES = frozenset({1, 4, 5, 6, 7, 8, 9, 10, 12})


# --- Records ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiscordCall:
    """One request as the server saw it, and what it answered.

    `path` is relative to the API base ("/channels/1/messages"); `route` the matched template
    with its method ("POST /channels/{channel_id}/messages"), empty for an unknown route.
    `body` is the JSON body, or a multipart's `payload_json` decoded; `files` the uploaded
    contents by filename. `channel_id` is the channel the call was about (a webhook's channel
    for a webhook execute). `response` is the JSON answered (None for a 204).
    """

    method: str
    path: str
    route: str
    status: int
    body: Any = None
    files: dict[str, bytes] = field(default_factory=dict)
    headers: RecordedHeaders = field(default_factory=lambda: RecordedHeaders({}))
    query: dict[str, str] = field(default_factory=dict)
    channel_id: int | None = None
    response: Any = None
    at: float = 0.0

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def content(self) -> str | None:
        value = self.body.get("content") if isinstance(self.body, dict) else None
        return value if isinstance(value, str) else None

    @property
    def embeds(self) -> list[dict[str, Any]]:
        value = self.body.get("embeds") if isinstance(self.body, dict) else None
        return [embed for embed in value if isinstance(embed, dict)] if value else []

    @property
    def error_code(self) -> int | None:
        """Discord's JSON error code of an error answer."""
        if self.ok or not isinstance(self.response, dict):
            return None
        code = self.response.get("code")
        return code if isinstance(code, int) else None


@dataclass(frozen=True)
class ScriptedFailure:
    """An error answered to the next `times` calls that `spec` matches (see `FakeDiscord.fail`)."""

    spec: str
    status: int
    message: str | None = None  # None: Discord's usual one for the status (and route)
    code: int | None = None
    retry_after: float | None = None
    channel_id: int | None = None
    times: int = 1
    is_global: bool = False


@dataclass(frozen=True)
class ChannelInfo:
    id: int
    guild_id: int = GUILD_ID
    name: str | None = None
    type: int = 0  # GUILD_TEXT

    def to_api(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name or f"channel-{self.id}",
            "position": 0,
            "permission_overwrites": [],
            "parent_id": None,
            "topic": None,
            "nsfw": False,
            "rate_limit_per_user": 0,
            "last_message_id": None,
            "flags": 0,
        }


@dataclass(frozen=True)
class WebhookInfo:
    """A channel webhook; `url` is what `discord.Webhook.from_url` accepts (with `patch_base`)."""

    id: int
    token: str
    channel_id: int
    guild_id: int
    name: str = "aiprogress"

    @property
    def url(self) -> str:
        return f"https://discord.com/api/webhooks/{self.id}/{self.token}"


# --- Discord's error bodies and limits --------------------------------------------------------


def error_body(message: str, code: int = 0, errors: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"message": message, "code": code}
    if errors:
        body["errors"] = errors
    return body


def _add_error(
    errors: dict[str, Any], path: tuple[str | int, ...], code: str, message: str
) -> None:
    node = errors
    for key in path:
        node = node.setdefault(str(key), {})
    node.setdefault("_errors", []).append({"code": code, "message": message})


def _too_long(errors: dict[str, Any], path: tuple[str | int, ...], limit: int) -> None:
    _add_error(errors, path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def embed_size(embed: Mapping[str, Any]) -> int:
    """The characters Discord counts against 6000: title, description, fields, footer, author."""
    size = len(_text(embed.get("title"))) + len(_text(embed.get("description")))
    for item in embed.get("fields") or []:
        if isinstance(item, dict):
            size += len(_text(item.get("name"))) + len(_text(item.get("value")))
    footer, author = embed.get("footer"), embed.get("author")
    if isinstance(footer, dict):
        size += len(_text(footer.get("text")))
    if isinstance(author, dict):
        size += len(_text(author.get("name")))
    return size


def message_form_errors(body: Mapping[str, Any]) -> dict[str, Any]:
    """Discord's `errors` object for a message body past the limits (empty when it is valid)."""
    errors: dict[str, Any] = {}
    content = body.get("content")
    if content is not None and not isinstance(content, str):
        _add_error(errors, ("content",), "BASE_TYPE_STRING", "Must be a string.")
    elif isinstance(content, str) and len(content) > MAX_CONTENT_LENGTH:
        _too_long(errors, ("content",), MAX_CONTENT_LENGTH)
    embeds = body.get("embeds") or []
    if not isinstance(embeds, list):
        _add_error(errors, ("embeds",), "BASE_TYPE_ARRAY", "Must be an array.")
        return errors
    if len(embeds) > MAX_EMBEDS:
        _too_long(errors, ("embeds",), MAX_EMBEDS)
    total = 0
    oversized = False
    for i, embed in enumerate(embeds):
        if not isinstance(embed, dict):
            _add_error(
                errors, ("embeds", i), "MODEL_TYPE_CONVERT", "Only dictionaries may be used."
            )
            continue
        for key, limit in (("title", MAX_EMBED_TITLE), ("description", MAX_EMBED_DESCRIPTION)):
            if len(_text(embed.get(key))) > limit:
                _too_long(errors, ("embeds", i, key), limit)
        fields = embed.get("fields") or []
        if len(fields) > MAX_EMBED_FIELDS:
            _too_long(errors, ("embeds", i, "fields"), MAX_EMBED_FIELDS)
        for j, item in enumerate(fields):
            for key, limit in (("name", MAX_FIELD_NAME), ("value", MAX_FIELD_VALUE)):
                value = item.get(key) if isinstance(item, dict) else None
                if not isinstance(value, str) or not value:
                    path = ("embeds", i, "fields", j, key)
                    _add_error(errors, path, "BASE_TYPE_REQUIRED", "This field is required")
                elif len(value) > limit:
                    _too_long(errors, ("embeds", i, "fields", j, key), limit)
        for key, sub, limit in (
            ("footer", "text", MAX_FOOTER_TEXT),
            ("author", "name", MAX_AUTHOR_NAME),
        ):
            part = embed.get(key)
            if isinstance(part, dict) and len(_text(part.get(sub))) > limit:
                _too_long(errors, ("embeds", i, key, sub), limit)
        size = embed_size(embed)
        total += size
        if size > MAX_EMBED_TOTAL:
            oversized = True
            _add_error(
                errors,
                ("embeds", i),
                "MAX_EMBED_SIZE_EXCEEDED",
                f"Embed size exceeds maximum size of {MAX_EMBED_TOTAL}",
            )
    if total > MAX_EMBED_TOTAL and not oversized:
        _add_error(
            errors,
            ("embeds",),
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {MAX_EMBED_TOTAL}",
        )
    return errors


def _is_empty_message(body: Mapping[str, Any], files: int) -> bool:
    keys = ("content", "embeds", "sticker_ids", "components", "poll")
    return files == 0 and not any(body.get(key) for key in keys)


def _bucket(route: str) -> str:
    """An opaque bucket hash per route, like Discord's."""
    return hashlib.sha256(route.encode()).hexdigest()[:32]


def _iso(snowflake: int) -> str:
    ms = (snowflake >> 22) + DISCORD_EPOCH_MS
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="microseconds")


def _compile(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    pattern = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts)
    )
    return re.compile(pattern)


# --- Requests and answers ---------------------------------------------------------------------


class _Reject(Exception):
    """An error answer to send back."""

    def __init__(
        self, status: int, body: dict[str, Any], headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(body.get("message"))
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


def _invalid_form(errors: dict[str, Any]) -> _Reject:
    return _Reject(400, error_body("Invalid Form Body", 50035, errors))


@dataclass(frozen=True)
class _Upload:
    field: str
    filename: str
    data: bytes


@dataclass
class _Incoming:
    method: str
    path: str
    route: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    uploads: list[_Upload]
    headers: RecordedHeaders
    channel_id: int | None = None

    @property
    def form(self) -> dict[str, Any]:
        return self.body if isinstance(self.body, dict) else {}

    def snowflake(self, name: str) -> int:
        value = self.params[name]
        if not value.isdigit():
            errors: dict[str, Any] = {}
            _add_error(errors, (name,), "NUMBER_TYPE_COERCE", f'Value "{value}" is not snowflake.')
            raise _invalid_form(errors)
        return int(value)


@dataclass(frozen=True)
class _Answer:
    status: int
    body: Any = None


Handler = Callable[[_Incoming], _Answer]


class BasePatch:
    """Sets `discord.http.Route.BASE` on entry and restores the previous value on exit."""

    def __init__(self, api_base: Callable[[int], str]) -> None:
        self._api_base = api_base
        self._previous: list[str] = []

    def __enter__(self) -> str:
        previous = Route.BASE
        match = re.search(r"/api/v(\d+)$", previous)
        self._previous.append(previous)
        Route.BASE = self._api_base(int(match.group(1)) if match else 10)
        return Route.BASE

    def __exit__(self, *exc_info: object) -> None:
        Route.BASE = self._previous.pop()

    async def __aenter__(self) -> str:
        return self.__enter__()

    async def __aexit__(self, *exc_info: object) -> None:
        self.__exit__()


# --- The server -------------------------------------------------------------------------------


class FakeDiscord(LoopbackServer):
    """The Discord REST API on 127.0.0.1, a random port; `async with FakeDiscord() as server:`.

    `token`, when given, is the only bot token accepted (others answer 401); by default any
    `Authorization: Bot ...` header is. `ratelimit_limit` is the `X-RateLimit-Limit` of normal
    answers (their remaining count is always one less). `default_channel_id` is the channel of
    interaction responses and follow-ups (they name no channel).
    """

    def __init__(
        self,
        *,
        token: str | None = None,
        bot_id: int = BOT_ID,
        bot_name: str = "aiprogress-test",
        application_id: int | None = None,
        owner_id: int = OWNER_ID,
        default_guild_id: int = GUILD_ID,
        default_channel_id: int = CHANNEL_ID,
        ratelimit_limit: int = 50,
    ) -> None:
        self.token = token
        self.bot_id = bot_id
        self.bot_name = bot_name
        self.application_id = application_id if application_id is not None else bot_id
        self.owner_id = owner_id
        self.default_guild_id = default_guild_id
        self.default_channel_id = default_channel_id
        self.ratelimit_limit = ratelimit_limit

        self.requests: list[DiscordCall] = []

        self._lock = threading.RLock()
        self._failures: list[ScriptedFailure] = []
        self._forbidden: set[int] = set()
        self._forbidden_codes: dict[int, int] = {}
        self._unknown: set[int] = set()
        self._channels: dict[int, ChannelInfo] = {}
        self._webhooks: dict[int, WebhookInfo] = {}
        self._member_roles: dict[int, int] = {}  # guild -> the "Members" role's id
        self._custom_roles: dict[tuple[int, int], tuple[int, int]] = {}  # -> (role id, perms)
        self._messages: dict[int, dict[str, Any]] = {}
        self._attachments: dict[int, bytes] = {}
        self._commands: dict[int | None, list[dict[str, Any]]] = {}  # guild (None: global)
        self._command_ids: dict[tuple[int | None, int, str], int] = {}
        self._answered_interactions: set[int] = set()
        self._originals: dict[str, int] = {}  # interaction token -> original response id
        self._last_id = 0
        self._routes = self._route_table()

    # Addresses

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def api_base(self, version: int = 10) -> str:
        return f"{self.base_url}/api/v{version}"

    def patch_base(self) -> BasePatch:
        """Point discord.py's `Route.BASE` here (same API version) until the block exits.

        Works as `with` and as `async with` (`async with FakeDiscord() as s, s.patch_base():`).
        """
        return BasePatch(self.api_base)

    # Set-up

    def add_channel(
        self, channel_id: int, *, guild_id: int | None = None, name: str | None = None
    ) -> ChannelInfo:
        """Describe a text channel (any other id is a text channel of `default_guild_id`)."""
        channel = ChannelInfo(channel_id, guild_id or self.default_guild_id, name)
        with self._lock:
            self._channels[channel_id] = channel
        return channel

    def add_webhook(
        self, channel_id: int | None = None, *, name: str = "aiprogress"
    ) -> WebhookInfo:
        """A channel webhook; execute it through `discord.Webhook.from_url(webhook.url, ...)`."""
        with self._lock:
            channel = self._channel(channel_id or self.default_channel_id)
            webhook = WebhookInfo(
                id=self._next_id(),
                token=secrets.token_urlsafe(51),  # 68 characters, like Discord's
                channel_id=channel.id,
                guild_id=channel.guild_id,
                name=name,
            )
            self._webhooks[webhook.id] = webhook
        return webhook

    def remove_webhook(self, webhook_id: int) -> None:
        """Executing the webhook answers 404 Unknown Webhook from now on."""
        with self._lock:
            self._webhooks.pop(webhook_id, None)

    def set_permissions(self, guild_id: int, user_id: int, permissions: int) -> None:
        """Give the member exactly `permissions` in the guild (through a role of its own).

        `@everyone` has no permissions here; a member without this has `DEFAULT_PERMISSIONS`
        through the guild's "Members" role. The bot's permissions are enforced on sends.
        """
        with self._lock:
            role_id = self._custom_roles.get((guild_id, user_id), (0, 0))[0] or self._next_id()
            self._custom_roles[(guild_id, user_id)] = (role_id, permissions)

    def permissions_of(self, guild_id: int, user_id: int) -> int:
        """The member's guild permissions as Discord computes them (owner and admin get all)."""
        with self._lock:
            return self._permissions(guild_id, user_id)

    def fail(
        self,
        spec: str,
        *,
        status: int,
        times: int = 1,
        retry_after: float | None = None,
        code: int | None = None,
        message: str | None = None,
        channel_id: int | None = None,
        is_global: bool = False,
    ) -> None:
        """Answer the next `times` calls that `spec` matches with an error.

        `spec` is an HTTP method ("POST") or a substring of "METHOD /path" or of the route
        template ("/messages", "POST /channels/{channel_id}/messages"); with `channel_id` only
        calls about that channel match. A 429 answers `{"message": "You are being rate
        limited.", "retry_after": 0.5, "global": false}` with Retry-After and exhausted
        X-RateLimit-* headers; 403 defaults to Missing Access (50001), 404 to Unknown Channel
        (10003; Unknown Webhook, 10015, on webhook routes).
        """
        if status == 429 and retry_after is None:
            retry_after = 0.5
        failure = ScriptedFailure(
            spec=spec,
            status=status,
            message=message,
            code=code,
            retry_after=retry_after,
            channel_id=channel_id,
            times=times,
            is_global=is_global,
        )
        with self._lock:
            self._failures.append(failure)

    def forbid(self, channel_id: int, *, code: int = 50001) -> None:
        """Every call about the channel answers 403 Missing Access (or 50013 Missing Permissions)."""
        with self._lock:
            self._forbidden.add(channel_id)
            self._forbidden_codes[channel_id] = code

    def unknown(self, channel_id: int) -> None:
        """Every call about the channel answers 404 Unknown Channel (10003)."""
        with self._lock:
            self._unknown.add(channel_id)

    def restore(self, channel_id: int) -> None:
        """Undo `forbid` and `unknown` for the channel."""
        with self._lock:
            self._forbidden.discard(channel_id)
            self._unknown.discard(channel_id)

    def reset(self) -> None:
        """Forget the requests, the scripted failures and the forbidden and unknown channels."""
        with self._lock:
            self.requests.clear()
            self._failures.clear()
            self._forbidden.clear()
            self._unknown.clear()

    # Results

    def calls_to(self, spec: str) -> list[DiscordCall]:
        """The recorded calls `spec` matches, as in `fail` ("PUT", "/commands", a template)."""
        with self._lock:
            calls = list(self.requests)
        return [call for call in calls if _matches(spec, call.method, call.path, call.route)]

    def messages(self, channel_id: int | None = None) -> list[DiscordCall]:
        """Message creations (channel sends and webhook executes) answered 2xx."""
        with self._lock:
            calls = list(self.requests)
        return [
            call
            for call in calls
            if call.ok
            and call.route in MESSAGE_ROUTES
            and (channel_id is None or call.channel_id == channel_id)
        ]

    def app_commands(self, guild_id: int | None = None) -> list[dict[str, Any]]:
        """The application commands last overwritten (globally, or in the guild)."""
        with self._lock:
            return [dict(command) for command in self._commands.get(guild_id, [])]

    def message(self, message_id: int) -> dict[str, Any] | None:
        """A stored message (as last edited), by id."""
        with self._lock:
            stored = self._messages.get(message_id)
            return dict(stored) if stored is not None else None

    async def wait_for_messages(
        self,
        n: int,
        timeout: float = 5.0,  # noqa: ASYNC109
        channel_id: int | None = None,
    ) -> list[DiscordCall]:
        """Wait until at least `n` messages were delivered; returns them."""
        return await self._wait_for_sent(n, lambda: self.messages(channel_id), timeout)

    def wait_until_messages(
        self, n: int, timeout: float = 5.0, channel_id: int | None = None
    ) -> list[DiscordCall]:
        """`wait_for_messages` for synchronous code (with the server `in_thread`)."""
        return self._wait_until_sent(n, lambda: self.messages(channel_id), timeout)

    def _summary(self) -> str:
        with self._lock:
            calls = [f"{call.method} {call.path}:{call.status}" for call in self.requests]
        return ", ".join(calls) or "none"

    # State helpers (called with the lock held)

    def _next_id(self) -> int:
        """A snowflake of now, strictly greater than every one made before."""
        candidate = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last_id = max(self._last_id + 1, candidate)
        return self._last_id

    def _channel(self, channel_id: int) -> ChannelInfo:
        channel = self._channels.get(channel_id)
        if channel is None:
            channel = ChannelInfo(channel_id, self.default_guild_id)
            self._channels[channel_id] = channel
        return channel

    def _checked_channel(self, channel_id: int) -> ChannelInfo:
        if channel_id in self._unknown:
            raise _Reject(404, error_body("Unknown Channel", 10003))
        if channel_id in self._forbidden:
            code = self._forbidden_codes.get(channel_id, 50001)
            message = "Missing Permissions" if code == 50013 else "Missing Access"
            raise _Reject(403, error_body(message, code))
        return self._channel(channel_id)

    def _members_role(self, guild_id: int) -> int:
        role_id = self._member_roles.get(guild_id)
        if role_id is None:
            role_id = self._member_roles[guild_id] = self._next_id()
        return role_id

    def _roles(self, guild_id: int) -> list[dict[str, Any]]:
        def role(role_id: int, name: str, permissions: int, position: int) -> dict[str, Any]:
            return {
                "id": str(role_id),
                "name": name,
                "color": 0,
                "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
                "hoist": False,
                "icon": None,
                "unicode_emoji": None,
                "position": position,
                "permissions": str(permissions),
                "managed": False,
                "mentionable": False,
                "flags": 0,
            }

        roles = [
            role(guild_id, "@everyone", 0, 0),
            role(self._members_role(guild_id), "Members", DEFAULT_PERMISSIONS, 1),
        ]
        for (guild, user_id), (role_id, permissions) in self._custom_roles.items():
            if guild == guild_id:
                roles.append(role(role_id, f"permissions of {user_id}", permissions, 2))
        return roles

    def _member_role_ids(self, guild_id: int, user_id: int) -> list[int]:
        custom = self._custom_roles.get((guild_id, user_id))
        return [custom[0]] if custom else [self._members_role(guild_id)]

    def _permissions(self, guild_id: int, user_id: int) -> int:
        if user_id == self.owner_id:
            return ALL_PERMISSIONS
        custom = self._custom_roles.get((guild_id, user_id))
        permissions = custom[1] if custom else DEFAULT_PERMISSIONS
        return ALL_PERMISSIONS if permissions & ADMINISTRATOR else permissions

    def _user(self, user_id: int) -> dict[str, Any]:
        if user_id == self.bot_id:
            return self._bot_user()
        return {
            "id": str(user_id),
            "username": f"user{user_id % 10_000}",
            "global_name": None,
            "discriminator": "0",
            "avatar": None,
            "public_flags": 0,
        }

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": str(self.bot_id),
            "username": self.bot_name,
            "global_name": None,
            "discriminator": "0",
            "avatar": None,
            "bot": True,
            "public_flags": 0,
            "flags": 0,
        }

    def _take_failure(self, incoming: _Incoming) -> ScriptedFailure | None:
        for index, failure in enumerate(self._failures):
            if not _matches(failure.spec, incoming.method, incoming.path, incoming.route):
                continue
            if failure.channel_id is not None and failure.channel_id != incoming.channel_id:
                continue
            if failure.times <= 1:
                del self._failures[index]
            else:
                self._failures[index] = replace(failure, times=failure.times - 1)
            return failure
        return None

    def _failure_reject(self, failure: ScriptedFailure, incoming: _Incoming) -> _Reject:
        if failure.status == 429:
            retry_after = failure.retry_after or 0.0
            body: dict[str, Any] = {
                "message": failure.message or "You are being rate limited.",
                "retry_after": retry_after,
                "global": failure.is_global,
            }
            if failure.code is not None:
                body["code"] = failure.code
            headers = {
                "Retry-After": str(max(1, math.ceil(retry_after))),
                "X-RateLimit-Limit": str(self.ratelimit_limit),
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
                "X-RateLimit-Reset-After": f"{retry_after:.3f}",
                "X-RateLimit-Bucket": _bucket(incoming.route),
                "X-RateLimit-Scope": "global" if failure.is_global else "user",
            }
            if failure.is_global:
                headers["X-RateLimit-Global"] = "true"
            return _Reject(429, body, headers)
        webhook = incoming.path.startswith("/webhooks/")
        default_message, default_code = {
            400: ("400: Bad Request", 0),
            401: ("401: Unauthorized", 0),
            403: ("Missing Access", 50001),
            404: ("Unknown Webhook", 10015) if webhook else ("Unknown Channel", 10003),
            405: ("405: Method Not Allowed", 0),
            500: ("500: Internal Server Error", 0),
            502: ("502: Bad Gateway", 0),
            503: ("503: Service Unavailable", 0),
        }.get(failure.status, (f"{failure.status}: Error", 0))
        message = failure.message or default_message
        code = failure.code if failure.code is not None else default_code
        return _Reject(failure.status, error_body(message, code))

    def _check_auth(self, incoming: _Incoming) -> None:
        if incoming.path.startswith(_TOKENLESS_PREFIXES):
            return
        authorization = incoming.headers.get("authorization", "")
        valid = (
            authorization == f"Bot {self.token}"
            if self.token is not None
            else authorization.startswith("Bot ") and len(authorization) > 4
        )
        if not valid:
            raise _Reject(401, error_body("401: Unauthorized"))

    def _store_attachments(
        self, channel_id: int, body: Mapping[str, Any], uploads: list[_Upload]
    ) -> list[dict[str, Any]]:
        described: dict[str, dict[str, Any]] = {}
        for item in body.get("attachments") or []:
            if isinstance(item, dict) and "id" in item:
                described[f"files[{item['id']}]"] = item
        attachments = []
        for upload in uploads:
            attachment_id = self._next_id()
            self._attachments[attachment_id] = upload.data
            url = (
                f"{self.base_url}/attachments/{channel_id}/{attachment_id}/{quote(upload.filename)}"
            )
            attachment: dict[str, Any] = {
                "id": str(attachment_id),
                "filename": upload.filename,
                "size": len(upload.data),
                "url": url,
                "proxy_url": url,
                "content_type": mimetypes.guess_type(upload.filename)[0]
                or "application/octet-stream",
            }
            description = described.get(upload.field, {}).get("description")
            if description:
                attachment["description"] = description
            attachments.append(attachment)
        return attachments

    def _new_message(
        self,
        channel_id: int,
        body: Mapping[str, Any],
        uploads: list[_Upload],
        author: dict[str, Any],
        *,
        webhook_id: int | None = None,
    ) -> dict[str, Any]:
        message_id = self._next_id()
        message: dict[str, Any] = {
            "id": str(message_id),
            "type": 0,
            "channel_id": str(channel_id),
            "author": author,
            "content": body.get("content") or "",
            "timestamp": _iso(message_id),
            "edited_timestamp": None,
            "tts": bool(body.get("tts", False)),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": self._store_attachments(channel_id, body, uploads),
            "embeds": [_rich(embed) for embed in body.get("embeds") or []],
            "pinned": False,
            "flags": int(body.get("flags") or 0),
            "components": body.get("components") or [],
        }
        if body.get("nonce") is not None:
            message["nonce"] = body["nonce"]
        reference = body.get("message_reference")
        if isinstance(reference, dict):
            message["message_reference"] = {"channel_id": str(channel_id), **reference}
        if webhook_id is not None:
            message["webhook_id"] = str(webhook_id)
            if webhook_id == self.application_id:
                message["application_id"] = str(self.application_id)
        self._messages[message_id] = message
        return message

    def _edit_message(
        self, message_id: int, body: Mapping[str, Any], uploads: list[_Upload]
    ) -> _Answer:
        stored = self._messages.get(message_id)
        if stored is None:
            raise _Reject(404, error_body("Unknown Message", 10008))
        _validate(body)
        if "content" in body:
            stored["content"] = body["content"] or ""
        if "components" in body:
            stored["components"] = body["components"] or []
        if "flags" in body:
            stored["flags"] = int(body["flags"] or 0)
        if "embeds" in body:
            stored["embeds"] = [_rich(embed) for embed in body["embeds"] or []]
        if uploads or "attachments" in body:
            kept_ids = {
                str(item["id"])
                for item in body.get("attachments") or []
                if isinstance(item, dict) and "id" in item
            }
            kept = [item for item in stored["attachments"] if item["id"] in kept_ids]
            channel_id = int(stored["channel_id"])
            stored["attachments"] = kept + self._store_attachments(channel_id, body, uploads)
        stored["edited_timestamp"] = datetime.now(UTC).isoformat(timespec="microseconds")
        return _Answer(200, dict(stored))

    def _check_send_permissions(self, channel: ChannelInfo, incoming: _Incoming) -> None:
        permissions = self._permissions(channel.guild_id, self.bot_id)
        if not permissions & VIEW_CHANNEL:
            raise _Reject(403, error_body("Missing Access", 50001))
        needed = SEND_MESSAGES
        if incoming.uploads:
            needed |= ATTACH_FILES
        if incoming.form.get("embeds"):
            needed |= EMBED_LINKS
        if permissions & needed != needed:
            raise _Reject(403, error_body("Missing Permissions", 50013))

    # Routes

    def _route_table(self) -> list[tuple[str, str, re.Pattern[str], Handler]]:
        table: list[tuple[str, str, Handler]] = [
            ("GET", "/users/@me", lambda _: _Answer(200, self._bot_user())),
            ("GET", "/users/{user_id}", lambda r: _Answer(200, self._user(r.snowflake("user_id")))),
            ("GET", "/channels/{channel_id}", self._get_channel),
            ("POST", "/channels/{channel_id}/messages", self._create_message),
            ("GET", "/channels/{channel_id}/messages/{message_id}", self._get_message),
            ("PATCH", "/channels/{channel_id}/messages/{message_id}", self._patch_message),
            ("DELETE", "/channels/{channel_id}/messages/{message_id}", self._delete_message),
            ("POST", "/channels/{channel_id}/typing", self._typing),
            ("GET", "/guilds/{guild_id}", self._get_guild),
            ("GET", "/guilds/{guild_id}/roles", self._get_roles),
            ("GET", "/guilds/{guild_id}/members/{user_id}", self._get_member),
            ("GET", "/applications/@me", self._application),
            ("GET", "/oauth2/applications/@me", self._application),
            ("GET", "/applications/{application_id}/commands", self._get_commands),
            ("PUT", "/applications/{application_id}/commands", self._put_commands),
            (
                "GET",
                "/applications/{application_id}/guilds/{guild_id}/commands",
                self._get_commands,
            ),
            (
                "PUT",
                "/applications/{application_id}/guilds/{guild_id}/commands",
                self._put_commands,
            ),
            (
                "POST",
                "/interactions/{interaction_id}/{interaction_token}/callback",
                self._interaction_callback,
            ),
            ("POST", "/webhooks/{webhook_id}/{webhook_token}", self._execute_webhook),
            (
                "GET",
                "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}",
                lambda r: _Answer(200, dict(self._messages[self._webhook_message(r)])),
            ),
            (
                "PATCH",
                "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}",
                self._patch_webhook_message,
            ),
            (
                "DELETE",
                "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}",
                self._delete_webhook_message,
            ),
        ]
        return [
            (method, template, _compile(template), handler) for method, template, handler in table
        ]

    def _resolve(self, method: str, path: str) -> tuple[str, dict[str, str], Handler | None, bool]:
        """The route template, its parameters, the handler, and whether the path is known."""
        known = False
        for route_method, template, pattern, handler in self._routes:
            match = pattern.fullmatch(path)
            if match is None:
                continue
            known = True
            if route_method == method:
                return f"{method} {template}", match.groupdict(), handler, True
        return "", {}, None, known

    def _get_channel(self, incoming: _Incoming) -> _Answer:
        return _Answer(200, self._checked_channel(incoming.snowflake("channel_id")).to_api())

    def _create_message(self, incoming: _Incoming) -> _Answer:
        channel = self._checked_channel(incoming.snowflake("channel_id"))
        self._check_send_permissions(channel, incoming)
        _validate(incoming.form, uploads=incoming.uploads, creating=True)
        message = self._new_message(channel.id, incoming.form, incoming.uploads, self._bot_user())
        return _Answer(200, message)

    def _channel_message(self, incoming: _Incoming) -> int:
        channel = self._checked_channel(incoming.snowflake("channel_id"))
        message_id = incoming.snowflake("message_id")
        stored = self._messages.get(message_id)
        if stored is None or stored["channel_id"] != str(channel.id):
            raise _Reject(404, error_body("Unknown Message", 10008))
        return message_id

    def _get_message(self, incoming: _Incoming) -> _Answer:
        return _Answer(200, dict(self._messages[self._channel_message(incoming)]))

    def _patch_message(self, incoming: _Incoming) -> _Answer:
        message_id = self._channel_message(incoming)
        return self._edit_message(message_id, incoming.form, incoming.uploads)

    def _delete_message(self, incoming: _Incoming) -> _Answer:
        del self._messages[self._channel_message(incoming)]
        return _Answer(204)

    def _typing(self, incoming: _Incoming) -> _Answer:
        self._checked_channel(incoming.snowflake("channel_id"))
        return _Answer(204)

    def _get_guild(self, incoming: _Incoming) -> _Answer:
        guild_id = incoming.snowflake("guild_id")
        return _Answer(
            200,
            {
                "id": str(guild_id),
                "name": f"Guild {guild_id % 10_000}",
                "icon": None,
                "splash": None,
                "discovery_splash": None,
                "owner_id": str(self.owner_id),
                "afk_channel_id": None,
                "afk_timeout": 300,
                "verification_level": 0,
                "default_message_notifications": 1,
                "explicit_content_filter": 0,
                "roles": self._roles(guild_id),
                "emojis": [],
                "stickers": [],
                "features": [],
                "mfa_level": 0,
                "application_id": None,
                "system_channel_id": None,
                "system_channel_flags": 0,
                "rules_channel_id": None,
                "vanity_url_code": None,
                "description": None,
                "banner": None,
                "premium_tier": 0,
                "premium_subscription_count": 0,
                "preferred_locale": "en-US",
                "public_updates_channel_id": None,
                "nsfw_level": 0,
                "premium_progress_bar_enabled": False,
            },
        )

    def _get_roles(self, incoming: _Incoming) -> _Answer:
        return _Answer(200, self._roles(incoming.snowflake("guild_id")))

    def _get_member(self, incoming: _Incoming) -> _Answer:
        guild_id = incoming.snowflake("guild_id")
        user_id = incoming.snowflake("user_id")
        return _Answer(
            200,
            {
                "user": self._user(user_id),
                "nick": None,
                "avatar": None,
                "banner": None,
                "roles": [str(role) for role in self._member_role_ids(guild_id, user_id)],
                "joined_at": "2024-01-01T00:00:00.000000+00:00",
                "premium_since": None,
                "deaf": False,
                "mute": False,
                "flags": 0,
                "pending": False,
                "communication_disabled_until": None,
            },
        )

    def _application(self, incoming: _Incoming) -> _Answer:
        return _Answer(
            200,
            {
                "id": str(self.application_id),
                "name": self.bot_name,
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "rpc_origins": [],
                "bot_public": False,
                "bot_require_code_grant": False,
                "bot": self._bot_user(),
                "owner": self._user(self.owner_id),
                "team": None,
                "verify_key": hashlib.sha256(str(self.application_id).encode()).hexdigest(),
                "flags": 0,
                "tags": [],
                "redirect_uris": [],
                "interactions_endpoint_url": None,
                "approximate_guild_count": 1,
            },
        )

    def _commands_key(self, incoming: _Incoming) -> int | None:
        if incoming.snowflake("application_id") != self.application_id:
            raise _Reject(403, error_body("Missing Access", 50001))
        return incoming.snowflake("guild_id") if "guild_id" in incoming.params else None

    def _get_commands(self, incoming: _Incoming) -> _Answer:
        return _Answer(200, list(self._commands.get(self._commands_key(incoming), [])))

    def _put_commands(self, incoming: _Incoming) -> _Answer:
        guild_id = self._commands_key(incoming)
        commands = incoming.body
        if not isinstance(commands, list):
            errors: dict[str, Any] = {}
            _add_error(errors, (), "BASE_TYPE_ARRAY", "Must be an array.")
            raise _invalid_form(errors)
        errors = {}
        if len(commands) > MAX_COMMANDS:
            _too_long(errors, (), MAX_COMMANDS)
        for i, command in enumerate(commands):
            if not isinstance(command, dict):
                _add_error(errors, (i,), "MODEL_TYPE_CONVERT", "Only dictionaries may be used.")
                continue
            name = _text(command.get("name"))
            if not 1 <= len(name) <= MAX_COMMAND_NAME:
                message = f"Must be between 1 and {MAX_COMMAND_NAME} in length."
                _add_error(errors, (i, "name"), "BASE_TYPE_BAD_LENGTH", message)
            description = _text(command.get("description"))
            if (
                int(command.get("type") or 1) == 1
                and not 1 <= len(description) <= MAX_COMMAND_DESCRIPTION
            ):
                message = f"Must be between 1 and {MAX_COMMAND_DESCRIPTION} in length."
                _add_error(errors, (i, "description"), "BASE_TYPE_BAD_LENGTH", message)
        if errors:
            raise _invalid_form(errors)
        version = self._next_id()
        stored = []
        for command in commands:
            kind = int(command.get("type") or 1)
            key = (guild_id, kind, command["name"])
            command_id = self._command_ids.get(key) or self._next_id()
            self._command_ids[key] = command_id  # an overwrite keeps a command's id by name
            echoed: dict[str, Any] = {
                "type": kind,
                "description": "",
                "options": [],
                "default_member_permissions": None,
                "nsfw": False,
                **command,
                "id": str(command_id),
                "application_id": str(self.application_id),
                "version": str(version),
            }
            if guild_id is not None:
                echoed["guild_id"] = str(guild_id)
            stored.append(echoed)
        self._commands[guild_id] = stored
        return _Answer(200, list(stored))

    def _interaction_callback(self, incoming: _Incoming) -> _Answer:
        interaction_id = incoming.snowflake("interaction_id")
        token = incoming.params["interaction_token"]
        body = incoming.form
        kind = body.get("type")
        if kind not in _CALLBACK_TYPES:
            errors: dict[str, Any] = {}
            _add_error(
                errors,
                ("type",),
                "BASE_TYPE_CHOICES",
                f"Value must be one of {sorted(_CALLBACK_TYPES)}.",
            )
            raise _invalid_form(errors)
        if interaction_id in self._answered_interactions:
            raise _Reject(400, error_body("Interaction has already been acknowledged.", 40060))
        raw_data = body.get("data")
        data: dict[str, Any] = raw_data if isinstance(raw_data, dict) else {}
        if kind in (4, 7):
            errors = message_form_errors(data)
            if errors:
                raise _invalid_form({"data": errors})
        self._answered_interactions.add(interaction_id)
        message: dict[str, Any] | None = None
        if kind in (4, 5):
            flags = int(data.get("flags") or 0) | (128 if kind == 5 else 0)  # 128: LOADING
            message = self._new_message(
                self.default_channel_id,
                {**data, "flags": flags},
                incoming.uploads,
                self._bot_user(),
                webhook_id=self.application_id,
            )
            message["interaction_metadata"] = {
                "id": str(interaction_id),
                "type": 2,
                "user": self._user(self.owner_id),
                "authorizing_integration_owners": {},
            }
            self._originals[token] = int(message["id"])
        if incoming.query.get("with_response") not in _TRUE:
            return _Answer(204)
        interaction: dict[str, Any] = {
            "id": str(interaction_id),
            "type": 2,
            "response_message_loading": kind == 5,
            "response_message_ephemeral": bool(int(data.get("flags") or 0) & 64),
        }
        if message is not None:
            interaction["response_message_id"] = message["id"]
        resource: dict[str, Any] = {"type": kind}
        if message is not None and kind == 4:
            resource["message"] = message
        return _Answer(200, {"interaction": interaction, "resource": resource})

    def _webhook(self, incoming: _Incoming) -> tuple[int, int, WebhookInfo | None]:
        """The webhook's id, its channel, and the webhook (None for an interaction follow-up)."""
        webhook_id = incoming.snowflake("webhook_id")
        if webhook_id == self.application_id:
            return webhook_id, self.default_channel_id, None
        webhook = self._webhooks.get(webhook_id)
        if webhook is None or webhook.channel_id in self._unknown:
            raise _Reject(404, error_body("Unknown Webhook", 10015))
        if incoming.params["webhook_token"] != webhook.token:
            raise _Reject(401, error_body("Invalid Webhook Token", 50027))
        return webhook_id, webhook.channel_id, webhook

    def _execute_webhook(self, incoming: _Incoming) -> _Answer:
        webhook_id, channel_id, webhook = self._webhook(incoming)
        _validate(incoming.form, uploads=incoming.uploads, creating=True)
        if webhook is None:
            author = self._bot_user()
        else:
            author = {
                "id": str(webhook_id),
                "username": _text(incoming.form.get("username")) or webhook.name,
                "avatar": None,
                "discriminator": "0000",
                "bot": True,
                "global_name": None,
            }
        message = self._new_message(
            channel_id, incoming.form, incoming.uploads, author, webhook_id=webhook_id
        )
        if incoming.query.get("wait") in _TRUE:
            return _Answer(200, message)
        return _Answer(204)

    def _webhook_message(self, incoming: _Incoming) -> int:
        webhook_id, _, _ = self._webhook(incoming)
        raw = incoming.params["message_id"]
        if raw == "@original":
            message_id = self._originals.get(incoming.params["webhook_token"], 0)
        else:
            message_id = incoming.snowflake("message_id")
        stored = self._messages.get(message_id)
        if stored is None or stored.get("webhook_id") != str(webhook_id):
            raise _Reject(404, error_body("Unknown Message", 10008))
        return message_id

    def _patch_webhook_message(self, incoming: _Incoming) -> _Answer:
        message_id = self._webhook_message(incoming)
        answer = self._edit_message(message_id, incoming.form, incoming.uploads)
        stored = self._messages[message_id]
        stored["flags"] = int(stored.get("flags") or 0) & ~128  # no longer "thinking"
        return _Answer(answer.status, dict(stored))

    def _delete_webhook_message(self, incoming: _Incoming) -> _Answer:
        del self._messages[self._webhook_message(incoming)]
        return _Answer(204)

    # Handling

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        at = time.monotonic()
        method = request.method.upper()
        path = "/" + request.match_info["tail"]
        headers = RecordedHeaders(request.headers)
        query = dict(request.query)
        route, params, handler, known = self._resolve(method, path)
        incoming = _Incoming(method, path, route, params, query, None, [], headers)
        try:
            incoming.body, incoming.uploads = await _read_body(request)
            with self._lock:
                incoming.channel_id = self._call_channel(incoming)
                failure = self._take_failure(incoming)
                if failure is not None:
                    raise self._failure_reject(failure, incoming)
                if handler is None:
                    if known:
                        raise _Reject(405, error_body("405: Method Not Allowed"))
                    raise _Reject(404, error_body("404: Not Found"))
                self._check_auth(incoming)
                answer = handler(incoming)
            extra: dict[str, str] = {}
        except _Reject as reject:
            answer = _Answer(reject.status, reject.body)
            extra = reject.headers
        self._record(
            DiscordCall(
                method=method,
                path=path,
                route=route,
                status=answer.status,
                body=incoming.body,
                files={upload.filename: upload.data for upload in incoming.uploads},
                headers=headers,
                query=query,
                channel_id=incoming.channel_id,
                response=answer.body,
                at=at,
            )
        )
        response_headers = {"Via": "1.1 google"}
        if route and answer.status != 429:
            response_headers.update(self._ratelimit_headers(route))
        response_headers.update(extra)
        if answer.body is None:
            return web.Response(status=answer.status, headers=response_headers)
        return _json_response(answer.body, answer.status, response_headers)

    def _call_channel(self, incoming: _Incoming) -> int | None:
        """The channel the call is about: from the path, or the webhook's."""
        raw = incoming.params.get("channel_id")
        if raw is not None:
            return int(raw) if raw.isdigit() else None
        raw = incoming.params.get("webhook_id")
        if raw is not None and raw.isdigit():
            webhook = self._webhooks.get(int(raw))
            if webhook is not None:
                return webhook.channel_id
            if int(raw) == self.application_id:
                return self.default_channel_id
        return None

    def _ratelimit_headers(self, route: str) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.ratelimit_limit),
            "X-RateLimit-Remaining": str(self.ratelimit_limit - 1),
            "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
            "X-RateLimit-Reset-After": "1.000",
            "X-RateLimit-Bucket": _bucket(route),
        }

    def _record(self, call: DiscordCall) -> None:
        with self._lock:
            self.requests.append(call)

    async def _serve_attachment(self, request: web.Request) -> web.Response:
        with self._lock:
            data = self._attachments.get(int(request.match_info["attachment_id"]))
        if data is None:
            return web.Response(status=404, text="Not Found")
        content_type = mimetypes.guess_type(request.match_info["filename"])[0]
        return web.Response(body=data, content_type=content_type or "application/octet-stream")

    async def _not_found(self, request: web.Request) -> web.Response:
        return _json_response(error_body("404: Not Found"), 404, {"Via": "1.1 google"})

    # Life cycle

    async def start(self) -> None:
        app = web.Application(client_max_size=4 * MAX_UPLOAD_BYTES)
        app.router.add_route("*", r"/api/v{version:\d+}/{tail:.*}", self._handle)
        app.router.add_get(
            r"/attachments/{channel_id:\d+}/{attachment_id:\d+}/{filename}", self._serve_attachment
        )
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        await self._serve(app, shutdown_timeout=5.0)

    async def stop(self) -> None:
        await self._close()


# --- Helpers ----------------------------------------------------------------------------------


def _matches(spec: str, method: str, path: str, route: str) -> bool:
    if spec.upper() in _METHODS:
        return method == spec.upper()
    return spec in f"{method} {path}" or (bool(route) and spec in route)


def _json_response(body: Any, status: int, headers: Mapping[str, str]) -> web.Response:
    # Exactly "application/json", as Discord sends it: discord.py's `json_or_text` compares the
    # whole header, so aiohttp's "application/json; charset=utf-8" would be read as text.
    return web.Response(
        body=json.dumps(body, ensure_ascii=False).encode(),
        status=status,
        headers={**headers, "Content-Type": "application/json"},
    )


def _rich(embed: Any) -> Any:
    return {"type": "rich", **embed} if isinstance(embed, dict) else embed


def _validate(
    body: Mapping[str, Any], *, uploads: list[_Upload] | None = None, creating: bool = False
) -> None:
    uploads = uploads or []
    if sum(len(upload.data) for upload in uploads) > MAX_UPLOAD_BYTES:
        raise _Reject(413, error_body("Request entity too large", 40005))
    errors = message_form_errors(body)
    if len(uploads) > MAX_FILES:
        _too_long(errors, ("attachments",), MAX_FILES)
    if errors:
        raise _invalid_form(errors)
    if creating and _is_empty_message(body, len(uploads)):
        raise _Reject(400, error_body("Cannot send an empty message", 50006))


async def _read_body(request: web.Request) -> tuple[Any, list[_Upload]]:
    """The JSON body (or a multipart's payload_json) and the uploaded files."""
    if not request.can_read_body:
        return None, []
    if request.content_type.startswith("multipart/"):
        body: Any = None
        uploads: list[_Upload] = []
        reader = await request.multipart()
        while True:
            part = await reader.next()
            if part is None:
                break
            if not isinstance(part, BodyPartReader):
                continue
            name = part.name or ""
            if part.filename is not None:
                uploads.append(_Upload(name, part.filename, bytes(await part.read(decode=True))))
            elif name == "payload_json":
                body = _loads(await part.text())
        return body, uploads
    raw = await request.read()
    return (_loads(raw.decode()) if raw.strip() else None), []


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise _Reject(400, error_body("The request body contains invalid JSON.", 50109)) from None

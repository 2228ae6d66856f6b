"""What the fake Discord records and describes: ids, the token, calls, scripted failures,
channels and webhooks."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

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

# The routes whose successful answers are delivered messages (`FakeDiscord.messages`).
MESSAGE_ROUTES = frozenset(
    {"POST /channels/{channel_id}/messages", "POST /webhooks/{webhook_id}/{webhook_token}"}
)


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

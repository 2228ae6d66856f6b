"""What the fake Discord knows (channels, webhooks, roles and permissions, messages,
attachments, application commands, scripted failures), how a test sets it up, and what it
recorded."""

from __future__ import annotations

import math
import secrets
import threading
import time
from typing import Any

from tests.servers.discord.answers import Reject, bucket, error_body
from tests.servers.discord.limits import ADMINISTRATOR, ALL_PERMISSIONS, DEFAULT_PERMISSIONS
from tests.servers.discord.parsing import Incoming, matches
from tests.servers.discord.records import (
    BOT_ID,
    CHANNEL_ID,
    DISCORD_EPOCH_MS,
    GUILD_ID,
    MESSAGE_ROUTES,
    OWNER_ID,
    ChannelInfo,
    DiscordCall,
    ScriptedFailure,
    WebhookInfo,
)
from tests.servers.loopback import LoopbackServer, take_scripted

# Routes that take no bot token (a webhook's or an interaction's token is in the path).
_TOKENLESS_PREFIXES = ("/webhooks/", "/interactions/")


class DiscordState(LoopbackServer):
    """The state behind `FakeDiscord` (whose docstring says what the options do)."""

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
        # Users are no channels: a post to a user's id answers 404 Unknown Channel, as
        # Discord's does; a user is told things in the DM channel `POST /users/@me/channels`
        # opens (one per user, the same on every call).
        self._users: set[int] = {bot_id, owner_id}
        self._dm_channels: dict[int, int] = {}  # DM channel -> its recipient
        self._dm_of: dict[int, int] = {}  # user -> their DM channel
        self._closed_dms: set[int] = set()
        self._webhooks: dict[int, WebhookInfo] = {}
        self._member_roles: dict[int, int] = {}  # guild -> the "Members" role's id
        self._custom_roles: dict[tuple[int, int], tuple[int, int]] = {}  # -> (role id, perms)
        self._messages: dict[int, dict[str, Any]] = {}
        self._attachments: dict[int, bytes] = {}
        self._commands: dict[int | None, list[dict[str, Any]]] = {}  # guild (None: global)
        self._command_ids: dict[tuple[int | None, int, str], int] = {}
        self._answered_interactions: set[int] = set()
        self._originals: dict[str, int] = {}  # interaction token -> original response id
        self._followups: dict[str, list[int]] = {}  # interaction token -> follow-up ids
        self._interaction_channels: dict[str, int] = {}  # a pushed interaction's token -> channel
        self._interaction_tokens: dict[int, str] = {}  # a pushed interaction's id -> token
        self._last_id = 0

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

    def add_user(self, user_id: int, *, accepts_dms: bool = True) -> None:
        """A user (the owner and the bot are users already): their id names no channel. One who
        does not accept DMs from the bot (their privacy settings, or no server shared with it)
        gets a DM channel, but a message to it answers 403 Cannot send messages to this user
        (50007), as Discord answers."""
        with self._lock:
            self._users.add(user_id)
            if accepts_dms:
                self._closed_dms.discard(user_id)
            else:
                self._closed_dms.add(user_id)

    def dm_channel(self, user_id: int) -> int | None:
        """The id of the DM channel opened with the user, if one was."""
        with self._lock:
            return self._dm_of.get(user_id)

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
        return [call for call in calls if matches(spec, call.method, call.path, call.route)]

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
        if channel_id in self._unknown or channel_id in self._users:
            raise Reject(404, error_body("Unknown Channel", 10003))
        if channel_id in self._forbidden:
            code = self._forbidden_codes.get(channel_id, 50001)
            message = "Missing Permissions" if code == 50013 else "Missing Access"
            raise Reject(403, error_body(message, code))
        return self._channel(channel_id)

    def _interaction_channel(self, token: str) -> int:
        """The channel of a pushed interaction (by its token), or `default_channel_id`."""
        return self._interaction_channels.get(token, self.default_channel_id)

    def _guild(self, guild_id: int) -> dict[str, Any]:
        return {
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
        }

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

    def _take_failure(self, incoming: Incoming) -> ScriptedFailure | None:
        return take_scripted(
            self._failures,
            lambda failure: (
                matches(failure.spec, incoming.method, incoming.path, incoming.route)
                and (failure.channel_id is None or failure.channel_id == incoming.channel_id)
            ),
        )

    def _failure_reject(self, failure: ScriptedFailure, incoming: Incoming) -> Reject:
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
                "X-RateLimit-Bucket": bucket(incoming.route),
                "X-RateLimit-Scope": "global" if failure.is_global else "user",
            }
            if failure.is_global:
                headers["X-RateLimit-Global"] = "true"
            return Reject(429, body, headers)
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
        return Reject(failure.status, error_body(message, code))

    def _check_auth(self, incoming: Incoming) -> None:
        if incoming.path.startswith(_TOKENLESS_PREFIXES):
            return
        authorization = incoming.headers.get("authorization", "")
        valid = (
            authorization == f"Bot {self.token}"
            if self.token is not None
            else authorization.startswith("Bot ") and len(authorization) > 4
        )
        if not valid:
            raise Reject(401, error_body("401: Unauthorized"))

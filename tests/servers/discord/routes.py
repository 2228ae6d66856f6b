"""The fake Discord's route table, and the routes about channels, guilds, members, the
application and its commands (the message routes are in messages.py)."""

from __future__ import annotations

import hashlib
import re
from functools import cached_property
from typing import Any

from tests.servers.discord.answers import (
    Answer,
    Reject,
    add_error,
    error_body,
    invalid_form,
    too_long,
)
from tests.servers.discord.gateway import DiscordGateway
from tests.servers.discord.limits import (
    MAX_COMMAND_DESCRIPTION,
    MAX_COMMAND_NAME,
    MAX_COMMANDS,
    as_text,
)
from tests.servers.discord.parsing import Handler, Incoming, compile_route


class DiscordRoutes(DiscordGateway):
    """Every route the fake answers, and the handlers of those that are not about messages."""

    @cached_property
    def _routes(self) -> list[tuple[str, str, re.Pattern[str], Handler]]:
        """Method, template, its pattern and the handler, in the order they are tried."""
        table: list[tuple[str, str, Handler]] = [
            ("GET", "/users/@me", lambda _: Answer(200, self._bot_user())),
            ("GET", "/users/{user_id}", lambda r: Answer(200, self._user(r.snowflake("user_id")))),
            ("POST", "/users/@me/channels", self._open_dm),
            ("GET", "/channels/{channel_id}", self._get_channel),
            ("POST", "/channels/{channel_id}/messages", self._create_message),
            ("GET", "/channels/{channel_id}/messages/{message_id}", self._get_message),
            ("PATCH", "/channels/{channel_id}/messages/{message_id}", self._patch_message),
            ("DELETE", "/channels/{channel_id}/messages/{message_id}", self._delete_message),
            ("POST", "/channels/{channel_id}/typing", self._typing),
            ("GET", "/guilds/{guild_id}", self._get_guild),
            ("GET", "/guilds/{guild_id}/roles", self._get_roles),
            ("GET", "/guilds/{guild_id}/members/{user_id}", self._get_member),
            ("GET", "/gateway/bot", self._gateway_bot),
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
                lambda r: Answer(200, dict(self._messages[self._webhook_message(r)])),
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
            (method, template, compile_route(template), handler)
            for method, template, handler in table
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

    def _get_channel(self, incoming: Incoming) -> Answer:
        channel_id = incoming.snowflake("channel_id")
        if channel_id in self._dm_channels:
            return Answer(200, self._dm(channel_id))
        return Answer(200, self._checked_channel(channel_id).to_api())

    def _open_dm(self, incoming: Incoming) -> Answer:
        """The DM channel with `recipient_id`, opened on the first call and the same after.
        An id that names a channel or a guild, or the bot itself, is no recipient."""
        raw = incoming.form.get("recipient_id")
        if not str(raw or "").isdigit():
            errors: dict[str, Any] = {}
            add_error(errors, ("recipient_id",), "NUMBER_TYPE_COERCE", "Value is not snowflake.")
            raise invalid_form(errors)
        user_id = int(str(raw))
        if (
            user_id == self.bot_id
            or user_id in self._channels
            or user_id in self._dm_channels
            or user_id in self._member_roles
            or user_id == self.default_guild_id
        ):
            raise Reject(400, error_body("Invalid Recipient(s)", 50033))
        self._users.add(user_id)
        channel_id = self._dm_of.get(user_id)
        if channel_id is None:
            channel_id = self._next_id()
            self._dm_of[user_id] = channel_id
            self._dm_channels[channel_id] = user_id
        return Answer(200, self._dm(channel_id))

    def _dm(self, channel_id: int) -> dict[str, Any]:
        return {
            "id": str(channel_id),
            "type": 1,  # DM
            "last_message_id": None,
            "flags": 0,
            "recipients": [self._user(self._dm_channels[channel_id])],
        }

    def _get_guild(self, incoming: Incoming) -> Answer:
        return Answer(200, self._guild(incoming.snowflake("guild_id")))

    def _get_roles(self, incoming: Incoming) -> Answer:
        return Answer(200, self._roles(incoming.snowflake("guild_id")))

    def _get_member(self, incoming: Incoming) -> Answer:
        guild_id = incoming.snowflake("guild_id")
        user_id = incoming.snowflake("user_id")
        return Answer(
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

    def _application(self, incoming: Incoming) -> Answer:
        return Answer(
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

    def _commands_key(self, incoming: Incoming) -> int | None:
        if incoming.snowflake("application_id") != self.application_id:
            raise Reject(403, error_body("Missing Access", 50001))
        return incoming.snowflake("guild_id") if "guild_id" in incoming.params else None

    def _get_commands(self, incoming: Incoming) -> Answer:
        return Answer(200, list(self._commands.get(self._commands_key(incoming), [])))

    def _put_commands(self, incoming: Incoming) -> Answer:
        guild_id = self._commands_key(incoming)
        commands = incoming.body
        if not isinstance(commands, list):
            errors: dict[str, Any] = {}
            add_error(errors, (), "BASE_TYPE_ARRAY", "Must be an array.")
            raise invalid_form(errors)
        errors = {}
        if len(commands) > MAX_COMMANDS:
            too_long(errors, (), MAX_COMMANDS)
        for i, command in enumerate(commands):
            if not isinstance(command, dict):
                add_error(errors, (i,), "MODEL_TYPE_CONVERT", "Only dictionaries may be used.")
                continue
            name = as_text(command.get("name"))
            if not 1 <= len(name) <= MAX_COMMAND_NAME:
                message = f"Must be between 1 and {MAX_COMMAND_NAME} in length."
                add_error(errors, (i, "name"), "BASE_TYPE_BAD_LENGTH", message)
            description = as_text(command.get("description"))
            if (
                int(command.get("type") or 1) == 1
                and not 1 <= len(description) <= MAX_COMMAND_DESCRIPTION
            ):
                message = f"Must be between 1 and {MAX_COMMAND_DESCRIPTION} in length."
                add_error(errors, (i, "description"), "BASE_TYPE_BAD_LENGTH", message)
        if errors:
            raise invalid_form(errors)
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
        return Answer(200, list(stored))

"""Messages as the fake Discord makes them: channel sends (permissions and limits checked),
edits and deletes, interaction responses, webhook executes and their messages, attachments."""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from tests.servers.discord.answers import Answer, Reject, add_error, error_body, invalid_form
from tests.servers.discord.limits import (
    ATTACH_FILES,
    EMBED_LINKS,
    SEND_MESSAGES,
    VIEW_CHANNEL,
    as_text,
    message_form_errors,
    validate,
)
from tests.servers.discord.parsing import TRUE, Incoming, Upload
from tests.servers.discord.records import DISCORD_EPOCH_MS, ChannelInfo, WebhookInfo
from tests.servers.discord.state import DiscordState

_CALLBACK_TYPES = frozenset({1, 4, 5, 6, 7, 8, 9, 10, 12})


def _iso(snowflake: int) -> str:
    ms = (snowflake >> 22) + DISCORD_EPOCH_MS
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="microseconds")


def _rich(embed: Any) -> Any:
    return {"type": "rich", **embed} if isinstance(embed, dict) else embed


class DiscordMessages(DiscordState):
    """The message routes' handlers and what they share (called with the lock held)."""

    def _store_attachments(
        self, channel_id: int, body: Mapping[str, Any], uploads: list[Upload]
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
        uploads: list[Upload],
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
        self, message_id: int, body: Mapping[str, Any], uploads: list[Upload]
    ) -> Answer:
        stored = self._messages.get(message_id)
        if stored is None:
            raise Reject(404, error_body("Unknown Message", 10008))
        validate(body)
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
        return Answer(200, dict(stored))

    def _check_send_permissions(self, channel: ChannelInfo, incoming: Incoming) -> None:
        permissions = self._permissions(channel.guild_id, self.bot_id)
        if not permissions & VIEW_CHANNEL:
            raise Reject(403, error_body("Missing Access", 50001))
        needed = SEND_MESSAGES
        if incoming.uploads:
            needed |= ATTACH_FILES
        if incoming.form.get("embeds"):
            needed |= EMBED_LINKS
        if permissions & needed != needed:
            raise Reject(403, error_body("Missing Permissions", 50013))

    def _create_message(self, incoming: Incoming) -> Answer:
        channel_id = incoming.snowflake("channel_id")
        recipient = self._dm_channels.get(channel_id)
        if recipient is not None:  # a DM: no guild, no permissions; the user's settings
            if recipient in self._closed_dms:
                raise Reject(403, error_body("Cannot send messages to this user", 50007))
            validate(incoming.form, uploads=incoming.uploads, creating=True)
            message = self._new_message(
                channel_id, incoming.form, incoming.uploads, self._bot_user()
            )
            return Answer(200, message)
        channel = self._checked_channel(channel_id)
        self._check_send_permissions(channel, incoming)
        validate(incoming.form, uploads=incoming.uploads, creating=True)
        message = self._new_message(channel.id, incoming.form, incoming.uploads, self._bot_user())
        return Answer(200, message)

    def _channel_message(self, incoming: Incoming) -> int:
        channel = self._checked_channel(incoming.snowflake("channel_id"))
        message_id = incoming.snowflake("message_id")
        stored = self._messages.get(message_id)
        if stored is None or stored["channel_id"] != str(channel.id):
            raise Reject(404, error_body("Unknown Message", 10008))
        return message_id

    def _get_message(self, incoming: Incoming) -> Answer:
        return Answer(200, dict(self._messages[self._channel_message(incoming)]))

    def _patch_message(self, incoming: Incoming) -> Answer:
        message_id = self._channel_message(incoming)
        return self._edit_message(message_id, incoming.form, incoming.uploads)

    def _delete_message(self, incoming: Incoming) -> Answer:
        del self._messages[self._channel_message(incoming)]
        return Answer(204)

    def _typing(self, incoming: Incoming) -> Answer:
        self._checked_channel(incoming.snowflake("channel_id"))
        return Answer(204)

    def _interaction_callback(self, incoming: Incoming) -> Answer:
        interaction_id = incoming.snowflake("interaction_id")
        token = incoming.params["interaction_token"]
        body = incoming.form
        kind = body.get("type")
        if kind not in _CALLBACK_TYPES:
            errors: dict[str, Any] = {}
            add_error(
                errors,
                ("type",),
                "BASE_TYPE_CHOICES",
                f"Value must be one of {sorted(_CALLBACK_TYPES)}.",
            )
            raise invalid_form(errors)
        if interaction_id in self._answered_interactions:
            raise Reject(400, error_body("Interaction has already been acknowledged.", 40060))
        raw_data = body.get("data")
        data: dict[str, Any] = raw_data if isinstance(raw_data, dict) else {}
        if kind in (4, 7):
            errors = message_form_errors(data)
            if errors:
                raise invalid_form({"data": errors})
        self._answered_interactions.add(interaction_id)
        message: dict[str, Any] | None = None
        if kind in (4, 5):
            flags = int(data.get("flags") or 0) | (128 if kind == 5 else 0)  # 128: LOADING
            message = self._new_message(
                self._interaction_channel(token),
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
        if incoming.query.get("with_response") not in TRUE:
            return Answer(204)
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
        return Answer(200, {"interaction": interaction, "resource": resource})

    def _webhook(self, incoming: Incoming) -> tuple[int, int, WebhookInfo | None]:
        """The webhook's id, its channel, and the webhook (None for an interaction follow-up)."""
        webhook_id = incoming.snowflake("webhook_id")
        if webhook_id == self.application_id:
            return webhook_id, self._interaction_channel(incoming.params["webhook_token"]), None
        webhook = self._webhooks.get(webhook_id)
        if webhook is None or webhook.channel_id in self._unknown:
            raise Reject(404, error_body("Unknown Webhook", 10015))
        if incoming.params["webhook_token"] != webhook.token:
            raise Reject(401, error_body("Invalid Webhook Token", 50027))
        return webhook_id, webhook.channel_id, webhook

    def _execute_webhook(self, incoming: Incoming) -> Answer:
        webhook_id, channel_id, webhook = self._webhook(incoming)
        validate(incoming.form, uploads=incoming.uploads, creating=True)
        if webhook is None:
            author = self._bot_user()
        else:
            author = {
                "id": str(webhook_id),
                "username": as_text(incoming.form.get("username")) or webhook.name,
                "avatar": None,
                "discriminator": "0000",
                "bot": True,
                "global_name": None,
            }
        message = self._new_message(
            channel_id, incoming.form, incoming.uploads, author, webhook_id=webhook_id
        )
        if webhook is None:  # an interaction's follow-up
            self._followups.setdefault(incoming.params["webhook_token"], []).append(
                int(message["id"])
            )
        if incoming.query.get("wait") in TRUE:
            return Answer(200, message)
        return Answer(204)

    def _webhook_message(self, incoming: Incoming) -> int:
        webhook_id, _, _ = self._webhook(incoming)
        raw = incoming.params["message_id"]
        if raw == "@original":
            message_id = self._originals.get(incoming.params["webhook_token"], 0)
        else:
            message_id = incoming.snowflake("message_id")
        stored = self._messages.get(message_id)
        if stored is None or stored.get("webhook_id") != str(webhook_id):
            raise Reject(404, error_body("Unknown Message", 10008))
        return message_id

    def _patch_webhook_message(self, incoming: Incoming) -> Answer:
        message_id = self._webhook_message(incoming)
        answer = self._edit_message(message_id, incoming.form, incoming.uploads)
        stored = self._messages[message_id]
        stored["flags"] = int(stored.get("flags") or 0) & ~128  # no longer "thinking"
        return Answer(answer.status, dict(stored))

    def _delete_webhook_message(self, incoming: Incoming) -> Answer:
        del self._messages[self._webhook_message(incoming)]
        return Answer(204)

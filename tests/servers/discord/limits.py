"""Discord's limits: a message's content, embeds and files, application commands, and the
permissions a send needs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import discord

from tests.servers.discord.answers import Reject, add_error, error_body, invalid_form, too_long
from tests.servers.discord.parsing import Upload

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


def as_text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def embed_size(embed: Mapping[str, Any]) -> int:
    """The characters Discord counts against 6000: title, description, fields, footer, author."""
    size = len(as_text(embed.get("title"))) + len(as_text(embed.get("description")))
    for item in embed.get("fields") or []:
        if isinstance(item, dict):
            size += len(as_text(item.get("name"))) + len(as_text(item.get("value")))
    footer, author = embed.get("footer"), embed.get("author")
    if isinstance(footer, dict):
        size += len(as_text(footer.get("text")))
    if isinstance(author, dict):
        size += len(as_text(author.get("name")))
    return size


def message_form_errors(body: Mapping[str, Any]) -> dict[str, Any]:
    """Discord's `errors` object for a message body past the limits (empty when it is valid)."""
    errors: dict[str, Any] = {}
    content = body.get("content")
    if content is not None and not isinstance(content, str):
        add_error(errors, ("content",), "BASE_TYPE_STRING", "Must be a string.")
    elif isinstance(content, str) and len(content) > MAX_CONTENT_LENGTH:
        too_long(errors, ("content",), MAX_CONTENT_LENGTH)
    embeds = body.get("embeds") or []
    if not isinstance(embeds, list):
        add_error(errors, ("embeds",), "BASE_TYPE_ARRAY", "Must be an array.")
        return errors
    if len(embeds) > MAX_EMBEDS:
        too_long(errors, ("embeds",), MAX_EMBEDS)
    total = 0
    oversized = False
    for i, embed in enumerate(embeds):
        if not isinstance(embed, dict):
            add_error(errors, ("embeds", i), "MODEL_TYPE_CONVERT", "Only dictionaries may be used.")
            continue
        for key, limit in (("title", MAX_EMBED_TITLE), ("description", MAX_EMBED_DESCRIPTION)):
            if len(as_text(embed.get(key))) > limit:
                too_long(errors, ("embeds", i, key), limit)
        fields = embed.get("fields") or []
        if len(fields) > MAX_EMBED_FIELDS:
            too_long(errors, ("embeds", i, "fields"), MAX_EMBED_FIELDS)
        for j, item in enumerate(fields):
            for key, limit in (("name", MAX_FIELD_NAME), ("value", MAX_FIELD_VALUE)):
                value = item.get(key) if isinstance(item, dict) else None
                if not isinstance(value, str) or not value:
                    path = ("embeds", i, "fields", j, key)
                    add_error(errors, path, "BASE_TYPE_REQUIRED", "This field is required")
                elif len(value) > limit:
                    too_long(errors, ("embeds", i, "fields", j, key), limit)
        for key, sub, limit in (
            ("footer", "text", MAX_FOOTER_TEXT),
            ("author", "name", MAX_AUTHOR_NAME),
        ):
            part = embed.get(key)
            if isinstance(part, dict) and len(as_text(part.get(sub))) > limit:
                too_long(errors, ("embeds", i, key, sub), limit)
        size = embed_size(embed)
        total += size
        if size > MAX_EMBED_TOTAL:
            oversized = True
            add_error(
                errors,
                ("embeds", i),
                "MAX_EMBED_SIZE_EXCEEDED",
                f"Embed size exceeds maximum size of {MAX_EMBED_TOTAL}",
            )
    if total > MAX_EMBED_TOTAL and not oversized:
        add_error(
            errors,
            ("embeds",),
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {MAX_EMBED_TOTAL}",
        )
    return errors


def is_empty_message(body: Mapping[str, Any], files: int) -> bool:
    keys = ("content", "embeds", "sticker_ids", "components", "poll")
    return files == 0 and not any(body.get(key) for key in keys)


def validate(
    body: Mapping[str, Any], *, uploads: list[Upload] | None = None, creating: bool = False
) -> None:
    uploads = uploads or []
    if sum(len(upload.data) for upload in uploads) > MAX_UPLOAD_BYTES:
        raise Reject(413, error_body("Request entity too large", 40005))
    errors = message_form_errors(body)
    if len(uploads) > MAX_FILES:
        too_long(errors, ("attachments",), MAX_FILES)
    if errors:
        raise invalid_form(errors)
    if creating and is_empty_message(body, len(uploads)):
        raise Reject(400, error_body("Cannot send an empty message", 50006))

"""Reading a Bot API request: its form (query, urlencoded, JSON or multipart), the values
as the Bot API types them, and the files attached."""

from __future__ import annotations

import json
import re
import struct
from typing import Any

from aiohttp import web


def words(text: str) -> list[str]:
    return text.split()


# Parameters that are strings in the Bot API even when they look like JSON ("123", "true").
_STRING_PARAMS = frozenset(
    words(
        "text caption parse_mode caption_parse_mode question question_parse_mode "
        "explanation explanation_parse_mode title description short_description name "
        "url query emoji first_name last_name phone_number vcard address custom_title "
        "language_code callback_query_id inline_query_id shipping_query_id "
        "pre_checkout_query_id business_connection_id message_effect_id secret_token "
        "ip_address file_id photo document video audio voice animation video_note "
        "sticker thumbnail payload provider_token currency start_parameter invite_link "
        "game_short_name"
    )
)


def decode_param(key: str, value: str) -> Any:
    """A form value as the Bot API reads it: JSON where the parameter is not a plain string."""
    if key in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def read_form(
    request: web.Request,
) -> tuple[dict[str, str], dict[str, bytes], dict[str, str]]:
    """The form fields (query, urlencoded or multipart), the uploaded files and their names."""
    raw: dict[str, str] = dict(request.query)
    files: dict[str, bytes] = {}
    filenames: dict[str, str] = {}
    if request.method == "POST" and request.can_read_body:
        content_type = request.content_type
        if content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                for key, value in body.items():
                    raw[key] = value if isinstance(value, str) else json.dumps(value)
        else:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files[key] = value.file.read()
                    filenames[key] = value.filename
                elif isinstance(value, bytes | bytearray):
                    raw[key] = value.decode("utf-8", "replace")
                else:
                    raw[key] = value
    return raw, files, filenames


def bind_attachments(
    params: dict[str, Any], files: dict[str, bytes], filenames: dict[str, str]
) -> None:
    """Key each file attached by "attach://<field>" under the parameter that names it."""
    for key, value in params.items():
        if isinstance(value, str) and value.startswith("attach://"):
            field_name = value.removeprefix("attach://")
            if field_name in files and key not in files:
                files[key] = files.pop(field_name)
                if field_name in filenames:
                    filenames[key] = filenames.pop(field_name)


def png_size(data: bytes) -> tuple[int, int] | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return None


def as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return int(value)
    return None

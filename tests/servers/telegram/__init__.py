"""A loopback Telegram Bot API host that aiogram's real `AiohttpSession` talks to.

    async with FakeTelegram() as server:
        bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(server.base_url)))

`POST {base}/bot{token}/{method}` answers every method in the Bot API's shape
(`{"ok": true, "result": ...}` or `{"ok": false, "error_code": ..., "description": ...}`), and
`GET {base}/file/bot{token}/{path}` serves uploaded files. Every call is recorded as an `ApiCall`.

What it emulates of the real service:
- sends validate like Telegram's: HTML is parsed the way TDLib parses it (the allowed tags, the
  four named entities and numeric ones, the error texts "Unsupported start tag ... at byte offset
  N" and so on), text is at most 4096 characters and a caption 1024, counted after parsing and
  after trimming whitespace; the answered Message carries the plain text and its entities;
- `getUpdates` with `offset` (confirming updates), `limit`, `allowed_updates` and `timeout` (a long
  poll, cut to `max_poll_seconds`, that returns as soon as an update is pushed);
- scripted failures (`fail`), blocked and unknown chats (`block`, `missing`), and optionally the
  flood limits (`enforce_limits`: 30 messages/s overall, 20/min to one group or channel), answered
  with 429 and a retry_after computed from the sliding windows.

Not emulated: Markdown/MarkdownV2 parsing (the text is counted as sent), 409 for concurrent
`getUpdates`, webhooks, the per-private-chat soft limit, downloads of files by URL.

The package by concern: `records` (what is recorded and described), `answers` (the answer
shapes), `parsing` (reading a request), `markup` (Telegram's HTML), `limits` (sizes, menus and the
flood windows), `state` (what the fake knows, set-up and results), `routes` (the Bot API's
methods) and `server` (updates, the long poll, handling and life cycle).
"""

from tests.servers.telegram.answers import Reject
from tests.servers.telegram.limits import MAX_CAPTION_LENGTH, MAX_TEXT_LENGTH, MAX_UPLOAD_BYTES
from tests.servers.telegram.markup import EntityParseError, format_text, parse_html
from tests.servers.telegram.parsing import decode_param
from tests.servers.telegram.records import (
    DELIVERY_METHODS,
    TOKEN,
    ApiCall,
    ChatInfo,
    ChatType,
    MemberStatus,
    ScriptedFailure,
)
from tests.servers.telegram.server import FakeTelegram

__all__ = [
    "DELIVERY_METHODS",
    "MAX_CAPTION_LENGTH",
    "MAX_TEXT_LENGTH",
    "MAX_UPLOAD_BYTES",
    "TOKEN",
    "ApiCall",
    "ChatInfo",
    "ChatType",
    "EntityParseError",
    "FakeTelegram",
    "MemberStatus",
    "Reject",
    "ScriptedFailure",
    "decode_param",
    "format_text",
    "parse_html",
]

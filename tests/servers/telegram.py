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
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import re
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiohttp import web

from tests.servers.loopback import LoopbackServer

TOKEN = "123456789:AAFakeTokenForTheLoopbackBotApi_0123"
"""A token in the shape aiogram accepts; the bot's id is the number before the colon."""

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # the Bot API's limit for uploads of files


def _words(text: str) -> list[str]:
    return text.split()


# The sends whose 200 answers count as delivered messages (`FakeTelegram.sent`).
DELIVERY_METHODS = frozenset({"sendmessage", "sendphoto"})

# Methods that put a message into a chat: they are blocked, rate limited and answer a Message.
_MESSAGE_METHODS = frozenset(
    _words(
        "sendmessage sendphoto senddocument sendvideo sendanimation sendaudio sendvoice "
        "sendvideonote sendsticker sendlocation sendvenue sendcontact sendpoll senddice "
        "forwardmessage"
    )
)

# Parameters that are strings in the Bot API even when they look like JSON ("123", "true").
_STRING_PARAMS = frozenset(
    _words(
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

# The rights in a ChatMemberAdministrator and a ChatMemberRestricted (all required by aiogram).
_ADMIN_CAN = _words(
    "can_manage_chat can_delete_messages can_manage_video_chats can_change_info "
    "can_invite_users can_pin_messages"
)
_ADMIN_CANNOT = _words(
    "can_be_edited is_anonymous can_restrict_members can_promote_members can_post_stories "
    "can_edit_stories can_delete_stories can_send_welcome_messages"
)
_RESTRICTED_CANNOT = _words(
    "can_send_messages can_send_audios can_send_documents can_send_photos can_send_videos "
    "can_send_video_notes can_send_voice_notes can_send_polls can_send_other_messages "
    "can_add_web_page_previews can_react_to_messages can_edit_tag can_change_info "
    "can_invite_users can_pin_messages can_manage_topics"
)

ChatType = Literal["private", "group", "supergroup", "channel"]
MemberStatus = Literal["creator", "administrator", "member", "restricted", "left", "kicked"]

Answer = tuple[int, dict[str, Any]]


# --- Records ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiCall:
    """One Bot API call as the server saw it, and what it answered.

    `raw` holds the form fields as sent; `params` the same with JSON values decoded (chat_id as
    an int, reply_markup as a dict; text-like fields stay strings). `files` holds uploaded
    contents keyed by the parameter that attached them ("photo"), or by their form field.
    `at` is the server's clock (monotonic by default) when the call arrived.
    """

    method: str
    params: dict[str, Any]
    files: dict[str, bytes]
    token: str
    at: float
    status: int
    raw: dict[str, str] = field(default_factory=dict)
    filenames: dict[str, str] = field(default_factory=dict)
    description: str | None = None  # the error's description for a non-200 answer
    retry_after: int | None = None
    result: Any = None  # the result of a 200 answer

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def chat_id(self) -> Any:
        """The chat the call named: the result's chat id when it answered a Message."""
        if isinstance(self.result, dict) and isinstance(self.result.get("chat"), dict):
            return self.result["chat"].get("id")
        return self.params.get("chat_id")

    @property
    def text(self) -> str | None:
        """The text or the caption as sent (with its markup)."""
        value = self.params.get("text", self.params.get("caption"))
        return value if isinstance(value, str) else None


@dataclass(frozen=True)
class ChatInfo:
    id: int
    type: ChatType
    title: str | None = None
    username: str | None = None
    first_name: str | None = None

    def to_api(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.type == "private":
            chat["first_name"] = self.first_name or f"User {self.id}"
        else:
            chat["title"] = self.title or f"Chat {self.id}"
        if self.username:
            chat["username"] = self.username
        return chat


@dataclass(frozen=True)
class ScriptedFailure:
    """An error answered to the next `times` calls of `method` (to `chat_id` only, if set)."""

    method: str
    status: int
    description: str
    retry_after: int | None = None
    chat_id: int | str | None = None
    times: int = 1


# --- Telegram's HTML --------------------------------------------------------------------------


class _Reject(Exception):
    """An error answer to send back."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


class EntityParseError(ValueError):
    """The text after "Bad Request: can't parse entities: "."""


_ALLOWED_TAGS = frozenset(
    _words("a b strong i em u ins s strike del span tg-spoiler tg-emoji code pre blockquote")
)
_SIMPLE_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",  # only <span class="tg-spoiler"> gets this far
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_ENTITY = re.compile(r"&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([a-zA-Z]+));?")
_NAME_TOKEN = re.compile(r"[A-Za-z0-9.\-]*")


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _decode_html_entity(text: str, pos: int) -> tuple[str, int] | None:
    """The character of the entity at `pos` (which holds "&") and the position after it."""
    match = _HTML_ENTITY.match(text, pos)
    if match is None:
        return None
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        char = _NAMED_ENTITIES.get(name)
        return None if char is None else (char, match.end())
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), match.end()


@dataclass
class _OpenTag:
    name: str
    argument: str
    offset: int  # in UTF-16 code units of the plain text
    begin: int  # index of "<" in the source


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Telegram's HTML parse mode: the plain text and its entities (UTF-16 offsets).

    Follows TDLib's `parse_html`: only the allowed tags, attribute values quoted or as name
    tokens, `&lt;` `&gt;` `&amp;` `&quot;` and numeric entities (any other `&` stays as is), and
    every "<" must open or close a tag. Raises `EntityParseError` with Telegram's wording.
    """

    def byte_offset(index: int) -> int:
        return len(text[:index].encode("utf-8"))

    size = len(text)
    out: list[str] = []
    utf16 = 0
    opened: list[_OpenTag] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < size:
        char = text[i]
        if char == "&":
            decoded = _decode_html_entity(text, i)
            if decoded is not None:
                out.append(decoded[0])
                utf16 += _utf16_len(decoded[0])
                i = decoded[1]
                continue
        if char != "<":
            out.append(char)
            utf16 += _utf16_len(char)
            i += 1
            continue
        begin = i
        i += 1
        if i < size and text[i] == "/":
            # An end tag.
            if not opened:
                raise EntityParseError(f"Unexpected end tag at byte offset {byte_offset(begin)}")
            i += 1
            name_begin = i
            while i < size and not text[i].isspace() and text[i] != ">":
                i += 1
            end_name = text[name_begin:i].lower()
            while i < size and text[i].isspace():
                i += 1
            if i >= size or text[i] != ">":
                raise EntityParseError(f"Unclosed end tag at byte offset {byte_offset(begin)}")
            i += 1
            tag = opened.pop()
            if end_name and end_name != tag.name:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {byte_offset(begin)}, "
                    f'expected "</{tag.name}>", found "</{end_name}>"'
                )
            _close_entity(tag, utf16, text, entities)
            continue
        # A start tag.
        name_begin = i
        while i < size and not text[i].isspace() and text[i] != ">":
            i += 1
        if i >= size:
            raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
        name = text[name_begin:i].lower()
        if name not in _ALLOWED_TAGS:
            raise EntityParseError(
                f'Unsupported start tag "{name}" at byte offset {byte_offset(begin)}'
            )
        argument = ""
        while True:
            while i < size and text[i].isspace():
                i += 1
            if i >= size:
                raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
            if text[i] == ">":
                i += 1
                break
            attribute_begin = i
            while i < size and not text[i].isspace() and text[i] not in "=>":
                i += 1
            attribute = text[attribute_begin:i].lower()
            if not attribute:
                raise EntityParseError(
                    f'Empty attribute name in the tag "{name}" at byte offset {byte_offset(begin)}'
                )
            while i < size and text[i].isspace():
                i += 1
            if i >= size:
                raise EntityParseError(
                    f'Unclosed start tag "{name}" at byte offset {byte_offset(begin)}'
                )
            if text[i] != "=":
                if name == "blockquote" and attribute == "expandable":
                    argument = "expandable"
                    continue
                raise EntityParseError(
                    f'Expected equal sign in declaration of an attribute of the tag "{name}" '
                    f"at byte offset {byte_offset(begin)}"
                )
            i += 1
            while i < size and text[i].isspace():
                i += 1
            if i >= size:
                raise EntityParseError(
                    f'Unclosed start tag "{name}" at byte offset {byte_offset(begin)}'
                )
            if text[i] in "\"'":
                quote = text[i]
                i += 1
                value_chars: list[str] = []
                while i < size and text[i] != quote:
                    if text[i] == "&":
                        decoded = _decode_html_entity(text, i)
                        if decoded is not None:
                            value_chars.append(decoded[0])
                            i = decoded[1]
                            continue
                    value_chars.append(text[i])
                    i += 1
                if i < size:
                    i += 1  # the closing quote
                value = "".join(value_chars)
            else:
                token = _NAME_TOKEN.match(text, i)
                assert token is not None  # the pattern matches the empty string
                value = token.group().lower()
                i = token.end()
                if i < size and not text[i].isspace() and text[i] != ">":
                    raise EntityParseError(
                        f"Unexpected end of name token at byte offset {byte_offset(i)}"
                    )
            if i >= size:
                raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
            if name == "a" and attribute == "href":
                argument = value
            elif name == "code" and attribute == "class" and value.startswith("language-"):
                argument = value.removeprefix("language-")
            elif name == "span" and attribute == "class" and value.startswith("tg-"):
                argument = value.removeprefix("tg-")
            elif name == "tg-emoji" and attribute == "emoji-id":
                argument = value
        if name == "span" and argument != "spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset(begin)}'
            )
        opened.append(_OpenTag(name=name, argument=argument, offset=utf16, begin=begin))
    if opened:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{opened[-1].name}"'
        )
    entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
    return "".join(out), entities


def _close_entity(tag: _OpenTag, end: int, text: str, entities: list[dict[str, Any]]) -> None:
    length = end - tag.offset
    if tag.name == "tg-emoji" and not tag.argument.isdigit():
        raise EntityParseError("Invalid custom emoji identifier specified")
    if length <= 0:
        return
    entity: dict[str, Any] = {"offset": tag.offset, "length": length}
    if tag.name in _SIMPLE_ENTITY_TYPES:
        entity["type"] = _SIMPLE_ENTITY_TYPES[tag.name]
    elif tag.name == "a":
        entity["type"] = "text_link"
        entity["url"] = tag.argument or text[tag.begin + 3 :].split("<", 1)[0]
    elif tag.name == "tg-emoji":
        entity["type"] = "custom_emoji"
        entity["custom_emoji_id"] = tag.argument
    elif tag.name == "blockquote":
        entity["type"] = "expandable_blockquote" if tag.argument else "blockquote"
    elif tag.name in ("pre", "code"):
        # <pre><code class="language-x">...</code></pre> is one pre entity with a language.
        last = entities[-1] if entities else None
        inner = {"pre": "code", "code": "pre"}[tag.name]
        if (
            last is not None
            and last["type"] == inner
            and (last["offset"], last["length"]) == (tag.offset, length)
        ):
            last["type"] = "pre"
            if tag.name == "code" and tag.argument:
                last["language"] = tag.argument
            return
        entity["type"] = tag.name
        if tag.name == "code" and tag.argument:
            entity["language"] = tag.argument
    entities.append(entity)


def _trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Strip the text as Telegram does, moving and clipping the entities along."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    shift = _utf16_len(text[: len(text) - len(text.lstrip())])
    limit = _utf16_len(stripped)
    kept: list[dict[str, Any]] = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, limit)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def format_text(
    text: str, parse_mode: Any, entities: Any = None
) -> tuple[str, list[dict[str, Any]]]:
    """The text Telegram would store for `text` in `parse_mode`, and its entities.

    Raises `_Reject` with Telegram's 400 for markup it cannot parse.
    """
    mode = parse_mode.lower() if isinstance(parse_mode, str) else ""
    if mode == "html":
        try:
            plain, found = parse_html(text)
        except EntityParseError as error:
            raise _Reject(400, f"Bad Request: can't parse entities: {error}") from None
    elif mode in ("", "markdown", "markdownv2"):
        plain = text
        found = (
            [dict(e) for e in entities if isinstance(e, dict)] if isinstance(entities, list) else []
        )
    else:
        raise _Reject(400, "Bad Request: unsupported parse_mode")
    return _trim(plain, found)


# --- Requests ---------------------------------------------------------------------------------


# The Bot API's limits on a command menu (core.telegram.org/bots/api#botcommand and
# #setmycommands): at most 100 commands, each 1-32 of a-z, 0-9 and _, with a description of
# 1-256 characters; language_code is a two-letter ISO 639-1 code or empty.
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE_CODE = re.compile(r"[a-z]{2}")


def _check_commands(commands: list[Any]) -> None:
    if len(commands) > 100:
        raise _Reject(400, "Bad Request: too many commands specified")
    for command in commands:
        if not isinstance(command, dict) or not _COMMAND_NAME.fullmatch(
            str(command.get("command", ""))
        ):
            raise _Reject(400, "Bad Request: BOT_COMMAND_INVALID")
        description = command.get("description")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise _Reject(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")


def _menu_key(params: dict[str, Any]) -> tuple[str, str]:
    scope = params.get("scope")
    kind = scope.get("type", "default") if isinstance(scope, dict) else "default"
    language = str(params.get("language_code") or "")
    if language and not _LANGUAGE_CODE.fullmatch(language):
        raise _Reject(400, "Bad Request: LANG_CODE_INVALID")
    return str(kind), language


def _error(status: int, description: str, retry_after: int | None = None) -> Answer:
    payload: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        payload["parameters"] = {"retry_after": retry_after}
    return status, payload


def _ok(result: Any) -> Answer:
    return 200, {"ok": True, "result": result}


def decode_param(key: str, value: str) -> Any:
    """A form value as the Bot API reads it: JSON where the parameter is not a plain string."""
    if key in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def _read_form(
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


def _bind_attachments(
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


def _png_size(data: bytes) -> tuple[int, int] | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return None


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return int(value)
    return None


# --- The server -------------------------------------------------------------------------------


class FakeTelegram(LoopbackServer):
    """The Bot API on 127.0.0.1, a random port; `async with FakeTelegram() as server:`.

    `token`, when given, is the only one accepted (others answer 401 Unauthorized).
    `enforce_limits` answers 429 past `global_per_second` successful sends in any 1 s window,
    or past `group_per_minute` to one group or channel (a negative chat id) in any 60 s window.
    `clock` times those windows and `ApiCall.at` (monotonic time by default).
    `max_poll_seconds` caps a getUpdates long poll; `latency_seconds` delays every other answer.
    """

    def __init__(
        self,
        *,
        bot_username: str = "aiprogress_test_bot",
        bot_first_name: str = "AI Progress (test)",
        token: str | None = None,
        enforce_limits: bool = False,
        global_per_second: int = 30,
        group_per_minute: int = 20,
        max_poll_seconds: float = 1.0,
        latency_seconds: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.token = token
        self.enforce_limits = enforce_limits
        self.global_per_second = global_per_second
        self.group_per_minute = group_per_minute
        self.max_poll_seconds = max_poll_seconds
        self.latency_seconds = latency_seconds
        self.clock = clock

        self.calls: list[ApiCall] = []
        self.rejected_429 = 0
        self.polls_started = 0  # getUpdates requests received, answered or still waiting
        self.commands: list[Any] = []  # the default menu (no scope, no language_code)
        # Every menu set, by (scope type, language_code); "" is no language.
        self.menus: dict[tuple[str, str], list[dict[str, Any]]] = {}

        self._lock = threading.RLock()
        self._failures: list[ScriptedFailure] = []
        self._blocked: dict[int, str] = {}
        self._missing: set[int] = set()
        self._chats: dict[int, ChatInfo] = {}
        self._users: dict[int, dict[str, Any]] = {}
        self._members: dict[tuple[int, int], MemberStatus] = {}
        self._message_ids: dict[int, Iterator[int]] = {}
        self._updates: deque[dict[str, Any]] = deque()
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(4_000_000_000_000_000_001)
        self._files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, contents)
        self._file_ids = itertools.count(1)
        self._sends: deque[float] = deque()
        self._group_sends: dict[int, deque[float]] = {}

        self._loop: asyncio.AbstractEventLoop | None = None
        self._update_event = asyncio.Event()
        self._stopping = False

    # Addresses

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api(self) -> TelegramAPIServer:
        """The aiogram server description: `AiohttpSession(api=server.api)`."""
        return TelegramAPIServer.from_base(self.base_url)

    def make_bot(self, token: str = TOKEN, **kwargs: Any) -> Bot:
        """A real aiogram Bot on a real AiohttpSession pointed here (close its session)."""
        return Bot(token, session=AiohttpSession(api=self.api), **kwargs)

    # Set-up

    def fail(
        self,
        method: str,
        *,
        status: int,
        description: str | None = None,
        retry_after: int | None = None,
        chat_id: int | str | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of `method` (to `chat_id`, if given) with an error.

        The description defaults to Telegram's usual one for the status; a 429 always carries
        `parameters.retry_after` (1 s unless given).
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            description = {
                400: "Bad Request: chat not found",
                401: "Unauthorized",
                403: "Forbidden: bot was blocked by the user",
                409: "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
                429: f"Too Many Requests: retry after {retry_after}",
                502: "Bad Gateway",
            }.get(status, "Internal Server Error" if status >= 500 else f"Error {status}")
        failure = ScriptedFailure(method.lower(), status, description, retry_after, chat_id, times)
        with self._lock:
            self._failures.append(failure)

    def block(self, chat_id: int, description: str | None = None) -> None:
        """Every send to `chat_id` answers 403 (the user blocked the bot, or it was removed)."""
        if description is None:
            description = (
                "Forbidden: bot was blocked by the user"
                if chat_id > 0
                else "Forbidden: bot was kicked from the group chat"
            )
        with self._lock:
            self._blocked[chat_id] = description

    def unblock(self, chat_id: int) -> None:
        with self._lock:
            self._blocked.pop(chat_id, None)

    def missing(self, chat_id: int) -> None:
        """Every call naming `chat_id` answers 400 "Bad Request: chat not found"."""
        with self._lock:
            self._missing.add(chat_id)

    def add_chat(
        self,
        chat_id: int,
        type: ChatType | None = None,
        *,
        title: str | None = None,
        username: str | None = None,
        first_name: str | None = None,
    ) -> ChatInfo:
        """Describe a chat (its type defaults from the id; a username makes "@name" resolve)."""
        chat = ChatInfo(
            id=chat_id,
            type=type or self._default_chat_type(chat_id),
            title=title,
            username=username.lstrip("@") if username else None,
            first_name=first_name,
        )
        with self._lock:
            self._chats[chat_id] = chat
        return chat

    def set_member(self, chat_id: int, user_id: int, status: MemberStatus) -> None:
        """What getChatMember answers for this user in this chat ("member" by default)."""
        with self._lock:
            self._members[(chat_id, user_id)] = status

    def add_file(self, contents: bytes, file_path: str = "documents/file.bin") -> str:
        """Store a file for getFile and the file URL; returns its file_id."""
        with self._lock:
            return self._store_file(contents, file_path)

    def reset(self) -> None:
        """Forget the calls, the scripted failures and the pending updates."""
        with self._lock:
            self.calls.clear()
            self._failures.clear()
            self._updates.clear()
            self.rejected_429 = 0

    # Updates

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw Update (an update_id is assigned when it has none)."""
        with self._lock:
            update = {"update_id": next(self._update_ids), **update}
            self._updates.append(update)
        self._wake_pollers()
        return update

    def push_message(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        chat_type: ChatType = "private",
        *,
        first_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> dict[str, Any]:
        """Queue an Update with a Message from `user_id` in `chat_id`; returns the Update.
        A user's `language_code` ("en" unless given once) stays theirs, as their app's."""
        with self._lock:
            chat = self._chats.get(chat_id)
            if chat is None or chat.type != chat_type:
                chat = self.add_chat(chat_id, chat_type, first_name=first_name)
            user = self._user(
                user_id, first_name=first_name, username=username, language_code=language_code
            )
            message: dict[str, Any] = {
                "message_id": self._next_message_id(chat_id),
                "from": user,
                "chat": chat.to_api(),
                "date": int(time.time()),
                "text": text,
            }
            if text.startswith("/"):
                command = text.split(maxsplit=1)[0]
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": _utf16_len(command)}
                ]
        return self.push_update({"message": message})

    def push_callback_query(
        self, chat_id: int, user_id: int, data: str, message_id: int | None = None
    ) -> dict[str, Any]:
        """Queue an Update with a CallbackQuery on a message the bot sent to `chat_id`."""
        with self._lock:
            chat = self._chat(chat_id)
            query: dict[str, Any] = {
                "id": str(next(self._query_ids)),
                "from": self._user(user_id),
                "chat_instance": str(abs(chat_id) * 31 + 1),
                "data": data,
                "message": {
                    "message_id": message_id or 1,
                    "from": self._bot_user(TOKEN),
                    "chat": chat.to_api(),
                    "date": int(time.time()),
                    "text": "…",
                },
            }
        return self.push_update({"callback_query": query})

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._updates)

    # Results

    def calls_of(self, method: str) -> list[ApiCall]:
        name = method.lower()
        with self._lock:
            return [call for call in self.calls if call.method.lower() == name]

    def sent(self, chat_id: int | str | None = None) -> list[ApiCall]:
        """sendMessage and sendPhoto calls answered 200 (to `chat_id`, if given)."""
        with self._lock:
            calls = list(self.calls)
        return [
            call
            for call in calls
            if call.ok
            and call.method.lower() in DELIVERY_METHODS
            and (chat_id is None or chat_id in (call.chat_id, call.params.get("chat_id")))
        ]

    async def wait_for_sent(
        self,
        n: int,
        timeout: float = 5.0,  # noqa: ASYNC109
        chat_id: int | str | None = None,
    ) -> list[ApiCall]:
        """Wait until at least `n` messages were delivered; returns them."""
        return await self._wait_for_sent(n, lambda: self.sent(chat_id), timeout)

    def wait_until_sent(
        self, n: int, timeout: float = 5.0, chat_id: int | str | None = None
    ) -> list[ApiCall]:
        """`wait_for_sent` for synchronous code (with the server `in_thread`)."""
        return self._wait_until_sent(n, lambda: self.sent(chat_id), timeout)

    def _summary(self) -> str:
        with self._lock:
            return ", ".join(f"{call.method}:{call.status}" for call in self.calls) or "none"

    # State helpers (called with the lock held)

    @staticmethod
    def _default_chat_type(chat_id: int) -> ChatType:
        if chat_id > 0:
            return "private"
        return "supergroup" if chat_id <= -1_000_000_000_000 else "group"

    def _chat(self, chat_id: int) -> ChatInfo:
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = ChatInfo(id=chat_id, type=self._default_chat_type(chat_id))
            self._chats[chat_id] = chat
        return chat

    def _user(
        self,
        user_id: int,
        *,
        first_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> dict[str, Any]:
        user = self._users.get(user_id)
        if user is None or first_name or username or language_code:
            user = {"id": user_id, "is_bot": False, "first_name": first_name or f"User {user_id}"}
            if username:
                user["username"] = username
            user["language_code"] = language_code or "en"
            self._users[user_id] = user
        return dict(user)

    def _bot_user(self, token: str) -> dict[str, Any]:
        prefix = token.split(":", 1)[0]
        return {
            "id": int(prefix) if prefix.isdigit() else 1,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _next_message_id(self, chat_id: int) -> int:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def _store_file(self, contents: bytes, file_path: str) -> str:
        number = next(self._file_ids)
        file_id = f"AgACAgFake{number:08d}"
        self._files[file_id] = (file_path, contents)
        return file_id

    def _take_failure(self, method: str, chat_id: Any) -> ScriptedFailure | None:
        for index, failure in enumerate(self._failures):
            if failure.method != method:
                continue
            if failure.chat_id is not None and str(failure.chat_id) != str(chat_id):
                continue
            if failure.times <= 1:
                del self._failures[index]
            else:
                self._failures[index] = replace(failure, times=failure.times - 1)
            return failure
        return None

    def _resolve_chat(self, params: dict[str, Any]) -> ChatInfo:
        value = params.get("chat_id")
        if value is None or value == "":
            raise _Reject(400, "Bad Request: chat_id is empty")
        chat_id = _as_int(value)
        if chat_id is None:
            name = str(value).lstrip("@").lower()
            for chat in self._chats.values():
                if chat.username and chat.username.lower() == name:
                    chat_id = chat.id
                    break
            else:
                raise _Reject(400, "Bad Request: chat not found")
        if chat_id in self._missing:
            raise _Reject(400, "Bad Request: chat not found")
        return self._chat(chat_id)

    # Rate limits

    def _check_rate(self, chat_id: int, now: float) -> None:
        if not self.enforce_limits:
            return
        wait = 0.0
        while self._sends and self._sends[0] <= now - 1.0:
            self._sends.popleft()
        if len(self._sends) >= self.global_per_second:
            wait = self._sends[0] + 1.0 - now
        if chat_id < 0:
            window = self._group_sends.setdefault(chat_id, deque())
            while window and window[0] <= now - 60.0:
                window.popleft()
            if len(window) >= self.group_per_minute:
                wait = max(wait, window[0] + 60.0 - now)
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            raise _Reject(429, f"Too Many Requests: retry after {retry_after}", retry_after)

    def _count_send(self, chat_id: int, now: float) -> None:
        self._sends.append(now)
        if chat_id < 0:
            self._group_sends.setdefault(chat_id, deque()).append(now)

    # Methods

    def _message_base(self, token: str, chat: ChatInfo) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat.id),
            "date": int(time.time()),
            "chat": chat.to_api(),
        }
        if chat.type == "channel":
            message["sender_chat"] = chat.to_api()
        else:
            message["from"] = self._bot_user(token)
        return message

    def _text_content(self, params: dict[str, Any]) -> dict[str, Any]:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _Reject(400, "Bad Request: message text is empty")
        plain, entities = format_text(text, params.get("parse_mode"), params.get("entities"))
        if not plain:
            raise _Reject(400, "Bad Request: message text is empty")
        if len(plain) > MAX_TEXT_LENGTH:
            raise _Reject(400, "Bad Request: message is too long")
        content: dict[str, Any] = {"text": plain}
        if entities:
            content["entities"] = entities
        return content

    def _caption_content(self, params: dict[str, Any]) -> dict[str, Any]:
        caption = params.get("caption")
        if not isinstance(caption, str) or not caption:
            return {}
        plain, entities = format_text(
            caption, params.get("parse_mode"), params.get("caption_entities")
        )
        if len(plain) > MAX_CAPTION_LENGTH:
            raise _Reject(400, "Bad Request: message caption is too long")
        content: dict[str, Any] = {"caption": plain} if plain else {}
        if entities:
            content["caption_entities"] = entities
        return content

    def _media_content(
        self, method: str, params: dict[str, Any], files: dict[str, bytes]
    ) -> dict[str, Any]:
        kind = method.removeprefix("send")
        if kind not in ("photo", "document", "video", "animation", "audio", "voice", "sticker"):
            return {}
        value = params.get(kind)
        contents = files.get(kind)
        if contents is None and (not isinstance(value, str) or value.startswith("attach://")):
            raise _Reject(400, f"Bad Request: there is no {kind} in the request")
        if contents is None:
            contents = b""  # a file_id or an URL: nothing to look at here
        extension = {"photo": "jpg", "sticker": "webp", "voice": "oga"}.get(kind, "bin")
        file_id = self._store_file(contents, f"{kind}s/file_{len(self._files)}.{extension}")
        described: dict[str, Any] = {
            "file_id": file_id,
            "file_unique_id": f"AQAD{file_id[-8:]}",
            "file_size": len(contents),
        }
        if kind == "photo":
            width, height = _png_size(contents) or (800, 600)
            thumb = {**described, "width": min(width, 90), "height": min(height, 90)}
            return {"photo": [thumb, {**described, "width": width, "height": height}]}
        if kind == "sticker":
            described.update(width=512, height=512, type="regular", is_animated=False)
            described["is_video"] = False
        return {kind: described}

    def _send(
        self, method: str, token: str, params: dict[str, Any], files: dict[str, bytes]
    ) -> Answer:
        if method == "sendchataction":
            chat = self._resolve_chat(params)
            if chat.id in self._blocked:
                raise _Reject(403, self._blocked[chat.id])
            return _ok(True)
        if method == "sendmessage":
            content = self._text_content(params)
        else:
            content = self._caption_content(params)
            content.update(self._media_content(method, params, files))
        chat = self._resolve_chat(params)
        if chat.id in self._blocked:
            raise _Reject(403, self._blocked[chat.id])
        now = self.clock()
        self._check_rate(chat.id, now)
        self._count_send(chat.id, now)
        message = self._message_base(token, chat)
        message.update(content)
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        return _ok(message)

    def _handle_method(
        self, method: str, token: str, params: dict[str, Any], files: dict[str, bytes]
    ) -> Answer:
        if "chat_id" in params and method != "getupdates":
            chat_id = _as_int(params["chat_id"])
            if chat_id is not None and chat_id in self._missing:
                raise _Reject(400, "Bad Request: chat not found")
        if method in _MESSAGE_METHODS or method == "sendchataction":
            return self._send(method, token, params, files)
        if method == "getme":
            return _ok(
                {
                    **self._bot_user(token),
                    "can_join_groups": True,
                    "can_read_all_group_messages": False,
                    "supports_inline_queries": False,
                    "can_connect_to_business": False,
                    "has_main_web_app": False,
                }
            )
        if method == "getchat":
            chat = self._resolve_chat(params)
            return _ok(
                {
                    **chat.to_api(),
                    "accent_color_id": 0,
                    "max_reaction_count": 11,
                    "accepted_gift_types": {
                        "unlimited_gifts": False,
                        "limited_gifts": False,
                        "unique_gifts": False,
                        "premium_subscription": False,
                        "gifts_from_channels": False,
                    },
                }
            )
        if method == "getchatmember":
            chat = self._resolve_chat(params)
            user_id = _as_int(params.get("user_id"))
            if user_id is None:
                raise _Reject(400, "Bad Request: user not found")
            status = self._members.get((chat.id, user_id), "member")
            return _ok(self._member(user_id, status))
        if method == "getchatadministrators":
            chat = self._resolve_chat(params)
            admins = [
                self._member(user_id, status)
                for (chat_id, user_id), status in self._members.items()
                if chat_id == chat.id and status in ("creator", "administrator")
            ]
            return _ok(admins)
        if method == "sendmediagroup":
            return self._send_media_group(token, params, files)
        if method == "copymessage":
            chat = self._resolve_chat(params)
            if chat.id in self._blocked:
                raise _Reject(403, self._blocked[chat.id])
            return _ok({"message_id": self._next_message_id(chat.id)})
        if method == "editmessagetext":
            content = self._text_content(params)
            if "chat_id" not in params:
                return _ok(True)  # an inline message
            chat = self._resolve_chat(params)
            message = self._message_base(token, chat)
            message["message_id"] = _as_int(params.get("message_id")) or message["message_id"]
            message["edit_date"] = int(time.time())
            message.update(content)
            return _ok(message)
        if method == "getfile":
            file_id = params.get("file_id")
            stored = self._files.get(str(file_id))
            if stored is None:
                raise _Reject(400, "Bad Request: invalid file_id")
            return _ok(
                {
                    "file_id": file_id,
                    "file_unique_id": f"AQAD{str(file_id)[-8:]}",
                    "file_size": len(stored[1]),
                    "file_path": stored[0],
                }
            )
        if method == "setmycommands":
            commands = params.get("commands")
            if not isinstance(commands, list):
                raise _Reject(400, "Bad Request: can't parse commands JSON object")
            _check_commands(commands)
            key = _menu_key(params)
            self.menus[key] = [dict(command) for command in commands]
            if key == ("default", ""):
                self.commands = commands
            return _ok(True)
        if method == "getmycommands":
            # An exact (scope, language) lookup, as the Bot API answers it: no fallback.
            return _ok(self.menus.get(_menu_key(params), []))
        if method == "deletemycommands":
            self.menus.pop(_menu_key(params), None)
            return _ok(True)
        if method == "deletewebhook":
            if params.get("drop_pending_updates") is True:
                self._updates.clear()
            return _ok(True)
        if method == "getwebhookinfo":
            return _ok(
                {
                    "url": "",
                    "has_custom_certificate": False,
                    "pending_update_count": len(self._updates),
                }
            )
        return _ok(True)  # close, logOut, answerCallbackQuery, anything else

    def _send_media_group(
        self, token: str, params: dict[str, Any], files: dict[str, bytes]
    ) -> Answer:
        media = params.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise _Reject(400, "Bad Request: wrong number of media specified")
        chat = self._resolve_chat(params)
        if chat.id in self._blocked:
            raise _Reject(403, self._blocked[chat.id])
        now = self.clock()
        self._check_rate(chat.id, now)
        messages = []
        for item in media:
            item = item if isinstance(item, dict) else {}
            content = self._caption_content({**item, "parse_mode": item.get("parse_mode")})
            self._count_send(chat.id, now)
            message = self._message_base(token, chat)
            message["media_group_id"] = "1300000000000000001"
            message.update(content)
            messages.append(message)
        return _ok(messages)

    def _member(self, user_id: int, status: MemberStatus) -> dict[str, Any]:
        member: dict[str, Any] = {"status": status, "user": self._user(user_id)}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            member.update(dict.fromkeys(_ADMIN_CANNOT, False))
            member.update(dict.fromkeys(_ADMIN_CAN, True))
        elif status == "restricted":
            member.update(dict.fromkeys(_RESTRICTED_CANNOT, False))
            member.update(is_member=True, until_date=0)
        elif status == "kicked":
            member["until_date"] = 0
        return member

    # getUpdates

    async def _get_updates(self, params: dict[str, Any]) -> Answer:
        offset = _as_int(params.get("offset"))
        limit = min(max(_as_int(params.get("limit")) or 100, 1), 100)
        timeout_value = params.get("timeout")
        timeout = float(timeout_value) if isinstance(timeout_value, int | float) else 0.0
        allowed = params.get("allowed_updates")
        with self._lock:
            if offset is not None and offset < 0:
                while len(self._updates) > -offset:
                    self._updates.popleft()
            elif offset:
                while self._updates and self._updates[0]["update_id"] < offset:
                    self._updates.popleft()
        deadline = time.monotonic() + max(0.0, min(timeout, self.max_poll_seconds))
        while True:
            event = self._update_event
            with self._lock:
                if isinstance(allowed, list) and allowed:
                    # Updates of the other kinds are not kept for this bot.
                    kept = [u for u in self._updates if any(kind in u for kind in allowed)]
                    self._updates = deque(kept)
                batch = list(itertools.islice(self._updates, limit))
            remaining = deadline - time.monotonic()
            if batch or remaining <= 0 or self._stopping:
                return _ok(batch)
            with suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    def _wake_pollers(self) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._set_update_event()
        else:
            loop.call_soon_threadsafe(self._set_update_event)

    def _set_update_event(self) -> None:
        event, self._update_event = self._update_event, asyncio.Event()
        event.set()

    # Handling

    async def _handle(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        method = request.match_info["method"]
        at = self.clock()
        try:
            raw, files, filenames = await _read_form(request)
        except web.HTTPRequestEntityTooLarge:
            status, payload = _error(413, "Request Entity Too Large")
            self._record(
                ApiCall(method, {}, {}, token, at, status, description="Request Entity Too Large")
            )
            return web.json_response(payload, status=status)
        params = {key: decode_param(key, value) for key, value in raw.items()}
        _bind_attachments(params, files, filenames)
        name = method.lower()
        if name == "getupdates":
            with self._lock:
                self.polls_started += 1
        elif self.latency_seconds > 0:
            await asyncio.sleep(self.latency_seconds)
        try:
            status, payload = await self._answer(name, token, params, files)
        except _Reject as reject:
            status, payload = _error(reject.status, reject.description, reject.retry_after)
        retry_after = payload.get("parameters", {}).get("retry_after")
        self._record(
            ApiCall(
                method=method,
                params=params,
                files=files,
                token=token,
                at=at,
                status=status,
                raw=raw,
                filenames=filenames,
                description=payload.get("description"),
                retry_after=retry_after,
                result=payload.get("result"),
            )
        )
        return web.json_response(payload, status=status)

    async def _answer(
        self, method: str, token: str, params: dict[str, Any], files: dict[str, bytes]
    ) -> Answer:
        if self.token is not None and token != self.token:
            return _error(401, "Unauthorized")
        with self._lock:
            failure = self._take_failure(method, params.get("chat_id"))
        if failure is not None:
            return _error(failure.status, failure.description, failure.retry_after)
        if method == "getupdates":
            return await self._get_updates(params)
        with self._lock:
            return self._handle_method(method, token, params, files)

    def _record(self, call: ApiCall) -> None:
        with self._lock:
            self.calls.append(call)
            if call.status == 429:
                self.rejected_429 += 1

    async def _serve_file(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        with self._lock:
            for file_path, contents in self._files.values():
                if file_path == path:
                    return web.Response(body=contents, content_type="application/octet-stream")
        return web.json_response(
            {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
        )

    # Life cycle

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._update_event = asyncio.Event()
        self._stopping = False
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._serve_file)
        # A long poll whose client hung up (polling stopped) is cancelled, not left waiting.
        await self._serve(app, handler_cancellation=True, shutdown_timeout=5.0)

    async def stop(self) -> None:
        self._stopping = True
        self._set_update_event()
        await self._close()

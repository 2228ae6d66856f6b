"""The Telegram sender: one bot, one rate limiter, and the retries and fallbacks of a send.

Every message goes through one rate limiter: under Telegram's ~30 messages/s overall and 20 a
minute to one group or channel. `TelegramRetryAfter` is waited out when short and handed back
to the outbox when long; a blocked bot or a missing chat is `ChatGone`; HTML that Telegram
cannot parse is sent once more as plain text. A group upgraded to a supergroup is `ChatMoved`,
with the supergroup's id.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

# Before any aiogram import: its ~400 types are then built when used, not all at import (issue 21).
from aiprogress.bot import aiogram_import  # noqa: F401

# isort: split
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramRetryAfter,
)
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup, LinkPreviewOptions

from aiprogress.bot.render.telegram import render_telegram, render_telegram_text
from aiprogress.core.errors import ChatGone, ChatMoved, DeliveryError, RetryLater
from aiprogress.core.types import Channel, ChatKind, Digest, Platform
from aiprogress.digest.render import document_from_json

logger = logging.getLogger(__name__)

_GONE = ("chat not found", "bot was kicked", "not enough rights", "need administrator rights")
_TAG = re.compile(r"<[^>]+>")


def make_bot(token: str, api_base: str = "") -> Bot:
    """A bot with HTML parse mode and link previews off; `api_base` points aiogram's session at
    another Bot API server (a local one, or a test's)."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_base)) if api_base else None
    return Bot(
        token,
        session=session,
        default=DefaultBotProperties(
            parse_mode=ParseMode.HTML, link_preview=LinkPreviewOptions(is_disabled=True)
        ),
    )


class RateLimiter:
    """Spaces sends: at most `per_second` overall, and at most `per_minute` in any minute to
    one group or channel. A group waiting for its minute waits alone: the global slot is taken
    only once the group may send, so one busy group never holds up the other chats."""

    def __init__(
        self,
        per_second: float = 28.5,
        per_minute: int = 19,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._interval = 1.0 / per_second
        self._per_minute = per_minute
        self._clock = clock
        self._next = 0.0
        self._lock = asyncio.Lock()
        self._chats: dict[str, deque[float]] = {}
        self._chat_locks: dict[str, asyncio.Lock] = {}

    async def acquire(self, chat: str, *, group: bool) -> None:
        if not group:
            await self._global_slot()
            return
        async with self._chat_locks.setdefault(chat, asyncio.Lock()):
            sent = self._chats.setdefault(chat, deque())
            now = self._clock()
            while sent and sent[0] <= now - 60.0:
                sent.popleft()
            if len(sent) >= self._per_minute:
                await asyncio.sleep(sent[0] + 60.0 - now)
                sent.popleft()
            sent.append(await self._global_slot())

    async def _global_slot(self) -> float:
        """Wait for the next overall slot; returns when it was given."""
        async with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self._interval
        if start > now:
            await asyncio.sleep(start - now)
        return start


def _chat_id(address: str) -> int | str:
    return int(address) if address.lstrip("-").isdigit() else address


def _plain(fragment: str) -> str:
    return html.unescape(_TAG.sub("", fragment))


@dataclass(frozen=True, slots=True)
class SendPolicy:
    # A TelegramRetryAfter up to this long is waited out here; longer ones go back to the outbox.
    max_wait_seconds: float = 60.0


class TelegramSender:
    platform = Platform.TELEGRAM

    def __init__(
        self, bot: Bot, limiter: RateLimiter | None = None, policy: SendPolicy = SendPolicy()
    ) -> None:
        self._bot = bot
        self._limiter = limiter or RateLimiter()
        self._policy = policy
        self._rendered: dict[int, list[str]] = {}

    async def send_digest(
        self,
        channel: Channel,
        digest: Digest,
        *,
        start_part: int,
        part_sent: Callable[[int], Awaitable[None]],
    ) -> None:
        parts = self._rendered.get(digest.id)
        if parts is None:
            # One digest goes to many chats: render it once, keep the last few.
            if digest.document:
                parts = render_telegram(document_from_json(json.loads(digest.document)))
            else:
                parts = render_telegram_text(f"{digest.title}\n\n{digest.body}")
            if len(self._rendered) >= 8:
                self._rendered.pop(next(iter(self._rendered)))
            self._rendered[digest.id] = parts
        group = channel.kind is not ChatKind.PRIVATE
        for index in range(start_part, len(parts)):
            await self.send_html(channel.address, parts[index], group=group)
            await part_sent(index + 1)

    async def send_text(self, address: str, text: str) -> None:
        for part in render_telegram_text(text):
            await self.send_html(address, part, group=not address.lstrip("-").isdigit())

    async def send_html(
        self,
        address: str,
        text: str,
        *,
        group: bool,
        keyboard: InlineKeyboardMarkup | None = None,
    ) -> None:
        await self._call(
            address,
            group,
            lambda chat, parse_mode, body: self._bot.send_message(
                chat, body, parse_mode=parse_mode, reply_markup=keyboard
            ),
            text,
        )

    async def send_photo(self, address: str, image: bytes, name: str, *, group: bool) -> None:
        photo = BufferedInputFile(image, filename=name)
        await self._call(
            address,
            group,
            lambda chat, parse_mode, body: self._bot.send_photo(chat, photo),
            "",
        )

    async def _call(
        self,
        address: str,
        group: bool,
        send: Callable[[int | str, ParseMode | None, str], Awaitable[object]],
        text: str,
    ) -> None:
        parse_mode: ParseMode | None = ParseMode.HTML
        while True:
            await self._limiter.acquire(address, group=group)
            try:
                await send(_chat_id(address), parse_mode, text)
                return
            except TelegramMigrateToChat as error:
                # A group upgraded to a supergroup keeps its members and history under a new
                # id: the outbox moves the channel there, in storage, and sends it there.
                moved = str(error.migrate_to_chat_id)
                if moved == address:
                    raise DeliveryError(_describe(error)) from None
                raise ChatMoved(_describe(error), moved) from None
            except TelegramRetryAfter as error:
                if error.retry_after > self._policy.max_wait_seconds:
                    raise RetryLater(
                        f"Telegram asks to wait {error.retry_after} s", error.retry_after
                    ) from None
                logger.info("telegram: 429, waiting %s s", error.retry_after)
                await asyncio.sleep(error.retry_after)
            except TelegramForbiddenError as error:
                raise ChatGone(_describe(error)) from None
            except TelegramBadRequest as error:
                described = _describe(error)
                if any(reason in described.lower() for reason in _GONE):
                    raise ChatGone(described) from None
                if "can't parse entities" in described.lower() and parse_mode is not None:
                    logger.warning("telegram: HTML refused (%s); sending plain text", described)
                    parse_mode, text = None, _plain(text)
                    continue
                raise DeliveryError(described) from None
            except TelegramAPIError as error:
                raise DeliveryError(_describe(error)) from None


def _describe(error: TelegramAPIError) -> str:
    # aiogram's message carries Telegram's description; the request (with the token) stays out.
    return error.message

"""The Telegram front end (aiogram 3): routers over the command layer, and the outbox's sender.

Dependencies reach handlers through the dispatcher (`dp["layer"]`), as aiogram's examples do.
Every message goes through one rate limiter: under Telegram's ~30 messages/s overall and 20 a
minute to one group or channel. `TelegramRetryAfter` is waited out when short and handed back
to the outbox when long; a blocked bot or a missing chat is `ChatGone`; HTML that Telegram
cannot parse is sent once more as plain text.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ChatMemberStatus, ChatType, ParseMode
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.filters import Command, CommandObject
from aiogram.methods import GetUpdates, Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import (
    BotCommand,
    BotCommandScopeDefault,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    User,
)
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from aiprogress.bot.command_registry import features, menu
from aiprogress.bot.commands import Caller, CommandLayer, Reply
from aiprogress.bot.render.split import CAPTION_LIMIT
from aiprogress.bot.render.telegram import render_telegram, render_telegram_text
from aiprogress.core.errors import (
    ChatGone,
    ConfigError,
    DeliveryError,
    PlatformUnreachable,
    RetryLater,
)
from aiprogress.core.messages import language_of_locale
from aiprogress.core.types import Channel, ChatKind, Digest, Language, Platform
from aiprogress.digest.render import document_from_json

logger = logging.getLogger(__name__)

# Commands by feature, from the one command registry; each feature is a router.
FEATURES: dict[str, tuple[str, ...]] = features()
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
            lambda parse_mode, body: self._bot.send_message(
                _chat_id(address), body, parse_mode=parse_mode, reply_markup=keyboard
            ),
            text,
        )

    async def send_photo(self, address: str, image: bytes, name: str, *, group: bool) -> None:
        photo = BufferedInputFile(image, filename=name)
        await self._call(
            address,
            group,
            lambda parse_mode, body: self._bot.send_photo(_chat_id(address), photo),
            "",
        )

    async def _call(
        self,
        address: str,
        group: bool,
        send: Callable[[ParseMode | None, str], Awaitable[object]],
        text: str,
    ) -> None:
        parse_mode: ParseMode | None = ParseMode.HTML
        while True:
            await self._limiter.acquire(address, group=group)
            try:
                await send(parse_mode, text)
                return
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


def _kind(chat_type: str) -> ChatKind:
    if chat_type == ChatType.PRIVATE:
        return ChatKind.PRIVATE
    if chat_type == ChatType.CHANNEL:
        return ChatKind.CHANNEL
    return ChatKind.GROUP


_ADMINS = (ChatMemberStatus.CREATOR, ChatMemberStatus.ADMINISTRATOR)


# Callback data of a choice's button: the prefix, then "command args" (Telegram allows 64 bytes).
_CHOICE = "run:"


def _keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.choices:
        return None
    buttons = [
        InlineKeyboardButton(
            text=choice.label, callback_data=f"{_CHOICE}{choice.command} {choice.args}"[:64]
        )
        for choice in reply.choices
    ]
    return InlineKeyboardMarkup(inline_keyboard=[buttons])


async def _reply(sender: TelegramSender, message: Message, reply: Reply) -> None:
    address = str(message.chat.id)
    group = message.chat.type != ChatType.PRIVATE
    if reply.document is not None:
        parts = render_telegram(reply.document)
    else:
        parts = render_telegram_text(reply.text)
    for index, part in enumerate(parts):
        keyboard = _keyboard(reply) if index == len(parts) - 1 else None
        await sender.send_html(address, part, group=group, keyboard=keyboard)
    if reply.image is not None:
        await sender.send_photo(address, reply.image, reply.image_name or "image.png", group=group)


def _caller(message: Message, bot: Bot, user: User | None = None) -> Caller:
    """Who runs a command in the message's chat: its sender, or `user` (who pressed a button
    under the bot's own message)."""
    user = user or message.from_user
    user_id = str(user.id) if user is not None else ""

    async def is_admin(address: str) -> bool:
        try:
            member = await bot.get_chat_member(_chat_id(address), int(user_id or 0))
        except TelegramAPIError:
            return False
        return member.status in _ADMINS

    return Caller(
        platform=Platform.TELEGRAM,
        chat_address=str(message.chat.id),
        user_id=user_id,
        chat_kind=_kind(message.chat.type),
        is_chat_admin=is_admin,
        chat_title=message.chat.title or "",
        user_language=language_of_locale(user.language_code if user is not None else None),
    )


def _router(name: str, commands: Sequence[str]) -> Router:
    router = Router(name=name)

    @router.message(Command(*commands))
    async def handle(
        message: Message,
        command: CommandObject,
        bot: Bot,
        layer: CommandLayer,
        sender: TelegramSender,
    ) -> None:
        reply = await layer.handle(_caller(message, bot), command.command, command.args or "")
        await _reply(sender, message, reply)

    return router


def _choices() -> Router:
    """A button of a reply's choices pressed: its command runs as the user who pressed it, and
    the answer replaces the question (and its buttons)."""
    router = Router(name="choices")

    @router.callback_query(F.data.startswith(_CHOICE))
    async def handle(query: CallbackQuery, bot: Bot, layer: CommandLayer) -> None:
        message = query.message
        if not isinstance(message, Message):
            await query.answer()  # the message is too old to be read or edited
            return
        command, _, args = (query.data or "").removeprefix(_CHOICE).partition(" ")
        reply = await layer.handle(_caller(message, bot, query.from_user), command, args)
        await query.answer()
        text = render_telegram_text(reply.text)[0] if reply.text else "…"
        try:
            await bot.edit_message_text(
                text=text,
                chat_id=message.chat.id,
                message_id=message.message_id,
                reply_markup=_keyboard(reply),
            )
        except TelegramAPIError as error:
            # Pressed twice, or the message is gone: the command ran; only its echo failed.
            logger.warning("telegram: the answer to a button was not shown: %s", _describe(error))

    return router


def _unknown_commands() -> Router:
    """Included last: a /command no feature took. It is answered (from the catalogue, in the
    chat's language) in a private chat, and in a group only when addressed to this bot
    (/command@thisbot): a bare /command there may be another bot's. Text that is not a command
    is not answered."""
    router = Router(name="unknown")

    @router.message(F.text.startswith("/"))
    async def handle(
        message: Message, bot: Bot, layer: CommandLayer, sender: TelegramSender
    ) -> None:
        word = (message.text or "").split(maxsplit=1)[0][1:]
        command, _, mention = word.partition("@")
        if not command:
            return
        if mention or message.chat.type != ChatType.PRIVATE:
            username = (await bot.me()).username or ""
            if mention.lower() != username.lower():
                return
        reply = await layer.handle(_caller(message, bot), command, "")
        await _reply(sender, message, reply)

    return router


async def register_menus(bot: Bot, default_language: Language) -> None:
    """The command menu, from the command registry: one per language Telegram users may have
    (language_code), and the default language's for everyone else."""
    for language in Language:
        await bot.set_my_commands(
            _bot_commands(language),
            scope=BotCommandScopeDefault(),
            language_code=language.value,
        )
    await bot.set_my_commands(_bot_commands(default_language), scope=BotCommandScopeDefault())


def _bot_commands(language: Language) -> list[BotCommand]:
    return [BotCommand(command=name, description=text) for name, text in menu(language)]


async def start_webhook(
    dispatcher: Dispatcher,
    bot: Bot,
    *,
    public_url: str,
    host: str,
    port: int,
    secret: str,
    path: str = "/telegram/webhook",
) -> web.AppRunner:
    """Webhook mode: register `public_url` with Telegram and serve updates on host:port.
    Telegram sends `secret` in a header on every call; requests without it are refused."""
    app = web.Application()
    SimpleRequestHandler(dispatcher=dispatcher, bot=bot, secret_token=secret).register(app, path)
    setup_application(app, dispatcher, bot=bot)
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        await bot.set_webhook(public_url, secret_token=secret, drop_pending_updates=False)
    except TelegramAPIError as error:
        await runner.cleanup()
        raise PlatformUnreachable(f"Telegram refused the webhook: {_describe(error)}") from None
    except BaseException:
        await runner.cleanup()
        raise
    return runner


UNAUTHORIZED = "Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized): check it with @BotFather"


async def check_token(bot: Bot) -> None:
    """getMe, once: Telegram knows the token (`ConfigError` if not) and can be reached
    (`PlatformUnreachable` if not). aiogram keeps the answer, so polling does not ask again."""
    try:
        await bot.me()
    except TelegramUnauthorizedError:
        raise ConfigError(UNAUTHORIZED) from None
    except TelegramAPIError as error:
        raise PlatformUnreachable(
            f"cannot reach the Telegram Bot API: {_describe(error)}"
        ) from None


class _PollWatch(BaseRequestMiddleware):
    """Sees each getUpdates of the polling loop: whether it was answered, and whether Telegram
    rejected the token (aiogram logs that and tries again, forever)."""

    def __init__(self, report: Callable[[str | None], None]) -> None:
        self._report = report
        self.rejected = asyncio.Event()

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        polls = isinstance(method, GetUpdates)  # kept apart: narrowing would retype `method`
        if not polls:
            return await make_request(bot, method)
        try:
            response = await make_request(bot, method)
        except TelegramUnauthorizedError:
            self._report(UNAUTHORIZED)
            self.rejected.set()
            raise
        except TelegramAPIError as error:
            self._report(f"getUpdates failed: {_describe(error)}")
            raise
        self._report(None)
        return response


async def poll(dispatcher: Dispatcher, bot: Bot, report: Callable[[str | None], None]) -> None:
    """Long polling until cancelled. `report(None)` when it starts and after each getUpdates
    Telegram answered, `report(cause)` after each that failed (aiogram retries those itself).
    A rejected token ends it with `ConfigError`: retrying that is the caller's decision."""
    watch = _PollWatch(report)
    bot.session.middleware(watch)
    report(None)
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, close_bot_session=False)
    )
    rejected = asyncio.create_task(watch.rejected.wait())
    try:
        await asyncio.wait((polling, rejected), return_when=asyncio.FIRST_COMPLETED)
    finally:
        rejected.cancel()
        if not polling.done():
            # Stopped, not cancelled: a cancelled start_polling leaves its polling loop running.
            try:
                await dispatcher.stop_polling()
            except RuntimeError:  # not started yet: then nothing runs that cancelling leaves
                polling.cancel()
        await asyncio.gather(polling, rejected, return_exceptions=True)
        bot.session.middleware.unregister(watch)
    if watch.rejected.is_set():
        raise ConfigError(UNAUTHORIZED)
    polling.result()  # its error, if it ended with one


def build_dispatcher(layer: CommandLayer, sender: TelegramSender) -> Dispatcher:
    dispatcher = Dispatcher()
    dispatcher["layer"] = layer
    dispatcher["sender"] = sender
    for name, commands in FEATURES.items():
        dispatcher.include_router(_router(name, commands))
    dispatcher.include_router(_choices())
    dispatcher.include_router(_unknown_commands())
    return dispatcher


__all__ = [
    "CAPTION_LIMIT",
    "FEATURES",
    "UNAUTHORIZED",
    "RateLimiter",
    "TelegramSender",
    "build_dispatcher",
    "check_token",
    "make_bot",
    "poll",
    "register_menus",
    "start_webhook",
]

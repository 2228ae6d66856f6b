"""Starting the Telegram front end: the token check, the command menus, and updates by long
polling (watched, so a rejected token ends it) or by webhook."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection

# Before any aiogram import: its ~400 types are then built when used, not all at import (issue 21).
from aiprogress.bot import aiogram_import  # noqa: F401

# isort: split
from aiogram import Bot, Dispatcher
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramAPIError, TelegramUnauthorizedError
from aiogram.methods import GetUpdates, Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from aiprogress.bot.command_registry import menu
from aiprogress.bot.telegram_send import _describe
from aiprogress.core.errors import ConfigError, PlatformUnreachable
from aiprogress.core.types import Language

logger = logging.getLogger(__name__)


async def register_menus(
    bot: Bot, default_language: Language, owners: Collection[str] = ()
) -> None:
    """The command menu, from the command registry: one per language Telegram users may have
    (language_code), and the default language's for everyone else. Each owner's private chat
    with the bot gets the owners' menu (everyone's commands and theirs) the same way: only
    there, so no one else is offered commands that would refuse them. An owner the bot cannot
    set it for (one who never started the bot: "chat not found") is logged; the others get it."""
    await _set_menus(bot, default_language, BotCommandScopeDefault(), owners=False)
    for owner in sorted(owners):
        if not owner.lstrip("-").isdigit():
            logger.warning("telegram: owner id %r is not a user id: no owners' menu", owner)
            continue
        try:
            await _set_menus(
                bot, default_language, BotCommandScopeChat(chat_id=int(owner)), owners=True
            )
        except TelegramAPIError as error:
            logger.warning(
                "telegram: the owners' menu was not set for %s: %s", owner, _describe(error)
            )


async def _set_menus(
    bot: Bot,
    default_language: Language,
    scope: BotCommandScopeDefault | BotCommandScopeChat,
    *,
    owners: bool,
) -> None:
    for language in Language:
        await bot.set_my_commands(
            _bot_commands(language, owners), scope=scope, language_code=language.value
        )
    await bot.set_my_commands(_bot_commands(default_language, owners), scope=scope)


def _bot_commands(language: Language, owners: bool) -> list[BotCommand]:
    return [
        BotCommand(command=name, description=text) for name, text in menu(language, owners=owners)
    ]


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
        # The update types the routers handle (channel posts too), as polling asks for them;
        # without, Telegram keeps whatever an earlier setWebhook chose.
        await bot.set_webhook(
            public_url,
            secret_token=secret,
            drop_pending_updates=False,
            allowed_updates=dispatcher.resolve_used_update_types(),
        )
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

"""The bots' composition: the command layer, the channel desk, the senders and the outbox.

Imported only by the commands that run a bot or deliver, so `collect` never loads aiogram or
discord.py. Each bot is built only when its token is set."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from aiprogress.app.models_data import ensure_models
from aiprogress.app.startup_checks import check_bot_settings, listen_error
from aiprogress.app.supervision import BotHealth, supervise
from aiprogress.app.wiring import App, item_filter
from aiprogress.bot.commands import DIGESTS_AT_ONCE, CommandLayer
from aiprogress.core.channels import ChannelDesk
from aiprogress.core.errors import ConfigError
from aiprogress.core.outbox import Outbox, OutboxSettings
from aiprogress.core.ports import Sender
from aiprogress.core.types import Channel, ChannelUpdate, ChatKind, Period, Platform
from aiprogress.digest.chart_cache import ChartCache

if TYPE_CHECKING:
    from aiogram import Bot, Dispatcher
    from aiohttp import web

    from aiprogress.app.settings import Settings
    from aiprogress.bot.discord import AiProgressDiscordBot
    from aiprogress.bot.telegram import TelegramSender

logger = logging.getLogger(__name__)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# `run` serves bots; without a token, the console's one cycle is what there is to run.
WITHOUT_A_BOT = (
    "no bot token is set: set TELEGRAM_BOT_TOKEN or DISCORD_BOT_TOKEN, or run "
    "`aiprogress run --once` to print the digest here"
)
CONSOLE_RETIRED = "a bot token is set: digests go to the bots' chats"


def console_write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def console_write_stderr(text: str) -> None:
    sys.stderr.write(text)
    sys.stderr.flush()


def has_bot_token(settings: Settings) -> bool:
    return settings.telegram.bot_token is not None or settings.discord.bot_token is not None


async def console_chat(app: App) -> Channel:
    """The console's chat, the one subscriber of the embedded default (no bot token set):
    created on first use and subscribed to the daily digest, its first one the day ending
    then. One retired while a token was set is subscribed again, from its last digest on. Its
    language is AIPROGRESS_LANGUAGE's, now: a console has no /lang, the setting is its only
    way to choose (a chat keeps the language it was created in otherwise)."""
    from aiprogress.bot.console import CONSOLE_ADDRESS

    desk = channel_desk(app)
    console = await desk.chat(Platform.CONSOLE, CONSOLE_ADDRESS, kind=ChatKind.PRIVATE)
    if console.language is not app.settings.digest.language:
        console = await desk.set_language(console, app.settings.digest.language)
    if console.period is None:
        console = await desk.subscribe(console, period=Period.DAY)
        console = await app.store.channels.update(
            console.id, ChannelUpdate(last_published_at=_EPOCH)
        )
    elif not console.active:
        console = await app.store.channels.update(console.id, ChannelUpdate(active=True))
    return console


async def retire_console(app: App) -> None:
    """With a bot token set the console is no chat: digests go to the bots' chats. A console
    subscribed by an earlier run without a token is made inactive, so that no digest is
    written and queued for it any more, where no process would ever print it (its queued
    rows fail as any inactive chat's do)."""
    from aiprogress.bot.console import CONSOLE_ADDRESS

    console = await app.store.channels.find(Platform.CONSOLE, CONSOLE_ADDRESS)
    if console is not None and console.active:
        await app.store.channels.update(
            console.id, ChannelUpdate(active=False, deactivated_reason=CONSOLE_RETIRED)
        )


async def console_follows_tokens(app: App) -> None:
    """The console is the chat exactly while no bot token is set."""
    if has_bot_token(app.settings):
        await retire_console(app)
    else:
        await console_chat(app)


def channel_desk(app: App) -> ChannelDesk:
    return ChannelDesk(
        store=app.store,
        service=app.service,
        default_language=app.settings.digest.language,
        filter_compiler=item_filter,
        clock=app.clock,
    )


def command_layer(
    app: App, owners: frozenset[str], digest_slots: asyncio.Semaphore, chart: ChartCache
) -> CommandLayer:
    return CommandLayer(
        service=app.service,
        desk=channel_desk(app),
        owner_ids=owners,
        chart=chart,
        digest_slots=digest_slots,
    )


@dataclass
class Bots:
    """The bots whose tokens are set, one outbox over their senders, and the charts their
    /compare answers share."""

    outbox: Outbox
    chart: ChartCache = field(default_factory=ChartCache)
    telegram: TelegramFront | None = None
    discord: AiProgressDiscordBot | None = None


@asynccontextmanager
async def open_bots(
    app: App, *, require: bool = True, console: Callable[[str], None] = console_write
) -> AsyncIterator[Bots]:
    """The bots whose tokens are set, logged in: a token that is malformed or that its platform
    rejects, or a platform out of reach, is an error here, before anything runs. With no token
    set, `require` makes that an error too; without it the console is the one platform, its
    digests written with `console`. The queue's rows for Telegram or Discord chats stay
    queued then (the outbox has no sender for them), for a process with their token."""
    settings = app.settings
    check_bot_settings(settings)
    senders: dict[Platform, Sender] = {}
    # One bound on the /digest answers written at once, shared by both bots' commands.
    digest_slots = asyncio.Semaphore(DIGESTS_AT_ONCE)
    # One chart cache for both bots: a comparison is drawn once and its PNG reused on either
    # platform (the chart does not depend on it), and held once. Pillow is loaded on the
    # first /compare, not when a bot starts.
    chart = ChartCache()
    async with AsyncExitStack() as stack:
        telegram = discord_bot = None
        if settings.telegram.bot_token is not None:
            from aiprogress.bot.telegram import TelegramSender, build_dispatcher, make_bot

            bot = make_bot(
                settings.telegram.bot_token.get_secret_value(), settings.telegram.api_base
            )
            stack.push_async_callback(bot.session.close)
            await _check_telegram_token(bot, settings.telegram.api_base)
            from aiprogress.bot.telegram import RateLimiter

            sender = TelegramSender(bot, RateLimiter(per_second=settings.run.telegram_rate))
            layer = command_layer(app, settings.telegram.owners, digest_slots, chart)
            telegram = TelegramFront(bot, build_dispatcher(layer, sender), sender)
            senders[Platform.TELEGRAM] = sender
        if settings.discord.bot_token is not None:
            from aiprogress.bot.discord import AiProgressDiscordBot, log_in

            async def model_names(current: str) -> list[str]:
                matches = await app.service.models.search(current or "gpt", limit=25)
                return [match.model.display_name for match in matches]

            discord_bot = AiProgressDiscordBot(
                layer=command_layer(app, settings.discord.owners, digest_slots, chart),
                model_names=model_names,
                test_guild_id=settings.discord.test_guild_id,
                api_base=settings.discord.api_base,
            )
            stack.push_async_callback(discord_bot.close)
            # REST login only (the gateway connects in `run`): enough to deliver.
            await log_in(discord_bot, settings.discord.bot_token.get_secret_value())
            senders[Platform.DISCORD] = discord_bot.sender
        if require and not senders:
            raise ConfigError(WITHOUT_A_BOT)
        if senders:
            # After the logins: a token the platform rejects, or a platform out of reach, is
            # said at once, not after the bundled model data's import (seconds on a new
            # database), and leaves the knowledge base as it was.
            await ensure_models(app.service.models)
        if not senders:
            # The embedded default: digests are printed, through the same outbox.
            from aiprogress.bot.console import ConsoleSender

            senders[Platform.CONSOLE] = ConsoleSender(console)
        await console_follows_tokens(app)
        outbox = Outbox(
            store=app.store,
            senders=senders,
            clock=app.clock,
            settings=OutboxSettings(
                lease=timedelta(seconds=settings.run.delivery_lease),
                concurrency=settings.run.send_concurrency,
                language=app.settings.digest.language,
            ),
        )
        yield Bots(outbox=outbox, chart=chart, telegram=telegram, discord=discord_bot)


async def _check_telegram_token(bot: Bot, api_base: str) -> None:
    """`check_token`, and an answer that is not the Bot API's JSON (a proxy's or a web
    server's error page at TELEGRAM_API_BASE) in one line too, where aiogram's
    ClientDecodeError came with its traceback. The page itself is left out: it may quote
    the request's path, which holds the token."""
    from aiogram.exceptions import ClientDecodeError

    from aiprogress.bot.telegram import check_token
    from aiprogress.core.errors import PlatformUnreachable

    try:
        await check_token(bot)
    except ClientDecodeError:
        where = api_base or "https://api.telegram.org"
        raise PlatformUnreachable(
            f"the Telegram Bot API at {where} answered with something other than the Bot "
            "API's JSON (an error page?): check TELEGRAM_API_BASE, or the proxy in front of it"
        ) from None


@dataclass(frozen=True, slots=True)
class TelegramFront:
    bot: Bot
    dispatcher: Dispatcher
    sender: TelegramSender


@asynccontextmanager
async def running_bots(app: App, bots: Bots, health: BotHealth) -> AsyncIterator[None]:
    """The bots' own loops (Telegram's polling, Discord's gateway) under supervision, or
    Telegram's webhook server, until the block exits. The webhook's port is taken here, so a
    port in use stops `run` before it starts."""
    async with AsyncExitStack() as stack:
        tasks: list[asyncio.Task[None]] = []
        if bots.telegram is not None:
            front, hook = bots.telegram, app.settings.telegram
            await _register_menus(app, front)
            if hook.webhook_url:
                runner = await _start_webhook(app, front)
                stack.push_async_callback(runner.cleanup)
                health.report("telegram", None)
            elif hook.polling:
                from aiprogress.bot.telegram import poll

                def report(cause: str | None) -> None:
                    health.report("telegram", cause)

                async def run_telegram() -> None:
                    await poll(front.dispatcher, front.bot, report)

                tasks.append(asyncio.create_task(supervise("telegram", run_telegram, health)))
        if bots.discord is not None:
            client = bots.discord

            async def connected() -> None:
                health.report("discord", None)

            async def disconnected() -> None:
                health.report("discord", "disconnected from the gateway")

            client.add_listener(connected, "on_ready")
            client.add_listener(connected, "on_resumed")
            client.add_listener(disconnected, "on_disconnect")
            health.report("discord", "connecting to the gateway")

            async def run_discord() -> None:
                await client.connect(reconnect=True)

            tasks.append(asyncio.create_task(supervise("discord", run_discord, health)))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)


async def _register_menus(app: App, front: TelegramFront) -> None:
    from aiogram.exceptions import TelegramAPIError

    from aiprogress.bot.telegram import register_menus

    try:
        await register_menus(front.bot, app.settings.digest.language, app.settings.telegram.owners)
    except TelegramAPIError as error:  # the bot works without its menu
        logger.warning("telegram: the command menu was not registered: %s", error.message)


async def _start_webhook(app: App, front: TelegramFront) -> web.AppRunner:
    from aiprogress.bot.telegram import start_webhook

    hook = app.settings.telegram
    if hook.webhook_secret is None:  # check_bot_settings refuses it; mypy does not know
        raise ConfigError("TELEGRAM_WEBHOOK_SECRET must be set in webhook mode")
    try:
        return await start_webhook(
            front.dispatcher,
            front.bot,
            public_url=hook.webhook_url,
            host=hook.webhook_host,
            port=hook.webhook_port,
            secret=hook.webhook_secret.get_secret_value(),
        )
    except OSError as error:
        raise listen_error(
            "TELEGRAM_WEBHOOK_HOST, TELEGRAM_WEBHOOK_PORT",
            hook.webhook_host,
            hook.webhook_port,
            error,
        ) from None

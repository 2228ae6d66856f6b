"""The bots' composition: the command layer, the channel desk, the senders and the outbox.

Imported only by the commands that run a bot or deliver, so `collect` never loads aiogram or
discord.py. Each bot is built only when its token is set."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from aiprogress.app.models_data import ensure_models
from aiprogress.app.wiring import App, item_filter
from aiprogress.bot.commands import CommandLayer
from aiprogress.core.channels import ChannelDesk
from aiprogress.core.errors import ConfigError
from aiprogress.core.outbox import Outbox, OutboxSettings
from aiprogress.core.ports import Sender
from aiprogress.core.types import ChannelUpdate, ChatKind, Period, Platform
from aiprogress.digest.chart_cache import ChartCache

if TYPE_CHECKING:
    from aiogram import Bot, Dispatcher

    from aiprogress.bot.discord import AiProgressDiscordBot
    from aiprogress.bot.telegram import TelegramSender

logger = logging.getLogger(__name__)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def console_write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def channel_desk(app: App) -> ChannelDesk:
    return ChannelDesk(
        store=app.store,
        service=app.service,
        default_language=app.settings.digest.language,
        filter_compiler=item_filter,
        clock=app.clock,
    )


def command_layer(app: App, owners: frozenset[str]) -> CommandLayer:
    # Each distinct comparison is drawn once and its PNG reused; matplotlib is loaded on the
    # first /compare, not when a bot starts.
    return CommandLayer(
        service=app.service, desk=channel_desk(app), owner_ids=owners, chart=ChartCache()
    )


@dataclass
class Bots:
    """The bots whose tokens are set, and one outbox over their senders."""

    outbox: Outbox
    telegram: TelegramFront | None = None
    discord: AiProgressDiscordBot | None = None


@asynccontextmanager
async def open_bots(app: App, *, require: bool = True) -> AsyncIterator[Bots]:
    settings = app.settings
    senders: dict[Platform, Sender] = {}
    async with AsyncExitStack() as stack:
        telegram = discord_bot = None
        if settings.telegram.bot_token is not None or settings.discord.bot_token is not None:
            await ensure_models(app.service.models)
        if settings.telegram.bot_token is not None:
            from aiprogress.bot.telegram import TelegramSender, build_dispatcher, make_bot

            bot = make_bot(
                settings.telegram.bot_token.get_secret_value(), settings.telegram.api_base
            )
            stack.push_async_callback(bot.session.close)
            from aiprogress.bot.telegram import RateLimiter

            sender = TelegramSender(bot, RateLimiter(per_second=settings.run.telegram_rate))
            layer = command_layer(app, settings.telegram.owners)
            telegram = TelegramFront(bot, build_dispatcher(layer, sender), sender)
            senders[Platform.TELEGRAM] = sender
        if settings.discord.bot_token is not None:
            from aiprogress.bot.discord import AiProgressDiscordBot

            async def model_names(current: str) -> list[str]:
                matches = await app.service.models.search(current or "gpt", limit=25)
                return [match.model.display_name for match in matches]

            discord_bot = AiProgressDiscordBot(
                layer=command_layer(app, settings.discord.owners),
                model_names=model_names,
                test_guild_id=settings.discord.test_guild_id,
            )
            stack.push_async_callback(discord_bot.close)
            # REST login only (the gateway connects in `run`): enough to deliver.
            await discord_bot.login(settings.discord.bot_token.get_secret_value())
            senders[Platform.DISCORD] = discord_bot.sender
        if require and not senders:
            raise ConfigError("no bot token is set: set TELEGRAM_BOT_TOKEN or DISCORD_BOT_TOKEN")
        if not senders:
            # The embedded default: digests are printed, through the same outbox.
            from aiprogress.bot.console import CONSOLE_ADDRESS, ConsoleSender

            senders[Platform.CONSOLE] = ConsoleSender(console_write)
            desk = channel_desk(app)
            console = await desk.chat(Platform.CONSOLE, CONSOLE_ADDRESS, kind=ChatKind.PRIVATE)
            if console.period is None:
                console = await desk.subscribe(console, period=Period.DAY)
                await app.store.channels.update(console.id, ChannelUpdate(last_published_at=_EPOCH))
        outbox = Outbox(
            store=app.store,
            senders=senders,
            clock=app.clock,
            settings=OutboxSettings(
                lease=timedelta(seconds=settings.run.delivery_lease),
                concurrency=settings.run.send_concurrency,
            ),
        )
        yield Bots(outbox=outbox, telegram=telegram, discord=discord_bot)


@dataclass(frozen=True, slots=True)
class TelegramFront:
    bot: Bot
    dispatcher: Dispatcher
    sender: TelegramSender


def bot_tasks(app: App, bots: Bots) -> list[asyncio.Task[object]]:
    """The bots' own loops: Telegram's polling or webhook, Discord's gateway."""
    tasks: list[asyncio.Task[object]] = []
    if bots.telegram is not None:
        tasks.append(asyncio.create_task(_run_telegram(app, bots.telegram)))
    if bots.discord is not None:
        tasks.append(asyncio.create_task(bots.discord.connect(reconnect=True)))
    return tasks


async def _run_telegram(app: App, front: TelegramFront) -> None:
    from aiogram.exceptions import TelegramAPIError

    from aiprogress.bot.telegram import register_menus, start_webhook

    bot, dispatcher = front.bot, front.dispatcher
    hook = app.settings.telegram
    try:
        await register_menus(bot, app.settings.digest.language)
    except TelegramAPIError as error:  # the bot works without its menu
        logger.warning("telegram: the command menu was not registered: %s", error.message)
    if not hook.webhook_url:
        if hook.polling:
            await dispatcher.start_polling(bot, handle_signals=False)
        return
    if hook.webhook_secret is None:
        raise ConfigError("TELEGRAM_WEBHOOK_SECRET must be set in webhook mode")
    runner = await start_webhook(
        dispatcher,
        bot,
        public_url=hook.webhook_url,
        host=hook.webhook_host,
        port=hook.webhook_port,
        secret=hook.webhook_secret.get_secret_value(),
    )
    try:
        await asyncio.Event().wait()  # until cancelled
    finally:
        await runner.cleanup()

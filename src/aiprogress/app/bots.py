"""The bots' composition: the command layer, the channel desk, the senders and the outbox.

Imported only by the commands that run a bot or deliver, so `collect` never loads aiogram or
discord.py. Each bot is built only when its token is set."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiprogress.app.models_data import ensure_models
from aiprogress.app.wiring import App, item_filter
from aiprogress.bot.commands import CommandLayer
from aiprogress.core.channels import ChannelDesk
from aiprogress.core.errors import ConfigError
from aiprogress.core.outbox import Outbox
from aiprogress.core.ports import Sender
from aiprogress.core.types import Platform

if TYPE_CHECKING:
    from aiogram import Bot, Dispatcher

    from aiprogress.bot.discord import AiProgressDiscordBot
    from aiprogress.bot.telegram import TelegramSender

logger = logging.getLogger(__name__)


def channel_desk(app: App) -> ChannelDesk:
    return ChannelDesk(
        store=app.store,
        service=app.service,
        default_language=app.settings.digest.language,
        filter_compiler=item_filter,
    )


def _chart(*args: object) -> bytes:
    # matplotlib is loaded on the first /compare, not when a bot starts.
    from aiprogress.digest.chart import render_comparison_chart

    return render_comparison_chart(*args)  # type: ignore[arg-type]


def command_layer(app: App, owners: frozenset[str]) -> CommandLayer:
    return CommandLayer(service=app.service, desk=channel_desk(app), owner_ids=owners, chart=_chart)


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
            sender = TelegramSender(bot)
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
        outbox = Outbox(store=app.store, senders=senders, clock=app.clock)
        yield Bots(outbox=outbox, telegram=telegram, discord=discord_bot)


@dataclass(frozen=True, slots=True)
class TelegramFront:
    bot: Bot
    dispatcher: Dispatcher
    sender: TelegramSender


async def run_bots(app: App, bots: Bots) -> None:
    """Both bots in one event loop with the delivery loop, until cancelled."""
    settings = app.settings
    tasks: list[asyncio.Task[object]] = []

    async def deliver_forever() -> None:
        while True:
            try:
                await bots.outbox.deliver_pending()
                if bots.telegram is not None:
                    owners = sorted(settings.telegram.owners)
                    await bots.outbox.deliver_notices(Platform.TELEGRAM, owners)
            except Exception:  # a bad run must not end the loop; it is logged and retried
                logger.exception("delivery run failed")
            await asyncio.sleep(settings.telegram.deliver_every)

    tasks.append(asyncio.create_task(deliver_forever()))
    if bots.telegram is not None:
        tasks.append(asyncio.create_task(_run_telegram(app, bots.telegram)))
    if bots.discord is not None:
        tasks.append(asyncio.create_task(bots.discord.connect(reconnect=True)))
    try:
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()


async def _run_telegram(app: App, front: TelegramFront) -> None:
    from aiprogress.bot.telegram import start_webhook

    bot, dispatcher = front.bot, front.dispatcher
    hook = app.settings.telegram
    if not hook.webhook_url:
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

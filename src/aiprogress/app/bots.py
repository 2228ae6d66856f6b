"""The bots' composition: the command layer, the channel desk, the senders and the outbox.

Imported only by the commands that run a bot or deliver, so `collect` never loads aiogram."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiogram import Bot, Dispatcher

from aiprogress.app.models_data import ensure_models
from aiprogress.app.wiring import App, item_filter
from aiprogress.bot.commands import CommandLayer
from aiprogress.bot.telegram import TelegramSender, build_dispatcher, make_bot
from aiprogress.core.channels import ChannelDesk
from aiprogress.core.errors import ConfigError
from aiprogress.core.outbox import Outbox
from aiprogress.core.types import Platform


def channel_desk(app: App) -> ChannelDesk:
    return ChannelDesk(
        store=app.store,
        service=app.service,
        default_language=app.settings.digest.language,
        filter_compiler=item_filter,
    )


def _chart(*args: object) -> bytes:
    # matplotlib is loaded on the first /compare, not when the bot starts.
    from aiprogress.digest.chart import render_comparison_chart

    return render_comparison_chart(*args)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class TelegramFront:
    bot: Bot
    dispatcher: Dispatcher
    sender: TelegramSender
    outbox: Outbox
    layer: CommandLayer


@asynccontextmanager
async def telegram_front(app: App) -> AsyncIterator[TelegramFront]:
    settings = app.settings.telegram
    if settings.bot_token is None:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set")
    bot = make_bot(settings.bot_token.get_secret_value(), settings.api_base)
    try:
        await ensure_models(app.service.models)
        sender = TelegramSender(bot)
        layer = CommandLayer(
            service=app.service,
            desk=channel_desk(app),
            owner_ids=settings.owners,
            chart=_chart,
        )
        outbox = Outbox(store=app.store, senders={Platform.TELEGRAM: sender}, clock=app.clock)
        yield TelegramFront(bot, build_dispatcher(layer, sender), sender, outbox, layer)
    finally:
        await bot.session.close()

"""Both bots of one process share their /compare charts: a pair's chart drawn for Telegram is
the one Discord sends, not drawn (and held) again."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from aiprogress.core.types import ChatKind, Language, Platform
from tests.app.processes import clear_our_settings
from tests.conftest import BundledImport
from tests.servers.discord import CHANNEL_ID, FakeDiscord
from tests.servers.discord import TOKEN as DISCORD_TOKEN
from tests.servers.telegram import TOKEN as TELEGRAM_TOKEN
from tests.servers.telegram import FakeTelegram

TELEGRAM_USER = 4242
EN = Language.EN


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram(token=TELEGRAM_TOKEN, max_poll_seconds=0.2).in_thread() as server:
        yield server


@pytest.fixture
def discord_fake() -> Iterator[FakeDiscord]:
    with FakeDiscord(token=DISCORD_TOKEN).in_thread() as server:
        yield server


async def test_a_chart_drawn_for_telegram_is_the_one_discord_sends(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sqlite_bundled: BundledImport,
    telegram: FakeTelegram,
    discord_fake: FakeDiscord,
) -> None:
    from aiprogress.app.bots import open_bots
    from aiprogress.app.settings import Settings
    from aiprogress.app.wiring import open_app
    from aiprogress.bot.commands import Caller

    # The model data already imported, as after the first run that needed it.
    shutil.copyfile(sqlite_bundled.url.removeprefix("sqlite:///"), tmp_path / "run.db")
    monkeypatch.setattr(logging.getLogger(), "handlers", [])
    clear_our_settings(monkeypatch)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'run.db'}")
    monkeypatch.setenv("AIPROGRESS_AUTO_MIGRATE", "false")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TELEGRAM_TOKEN)
    monkeypatch.setenv("TELEGRAM_API_BASE", telegram.base_url)
    monkeypatch.setenv("DISCORD_BOT_TOKEN", DISCORD_TOKEN)
    monkeypatch.setenv("DISCORD_API_BASE", discord_fake.base_url)
    settings = Settings.load(env_file=None)

    async def never(_: str) -> bool:
        return False

    async with open_app(settings) as app, open_bots(app) as bots:
        assert bots.telegram is not None and bots.discord is not None
        # /compare as a Telegram user sends it, through the bot's dispatcher.
        update = telegram.push_message(
            TELEGRAM_USER, TELEGRAM_USER, "/compare gpt-4o gpt-4.5", language_code="en"
        )
        await bots.telegram.dispatcher.feed_raw_update(bots.telegram.bot, update)
        assert len(telegram.calls_of("sendPhoto")) == 1
        assert bots.chart.renders == 1
        # The same pair on Discord, through the Discord bot's command layer, by a member whose
        # app is in English too (the chart is drawn in the chat's language).
        caller = Caller(
            Platform.DISCORD, str(CHANNEL_ID), "7", ChatKind.PRIVATE, never, user_language=EN
        )
        reply = await bots.discord.layer.handle(caller, "compare", "gpt-4o gpt-4.5")
    assert reply.image is not None
    assert bots.chart.renders == 1  # Discord's chart is the one drawn for Telegram

"""/subscribe run again with some options changes only those: the others (period, time of day,
time zone) stay as the chat has them. On Telegram through the fake Bot API, on Discord through
the fake gateway (discord.py fills in the options a member left out, as it does for Discord's
own interactions), over the real store on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from aiprogress.core.clock import FixedClock
from aiprogress.core.types import Channel, DailyAt, Period, Platform
from aiprogress.storage.store import SqlStore
from tests.bot import test_discord, test_telegram
from tests.servers.discord import CHANNEL_ID, GUILD_ID

USER = test_telegram.USER


@pytest.fixture
async def telegram(store: SqlStore, clock: FixedClock) -> AsyncIterator[test_telegram.Front]:
    async with test_telegram.open_front(store, clock) as front:
        yield front


async def stored(store: SqlStore, platform: Platform, address: str) -> Channel:
    channel = await store.channels.find(platform, address)
    assert channel is not None
    return channel


def schedule(channel: Channel) -> tuple[Period | None, DailyAt, str]:
    return channel.period, channel.send_at, channel.timezone


async def test_telegram_subscribe_changes_only_what_it_is_given(
    telegram: test_telegram.Front,
) -> None:
    async def subscribe(args: str) -> tuple[str, tuple[Period | None, DailyAt, str]]:
        (reply,) = await telegram.replies(USER, f"/subscribe {args}".strip())
        return reply, schedule(await stored(telegram.store, Platform.TELEGRAM, str(USER)))

    moscow = "Europe/Moscow"
    assert await subscribe("weekly 08:30 Europe/Moscow") == (
        "Subscribed: weekly, at 08:30 (Europe/Moscow).",
        (Period.WEEK, DailyAt(8, 30), moscow),
    )
    assert await subscribe("daily") == (
        "Subscribed: daily, at 08:30 (Europe/Moscow).",
        (Period.DAY, DailyAt(8, 30), moscow),
    )
    assert await subscribe("weekly") == (
        "Subscribed: weekly, at 08:30 (Europe/Moscow).",
        (Period.WEEK, DailyAt(8, 30), moscow),
    )
    assert await subscribe("10:00") == (
        "Subscribed: weekly, at 10:00 (Europe/Moscow).",
        (Period.WEEK, DailyAt(10, 0), moscow),
    )
    assert await subscribe("Asia/Tokyo") == (
        "Subscribed: weekly, at 10:00 (Asia/Tokyo).",
        (Period.WEEK, DailyAt(10, 0), "Asia/Tokyo"),
    )
    # Unsubscribed, then subscribed again with nothing: the chat's schedule as it was.
    await telegram.replies(USER, "/unsubscribe")
    assert await subscribe("") == (
        "Subscribed: weekly, at 10:00 (Asia/Tokyo).",
        (Period.WEEK, DailyAt(10, 0), "Asia/Tokyo"),
    )


async def test_a_first_subscription_is_daily_at_nine_utc(telegram: test_telegram.Front) -> None:
    (reply,) = await telegram.replies(USER, "/subscribe")
    assert reply == "Subscribed: daily, at 09:00 (UTC)."


@pytest.fixture
async def discord_front(store: SqlStore, clock: FixedClock) -> AsyncIterator[test_discord.Front]:
    """test_discord's front with its client on the fake gateway: interactions come as
    Discord's do, and discord.py's tree runs them."""
    async with test_discord.open_front(store, clock) as front:
        task = asyncio.create_task(front.client.connect(reconnect=True))
        try:
            await asyncio.wait_for(front.client.wait_until_ready(), 15)
            yield front
        finally:
            await front.client.close()
            await asyncio.gather(task, return_exceptions=True)


async def test_discord_subscribe_changes_only_the_options_given(
    discord_front: test_discord.Front,
) -> None:
    front = discord_front

    async def subscribe(**options: Any) -> tuple[str, tuple[Period | None, DailyAt, str]]:
        pushed = front.server.push_interaction("subscribe", options)
        (answer,) = await front.server.wait_for_answer(pushed)
        channel = await stored(front.store, Platform.DISCORD, str(CHANNEL_ID))
        return answer["content"], schedule(channel)

    moscow = "Europe/Moscow"
    assert await subscribe(period="weekly", time="08:30", zone=moscow) == (
        "Subscribed: weekly, at 08:30 (Europe/Moscow).",
        (Period.WEEK, DailyAt(8, 30), moscow),
    )
    assert await subscribe(period="daily") == (
        "Subscribed: daily, at 08:30 (Europe/Moscow).",
        (Period.DAY, DailyAt(8, 30), moscow),
    )
    assert await subscribe(time="10:00") == (
        "Subscribed: daily, at 10:00 (Europe/Moscow).",
        (Period.DAY, DailyAt(10, 0), moscow),
    )
    assert await subscribe(zone="Asia/Tokyo") == (
        "Subscribed: daily, at 10:00 (Asia/Tokyo).",
        (Period.DAY, DailyAt(10, 0), "Asia/Tokyo"),
    )
    # Every option is optional on Discord now, and none has a value sent when left out.
    (command,) = [c for c in front.server.app_commands(GUILD_ID) if c["name"] == "subscribe"]
    assert [(o["name"], o.get("required", False)) for o in command["options"]] == [
        ("period", False),
        ("time", False),
        ("zone", False),
    ]

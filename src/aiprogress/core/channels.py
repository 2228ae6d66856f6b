"""Chats and their subscriptions: what the bots' commands change and the outbox delivers to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiprogress.core.errors import InvalidInput
from aiprogress.core.ports import Clock, Store
from aiprogress.core.service import AiProgress
from aiprogress.core.types import (
    Channel,
    ChannelUpdate,
    ChatKind,
    DailyAt,
    Item,
    ItemFilter,
    Language,
    Period,
    Platform,
)


@dataclass(frozen=True, slots=True)
class PublishReport:
    digests: int
    queued: int


class ChannelDesk:
    def __init__(
        self,
        *,
        store: Store,
        service: AiProgress,
        default_language: Language,
        filter_compiler: Callable[[ItemFilter], Callable[[Item], bool]],
        clock: Clock,
    ) -> None:
        self._clock = clock
        self._store = store
        self._service = service
        self._default_language = default_language
        self._filter_compiler = filter_compiler

    @property
    def default_language(self) -> Language:
        """The language of a chat that has not chosen one."""
        return self._default_language

    async def chat(
        self,
        platform: Platform,
        address: str,
        *,
        kind: ChatKind,
        title: str = "",
        language: Language | None = None,
    ) -> Channel:
        """The channel row of a chat, created (not subscribed) on first contact, in `language`
        (the default language when None). A chat that exists keeps its language: only /lang
        changes it."""
        channel = await self._store.channels.ensure(
            platform, address, language=language or self._default_language, kind=kind
        )
        if (title and channel.title != title) or channel.kind is not kind:
            channel = await self._store.channels.update(
                channel.id, ChannelUpdate(title=title or None, kind=kind)
            )
        return channel

    async def move(self, platform: Platform, old_address: str, new_address: str) -> Channel | None:
        """The chat moved to `new_address` (a Telegram group upgraded to a supergroup): its
        channel, subscription and queued deliveries follow, in storage; once, however often
        the move is told."""
        return await self._store.channels.move(platform, old_address, new_address)

    async def set_language(self, channel: Channel, language: Language) -> Channel:
        return await self._store.channels.update(channel.id, ChannelUpdate(language=language))

    async def subscribe(
        self,
        channel: Channel,
        *,
        period: Period | None = None,
        send_at: str | None = None,
        timezone: str | None = None,
        admin_id: str | None = None,
    ) -> Channel:
        """Subscribe the chat, or change its subscription: what is None stays as the chat has
        it (its period, daily for a chat never subscribed; its time and zone, 09:00 UTC by
        default), so a subscription re-run with one option changes only that one."""
        period = period or channel.period or Period.DAY
        if period not in (Period.DAY, Period.WEEK):
            raise InvalidInput("a subscription is daily or weekly", reason="period")
        daily_at = None
        if send_at is not None:
            try:
                daily_at = DailyAt.parse(send_at)
            except ValueError as error:
                raise InvalidInput(
                    str(error), reason="send_at", values={"value": send_at}
                ) from None
        if timezone is not None:
            try:
                ZoneInfo(timezone)
            except (ZoneInfoNotFoundError, ValueError):
                raise InvalidInput(
                    f"{timezone!r} is not a time zone such as Europe/Moscow",
                    reason="timezone",
                    values={"value": timezone},
                ) from None
        scheduled = replace(
            channel,
            period=period,
            send_at=daily_at or channel.send_at,
            timezone=timezone or channel.timezone,
        )
        first_start = scheduled_moment(scheduled, self._clock.now())
        return await self._store.channels.update(
            channel.id,
            ChannelUpdate(
                active=True,
                period=period,
                send_at=daily_at,
                timezone=timezone,
                add_admin=admin_id,
                # The first digest goes out at the next scheduled moment, not at once, and
                # covers the period since the last one (or since a digest of the old schedule).
                last_published_at=max(channel.last_published_at or first_start, first_start),
            ),
        )

    async def unsubscribe(self, channel: Channel) -> Channel:
        return await self._store.channels.update(channel.id, ChannelUpdate(active=False))

    async def set_filters(self, channel: Channel, item_filter: ItemFilter) -> Channel:
        self._filter_compiler(item_filter)  # a bad pattern is refused before it is kept
        return await self._store.channels.update(channel.id, ChannelUpdate(item_filter=item_filter))

    async def publish_due(self, now: datetime) -> PublishReport:
        """Queue the digest of every channel whose scheduled moment (its `send_at` in its time
        zone; weekly on Mondays) has come since its last one. After downtime a channel gets one
        digest, not one per missed moment; its window (`scheduled_window`) covers the missed
        ones, so nothing falls between two digests."""
        due = [
            channel
            for channel in await self._store.channels.list(active_only=True)
            if channel.period is not None
            and (
                channel.last_published_at is None
                or channel.last_published_at < scheduled_moment(channel, now)
            )
        ]
        return await self._publish(due, now)

    async def publish(self, period: Period, *, platform: Platform | None = None) -> PublishReport:
        """Write the period's digest once per (language, filter set) of the channels subscribed
        to it, and queue one delivery per channel."""
        channels = [
            channel
            for channel in await self._store.channels.list(platform=platform, active_only=True)
            if channel.period is period
        ]
        return await self._publish(channels, None)

    async def _publish(self, channels: list[Channel], now: datetime | None) -> PublishReport:
        """With `now`, of each channel's scheduled window: one digest per window as well."""
        groups: dict[_Group, list[Channel]] = defaultdict(list)
        for channel in channels:
            if channel.period is not None:
                window = scheduled_window(channel, now) if now is not None else None
                key = (channel.period, channel.language, channel.item_filter, window)
                groups[key].append(channel)
        queued = 0
        for (period, language, item_filter, window), members in groups.items():
            if window is None:
                digest = await self._service.write_digest(period, language, item_filter=item_filter)
            else:
                digest = await self._service.write_scheduled_digest(
                    period, language, window, item_filter=item_filter
                )
            queued += await self._store.deliveries.enqueue(
                digest.id, [channel.id for channel in members]
            )
            if window is not None:
                for channel in members:
                    # The window's end: the next digest starts where this one ended.
                    await self._store.channels.update(
                        channel.id, ChannelUpdate(last_published_at=window[1])
                    )
        return PublishReport(digests=len(groups), queued=queued)


# Channels that get one digest: its period, language, filters and scheduled window (None for a
# digest of the period ending now).
_Group = tuple[Period, Language, ItemFilter, tuple[datetime, datetime] | None]
# The longest a scheduled digest reaches back after downtime: the news the collection keeps.
CATCH_UP = timedelta(days=30)


def scheduled_moment(channel: Channel, now: datetime) -> datetime:
    """The latest moment at or before `now` when the channel's digest is due, in UTC."""
    local = now.astimezone(ZoneInfo(channel.timezone))
    at = channel.send_at
    moment = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if moment > local:
        moment -= timedelta(days=1)
    if channel.period is Period.WEEK:
        moment -= timedelta(days=moment.weekday())  # Mondays
    return moment.astimezone(UTC)


def scheduled_window(channel: Channel, now: datetime) -> tuple[datetime, datetime]:
    """The window [start, end) of the channel's digest due at `now`: from where its last digest
    ended (`last_published_at`, which `subscribe` sets to the moment before the first) to the
    scheduled moment, not to when the job ran. Consecutive digests meet end to start however
    late each job runs, across a clock change, and after downtime (one digest for the missed
    moments). A channel never published (the console's first run) or not for `CATCH_UP` gets the
    period ending now."""
    end = scheduled_moment(channel, now)
    last = channel.last_published_at
    if last is None or last < end - CATCH_UP:
        return now - (channel.period or Period.DAY).length, now
    return min(last, end), end


def next_scheduled_moment(channel: Channel, now: datetime) -> datetime:
    """The first moment after `now` when the channel's digest is due, in UTC."""
    step = timedelta(days=7 if channel.period is Period.WEEK else 1)
    return scheduled_moment(channel, now + step)

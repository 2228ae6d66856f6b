"""Chats the bot talks to, what each wants to see, and the deliveries of digests to them."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum

from aiprogress.core.types._value import value_type
from aiprogress.core.types.common import Language, Period


class Platform(StrEnum):
    CONSOLE = "console"
    TELEGRAM = "telegram"
    DISCORD = "discord"


class DeliveryState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a sender; `parts_sent` says how far it got
    SENT = "sent"
    FAILED = "failed"


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"
    CHANNEL = "channel"


@value_type
class ItemFilter:
    """What a channel wants to see. Keywords match whole words, case aside; patterns are
    regular expressions run by a linear-time engine. With any include rule, an item must match
    one; an item matching any exclude rule is dropped."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    include_patterns: tuple[str, ...] = ()
    exclude_patterns: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.include or self.exclude or self.include_patterns or self.exclude_patterns)


# "9:00" and "09:00"; hours 0-23, minutes 00-59.
_TIME_OF_DAY = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@value_type
class DailyAt:
    """The local time of day a channel's digest goes out, in the channel's time zone. Stored
    and shown as HH:MM; read from text once, where it comes in (a command, a stored row)."""

    hour: int
    minute: int

    def __post_init__(self) -> None:
        if not (0 <= self.hour <= 23 and 0 <= self.minute <= 59):
            raise ValueError(f"{self.hour}:{self.minute} is not a time of day")

    @classmethod
    def parse(cls, text: str) -> DailyAt:
        """'09:00' or '9:00'; ValueError for anything else (the caller words it for users)."""
        found = _TIME_OF_DAY.match(text)
        if found is None:
            raise ValueError(f"{text!r} is not a time of day such as 09:00")
        return cls(int(found.group(1)), int(found.group(2)))

    def __str__(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"


@value_type
class Channel:
    """A chat the bot talks to: a private chat, a group or a broadcast channel. `active` means
    digests are delivered to it (`period` says which); `admin_ids` are the users told when it
    stops working or a source is disabled."""

    id: int
    platform: Platform
    address: str
    language: Language
    active: bool = True
    kind: ChatKind = ChatKind.PRIVATE
    title: str = ""
    period: Period | None = None
    send_at: DailyAt = DailyAt(9, 0)  # in `timezone`
    timezone: str = "UTC"
    item_filter: ItemFilter = ItemFilter()
    admin_ids: tuple[str, ...] = ()
    deactivated_reason: str | None = None
    last_published_at: datetime | None = None


@value_type
class ChannelUpdate:
    """Fields to change on a channel; None leaves one as it is."""

    language: Language | None = None
    active: bool | None = None
    kind: ChatKind | None = None
    title: str | None = None
    period: Period | None = None
    send_at: DailyAt | None = None
    timezone: str | None = None
    item_filter: ItemFilter | None = None
    add_admin: str | None = None
    deactivated_reason: str | None = None
    last_published_at: datetime | None = None


@value_type
class Delivery:
    id: int
    digest_id: int
    channel_id: int
    state: DeliveryState
    attempts: int = 0
    sent_at: datetime | None = None
    last_error: str | None = None
    parts_sent: int = 0
    next_attempt_at: datetime | None = None

"""The outbox in a process without every platform's sender (the console's `deliver` with no
bot token, or a process holding one token of two), and its owners who cannot be written to, on
SQLite and on the real PostgreSQL."""

from __future__ import annotations

import itertools
import logging
from datetime import timedelta

import pytest

from aiprogress.bot.console import ConsoleSender
from aiprogress.core.clock import FixedClock
from aiprogress.core.outbox import DeliveryReport, Outbox
from aiprogress.core.types import AdminNotice, DeliveryState, NoticeKind, Platform
from aiprogress.storage.store import SqlStore
from tests.bot.test_telegram import OWNER, open_front
from tests.storage.test_outbox import queued


async def test_rows_without_a_sender_here_wait_with_no_attempt_counted(
    store: SqlStore, clock: FixedClock
) -> None:
    """Before: each run claimed the Telegram row, counted an attempt and put it off a minute
    ("no telegram sender in this process"), so that five runs without a token left it one
    transient failure away from failing for good, and the first run with the token found it
    not due."""
    telegram, console = await queued(
        store, [(Platform.TELEGRAM, "-1001"), (Platform.CONSOLE, "console")]
    )
    printed: list[str] = []
    outbox = Outbox(
        store=store, senders={Platform.CONSOLE: ConsoleSender(printed.append)}, clock=clock
    )

    reports = [await outbox.deliver_pending() for _ in range(6)]

    assert reports[0] == DeliveryReport(sent=1, waiting=1)
    assert reports[1:] == [DeliveryReport(waiting=1)] * 5
    assert printed
    (row,) = [d for d in await store.deliveries.for_digest(1) if d.id == telegram]
    assert (row.state, row.attempts, row.last_error, row.next_attempt_at) == (
        DeliveryState.PENDING,
        0,
        None,
        None,
    )
    (done,) = [d for d in await store.deliveries.for_digest(1) if d.id == console]
    assert (done.state, done.attempts) == (DeliveryState.SENT, 1)


async def test_an_owner_who_blocked_the_bot_is_logged_not_asked_at_every_run(
    store: SqlStore, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    """Telegram's 403 for an owner (blocked the bot, or never started it) is handled as
    Discord's 50007 is: logged with Telegram's reason, the notice kept stored, and the owner
    asked again after `owner_retry`, not at every delivery run (every 30 s under `run`)."""
    async with open_front(store, clock) as front:
        front.server.block(OWNER)
        await store.notices.add(
            AdminNotice(
                kind=NoticeKind.SOURCE_DISABLED,
                text="source Flaky disabled",
                created_at=clock.now(),
                subject="Flaky",
                detail="disabled after 8 failures in a row; last: HTTP 500",
            )
        )
        outbox = front.outbox(owner_retry=timedelta(hours=2))
        with caplog.at_level(logging.WARNING, logger="aiprogress.core.outbox"):
            assert await outbox.deliver_notices(Platform.TELEGRAM, [str(OWNER)]) == 0
        assert f"cannot tell telegram owner {OWNER}" in caplog.text
        assert "blocked by the user" in caplog.text and "asked again in 2:00:00" in caplog.text
        tries = len(front.server.calls_of("sendMessage"))
        assert await outbox.deliver_notices(Platform.TELEGRAM, [str(OWNER)]) == 0
        assert len(front.server.calls_of("sendMessage")) == tries
        front.server.unblock(OWNER)
        clock.set(clock.now() + timedelta(hours=2))
        assert await outbox.deliver_notices(Platform.TELEGRAM, [str(OWNER)]) == 1
        assert front.server.sent(OWNER)
        assert await store.notices.pending() == []


async def test_a_chat_that_moves_on_and_on_is_followed_a_few_times_a_claim(
    store: SqlStore, clock: FixedClock
) -> None:
    """A group upgraded to a supergroup moves once; a chain of moves (an id that keeps naming
    another) is followed three times in one claim, then the row is retried with backoff as any
    failure is, not sent round and round; it is not lost, and each move is stored."""
    async with open_front(store, clock) as front:
        (row,) = await queued(store, [(Platform.TELEGRAM, "-1001")])
        chain = [-1001, -1002, -1003, -1004, -1005, -1006]
        for old, new in itertools.pairwise(chain):
            front.server.upgrade(old, new)
        outbox = front.outbox()

        assert await outbox.deliver_pending() == DeliveryReport(retried=1)
        (channel,) = await store.channels.list()
        # Three moves followed; the fourth is stored too, its send left to a later claim.
        assert channel.address == "-1005"
        (delivery,) = await store.deliveries.for_digest(1)
        assert delivery.state is DeliveryState.PENDING and "upgraded" in (delivery.last_error or "")

        clock.set(clock.now() + timedelta(minutes=1))
        assert await outbox.deliver_pending() == DeliveryReport(sent=1)
        (channel,) = await store.channels.list()
        assert channel.address == "-1006" and front.server.sent(-1006)
        assert delivery.id == row

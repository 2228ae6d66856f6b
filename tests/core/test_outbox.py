"""The outbox in a process without every platform's sender (the console's `deliver` with no
bot token, or a process holding one token of two), on SQLite and on the real PostgreSQL."""

from __future__ import annotations

from aiprogress.bot.console import ConsoleSender
from aiprogress.core.clock import FixedClock
from aiprogress.core.outbox import DeliveryReport, Outbox
from aiprogress.core.types import DeliveryState, Platform
from aiprogress.storage.store import SqlStore
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

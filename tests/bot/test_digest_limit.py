"""/digest answers are written a bounded number at a time: a burst of them waits its turn
instead of all being written at once (200 at once took `aiprogress run` to 326 MB), and every
one is answered."""

from __future__ import annotations

import asyncio
from datetime import datetime

from aiprogress.bot.commands import DIGESTS_AT_ONCE, Caller, CommandLayer
from aiprogress.core.clock import FixedClock
from aiprogress.core.service import AiProgress
from aiprogress.core.types import ChatKind, Digest, ItemFilter, Language, Period, Platform
from aiprogress.sources.http import HttpFetcher
from aiprogress.storage.store import SqlStore
from tests.builders import make_desk, make_service


class CountingService(AiProgress):
    """The real facade, counting the digests being written at once; each holds its turn a
    little longer than the built-in writer needs, as a model's writer would."""

    def __init__(self, real: AiProgress) -> None:
        self.__dict__.update(real.__dict__)
        self.in_flight = 0
        self.most_in_flight = 0
        self.written = 0

    async def write_digest(
        self,
        period: Period,
        language: Language,
        *,
        item_filter: ItemFilter | None = None,
        end: datetime | None = None,
    ) -> Digest:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0.01)
            return await super().write_digest(period, language, item_filter=item_filter, end=end)
        finally:
            self.in_flight -= 1
            self.written += 1


async def _never_admin(address: str) -> bool:
    return False


def caller(user: int) -> Caller:
    return Caller(Platform.TELEGRAM, str(user), str(user), ChatKind.PRIVATE, _never_admin)


async def test_a_burst_of_digests_is_written_a_few_at_a_time_and_all_answered(
    store: SqlStore, clock: FixedClock
) -> None:
    async with HttpFetcher(allow_private=True) as fetcher:
        service = CountingService(make_service(store, clock, fetcher))
        layer = CommandLayer(
            service=service, desk=make_desk(store, service, clock), owner_ids=frozenset()
        )
        replies = await asyncio.gather(
            *(layer.handle(caller(3000 + n), "digest", "day") for n in range(12))
        )
    assert service.written == 12
    assert service.most_in_flight == DIGESTS_AT_ONCE == 2
    # The same digest for every chat (nothing collected: a quiet day), stored once, answered
    # to each, none with the 'failed on our side' message.
    quiet = (await service.write_digest(Period.DAY, Language.EN)).title
    assert [reply.document.title if reply.document else reply.text for reply in replies] == [
        quiet
    ] * 12


async def test_one_bound_shared_by_both_platforms_layers(
    store: SqlStore, clock: FixedClock
) -> None:
    async with HttpFetcher(allow_private=True) as fetcher:
        service = CountingService(make_service(store, clock, fetcher))
        desk = make_desk(store, service, clock)
        slots = asyncio.Semaphore(1)
        telegram, discord = (
            CommandLayer(service=service, desk=desk, owner_ids=frozenset(), digest_slots=slots)
            for _ in range(2)
        )
        replies = await asyncio.gather(
            *(
                (telegram if n % 2 else discord).handle(caller(4000 + n), "digest", "week")
                for n in range(8)
            )
        )
    assert service.written == 8 and service.most_in_flight == 1
    assert all(reply.document is not None for reply in replies)

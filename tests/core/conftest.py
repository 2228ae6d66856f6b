"""The facade as the core tests share it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from aiprogress.core.clock import FixedClock
from aiprogress.core.service import AiProgress
from aiprogress.sources.http import HttpFetcher
from aiprogress.storage.store import SqlStore
from tests.builders import make_service


@pytest.fixture
async def service(store: SqlStore, clock: FixedClock) -> AsyncIterator[AiProgress]:
    """The facade over loopback HTTP (an HTTP fetcher, which also checks added sources)."""
    async with HttpFetcher(allow_private=True) as fetcher:
        yield make_service(store, clock, fetcher)

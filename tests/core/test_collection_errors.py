"""A fetcher that raises (our bug, not a bad source) costs only that source its fetch."""

from __future__ import annotations

import asyncio
import logging

import pytest

from aiprogress.core.clock import FixedClock
from aiprogress.core.collection import CollectLimits
from aiprogress.core.types import FetchResult, FetchStatus, Source
from aiprogress.storage.store import SqlStore
from tests.builders import make_service


class OneRaisingFetcher:
    """Answers 304 for every source but one, whose fetch raises."""

    def __init__(self, raising_url: str) -> None:
        self.raising_url = raising_url

    async def fetch(self, source: Source) -> FetchResult:
        await asyncio.sleep(0)
        if source.url == self.raising_url:
            raise KeyError("a bug of ours")
        return FetchResult(FetchStatus.NOT_MODIFIED, etag=source.etag, http_status=304)


async def test_a_fetch_that_raises_is_that_sources_internal_error(
    store: SqlStore, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    raising = "http://127.0.0.1:9/3.xml"
    service = make_service(
        store,
        clock,
        OneRaisingFetcher(raising),
        collect_limits=CollectLimits(concurrency=2, store_batch=2, source_page=4),
    )
    sources = [await service.add_source(f"http://127.0.0.1:9/{i}.xml") for i in range(6)]
    with caplog.at_level(logging.ERROR, logger="aiprogress.core.collection"):
        report = await service.collect()

    by_id = {r.source_id: r for r in report.results}
    assert len(by_id) == 6
    failed = next(s for s in sources if s.url == raising)
    assert by_id[failed.id].status is FetchStatus.ERROR
    assert by_id[failed.id].error == "internal error: KeyError"
    others = [by_id[s.id].status for s in sources if s.id != failed.id]
    assert others == [FetchStatus.NOT_MODIFIED] * 5
    # Logged with its traceback, for whoever fixes the bug.
    (record,) = [r for r in caplog.records if "failed unexpectedly" in r.getMessage()]
    assert record.getMessage() == f"fetching source #{failed.id} failed unexpectedly"
    assert record.exc_info is not None and record.exc_info[0] is KeyError

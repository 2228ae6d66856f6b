"""/metrics as a Prometheus server scrapes it: over HTTP, parsed by prometheus-client's own
parser, every figure checked against the database (SQLite and PostgreSQL) and against the job
runs of this process; the scrape itself reads the database only through aggregate queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import aiohttp
import sqlalchemy as sa
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from aiprogress.app.bots import Bots
from aiprogress.app.runtime import Runtime, RuntimeSettings
from aiprogress.app.settings import Settings
from aiprogress.app.wiring import App
from aiprogress.core.clock import FixedClock
from aiprogress.core.factsheet import LlmCall
from aiprogress.core.outbox import Outbox, OutboxSettings
from aiprogress.core.types import (
    ChannelUpdate,
    ChatKind,
    DeliveryState,
    DigestDraft,
    Language,
    Period,
    Platform,
    TrustTier,
)
from aiprogress.sources.http import HttpFetcher
from aiprogress.storage.store import SqlStore
from tests.builders import make_service
from tests.conftest import snapshot_feed
from tests.servers.feeds import FeedServer, Route


@contextmanager
def statements(store: SqlStore) -> Iterator[list[str]]:
    """The SQL the engine sends while the block runs."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(str(args[2]))

    engine = store.engine.sync_engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def samples(text: str) -> dict[str, list[Sample]]:
    """Every sample by its name, as prometheus-client's parser reads the exposition."""
    found: dict[str, list[Sample]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append(sample)
    return found


def by(found: dict[str, list[Sample]], name: str, *labels: str) -> dict[tuple[str, ...], float]:
    return {tuple(s.labels[label] for label in labels): s.value for s in found[name]}


async def test_metrics_parse_with_prometheus_client_and_match_the_database(
    store: SqlStore, clock: FixedClock, feed_server: FeedServer
) -> None:
    async with HttpFetcher(allow_private=True) as fetcher:
        service = make_service(store, clock, fetcher)
        feed = feed_server.feed("/ollama.rss", snapshot_feed("ollama-blog.rss"))
        await service.add_source(feed, name="Ollama", trust_tier=TrustTier.OFFICIAL)
        feed_server.routes["/down"] = Route(status=500)
        await service.add_source(feed_server.url("/down"), trust_tier=TrustTier.PRESS)
        paused = await service.add_source(feed_server.url("/paused"))
        await service.set_source_enabled(paused.id, False)
        for hours, tokens in ((1, (1200, 300)), (30, (5000, 5000))):  # one outside the day
            await store.llm.record(
                LlmCall(clock.now() - timedelta(hours=hours), "m", "digest", *tokens)
            )

        app = App(service=service, store=store, settings=Settings.load(env_file=None), clock=clock)
        outbox = Outbox(store=store, senders={}, clock=clock, settings=OutboxSettings())
        runtime = Runtime(app, Bots(outbox=outbox), RuntimeSettings())
        runner = await runtime.start_http("127.0.0.1", 0)
        try:
            await runtime.once()  # collect (one source fails), publish and deliver: nothing due
            # The outbox: one digest to three chats; one sent, one failed, one queued.
            draft = DigestDraft(Period.DAY, Language.EN, clock.now() - timedelta(days=1),
                                clock.now(), "t", "b", (), "builtin")  # fmt: skip
            (digest,) = await store.digests.add_all([draft], clock.now())
            channels = [
                (await store.channels.ensure(
                    Platform.TELEGRAM, str(-n), language=Language.EN, kind=ChatKind.GROUP
                )).id
                for n in range(1, 4)
            ]  # fmt: skip
            await store.deliveries.enqueue(digest.id, channels)
            # Subscribed chats (an inactive chat's rows are no one's to wait for).
            for channel_id in channels:
                await store.channels.update(channel_id, ChannelUpdate(active=True))
            claimed = await store.deliveries.claim(
                clock.now(), limit=2, lease=timedelta(minutes=1), platforms={Platform.TELEGRAM}
            )
            await store.deliveries.mark_sent(claimed[0], clock.now())
            await store.deliveries.mark_failed(claimed[1], "chat not found")

            port = runner.addresses[0][1]
            with statements(store) as sql:
                async with (
                    aiohttp.ClientSession() as http,
                    http.get(f"http://127.0.0.1:{port}/metrics") as answer,
                ):
                    assert answer.status == 200
                    assert answer.content_type == "text/plain"
                    text = await answer.text()
        finally:
            await runner.cleanup()
            await runtime.leadership.release()

    found = samples(text)
    # The database's figures.
    sources = await store.sources.list()
    expected = {(tier.value, state): 0.0 for tier in TrustTier
                for state in ("enabled", "failing", "disabled")}  # fmt: skip
    for source in sources:
        state = "disabled" if not source.enabled else "failing" if source.failures else "enabled"
        expected[source.trust_tier.value, state] += 1
    assert by(found, "aiprogress_sources", "tier", "state") == expected
    assert expected["official", "enabled"] == expected["press", "failing"] == 1
    assert expected["community", "disabled"] == 1
    counts = await store.deliveries.counts()
    assert by(found, "aiprogress_deliveries", "state") == {
        (state.value,): float(counts.get(state, 0)) for state in DeliveryState
    }
    assert counts[DeliveryState.SENT] == counts[DeliveryState.FAILED] == 1
    # The third chat's row is pending for Telegram, whose token this process lacks.
    assert found["aiprogress_deliveries_waiting"][0].value == 1
    items = await store.items.count()
    assert items > 0 and found["aiprogress_items"][0].value == items
    assert found["aiprogress_llm_tokens_last_day"][0].value == 1500
    assert found["aiprogress_database_up"][0].value == 1

    # This process's job runs.
    runs = by(found, "aiprogress_job_runs_total", "job", "outcome")
    assert runs == {("collect", "ok"): 1, ("publish", "ok"): 1, ("deliver", "ok"): 1}
    durations = by(found, "aiprogress_job_duration_seconds_count", "job")
    assert durations == {("collect",): 1, ("publish",): 1, ("deliver",): 1}
    done = by(found, "aiprogress_job_counts_total", "job", "kind")
    assert done["collect", "sources"] == 2 and done["collect", "failed"] == 1
    assert done["collect", "new_items"] == items and done["deliver", "sent"] == 0
    # A level, not something a run did: its gauge above, not a count that only grows.
    assert ("deliver", "waiting") not in done

    # The scrape loaded no table row by row: every statement is an aggregate.
    assert sql and all("count(" in s.lower() or "sum(" in s.lower() for s in sql), sql

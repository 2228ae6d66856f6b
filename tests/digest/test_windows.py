"""Consecutive digests on a fresh database: each item, knowledge-base event and release is in
exactly one of them. A digest's window is half-open, [start, end); events and release dates are
days, and a day is the window's in which it ends. A scheduled digest ends at its channel's
scheduled moment and starts where the channel's last one ended, so nothing falls between two.

The feed is constructed here (the items' times are the point); the models are a constructed
batch of a tracked vendor's, so each new one is an event of its release day.
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest

from aiprogress.core.clock import FixedClock
from aiprogress.core.factsheet import FactSheet
from aiprogress.core.service import AiProgress
from aiprogress.core.types import (
    ChatKind,
    DigestDraft,
    ImportBatch,
    Language,
    Metric,
    ModelFact,
    ModelInfo,
    Period,
    Platform,
    Unit,
)
from aiprogress.digest.builtin import BuiltinWriter
from aiprogress.sources.http import HttpFetcher
from aiprogress.storage.store import SqlStore
from tests.builders import make_desk, make_service
from tests.servers.feeds import FeedServer

LISTING = ("Lab listing", "https://lab.example/prices")
# The boundary between the two digests: a Wednesday, 09:00 UTC (a daily channel's send_at).
BOUNDARY = datetime(2030, 3, 6, 9, 0, tzinfo=UTC)


def rss(entries: list[tuple[str, str, datetime]]) -> bytes:
    items = "".join(
        f"<item><title>{title}</title><link>https://lab.example/{slug}</link>"
        f"<guid>https://lab.example/{slug}</guid>"
        f"<pubDate>{format_datetime(moment, usegmt=True)}</pubDate>"
        f"<description>{title}.</description></item>"
        for slug, title, moment in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Lab</title>'
        f"<link>https://lab.example/</link><description>News</description>{items}</channel></rss>"
    ).encode()


def model(slug: str, name: str, released: date | None) -> ModelInfo:
    return ModelInfo(f"openai/{slug}", name, "OpenAI", release_date=released)


async def fill(service: AiProgress, feeds: FeedServer, period: Period) -> dict[str, str]:
    """Models released on the boundary's day and inside each window, one with no date (no event:
    the control), and items naming each in both windows plus one published at the boundary.
    Returns each item's link by its slug."""
    day = BOUNDARY.date()
    inside = timedelta(days=3) if period is Period.WEEK else timedelta(0)
    released = {
        "orion": day,  # the boundary's day
        "vega": day - max(inside, timedelta(days=1)),  # inside the first window
        "lyra": day + inside,  # inside the second (the boundary's day itself for a day)
        "zeta": None,
    }
    # A listing's second import is news: its new models are events of their release days (the
    # undated control's of the listing's day, long before). Its first is the baseline.
    listed = date(2029, 1, 1)
    for when, models in (
        (listed - timedelta(days=365), {"base": None}),
        (listed, released),
    ):
        batch = tuple(model(f"{m}-7", f"{m.title()} 7", d) for m, d in models.items())
        prices = tuple(
            ModelFact(m.canonical_id, Metric.PRICE_INPUT, 1.0, Unit.USD_PER_MTOK, when, *LISTING)
            for m in batch
        )
        await service.models.import_batch(
            ImportBatch("Lab listing", batch, prices), create_models=True
        )
    half = period.length / 2
    entries = [("boundary", "Lab publishes a road map", BOUNDARY)]
    for window, moment in (("first", BOUNDARY - half), ("second", BOUNDARY + half)):
        for name, verb in (("orion", "ships"), ("vega", "opens"), ("lyra", "tunes"), ("zeta", "prices")):  # fmt: skip
            entries.append((f"{name}-{window}", f"{name.title()} 7: Lab {verb} it, {window} news", moment))  # fmt: skip
    await service.add_source(feeds.feed("/lab.rss", rss(entries)), name="Lab", backfill=True)
    await service.collect()
    return {slug: f"https://lab.example/{slug}" for slug, _, _ in entries}


def sheet(draft: DigestDraft) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(draft.fact_sheet)
    return parsed


def events_counted(draft: DigestDraft) -> set[str]:
    """The models whose new-model event a digest counted: their stories outscore the control's
    (a model with no event), all else being equal (one item, one outlet, one kind)."""
    stories = sheet(draft)["stories"]
    control = next(s["score"] for s in stories if s["models"] == ["Zeta 7"])
    return {name for s in stories if s["score"] > control for name in s["models"]}


def launches(draft: DigestDraft) -> set[str]:
    """The models the cadence conclusion counts as released in the digest's period."""
    cadence = next(c for c in sheet(draft)["conclusions"] if c["kind"] == "cadence")
    now = next(q["value"] for q in cadence["quantities"] if q["name"] == "now")
    named = {name for _, name in cadence["models"]}
    assert len(named) == now  # at most three, and these are fewer
    return named


@pytest.mark.parametrize("period", [Period.DAY, Period.WEEK])
async def test_consecutive_digests_share_nothing_and_miss_nothing(
    store: SqlStore, feed_server: FeedServer, period: Period
) -> None:
    clock = FixedClock(BOUNDARY + period.length)
    async with HttpFetcher(allow_private=True) as fetcher:
        service = make_service(store, clock, fetcher)
        links = await fill(service, feed_server, period)
        items = {item.url: item.id for item, _ in await store.items.in_window(
            datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))}  # fmt: skip
        drafts = []
        for end in (BOUNDARY, BOUNDARY + period.length):
            clock.set(end)
            drafts.append(await service.draft_digest(period, Language.EN))
    first, second = drafts
    # The theses name each window's moments, not "the day to 6 March": it began on the 5th (the
    # titles name the main story).
    if period is Period.DAY:
        assert "In this digest (5 March, 09:00 – 6 March 2030, 09:00 UTC)" in first.body
        assert "In this digest (6 March, 09:00 – 7 March 2030, 09:00 UTC)" in second.body
    else:
        assert "In this digest (27 February, 09:00 – 6 March 2030, 09:00 UTC)" in first.body
    # Items: the one published at the boundary is the second digest's.
    assert set(first.item_ids) | set(second.item_ids) == set(items.values())
    assert set(first.item_ids) & set(second.item_ids) == set()
    assert items[links["boundary"]] in second.item_ids
    # Events: each model's new-model event counted once, the boundary day's in the second.
    assert events_counted(first) & events_counted(second) == set()
    assert events_counted(first) | events_counted(second) == {"Orion 7", "Vega 7", "Lyra 7"}
    assert "Orion 7" in events_counted(second)
    # Releases: the cadence counts each launch in one period.
    assert launches(first) & launches(second) == set()
    assert launches(first) | launches(second) == {"Orion 7", "Vega 7", "Lyra 7"}
    assert "Orion 7" in launches(second)


async def test_scheduled_digests_meet_end_to_start_however_late_the_job_runs(
    store: SqlStore, feed_server: FeedServer
) -> None:
    # The job runs a little after each moment (27 s, then 5 s: the window once ended there, so
    # two days shared 22 seconds), then the process is down for three days.
    ticks = [
        BOUNDARY - timedelta(days=1) + timedelta(seconds=27),
        BOUNDARY + timedelta(seconds=5),
        BOUNDARY + timedelta(days=3, hours=3),
        BOUNDARY + timedelta(days=4, seconds=1),
        BOUNDARY + timedelta(days=5, seconds=30),  # a Monday: the weekly's too
        BOUNDARY + timedelta(days=12, seconds=2),  # the daily's missed a week
    ]
    clock = FixedClock(BOUNDARY - timedelta(days=1, hours=3))
    async with HttpFetcher(allow_private=True) as fetcher:
        service = make_service(store, clock, fetcher)
        await fill(service, feed_server, Period.DAY)
        items = {item.id for item, _ in await store.items.in_window(
            datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))}  # fmt: skip
        desk = make_desk(store, service, clock)
        daily = await desk.chat(Platform.TELEGRAM, "-1001", kind=ChatKind.GROUP)
        await desk.subscribe(daily, period=Period.DAY, send_at="09:00")
        weekly = await desk.chat(Platform.TELEGRAM, "-1002", kind=ChatKind.GROUP)
        await desk.subscribe(weekly, period=Period.WEEK, send_at="09:00")
        for tick in ticks:
            clock.set(tick)
            await desk.publish_due(tick)
        claimed = await store.deliveries.claim(
            clock.now(), limit=100, lease=timedelta(minutes=5), platforms={Platform.TELEGRAM}
        )
        windows: dict[int, list[tuple[datetime, datetime, tuple[int, ...]]]] = {}
        for delivery in claimed:
            digest = await store.digests.get(delivery.digest_id)
            windows.setdefault(delivery.channel_id, []).append(
                (digest.window_start, digest.window_end, digest.item_ids)
            )
    day = [w[:2] for w in sorted(windows[daily.id])]
    moments = [BOUNDARY + timedelta(days=n) for n in (-1, 0, 3, 4, 5, 12)]
    # The first is the day before its moment; each next one starts where the last one ended,
    # at a moment of the schedule, whenever the job ran; the one after downtime spans it.
    assert day == [(moments[0] - timedelta(days=1), moments[0]), *itertools.pairwise(moments)]
    # Every item is in exactly one daily digest; the one published at 09:00 in the second.
    seen = [item for *_, ids in sorted(windows[daily.id]) for item in ids]
    assert sorted(seen) == sorted(items)
    # Weekly: Mondays at 09:00, the first from the Monday before the subscription (its week),
    # the second from the first's end.
    monday = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
    assert [w[:2] for w in sorted(windows[weekly.id])] == [
        (monday, monday + timedelta(days=7)),
        (monday + timedelta(days=7), monday + timedelta(days=14)),
    ]


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("period", "start", "end", "en", "ru"),
    [
        # Bounds at midnight UTC: the whole days covered, first to last.
        (Period.DAY, at(2030, 3, 5), at(2030, 3, 6), "5 March 2030", "5 марта 2030"),
        (Period.WEEK, at(2030, 3, 1), at(2030, 3, 8), "1–7 March 2030", "1–7 марта 2030"),
        (
            Period.WEEK,
            at(2030, 2, 28),
            at(2030, 3, 7),
            "28 February – 6 March 2030",
            "28 февраля – 6 марта 2030",
        ),
        (
            Period.MONTH,
            at(2029, 12, 6),
            at(2030, 1, 5),
            "6 December 2029 – 4 January 2030",
            "6 декабря 2029 – 4 января 2030",
        ),
        # A day ending at midnight on 1 January is the year's last day, not the next one's.
        (Period.DAY, at(2029, 12, 31), at(2030, 1, 1), "31 December 2029", "31 декабря 2029"),
        # Any bound off midnight: both moments, to the minute, in UTC.
        (
            Period.DAY,
            at(2030, 3, 5, 9),
            at(2030, 3, 6, 9),
            "5 March, 09:00 – 6 March 2030, 09:00 UTC",
            "5 марта, 09:00 – 6 марта 2030, 09:00 по Гринвичу",
        ),
        (
            Period.WEEK,
            at(2030, 2, 27, 18, 30),
            at(2030, 3, 6, 18, 30),
            "27 February, 18:30 – 6 March 2030, 18:30 UTC",
            "27 февраля, 18:30 – 6 марта 2030, 18:30 по Гринвичу",
        ),
        (
            Period.DAY,
            at(2029, 12, 31, 9),
            at(2030, 1, 1, 9),
            "31 December 2029, 09:00 – 1 January 2030, 09:00 UTC",
            "31 декабря 2029, 09:00 – 1 января 2030, 09:00 по Гринвичу",
        ),
        # A scheduled digest after downtime starts at the last one's end, whatever its time.
        (
            Period.DAY,
            at(2030, 3, 3),
            at(2030, 3, 6, 9),
            "3 March, 00:00 – 6 March 2030, 09:00 UTC",
            "3 марта, 00:00 – 6 марта 2030, 09:00 по Гринвичу",
        ),
    ],
)
def test_a_digests_title_names_the_days_or_moments_its_window_covers(
    period: Period, start: datetime, end: datetime, en: str, ru: str
) -> None:
    """Every chat and the console show the built-in writer's title as it is."""
    sheet = FactSheet(period=period, window_start=start, window_end=end, stories=())
    writer = BuiltinWriter()
    assert writer.document(sheet, Language.EN).title == f"Where is AI heading: {en}?"
    assert writer.document(sheet, Language.RU).title == f"Куда движется ИИ: {ru}?"

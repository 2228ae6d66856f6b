"""The seed post's pairs weighed in the digest of the day that announces each model, on a fresh
database: the knowledge base is loaded by the digest itself, in Russian and English."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import SecretStr

from aiprogress.app.settings import Settings
from aiprogress.app.wiring import open_app
from aiprogress.core.clock import FixedClock
from aiprogress.core.types import Language, Period, TrustTier
from tests.conftest import TEST_DATA, snapshot_feed
from tests.servers.feeds import FeedServer


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer().in_thread() as server:
        yield server


async def day_digest(feeds: FeedServer, tmp_path: Path, day_end: datetime) -> dict[Language, str]:
    settings = Settings.load(env_file=None)
    settings.database.url = SecretStr(f"sqlite:///{tmp_path / 'fresh.db'}")
    settings.collector.allow_private_urls = True
    async with open_app(settings, clock=FixedClock(day_end)) as app:
        assert await app.store.models.all() == []  # a fresh database
        for path, body, name in (
            ("/anthropic.rss", snapshot_feed("anthropic-news.rss"), "Anthropic News"),
            ("/launches.rss", (TEST_DATA / "seed-launches.rss").read_bytes(), "Launches"),
        ):
            await app.service.add_source(
                feeds.feed(path, body), name=name, trust_tier=TrustTier.OFFICIAL, backfill=True
            )
        await app.service.collect()
        return {
            language: (await app.service.write_digest(Period.DAY, language, save=False)).body
            for language in Language
        }


# (end of the announcement's day, the English weighing, the Russian one)
SEED_PAIRS = [
    (
        datetime(2025, 2, 28, tzinfo=UTC),
        "GPT-4.5 (preview) against GPT-4o: +19.48 points on GPQA Diamond (68.69% versus 49.21%) "
        "for 30× the input price ($75 versus $2.5 per 1M tokens)",
        "GPT-4.5 (preview) против GPT-4o: +19,48 п.п. на GPQA Diamond (68,69% против 49,21%) "
        "при цене входа в 30 раз выше ($75 против $2,5 за 1 млн токенов)",
    ),
    (
        datetime(2025, 2, 25, tzinfo=UTC),
        "Claude 3.7 Sonnet against Claude 3.5 Sonnet: +10.74 points on GPQA Diamond",
        "Claude 3.7 Sonnet против Claude 3.5 Sonnet: +10,74 п.п. на GPQA Diamond",
    ),
    (
        datetime(2025, 2, 20, tzinfo=UTC),
        "Grok 3 against Grok 2: ",
        "Grok 3 против Grok 2: ",
    ),
    (
        datetime(2025, 2, 6, tzinfo=UTC),
        "Gemini 2.0 Flash against Gemini 1.5 Pro: ",
        "Gemini 2.0 Flash против Gemini 1.5 Pro: ",
    ),
]


@pytest.mark.parametrize(("day_end", "english", "russian"), SEED_PAIRS)
async def test_the_seed_pairs_are_weighed_on_a_fresh_database(
    feeds: FeedServer, tmp_path: Path, day_end: datetime, english: str, russian: str
) -> None:
    bodies = await day_digest(feeds, tmp_path, day_end)
    assert english in bodies[Language.EN], bodies[Language.EN]
    assert russian in bodies[Language.RU], bodies[Language.RU]
    # The data's sources are named on the line and listed with their address at the end.
    assert "Data: " in bodies[Language.EN] and "Данные: " in bodies[Language.RU]

"""Onboarding sources through the facade: a name that follows the feed's title until a user
gives one, and editing a source. Real storage (SQLite and PostgreSQL), loopback HTTP, recorded
feeds."""

from __future__ import annotations

import pytest

from aiprogress.core.errors import InvalidInput, SourceNotFound
from aiprogress.core.service import AiProgress
from aiprogress.core.types import SourceChange, TrustTier
from aiprogress.storage.store import SqlStore
from tests.conftest import snapshot_feed
from tests.servers.feeds import FeedServer


async def test_a_nameless_source_follows_its_feeds_title_until_a_user_names_it(
    service: AiProgress, store: SqlStore, feed_server: FeedServer
) -> None:
    url = feed_server.feed("/blog.rss", snapshot_feed("ollama-blog.rss"))
    named = await service.add_source(
        feed_server.feed("/named.rss", snapshot_feed("bair-blog.rss")), name="BAIR"
    )
    source = await service.add_source(url)
    assert (source.name, source.name_from_user) == ("", False)
    assert (named.name, named.name_from_user) == ("BAIR", True)

    await service.collect()
    assert (await store.sources.get(source.id)).name == "Ollama Blog"
    assert (await store.sources.get(named.id)).name == "BAIR"  # a given name stays

    # The feed's title changes: the name follows.
    feed_server.feed("/blog.rss", snapshot_feed("openai-research.rss"))
    await service.collect()
    assert (await store.sources.get(source.id)).name == "OpenAI Research News"

    # Renamed by a user, it keeps that name whatever the feed calls itself.
    renamed = await service.edit_source(source.id, SourceChange(name="  My   blog "))
    assert (renamed.name, renamed.name_from_user) == ("My blog", True)
    feed_server.feed("/blog.rss", snapshot_feed("anthropic-news.rss"))
    await service.collect()
    assert (await store.sources.get(source.id)).name == "My blog"

    # An empty name hands it back to the feed's title, taken at the next fetch.
    cleared = await service.edit_source(source.id, SourceChange(name=""))
    assert (cleared.name, cleared.name_from_user, cleared.label) == ("", False, url)
    feed_server.feed("/blog.rss", snapshot_feed("bair-blog.rss"))
    await service.collect()
    assert (await store.sources.get(source.id)).name == (
        "The Berkeley Artificial Intelligence Research Blog"
    )


async def test_a_name_handed_back_is_the_feeds_title_at_the_next_fetch_of_an_unchanged_feed(
    service: AiProgress, store: SqlStore, feed_server: FeedServer
) -> None:
    """The feed answers 304 to a conditional GET and has not changed since the name was given:
    the next fetch still reads it, so the source does not stay nameless until the feed
    changes."""
    url = feed_server.feed("/blog.rss", snapshot_feed("ollama-blog.rss"))
    source = await service.add_source(url, name="Mine")
    first = await service.collect()
    assert first.fetched == 1
    assert (await store.sources.get(source.id)).name == "Mine"

    cleared = await service.edit_source(source.id, SourceChange(name=""))
    assert cleared.name == ""
    report = await service.collect()
    assert report.not_modified == 0
    assert (await store.sources.get(source.id)).name == "Ollama Blog"


async def test_edit_tier_and_interval(service: AiProgress, store: SqlStore) -> None:
    source = await service.add_source("https://openai.com/news/rss.xml", name="OpenAI")
    edited = await service.edit_source(
        source.id, SourceChange(trust_tier=TrustTier.OFFICIAL, interval_seconds=7200)
    )
    assert (edited.name, edited.trust_tier, edited.interval_seconds) == (
        "OpenAI",
        TrustTier.OFFICIAL,
        7200,
    )
    assert await store.sources.get(source.id) == edited

    with pytest.raises(InvalidInput, match=r"^nothing to change"):
        await service.edit_source(source.id, SourceChange())
    with pytest.raises(InvalidInput, match=r"^an interval is at least 60 seconds"):
        await service.edit_source(source.id, SourceChange(interval_seconds=5))
    with pytest.raises(SourceNotFound):
        await service.edit_source(999, SourceChange(name="x"))
    assert await store.sources.get(source.id) == edited

"""Every repository operation, on SQLite and on the real PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from aiprogress.core.errors import DuplicateSource, SourceNotFound
from aiprogress.core.types import (
    AdminNotice,
    DigestDraft,
    FetchOutcome,
    FetchResult,
    FetchStatus,
    Language,
    NewSource,
    NoticeKind,
    ParsedItem,
    Period,
    SourceCheck,
    TrustTier,
)
from aiprogress.storage.store import SqlStore

NOW = datetime(2026, 8, 15, 12, 0, tzinfo=UTC)


def item(n: int, **changes: object) -> ParsedItem:
    values: dict[str, object] = {
        "guid": f"guid-{n}",
        "url": f"https://example.org/{n}",
        "title": f"Item {n}",
        "summary": f"Summary {n}",
        "published_at": NOW - timedelta(hours=n),
        "authors": ("Ada",),
        "tags": ("llm",),
    }
    values.update(changes)
    return ParsedItem(**values)  # type: ignore[arg-type]


async def add_new(
    store: SqlStore, source_id: int, items: list[ParsedItem], fetched_at: datetime
) -> int:
    """How many of `items` one successful fetch of the source stores as new."""
    (stored,) = await store.fetches.record(
        [
            FetchOutcome(
                source_id=source_id,
                result=FetchResult(status=FetchStatus.OK),
                check=SourceCheck(0, fetched_at + timedelta(hours=1)),
                fetched_at=fetched_at,
                items=tuple(items),
            )
        ]
    )
    return stored.new_items


async def record_fetch(
    store: SqlStore, source_id: int, result: FetchResult, check: SourceCheck, now: datetime
) -> None:
    await store.fetches.record(
        [FetchOutcome(source_id=source_id, result=result, check=check, fetched_at=now)]
    )


async def test_source_add_get_list_remove(store: SqlStore) -> None:
    added = await store.sources.add(
        NewSource(url="https://example.org/feed.xml", name="Example", trust_tier=TrustTier.PAPER),
        NOW,
    )
    assert added.id > 0
    assert added.created_at == NOW
    assert added.created_at.tzinfo is not None
    assert (await store.sources.get(added.id)) == added
    assert list(await store.sources.list()) == [added]

    await store.sources.remove(added.id)
    assert list(await store.sources.list()) == []
    with pytest.raises(SourceNotFound):
        await store.sources.get(added.id)


async def test_listed_sources_page_and_filter_like_single_reads(store: SqlStore) -> None:
    # Listing reads plain rows, not ORM objects: every field must come back as `get` gives it.
    sources = [
        await store.sources.add(
            NewSource(
                url=f"https://{n}.example/feed",
                name=f"Source {n}" if n % 2 else "",
                trust_tier=TrustTier.PAPER if n % 3 == 0 else TrustTier.COMMUNITY,
                backfill=n == 3,
                interval_seconds=600 + n,
            ),
            NOW,
        )
        for n in range(7)
    ]
    ok = FetchResult(status=FetchStatus.OK, etag='"e1"', last_modified="Sat, 15 Aug 2026 10:00 GMT")
    failed = FetchResult(status=FetchStatus.ERROR, error="HTTP 500 Internal Server Error")
    await record_fetch(
        store, sources[1].id, ok, SourceCheck(0, NOW + timedelta(hours=1), baseline_at=NOW), NOW
    )
    earlier = NOW - timedelta(hours=1)
    await record_fetch(store, sources[2].id, failed, SourceCheck(1, earlier), earlier)
    await store.sources.set_enabled(sources[4].id, False)
    expected = [await store.sources.get(s.id) for s in sources]
    assert expected[1].last_status is FetchStatus.OK and expected[1].baseline_at == NOW
    assert expected[2].last_error == "HTTP 500 Internal Server Error"

    assert list(await store.sources.list()) == expected
    pages: list[list[int]] = []
    after = 0
    while page := await store.sources.list(after_id=after, limit=3):
        pages.append([s.id for s in page])
        after = page[-1].id
    ids = [s.id for s in expected]
    assert pages == [ids[0:3], ids[3:6], ids[6:7]]
    enabled = [s for s in expected if s.enabled]
    assert (
        list(await store.sources.list(enabled_only=True, after_id=ids[0], limit=2))
        == (enabled[1:3])
    )
    # Due: enabled, and never checked or checked before now; source 1 waits an hour.
    due = await store.sources.list(due_at=NOW)
    assert [s.id for s in due] == [ids[0], ids[2], ids[3], ids[5], ids[6]]
    assert [s.id for s in await store.sources.list(due_at=NOW, after_id=ids[2], limit=2)] == [
        ids[3],
        ids[5],
    ]
    assert all(s.created_at.tzinfo is not None for s in due)


async def test_duplicate_source_url_is_refused(store: SqlStore) -> None:
    await store.sources.add(NewSource(url="https://example.org/feed.xml"), NOW)
    with pytest.raises(DuplicateSource):
        await store.sources.add(NewSource(url="https://example.org/feed.xml"), NOW)
    assert len(await store.sources.list()) == 1


async def test_unknown_source_ids(store: SqlStore) -> None:
    with pytest.raises(SourceNotFound):
        await store.sources.remove(999)
    with pytest.raises(SourceNotFound):
        await store.sources.set_enabled(999, False)


async def test_enabled_filter(store: SqlStore) -> None:
    first = await store.sources.add(NewSource(url="https://a.example/feed"), NOW)
    second = await store.sources.add(NewSource(url="https://b.example/feed"), NOW)
    paused = await store.sources.set_enabled(first.id, False)
    assert not paused.enabled
    assert [s.id for s in await store.sources.list(enabled_only=True)] == [second.id]


async def test_record_fetch_keeps_validators_on_error(store: SqlStore) -> None:
    source = await store.sources.add(NewSource(url="https://example.org/feed.xml"), NOW)
    ok = FetchResult(
        status=FetchStatus.OK, etag='"v1"', last_modified="Sat, 15 Aug 2026 10:00:00 GMT"
    )
    await record_fetch(store, source.id, ok, SourceCheck(0, NOW + timedelta(hours=1)), NOW)
    failed = FetchResult(status=FetchStatus.ERROR, error="HTTP 500 Internal Server Error")
    later = NOW + timedelta(hours=1)
    await record_fetch(store, source.id, failed, SourceCheck(1, later + timedelta(hours=2)), later)

    stored = await store.sources.get(source.id)
    assert stored.etag == '"v1"'
    assert stored.last_modified == "Sat, 15 Aug 2026 10:00:00 GMT"
    assert stored.last_status is FetchStatus.ERROR
    assert stored.last_error == "HTTP 500 Internal Server Error"
    assert stored.last_fetched_at == later
    assert stored.failures == 1 and stored.next_check_at == later + timedelta(hours=2)
    assert stored.enabled


async def test_record_gives_each_source_its_own_outcome_in_a_large_batch(store: SqlStore) -> None:
    # More sources than one UPDATE names, most of them with the same values (a run of 304s)
    # and a few with their own: each source ends with exactly its own outcome.
    sources = [
        await store.sources.add(NewSource(url=f"https://example.org/{n}.xml"), NOW)
        for n in range(503)
    ]
    later = NOW + timedelta(hours=1)
    unchanged = FetchResult(status=FetchStatus.NOT_MODIFIED, http_status=304)
    failed = FetchResult(status=FetchStatus.ERROR, error="HTTP 503 Service Unavailable")
    outcomes = []
    for n, source in enumerate(sources):
        if n == 3:
            result = FetchResult(status=FetchStatus.OK, etag='"v3"', http_status=200)
            check = SourceCheck(0, later + timedelta(hours=1))
        elif n % 100 == 7:
            result, check = failed, SourceCheck(1, later + timedelta(hours=2))
        elif n % 100 == 8:
            result, check = unchanged, SourceCheck(0, later + timedelta(hours=12))
        else:
            result, check = unchanged, SourceCheck(0, later + timedelta(hours=1))
        outcomes.append(FetchOutcome(source.id, result=result, check=check, fetched_at=later))
    stored = await store.fetches.record(outcomes)
    assert len(stored) == len(sources)

    by_id = {source.id: source for source in await store.sources.list()}
    for n, source in enumerate(sources):
        got = by_id[source.id]
        assert got.last_fetched_at == later
        assert got.etag == ('"v3"' if n == 3 else None)
        if n == 3:
            assert got.last_status is FetchStatus.OK
        elif n % 100 == 7:
            assert got.last_status is FetchStatus.ERROR and got.failures == 1
            assert got.last_error == "HTTP 503 Service Unavailable"
            assert got.next_check_at == later + timedelta(hours=2)
        else:
            assert got.last_status is FetchStatus.NOT_MODIFIED and got.failures == 0
            assert got.last_error is None
            hours = 12 if n % 100 == 8 else 1
            assert got.next_check_at == later + timedelta(hours=hours)


async def test_record_fetch_can_disable(store: SqlStore) -> None:
    source = await store.sources.add(NewSource(url="https://example.org/feed.xml"), NOW)
    failed = FetchResult(status=FetchStatus.ERROR, error="HTTP 404 Not Found")
    await record_fetch(
        store,
        source.id,
        failed,
        SourceCheck(8, NOW, disabled_reason="disabled after 8 failures"),
        NOW,
    )
    stored = await store.sources.get(source.id)
    assert not stored.enabled and stored.disabled_reason == "disabled after 8 failures"
    assert await store.sources.list(due_at=NOW) == []
    enabled = await store.sources.set_enabled(source.id, True)
    assert (
        enabled.failures == 0 and enabled.disabled_reason is None and enabled.next_check_at is None
    )
    assert [s.id for s in await store.sources.list(due_at=NOW)] == [source.id]


async def test_notices(store: SqlStore) -> None:
    source = await store.sources.add(NewSource(url="https://example.org/feed.xml"), NOW)
    notice = await store.notices.add(
        AdminNotice(NoticeKind.SOURCE_DISABLED, "source #1 disabled", NOW, source.id)
    )
    assert notice.id is not None
    assert await store.notices.pending() == [notice]


async def test_items_are_stored_once(store: SqlStore) -> None:
    source = await store.sources.add(NewSource(url="https://example.org/feed.xml"), NOW)
    batch = [item(1), item(2), item(3)]
    assert await add_new(store, source.id, batch, NOW) == 3
    assert await add_new(store, source.id, batch, NOW) == 0
    assert await add_new(store, source.id, [*batch, item(4)], NOW) == 1
    assert await store.items.count() == 4


async def test_same_content_under_a_new_guid_is_not_new(store: SqlStore) -> None:
    source = await store.sources.add(NewSource(url="https://example.org/feed.xml"), NOW)
    await add_new(store, source.id, [item(1)], NOW)
    assert await add_new(store, source.id, [item(1, guid="republished-1")], NOW) == 0


async def test_repeated_entry_within_one_feed_counts_once(store: SqlStore) -> None:
    source = await store.sources.add(NewSource(url="https://example.org/feed.xml"), NOW)
    assert await add_new(store, source.id, [item(1), item(1)], NOW) == 1


async def test_same_guid_in_two_sources_is_two_items(store: SqlStore) -> None:
    first = await store.sources.add(NewSource(url="https://a.example/feed"), NOW)
    second = await store.sources.add(NewSource(url="https://b.example/feed"), NOW)
    assert await add_new(store, first.id, [item(1)], NOW) == 1
    assert await add_new(store, second.id, [item(1)], NOW) == 1


async def test_window_query_returns_aware_utc_newest_first(store: SqlStore) -> None:
    source = await store.sources.add(NewSource(url="https://example.org/feed.xml"), NOW)
    moscow = timezone(timedelta(hours=3))
    await add_new(
        store,
        source.id,
        [
            item(1, published_at=datetime(2026, 8, 15, 14, 0, tzinfo=moscow)),  # 11:00 UTC
            item(2),  # 10:00 UTC
            item(3, published_at=None),  # falls back to fetched_at
            item(50),  # outside the window
        ],
        NOW - timedelta(hours=5),
    )
    rows = await store.items.in_window(NOW - timedelta(days=1), NOW)
    assert [i.guid for i, _ in rows] == ["guid-1", "guid-2", "guid-3"]
    first, source_row = rows[0]
    assert first.published_at == datetime(2026, 8, 15, 11, 0, tzinfo=UTC)
    assert first.published_at is not None and first.published_at.utcoffset() == timedelta(0)
    assert first.authors == ("Ada",) and first.tags == ("llm",)
    assert source_row.id == source.id


async def test_removing_a_source_removes_its_items(store: SqlStore) -> None:
    source = await store.sources.add(NewSource(url="https://example.org/feed.xml"), NOW)
    await add_new(store, source.id, [item(1), item(2)], NOW)
    await store.sources.remove(source.id)
    assert await store.items.count() == 0


async def test_digests_are_stored_and_read_back(store: SqlStore) -> None:
    draft = DigestDraft(
        period=Period.WEEK,
        language=Language.RU,
        window_start=NOW - timedelta(days=7),
        window_end=NOW,
        title="Прогресс ИИ",
        body="текст",
        item_ids=(3, 1, 2),
        writer="builtin",
    )
    (first,) = await store.digests.add_all([draft], NOW)
    # Without a fact sheet's hash nothing says it is the same digest: stored again.
    (second,) = await store.digests.add_all([draft], NOW + timedelta(minutes=1))
    assert second.id != first.id
    assert await store.digests.get(first.id) == first
    assert first.item_ids == (3, 1, 2)
    assert first.window_start == NOW - timedelta(days=7)


async def test_naive_datetimes_are_refused(store: SqlStore) -> None:
    from aiprogress.core.errors import StorageError

    with pytest.raises((StorageError, ValueError)):
        await store.sources.add(NewSource(url="https://example.org/feed"), datetime(2026, 1, 1))  # noqa: DTZ001


async def test_find_by_url(store: SqlStore) -> None:
    added = await store.sources.add(NewSource(url="https://example.org/feed.xml"), NOW)
    assert await store.sources.find_by_url("https://example.org/feed.xml") == added
    assert await store.sources.find_by_url("https://example.org/other.xml") is None

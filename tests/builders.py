"""The facade and the channel desk as the tests build them: real parts, loopback HTTP."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TypedDict, Unpack

from aiprogress.core.channels import ChannelDesk
from aiprogress.core.clock import FixedClock
from aiprogress.core.collection import CollectLimits
from aiprogress.core.policy import FetchPolicy
from aiprogress.core.ports import Fetcher, Store, Writer
from aiprogress.core.registry import ModelRegistry
from aiprogress.core.service import AiProgress
from aiprogress.core.types import Language, Source, SourceKind, TrustTier
from aiprogress.digest.builtin import BuiltinWriter
from aiprogress.digest.compare import compare_models
from aiprogress.digest.composer import Composer
from aiprogress.digest.filters import compile_filter
from aiprogress.sources.http import HttpFetcher
from aiprogress.sources.names import ModelIndex
from aiprogress.storage.store import SqlStore


class Options(TypedDict, total=False):
    collect_limits: CollectLimits
    fetch_policy: FetchPolicy


def make_registry(store: Store, clock: FixedClock) -> ModelRegistry:
    """The model registry with the real name index and comparison."""
    return ModelRegistry(store=store, clock=clock, index_factory=ModelIndex, analyst=compare_models)


def make_service(
    store: Store,
    clock: FixedClock,
    fetcher: Fetcher,
    *,
    writer: Writer | None = None,
    **options: Unpack[Options],
) -> AiProgress:
    """The facade over loopback HTTP with the built-in writer unless `writer` is given; `options`
    set the collection's limits (concurrency, batch and page sizes) or the failure policy. An
    HTTP fetcher also checks sources added by hand (`onboard_source`)."""
    return AiProgress(
        store=store,
        fetcher=fetcher,
        prober=fetcher if isinstance(fetcher, HttpFetcher) else None,
        writer=writer or BuiltinWriter(),
        composer=Composer(),
        clock=clock,
        allow_private_urls=True,
        models=make_registry(store, clock),
        filter_compiler=compile_filter,
        **options,
    )


def make_desk(
    store: SqlStore, service: AiProgress, clock: FixedClock, *, language: Language = Language.EN
) -> ChannelDesk:
    """The channel desk; new chats start in `language` unless their user's app says otherwise."""
    return ChannelDesk(
        store=store,
        service=service,
        default_language=language,
        filter_compiler=compile_filter,
        clock=clock,
    )


def feed_source(url: str, *, etag: str | None = None, body_hash: str | None = None) -> Source:
    """A stored feed source (id 1) as the fetcher gets it, with the validators given."""
    return Source(
        id=1,
        url=url,
        name="",
        kind=SourceKind.FEED,
        trust_tier=TrustTier.COMMUNITY,
        enabled=True,
        created_at=datetime(2026, 8, 1, tzinfo=UTC),
        etag=etag,
        body_hash=body_hash,
    )

"""The composition root: builds the service from settings, and closes what it opened."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from typing import TYPE_CHECKING, Any

from aiprogress.app.settings import Settings
from aiprogress.core.clock import SystemClock
from aiprogress.core.collection import CollectLimits
from aiprogress.core.ports import Clock, Fetcher, ModelIndex, Store, Writer
from aiprogress.core.registry import ModelRegistry
from aiprogress.core.service import AiProgress, DigestLimits
from aiprogress.core.types import (
    FetchResult,
    Item,
    ItemFilter,
    ModelFact,
    ModelInfo,
    Source,
    SourceProbe,
)
from aiprogress.digest.composer import Composer

if TYPE_CHECKING:
    from aiprogress.core.comparison import Comparison
    from aiprogress.core.factsheet import FactSheet, WrittenDigest
    from aiprogress.sources.http import FetchLimits, HttpFetcher
    from aiprogress.storage.sqlite_collect import SqliteCollectStore
    from aiprogress.storage.store import SqlStore


class App:
    """What a command works on: the service, the store, the settings and the clock.

    `store` is SQLAlchemy's store; where the service's is the sqlite3 one (`collect`, see
    `open_app`), it is opened when first asked for, and SQLAlchemy imported then."""

    __slots__ = ("_store", "clock", "service", "settings")

    def __init__(
        self,
        *,
        service: AiProgress,
        store: SqlStore | Callable[[], SqlStore],
        settings: Settings,
        clock: Clock,
    ) -> None:
        self.service = service
        self._store = store
        self.settings = settings
        self.clock = clock

    @property
    def store(self) -> SqlStore:
        return self._store() if callable(self._store) else self._store


def fetch_limits(settings: Settings) -> FetchLimits:
    from aiprogress.sources.http import FetchLimits

    collector = settings.collector
    # A thread or a worker process parses on a second core while this one fetches and stores
    # (sources/parse_worker.py); with one core, both would only take turns with the loop.
    cores = len(os.sched_getaffinity(0))
    parse_in = collector.parse_in if cores > 1 else "loop"
    return FetchLimits(
        connect_timeout=collector.connect_timeout,
        total_timeout=collector.total_timeout,
        max_bytes=collector.max_bytes,
        max_redirects=collector.max_redirects,
        concurrency=collector.concurrency,
        per_host=collector.per_host,
        parse_process=parse_in == "process",
        # On the thread, every document; on the loop, those under the default's size.
        inline_parse_bytes=0 if parse_in == "thread" else FetchLimits().inline_parse_bytes,
        check_on_thread=cores > 1,
    )


# The name index (rapidfuzz) and the filter engine (RE2) are loaded on first use, so that
# `collect` and the scheduler's collection job do not carry them: `collect`'s memory is a target.


def model_index(models: Sequence[ModelInfo]) -> ModelIndex:
    from aiprogress.sources.names import ModelIndex as FuzzyModelIndex

    return FuzzyModelIndex(models)


async def bundled_models(registry: ModelRegistry) -> object:
    """The registry's bootstrap: the bundled model data, loaded when it is first needed."""
    from aiprogress.app.models_data import import_bundled_models

    return await import_bundled_models(registry)


def llm_writer(settings: Settings, store: Store, clock: Clock) -> tuple[Writer, Any]:
    """The LLM writer and its client (to close). `openai` is imported only here, so commands
    that write no digest never load it."""
    import openai

    from aiprogress.digest.llm import LlmOptions, LlmWriter

    llm = settings.llm
    client = openai.AsyncOpenAI(
        # Local servers (Ollama, llama.cpp) take any key; the client insists on one.
        api_key=llm.api_key.get_secret_value() if llm.api_key else "not-needed",
        base_url=llm.base_url or None,
        timeout=llm.timeout,
        max_retries=llm.max_retries,
    )
    options = LlmOptions(
        model=llm.model,
        fallback_model=llm.fallback_model,
        daily_token_budget=llm.daily_token_budget,
        price_input_per_mtok=llm.price_input_per_mtok,
        price_output_per_mtok=llm.price_output_per_mtok,
    )
    writer = LlmWriter(client=client, options=options, ledger=store.llm, clock=clock)
    return writer, client


# The built-in writer (with the checker and figures it loads) and the comparison engine are
# imported when first used: `collect` uses neither, `compare` no writer, and their imports cost
# those commands ~25 ms of CPU (issue 21).


class OnDemandBuiltinWriter:
    """`digest.builtin.BuiltinWriter`, imported when a digest is first written."""

    name = "builtin"

    async def write(self, sheet: FactSheet, models: Sequence[ModelInfo]) -> WrittenDigest:
        from aiprogress.digest.builtin import BuiltinWriter

        return await BuiltinWriter().write(sheet, models)


def compare_on_demand(
    models: Sequence[ModelInfo], facts: Sequence[ModelFact], bases: Sequence[ModelInfo | None]
) -> Comparison:
    from aiprogress.digest.compare import compare_models

    return compare_models(models, facts, bases)


def item_filter(spec: ItemFilter) -> Callable[[Item], bool]:
    from aiprogress.digest.filters import compile_filter

    return compile_filter(spec)


class OnDemandFetcher:
    """The HTTP fetcher, opened on the first request: a command that fetches nothing (`compare`,
    a `collect` with no source due) never loads aiohttp nor opens a session. Closed by the
    exit stack it was given, with everything else."""

    def __init__(self, settings: Settings, stack: AsyncExitStack) -> None:
        self._settings = settings
        self._stack = stack
        self._http: HttpFetcher | None = None
        self._opening = asyncio.Lock()

    async def _opened(self) -> HttpFetcher:
        if self._http is None:
            async with self._opening:
                if self._http is None:
                    from aiprogress.sources.http import HttpFetcher

                    settings = self._settings
                    self._http = await self._stack.enter_async_context(
                        HttpFetcher(
                            limits=fetch_limits(settings),
                            allow_private=settings.collector.allow_private_urls,
                        )
                    )
        return self._http

    def fetch(self, source: Source) -> Coroutine[Any, Any, FetchResult]:
        """Once the fetcher is open, its own `fetch` coroutine, not one of ours around it: a
        coroutine awaiting another resumes through both at each of a request's suspensions,
        ~1% of an all-304 `collect` of 2,000 feeds (callgrind, issue 21)."""
        http = self._http
        return self._open_and_fetch(source) if http is None else http.fetch(source)

    async def _open_and_fetch(self, source: Source) -> FetchResult:
        return await (await self._opened()).fetch(source)

    async def probe(self, url: str) -> SourceProbe:
        return await (await self._opened()).probe(url)


@asynccontextmanager
async def open_store(settings: Settings, *, migrate: bool | None = None) -> AsyncIterator[SqlStore]:
    """The store, its schema upgraded when AIPROGRESS_AUTO_MIGRATE says so (or `migrate`), and
    otherwise checked: an old schema is refused with the command that fixes it. `migrate=False`
    opens the store as it is, for `db upgrade` itself."""
    from aiprogress.storage.engine import create_engine
    from aiprogress.storage.migrate import require_current, upgrade
    from aiprogress.storage.store import SqlStore

    store = SqlStore(create_engine(settings.database.url.get_secret_value()))
    try:
        if settings.database.auto_migrate if migrate is None else migrate:
            await upgrade(store.engine)
        elif migrate is None:
            await require_current(store.engine)
        yield store
    finally:
        await store.close()


def collect_store(settings: Settings) -> SqliteCollectStore | None:
    """The sqlite3 store for `collect` when the database is a SQLite file at the schema's head
    (a cheap sqlite3 read of its revision), else None: SQLAlchemy's path makes, migrates or
    checks the database as for any command. Imported here: PostgreSQL never loads it."""
    from aiprogress.storage.sqlite_collect import open_sqlite_collect_store

    return open_sqlite_collect_store(settings.database.url.get_secret_value())


@asynccontextmanager
async def open_app(
    settings: Settings,
    *,
    fetcher: Fetcher | None = None,
    clock: Clock | None = None,
    collect_only: bool = False,
) -> AsyncIterator[App]:
    """Everything the CLI needs; `fetcher` and `clock` replace the network and the system time
    (the offline demo passes the snapshot's).

    With `collect_only` (the `collect` command, whose work is the collector's alone) on a
    SQLite database already at head, the service's store is the sqlite3 one
    (`storage/sqlite_collect.py`): the process never imports SQLAlchemy, ~14% of an all-304
    `collect` of 2,000 feeds (issue 21). Anything else opens SQLAlchemy's store as always."""
    async with AsyncExitStack() as stack:
        lite = collect_store(settings) if collect_only else None
        store: Store
        sql: SqlStore | Callable[[], SqlStore]
        if lite is not None:
            stack.push_async_callback(lite.close)
            store, sql = lite, lite.sql
        else:
            store = sql = await stack.enter_async_context(open_store(settings))
        http = OnDemandFetcher(settings, stack)
        # A source added by hand is fetched first, over the network, also where collection
        # reads a snapshot (the demo).
        fetcher = fetcher or http
        clock = clock or SystemClock()
        writer: Writer = OnDemandBuiltinWriter()
        if settings.llm.configured:
            writer, client = llm_writer(settings, store, clock)
            stack.push_async_callback(client.close)
        service = AiProgress(
            store=store,
            fetcher=fetcher,
            prober=http,
            writer=writer,
            composer=Composer(),
            clock=clock,
            models=ModelRegistry(
                store=store,
                clock=clock,
                index_factory=model_index,
                analyst=compare_on_demand,
                bootstrap=bundled_models,
            ),
            allow_private_urls=settings.collector.allow_private_urls,
            collect_limits=CollectLimits(
                concurrency=settings.collector.concurrency, per_host=settings.collector.per_host
            ),
            filter_compiler=item_filter,
            digest_limits=DigestLimits(
                max_items=settings.digest.max_items, per_source=settings.digest.per_source
            ),
        )
        yield App(service=service, store=sql, settings=settings, clock=clock)

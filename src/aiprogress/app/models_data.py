"""Loading the bundled model data into the registry: the curated file first, then the rest.

The importers (YAML, TOML, CSV readers) and the HTTP fetcher are imported by the functions that
use them: `compare` on a filled registry and the bots' start need neither.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import TYPE_CHECKING

from aiprogress.core.errors import AppError, InvalidInput
from aiprogress.core.registry import ModelRegistry
from aiprogress.core.types import ImportReport

if TYPE_CHECKING:
    from aiprogress.sources.http import HttpFetcher
    from aiprogress.sources.importers import BundledSnapshot


async def import_bundled_models(registry: ModelRegistry) -> list[ImportReport]:
    """One report per data file; a file that fails to import is reported and skipped."""
    from aiprogress.sources.importers import (
        BUNDLED_SNAPSHOTS,
        load_llm_stats_models,
        load_models_dev,
        load_seed,
        read_litellm,
        read_openrouter,
    )
    from aiprogress.sources.importers.catalogue import MODELS_DEV_AS_OF

    reports: list[ImportReport] = []
    try:
        curated = await asyncio.to_thread(load_seed)
        reports.append(await registry.import_batch(curated, authoritative=True))
    except AppError as exc:
        reports.append(ImportReport("curated", 0, 0, error=str(exc)))
    # OpenRouter's lists are the registry's source of new models; price tables and leaderboards
    # only add facts to models already named. So the lists go first (each source still in time
    # order), or a second import would find facts for models the first one had not met yet.
    lists = [s for s in BUNDLED_SNAPSHOTS if s.reader is read_openrouter]
    tables = [s for s in BUNDLED_SNAPSHOTS if s.reader is read_litellm]
    others = [s for s in BUNDLED_SNAPSHOTS if s.reader not in (read_openrouter, read_litellm)]
    for snapshot in lists:
        reports.append(await _import_snapshot(registry, snapshot, create_models=True))
    # The vendors' price tables next: their keys are the vendors' API ids, dated snapshots
    # among them (`claude-3-sonnet-20240229`), which they tie to the models the lists named.
    # A release date given under a dated id is judged against the ids a model is known by
    # (`core.registry`), so models.dev's dates, read next, must find those ids already tied:
    # before, its "2024-03-04" for `claude-3-sonnet-20240229` met a model known by no dated
    # id, was dropped, and LLM Stats' "2024-02-29" (the id's stamp read back) filled it.
    for snapshot in tables:
        if snapshot.as_of <= MODELS_DEV_AS_OF:
            reports.append(await _import_snapshot(registry, snapshot, create_models=False))
    # models.dev next: facts only (its ids are provider-scoped), and the names it adds to known
    # models let the leaderboards below find them.
    try:
        models_dev = await asyncio.to_thread(load_models_dev)
        reports.append(await registry.import_batch(models_dev))
    except AppError as exc:
        reports.append(ImportReport("models.dev", 0, 0, error=str(exc)))
    # A table newer than models.dev's snapshot after it: its keys name models by ids only
    # models.dev gives (`gpt-5.1-chat-latest`, models.dev's `openai/gpt-5.1-chat-latest`).
    # Read before it, those keys matched nothing, and a second import found their facts.
    for snapshot in tables:
        if snapshot.as_of > MODELS_DEV_AS_OF:
            reports.append(await _import_snapshot(registry, snapshot, create_models=False))
    for snapshot in others:
        reports.append(await _import_snapshot(registry, snapshot, create_models=False))
    # LLM Stats' model records last: they give release dates only, to models the curated file
    # and models.dev left undated (their dates outrank LLM Stats': `storage.models`
    # `RELEASE_DATE_TRUST`), and adding their names after the leaderboards leaves the facts
    # those attach where they were.
    try:
        llm_stats = await asyncio.to_thread(load_llm_stats_models)
        reports.append(await registry.import_batch(llm_stats))
    except AppError as exc:
        reports.append(ImportReport("LLM Stats", 0, 0, error=str(exc)))
    return reports


async def _import_snapshot(
    registry: ModelRegistry, snapshot: BundledSnapshot, *, create_models: bool
) -> ImportReport:
    from aiprogress.sources.importers import load_bundled

    try:
        batch = await asyncio.to_thread(load_bundled, snapshot)
        return await registry.import_batch(batch, create_models=create_models)
    except AppError as exc:
        return ImportReport(snapshot.source_name, 0, 0, error=str(exc))


async def import_live(
    registry: ModelRegistry, fetcher: HttpFetcher, kind: str, url: str | None, today: date
) -> ImportReport:
    """Fetch one kind of data from where it is published now and import it, dated today."""
    from aiprogress.sources.importers.live import LIVE_SOURCES

    source = LIVE_SOURCES.get(kind)
    if source is None:
        raise InvalidInput(f"unknown data kind {kind!r}; one of: {', '.join(sorted(LIVE_SOURCES))}")
    address = url or source.default_url
    if not address:
        raise InvalidInput(f"{kind} publishes no fixed URL: give one with --url")
    document = await fetcher.fetch_document(address)
    batch = await asyncio.to_thread(
        source.reader, document, as_of=today, source_name=source.source_name, source_url=address
    )
    return await registry.import_batch(batch, create_models=source.creates_models)


async def ensure_models(registry: ModelRegistry) -> None:
    """On first use, fill an empty registry from the bundled data, so /compare works offline."""
    if len(await registry.index()) == 0:
        await import_bundled_models(registry)

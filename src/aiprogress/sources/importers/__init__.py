"""Importers of structured model data: each turns the recorded bytes of one data file (a price
table, a leaderboard, the curated seed) into an `ImportBatch`, or raises `ImportFormatError`
before returning anything. They are pure: no network, no clock, no database."""

from __future__ import annotations

from aiprogress.sources.importers.aider import read_aider_polyglot
from aiprogress.sources.importers.catalogue import (
    BUNDLED_SNAPSHOTS,
    BundledSnapshot,
    load_bundled,
    load_llm_stats_models,
    load_models_dev,
    load_seed,
)
from aiprogress.sources.importers.curated import read_curated
from aiprogress.sources.importers.litellm import read_litellm
from aiprogress.sources.importers.lmarena import read_lmarena
from aiprogress.sources.importers.openrouter import read_openrouter

__all__ = [
    "BUNDLED_SNAPSHOTS",
    "BundledSnapshot",
    "load_bundled",
    "load_llm_stats_models",
    "load_models_dev",
    "load_seed",
    "read_aider_polyglot",
    "read_curated",
    "read_litellm",
    "read_lmarena",
    "read_openrouter",
]

"""LiteLLM 1.110.2 (20 November 2026) in the knowledge base: the bundled file is the first-party
subset `litellm_subset.py` writes from the recorded table, it reads as the whole table does, its
keys that name a newer model than the one filed under them are left out, and once imported its
prices stand beside the 2025 tables' with their dates, and its cloud and gateway keys name no
model and overwrite no fact."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date

from aiprogress.core.types import Metric
from aiprogress.sources.importers import (
    BUNDLED_SNAPSHOTS,
    BundledSnapshot,
    load_bundled,
    read_litellm,
)
from aiprogress.sources.importers.catalogue import LEFT_OUT, REUSED_LITELLM_IDS
from aiprogress.sources.importers.litellm import FIRST_PARTY
from tests.conftest import Bundled
from tests.sources.litellm_subset import BUNDLED, RECORDED, SOURCE_SHA256, subset

SNAPSHOTS = BUNDLED.parent
SOURCE = "LiteLLM 1.110.2 price table"
DAY = date(2026, 11, 20)


def table() -> BundledSnapshot:
    return next(s for s in BUNDLED_SNAPSHOTS if s.name == "litellm-1.110.2")


def test_the_bundled_table_is_the_scripts_subset_of_the_recorded_one() -> None:
    assert RECORDED.is_file(), f"the recorded table is missing: {RECORDED}"
    recorded = RECORDED.read_bytes()
    assert hashlib.sha256(recorded).hexdigest() == SOURCE_SHA256
    bundled = BUNDLED.read_bytes()
    assert bundled == subset(recorded), "re-run: python -m tests.sources.litellm_subset"
    # The filter itself, written out: every first-party key (any mode) and `sample_spec`, with
    # its values as recorded, in the recorded order; nothing else.
    whole = json.loads(recorded)
    expected = {
        key: entry
        for key, entry in whole.items()
        if key == "sample_spec" or entry.get("litellm_provider") in FIRST_PARTY
    }
    kept = json.loads(bundled)
    assert list(kept) == list(expected) and kept == expected
    assert len(whole) == 4878 and len(kept) == 573
    # The snapshots' ORIGIN names the source's and the subset's sha256.
    origin = (SNAPSHOTS / "ORIGIN.md").read_text(encoding="utf-8")
    assert SOURCE_SHA256 in origin
    assert hashlib.sha256(bundled).hexdigest() in origin


def test_the_subset_reads_as_the_whole_table() -> None:
    def read(document: bytes) -> tuple[object, object]:
        batch = read_litellm(document, as_of=DAY, source_name=SOURCE, source_url="u")
        return batch.models, batch.facts

    assert read(BUNDLED.read_bytes()) == read(RECORDED.read_bytes())


def test_the_2026_table_prices_claude_opus_5_and_reads_no_gateway_key() -> None:
    item = table()
    assert (item.as_of, item.source_name) == (DAY, SOURCE)
    assert item.source_url == "https://pypi.org/project/litellm/1.110.2/"
    batch = load_bundled(item)
    facts = {f.metric: f.value for f in batch.facts if f.model_id == "claude-opus-5"}
    assert facts == {
        Metric.PRICE_INPUT: 5.0,
        Metric.PRICE_OUTPUT: 25.0,
        Metric.CONTEXT_WINDOW: 1_000_000.0,
        Metric.MAX_OUTPUT: 128_000.0,
    }
    assert all(f.as_of == DAY for f in batch.facts)
    # The whole recorded table, clouds and gateways included: none of their keys is read.
    whole = read_litellm(RECORDED.read_bytes(), as_of=DAY, source_name=SOURCE, source_url="u")
    gateway = re.compile(r"^(bedrock|vertex_ai|azure|azure_ai|oci|openrouter|vercel_ai_gateway)/")
    ids = {m.canonical_id for m in whole.models}
    assert len(ids) == 345
    assert not {i for i in ids if gateway.match(i)}
    assert "anthropic.claude-3-7-sonnet-20250219-v1:0" not in ids
    assert "claude-3-7-sonnet-20250219" not in ids  # gone from the table's first-party keys


def test_deepseek_ids_that_now_name_a_newer_model_are_left_out_and_counted() -> None:
    batch = load_bundled(table())
    ids = {m.canonical_id for m in batch.models}
    assert not ids & REUSED_LITELLM_IDS
    assert not {f.model_id for f in batch.facts} & REUSED_LITELLM_IDS
    assert batch.dropped == ((LEFT_OUT, 4),)
    # V3 and R1 keep their prices under their own keys.
    prices = {
        (f.model_id, f.metric): f.value
        for f in batch.facts
        if f.model_id.startswith("deepseek/deepseek-") and f.metric in Metric.PRICES
    }
    assert prices[("deepseek/deepseek-v3", Metric.PRICE_INPUT)] == 0.27
    assert prices[("deepseek/deepseek-v3", Metric.PRICE_OUTPUT)] == 1.1
    assert prices[("deepseek/deepseek-r1", Metric.PRICE_OUTPUT)] == 2.19


async def test_imported_prices_keep_each_table_and_date(bundled: Bundled) -> None:
    facts = await bundled.store.models.facts(["openai/o3", "deepseek/deepseek-v3"])
    o3 = {
        (f.source_name, f.as_of): f.value
        for f in facts
        if f.model_id == "openai/o3" and f.metric == Metric.PRICE_INPUT
    }
    # o3's price cut: $10 per 1M input tokens in 1.67.4, $2 in 1.110.2, both kept.
    assert o3[("LiteLLM 1.67.4 price table", date(2025, 4, 27))] == 10.0
    assert o3[(SOURCE, DAY)] == 2.0
    # DeepSeek-V3's 2026 price is its own key's, not `deepseek-chat`'s 0.28 / 0.42.
    v3 = {
        f.metric: f.value
        for f in facts
        if f.model_id == "deepseek/deepseek-v3" and f.source_name == SOURCE
    }
    assert v3[Metric.PRICE_INPUT] == 0.27 and v3[Metric.PRICE_OUTPUT] == 1.1


async def test_cloud_keys_create_no_model_and_no_fact(bundled: Bundled) -> None:
    models = {m.canonical_id: m for m in await bundled.store.models.all()}
    # Claude 3.7 Sonnet, Gemini 2.0 Flash and Grok 3 are in 1.110.2 only under cloud keys
    # (Bedrock, Vertex AI, OCI): no 2026 fact reaches them, no key becomes a model.
    for model_id in ("anthropic/claude-3.7-sonnet", "google/gemini-2.0-flash", "xai/grok-3"):
        assert model_id in models
        facts = await bundled.store.models.facts([model_id])
        assert facts and not [f for f in facts if f.source_name == SOURCE]
    assert not [m for m in models if m.startswith(("bedrock/", "vertex_ai/", "oci/", "azure/"))]
    # The 2026 launches are the curated models the table's keys attach to.
    opus5 = models["anthropic/claude-opus-5"]
    assert (opus5.display_name, opus5.release_date) == ("Claude Opus 5", date(2026, 7, 24))
    assert opus5.predecessor == "anthropic/claude-opus-4.8"
    report = next(r for r in bundled.reports if r.source_name == SOURCE)
    assert (report.models_added, report.error) == (0, None)
    assert report.dropped == ((LEFT_OUT, 4),)

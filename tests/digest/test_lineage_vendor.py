"""A maker's models are one line however the ids spell the maker: the curated file's and
models.dev's `xai/grok-3` is the one before OpenRouter's `x-ai/grok-4`."""

from __future__ import annotations

from datetime import date

from aiprogress.core.types import ModelInfo
from aiprogress.digest.lineage import Lineage, vendor_of

GROK_2 = ModelInfo("xai/grok-2", "Grok 2", "xAI", "Grok", date(2024, 8, 13))
GROK_3 = ModelInfo(
    "xai/grok-3", "Grok 3", "xAI", "Grok", date(2025, 2, 17), predecessor=GROK_2.canonical_id
)
GROK_4 = ModelInfo("x-ai/grok-4", "Grok 4", "xAI", release_date=date(2025, 7, 9))


def test_one_maker_spelled_two_ways_is_one_line() -> None:
    assert vendor_of(GROK_3) == vendor_of(GROK_4) == "xai"
    assert vendor_of(ModelInfo("meta-llama/llama-4-scout", "Llama 4 Scout", "")) == "meta"
    # A prefix no maker of ours is spelled by stays as it is.
    assert vendor_of(ModelInfo("eva-unit-01/eva-qwen-2.5-72b", "EVA Qwen2.5 72B", "")) == (
        "eva-unit-01"
    )
    lineage = Lineage([GROK_2, GROK_3, GROK_4])
    assert lineage.before(GROK_4.canonical_id) == GROK_3
    assert lineage.before(GROK_3.canonical_id) == GROK_2


def test_another_maker_s_model_of_the_same_name_is_not_the_one_before() -> None:
    other = ModelInfo("acme/grok-3", "Grok 3", "Acme", release_date=date(2025, 2, 17))
    assert Lineage([other, GROK_4]).before(GROK_4.canonical_id) is None

"""LiteLLM's `model_prices_and_context_window.json`: one key per model and provider.

Only chat models served by their maker's own API are read. The same model resold by a cloud or a
gateway (Bedrock, Vertex AI, Azure, OpenRouter, Groq, Together, ...) carries that reseller's price
and id, so it is not a fact about the model. `sample_spec` documents the fields and is skipped.

Prices are the base tier (`input_cost_per_token`); the `*_above_128k_tokens` tier of long
prompts is not read. A zero price on an experimental key (`gemini/gemini-2.0-pro-exp-02-05`)
is a free preview endpoint, not a list price: it is kept with the setting "free experimental
endpoint".

`first_party_entries` is what of a table this importer can use: the bundled 1.110.2 table is that
subset of LiteLLM's file (`tests/sources/litellm_subset.py` makes it), not the whole 3.5 MB, of
which four keys in five are clouds and gateways.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from aiprogress.core.types import ImportBatch, Metric, ModelInfo
from aiprogress.core.vendors import LITELLM_FIRST_PARTY
from aiprogress.sources.importers._common import (
    TOKENS,
    USD_PER_MTOK,
    FactList,
    fail,
    load_json,
    number,
    per_million,
    whole_number,
)

KIND = "LiteLLM price table"

# `litellm_provider` values that are a model maker's own API, and the maker (core/vendors.py).
FIRST_PARTY = LITELLM_FIRST_PARTY

_SPEC_KEY = "sample_spec"
FREE_EXPERIMENTAL = "free experimental endpoint"
_EXPERIMENTAL = re.compile(r"(-exp\b|-exp-|experimental)", re.IGNORECASE)
_PRICES = (
    (Metric.PRICE_INPUT, "input_cost_per_token"),
    (Metric.PRICE_OUTPUT, "output_cost_per_token"),
)
_LIMITS = ((Metric.CONTEXT_WINDOW, "max_input_tokens"), (Metric.MAX_OUTPUT, "max_output_tokens"))


def first_party_entries(root: Mapping[str, object]) -> dict[str, object]:
    """The keys of a model makers' own APIs (any `mode`), and `sample_spec`, in the file's order:
    every key `read_litellm` may read, whatever its mode or fields."""
    return {
        key: entry
        for key, entry in root.items()
        if key == _SPEC_KEY
        or (isinstance(entry, Mapping) and str(entry.get("litellm_provider")) in FIRST_PARTY)
    }


def read_litellm(document: bytes, *, as_of: date, source_name: str, source_url: str) -> ImportBatch:
    """First-party chat keys: the model, and its prices and token limits where the key has them."""
    root = load_json(document, KIND)
    if not isinstance(root, Mapping):
        raise fail(KIND, "expected an object keyed by model name")
    models: list[ModelInfo] = []
    facts = FactList(as_of=as_of, source_name=source_name, source_url=source_url)
    for key, entry in root.items():
        if not isinstance(entry, Mapping):
            raise fail(KIND, f"key {key!r} is not an object")
        if key == _SPEC_KEY or entry.get("mode") != "chat":
            continue
        vendor = FIRST_PARTY.get(str(entry.get("litellm_provider")))
        if vendor is None:
            continue
        model_id = key.strip()
        if not model_id:
            raise fail(KIND, "a chat entry has an empty key")
        where = f"key {model_id!r}"
        for metric, field in _PRICES:
            price = number(entry.get(field), KIND, where, field)
            if price is not None and price >= 0:
                free_preview = price == 0 and _EXPERIMENTAL.search(model_id) is not None
                setting = FREE_EXPERIMENTAL if free_preview else ""
                facts.add(model_id, metric, per_million(price), USD_PER_MTOK, setting=setting)
        for metric, field in _LIMITS:
            tokens = whole_number(entry.get(field), KIND, where, field)
            if tokens:
                facts.add(model_id, metric, float(tokens), TOKENS)
        display_name = model_id.rsplit("/", 1)[-1]  # 'gemini/gemini-2.0-flash' -> its model part
        models.append(ModelInfo(canonical_id=model_id, display_name=display_name, vendor=vendor))
    return ImportBatch(source_name=source_name, models=tuple(models), facts=tuple(facts.facts))

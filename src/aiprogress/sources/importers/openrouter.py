"""OpenRouter's `GET /api/v1/models` answer: `{"data": [...]}`, one entry per model it routes to.

Prices are USD per token as strings; "-1" marks a router whose price depends on the model it
picks, so such a price is skipped. A price is kept as zero only when the file says "0".

Aliases are the entry's `name`, `canonical_slug` and `hugging_face_id`. A variant
(`openai/gpt-oss-120b:free`, `anthropic/claude-3.7-sonnet:thinking`) is its base model served
another way, not a model: its facts go to the base id with the variant as their setting ("free
endpoint", "thinking"), so a free endpoint's 0 is never the model's list price. A variant whose
base the list does not carry names the base model itself, from its own entry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from aiprogress.core.types import ImportBatch, Metric, ModelInfo
from aiprogress.core.vendors import OPENROUTER_PREFIXES
from aiprogress.sources.importers._common import (
    TOKENS,
    USD_PER_MTOK,
    FactList,
    fail,
    keyed_entry,
    load_json,
    number,
    per_million,
    text,
    unique,
    whole_number,
)
from aiprogress.sources.importers._settings import split_openrouter_id

KIND = "OpenRouter models list"

_PRICES = ((Metric.PRICE_INPUT, "prompt"), (Metric.PRICE_OUTPUT, "completion"))


def read_openrouter(
    document: bytes, *, as_of: date, source_name: str, source_url: str
) -> ImportBatch:
    """Every entry of `data`: its model (id, name, vendor, aliases), prices and token limits."""
    root = load_json(document, KIND)
    if not isinstance(root, Mapping) or not isinstance(root.get("data"), list):
        raise fail(KIND, 'expected an object with a "data" list')
    models: dict[str, ModelInfo] = {}
    facts = FactList(as_of=as_of, source_name=source_name, source_url=source_url)
    seen: set[str] = set()
    listed = {
        text(entry.get("id"))
        for entry in root["data"]
        if isinstance(entry, Mapping) and ":" not in text(entry.get("id"))
    }
    for index, listed_entry in enumerate(root["data"]):
        entry, model_id = keyed_entry(listed_entry, KIND, f"entry {index}", "id", shape="an object")
        where = f"entry {index} ({model_id!r})"
        if model_id in seen:
            raise fail(KIND, f"{where} repeats an id listed earlier")
        seen.add(model_id)
        base, setting = split_openrouter_id(model_id)

        pricing = _object(entry, "pricing", where)
        for metric, field in _PRICES:
            price = number(pricing.get(field), KIND, where, f"price {field!r}")
            if price is not None and price >= 0:
                facts.add(
                    base,
                    metric,
                    per_million(price),
                    USD_PER_MTOK,
                    setting=setting,
                    source_model=model_id,
                )
        context = whole_number(entry.get("context_length"), KIND, where, "'context_length'")
        top = _object(entry, "top_provider", where)
        limit = whole_number(top.get("max_completion_tokens"), KIND, where, "max completion")
        for metric, tokens in ((Metric.CONTEXT_WINDOW, context), (Metric.MAX_OUTPUT, limit)):
            if tokens:
                facts.add(
                    base, metric, float(tokens), TOKENS, setting=setting, source_model=model_id
                )
        if base not in listed and base not in models:
            models[base] = _model(entry, base, variant=True)
        elif not setting:
            models[base] = _model(entry, base)
    return ImportBatch(
        source_name=source_name, models=tuple(models.values()), facts=tuple(facts.facts)
    )


def _object(entry: Mapping[str, object], field: str, where: str) -> Mapping[str, object]:
    value = entry.get(field)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise fail(KIND, f"{where} has {field!r} that is not an object")
    return value


_VARIANT_NOTE = re.compile(r"\s*\((free|thinking|beta|extended|nitro|online)\)\s*$", re.I)


def _model(entry: Mapping[str, object], model_id: str, *, variant: bool = False) -> ModelInfo:
    name = text(entry.get("name"))
    if variant:
        name = _VARIANT_NOTE.sub("", name)
    vendor, _, short = name.partition(": ")
    if not short:  # no "Vendor: " prefix
        short = name
        prefix = model_id.split("/", 1)[0].lstrip("~") if "/" in model_id else ""
        vendor = OPENROUTER_PREFIXES.get(prefix, prefix)
    hugging_face = text(entry.get("hugging_face_id"))
    aliases = [name, text(entry.get("canonical_slug")), hugging_face]
    return ModelInfo(
        canonical_id=model_id,
        display_name=short.strip() or model_id,
        vendor=vendor.strip(),
        open_weights=True if hugging_face else None,
        aliases=unique(aliases, besides=model_id),
    )

"""The one vendor table: every source's spelling names one maker, and the importers read it."""

from __future__ import annotations

from collections import Counter
from datetime import date

from aiprogress.core.vendors import (
    LITELLM_FIRST_PARTY,
    OPENROUTER_PREFIXES,
    TRACKED_VENDORS,
    VENDORS,
)
from aiprogress.sources.importers import litellm, openrouter


def _repeated(names: list[str]) -> list[str]:
    return [name for name, count in Counter(names).items() if count > 1]


def test_no_spelling_names_two_vendors() -> None:
    # A repeat would silently give one maker's models to the other in the derived lookups.
    assert _repeated([v.id for v in VENDORS]) == []
    assert _repeated([p for v in VENDORS for p in v.litellm_providers]) == []
    assert _repeated([p for v in VENDORS for p in v.openrouter_prefixes]) == []
    assert _repeated([s for v in VENDORS for s in v.spellings]) == []


def test_tracked_vendors_are_recognised_by_every_spelling_a_source_writes() -> None:
    for vendor in VENDORS:
        written = {vendor.name.lower(), *vendor.openrouter_prefixes}
        assert (written <= TRACKED_VENDORS) is vendor.tracked, vendor
        assert not vendor.spellings & TRACKED_VENDORS or vendor.tracked, vendor


def test_a_tracked_maker_named_only_by_its_id_prefix_is_news() -> None:
    # An OpenRouter entry whose name has no "Vendor: " part takes its vendor from the prefix;
    # that name must be one the registry tracks. (A constructed entry, not a recorded one.)
    document = b'{"data": [{"id": "x-ai/grok-9", "name": "Grok 9", "pricing": {}}]}'
    batch = openrouter.read_openrouter(
        document, as_of=date(2026, 1, 1), source_name="constructed", source_url="constructed"
    )
    assert [m.vendor for m in batch.models] == ["xAI"]
    assert batch.models[0].vendor.lower() in TRACKED_VENDORS


def test_the_importers_read_the_core_table() -> None:
    assert litellm.FIRST_PARTY is LITELLM_FIRST_PARTY
    assert OPENROUTER_PREFIXES["meta-llama"] == LITELLM_FIRST_PARTY["meta_llama"] == "Meta"

"""The collection's limits: one value, refused when a limit would stop or stall collection."""

from __future__ import annotations

import pytest

from aiprogress.core.collection import CollectLimits, source_name
from aiprogress.core.errors import ConfigError


def test_limits_default_to_the_collectors_own() -> None:
    limits = CollectLimits()
    assert (limits.concurrency, limits.per_host, limits.store_batch, limits.source_page) == (
        32,
        4,
        16,
        500,
    )


@pytest.mark.parametrize("field", ["concurrency", "per_host", "store_batch", "source_page"])
@pytest.mark.parametrize("value", [0, -1])
def test_a_limit_below_one_is_refused_by_name(field: str, value: int) -> None:
    # Zero workers, a zero per-host share or an empty page would collect nothing, silently.
    with pytest.raises(ConfigError, match=f"^a collection's {field} must be at least 1$"):
        CollectLimits(**{field: value})


def test_limits_of_one_are_kept() -> None:
    limits = CollectLimits(concurrency=1, per_host=1, store_batch=1, source_page=1)
    assert limits == CollectLimits(1, 1, 1, 1)


def test_a_source_name_is_one_line_and_at_most_the_columns_width() -> None:
    assert source_name("  The\n Batch\t news ") == "The Batch news"
    assert len(source_name("x" * 400)) == 300

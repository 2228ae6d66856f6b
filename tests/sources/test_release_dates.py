"""Release dates the importers give: a dated id's stamp read back yields to the day its source
states for a sibling snapshot of the same stamp; dates the vendor or the source itself contradicts are
refused, on the bundled files."""

from __future__ import annotations

from datetime import date

from aiprogress.core.types import ModelInfo
from aiprogress.sources.importers import load_models_dev
from aiprogress.sources.importers._dates import released_with_siblings
from aiprogress.sources.importers.modelsdev import DROP_WRONG_DATE, read_models_dev

PROVIDER = 'name = "Anthropic"\n'


def _toml(name: str, released: str) -> str:
    return f'name = "{name}"\nrelease_date = "{released}"\n'


def _read(files: dict[str, str]) -> dict[str, date | None]:
    batch = read_models_dev(
        {path: text.encode() for path, text in files.items()},
        as_of=date(2026, 7, 2),
        source_name="models.dev",
        source_url="https://models.dev",
    )
    return {m.canonical_id: m.release_date for m in batch.models}


def test_a_stamp_read_back_takes_the_day_the_source_gives_its_sibling() -> None:
    dates = _read(
        {
            "providers/anthropic/provider.toml": PROVIDER,
            "providers/anthropic/models/claude-3-opus-20240229.toml": _toml(
                "Claude Opus 3", "2024-02-29"
            ),
            "providers/anthropic/models/claude-3-sonnet-20240229.toml": _toml(
                "Claude Sonnet 3", "2024-03-04"
            ),
            # Another stamp, dated only by it: no sibling says otherwise.
            "providers/anthropic/models/claude-3-haiku-20240307.toml": _toml(
                "Claude Haiku 3", "2024-03-07"
            ),
        }
    )
    assert dates == {
        "anthropic/claude-3-opus-20240229": date(2024, 3, 4),
        "anthropic/claude-3-sonnet-20240229": date(2024, 3, 4),
        "anthropic/claude-3-haiku-20240307": date(2024, 3, 7),
    }


def test_siblings_dated_apart_or_by_another_vendor_are_left_as_given() -> None:
    def model(model_id: str, day: date | None) -> ModelInfo:
        return ModelInfo(model_id, model_id, "", release_date=day)

    given = [
        # Two later days for one stamp: not one release, nothing to take.
        model("lab/a-20250101", date(2025, 1, 1)),
        model("lab/b-20250101", date(2025, 1, 5)),
        model("lab/c-20250101", date(2025, 1, 9)),
        # Another vendor's id of the same stamp is not a sibling.
        model("other/d-20250101", date(2025, 1, 1)),
        # An undated record stays undated; an id with no stamp is never changed.
        model("lab/e-20250101", None),
        model("lab/f", date(2025, 1, 1)),
    ]
    assert released_with_siblings(given) == given
    one = [model("lab/a-20250101", date(2025, 1, 1)), model("lab/b-20250101", date(2025, 1, 5))]
    assert [m.release_date for m in released_with_siblings(one)] == [date(2025, 1, 5)] * 2


def test_bundled_models_dev_dates_claude_3_by_its_launch_and_refuses_contradicted_dates() -> None:
    batch = load_models_dev()
    dates = {m.canonical_id: m.release_date for m in batch.models}
    assert dates["anthropic/claude-3-opus-20240229"] == date(2024, 3, 4)
    assert dates["anthropic/claude-3-sonnet-20240229"] == date(2024, 3, 4)
    assert dates["anthropic/claude-3-haiku-20240307"] == date(2024, 3, 13)
    # Gemini 2.0 Flash's day on Flash-Lite, GPT-4 Turbo's on GPT-4.
    for model_id in ("google/gemini-2.0-flash-lite", "openai/gpt-4"):
        assert dates[model_id] is None, model_id
    assert dict(batch.dropped) == {DROP_WRONG_DATE: 2}
    # The others as models.dev gives them; o3-mini's preview day too (a comparison sets it
    # aside against its first dated snapshot).
    assert dates["openai/o1"] == date(2024, 12, 5)
    assert dates["openai/o3-mini"] == date(2024, 12, 20)
    assert dates["google/gemini-2.0-flash"] == date(2024, 12, 11)

"""Name resolution on the real seed registry: what users type, unknown and ambiguous names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aiprogress.core.errors import AmbiguousModel, ModelNotFound
from aiprogress.core.types import ModelInfo
from aiprogress.sources.names import (
    ModelIndex,
    alias_key,
    fuzzy_form,
    name_numbers,
    without_date,
)

SEED = Path(__file__).parents[2] / "src" / "aiprogress" / "sources" / "data" / "seed_models.json"


@pytest.fixture(scope="module")
def index() -> ModelIndex:
    document = json.loads(SEED.read_text(encoding="utf-8"))
    return ModelIndex(
        ModelInfo(
            canonical_id=m["canonical_id"],
            display_name=m["display_name"],
            vendor=m["vendor"],
            aliases=tuple(m["aliases"]),
        )
        for m in document["models"]
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # The examples.
        ("gpt4.5", "openai/gpt-4.5-preview"),
        ("GPT-4.5 preview", "openai/gpt-4.5-preview"),
        ("openai/gpt-4.5-preview", "openai/gpt-4.5-preview"),
        ("4o", "openai/gpt-4o"),
        ("claude 3.7", "anthropic/claude-3.7-sonnet"),
        ("sonnet 3.5", "anthropic/claude-3.5-sonnet"),
        # Names as other sources spell them.
        ("Claude-3-7-sonnet-20250219", "anthropic/claude-3.7-sonnet"),
        ("x-ai/grok-3-beta", "xai/grok-3"),
        ("Grok 3 Beta", "xai/grok-3"),
        ("gpt-4", "openai/gpt-4"),
        ("r1", "deepseek/deepseek-r1"),
        # Typos, taken when one model is clearly closest.
        ("gemni 2.0 flsh", "google/gemini-2.0-flash"),
        ("claude 3.7 sonet", "anthropic/claude-3.7-sonnet"),
        ("calude 3.5", "anthropic/claude-3.5-sonnet"),
        ("gpt4.5prevew", "openai/gpt-4.5-preview"),
        ("gemini 2 pro", "google/gemini-2.0-pro"),
    ],
)
def test_resolves(index: ModelIndex, typed: str, expected: str) -> None:
    assert index.resolve(typed).canonical_id == expected


@pytest.mark.parametrize(
    ("typed", "candidates"),
    [
        # The seed's Claude models, the five closest (it holds seven since the 2026 launches).
        (
            "claude",
            {
                "Claude 3.5 Sonnet",
                "Claude 3.7 Sonnet",
                "Claude Opus 5",
                "Claude Fable 5",
                "Claude Mythos 5",
            },
        ),
        ("opus", {"Claude Opus 5", "Claude Opus 4.8"}),
        ("gemini 2.0", {"Gemini 2.0 Flash", "Gemini 2.0 Pro"}),
        ("grok", {"Grok 2", "Grok 3"}),
        ("deepseek", {"DeepSeek-R1", "DeepSeek-V3"}),
    ],
)
def test_ambiguous_names_ask_instead_of_guessing(
    index: ModelIndex, typed: str, candidates: set[str]
) -> None:
    with pytest.raises(AmbiguousModel) as raised:
        index.resolve(typed)
    assert set(raised.value.candidates) == candidates


@pytest.mark.parametrize(
    ("typed", "closest"),
    [
        ("llama 3", None),
        ("o1", None),
        ("gpt-5", "GPT-3.5 Turbo"),
        # A more specific name than any we know is another model, not GPT-4o.
        ("gpt 4o realtime", "GPT-4o"),
        ("", None),
    ],
)
def test_unknown_names_offer_the_closest(
    index: ModelIndex, typed: str, closest: str | None
) -> None:
    with pytest.raises(ModelNotFound) as raised:
        index.resolve(typed)
    if closest is None:
        assert raised.value.candidates == ()
    else:
        assert raised.value.candidates[0] == closest


def test_no_alias_names_two_models(index: ModelIndex) -> None:
    document = json.loads(SEED.read_text(encoding="utf-8"))
    owners: dict[str, str] = {}
    for model in document["models"]:
        for name in [model["canonical_id"], model["display_name"], *model["aliases"]]:
            assert (
                owners.setdefault(alias_key(name), model["canonical_id"]) == model["canonical_id"]
            ), name


def test_normalisation() -> None:
    assert alias_key("GPT-4.5 preview") == alias_key("gpt4.5-preview") == "gpt45preview"
    assert fuzzy_form("GPT-3.5-Turbo") == "gpt 3.5 turbo"
    assert fuzzy_form("openai/gpt-4.5-preview") == "openai gpt 4.5 preview"
    assert without_date("claude-3-7-sonnet-20250219") == "claude-3-7-sonnet"
    assert without_date("gpt-4o-2024-08-06") == "gpt-4o"
    assert without_date("gemini-2.0-pro-exp-02-05") == "gemini-2.0-pro-exp"


@pytest.mark.parametrize(
    "name",
    [
        "GPT-4.5 preview",
        "openai/gpt-4o-2024-08-06",
        "Claude 3.7 Sonnet (thinking)",
        "İstanbul-Ω model",
        "ＧＰＴ‑４ préview",
        "ministral_8b\tinstruct\n",
        "",
        "".join(map(chr, range(256))),
    ],
)
def test_alias_key_keeps_ascii_letters_and_digits_only(name: str) -> None:
    import re

    # A "+" is the word "plus" ("Command R+" is command-r-plus); every other sign goes.
    assert alias_key(name) == re.sub("[^0-9a-z]+", "", name.lower().replace("+", "plus"))
    assert alias_key("Command R+") == alias_key("cohere/command-r-plus")[len("cohere") :]


@pytest.mark.parametrize(
    ("name", "numbers"),
    [
        ("Claude Opus 4.5", {"4.5"}),
        ("claude-opus-4-5-20251101", {"4.5", "20251101"}),
        ("claude 3 5 sonnet", {"3.5"}),
        ("Llama 3.1 405B", {"3.1", "405"}),
        ("llama-3-70b", {"3", "70"}),
        ("nvidia/Llama-3_3-Nemotron-Super-49B-v1_5", {"3.3", "49", "1.5"}),
        ("Gemini 2.0 Pro", {"2"}),
        ("gemini 2 pro", {"2"}),
        ("DeepSeek-R1", {"r1"}),
        ("дипсик р1", {"r1"}),
        ("DeepSeek-V3", {"3"}),
        ("o3-mini", {"o3"}),
        ("Kimi K2.5", {"k2.5"}),
        ("Qwen3-235B-A22B", {"3", "235", "a22"}),
        ("qwen2.5 72b", {"2.5", "72"}),
        ("gpt4o", {"4"}),
        ("Mixtral 8x7B", {"8", "7"}),
        ("Claude Sonnet", set()),
    ],
)
def test_name_numbers_are_versions_and_sizes(name: str, numbers: set[str]) -> None:
    assert name_numbers(name) == numbers


@pytest.mark.parametrize(
    "typed",
    # Each is one typo away from a model we know, and each is another model: a new version
    # (or one we do not hold) is never answered with an older one's figures.
    ["claude 3.8 sonnet", "gemini 3.0 flash", "deepseek r2", "grok 4", "gpt 4.6", "llama 5"],
)
def test_a_number_the_name_asks_for_is_never_guessed(index: ModelIndex, typed: str) -> None:
    with pytest.raises(ModelNotFound) as raised:
        index.resolve(typed)
    # The models it might have meant are still offered.
    assert all(m.score <= 75 for m in index.search(typed))
    assert raised.value.candidates or typed == "llama 5"

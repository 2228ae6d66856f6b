"""Importers of model data, on the bundled recorded files and on malformed copies of them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from aiprogress.core.errors import ImportFormatError
from aiprogress.core.types import ImportBatch, Metric, ModelFact, ModelInfo
from aiprogress.sources.importers import (
    BUNDLED_SNAPSHOTS,
    BundledSnapshot,
    load_bundled,
    read_aider_polyglot,
    read_curated,
    read_litellm,
    read_lmarena,
    read_openrouter,
)
from aiprogress.sources.importers.catalogue import read_bundled_bytes
from aiprogress.sources.importers.epoch import read_epoch
from aiprogress.sources.importers.litellm import FIRST_PARTY

DATA = Path(__file__).parents[2] / "src" / "aiprogress" / "sources" / "data"
SNAPSHOTS = DATA / "snapshots"
SEED = DATA / "seed_models.json"

USD = "USD/1M tokens"
TEST_DAY = date(2025, 1, 1)

Reader = Callable[..., ImportBatch]


def snapshot(name: str) -> BundledSnapshot:
    return next(s for s in BUNDLED_SNAPSHOTS if s.name == name)


@cache
def batch(name: str) -> ImportBatch:
    return load_bundled(snapshot(name))


def raw(name: str) -> bytes:
    return read_bundled_bytes(snapshot(name))


def model_in(name: str, model_id: str) -> ModelInfo:
    return next(m for m in batch(name).models if m.canonical_id == model_id)


def facts_of(name: str, model_id: str, setting: str = "") -> dict[str, ModelFact]:
    """A model's facts by metric, for its default run (or the run under `setting`)."""
    found = [f for f in batch(name).facts if f.model_id == model_id and f.setting == setting]
    assert found, f"{model_id} ({setting or 'default'}) not in {name}"
    return {f.metric: f for f in found}


def value(name: str, model_id: str, metric: str) -> float:
    return facts_of(name, model_id)[metric].value


# --- the catalogue -------------------------------------------------------------------------


def test_every_bundled_file_is_in_the_catalogue() -> None:
    listed = {s.file for s in BUNDLED_SNAPSHOTS}
    # Single files are listed one by one; the models.dev and llm-stats folders have loaders of
    # their own.
    files = {p.name for p in SNAPSHOTS.iterdir() if p.is_file()} - {"ORIGIN.md", "ORIGIN-extra.md"}
    assert listed == files | {"epoch-ai/benchmarks_runs.csv"}
    assert {p.name for p in SNAPSHOTS.iterdir() if p.is_dir()} == {
        "epoch-ai",
        "models.dev",
        "llm-stats",
    }
    assert len({s.name for s in BUNDLED_SNAPSHOTS}) == len(BUNDLED_SNAPSHOTS)
    origins = (SNAPSHOTS / "ORIGIN.md").read_text(encoding="utf-8") + (
        SNAPSHOTS / "ORIGIN-extra.md"
    ).read_text(encoding="utf-8")
    for item in BUNDLED_SNAPSHOTS:
        assert item.file.rsplit("/", 1)[-1] in origins


def test_catalogue_is_oldest_first() -> None:
    dates = [s.as_of for s in BUNDLED_SNAPSHOTS]
    assert dates == sorted(dates)


@pytest.mark.parametrize("item", BUNDLED_SNAPSHOTS, ids=lambda s: s.name)
def test_each_snapshot_loads_with_its_source(item: BundledSnapshot) -> None:
    result = batch(item.name)
    assert result.source_name == item.source_name
    assert result.models and result.facts
    ids = [m.canonical_id for m in result.models]
    assert len(ids) == len(set(ids))
    assert {f.model_id for f in result.facts} <= set(ids)
    keys = [(f.model_id, f.metric, f.as_of, f.setting) for f in result.facts]
    assert len(keys) == len(set(keys)), "a fact repeats: the database would refuse it"
    for fact in result.facts:
        assert fact.source_name == item.source_name
        assert fact.source_url == item.source_url
        if item.reader is not read_aider_polyglot:
            assert fact.as_of == item.as_of


@pytest.mark.parametrize("item", BUNDLED_SNAPSHOTS, ids=lambda s: s.name)
def test_units_match_metrics(item: BundledSnapshot) -> None:
    units = {
        Metric.PRICE_INPUT: USD,
        Metric.PRICE_OUTPUT: USD,
        Metric.CONTEXT_WINDOW: "tokens",
        Metric.MAX_OUTPUT: "tokens",
        "Arena Elo": "Elo",
        "Aider Polyglot": "%",
    }
    for fact in batch(item.name).facts:
        # Epoch's benchmarks are scores in percent, whatever their name.
        expected = "%" if item.reader is read_epoch else units[fact.metric]
        assert expected == fact.unit
        assert fact.value >= 0


# --- OpenRouter ----------------------------------------------------------------------------


def test_openrouter_2025_reads_every_entry() -> None:
    # 321 and 364 entries; the `:free`, `:thinking`, `:beta` ... variants are their base models
    # served another way, not models of their own.
    result = batch("openrouter-2025-05-23")
    assert len(result.models) == 265
    assert len(batch("openrouter-2026-05-15").models) == 347


def test_openrouter_gpt_4_5_preview() -> None:
    facts = facts_of("openrouter-2025-05-23", "openai/gpt-4.5-preview")
    assert facts[Metric.PRICE_INPUT].value == 75.0
    assert facts[Metric.PRICE_OUTPUT].value == 150.0
    assert facts[Metric.CONTEXT_WINDOW].value == 128_000
    assert facts[Metric.MAX_OUTPUT].value == 16_384
    assert facts[Metric.PRICE_INPUT].as_of == date(2025, 5, 23)
    model = model_in("openrouter-2025-05-23", "openai/gpt-4.5-preview")
    assert model.vendor == "OpenAI"
    assert model.display_name == "GPT-4.5 (Preview)"
    assert "OpenAI: GPT-4.5 (Preview)" in model.aliases
    gone = {m.canonical_id for m in batch("openrouter-2026-05-15").models}
    assert "openai/gpt-4.5-preview" not in gone


def test_openrouter_deepseek_price_changes_between_snapshots() -> None:
    old = facts_of("openrouter-2025-05-23", "deepseek/deepseek-chat")
    new = facts_of("openrouter-2026-05-15", "deepseek/deepseek-chat")
    assert (old[Metric.PRICE_INPUT].value, old[Metric.PRICE_OUTPUT].value) == (0.38, 0.89)
    assert (new[Metric.PRICE_INPUT].value, new[Metric.PRICE_OUTPUT].value) == (0.32, 0.89)
    model = model_in("openrouter-2026-05-15", "deepseek/deepseek-chat")
    assert "deepseek-ai/DeepSeek-V3" in model.aliases  # hugging_face_id
    assert "deepseek/deepseek-chat-v3" in model.aliases  # canonical_slug
    assert model.open_weights is True


def test_openrouter_skips_router_prices_and_keeps_explicit_zero() -> None:
    auto = facts_of("openrouter-2025-05-23", "openrouter/auto")  # prices "-1"
    assert Metric.PRICE_INPUT not in auto and Metric.PRICE_OUTPUT not in auto
    # `deepseek/deepseek-chat:free` prices "0": the free endpoint's, kept as such on the base.
    free = facts_of("openrouter-2025-05-23", "deepseek/deepseek-chat", setting="free endpoint")
    assert free[Metric.PRICE_INPUT].value == 0.0
    assert free[Metric.PRICE_OUTPUT].value == 0.0
    assert free[Metric.PRICE_INPUT].source_model == "deepseek/deepseek-chat:free"
    paid = facts_of("openrouter-2025-05-23", "deepseek/deepseek-chat")
    assert paid[Metric.PRICE_INPUT].value == 0.38


def test_openrouter_variants_attach_to_their_base_with_the_setting() -> None:
    for name in ("openrouter-2025-05-23", "openrouter-2026-05-15"):
        result = batch(name)
        assert not [m for m in result.models if ":" in m.canonical_id]
        assert not [f for f in result.facts if ":" in f.model_id]
    thinking = facts_of("openrouter-2025-05-23", "anthropic/claude-3.7-sonnet", setting="thinking")
    assert thinking[Metric.PRICE_INPUT].source_model == "anthropic/claude-3.7-sonnet:thinking"
    # A variant whose base is not listed names the base, without the "(free)".
    kimi = model_in("openrouter-2025-05-23", "moonshotai/kimi-vl-a3b-thinking")
    assert kimi.display_name == "Kimi VL A3B Thinking"
    assert facts_of("openrouter-2025-05-23", kimi.canonical_id, setting="free endpoint")


def test_openrouter_a_model_without_vendor_prefix_gets_vendor_from_id() -> None:
    model = model_in("openrouter-2025-05-23", "openrouter/auto")
    assert (model.vendor, model.display_name) == ("OpenRouter", "Auto Router")


# --- LiteLLM -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["litellm-1.63.14", "litellm-1.67.4"])
def test_litellm_gpt_4_5_preview(name: str) -> None:
    facts = facts_of(name, "gpt-4.5-preview")
    assert facts[Metric.PRICE_INPUT].value == 75.0
    assert facts[Metric.PRICE_OUTPUT].value == 150.0
    assert facts[Metric.CONTEXT_WINDOW].value == 128_000
    assert facts[Metric.MAX_OUTPUT].value == 16_384


def test_litellm_prices_convert_without_float_noise() -> None:
    assert value("litellm-1.63.14", "gpt-4o", Metric.PRICE_INPUT) == 2.5
    assert value("litellm-1.63.14", "gpt-4o", Metric.PRICE_OUTPUT) == 10.0
    assert value("litellm-1.63.14", "deepseek/deepseek-chat", Metric.PRICE_INPUT) == 0.27
    assert value("litellm-1.63.14", "deepseek/deepseek-chat", Metric.PRICE_OUTPUT) == 1.1
    assert value("litellm-1.63.14", "deepseek/deepseek-reasoner", Metric.PRICE_OUTPUT) == 2.19
    assert value("litellm-1.67.4", "gemini/gemini-2.0-flash", Metric.PRICE_INPUT) == 0.1
    assert value("litellm-1.67.4", "gemini/gemini-2.0-flash", Metric.PRICE_OUTPUT) == 0.4
    # A free experimental endpoint: the file says 0, so the fact is 0, and says what it is.
    free = facts_of(
        "litellm-1.63.14", "gemini/gemini-2.0-pro-exp-02-05", setting="free experimental endpoint"
    )
    assert (free[Metric.PRICE_INPUT].value, free[Metric.PRICE_OUTPUT].value) == (0.0, 0.0)


def test_litellm_keeps_only_first_party_chat_keys() -> None:
    table = json.loads(raw("litellm-1.67.4"))
    result = batch("litellm-1.67.4")
    ids = {m.canonical_id for m in result.models}
    expected = {
        key
        for key, entry in table.items()
        if entry.get("mode") == "chat" and entry.get("litellm_provider") in FIRST_PARTY
    }
    assert ids == expected
    assert len(ids) == 175
    assert len(batch("litellm-1.63.14").models) == 151
    assert "sample_spec" not in ids
    providers = {table[key]["litellm_provider"] for key in ids}
    assert not providers & {"bedrock", "bedrock_converse", "azure", "openrouter", "groq"}
    assert not any(p.startswith("vertex_ai") for p in providers)
    # Cloud keys for models whose first-party keys are kept.
    assert "anthropic.claude-3-7-sonnet-20250219-v1:0" not in ids  # Bedrock
    assert "gemini-2.0-flash-001" not in ids  # Vertex AI
    assert "openrouter/openai/gpt-4.5-preview" not in ids
    assert "claude-3-7-sonnet-20250219" in ids
    # Grok 3 first appears in 1.67.4.
    assert "xai/grok-3-beta" in ids
    assert "xai/grok-3-beta" not in {m.canonical_id for m in batch("litellm-1.63.14").models}


def test_litellm_vendors() -> None:
    vendors = {m.canonical_id: m.vendor for m in batch("litellm-1.67.4").models}
    assert vendors["gpt-4.5-preview"] == "OpenAI"
    assert vendors["claude-3-7-sonnet-20250219"] == "Anthropic"
    assert vendors["gemini/gemini-2.0-flash"] == "Google"
    assert vendors["xai/grok-3-beta"] == "xAI"
    assert vendors["deepseek/deepseek-chat"] == "DeepSeek"


# --- LMArena -------------------------------------------------------------------------------


def test_lmarena_scores_move_between_snapshots() -> None:
    march = facts_of("lmarena-2025-03-28", "GPT-4.5-Preview")["Arena Elo"]
    august = facts_of("lmarena-2025-08-04", "GPT-4.5-Preview")["Arena Elo"]
    assert (march.value, march.as_of) == (1398, date(2025, 3, 28))
    assert (august.value, august.as_of) == (1415, date(2025, 8, 4))
    assert value("lmarena-2025-03-28", "Grok-3-Preview-02-24", "Arena Elo") == 1404
    assert value("lmarena-2025-08-04", "DeepSeek-V3-0324", "Arena Elo") == 1376


def test_lmarena_rows_and_organizations() -> None:
    # 185 rows; `Meta-Llama-3.1-405B-Instruct-bf16`/`-fp8` are one model served two ways, and
    # `Claude 3.7 Sonnet (thinking-32k)` is Claude 3.7 Sonnet with 32k thinking.
    march = batch("lmarena-2025-03-28")
    assert len(march.models) == 183
    llama = [f for f in march.facts if f.model_id == "Meta-Llama-3.1-405B-Instruct"]
    assert sorted((f.setting, f.value, f.source_model) for f in llama) == [
        ("", 1268.0, "Meta-Llama-3.1-405B-Instruct-bf16"),
        ("fp8", 1267.0, "Meta-Llama-3.1-405B-Instruct-fp8"),
    ]
    sonnet = [f for f in march.facts if f.model_id == "Claude 3.7 Sonnet"]
    assert sorted((f.setting, f.value) for f in sonnet) == [("", 1295.0), ("32k thinking", 1305.0)]
    # 266 rows, `Yi-34B-Chat` listed twice with the same score; two runs under a setting.
    august = batch("lmarena-2025-08-04")
    assert len(august.models) == 263
    assert value("lmarena-2025-08-04", "Yi-34B-Chat", "Arena Elo") == 1134
    models = {m.canonical_id: m for m in august.models}
    assert models["GPT-4.5-Preview"].vendor == "OpenAI"
    assert models["GPT-4.5-Preview"].open_weights is False
    assert models["DeepSeek-R1"].open_weights is True


# --- Aider ---------------------------------------------------------------------------------


def test_aider_one_fact_per_run_dated_by_the_run() -> None:
    result = batch("aider-polyglot")
    assert len(result.facts) == 69
    # Qwen2.5-Coder-32B-Instruct ran twice, on two days; "o3-mini (high)" and "(medium)",
    # "claude-3-7-sonnet-20250219 (no thinking)" and "(32k thinking tokens)" ... are one model
    # each, under their settings.
    assert len(result.models) == 58
    fact = facts_of("aider-polyglot", "gpt-4.5-preview")["Aider Polyglot"]
    assert (fact.value, fact.unit, fact.as_of) == (44.9, "%", date(2025, 2, 27))
    qwen = [f for f in result.facts if f.model_id == "Qwen2.5-Coder-32B-Instruct"]
    assert sorted((f.as_of, f.value) for f in qwen) == [
        (date(2024, 12, 22), 8.0),
        (date(2024, 12, 26), 16.4),
    ]
    sonnet = "claude-3-7-sonnet-20250219"
    assert value("aider-polyglot", sonnet, "Aider Polyglot") == 60.4
    thinking = facts_of("aider-polyglot", sonnet, setting="32k thinking")["Aider Polyglot"]
    assert (thinking.value, thinking.source_model) == (
        64.9,
        "claude-3-7-sonnet-20250219 (32k thinking tokens)",
    )
    o1 = facts_of("aider-polyglot", "o1-2024-12-17", setting="high effort")["Aider Polyglot"]
    assert o1.value == 61.7
    # OpenAI's default effort is medium: o3-mini's medium run is its default run.
    assert facts_of("aider-polyglot", "o3-mini")["Aider Polyglot"].value == 53.8
    # A parenthesis that names another model stays in the name.
    assert value("aider-polyglot", "DeepSeek V3 (0324)", "Aider Polyglot") == 55.1


# --- malformed input -----------------------------------------------------------------------


def expect_error(reader: Reader, document: bytes, *fragments: str) -> str:
    with pytest.raises(ImportFormatError) as caught:
        reader(document, as_of=TEST_DAY, source_name="test", source_url="https://example.test/")
    message = str(caught.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message
    return message


def openrouter_with(change: Callable[[list[dict[str, object]]], None]) -> bytes:
    document = json.loads(raw("openrouter-2025-05-23"))
    change(document["data"])
    return json.dumps(document).encode()


def test_openrouter_rejects_truncated_json() -> None:
    document = raw("openrouter-2025-05-23")
    expect_error(read_openrouter, document[: len(document) // 2], "OpenRouter", "not valid JSON")


@pytest.mark.parametrize("document", [b'{"data": 5}', b"[]", b'{"models": []}', b'"data"'])
def test_openrouter_rejects_wrong_top_level(document: bytes) -> None:
    expect_error(read_openrouter, document, "OpenRouter models list", '"data" list')


def test_openrouter_rejects_a_price_that_is_not_a_number() -> None:
    def change(data: list[dict[str, object]]) -> None:
        pricing = data[-1]["pricing"]
        assert isinstance(pricing, dict)
        pricing["prompt"] = "abc"

    expect_error(read_openrouter, openrouter_with(change), "entry 320", "'abc'", "not a number")


def test_openrouter_rejects_an_entry_without_id() -> None:
    def change(data: list[dict[str, object]]) -> None:
        del data[12]["id"]

    message = expect_error(read_openrouter, openrouter_with(change), "entry 12")
    assert message == "OpenRouter models list: entry 12 has no 'id'"


def test_openrouter_rejects_a_context_length_that_is_not_a_number() -> None:
    def change(data: list[dict[str, object]]) -> None:
        data[3]["context_length"] = "lots"

    expect_error(read_openrouter, openrouter_with(change), "entry 3", "'lots'")


def test_litellm_rejects_malformed_tables() -> None:
    document = raw("litellm-1.63.14")
    expect_error(read_litellm, document[:5000], "LiteLLM price table", "not valid JSON")
    expect_error(read_litellm, b'[{"gpt-4o": {}}]', "LiteLLM price table", "expected an object")
    expect_error(read_litellm, b'{"gpt-4o": 5}', "key 'gpt-4o'", "not an object")
    table = json.loads(document)
    table["gpt-4.5-preview"]["input_cost_per_token"] = "abc"
    expect_error(
        read_litellm, json.dumps(table).encode(), "key 'gpt-4.5-preview'", "input_cost_per_token"
    )
    table["gpt-4.5-preview"]["input_cost_per_token"] = True
    expect_error(read_litellm, json.dumps(table).encode(), "not a number")


def lmarena_without(column: str) -> bytes:
    rows = list(csv.reader(io.StringIO(raw("lmarena-2025-03-28").decode("utf-8"))))
    index = rows[0].index(column)
    out = io.StringIO()
    csv.writer(out).writerows([r[:index] + r[index + 1 :] for r in rows])
    return out.getvalue().encode()


def test_lmarena_rejects_a_csv_missing_the_score_column() -> None:
    message = expect_error(read_lmarena, lmarena_without("arena_score"), "LMArena")
    assert message == "LMArena leaderboard CSV: the header has no 'arena_score' column"
    expect_error(read_lmarena, lmarena_without("model"), "'model' column")


def test_lmarena_rejects_bad_rows_and_non_csv() -> None:
    text = raw("lmarena-2025-03-28").decode("utf-8").replace(",1398,", ",abc,", 1)
    expect_error(read_lmarena, text.encode(), "line ", "'GPT-4.5-Preview'", "'abc'")
    expect_error(read_lmarena, b"", "empty")
    expect_error(read_lmarena, raw("openrouter-2025-05-23"), "header has no")
    expect_error(read_lmarena, b"\xff\xfe\x00garbage", "not UTF-8")


def test_aider_rejects_malformed_yaml() -> None:
    expect_error(read_aider_polyglot, b"just a string", "Aider", "list of runs, got str")
    expect_error(read_aider_polyglot, b"model: [unclosed", "Aider", "not valid YAML")
    expect_error(read_aider_polyglot, b"- pass_rate_2: 10\n", "run 0 has no 'model'")
    text = raw("aider-polyglot").decode("utf-8")
    broken = text.replace("pass_rate_2: 44.9", "pass_rate_2: high", 1)
    expect_error(read_aider_polyglot, broken.encode(), "'gpt-4.5-preview'", "'high'")
    broken = text.replace("date: 2025-02-27", "date: last winter", 1)
    expect_error(read_aider_polyglot, broken.encode(), "'date'", "'last winter'")


def test_aider_run_without_a_date_takes_the_snapshot_date() -> None:
    result = read_aider_polyglot(
        b"- model: m\n  pass_rate_2: 12.5\n", as_of=TEST_DAY, source_name="t", source_url="u"
    )
    assert [(f.model_id, f.value, f.as_of) for f in result.facts] == [("m", 12.5, TEST_DAY)]


# --- the curated seed ----------------------------------------------------------------------

CURATED = {
    "version": 1,
    "models": [
        {
            "canonical_id": "openai/gpt-4o",
            "display_name": "GPT-4o",
            "vendor": "OpenAI",
            "family": "GPT",
            "release_date": "2024-05-13",
            "open_weights": False,
            "aliases": ["gpt-4o", "4o"],
            "predecessor": None,
            "release_date_source": "https://models.dev",
        },
        {
            "canonical_id": "openai/gpt-4.5-preview",
            "display_name": "GPT-4.5 (preview)",
            "vendor": "OpenAI",
            "family": "GPT",
            "release_date": "2025-02-27",
            "open_weights": False,
            "aliases": ["gpt-4.5-preview"],
            "predecessor": "openai/gpt-4o",
            "release_date_source": "https://epoch.ai/data/ai-benchmarking-dashboard",
        },
    ],
    "facts": [
        {
            "model_id": "openai/gpt-4.5-preview",
            "metric": "price_input",
            "value": 75.0,
            "unit": USD,
            "as_of": "2025-03-22",
            "source_name": "LiteLLM 1.63.14 price table",
            "source_url": "https://pypi.org/project/litellm/1.63.14/",
            "fixture": "litellm-1.63.14-model_prices_and_context_window.json",
            "locator": "key 'gpt-4.5-preview' → input_cost_per_token 7.5e-05 × 1e6",
        }
    ],
}


def curated(change: Callable[[dict[str, object]], None] | None = None) -> bytes:
    document = json.loads(json.dumps(CURATED))
    if change is not None:
        change(document)
    return json.dumps(document).encode()


def test_curated_inline_document() -> None:
    result = read_curated(curated())
    assert result.source_name == "curated"
    gpt45 = result.models[1]
    assert gpt45.canonical_id == "openai/gpt-4.5-preview"
    assert gpt45.release_date == date(2025, 2, 27)
    assert gpt45.predecessor == "openai/gpt-4o"
    assert gpt45.open_weights is False
    assert gpt45.aliases == ("gpt-4.5-preview",)
    assert result.facts == (
        ModelFact(
            model_id="openai/gpt-4.5-preview",
            metric=Metric.PRICE_INPUT,
            value=75.0,
            unit=USD,
            as_of=date(2025, 3, 22),
            source_name="LiteLLM 1.63.14 price table",
            source_url="https://pypi.org/project/litellm/1.63.14/",
        ),
    )


def _set(path: tuple[str | int, ...], new: object) -> Callable[[dict[str, object]], None]:
    def change(document: dict[str, object]) -> None:
        target: object = document
        for step in path[:-1]:
            target = target[step]  # type: ignore[index]
        target[path[-1]] = new  # type: ignore[index]

    return change


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (_set(("version",), 2), "version 2"),
        (_set(("models",), {}), "must be lists"),
        (_set(("models", 1, "canonical_id"), ""), "model 1 has no 'canonical_id'"),
        (_set(("models", 1, "release_date"), "Feb 2025"), "'release_date'"),
        (_set(("models", 1, "predecessor"), "openai/gpt-4"), "unknown predecessor"),
        (_set(("models", 1, "canonical_id"), "openai/gpt-4o"), "repeats an id"),
        (_set(("models", 0, "aliases"), "gpt-4o"), "'aliases'"),
        (_set(("facts", 0, "value"), "abc"), "fact 0"),
        (_set(("facts", 0, "as_of"), None), "no 'as_of'"),
        (_set(("facts", 0, "model_id"), "openai/o1"), "unknown model 'openai/o1'"),
    ],
)
def test_curated_rejects_malformed_documents(
    change: Callable[[dict[str, object]], None], fragment: str
) -> None:
    with pytest.raises(ImportFormatError) as caught:
        read_curated(curated(change))
    assert str(caught.value).startswith("curated model file: ")
    assert fragment in str(caught.value)


def test_curated_rejects_repeated_facts_and_bad_json() -> None:
    def twice(document: dict[str, object]) -> None:
        facts = document["facts"]
        assert isinstance(facts, list)
        facts.append(dict(facts[0]))

    with pytest.raises(ImportFormatError, match="fact 1 repeats"):
        read_curated(curated(twice))
    with pytest.raises(ImportFormatError, match="not valid JSON"):
        read_curated(curated()[:-3])


def test_curated_seed_file() -> None:
    document = json.loads(SEED.read_bytes())
    result = read_curated(SEED.read_bytes())
    assert len(result.models) == len(document["models"]) >= 13
    # GPT-3.5 Turbo's six LLM Stats rows (not self-reported, unverified, linked to
    # https://example.com/benchmark-image) do not pass the provenance gate.
    assert len(result.facts) == len(document["facts"]) - 6
    assert result.dropped == (("unverified LLM Stats row with a placeholder source", 6),)
    models = {m.canonical_id: m for m in result.models}
    gpt45 = models["openai/gpt-4.5-preview"]
    assert gpt45.release_date == date(2025, 2, 27)
    assert gpt45.predecessor == "openai/gpt-4o"
    assert "gpt-4.5-preview" in gpt45.aliases
    lmarena = [
        f
        for f in result.facts
        if f.model_id == "openai/gpt-4.5-preview" and f.metric == "Arena Elo"
    ]
    assert {(f.as_of, f.value) for f in lmarena} >= {(date(2025, 3, 28), 1398.0)}

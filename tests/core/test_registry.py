"""The model registry over a real store: imports, history, events, atomicity, lookup."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from aiprogress.core.clock import FixedClock
from aiprogress.core.errors import AmbiguousModel, InvalidInput, ModelNotFound, StorageError
from aiprogress.core.registry import ModelRegistry
from aiprogress.core.types import EventKind, ImportBatch, Metric, ModelFact, ModelInfo
from aiprogress.storage.store import SqlStore
from tests.builders import make_registry
from tests.conftest import Bundled

OR_URL = "https://openrouter.ai/api/v1/models"
MODELS_DEV = Path(__file__).parents[2] / "src/aiprogress/sources/data/snapshots/models.dev"
CURATED = ImportBatch(
    source_name="curated",
    models=(
        ModelInfo(
            "openai/gpt-4.5-preview",
            "GPT-4.5 (preview)",
            "OpenAI",
            aliases=("gpt-4.5", "GPT-4.5-Preview"),
            predecessor="openai/gpt-4o",
            release_date=date(2025, 2, 27),
        ),
        ModelInfo("openai/gpt-4o", "GPT-4o", "OpenAI", aliases=("4o", "gpt4o")),
        ModelInfo("deepseek/deepseek-v3", "DeepSeek-V3", "DeepSeek", aliases=("deepseek-chat",)),
    ),
    facts=(
        ModelFact(
            "openai/gpt-4o",
            "GPQA Diamond",
            49.2,
            "%",
            date(2025, 3, 1),
            "Epoch AI",
            "https://epoch.ai/data",
        ),
        ModelFact(
            "openai/gpt-4.5-preview",
            "GPQA Diamond",
            68.7,
            "%",
            date(2025, 3, 1),
            "Epoch AI",
            "https://epoch.ai/data",
        ),
    ),
)


def openrouter(day: date, deepseek_price: float, extra: tuple[ModelInfo, ...] = ()) -> ImportBatch:
    models = (
        ModelInfo("openai/gpt-4.5-preview", "OpenAI: GPT-4.5 (Preview)", "openai"),
        ModelInfo("deepseek/deepseek-chat", "DeepSeek: DeepSeek V3", "deepseek"),
        ModelInfo("acme/unknown-model", "Acme: Unknown", "acme"),
        *extra,
    )
    facts = [
        ModelFact(
            "openai/gpt-4.5-preview",
            Metric.PRICE_INPUT,
            75.0,
            "USD/1M tokens",
            day,
            "OpenRouter",
            OR_URL,
        ),
        ModelFact(
            "deepseek/deepseek-chat",
            Metric.PRICE_INPUT,
            deepseek_price,
            "USD/1M tokens",
            day,
            "OpenRouter",
            OR_URL,
        ),
        ModelFact(
            "acme/unknown-model",
            Metric.PRICE_INPUT,
            1.0,
            "USD/1M tokens",
            day,
            "OpenRouter",
            OR_URL,
        ),
    ]
    facts += [
        ModelFact(
            m.canonical_id, Metric.PRICE_INPUT, 3.0, "USD/1M tokens", day, "OpenRouter", OR_URL
        )
        for m in extra
    ]
    return ImportBatch("OpenRouter", models, tuple(facts))


@pytest.fixture
def registry(store: SqlStore, clock: FixedClock) -> ModelRegistry:
    return make_registry(store, clock)


async def test_curated_then_source_facts_attach_by_alias(
    registry: ModelRegistry, store: SqlStore
) -> None:
    curated = await registry.import_batch(CURATED, authoritative=True)
    assert (curated.models_added, curated.facts_added) == (3, 2)

    report = await registry.import_batch(openrouter(date(2025, 5, 23), 0.38))
    # GPT-4.5 matched by its id; DeepSeek by the alias "deepseek-chat"; Acme matched nothing
    # and this import may not create models, so its fact was left out, not guessed.
    assert (report.models_added, report.facts_added) == (0, 2)
    facts = await store.models.facts(["deepseek/deepseek-v3"])
    assert [(f.metric, f.value, f.source_name) for f in facts] == [
        (Metric.PRICE_INPUT, 0.38, "OpenRouter")
    ]
    # The source's own names became aliases.
    assert (await registry.resolve("DeepSeek: DeepSeek V3")).canonical_id == "deepseek/deepseek-v3"


async def test_reimport_adds_nothing_and_history_is_kept(
    registry: ModelRegistry, store: SqlStore
) -> None:
    await registry.import_batch(CURATED, authoritative=True)
    await registry.import_batch(openrouter(date(2025, 5, 23), 0.38))
    again = await registry.import_batch(openrouter(date(2025, 5, 23), 0.38))
    assert again.facts_added == 0 and again.events == ()

    later = await registry.import_batch(openrouter(date(2026, 5, 15), 0.32))
    assert later.facts_added == 2
    prices = [
        f.value for f in await store.models.facts(["deepseek/deepseek-v3"], [Metric.PRICE_INPUT])
    ]
    assert prices == [0.38, 0.32]  # both kept, oldest first


async def test_price_change_event(registry: ModelRegistry, store: SqlStore) -> None:
    await registry.import_batch(CURATED, authoritative=True)
    await registry.import_batch(openrouter(date(2025, 5, 23), 0.38))
    report = await registry.import_batch(openrouter(date(2026, 5, 15), 0.32))
    changes = [e for e in report.events if e.kind is EventKind.PRICE_CHANGE]
    assert len(changes) == 1
    change = changes[0]
    assert (change.model_id, change.old_value, change.new_value, change.as_of) == (
        "deepseek/deepseek-v3",
        0.38,
        0.32,
        date(2026, 5, 15),
    )
    assert change.source_url == OR_URL
    assert change in await store.models.events()


async def test_new_best_score_event(registry: ModelRegistry) -> None:
    first = await registry.import_batch(CURATED, authoritative=True)
    assert not [e for e in first.events if e.kind is EventKind.NEW_BEST]  # a baseline is not news
    better = ImportBatch(
        "Epoch AI",
        (ModelInfo("gpt-4o", "gpt-4o", "openai"),),
        (
            ModelFact(
                "gpt-4o",
                "GPQA Diamond",
                70.1,
                "%",
                date(2025, 6, 1),
                "Epoch AI",
                "https://epoch.ai/data",
            ),
        ),
    )
    report = await registry.import_batch(better)
    bests = [e for e in report.events if e.kind is EventKind.NEW_BEST]
    assert len(bests) == 1
    assert (
        bests[0].model_id,
        bests[0].old_value,
        bests[0].new_value,
        bests[0].previous_model_id,
    ) == ("openai/gpt-4o", 68.7, 70.1, "openai/gpt-4.5-preview")


async def test_new_model_from_a_tracked_vendor(registry: ModelRegistry) -> None:
    await registry.import_batch(CURATED, authoritative=True)
    extra = (
        ModelInfo("anthropic/claude-opus-4", "Anthropic: Claude Opus 4", "anthropic"),
        ModelInfo("someone/tiny-model", "Someone: Tiny", "someone"),
    )
    # The source's first import is its baseline: it adds models but announces none.
    first = await registry.import_batch(openrouter(date(2025, 5, 23), 0.38), create_models=True)
    assert first.models_added == 1  # acme/unknown-model
    assert not [e for e in first.events if e.kind is EventKind.NEW_MODEL]

    report = await registry.import_batch(
        openrouter(date(2026, 5, 15), 0.38, extra), create_models=True
    )
    new = [e.model_id for e in report.events if e.kind is EventKind.NEW_MODEL]
    assert new == ["anthropic/claude-opus-4"]
    assert report.models_added == 2  # Claude Opus 4 and the tiny model
    assert (await registry.resolve("claude opus 4")).canonical_id == "anthropic/claude-opus-4"


async def test_a_new_model_is_dated_when_the_data_say_not_on_import_day(
    store: SqlStore,
) -> None:
    # Imported years after the snapshots: nothing of it is today's news.
    registry = make_registry(store, FixedClock(datetime(2031, 3, 3, tzinfo=UTC)))
    await registry.import_batch(CURATED, authoritative=True)
    await registry.import_batch(openrouter(date(2025, 5, 23), 0.38), create_models=True)
    extra = (
        ModelInfo("anthropic/claude-opus-4", "Anthropic: Claude Opus 4", "anthropic"),
        ModelInfo("openai/gpt-audio", "OpenAI: GPT Audio", "openai"),
        ModelInfo(
            "anthropic/claude-3.5-haiku",
            "Anthropic: Claude 3.5 Haiku",
            "anthropic",
            release_date=date(2024, 10, 22),
        ),
    )
    batch = openrouter(date(2026, 5, 15), 0.38, extra)
    # One model the snapshot lists without any fact of its own: still the snapshot's date.
    batch = replace(batch, facts=tuple(f for f in batch.facts if f.model_id != "openai/gpt-audio"))
    report = await registry.import_batch(batch, create_models=True)
    days = {e.model_id: e.as_of for e in report.events if e.kind is EventKind.NEW_MODEL}
    assert days == {
        "anthropic/claude-opus-4": date(2026, 5, 15),  # the snapshot that first lists it
        "openai/gpt-audio": date(2026, 5, 15),
        "anthropic/claude-3.5-haiku": date(2024, 10, 22),  # its own release date
    }
    # A digest reads events by the day they happened, not the day they were stored.
    assert await store.models.events(since=date(2031, 3, 2), until=date(2031, 3, 3)) == []
    in_may = await store.models.events(since=date(2026, 5, 1), until=date(2026, 5, 31))
    assert {e.model_id for e in in_may if e.kind is EventKind.NEW_MODEL} == {
        "anthropic/claude-opus-4",
        "openai/gpt-audio",
    }


async def test_a_failing_import_writes_nothing(registry: ModelRegistry, store: SqlStore) -> None:
    await registry.import_batch(CURATED, authoritative=True)
    before = await store.models.facts()
    with pytest.raises(StorageError):
        await store.models.apply_import(
            models=[ModelInfo("x/new", "New", "x")],
            aliases=[("new-alias", "x/new")],
            facts=[
                ModelFact("no/such-model", "MMLU", 1.0, "%", date(2025, 1, 1), "T", "https://t")
            ],
            events=[],
            now=datetime(2026, 1, 1, tzinfo=UTC),
        )
    assert await store.models.facts() == before
    assert "x/new" not in {m.canonical_id for m in await store.models.all()}


async def test_lookup(registry: ModelRegistry) -> None:
    await registry.import_batch(CURATED, authoritative=True)
    assert (await registry.resolve("gpt4.5")).canonical_id == "openai/gpt-4.5-preview"
    assert (await registry.resolve("4o")).canonical_id == "openai/gpt-4o"
    with pytest.raises(ModelNotFound):
        await registry.resolve("llama 9 colossal")
    with pytest.raises(InvalidInput):
        await registry.compare(["gpt-4o"])
    with pytest.raises(
        InvalidInput, match=r"^'gpt-4o' and '4o' are the same model, GPT-4o: name two different"
    ):
        await registry.compare(["gpt-4o", "4o"])
    with pytest.raises(InvalidInput, match=r"^'gpt-4o' is named twice: name two different models$"):
        await registry.compare(["gpt-4o", "GPT-4o "])
    comparison = await registry.compare(["gpt-4.5", "4o"])
    gpqa = comparison.metric("GPQA Diamond")
    assert gpqa is not None and gpqa.leader == 0
    model, facts = await registry.show("GPT-4.5 preview")
    assert model.predecessor == "openai/gpt-4o" and len(facts) == 1
    found = [m.model.canonical_id for m in await registry.search("gpt")]
    assert set(found[:2]) == {"openai/gpt-4.5-preview", "openai/gpt-4o"}
    with pytest.raises(AmbiguousModel):
        await registry.resolve("gpt")


async def test_the_least_dated_id_speaks_for_a_model(
    registry: ModelRegistry, store: SqlStore
) -> None:
    await registry.import_batch(CURATED, authoritative=True)
    day = date(2025, 4, 27)
    url = "https://pypi.org/project/litellm/1.67.4/"
    batch = ImportBatch(
        "LiteLLM",
        (
            ModelInfo("gpt-4o-2024-05-13", "gpt-4o-2024-05-13", "openai"),
            ModelInfo("gpt-4o", "gpt-4o", "openai"),
        ),
        (
            ModelFact(
                "gpt-4o-2024-05-13", Metric.PRICE_INPUT, 5.0, "USD/1M tokens", day, "LiteLLM", url
            ),
            ModelFact("gpt-4o", Metric.PRICE_INPUT, 2.5, "USD/1M tokens", day, "LiteLLM", url),
        ),
    )
    report = await registry.import_batch(batch)
    assert report.facts_added == 1
    facts = await store.models.facts(["openai/gpt-4o"], [Metric.PRICE_INPUT])
    assert [(f.value, f.source_name) for f in facts] == [(2.5, "LiteLLM")]


async def test_a_dated_id_of_a_held_model_is_its_snapshot(
    registry: ModelRegistry, store: SqlStore
) -> None:
    # Constructed after the bundled data's shape: OpenRouter lists GPT-4o mini under its bare
    # and its dated id; Epoch and Aider name only the dated one. All of it is one model.
    day = date(2025, 5, 23)
    listed = ImportBatch(
        "OpenRouter",
        (
            ModelInfo(
                "openai/gpt-4o-mini-2024-07-18", "OpenAI: GPT-4o-mini (2024-07-18)", "openai"
            ),
            ModelInfo("openai/gpt-4o-mini", "OpenAI: GPT-4o-mini", "openai"),
            ModelInfo("mistralai/mistral-large", "Mistral Large", "mistralai"),
            ModelInfo("mistralai/mistral-large-2411", "Mistral Large 2411", "mistralai"),
            ModelInfo("qwen/qwen3.5-plus-20260420", "Qwen3.5 Plus 2026-04-20", "qwen"),
        ),
        tuple(
            ModelFact(m, Metric.PRICE_INPUT, 0.15, "USD/1M tokens", day, "OpenRouter", OR_URL)
            for m in ("openai/gpt-4o-mini-2024-07-18", "openai/gpt-4o-mini")
        ),
    )
    await registry.import_batch(listed, create_models=True)
    epoch = ImportBatch(
        "Epoch AI",
        (ModelInfo("gpt-4o-mini-2024-07-18", "gpt-4o-mini-2024-07-18", ""),),
        (
            ModelFact(
                "gpt-4o-mini-2024-07-18", "GPQA Diamond", 37.72, "%", day, "Epoch AI", "https://e"
            ),
        ),
    )
    assert (await registry.import_batch(epoch)).facts_added == 1

    ids = {m.canonical_id for m in await store.models.all()}
    assert "openai/gpt-4o-mini-2024-07-18" not in ids and "openai/gpt-4o-mini" in ids
    # A four-digit stamp may be a model of its own; an id whose base we lack stays a model.
    assert {"mistralai/mistral-large-2411", "qwen/qwen3.5-plus-20260420"} <= ids
    mini = await registry.resolve("gpt-4o-mini-2024-07-18")
    assert mini.canonical_id == "openai/gpt-4o-mini"
    assert [(s.snapshot_id, s.is_default) for s in mini.snapshots] == [
        ("gpt-4o-mini-2024-07-18", False)
    ]
    facts = await store.models.facts(["openai/gpt-4o-mini"])
    # The bare id speaks for OpenRouter (one price per source and day); Epoch's value names
    # the snapshot it is of.
    assert sorted((f.metric, f.value, f.source_name, f.source_model) for f in facts) == [
        ("GPQA Diamond", 37.72, "Epoch AI", "gpt-4o-mini-2024-07-18"),
        (Metric.PRICE_INPUT, 0.15, "OpenRouter", ""),
    ]


async def test_an_ambiguous_name_offers_the_newest_of_the_closest_models(
    bundled: Bundled, clock: FixedClock
) -> None:
    """Issue 18's case on the bundled data: a bare "claude" offered "Claude 3 Haiku
    (self-moderated)" and "Claude v2" (the first names alphabetically among equal matches)."""
    registry = make_registry(bundled.store, clock)
    with pytest.raises(AmbiguousModel) as raised:
        await registry.compare(["claude", "gpt-4o"])
    offered = raised.value.candidates
    assert len(offered) == 5
    assert not any("self-moderated" in name or name == "Claude v2" for name in offered)
    # The current generation, newest first by release date: the Claude 5 models launched in
    # June and July 2026 (curated from their launch posts), then Opus 4.8 (May 2026); nothing
    # of Claude 3.
    assert offered == (
        "Claude Opus 5",
        "Claude Sonnet 5",
        "Claude Fable 5",
        "Claude Mythos 5",
        "Claude Opus 4.8",
    ), offered
    # A name no model has a date for still ranks among the close matches (by version).
    with pytest.raises(AmbiguousModel) as raised:
        await registry.resolve("llama")
    assert raised.value.candidates[0].startswith("Llama 4")


async def test_a_later_import_fills_what_a_model_lacks_and_never_replaces_it(
    registry: ModelRegistry, store: SqlStore
) -> None:
    await registry.import_batch(CURATED, authoritative=True)  # GPT-4o: no release date
    url = "https://models.dev"

    def source(name: str, model: ModelInfo) -> ImportBatch:
        fact = ModelFact(
            model.canonical_id,
            Metric.PRICE_INPUT,
            2.5,
            "USD/1M tokens",
            date(2026, 5, 1),
            name,
            url,
        )
        return ImportBatch(name, (model,), (fact,))

    # A dated snapshot's release date is the snapshot's, not the model line's: it fills none.
    await registry.import_batch(
        source(
            "LiteLLM",
            ModelInfo("gpt-4o-2024-08-06", "gpt-4o", "openai", release_date=date(2024, 8, 6)),
        )
    )
    assert (await registry.resolve("gpt-4o")).release_date is None
    # Nor does a checkpoint stamp the name matching strips (`-06-05`): a preview line's third
    # checkpoint is not the line.
    await registry.import_batch(
        source("LLM Stats", ModelInfo("gpt-4o-06-05", "x", "openai", release_date=date(2024, 6, 5)))
    )
    assert (await registry.resolve("gpt-4o")).release_date is None

    filling = source(
        "models.dev",
        ModelInfo("gpt-4o", "GPT-4o", "openai", family="gpt", release_date=date(2024, 5, 13)),
    )
    await registry.import_batch(filling)
    gpt4o = await registry.resolve("gpt-4o")
    assert (gpt4o.release_date, gpt4o.release_source) == (date(2024, 5, 13), "models.dev")
    assert (gpt4o.vendor, gpt4o.family) == ("OpenAI", "gpt")  # the curated vendor is kept

    # Another source's later word replaces nothing; the same import again changes nothing.
    await registry.import_batch(
        source("Other", ModelInfo("gpt-4o", "GPT-4o", "oai", release_date=date(2024, 6, 1)))
    )
    before = await store.models.all()
    again = await registry.import_batch(filling)
    assert (again.models_added, again.facts_added, again.events) == (0, 0, ())
    assert await store.models.all() == before
    gpt4o = await registry.resolve("gpt-4o")
    assert (gpt4o.release_date, gpt4o.release_source) == (date(2024, 5, 13), "models.dev")

    # The curated file, when it states no date, keeps the filled one; when it states one, its
    # date wins and no longer names an import.
    await registry.import_batch(CURATED, authoritative=True)
    assert (await registry.resolve("gpt-4o")).release_source == "models.dev"
    dated = ImportBatch(
        "curated",
        (ModelInfo("openai/gpt-4o", "GPT-4o", "OpenAI", release_date=date(2024, 5, 13)),),
        (),
    )
    await registry.import_batch(dated, authoritative=True)
    gpt4o = await registry.resolve("gpt-4o")
    assert (gpt4o.release_date, gpt4o.release_source) == (date(2024, 5, 13), "")


async def test_a_fresh_install_dates_o1_from_models_dev_and_has_no_news_of_today(
    store: SqlStore,
) -> None:
    """Issue 20's user-side review: o1 had no release date though models.dev gives one, and
    ~30 models of the May 2026 OpenRouter list were "new" on the day of the import."""
    from aiprogress.app.models_data import import_bundled_models

    today = date(2030, 1, 10)
    registry = make_registry(store, FixedClock(datetime(2030, 1, 10, 9, tzinfo=UTC)))
    await import_bundled_models(registry)
    recorded = tomllib.loads((MODELS_DEV / "providers/openai/models/o1.toml").read_text())
    assert recorded["release_date"] == "2024-12-05"
    o1 = await registry.resolve("o1")
    assert (o1.release_date, o1.release_source) == (date(2024, 12, 5), "models.dev")
    events = await registry.events(limit=1000)
    assert events and all(e.as_of <= date(2026, 5, 15) for e in events)
    assert await store.models.events(since=today - timedelta(days=7), until=today) == []

    models, facts = await store.models.all(), await store.models.facts()
    reports = await import_bundled_models(registry)
    assert all(r.facts_added == 0 and r.events == () for r in reports)
    assert await store.models.all() == models

    # The store orders facts by model, metric and day only; on PostgreSQL the rows of one
    # day (two sources' or two settings' values) may come back in either order.
    def key(fact: ModelFact) -> tuple[str, str, date, str, str]:
        return (fact.model_id, fact.metric, fact.as_of, fact.source_name, fact.setting)

    assert sorted(await store.models.facts(), key=key) == sorted(facts, key=key)
    assert await registry.events(limit=1000) == events


async def test_a_filled_release_date_redates_the_models_new_model_event(
    registry: ModelRegistry, store: SqlStore
) -> None:
    await registry.import_batch(CURATED, authoritative=True)
    await registry.import_batch(openrouter(date(2025, 5, 23), 0.38), create_models=True)
    gpt5 = ModelInfo("openai/gpt-5", "OpenAI: GPT-5", "openai")
    await registry.import_batch(openrouter(date(2026, 5, 15), 0.38, (gpt5,)), create_models=True)
    [event] = [e for e in await store.models.events() if e.kind is EventKind.NEW_MODEL]
    assert event.as_of == date(2026, 5, 15)  # the snapshot that first listed it

    fact = ModelFact(
        "gpt-5",
        Metric.CONTEXT_WINDOW,
        400000,
        "tokens",
        date(2026, 5, 1),
        "models.dev",
        "https://models.dev",
    )
    released = ModelInfo("gpt-5", "OpenAI: GPT-5", "openai", release_date=date(2025, 8, 7))
    await registry.import_batch(ImportBatch("models.dev", (released,), (fact,)))
    [event] = [e for e in await store.models.events() if e.kind is EventKind.NEW_MODEL]
    assert (event.model_id, event.as_of) == ("openai/gpt-5", date(2025, 8, 7))


async def test_the_first_dated_snapshot_a_model_is_known_by_gives_the_lines_release(
    registry: ModelRegistry,
) -> None:
    """Claude 3 Opus is only ever `claude-3-opus-20240229`: a source's date for that id is the
    line's. A later snapshot's (Claude 3.5 Sonnet's `20241022`, the line known since
    `20240620`) is not, nor is an id no source has tied to the model yet."""
    lines = ImportBatch(
        "OpenRouter models API",
        (
            ModelInfo("anthropic/claude-3-opus", "Claude 3 Opus", "Anthropic",
                      aliases=("claude-3-opus-20240229",)),
            ModelInfo("anthropic/claude-3.5-sonnet", "Claude 3.5 Sonnet", "Anthropic",
                      aliases=("claude-3-5-sonnet-20240620", "claude-3-5-sonnet-20241022")),
            ModelInfo("anthropic/claude-3-haiku", "Claude 3 Haiku", "Anthropic"),
        ),
        (),
    )  # fmt: skip
    await registry.import_batch(lines, create_models=True)
    records = ImportBatch(
        "LLM Stats",
        (
            ModelInfo("claude-3-opus-20240229", "Claude 3 Opus", "", release_date=date(2024, 2, 29)),
            ModelInfo("claude-3-5-sonnet-20241022", "Claude 3.5 Sonnet", "",
                      release_date=date(2024, 10, 22)),
            ModelInfo("claude-3-haiku-20240307", "Claude 3 Haiku", "", release_date=date(2024, 3, 13)),
        ),
        (),
    )  # fmt: skip
    await registry.import_batch(records)
    opus = await registry.resolve("claude 3 opus")
    assert (opus.release_date, opus.release_source) == (date(2024, 2, 29), "LLM Stats")
    assert (await registry.resolve("claude 3.5 sonnet")).release_date is None
    assert (await registry.resolve("claude 3 haiku")).release_date is None

"""The seed post's comparisons on the bundled data, held to golden files (text RU and EN, and
the rows of the JSON), with the figures that carry each answer read straight from the recorded
files they come from: the bundled snapshots (byte copies of ../shared/fixtures/models, see
sources/data/snapshots/ORIGIN.md) and the LLM Stats rows the curated seed carries.

After an intended change, regenerate with `AIPROGRESS_UPDATE_GOLDEN=1 pytest tests/digest`.
"""

from __future__ import annotations

import csv
import json
import os
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from aiprogress.core.clock import FixedClock
from aiprogress.core.comparison import Comparison, MetricComparison
from aiprogress.core.types import Language, Metric
from aiprogress.digest.audit import SEED_PAIRS, audit_comparison
from aiprogress.digest.compare_render import comparison_to_json, render_comparison_text
from tests.builders import make_registry
from tests.conftest import Bundled

ROOT = Path(__file__).parents[2]
SNAPSHOTS = ROOT / "src/aiprogress/sources/data/snapshots"
SEED = ROOT / "src/aiprogress/sources/data/seed_models.json"
GOLDEN = Path(__file__).parent / "golden" / "compare"


# --- the recorded files, read directly ---------------------------------------------------------


@cache
def epoch_best(model: str, task: str) -> float:
    """Epoch's best score of a run id on a task, x 100 to 2 decimals (as the hub's chart)."""
    with (SNAPSHOTS / "epoch-ai/benchmarks_runs.csv").open(encoding="utf-8") as handle:
        scores = [
            Decimal(row["Best score (across scorers)"])
            for row in csv.DictReader(handle)
            if row["model"] == model and row["task"] == task
        ]
    best = max(scores) * 100
    return float(best.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@cache
def openrouter(
    model_id: str, field: str, snapshot: str = "openrouter-models-2025-05-23.json"
) -> float:
    entries = json.loads((SNAPSHOTS / snapshot).read_bytes())["data"]
    entry = next(e for e in entries if e["id"] == model_id)
    if field == "max_completion_tokens":
        return float(entry["top_provider"][field])
    return float(Decimal(entry["pricing"][field]) * 1_000_000)


@cache
def aider(label: str) -> float:
    runs = yaml.safe_load((SNAPSHOTS / "polyglot_leaderboard.yml").read_bytes())
    return float(next(r["pass_rate_2"] for r in runs if r["model"] == label))


@cache
def lmarena(model: str, file: str = "lmarena_text.csv") -> float:
    with (SNAPSHOTS / file).open(encoding="utf-8") as handle:
        return float(next(r["arena_score"] for r in csv.DictReader(handle) if r["model"] == model))


@cache
def llm_stats(model: str, benchmark_id: str) -> float:
    for fact in json.loads(SEED.read_bytes())["facts"]:
        raw = fact.get("llm_stats")
        if raw and raw["model_id"] == model and raw["benchmark_id"] == benchmark_id:
            return float(fact["value"])
    raise AssertionError(f"no LLM Stats row {model} {benchmark_id}")


@cache
def litellm(key: str, field: str, version: str) -> float:
    table = json.loads(
        (SNAPSHOTS / f"litellm-{version}-model_prices_and_context_window.json").read_bytes()
    )
    return float(Decimal(repr(table[key][field])) * 1_000_000)


@cache
def epoch_release(version: str) -> date:
    """A model version's release date in Epoch's model_versions.csv."""
    with (SNAPSHOTS / "epoch-ai/model_versions.csv").open(encoding="utf-8") as handle:
        return date.fromisoformat(
            next(r["Version release date"] for r in csv.DictReader(handle) if r["id"] == version)
        )


def release(comparison: Comparison) -> list[tuple[date | None, str]]:
    """Each model's release date and snapshot, as the comparison and its JSON give them."""
    document = comparison_to_json(comparison)
    from_json = [
        (date.fromisoformat(d) if d else None, s)
        for d, s in zip(document["release_dates"], document["release_snapshots"], strict=True)
    ]
    assert from_json == list(
        zip(comparison.release_dates, comparison.release_snapshots, strict=True)
    )
    return from_json


# --- the comparisons ---------------------------------------------------------------------------


def row(comparison: Comparison, metric: str) -> MetricComparison:
    found = comparison.metric(metric)
    assert found is not None, metric
    return found


def values(comparison: Comparison, metric: str) -> list[tuple[float, str, str]]:
    return [
        (v.value, v.source_name, v.setting) if v is not None else (float("nan"), "", "")
        for v in row(comparison, metric).values
    ]


def json_rows(comparison: Comparison) -> list[dict[str, Any]]:
    """The JSON output's rows, less what the golden text already pins (URLs, dates)."""
    document = comparison_to_json(comparison)
    return [
        {
            "metric": m["metric"],
            "values": [
                None if v is None else [v["value"], v["source_name"], v["setting"]]
                for v in m["values"]
            ],
            "comparable": m["comparable"],
            "cross_source": m["cross_source"],
            "leader": m["leader"],
            "disagreements": [
                [d["model_index"], d["value"]["value"], d["value"]["source_name"]]
                for d in m["disagreements"]
            ],
        }
        for m in document["metrics"]
    ]


async def comparisons(bundled: Bundled) -> dict[tuple[str, str], tuple[Comparison, Any]]:
    registry = make_registry(bundled.store, FixedClock(datetime(2026, 8, 15, tzinfo=UTC)))
    reports = bundled.reports
    assert not [r for r in reports if r.error]
    assert reports[0].dropped == (("unverified LLM Stats row with a placeholder source", 6),)
    found = {}
    for pair in SEED_PAIRS:
        comparison = await registry.compare(list(pair))
        facts = await registry.facts([m.canonical_id for m in comparison.models])
        found[pair] = (comparison, facts)
    return found


def check_golden(name: str, text: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("AIPROGRESS_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), name


def slug(pair: tuple[str, str]) -> str:
    return "__".join(p.replace(" ", "-").replace(".", "_") for p in pair)


async def test_seed_pairs_are_honest_and_match_their_sources(bundled: Bundled) -> None:
    found = await comparisons(bundled)

    for pair, (comparison, facts) in found.items():
        # Done when: no duplicated rows, no setting passed off as the plain model, no unlabelled
        # cross-source row where a covering source exists, every disagreement shown, no ×0/×1.
        audit = audit_comparison(comparison, facts)
        assert audit.problems == 0, (pair, audit)
        for language in Language:
            check_golden(
                f"{slug(pair)}.{language.value}.txt", render_comparison_text(comparison, language)
            )
        check_golden(
            f"{slug(pair)}.json",
            json.dumps(json_rows(comparison), ensure_ascii=False, indent=1) + "\n",
        )

    # GPT-4.5 against GPT-4o: Epoch's GPQA Diamond for both; LLM Stats' vendor-reported 70.1
    # for GPT-4o (the GPT-5 post) said on the row; OpenRouter's prices and limits for both.
    gpt, gpt_facts = found[("gpt-4.5", "gpt-4o")]
    epoch = "Epoch AI Benchmarking Hub"
    assert (
        values(gpt, "GPQA Diamond")
        == [
            (epoch_best("gpt-4.5-preview-2025-02-27", "GPQA diamond"), epoch, ""),
            (epoch_best("gpt-4o-2024-08-06", "GPQA diamond"), epoch, ""),
        ]
        == [(68.69, epoch, ""), (49.21, epoch, "")]
    )
    (disagreement,) = row(gpt, "GPQA Diamond").disagreements
    assert (disagreement.model_index, disagreement.value.value) == (
        1,
        llm_stats("gpt-4o-2024-08-06", "gpqa"),
    )
    assert disagreement.value.source_url == "https://openai.com/index/gpt-5/"
    router = "OpenRouter models API"
    assert (
        [v[0] for v in values(gpt, Metric.PRICE_INPUT)]
        == [
            openrouter("openai/gpt-4.5-preview", "prompt"),
            openrouter("openai/gpt-4o", "prompt"),
        ]
        == [75.0, 2.5]
    )
    assert {v[1] for v in values(gpt, Metric.PRICE_INPUT)} == {router}
    assert (
        [v[0] for v in values(gpt, Metric.MAX_OUTPUT)]
        == [
            openrouter("openai/gpt-4.5-preview", "max_completion_tokens"),
            openrouter("openai/gpt-4o", "max_completion_tokens"),
        ]
        == [16384.0, 16384.0]
    )
    assert gpt.metric("GPQA") is None  # LLM Stats' GPQA rows are GPQA Diamond: one row
    en = render_comparison_text(gpt, Language.EN)
    # Epoch's values as imported, to the hundredth, as the digest's weighing line gives them.
    assert "● GPT-4.5 (preview): +19.48 points on GPQA Diamond for 30× the input price." in en
    # GPT-4o's release is its first version's, 2024-05-13 (the knowledge base's date for the
    # model); its values are of 2024-08-06 (its default snapshot), which the row names. It
    # read '6 August 2024, snapshot gpt-4o-2024-08-06' and GPT-4.5 '205 days later'.
    assert release(gpt) == [
        (epoch_release("gpt-4.5-preview-2025-02-27"), ""),
        (epoch_release("gpt-4o-2024-05-13"), ""),
    ]
    assert gpt.models[1].release_date == epoch_release("gpt-4o-2024-05-13") == date(2024, 5, 13)
    assert gpt.data_snapshots == ("", "gpt-4o-2024-08-06")
    assert (
        "▪️ Released: 27 February 2025 / 13 May 2024, figures of snapshot gpt-4o-2024-08-06 "
        "(290 days later)" in en
    )
    # LLM Stats' HumanEval for GPT-4o is of the 2024-05-13 snapshot (the launch post), not of
    # the 2024-08-06 one the release row names: the row says so.
    human_eval = row(gpt, "HumanEval").values[1]
    assert human_eval is not None and human_eval.source_name == "LLM Stats"
    assert (human_eval.value, human_eval.snapshot) == (
        llm_stats("gpt-4o-2024-05-13", "humaneval"),
        "gpt-4o-2024-05-13",
    )
    assert (
        "🔘 HumanEval: 88% / 90.2% (snapshot gpt-4o-2024-05-13) (−2.2; within the ±6.8 margin"
        " of error)" in en
    )
    # Labelled are exactly the values whose source names another snapshot than 2024-08-06.
    labelled = {(m.metric, v.snapshot) for m in gpt.metrics for v in m.values if v and v.snapshot}
    shown = {(m.metric, v.source_name) for m in gpt.metrics for v in m.values[1:] if v}
    older = {
        (f.metric, "gpt-4o-2024-05-13")
        for f in gpt_facts
        if f.model_id == "openai/gpt-4o"
        and f.source_model == "gpt-4o-2024-05-13"
        and (f.metric, f.source_name) in shown
    }
    assert ("HumanEval", "gpt-4o-2024-05-13") in labelled and labelled == older

    # Claude 3.7 against 3.5: Aider's no-thinking run, not models.dev's copy of the 32k run;
    # SWE-bench's 70.3 is labelled with its scaffold and not compared.
    claude, _ = found[("claude 3.7 sonnet", "claude 3.5 sonnet")]
    assert (
        values(claude, "Aider Polyglot")
        == [
            (aider("claude-3-7-sonnet-20250219 (no thinking)"), "Aider polyglot leaderboard", ""),
            (aider("claude-3-5-sonnet-20241022"), "Aider polyglot leaderboard", ""),
        ]
        == [(60.4, "Aider polyglot leaderboard", ""), (51.6, "Aider polyglot leaderboard", "")]
    )
    swe = row(claude, "SWE-bench Verified")
    assert not swe.comparable and swe.values[0] is not None
    assert (swe.values[0].value, swe.values[0].setting) == (
        llm_stats("claude-3-7-sonnet-20250219", "swe-bench-verified"),
        "parallel attempts, scaffolding",
    )
    en = render_comparison_text(claude, Language.EN)
    ru = render_comparison_text(claude, Language.RU)
    assert (
        "70.3% with parallel attempts, scaffolding / 49% (different settings, not compared)" in en
    )
    assert "● Claude 3.7 Sonnet leads on 2 of 7 shared benchmarks (5 ties)." in en
    assert "● Claude 3.7 Sonnet впереди на 2 из 7 общих бенчмарков (5 ничьих)." in ru
    assert "▪️ Input price: $3 / $3 per 1M tokens (same price)" in en
    # Every Claude 3.5 Sonnet value is of the 20241022 snapshot: its release row says so,
    # beside the line's release, its first version's (2024-06-20).
    assert {
        v.source_model for r in claude.metrics for v in r.values[1:] if v and v.source_model
    } == {"claude-3-5-sonnet-20241022"}
    assert release(claude) == [
        (epoch_release("claude-3-7-sonnet-20250219"), ""),
        (epoch_release("claude-3-5-sonnet-20240620"), ""),
    ]
    assert claude.data_snapshots == ("", "claude-3-5-sonnet-20241022")
    assert epoch_release("claude-3-5-sonnet-20240620") == date(2024, 6, 20)
    assert (
        "▪️ Выпуск: 24 февраля 2025 / 20 июня 2024, данные версии claude-3-5-sonnet-20241022"
        " (на 249 дн. позже)" in ru
    )

    # Gemini 2.0 Pro's only price is the free experimental endpoint: said as such.
    pro, _ = found[("gemini 2.0 pro", "gemini 2.0 flash")]
    assert values(pro, Metric.PRICE_INPUT) == [
        (
            litellm("gemini/gemini-2.0-pro-exp-02-05", "input_cost_per_token", "1.67.4"),
            "LiteLLM 1.67.4 price table",
            "free experimental endpoint",
        ),
        (
            litellm("gemini/gemini-2.0-flash", "input_cost_per_token", "1.67.4"),
            "LiteLLM 1.67.4 price table",
            "",
        ),
    ]
    assert (
        "▪️ Input price: free (experimental endpoint) / $0.1 per 1M tokens"
        in render_comparison_text(pro, Language.EN)
    )

    # Gemini 2.0 Flash against 1.5 Pro: one price source and tier for both (OpenRouter's
    # $1.25/$5), not LLM Stats' over-128k tier; LiteLLM's older $3.5 said on the row.
    flash, _ = found[("gemini 2.0 flash", "gemini 1.5 pro")]
    assert (
        [v[0] for v in values(flash, Metric.PRICE_INPUT)]
        == [
            openrouter("google/gemini-2.0-flash-001", "prompt"),
            openrouter("google/gemini-pro-1.5", "prompt"),
        ]
        == [0.1, 1.25]
    )
    en = render_comparison_text(flash, Language.EN)
    assert (
        "● Gemini 2.0 Flash is cheaper than Gemini 1.5 Pro: 12.5× on input, 12.5× on output." in en
    )
    assert "×0" not in en and "(×" not in en

    # Grok 3 against Grok 2: Epoch for both.
    grok, _ = found[("grok 3", "grok 2")]
    assert [v[0] for v in values(grok, "GPQA Diamond")] == [
        epoch_best("grok-3-beta", "GPQA diamond"),
        epoch_best("grok-2-1212", "GPQA diamond"),
    ]

    # GPT-4 against GPT-3.5 Turbo: no LLM Stats placeholder "wins"; the 2025 LiteLLM price of
    # GPT-3.5 ($1.5) said on the row.
    gpt4, _ = found[("gpt-4", "gpt-3.5 turbo")]
    assert row(gpt4, "HumanEval").values[1] is None
    price = row(gpt4, Metric.PRICE_INPUT)
    assert [d.value.value for d in price.disagreements] == [
        litellm("gpt-3.5-turbo", "input_cost_per_token", "1.67.4"),
        litellm("gpt-3.5-turbo", "input_cost_per_token", "1.63.14"),
    ]

    # o1 against DeepSeek-R1: Epoch's `o1-2024-12-17_medium` (the API's default effort) is o1's
    # GPQA Diamond; Aider's o1 run is at high effort and says so.
    o1, _ = found[("o1", "deepseek-r1")]
    assert [v[0] for v in values(o1, "GPQA Diamond")] == [
        epoch_best("o1-2024-12-17_medium", "GPQA diamond"),
        epoch_best("DeepSeek-R1", "GPQA diamond"),
    ]
    assert values(o1, "Aider Polyglot")[0] == (
        aider("o1-2024-12-17 (high)"),
        "Aider polyglot leaderboard",
        "high effort",
    )

    # Llama 3.1 405B against 70B: Meta's instruct models, not the base weights or a fine-tune;
    # LMArena's bf16 entry (the released weights) is the 405B's default.
    llama, _ = found[("llama 3.1 405b", "llama 3.1 70b")]
    assert [m.canonical_id for m in llama.models] == [
        "meta-llama/llama-3.1-405b-instruct",
        "meta-llama/llama-3.1-70b-instruct",
    ]
    assert [v[0] for v in values(llama, "Arena Elo")] == [
        lmarena("Meta-Llama-3.1-405B-Instruct-bf16"),
        lmarena("Meta-Llama-3.1-70B-Instruct"),
    ]
    assert [v[0] for v in values(llama, "GPQA Diamond")] == [
        epoch_best("Llama-3.1-405B-Instruct", "GPQA diamond"),
        epoch_best("Llama-3.1-70B-Instruct", "GPQA diamond"),
    ]


async def test_names_resolve_to_the_model_meant_and_a_copy_never_wins(bundled: Bundled) -> None:
    registry = make_registry(bundled.store, FixedClock(datetime(2026, 8, 15, tzinfo=UTC)))
    expected = {
        # Fine-tunes (Hermes, Nemotron, Euryale, Hanami) do not make the base name ambiguous.
        "Llama 3.1 70B": "meta-llama/llama-3.1-70b-instruct",
        # The base weights only when asked for.
        "Llama 3.1 405B": "meta-llama/llama-3.1-405b-instruct",
        "Llama 3.1 405B (base)": "meta-llama/llama-3.1-405b",
        "Hermes 3 70B": "nousresearch/hermes-3-llama-3.1-70b",
        "o1": "openai/o1",
        "claude-3-5-sonnet-20240620": "anthropic/claude-3.5-sonnet",
        "gpt-4o-2024-11-20": "openai/gpt-4o",
    }
    for name, model_id in expected.items():
        assert (await registry.resolve(name)).canonical_id == model_id, name

    # models.dev's copy of Aider's 32k-thinking run (64.9), imported again, neither replaces
    # nor outranks Aider's own no-thinking run.
    from aiprogress.sources.importers import load_models_dev

    report = await registry.import_batch(load_models_dev())
    assert report.facts_added == 0
    claude = await registry.compare(["claude 3.7 sonnet", "claude 3.5 sonnet"])
    aider_row = row(claude, "Aider Polyglot")
    assert [v.value for v in aider_row.values if v is not None] == [60.4, 51.6]
    assert all(d.value.source_name != "models.dev" for d in aider_row.disagreements)


async def test_a_dated_id_reaches_its_model_on_a_fresh_database(bundled: Bundled) -> None:
    """OpenRouter lists GPT-4o mini under `openai/gpt-4o-mini` and `…-2024-07-18`; Epoch,
    LMArena and Aider name only the dated id. All of it is GPT-4o mini's: GPQA Diamond is
    Epoch's 37.72 against GPT-3.5 Turbo's, not "—"."""
    store = bundled.store
    registry = make_registry(store, FixedClock(datetime(2026, 8, 15, tzinfo=UTC)))
    ids = {m.canonical_id for m in await store.models.all()}
    for dated in (
        "openai/gpt-4o-mini-2024-07-18",
        "anthropic/claude-3.5-haiku-20241022",
        "openai/o1-mini-2024-09-12",
        "openai/o1-preview-2024-09-12",
    ):
        assert dated not in ids, dated
    mini = await registry.resolve("openai/gpt-4o-mini-2024-07-18")
    assert mini.canonical_id == "openai/gpt-4o-mini"
    assert [s.snapshot_id for s in mini.snapshots] == ["gpt-4o-mini-2024-07-18"]

    comparison = await registry.compare(["gpt-4o-mini", "gpt-3.5-turbo"])
    epoch = "Epoch AI Benchmarking Hub"
    assert (
        values(comparison, "GPQA Diamond")
        == [
            (epoch_best("gpt-4o-mini-2024-07-18", "GPQA diamond"), epoch, ""),
            (epoch_best("gpt-3.5-turbo-0125", "GPQA diamond"), epoch, ""),
        ]
        == [(37.72, epoch, ""), (27.18, epoch, "")]
    )
    assert values(comparison, "Arena Elo")[0][:2] == (
        lmarena("GPT-4o-mini-2024-07-18"),
        "LMArena text leaderboard",
    )
    # Every value of GPT-4o mini is of its one known snapshot or names none: nothing to label.
    assert all(m.values[0] is None or not m.values[0].snapshot for m in comparison.metrics)
    # GPT-3.5 Turbo's Epoch runs are of `gpt-3.5-turbo-0125`, one version of the line: named.
    gpqa = row(comparison, "GPQA Diamond").values[1]
    assert gpqa is not None and gpqa.snapshot == "gpt-3.5-turbo-0125"
    ru = render_comparison_text(comparison, Language.RU)
    # GPT-3.5 Turbo's 27.18% is a four-choice test's 25% and a bit: shown, not weighed.
    assert (
        "🔘 GPQA Diamond: 37,72% / 27,18% (версия gpt-3.5-turbo-0125) (близко к случайному уровню "
        "25%, не сравниваем)" in ru
    )
    assert "Общих бенчмарков" not in ru
    assert audit_comparison(comparison, await registry.facts(ids_of(comparison))).problems == 0


def ids_of(comparison: Comparison) -> list[str]:
    return [m.canonical_id for m in comparison.models]

"""The comparison engine and its text and JSON, on known data."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from aiprogress.core.comparison import MetricKind
from aiprogress.core.types import Language, Metric, ModelFact, ModelInfo, Snapshot
from aiprogress.digest.audit import audit_comparison
from aiprogress.digest.compare import compare_models, current_facts
from aiprogress.digest.compare_render import (
    JSON_SCHEMA,
    comparison_to_json,
    render_comparison_text,
)

GPT45 = ModelInfo("openai/gpt-4.5-preview", "GPT-4.5", "OpenAI", release_date=date(2025, 2, 27))
GPT4O = ModelInfo("openai/gpt-4o", "GPT-4o", "OpenAI", release_date=date(2024, 5, 13))
URL = "https://example.org/source"


def fact(
    model: ModelInfo,
    metric: str,
    value: float,
    unit: str,
    day: date = date(2025, 3, 1),
    source: str = "Test",
) -> ModelFact:
    return ModelFact(model.canonical_id, metric, value, unit, day, source, URL)


FACTS = [
    fact(GPT45, Metric.PRICE_INPUT, 75.0, "USD/1M tokens"),
    fact(GPT45, Metric.PRICE_OUTPUT, 150.0, "USD/1M tokens"),
    fact(GPT4O, Metric.PRICE_INPUT, 2.5, "USD/1M tokens"),
    fact(GPT4O, Metric.PRICE_OUTPUT, 10.0, "USD/1M tokens"),
    fact(GPT45, Metric.CONTEXT_WINDOW, 128000, "tokens"),
    fact(GPT4O, Metric.CONTEXT_WINDOW, 128000, "tokens"),
    fact(GPT45, "GPQA Diamond", 68.69, "%"),
    fact(GPT4O, "GPQA Diamond", 49.21, "%"),
    fact(GPT45, "Arena Elo", 1398, "Elo"),
    fact(GPT4O, "Arena Elo", 1265, "Elo"),
    fact(GPT45, "Aider Polyglot", 44.9, "%"),
]


def test_deltas_ratios_and_leaders() -> None:
    comparison = compare_models([GPT45, GPT4O], FACTS)
    price_in = comparison.metric(Metric.PRICE_INPUT)
    assert price_in is not None
    assert price_in.kind is MetricKind.PRICE and not price_in.higher_is_better
    assert price_in.ratios[0] == 1.0 and price_in.ratios[1] == pytest.approx(2.5 / 75)
    assert price_in.leader == 1  # cheaper wins on price
    price_out = comparison.metric(Metric.PRICE_OUTPUT)
    assert price_out is not None and price_out.ratios[1] == pytest.approx(10 / 150)

    gpqa = comparison.metric("GPQA Diamond")
    assert gpqa is not None and gpqa.shared
    assert gpqa.deltas[0] == 0.0 and gpqa.deltas[1] == pytest.approx(49.21 - 68.69)
    assert gpqa.leader == 0

    context = comparison.metric(Metric.CONTEXT_WINDOW)
    assert context is not None and context.leader is None  # a tie names no leader

    aider = comparison.metric("Aider Polyglot")
    assert aider is not None and not aider.shared
    assert aider.values[1] is None and aider.deltas == (0.0, None) and aider.leader is None

    assert comparison.release_gaps_days == (0, -290)
    # Shared benchmarks first, then the rest, then prices and context.
    assert [m.metric for m in comparison.metrics] == [
        "Arena Elo",
        "GPQA Diamond",
        "Aider Polyglot",
        Metric.PRICE_INPUT,
        Metric.PRICE_OUTPUT,
        Metric.CONTEXT_WINDOW,
    ]


def test_newest_value_of_a_source_is_current_and_history_is_kept() -> None:
    old = fact(GPT4O, Metric.PRICE_INPUT, 5.0, "USD/1M tokens", date(2024, 5, 13))
    new = fact(GPT4O, Metric.PRICE_INPUT, 2.5, "USD/1M tokens", date(2024, 10, 1))
    assert current_facts([new, old])[(GPT4O.canonical_id, Metric.PRICE_INPUT)] == new


def test_a_current_limit_is_the_most_trusted_source_s_not_the_newest() -> None:
    """The digest's weighing took the newest value: LiteLLM 1.110.2's (20 Nov 2026) GPT-5
    "context", its 272,000-token input limit, over models.dev's 400,000-token window."""
    window = fact(GPT4O, Metric.CONTEXT_WINDOW, 400_000, "tokens", date(2026, 7, 2), "models.dev")
    input_limit = fact(
        GPT4O,
        Metric.CONTEXT_WINDOW,
        272_000,
        "tokens",
        date(2026, 11, 20),
        "LiteLLM 1.110.2 price table",
    )
    chosen = current_facts([input_limit, window])
    assert chosen[(GPT4O.canonical_id, Metric.CONTEXT_WINDOW)] == window
    # A price stays the newest list's.
    old = fact(GPT4O, Metric.PRICE_INPUT, 5.0, "USD/1M tokens", date(2024, 5, 13), "models.dev")
    new = fact(GPT4O, Metric.PRICE_INPUT, 2.5, "USD/1M tokens", date(2026, 11, 20), "LiteLLM")
    assert current_facts([old, new])[(GPT4O.canonical_id, Metric.PRICE_INPUT)] == new


def test_values_in_different_units_are_not_subtracted() -> None:
    facts = [fact(GPT45, "MMLU", 89.6, "%"), fact(GPT4O, "MMLU", 0.887, "fraction")]
    row = compare_models([GPT45, GPT4O], facts).metric("MMLU")
    assert row is not None and row.deltas == (0.0, None) and row.leader is None


def test_english_text_says_what_the_post_would() -> None:
    text = render_comparison_text(compare_models([GPT45, GPT4O], FACTS), Language.EN)
    assert text.splitlines()[0] == "GPT-4.5 vs GPT-4o"
    # Each value as its source gives it (68.69%, as the digest's weighing line says it), the
    # difference to the same precision, and the margin of error the lead is beyond.
    assert "🔘 GPQA Diamond: 68.69% / 49.21% (+19.48; beyond the ±9.5 margin of error)" in text
    assert "🔘 Arena Elo: 1,398 / 1,265 (+133; beyond the ±7 margin of error)" in text
    assert "▪️ Input price: $75 / $2.5 per 1M tokens (30× dearer)" in text
    assert "▪️ Output price: $150 / $10 per 1M tokens (15× dearer)" in text
    assert "▪️ Released: 27 February 2025 / 13 May 2024 (290 days later)" in text
    assert "● GPT-4.5: +19.48 points on GPQA Diamond for 30× the input price." in text
    assert "● GPT-4.5 leads on 2 of 2 shared benchmarks." in text
    assert "● No data: Aider Polyglot for GPT-4o." in text
    assert (
        "● Test (2025-03-01, GPQA Diamond, Arena Elo, Aider Polyglot, Input price, Output price, "
        "Context window): https://example.org/source" in text
    )


def test_russian_text_has_the_same_figures() -> None:
    text = render_comparison_text(compare_models([GPT45, GPT4O], FACTS), Language.RU)
    assert text.splitlines()[0] == "GPT-4.5 против GPT-4o"
    assert "🔘 GPQA Diamond: 68,69% / 49,21% (+19,48; больше погрешности ±9,5)" in text
    assert "▪️ Цена входа: $75 / $2,5 за 1 млн токенов (в 30 раз дороже)" in text
    assert "Что мы видим?" in text
    assert "● GPT-4.5: +19,48 п. на GPQA Diamond, по входу в 30 раз дороже." in text


def test_models_that_cost_the_same_are_named_together_not_against_each_other() -> None:
    facts = [
        fact(model, metric, price, "USD/1M tokens")
        for model in (GPT45, GPT4O)
        for metric, price in ((Metric.PRICE_INPUT, 3.0), (Metric.PRICE_OUTPUT, 15.0))
    ]
    comparison = compare_models([GPT45, GPT4O], facts)
    assert (
        "● Same price: GPT-4.5 and GPT-4o cost the same on input and output."
        in render_comparison_text(comparison, Language.EN)
    )
    assert (
        "● Цены одинаковы: вход и выход у GPT-4.5 и GPT-4o стоят одно и то же."
        in render_comparison_text(comparison, Language.RU)
    )


def test_token_counts_take_the_form_their_number_needs() -> None:
    """'8 192 токена', '132 токена/с' and '1 token' as a reader says them, not one fixed
    plural."""
    facts = [
        fact(GPT45, Metric.MAX_OUTPUT, 8192, "tokens"),
        fact(GPT4O, Metric.MAX_OUTPUT, 16000, "tokens"),
        fact(GPT45, Metric.OUTPUT_SPEED, 132, "tokens/s"),
        fact(GPT4O, Metric.OUTPUT_SPEED, 21, "tokens/s"),
    ]
    comparison = compare_models([GPT45, GPT4O], facts)
    russian = render_comparison_text(comparison, Language.RU)
    assert "▪️ Максимум вывода: 8\u00a0192 токена / 16\u00a0000 токенов" in russian
    assert "▪️ Скорость вывода: 132 токена/с / 21 токен/с" in russian
    english = render_comparison_text(comparison, Language.EN)
    assert "▪️ Max output: 8,192 tokens / 16,000 tokens" in english
    assert "▪️ Output speed: 132 tokens/s / 21 tokens/s" in english


def test_missing_data_is_said_plainly() -> None:
    unknown = ModelInfo("acme/new", "Acme New", "Acme")
    text = render_comparison_text(compare_models([unknown, GPT4O], []), Language.EN)
    assert text == "Acme New vs GPT-4o\n\nThe collected data holds no figure for Acme New, GPT-4o."
    only_price = render_comparison_text(compare_models([GPT45, GPT4O], FACTS[:4]), Language.EN)
    assert "No benchmark in the collected data covers all of these models." in only_price
    assert "GPT-4o is cheaper than GPT-4.5: 30× on input, 15× on output." in only_price
    only_price_ru = render_comparison_text(compare_models([GPT45, GPT4O], FACTS[:4]), Language.RU)
    assert "GPT-4o дешевле GPT-4.5: вход — в 30 раз, выход — в 15 раз." in only_price_ru


def test_json_schema() -> None:
    document = comparison_to_json(compare_models([GPT45, GPT4O], FACTS))
    assert json.loads(json.dumps(document)) == document
    assert document["schema"] == JSON_SCHEMA
    assert set(document) == {
        "schema",
        "models",
        "metrics",
        "release_gaps_days",
        "release_dates",
        "release_snapshots",
        "release_set_aside",
        "data_snapshots",
        "headline",
    }
    assert document["release_dates"] == ["2025-02-27", "2024-05-13"]
    assert document["release_snapshots"] == ["", ""]
    assert document["release_set_aside"] == []
    assert document["data_snapshots"] == ["", ""]
    assert document["headline"] == {
        "metric": "GPQA Diamond",
        "delta": pytest.approx(19.48),
        "source_name": "Test",
        "price_factor": 30.0,
        "price_source": "Test",
        "margin": None,
    }
    assert [m["canonical_id"] for m in document["models"]] == [
        "openai/gpt-4.5-preview",
        "openai/gpt-4o",
    ]
    assert set(document["models"][0]) == {
        "canonical_id",
        "display_name",
        "vendor",
        "family",
        "release_date",
        "open_weights",
        "aliases",
        "predecessor",
        "snapshots",
        "release_source",
    }
    gpqa = next(m for m in document["metrics"] if m["metric"] == "GPQA Diamond")
    assert set(gpqa) == {
        "metric",
        "kind",
        "higher_is_better",
        "values",
        "deltas",
        "ratios",
        "leader",
        "source_name",
        "cross_source",
        "disagreements",
        "chance",
        "noise",
        "margin",
        "margin_unknown",
        "comparable",
        "settings",
    }
    assert gpqa["kind"] == "benchmark"
    assert gpqa["chance"] is None  # 68.69% and 49.21%, far above a guess's 25%
    # The margin the lead is clear of (198 questions), known, so the lead is judged.
    assert (gpqa["noise"], round(gpqa["margin"], 1), gpqa["margin_unknown"]) == (None, 9.5, False)
    assert (gpqa["source_name"], gpqa["cross_source"], gpqa["comparable"]) == ("Test", False, True)
    assert gpqa["values"][0] == {
        "value": 68.69,
        "unit": "%",
        "as_of": "2025-03-01",
        "source_name": "Test",
        "source_url": URL,
        "setting": "",
        "source_model": "",
        "snapshot": "",
    }
    aider = next(m for m in document["metrics"] if m["metric"] == "Aider Polyglot")
    assert aider["values"][1] is None and aider["deltas"][1] is None


def test_chat_text_keeps_well_known_benchmarks_and_counts_the_rest() -> None:
    many = [*FACTS]
    for n in range(20):
        many += [
            fact(GPT45, f"Obscure-{n:02d}", 50 + n, "%"),
            fact(GPT4O, f"Obscure-{n:02d}", 40 + n, "%"),
        ]
    many += [fact(GPT45, "MMLU", 90.8, "%"), fact(GPT4O, "MMLU", 85.7, "%")]
    text = render_comparison_text(compare_models([GPT45, GPT4O], many), Language.EN)
    benchmark_lines = [line for line in text.splitlines() if line.startswith("🔘")]
    # Headline benchmarks first, filled up to 8 shared rows, then the headline benchmark one
    # model lacks.
    shared_lines = [line for line in benchmark_lines if "—" not in line]
    assert len(shared_lines) == 8
    assert shared_lines[0].startswith("🔘 GPQA Diamond") and shared_lines[1].startswith("🔘 MMLU")
    assert "🔘 Aider Polyglot: 44.9% / —" in benchmark_lines
    assert "… and 15 more benchmarks (all of them in --json)" in text
    # The verdict speaks of the best-known benchmark, not of the largest delta.
    assert "● GPT-4.5: +19.48 points on GPQA Diamond for 30× the input price." in text
    # A benchmark of unknown size names no leader and is not counted: those shown by name, the
    # rest counted (all in --json).
    assert "🔘 Obscure-00: 50% / 40% (+10; margin of error unknown)" in benchmark_lines
    assert "● GPT-4.5 leads on 3 of 3 shared benchmarks." in text
    assert (
        "● Not counted, margin of error unknown: Obscure-00, Obscure-01, Obscure-02, Obscure-03, "
        "Obscure-04 and 15 more." in text
    )


def test_release_date_is_the_first_version_s_and_the_values_snapshot_is_named() -> None:
    """GPT-4o was released on 13 May 2024 (`gpt-4o-2024-05-13`); its default snapshot, which
    values naming none are of, is 2024-08-06. The release row gave 6 August 2024, so GPT-4.5
    came '205 days later'; it gives the first version's date and names the values' snapshot."""
    snapshots = (
        Snapshot("gpt-4o-2024-05-13", date(2024, 5, 13)),
        Snapshot("gpt-4o-2024-08-06", date(2024, 8, 6), is_default=True),
        Snapshot("gpt-4o-2024-11-20", date(2024, 11, 20)),
    )
    gpt4o = replace(GPT4O, snapshots=snapshots)

    def fact(metric: str, value: float, source_model: str) -> ModelFact:
        return ModelFact(
            gpt4o.canonical_id,
            metric,
            value,
            "%",
            date(2025, 5, 1),
            "Test",
            "https://example.org",
            source_model=source_model,
        )

    # A value naming no snapshot is of the default one (2024-08-06), named beside the release.
    plain = compare_models([GPT45, gpt4o], [*FACTS, fact("MMLU", 88.0, "")])
    assert plain.release_dates == (date(2025, 2, 27), date(2024, 5, 13))
    assert plain.release_snapshots == ("", "")
    assert plain.data_snapshots == ("", "gpt-4o-2024-08-06")
    assert plain.release_gaps_days == (0, -290)
    en = render_comparison_text(plain, Language.EN)
    assert (
        "▪️ Released: 27 February 2025 / 13 May 2024, figures of snapshot gpt-4o-2024-08-06 "
        "(290 days later)" in en
    )
    assert (
        "▪️ Выпуск: 27 февраля 2025 / 13 мая 2024, данные версии gpt-4o-2024-08-06 "
        "(на 290 дн. позже)" in render_comparison_text(plain, Language.RU)
    )
    # Most values of the 2024-11-20 snapshot (as a source spells it): named; the release stays.
    newer = [
        fact("MMLU", 88.0, "openai/gpt-4o-2024-11-20"),
        fact("MATH", 70.0, "gpt-4o-2024-11-20"),
        fact("HumanEval", 90.0, "gpt-4o-2024-05-13"),
    ]
    dated = compare_models([gpt4o, GPT45], newer)
    assert dated.release_dates == (date(2024, 5, 13), date(2025, 2, 27))
    assert dated.data_snapshots == ("gpt-4o-2024-11-20", "")
    assert (
        render_comparison_text(dated, Language.EN).count(
            "▪️ Released: 13 May 2024, figures of snapshot gpt-4o-2024-11-20 / 27 February 2025"
        )
        == 1
    )
    # Values of the first version itself: the release says no more.
    first = compare_models([gpt4o, GPT45], [fact("HumanEval", 90.0, "gpt-4o-2024-05-13")])
    assert first.data_snapshots == ("", "")
    assert "▪️ Released: 13 May 2024 / 27 February 2025" in render_comparison_text(
        first, Language.EN
    )
    # A model with no date of its own is dated by its first dated snapshot, named.
    undated = compare_models([replace(gpt4o, release_date=None), GPT45], [])
    assert undated.release_dates[0] == date(2024, 5, 13)
    assert undated.release_snapshots[0] == "gpt-4o-2024-05-13"


def test_a_value_of_another_snapshot_says_which_and_one_of_a_dateless_snapshot_names_none() -> None:
    gpt4o = replace(
        GPT4O,
        snapshots=(
            Snapshot("gpt-4o-2024-05-13", date(2024, 5, 13)),
            Snapshot("gpt-4o-2024-08-06", date(2024, 8, 6), is_default=True),
        ),
    )

    def of(model: ModelInfo, value: float, source: str, source_model: str) -> ModelFact:
        return replace(
            fact(model, "HumanEval", value, "%", source=source), source_model=source_model
        )

    facts = [
        *FACTS,
        of(GPT45, 88.0, "Epoch AI Benchmarking Hub", ""),
        of(gpt4o, 85.0, "Epoch AI Benchmarking Hub", "gpt-4o-2024-08-06"),
        of(gpt4o, 90.2, "LLM Stats", "gpt-4o-2024-05-13"),  # disagrees, of the older snapshot
        replace(fact(gpt4o, "MMLU", 88.7, "%"), source_model="gpt-4o-2024-05-13"),
        fact(GPT45, "MMLU", 90.8, "%"),
    ]
    comparison = compare_models([GPT45, gpt4o], facts)
    assert comparison.data_snapshots == ("", "gpt-4o-2024-08-06")
    human_eval = comparison.metric("HumanEval")
    mmlu = comparison.metric("MMLU")
    assert human_eval is not None and mmlu is not None
    # The shown value is of the release row's snapshot: unlabelled; the disagreeing one names its.
    assert [v.snapshot for v in human_eval.values if v] == ["", ""]
    assert [d.value.snapshot for d in human_eval.disagreements] == ["gpt-4o-2024-05-13"]
    assert [v.snapshot for v in mmlu.values if v] == ["", "gpt-4o-2024-05-13"]
    en = render_comparison_text(comparison, Language.EN)
    assert "🔘 MMLU: 90.8% / 88.7% (snapshot gpt-4o-2024-05-13) (+2.1; beyond the ±0.7 margin" in en
    assert "90.2% (snapshot gpt-4o-2024-05-13) for GPT-4o in LLM Stats" in en
    ru = render_comparison_text(comparison, Language.RU)
    assert "88,7% (версия gpt-4o-2024-05-13)" in ru
    assert comparison_to_json(comparison)["metrics"][0]["values"][1]["snapshot"] == ""

    # A snapshot known only by its id (another source named it, no date): the release row keeps
    # the model's own date and names no snapshot; its values are the model's, unlabelled.
    mini = ModelInfo(
        "openai/gpt-4o-mini",
        "GPT-4o mini",
        "OpenAI",
        release_date=date(2024, 7, 18),
        snapshots=(Snapshot("gpt-4o-mini-2024-07-18"),),
    )
    gpqa = replace(fact(mini, "GPQA Diamond", 37.72, "%"), source_model="gpt-4o-mini-2024-07-18")
    dateless = compare_models([mini, GPT4O], [gpqa, fact(GPT4O, "GPQA Diamond", 49.21, "%")])
    assert dateless.release_dates == (date(2024, 7, 18), date(2024, 5, 13))
    assert dateless.release_snapshots == ("", "")
    assert all(v is None or not v.snapshot for m in dateless.metrics for v in m.values)


def test_a_gain_for_a_price_says_the_multiple_in_words_and_the_audit_counts_a_bare_one() -> None:
    comparison = compare_models([GPT45, GPT4O], FACTS)
    ru = render_comparison_text(comparison, Language.RU)
    assert "● GPT-4.5: +19,48 п. на GPQA Diamond, по входу в 30 раз дороже." in ru
    assert "×" not in ru
    # 12.5 times, as Gemini 1.5 Pro against 2.0 Flash: a fraction reads "в 12,5 раза", "12.5×".
    dearer = [
        replace(f, value=f.value * 12.5 / 30)
        if f.metric == Metric.PRICE_INPUT and f.model_id == GPT45.canonical_id
        else f
        for f in FACTS
    ]
    priced = compare_models([GPT45, GPT4O], dearer)
    assert "по входу в 12,5 раза дороже." in render_comparison_text(priced, Language.RU)
    assert "for 12.5× the input price." in render_comparison_text(priced, Language.EN)
    assert audit_comparison(comparison, FACTS).bad_wording == 0


def test_sources_that_agree_with_each_other_are_named_together() -> None:
    """Two releases of one price table saying the same are one item, not two (the golden file
    is what test_compare_seed_pairs holds the answer to)."""
    golden = Path(__file__).parent / "golden" / "compare"
    text = (golden / "gemini-2_0-flash__gemini-1_5-pro.en.txt").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("▪️ Input price"))
    assert line.count("$3.5 for Gemini 1.5 Pro") == 1
    # Each older than the price shown, so each with its date: a price may have changed since.
    assert (
        "LiteLLM 1.67.4 price table (2025-04-27), LiteLLM 1.63.14 price table (2025-03-22)" in line
    )

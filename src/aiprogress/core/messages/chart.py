"""The comparison charts' titles, axes, legends and notes."""

from __future__ import annotations

from aiprogress.core.types import Language

CHART: dict[str, dict[Language, str]] = {
    "chart.legend": {
        Language.RU: "{model} (выпуск {date})",
        Language.EN: "{model} (released {date})",
    },
    # --- comparison charts ---
    "chart.note.cross_source": {Language.RU: "разные источники", Language.EN: "different sources"},
    "chart.note.settings": {Language.RU: "разные настройки", Language.EN: "different settings"},
    "chart.note.chance": {
        Language.RU: "близко к случайному уровню",
        Language.EN: "near chance level",
    },
    "chart.note.noise": {
        Language.RU: "в пределах погрешности",
        Language.EN: "within the margin of error",
    },
    "chart.note.disagree": {Language.RU: "источники расходятся", Language.EN: "sources disagree"},
    "chart.title": {Language.RU: "{models}", Language.EN: "{models}"},
    "chart.benchmarks": {Language.RU: "Бенчмарки, %", Language.EN: "Benchmarks, %"},
    "chart.arena": {Language.RU: "Рейтинг Arena (Elo)", Language.EN: "Arena rating (Elo)"},
    "chart.price": {
        Language.RU: "Цена, $ за 1 млн токенов",
        Language.EN: "Price, $ per 1M tokens",
    },
    "chart.price.input": {Language.RU: "вход", Language.EN: "input"},
    "chart.price.output": {Language.RU: "выход", Language.EN: "output"},
    "chart.speed": {Language.RU: "Скорость, токенов/с", Language.EN: "Speed, tokens/s"},
    "chart.no_data": {Language.RU: "нет данных", Language.EN: "no data"},
    "chart.sources": {Language.RU: "Источники: {sources}", Language.EN: "Sources: {sources}"},
}

"""/compare's words, and the settings a score or a price was taken under."""

from __future__ import annotations

from aiprogress.core.types import Language

COMPARE: dict[str, dict[Language, str]] = {
    # --- /compare ---
    "compare.vs": {Language.RU: "против", Language.EN: "vs"},
    "compare.metric.price_input": {Language.RU: "Цена входа", Language.EN: "Input price"},
    "compare.metric.price_output": {Language.RU: "Цена выхода", Language.EN: "Output price"},
    "compare.metric.context_window": {Language.RU: "Контекст", Language.EN: "Context window"},
    "compare.metric.max_output_tokens": {
        Language.RU: "Максимум вывода",
        Language.EN: "Max output",
    },
    "compare.metric.output_speed": {Language.RU: "Скорость вывода", Language.EN: "Output speed"},
    "compare.unit.price": {Language.RU: "за 1 млн токенов", Language.EN: "per 1M tokens"},
    # Plural forms: Russian one|few|many ("8 192 токена"), English one|other.
    "compare.unit.tokens": {Language.RU: "токен|токена|токенов", Language.EN: "token|tokens"},
    "compare.unit.speed": {
        Language.RU: "токен/с|токена/с|токенов/с",
        Language.EN: "token/s|tokens/s",
    },
    "compare.released": {Language.RU: "Выпуск", Language.EN: "Released"},
    # A release date of the dated snapshot a model's values come from.
    "compare.snapshot": {
        Language.RU: "{date}, версия {snapshot}",
        Language.EN: "{date}, snapshot {snapshot}",
    },
    # A release with the later snapshot the model's figures are of (GPT-4o's are of 2024-08-06).
    "compare.figures_of": {
        Language.RU: "{release}, данные версии {snapshot}",
        Language.EN: "{release}, figures of snapshot {snapshot}",
    },
    "compare.later": {Language.RU: "на {days} дн. позже", Language.EN: "{days} days later"},
    "compare.earlier": {Language.RU: "на {days} дн. раньше", Language.EN: "{days} days earlier"},
    "compare.same_day": {Language.RU: "в один день", Language.EN: "the same day"},
    "compare.more": {
        Language.RU: "… и ещё {count} {noun} (все — в --json)",
        Language.EN: "… and {count} more {noun} (all of them in --json)",
    },
    "compare.more.chat": {
        Language.RU: "… и ещё {count} {noun}",
        Language.EN: "… and {count} more {noun}",
    },
    # "ещё 3 бенчмарка", "1 more benchmark".
    "compare.benchmarks": {
        Language.RU: "бенчмарк|бенчмарка|бенчмарков",
        Language.EN: "benchmark|benchmarks",
    },
    "compare.what_we_see": {Language.RU: "Что мы видим?", Language.EN: "What we see"},
    "compare.gain_for_price": {
        Language.RU: "{model}: {delta} п. на {metric}, по входу в {times} дороже.",
        Language.EN: "{model}: {delta} points on {metric} for {times} the input price.",
    },
    # The two are within the margin of error on the best-known benchmark both have.
    "compare.gain_par": {
        Language.RU: "{model} и {other} вровень на {metric}: {delta} п. в пределах "
        "погрешности ±{margin}.",
        Language.EN: "{model} and {other} are on par on {metric}: {delta} points, within the "
        "±{margin} margin of error.",
    },
    "compare.gain": {
        Language.RU: "{model}: {delta} п. на {metric}; цен для сравнения нет.",
        Language.EN: "{model}: {delta} points on {metric}; no prices to weigh it against.",
    },
    "compare.leads": {
        Language.RU: "{model} впереди на {count} из {total} общих бенчмарков.",
        Language.EN: "{model} leads on {count} of {total} shared benchmarks.",
    },
    "compare.split": {
        Language.RU: "По {total} общим бенчмаркам: {parts}.",
        Language.EN: "Across {total} shared benchmarks: {parts}.",
    },
    "compare.no_lead": {
        Language.RU: "Общих бенчмарков: {total}; ни на одном нет лидера — разница в пределах "
        "погрешности.",
        Language.EN: "No lead on any of the {total} shared benchmarks: the differences are "
        "within the margin of error.",
    },
    "compare.no_lead_one": {
        Language.RU: "На единственном общем бенчмарке лидера нет: разница в пределах погрешности.",
        Language.EN: "No lead on the one shared benchmark: the difference is within the "
        "margin of error.",
    },
    "compare.leads_one": {
        Language.RU: "{model} впереди на единственном общем бенчмарке.",
        Language.EN: "{model} leads on the one shared benchmark.",
    },
    # Every model has a value on some benchmark, but from different sources or settings.
    "compare.none_comparable": {
        Language.RU: "Сравнимых бенчмарков нет: общие есть, но из разных источников или "
        "с разными настройками.",
        Language.EN: "No benchmark compares these models like for like: the shared ones come "
        "from different sources or settings.",
    },
    "compare.split_part": {Language.RU: "{model} — {count}", Language.EN: "{model} {count}"},
    "compare.cheaper": {
        Language.RU: "{model} дешевле {other}: вход — в {input}, выход — в {output}.",
        Language.EN: "{model} is cheaper than {other}: {input} on input, {output} on output.",
    },
    "compare.cheaper_mixed": {
        Language.RU: "{model} дешевле {other} на входе (в {input}), "
        "но дороже на выходе (в {output}).",
        Language.EN: "{model} is {input} cheaper than {other} on input "
        "but {output} dearer on output.",
    },
    "compare.times": {Language.RU: "раз|раза|раз", Language.EN: "×"},
    "compare.no_shared": {
        Language.RU: "Общих бенчмарков в собранных данных нет.",
        Language.EN: "No benchmark in the collected data covers all of these models.",
    },
    "compare.missing": {Language.RU: "Нет данных: {items}.", Language.EN: "No data: {items}."},
    "compare.missing_item": {
        Language.RU: "{metric} для {model}",
        Language.EN: "{metric} for {model}",
    },
    "compare.sources": {Language.RU: "Источники:", Language.EN: "Sources:"},
    "compare.with_setting": {
        Language.RU: "{value} ({setting})",
        Language.EN: "{value} with {setting}",
    },
    "compare.of_snapshot": {
        Language.RU: "{value} (версия {snapshot})",
        Language.EN: "{value} (snapshot {snapshot})",
    },
    "compare.free": {Language.RU: "бесплатно ({setting})", Language.EN: "free ({setting})"},
    # The settings a score or a price was taken under, one part of a setting each ("32k
    # thinking, parallel attempts"); `setting_words` reads the parts. Terms of the trade (5-shot,
    # maj@32, fp8) stay as they are in both languages.
    "setting.thinking": {Language.RU: "с размышлениями", Language.EN: "thinking"},
    "setting.thinking_tokens": {
        Language.RU: "{size} токенов размышлений",
        Language.EN: "{size} thinking",
    },
    "setting.extended_thinking": {
        Language.RU: "расширенные размышления",
        Language.EN: "extended thinking",
    },
    "setting.effort.high": {Language.RU: "высокое усилие", Language.EN: "high effort"},
    "setting.effort.medium": {Language.RU: "среднее усилие", Language.EN: "medium effort"},
    "setting.effort.low": {Language.RU: "низкое усилие", Language.EN: "low effort"},
    "setting.parallel_attempts": {
        Language.RU: "параллельные попытки",
        Language.EN: "parallel attempts",
    },
    "setting.scaffolding": {Language.RU: "особая обвязка", Language.EN: "scaffolding"},
    "setting.extended_context": {
        Language.RU: "расширенный контекст",
        Language.EN: "extended context",
    },
    "setting.prompts_over": {
        Language.RU: "запросы длиннее {size} токенов",
        Language.EN: "prompts over {size} tokens",
    },
    "setting.prompt_addendum": {
        Language.RU: "дополнение к промпту",
        Language.EN: "prompt addendum",
    },
    "setting.edit_format": {
        Language.RU: "формат правок {name}",
        Language.EN: "{name} edit format",
    },
    "setting.grader": {Language.RU: "оценщик {name}", Language.EN: "{name} grader"},
    "setting.endpoint": {Language.RU: "эндпоинт", Language.EN: "endpoint"},
    "setting.free_endpoint": {Language.RU: "бесплатный эндпоинт", Language.EN: "free endpoint"},
    "setting.experimental_endpoint": {
        Language.RU: "экспериментальный эндпоинт",
        Language.EN: "experimental endpoint",
    },
    "setting.free_experimental_endpoint": {
        Language.RU: "бесплатный экспериментальный эндпоинт",
        Language.EN: "free experimental endpoint",
    },
    "setting.beta_endpoint": {Language.RU: "бета-эндпоинт", Language.EN: "beta endpoint"},
    "compare.from_source": {Language.RU: "{value} [{source}]", Language.EN: "{value} [{source}]"},
    "compare.cross_source": {
        Language.RU: "разные источники, не сравниваем",
        Language.EN: "different sources, not compared",
    },
    # A row where a score is near the benchmark's chance level (a four-choice test's 25%): its
    # values are shown, their difference is not read as a lead.
    "compare.near_chance": {
        Language.RU: "близко к случайному уровню {chance}, не сравниваем",
        Language.EN: "near the {chance} chance level, not compared",
    },
    "compare.near_chance_rows": {
        Language.RU: "Не в счёт, близко к случайному уровню: {items}.",
        Language.EN: "Not counted, near chance level: {items}.",
    },
    "compare.near_chance_item": {
        Language.RU: "{metric} ({chance})",
        Language.EN: "{metric} ({chance})",
    },
    # A difference within the benchmark's margin of error (95%): no one leads on the row.
    "compare.within_noise": {
        Language.RU: "в пределах погрешности ±{margin}",
        Language.EN: "within the ±{margin} margin of error",
    },
    # A lead beyond the benchmark's margin of error: said with the margin it is clear of.
    "compare.beyond_noise": {
        Language.RU: "больше погрешности ±{margin}",
        Language.EN: "beyond the ±{margin} margin of error",
    },
    # A benchmark of unknown size (or an index's points): its difference cannot be judged.
    "compare.unknown_margin": {
        Language.RU: "погрешность неизвестна",
        Language.EN: "margin of error unknown",
    },
    "compare.unknown_margin_rows": {
        Language.RU: "Не в счёт, погрешность неизвестна: {items}.",
        Language.EN: "Not counted, margin of error unknown: {items}.",
    },
    "compare.and_more": {
        Language.RU: "{items} и ещё {count}",
        Language.EN: "{items} and {count} more",
    },
    "compare.mixed_settings": {
        Language.RU: "разные настройки, не сравниваем",
        Language.EN: "different settings, not compared",
    },
    "compare.disagree": {
        Language.RU: "источники расходятся: {items}",
        Language.EN: "sources disagree: {items}",
    },
    "compare.disagree_item": {
        Language.RU: "{source} — {value} у {model}",
        Language.EN: "{value} for {model} in {source}",
    },
    # A release date an import gave that is before the release of the model it is built on
    # (models.dev's 26 June 2024 for o3 Deep Research, before o3's 16 April 2025): not shown, named.
    "compare.release_set_aside_item": {
        Language.RU: "{source} — {date} у {model}, раньше {base} ({base_date})",
        Language.EN: "{date} for {model} in {source}, before {base} ({base_date})",
    },
    # A release date an import gave that is over a month before the model's first dated
    # snapshot (models.dev's 20 December 2024 for o3-mini, shipped as o3-mini-2025-01-31).
    "compare.release_announced_item": {
        Language.RU: "{source} — {date} у {model}, больше чем за месяц до первой датированной "
        "версии: видимо, анонс или превью",
        Language.EN: "{date} for {model} in {source}, over a month before its first dated "
        "snapshot: likely an announcement or a preview",
    },
    "compare.release_set_aside": {
        Language.RU: "дата отброшена как невозможная: {items}",
        Language.EN: "date set aside as impossible: {items}",
    },
    "compare.same_price": {Language.RU: "цена та же", Language.EN: "same price"},
    "compare.price_cheaper": {Language.RU: "в {times} дешевле", Language.EN: "{times} cheaper"},
    "compare.price_dearer": {Language.RU: "в {times} дороже", Language.EN: "{times} dearer"},
    "compare.gain_same_price": {
        Language.RU: "{model}: {delta} п. на {metric} при той же цене входа.",
        Language.EN: "{model}: {delta} points on {metric} at the same input price.",
    },
    "compare.gain_cheaper": {
        Language.RU: "{model}: {delta} п. на {metric} при цене входа в {times} ниже.",
        Language.EN: "{model}: {delta} points on {metric} at a {times} lower input price.",
    },
    "compare.leads_ties": {
        Language.RU: "{model} впереди на {count} из {total} общих бенчмарков ({ties}).",
        Language.EN: "{model} leads on {count} of {total} shared benchmarks ({ties}).",
    },
    "compare.ties": {Language.RU: "ничья|ничьи|ничьих", Language.EN: "tie|ties"},
    "compare.split_ties": {
        Language.RU: "По {total} общим бенчмаркам: {parts}, {ties}.",
        Language.EN: "Across {total} shared benchmarks: {parts}, {ties}.",
    },
    "compare.same_prices": {
        Language.RU: "Цены одинаковы: вход и выход у {model} и {other} стоят одно и то же.",
        Language.EN: "Same price: {model} and {other} cost the same on input and output.",
    },
    "compare.cheaper_in_only": {
        Language.RU: "{model} дешевле {other} на входе в {input}; выход — та же цена.",
        Language.EN: "{model} is {input} cheaper than {other} on input; output is the same price.",
    },
    "compare.not_compared": {
        Language.RU: "Не сравниваем (разные источники или настройки): {items}.",
        Language.EN: "Not compared (different sources or settings): {items}.",
    },
    "compare.nothing": {
        Language.RU: "О {models} в собранных данных нет ни одной цифры.",
        Language.EN: "The collected data holds no figure for {models}.",
    },
}

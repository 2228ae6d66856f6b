"""The digest's words: its title, lead, thesis and lines, the nouns it counts, and the notices
about sources and channels that go out beside it."""

from __future__ import annotations

from aiprogress.core.types import Language

DIGEST: dict[str, dict[Language, str]] = {
    "digest.title": {
        Language.RU: "Прогресс ИИ: {period} по {end}",
        Language.EN: "AI progress: {period} to {end}",
    },
    "digest.period.day": {Language.RU: "день", Language.EN: "the day"},
    "digest.period.week": {Language.RU: "неделя", Language.EN: "the week"},
    "digest.period.month": {Language.RU: "30 дней", Language.EN: "30 days"},
    "digest.lead": {
        Language.RU: "{items} из {sources}. Что вышло:",
        Language.EN: "{items} from {sources}. What came out:",
    },
    # Plural forms: Russian one|few|many, English one|other.
    "noun.item": {Language.RU: "публикация|публикации|публикаций", Language.EN: "item|items"},
    "noun.source.genitive": {
        Language.RU: "источника|источников|источников",
        Language.EN: "source|sources",
    },
    "digest.empty": {
        Language.RU: "За этот период новых публикаций нет.",
        Language.EN: "Nothing new was published in this period.",
    },
    "digest.sources": {Language.RU: "Источники:", Language.EN: "Sources:"},
    # The title: {window} is the span `window_span` names ("5–6 March 2030", or with times).
    "digest.question": {
        Language.RU: "Куда движется ИИ: {window}?",
        Language.EN: "Where is AI heading: {window}?",
    },
    # The title as the seed post's ("Куда движется прогресс ИИ? О провале GPT-4.5?"): a question
    # naming the main story and, where the facts hold one, its tension: the lead model's
    # benchmark change against the one before it, its input price against that one's. {delta}
    # is signed with its unit ("+19,5 п.п."), {price} a weighing's price phrase with its space,
    # {dated} the month of prices listed after the story's day (" (цены на май 2025)").
    "digest.headline.gain": {
        Language.RU: "Куда движется ИИ? {model}: {delta} на {metric} против {other}{price}?",
        Language.EN: "Where is AI heading? {model}: {delta} on {metric} against {other}{price}?",
    },
    "digest.headline.par": {
        Language.RU: "Куда движется ИИ? {model} вровень с {other} на {metric}{price}?",
        Language.EN: "Where is AI heading? {model} on par with {other} on {metric}{price}?",
    },
    "digest.headline.price.dearer": {
        Language.RU: "Куда движется ИИ? {model}: цена входа в {times} выше, чем у {other}{dated}?",
        Language.EN: "Where is AI heading? {model} at {times} the input price of {other}{dated}?",
    },
    "digest.headline.price.cheaper": {
        Language.RU: "Куда движется ИИ? {model}: цена входа в {times} ниже, чем у {other}{dated}?",
        Language.EN: "Where is AI heading? {model} at a {times} lower input price than "
        "{other}{dated}?",
    },
    "digest.headline.price.same": {
        Language.RU: "Куда движется ИИ? {model} по цене входа {other}{dated}?",
        Language.EN: "Where is AI heading? {model} at the input price of {other}{dated}?",
    },
    "digest.headline.launch": {
        Language.RU: "Куда движется ИИ? О выходе {model}?",
        Language.EN: "Where is AI heading? On the release of {model}?",
    },
    "digest.headline.story": {
        Language.RU: "Куда движется ИИ? О «{title}»?",
        Language.EN: "Where is AI heading? On “{title}”?",
    },
    "digest.window.same_month": {
        Language.RU: "{first}–{last} {month} {year}",
        Language.EN: "{first}–{last} {month} {year}",
    },
    "digest.window.days": {Language.RU: "{first} – {last}", Language.EN: "{first} – {last}"},
    "digest.window.moment": {Language.RU: "{date}, {time}", Language.EN: "{date}, {time}"},
    # UTC; Russian says it in its own words ("по Гринвичу"), as the rest of its text.
    "digest.window.moments": {
        Language.RU: "{start} – {end} по Гринвичу",
        Language.EN: "{start} – {end} UTC",
    },
    "digest.thesis.covered": {
        Language.RU: "Главная история — «{title}»: о ней написали {outlets} ({names}).",
        Language.EN: "The main story is “{title}”: {outlets} reported it ({names}).",
    },
    "digest.thesis.single": {
        Language.RU: "Главная история — «{title}» ({source}).",
        Language.EN: "The main story is “{title}” ({source}).",
    },
    # The digest's stories, not the period's: a digest tells at most its limit of stories (and
    # of each source), and "in all" read as everything the period held (5 of a day's 22 papers).
    # The title names the main story, so the period is said here.
    "digest.thesis.total": {
        Language.RU: "В этом выпуске ({window}): {stories} из {sources}.",
        Language.EN: "In this digest ({window}): {stories} from {sources}.",
    },
    "noun.story": {Language.RU: "история|истории|историй", Language.EN: "story|stories"},
    "noun.outlet": {Language.RU: "источник|источника|источников", Language.EN: "outlet|outlets"},
    "digest.model_line": {
        Language.RU: "{model} против {other}: {metric} {value} против {other_value} ({delta}).",
        Language.EN: "{model} against {other}: {metric} {value} versus {other_value} ({delta}).",
    },
    "digest.weighing": {
        Language.RU: "{model} против {other}: {gain} {price} ({prices}). Данные: {sources}.",
        Language.EN: "{model} against {other}: {gain} {price} ({prices}). Data: {sources}.",
    },
    "digest.weighing.no_price": {
        Language.RU: "{model} против {other}: {gain}; цен для сравнения нет. Данные: {sources}.",
        Language.EN: "{model} against {other}: {gain}; no prices to weigh it against. "
        "Data: {sources}.",
    },
    "digest.weighing.no_benchmark": {
        Language.RU: "{model} против {other}: общих бенчмарков нет, цена входа {change} "
        "({prices}). Данные: {sources}.",
        Language.EN: "{model} against {other}: no benchmark both have; the input price is "
        "{change} ({prices}). Data: {sources}.",
    },
    "digest.weigh.gain": {
        Language.RU: "{delta} на {metric} ({value} против {other_value})",
        Language.EN: "{delta} on {metric} ({value} versus {other_value})",
    },
    "digest.weigh.par": {
        Language.RU: "вровень на {metric} ({value} против {other_value}, разница {delta} "
        "в пределах погрешности ±{margin})",
        Language.EN: "on par on {metric} ({value} versus {other_value}, {delta} within the "
        "±{margin} margin of error)",
    },
    "digest.weigh.points": {Language.RU: "п.п.", Language.EN: "points"},
    "digest.weigh.price.dearer": {
        Language.RU: "при цене входа в {times} выше",
        Language.EN: "for {times} the input price",
    },
    "digest.weigh.price.cheaper": {
        Language.RU: "при цене входа в {times} ниже",
        Language.EN: "at a {times} lower input price",
    },
    "digest.weigh.price.same": {
        Language.RU: "при той же цене входа",
        Language.EN: "at the same input price",
    },
    "digest.weigh.change.dearer": {Language.RU: "в {times} выше", Language.EN: "{times} higher"},
    "digest.weigh.change.cheaper": {Language.RU: "в {times} ниже", Language.EN: "{times} lower"},
    "digest.weigh.change.same": {Language.RU: "та же", Language.EN: "the same"},
    "digest.weigh.prices": {
        Language.RU: "{price} против {other_price} за 1 млн токенов",
        Language.EN: "{price} versus {other_price} per 1M tokens",
    },
    # Prices from a snapshot later than the story's day (none that old has them): its month.
    "digest.weigh.prices.dated": {
        Language.RU: "{price} против {other_price} за 1 млн токенов, цены на {month}",
        Language.EN: "{price} versus {other_price} per 1M tokens, prices of {month}",
    },
    # Both models at one price: said once ("at the same input price ($3 per 1M tokens)").
    "digest.weigh.prices.one": {
        Language.RU: "{price} за 1 млн токенов",
        Language.EN: "{price} per 1M tokens",
    },
    "digest.weigh.prices.one.dated": {
        Language.RU: "{price} за 1 млн токенов, цены на {month}",
        Language.EN: "{price} per 1M tokens, prices of {month}",
    },
    "digest.month": {
        Language.RU: "январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь"
        "|декабрь",
        Language.EN: "January|February|March|April|May|June|July|August|September|October"
        "|November|December",
    },
    "digest.conclusion.competition.levelling": {
        Language.RU: "Выравнивание конкуренции",
        Language.EN: "Competition is levelling",
    },
    "digest.conclusion.competition.widening": {
        Language.RU: "Отрыв лидера растёт",
        Language.EN: "The leader pulls away",
    },
    "digest.conclusion.competition.steady": {
        Language.RU: "Конкуренция без перемен",
        Language.EN: "Competition holds steady",
    },
    "digest.conclusion.competition": {
        Language.RU: "На {metric} разрыв между лидерами разных компаний — {spread_now} "
        "({leader_now} {leader_now_value} против {runner_now} {runner_now_value}); кварталом "
        "раньше, на {before}, он был {spread_before} ({leader_before} {leader_before_value} "
        "против {runner_before} {runner_before_value}). Данные: {sources}.",
        Language.EN: "On {metric} the gap between the leading vendors is {spread_now} "
        "({leader_now} {leader_now_value} versus {runner_now} {runner_now_value}); a quarter "
        "earlier, on {before}, it was {spread_before} ({leader_before} {leader_before_value} "
        "versus {runner_before} {runner_before_value}). Data: {sources}.",
    },
    "digest.conclusion.cadence.faster": {
        Language.RU: "Скорость выпусков растёт",
        Language.EN: "Releases are speeding up",
    },
    "digest.conclusion.cadence.slower": {
        Language.RU: "Выпусков стало меньше",
        Language.EN: "Releases are slowing down",
    },
    "digest.conclusion.cadence.steady": {
        Language.RU: "Ровный темп выпусков",
        Language.EN: "A steady pace of releases",
    },
    "digest.conclusion.cadence": {
        Language.RU: "Новых моделей ведущих компаний за период: {now}, за предыдущий период "
        "такой же длины: {before}.{named} Данные: {sources}.",
        Language.EN: "New models from the tracked vendors this period: {now}; in the period of "
        "the same length before it: {before}.{named} Data: {sources}.",
    },
    "digest.conclusion.cadence.named": {
        Language.RU: " Среди них: {models}.",
        Language.EN: " Among them: {models}.",
    },
    "digest.conclusion.price_of_capability.lead": {
        Language.RU: "Способности дешевеют",
        Language.EN: "Capability gets cheaper",
    },
    "digest.conclusion.price_of_capability": {
        Language.RU: "Самая дешёвая модель с результатом не ниже {threshold} на {metric} — "
        "{cheapest_now} ({score_now}) за {price_now} за 1 млн входных токенов; кварталом "
        "раньше, на {before}, это была {cheapest_before} ({score_before}) за {price_before}, "
        "в {ratio} дороже. Данные: {sources}.",
        Language.EN: "The cheapest model scoring at least {threshold} on {metric} is "
        "{cheapest_now} ({score_now}) at {price_now} per 1M input tokens; a quarter earlier, on "
        "{before}, it was {cheapest_before} ({score_before}) at {price_before}, {ratio} as "
        "much. Data: {sources}.",
    },
    "digest.conclusion.returns_on_price.lead": {
        Language.RU: "Отдача от цены",
        Language.EN: "Returns on price",
    },
    "digest.conclusion.returns_on_price": {
        Language.RU: "{model} против {other}: {delta} на {metric} {price}",
        Language.EN: "{model} against {other}: {delta} on {metric} {price}",
    },
    "digest.conclusion.returns_on_price.dated": {
        Language.RU: " (цены на {month})",
        Language.EN: " (prices of {month})",
    },
    "digest.conclusion.returns_on_price.per_doubling": {
        Language.RU: ", то есть {per_doubling} на каждое удвоение цены",
        Language.EN: ", that is {per_doubling} per doubling of the price",
    },
    "digest.conclusion.returns_on_price.sources": {
        Language.RU: "Данные: {sources}.",
        Language.EN: "Data: {sources}.",
    },
    "digest.what_we_see": {Language.RU: "Что мы видим?", Language.EN: "What we see"},
    "digest.takeaway.tier.official": {
        Language.RU: "Официальные анонсы",
        Language.EN: "Official announcements",
    },
    "digest.takeaway.tier.paper": {Language.RU: "Статьи", Language.EN: "Papers"},
    "digest.takeaway.tier.press": {Language.RU: "Пресса", Language.EN: "Press"},
    "digest.takeaway.tier.community": {Language.RU: "Сообщество", Language.EN: "Community"},
    "digest.takeaway.tier": {
        Language.RU: "{stories} во главе с «{title}».",
        Language.EN: "{stories}, led by “{title}”.",
    },
    "digest.takeaway.coverage": {Language.RU: "Широкий охват", Language.EN: "Wide coverage"},
    "digest.takeaway.coverage.text": {
        Language.RU: "«{title}» — {outlets}.",
        Language.EN: "“{title}” — {outlets}.",
    },
    "digest.signoff": {Language.RU: "Слежу за прогрессом", Language.EN: "Following the progress"},
    "digest.more": {Language.RU: "Ещё за период:", Language.EN: "Also in this period:"},
    # An owner's private notice; {reason} is worded by source_error ("disabled after …").
    "notice.source_disabled": {
        Language.RU: "Источник #{id} «{name}» {reason}.",
        Language.EN: "Source #{id} “{name}” {reason}.",
    },
    "channel.deactivated": {
        Language.RU: "Доставка в {channel} остановлена: {reason}. Добавьте бота снова и "
        "включите подписку командой /subscribe.",
        Language.EN: "Delivery to {channel} is stopped: {reason}. Add the bot back and turn "
        "the subscription on again with /subscribe.",
    },
}

"""The one catalogue of what readers see, in Russian and English.

Handlers and writers ask for a message by key; nothing user-facing is written inline elsewhere.
A test checks that every key has both languages and the same placeholders in each.
"""

from __future__ import annotations

import re
from datetime import date

from aiprogress.core.types import Language, Period

CATALOGUE: dict[str, dict[Language, str]] = {
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
    "digest.question": {
        Language.RU: "Куда движется ИИ: {period} по {end}?",
        Language.EN: "Where is AI heading: {period} to {end}?",
    },
    "digest.thesis.covered": {
        Language.RU: "Главная история — «{title}»: о ней написали {outlets} ({names}).",
        Language.EN: "The main story is “{title}”: {outlets} reported it ({names}).",
    },
    "digest.thesis.single": {
        Language.RU: "Главная история — «{title}» ({source}).",
        Language.EN: "The main story is “{title}” ({source}).",
    },
    "digest.thesis.total": {
        Language.RU: "Всего за период: {stories} из {sources}.",
        Language.EN: "In all: {stories} from {sources}.",
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
    # --- chat commands ---
    "bot.start": {
        Language.RU: "Привет. Я слежу за прогрессом ИИ: собираю релизы моделей, статьи, цены и "
        "результаты бенчмарков и пишу по ним дайджесты, где каждая цифра со ссылкой на источник."
        "\n\n/digest — дайджест за день или неделю\n/compare gpt-4.5 gpt-4o — сравнить модели"
        "\n/subscribe — получать дайджест сюда\n/help — все команды",
        Language.EN: "Hi. I follow AI progress: model releases, papers, prices and benchmark "
        "results, written up as digests where every figure links to its source.\n\n"
        "/digest — the digest of the day or week\n/compare gpt-4.5 gpt-4o — compare models\n"
        "/subscribe — get the digest here\n/help — every command",
    },
    # /help and the command menus are generated from bot/command_registry.py: each command's
    # description (`command.NAME`) and, for one that takes them, its arguments
    # (`command.NAME.args`).
    "bot.help.admins": {
        Language.RU: "Для админов: {commands}",
        Language.EN: "For admins: {commands}",
    },
    "command.start": {Language.RU: "что умеет бот", Language.EN: "what the bot does"},
    "command.help": {Language.RU: "все команды", Language.EN: "every command"},
    "command.digest": {Language.RU: "дайджест", Language.EN: "the digest"},
    "command.digest.args": {Language.RU: "[day|week]", Language.EN: "[day|week]"},
    "command.compare": {
        Language.RU: "сравнить модели: текст и график (A vs B, если в названиях пробелы)",
        Language.EN: "compare models: text and chart (A vs B when names have spaces)",
    },
    "command.compare.args": {Language.RU: "A B", Language.EN: "A B"},
    "command.models": {Language.RU: "найти модель", Language.EN: "find a model"},
    "command.models.args": {Language.RU: "ЗАПРОС", Language.EN: "QUERY"},
    "command.lang": {Language.RU: "язык", Language.EN: "language"},
    "command.lang.args": {Language.RU: "ru|en", Language.EN: "ru|en"},
    "command.subscribe": {
        Language.RU: "получать дайджест сюда",
        Language.EN: "get the digest here",
    },
    "command.subscribe.args": {
        Language.RU: "[daily|weekly] [ЧЧ:ММ] [часовой пояс]",
        Language.EN: "[daily|weekly] [HH:MM] [time zone]",
    },
    "command.unsubscribe": {Language.RU: "отписаться", Language.EN: "stop"},
    "command.sources": {Language.RU: "источники", Language.EN: "the sources"},
    "command.source_add": {Language.RU: "добавить источник", Language.EN: "add a source"},
    "command.source_add.args": {Language.RU: "URL", Language.EN: "URL"},
    "command.source_remove": {Language.RU: "удалить источник", Language.EN: "remove a source"},
    "command.source_remove.args": {Language.RU: "ID", Language.EN: "ID"},
    "command.source_pause": {
        Language.RU: "приостановить источник",
        Language.EN: "pause a source",
    },
    "command.source_pause.args": {Language.RU: "ID", Language.EN: "ID"},
    "command.source_resume": {
        Language.RU: "снова собирать источник",
        Language.EN: "resume a source",
    },
    "command.source_resume.args": {Language.RU: "ID", Language.EN: "ID"},
    "command.failing": {
        Language.RU: "источники с ошибками",
        Language.EN: "sources that fail",
    },
    "command.filters": {Language.RU: "фильтры чата", Language.EN: "this chat's filters"},
    # Discord's /filters add and /filters clear (its /filters show is `command.filters`).
    "command.filters.add": {
        Language.RU: "добавить фильтр этого канала",
        Language.EN: "add a filter to this channel",
    },
    "command.filters.clear": {
        Language.RU: "убрать фильтры этого канала",
        Language.EN: "remove this channel's filters",
    },
    "command.channel_add": {Language.RU: "подключить канал", Language.EN: "add a channel"},
    "command.channel_add.args": {Language.RU: "@канал", Language.EN: "@channel"},
    # Discord's groups of subcommands (bot/command_registry.py places commands in them).
    "discord.group.sources": {Language.RU: "источники", Language.EN: "curate the sources"},
    "discord.group.filters": {
        Language.RU: "фильтры этого канала",
        Language.EN: "this channel's filters",
    },
    "bot.error": {
        Language.RU: "Не получилось: {detail}",
        Language.EN: "That did not work: {detail}",
    },
    "bot.model.not_found": {
        Language.RU: "Не знаю модель «{query}».",
        Language.EN: "I don't know the model “{query}”.",
    },
    "bot.model.not_found.closest": {
        Language.RU: "Не знаю модель «{query}». Похожие: {candidates}.",
        Language.EN: "I don't know the model “{query}”. Closest: {candidates}.",
    },
    "bot.model.ambiguous": {
        Language.RU: "«{query}» подходит к нескольким моделям: {candidates}. Уточните, к какой.",
        Language.EN: "“{query}” matches several models: {candidates}. Say which one.",
    },
    "bot.source.not_found": {
        Language.RU: "Источника #{source_id} нет.",
        Language.EN: "There is no source #{source_id}.",
    },
    "bot.source.duplicate": {
        Language.RU: "Этот адрес уже есть: источник #{source_id}, {url}.",
        Language.EN: "Source #{source_id} already has this URL: {url}.",
    },
    "bot.source.duplicate.unknown": {
        Language.RU: "Источник с адресом {url} уже есть.",
        Language.EN: "A source with the URL {url} already exists.",
    },
    "bot.url.empty": {
        Language.RU: "Нужен адрес ленты.",
        Language.EN: "The URL is empty.",
    },
    "bot.url.whitespace": {
        Language.RU: "Это не адрес: в нём пробелы ({subject}).",
        Language.EN: "That is not a URL: it has spaces in it ({subject}).",
    },
    "bot.url.invalid": {
        Language.RU: "Это не адрес: {subject}.",
        Language.EN: "That is not a valid URL: {subject}.",
    },
    "bot.url.scheme": {
        Language.RU: "Источником может быть только адрес http или https, а не {subject}.",
        Language.EN: "Only http and https URLs can be sources, not {subject}.",
    },
    "bot.url.no_host": {
        Language.RU: "В адресе нет сервера: {subject}.",
        Language.EN: "The URL has no host: {subject}.",
    },
    "bot.url.credentials": {
        Language.RU: "Адреса с логином или паролем источниками не бывают.",
        Language.EN: "URLs with a user name or password are not accepted as sources.",
    },
    "bot.url.local": {
        Language.RU: "{subject} — локальный или частный адрес; такие разрешает "
        "AIPROGRESS_ALLOW_PRIVATE_URLS=true.",
        Language.EN: "{subject} is a local or private address; "
        "AIPROGRESS_ALLOW_PRIVATE_URLS=true allows such addresses.",
    },
    "bot.input.period": {
        Language.RU: "Подписка бывает ежедневной (daily) или еженедельной (weekly).",
        Language.EN: "A subscription is daily or weekly.",
    },
    "bot.input.send_at": {
        Language.RU: "«{value}» — не время суток; нужно вроде 09:00.",
        Language.EN: "“{value}” is not a time of day such as 09:00.",
    },
    "bot.input.timezone": {
        Language.RU: "«{value}» — не часовой пояс; нужно вроде Europe/Moscow.",
        Language.EN: "“{value}” is not a time zone such as Europe/Moscow.",
    },
    "bot.input.same_model": {
        Language.RU: "«{name}» и ещё одно название означают одну модель: {model}.",
        Language.EN: "“{name}” and another name both mean {model}.",
    },
    "bot.input.empty_filter": {
        Language.RU: "Пустой фильтр пропускает всё: его можно просто не задавать.",
        Language.EN: "An empty filter matches everything; leave it out instead.",
    },
    "bot.input.long_pattern": {
        Language.RU: "Шаблон фильтра длиннее {limit} символов.",
        Language.EN: "The filter pattern is over {limit} characters.",
    },
    "bot.input.bad_pattern": {
        Language.RU: "Шаблон «{pattern}» не подходит: {detail}.",
        Language.EN: "The pattern “{pattern}” is not usable: {detail}.",
    },
    "bot.input.nothing_to_edit": {
        Language.RU: "Нечего менять: укажите название, уровень доверия или интервал.",
        Language.EN: "Nothing to change: give a name, a tier or an interval.",
    },
    "bot.input.interval": {
        Language.RU: "Интервал опроса — не меньше {minimum} секунд.",
        Language.EN: "A polling interval is at least {minimum} seconds.",
    },
    "bot.failed": {
        Language.RU: "Не получилось из-за сбоя на нашей стороне. Попробуйте чуть позже.",
        Language.EN: "That failed on our side. Please try again a little later.",
    },
    "bot.unknown": {
        Language.RU: "Не знаю такой команды. /help — список команд.",
        Language.EN: "I do not know that command. /help lists them.",
    },
    "bot.not_admin": {
        Language.RU: "Это могут делать только администраторы. Ничего не изменено.",
        Language.EN: "Only admins can do that. Nothing was changed.",
    },
    "bot.usage": {Language.RU: "Как писать: {usage}", Language.EN: "Usage: {usage}"},
    "bot.lang.name.ru": {Language.RU: "русский", Language.EN: "Russian"},
    "bot.lang.name.en": {Language.RU: "английский", Language.EN: "English"},
    "bot.lang.set": {Language.RU: "Язык: русский.", Language.EN: "Language: English."},
    "bot.subscribed": {
        Language.RU: "Подписка оформлена: {period}, в {time} ({zone}).",
        Language.EN: "Subscribed: {period}, at {time} ({zone}).",
    },
    "bot.period.day": {Language.RU: "каждый день", Language.EN: "daily"},
    "bot.period.week": {Language.RU: "раз в неделю", Language.EN: "weekly"},
    "bot.unsubscribed": {
        Language.RU: "Подписка отключена.",
        Language.EN: "Unsubscribed.",
    },
    "bot.models.none": {
        Language.RU: "Ничего не нашлось по «{query}».",
        Language.EN: "Nothing found for “{query}”.",
    },
    "bot.sources.none": {Language.RU: "Источников нет.", Language.EN: "No sources."},
    "bot.sources.failing.none": {
        Language.RU: "Все источники работают.",
        Language.EN: "Every source works.",
    },
    "bot.source.added": {
        Language.RU: "Добавлен источник #{id} «{name}»: {url}",
        Language.EN: "Added source #{id} “{name}”: {url}",
    },
    "bot.source.found": {
        Language.RU: "Нашёл ленту {feed} на странице {url}.",
        Language.EN: "Found the feed {feed} on {url}.",
    },
    "bot.source.choose": {
        Language.RU: "На {url} несколько лент; ничего не добавлено. Добавьте нужную по её "
        "адресу:\n{feeds}",
        Language.EN: "{url} links several feeds; nothing was added. Add the one you want by "
        "its URL:\n{feeds}",
    },
    "bot.source.unreachable": {
        Language.RU: "Не удалось получить {url}: {detail}. Ничего не добавлено.",
        Language.EN: "Could not fetch {url}: {detail}. Nothing was added.",
    },
    "bot.source.not_feed": {
        Language.RU: "{url} — не лента (RSS, Atom или JSON Feed) и не веб-страница: {detail}. "
        "Ничего не добавлено.",
        Language.EN: "{url} is not a feed (RSS, Atom or JSON Feed) nor a web page: {detail}. "
        "Nothing was added.",
    },
    "bot.source.no_feeds": {
        Language.RU: "{url} — веб-страница без ссылок на ленты. Ничего не добавлено; нужен "
        "адрес самой ленты.",
        Language.EN: "{url} is a web page that links no feed. Nothing was added; give the "
        "feed's own URL.",
    },
    "bot.source.linked_feed": {
        Language.RU: "{url} ссылается на ленту {feed}, но её не получилось добавить: {detail}.",
        Language.EN: "{url} links the feed {feed}, but it cannot be added: {detail}.",
    },
    "bot.source.remove.confirm": {
        Language.RU: "Удалить источник #{id} «{name}» ({url}) вместе с собранными из него "
        "публикациями?",
        Language.EN: "Remove source #{id} “{name}” ({url}) and the items collected from it?",
    },
    "bot.source.remove.cancelled": {
        Language.RU: "Источник #{id} остаётся.",
        Language.EN: "Source #{id} stays.",
    },
    "bot.button.remove": {Language.RU: "Удалить", Language.EN: "Remove"},
    "bot.button.cancel": {Language.RU: "Отмена", Language.EN: "Cancel"},
    "bot.source.removed": {
        Language.RU: "Источник #{id} удалён.",
        Language.EN: "Source #{id} removed.",
    },
    "bot.source.paused": {
        Language.RU: "Источник #{id} на паузе.",
        Language.EN: "Source #{id} paused.",
    },
    "bot.source.resumed": {
        Language.RU: "Источник #{id} снова собирается.",
        Language.EN: "Source #{id} resumed.",
    },
    "bot.filters.show": {
        Language.RU: "Фильтры этого чата:\nвключать: {include}\nисключать: {exclude}\n"
        "включать (RE2): {include_re}\nисключать (RE2): {exclude_re}",
        Language.EN: "This chat's filters:\ninclude: {include}\nexclude: {exclude}\n"
        "include (RE2): {include_re}\nexclude (RE2): {exclude_re}",
    },
    "bot.filters.none": {Language.RU: "—", Language.EN: "—"},
    "bot.channel.added": {
        Language.RU: "Канал {channel} подключён: дайджест {period}, язык — {language}.",
        Language.EN: "Channel {channel} added: the digest {period}, in {language}.",
    },
    "bot.channel.not_admin": {
        Language.RU: "Подключить {channel} может только его администратор, а бот должен быть в "
        "нём администратором.",
        Language.EN: "Only an admin of {channel} can add it, and the bot must be an admin there.",
    },
    # --- a source's stored error, as /sources and /failing show it (see source_error) ---
    "source.error.http": {
        Language.RU: "сервер ответил HTTP {status}",
        Language.EN: "the server answered HTTP {status}",
    },
    "source.error.http.not_found": {
        Language.RU: "ленты по этому адресу нет (HTTP {status})",
        Language.EN: "no feed at this address (HTTP {status})",
    },
    "source.error.http.denied": {
        Language.RU: "сервер не пускает (HTTP {status})",
        Language.EN: "the server refuses access (HTTP {status})",
    },
    "source.error.http.busy": {
        Language.RU: "сервер просит приходить реже (HTTP {status})",
        Language.EN: "the server asks us to come back later (HTTP {status})",
    },
    "source.error.http.server": {
        Language.RU: "сбой на сервере источника (HTTP {status})",
        Language.EN: "the source's server failed (HTTP {status})",
    },
    "source.error.timeout": {
        Language.RU: "сервер не ответил вовремя",
        Language.EN: "the server did not answer in time",
    },
    "source.error.connect": {
        Language.RU: "не удалось подключиться к {address}",
        Language.EN: "could not connect to {address}",
    },
    "source.error.private": {
        Language.RU: "адрес ведёт в локальную или частную сеть; такие разрешает "
        "AIPROGRESS_ALLOW_PRIVATE_URLS=true",
        Language.EN: "the address leads to a local or private network; "
        "AIPROGRESS_ALLOW_PRIVATE_URLS=true allows such addresses",
    },
    "source.error.redirect": {
        Language.RU: "перенаправления по кругу или в никуда",
        Language.EN: "redirects that go nowhere usable",
    },
    "source.error.too_large": {
        Language.RU: "ответ больше допустимого размера",
        Language.EN: "the response is over the size limit",
    },
    "source.error.broken": {
        Language.RU: "ответ оборвался на середине",
        Language.EN: "the response broke off",
    },
    "source.error.html_page": {
        Language.RU: "по адресу HTML-страница, а не лента",
        Language.EN: "the address is an HTML page, not a feed",
    },
    "source.error.not_feed": {
        Language.RU: "по адресу не лента RSS, Atom или JSON",
        Language.EN: "the address is not an RSS, Atom or JSON feed",
    },
    "source.error.malformed": {
        Language.RU: "лента повреждена и не читается",
        Language.EN: "the feed is malformed and cannot be read",
    },
    "source.error.refused": {
        Language.RU: "лента отклонена: {detail}",
        Language.EN: "the feed was refused: {detail}",
    },
    "source.error.internal": {
        Language.RU: "сбой на нашей стороне",
        Language.EN: "a failure on our side",
    },
    "source.error.other": {Language.RU: "ошибка: {detail}", Language.EN: "error: {detail}"},
    "source.error.disabled": {
        Language.RU: "отключён после {failures} ошибок подряд; последняя: {last}",
        Language.EN: "disabled after {failures} failures in a row; last: {last}",
    },
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
    "compare.unit.tokens": {Language.RU: "токенов", Language.EN: "tokens"},
    "compare.unit.speed": {Language.RU: "токенов/с", Language.EN: "tokens/s"},
    "compare.released": {Language.RU: "Выпуск", Language.EN: "Released"},
    "chart.legend": {
        Language.RU: "{model} (выпуск {date})",
        Language.EN: "{model} (released {date})",
    },
    # A release date of the dated snapshot a model's values come from.
    "compare.snapshot": {
        Language.RU: "{date}, версия {snapshot}",
        Language.EN: "{date}, snapshot {snapshot}",
    },
    "compare.later": {Language.RU: "на {days} дн. позже", Language.EN: "{days} days later"},
    "compare.earlier": {Language.RU: "на {days} дн. раньше", Language.EN: "{days} days earlier"},
    "compare.same_day": {Language.RU: "в один день", Language.EN: "the same day"},
    "compare.more": {
        Language.RU: "… и ещё бенчмарков: {count} (все — в --json)",
        Language.EN: "… and {count} more benchmarks (all of them in --json)",
    },
    "compare.what_we_see": {Language.RU: "Что мы видим?", Language.EN: "What we see"},
    "compare.gain_for_price": {
        Language.RU: "{model}: {delta} п. на {metric}, по входу в {times} дороже.",
        Language.EN: "{model}: {delta} points on {metric} for {times} the input price.",
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
        Language.RU: "Цены одинаковы: вход и выход у {models} стоят одно и то же.",
        Language.EN: "Same price: {models} cost the same on input and output.",
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
    # --- comparison charts ---
    "chart.note.cross_source": {Language.RU: "разные источники", Language.EN: "different sources"},
    "chart.note.settings": {Language.RU: "разные настройки", Language.EN: "different settings"},
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

_MONTHS: dict[Language, tuple[str, ...]] = {
    Language.RU: (
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ),
    Language.EN: (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def language_of_locale(locale: str | None) -> Language | None:
    """The catalogue's language a user's app reports (Telegram's `language_code`, Discord's
    `locale`): "en", "en-GB", "ru" and the like; None for any other language or none."""
    primary = (locale or "").replace("_", "-").split("-", 1)[0].lower()
    try:
        return Language(primary)
    except ValueError:
        return None


def message(key: str, language: Language, /, **values: object) -> str:
    return CATALOGUE[key][language].format(**values)


def count_of(count: int, key: str, language: Language) -> str:
    """'3 публикации', '5 публикаций', '1 item', '2 items'."""
    forms = CATALOGUE[key][language].split("|")
    if language is Language.RU:
        tens, units = count % 100, count % 10
        if units == 1 and tens != 11:
            form = forms[0]
        elif 2 <= units <= 4 and not 12 <= tens <= 14:
            form = forms[1]
        else:
            form = forms[2]
    else:
        form = forms[0] if count == 1 else forms[1]
    return f"{count} {form}"


def format_number(value: float, language: Language, decimals: int = 1) -> str:
    """Digits grouped and the decimal mark as each language writes it: 1,048,576 and 68.7 in
    English; 1 048 576 and 68,7 in Russian. Trailing zeros are dropped."""
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if language is Language.RU:
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


def times(factor: float, language: Language) -> str:
    """'30×', '1.5×' / '30 раз', '2 раза', '1,5 раза' (a fraction takes the 'few' form)."""
    number = format_number(factor, language, 1 if factor < 10 else 0)
    if language is Language.EN:
        return f"{number}×"
    forms = CATALOGUE["compare.times"][language].split("|")
    if "," in number:
        return f"{number} {forms[1]}"
    return count_of(int(number.replace("\u00a0", "")), "compare.times", language)


def period_name(period: Period, language: Language) -> str:
    return message(f"digest.period.{period.value}", language)


def long_date(day: date, language: Language) -> str:
    """'14 августа 2026' / '14 August 2026'."""
    return f"{short_date(day, language)} {day.year}"


def short_date(day: date, language: Language) -> str:
    """'14 августа' / '14 August'."""
    return f"{day.day} {_MONTHS[language][day.month - 1]}"


# A source's error is stored as the fetcher and parser word it, in English (sources list and
# the logs show it as it is). The chats word its kind from the catalogue; a detail is kept only
# where it says what no catalogue line could (which limit refused a feed, an unknown error).
_SOURCE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), key)
    for pattern, key in (
        (r"^disabled after (?P<failures>\d+) failures in a row; last: (?P<last>.*)$", "disabled"),
        (r"non-public address|loopback, private|is a local address", "private"),
        (r"^(?:unexpected )?HTTP (?P<status>\d{3})(?: [^w].*)?$", "http"),
        (r"^HTTP \d{3} without a Location header$|redirect", "redirect"),
        (r"^timed out$", "timeout"),
        (r"^cannot connect to (?P<address>[^ ]+?):? ", "connect"),
        (r"over the [\d,]+-byte limit$", "too_large"),
        (r"^broken response body", "broken"),
        (r"^not an RSS, Atom or JSON feed: an HTML page$", "html_page"),
        (r"^not (?:an RSS, Atom or JSON feed|a JSON Feed)", "not_feed"),
        (r"^malformed feed", "malformed"),
        (r"^refused: (?P<detail>.*)$", "refused"),
        (r"^(?:internal error|could not store items)", "internal"),
    )
)
_HTTP_KINDS = {401: "denied", 403: "denied", 404: "not_found", 410: "not_found", 429: "busy"}


def source_error(error: str, language: Language) -> str:
    """A source's stored error (its last fetch's, or why it was disabled) in `language`."""
    for pattern, key in _SOURCE_ERRORS:
        found = pattern.search(error)
        if found is None:
            continue
        values = found.groupdict()
        if key == "disabled":
            last = source_error(values["last"], language)
            return message(
                "source.error.disabled", language, failures=values["failures"], last=last
            )
        if key == "http":
            status = int(values["status"])
            kind = "server" if status >= 500 else _HTTP_KINDS.get(status)
            return message(
                f"source.error.http.{kind}" if kind else "source.error.http",
                language,
                status=status,
            )
        return message(f"source.error.{key}", language, **values)
    return message("source.error.other", language, detail=error)


# A part of a fact's setting, as the importers write it, and the catalogue key that words it.
_SETTING_PARTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), key)
    for pattern, key in (
        (r"^thinking$", "setting.thinking"),
        (r"^(?P<size>\d+k) thinking$", "setting.thinking_tokens"),
        (r"^extended thinking$", "setting.extended_thinking"),
        (r"^(?P<level>high|medium|low) effort$", "setting.effort"),
        (r"^parallel attempts$", "setting.parallel_attempts"),
        (r"^scaffolding$", "setting.scaffolding"),
        (r"^extended context$", "setting.extended_context"),
        (r"^prompts over (?P<size>\S+) tokens$", "setting.prompts_over"),
        (r"^prompt addendum$", "setting.prompt_addendum"),
        (r"^(?P<name>\S+) edit format$", "setting.edit_format"),
        (r"^(?P<name>\S+) grader$", "setting.grader"),
        (r"^endpoint$", "setting.endpoint"),
        (r"^free endpoint$", "setting.free_endpoint"),
        (r"^experimental endpoint$", "setting.experimental_endpoint"),
        (r"^free experimental endpoint$", "setting.free_experimental_endpoint"),
        (r"^beta endpoint$", "setting.beta_endpoint"),
    )
)


def setting_words(setting: str, language: Language) -> str:
    """A fact's setting ("32k thinking, parallel attempts") in `language`, part by part; a part
    the catalogue does not word (5-shot, maj@32, fp8: terms of the trade) stays as written."""
    worded = []
    for part in (part.strip() for part in setting.split(",")):
        for pattern, key in _SETTING_PARTS:
            found = pattern.match(part)
            if found is None:
                continue
            values = found.groupdict()
            if key == "setting.effort":
                key = f"setting.effort.{values.pop('level').lower()}"
            worded.append(message(key, language, **values))
            break
        else:
            worded.append(part)
    return ", ".join(part for part in worded if part)

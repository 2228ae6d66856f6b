"""The chat commands' words: greetings, /help and the command menus, replies and refusals."""

from __future__ import annotations

from aiprogress.core.types import Language

BOT: dict[str, dict[Language, str]] = {
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
    "bot.help.chat_admins": {
        Language.RU: "В группе или канале язык, подписку и фильтры меняют его администраторы "
        "(в канале — постом с командой), в личном чате — вы сами.",
        Language.EN: "In a group or channel, its admins set its language, subscription and "
        "filters (in a channel, by posting the command there); in a private chat, you do.",
    },
    "bot.help.chat_admins.discord": {
        Language.RU: "В канале сервера язык, подписку и фильтры меняют участники с правом "
        "«Управлять сервером», в личных сообщениях — вы сами.",
        Language.EN: "In a server's channel, members with Manage Server set its language, "
        "subscription and filters; in direct messages, you do.",
    },
    "bot.help.owners": {
        Language.RU: "Источники общие для всех чатов, их ведут владельцы бота:",
        Language.EN: "The sources are shared by every chat; the bot's owners curate them:",
    },
    "bot.help.owners.discord": {
        Language.RU: "Источники общие для всех чатов, их ведут владельцы бота и участники с "
        "правом «Управлять сервером»:",
        Language.EN: "The sources are shared by every chat; the bot's owners and members with "
        "Manage Server curate them:",
    },
    "command.start": {Language.RU: "что умеет бот", Language.EN: "what the bot does"},
    "command.help": {Language.RU: "все команды", Language.EN: "every command"},
    "command.digest": {
        Language.RU: "дайджест за день или неделю",
        Language.EN: "the digest of the day or the week",
    },
    "command.digest.args": {Language.RU: "[day|week]", Language.EN: "[day|week]"},
    "command.compare": {
        Language.RU: "сравнить модели: текст и график (A vs B, если в названиях пробелы)",
        Language.EN: "compare models: text and chart (A vs B when names have spaces)",
    },
    "command.compare.args": {Language.RU: "A B", Language.EN: "A B"},
    # Discord's /compare takes each name in its own option.
    "command.compare.discord": {
        Language.RU: "сравнить модели: текст и график",
        Language.EN: "compare models: text and chart",
    },
    "command.models": {Language.RU: "найти модель", Language.EN: "find a model"},
    "command.models.args": {Language.RU: "ЗАПРОС", Language.EN: "QUERY"},
    "command.lang": {
        Language.RU: "язык ответов и дайджестов",
        Language.EN: "the language of replies and digests",
    },
    "command.lang.args": {Language.RU: "ru|en", Language.EN: "ru|en"},
    "command.subscribe": {
        Language.RU: "получать дайджест сюда",
        Language.EN: "get the digest here",
    },
    "command.subscribe.args": {
        Language.RU: "[daily|weekly] [ЧЧ:ММ] [часовой пояс]",
        Language.EN: "[daily|weekly] [HH:MM] [time zone]",
    },
    "command.unsubscribe": {
        Language.RU: "больше не присылать дайджест сюда",
        Language.EN: "stop sending the digest here",
    },
    "command.sources": {
        Language.RU: "источники и их состояние",
        Language.EN: "the sources and how they fare",
    },
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
    "command.filters": {
        Language.RU: "фильтры дайджеста этого чата: показать, добавить, убрать",
        Language.EN: "this chat's digest filters: show, add, clear",
    },
    "command.filters.args": {
        Language.RU: "[include|exclude|include_re|exclude_re СЛОВО | clear]",
        Language.EN: "[include|exclude|include_re|exclude_re WORD | clear]",
    },
    # Discord's /filters show, add and clear.
    "command.filters.show": {
        Language.RU: "фильтры дайджеста этого канала",
        Language.EN: "this channel's digest filters",
    },
    "command.filters.add": {
        Language.RU: "добавить фильтр этого канала",
        Language.EN: "add a filter to this channel",
    },
    "command.filters.clear": {
        Language.RU: "убрать фильтры этого канала",
        Language.EN: "remove this channel's filters",
    },
    "command.channel_add": {
        Language.RU: "присылать дайджест в ваш канал, где бот — администратор",
        Language.EN: "send the digest to your channel, where the bot is an admin",
    },
    "command.channel_add.args": {Language.RU: "@канал", Language.EN: "@channel"},
    # Discord's groups of subcommands (bot/command_registry.py places commands in them).
    "discord.group.sources": {Language.RU: "источники", Language.EN: "curate the sources"},
    "discord.group.filters": {
        Language.RU: "фильтры этого канала",
        Language.EN: "this channel's filters",
    },
    # Discord's options (bot/command_registry.py: `discord.option.<name>`, or the option's own
    # `description`); Discord shows at most 100 characters of each.
    "discord.option.args": {
        Language.RU: "аргументы команды, как в /help",
        Language.EN: "the command's arguments, as /help shows them",
    },
    "discord.option.period": {
        Language.RU: "дайджест за день или за неделю",
        Language.EN: "the day's digest or the week's",
    },
    "discord.option.model_a": {
        Language.RU: "первая модель: начните вводить название",
        Language.EN: "the first model: start typing its name",
    },
    "discord.option.model_b": {
        Language.RU: "вторая модель: начните вводить название",
        Language.EN: "the second model: start typing its name",
    },
    "discord.option.query": {
        Language.RU: "название модели или его часть",
        Language.EN: "a model's name or part of it",
    },
    "discord.option.language": {
        Language.RU: "язык ответов и дайджестов в этом канале",
        Language.EN: "the language of replies and digests in this channel",
    },
    "discord.option.schedule": {
        Language.RU: "как часто присылать дайджест",
        Language.EN: "how often to send the digest",
    },
    "discord.option.time": {
        Language.RU: "когда присылать, ЧЧ:ММ",
        Language.EN: "when to send it, HH:MM",
    },
    "discord.option.zone": {
        Language.RU: "часовой пояс, например Europe/Moscow",
        Language.EN: "the time zone, e.g. Europe/London",
    },
    "discord.option.url": {
        Language.RU: "адрес ленты или сайта, который на неё ссылается",
        Language.EN: "the feed's address, or a site's that links to it",
    },
    "discord.option.source_id": {
        Language.RU: "номер источника из /sources list",
        Language.EN: "the source's number in /sources list",
    },
    "discord.option.kind": {
        Language.RU: "включать или исключать публикации, где есть значение",
        Language.EN: "include or exclude the items that hold the value",
    },
    "discord.option.value": {
        Language.RU: "слово, или регулярное выражение RE2 для вариантов с RE2",
        Language.EN: "a word, or an RE2 regular expression for the RE2 kinds",
    },
    # The names Discord lists an option's choices by; the value sent is the choice itself.
    "discord.choice.day": {Language.RU: "день", Language.EN: "day"},
    "discord.choice.week": {Language.RU: "неделя", Language.EN: "week"},
    "discord.choice.daily": {Language.RU: "каждый день", Language.EN: "daily"},
    "discord.choice.weekly": {Language.RU: "раз в неделю", Language.EN: "weekly"},
    "discord.choice.ru": {Language.RU: "русский", Language.EN: "Russian"},
    "discord.choice.en": {Language.RU: "английский", Language.EN: "English"},
    "discord.choice.include": {Language.RU: "включать", Language.EN: "include"},
    "discord.choice.exclude": {Language.RU: "исключать", Language.EN: "exclude"},
    "discord.choice.include_re": {Language.RU: "включать (RE2)", Language.EN: "include (RE2)"},
    "discord.choice.exclude_re": {Language.RU: "исключать (RE2)", Language.EN: "exclude (RE2)"},
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
    "bot.subscribe.word": {
        Language.RU: "«{value}» — не daily или weekly, не время вроде 09:00 и не часовой пояс "
        "вроде Europe/Moscow.",
        Language.EN: "“{value}” is not daily or weekly, a time such as 09:00 nor a time zone "
        "such as Europe/Moscow.",
    },
    "bot.input.timezone": {
        Language.RU: "«{value}» — не часовой пояс; нужно вроде Europe/Moscow.",
        Language.EN: "“{value}” is not a time zone such as Europe/Moscow.",
    },
    "bot.input.same_model": {
        Language.RU: "«{other}» и «{name}» — одна и та же модель, {model}: назовите две разные.",
        Language.EN: "“{other}” and “{name}” are the same model, {model}: name two different ones.",
    },
    "bot.input.same_name": {
        Language.RU: "Модель «{name}» названа дважды: назовите две разные.",
        Language.EN: "“{name}” is named twice: name two different models.",
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
    # Why a chat stopped accepting the bot (core/outbox.py reads the platform's error), in an
    # owner's or an admin's notice.
    "delivery.gone.kicked": {
        Language.RU: "бота удалили из чата",
        Language.EN: "the bot was removed from the chat",
    },
    "delivery.gone.not_found": {
        Language.RU: "чата больше нет",
        Language.EN: "the chat no longer exists",
    },
    "delivery.gone.rights": {
        Language.RU: "у бота нет права писать туда",
        Language.EN: "the bot may not post there",
    },
    "delivery.gone.blocked": {
        Language.RU: "бота заблокировали",
        Language.EN: "the bot was blocked",
    },
}

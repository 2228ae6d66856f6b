"""The Telegram front end against a fake Bot API server that aiogram's real session talks to:
commands through the dispatcher, admin refusal, and delivery through the outbox (splitting,
429 back-off, 403 deactivation, HTML fallback, a crash mid-run). Storage is the real one, on
SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import html
import json
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

import aiohttp
import pytest
import sqlalchemy as sa
from aiogram import Bot, Dispatcher

from aiprogress.bot.command_registry import COMMANDS, help_text
from aiprogress.bot.commands import CommandLayer
from aiprogress.bot.render.split import visible_length
from aiprogress.bot.telegram import (
    RateLimiter,
    TelegramSender,
    build_dispatcher,
    make_bot,
    register_menus,
    start_webhook,
)
from aiprogress.core.channels import ChannelDesk
from aiprogress.core.clock import FixedClock, SystemClock
from aiprogress.core.factsheet import DigestDocument, DocumentSource, DocumentStory
from aiprogress.core.messages import message, source_error
from aiprogress.core.outbox import Outbox, OutboxSettings
from aiprogress.core.service import AiProgress
from aiprogress.core.types import (
    AdminNotice,
    Channel,
    ChatKind,
    DeliveryState,
    Digest,
    DigestDraft,
    Language,
    NoticeKind,
    Period,
    Platform,
)
from aiprogress.digest.render import document_to_json, render_text
from aiprogress.sources.http import HttpFetcher
from aiprogress.storage.store import SqlStore
from tests.builders import make_desk, make_service
from tests.conftest import Bundled, snapshot_feed
from tests.servers.feeds import FeedServer, Route
from tests.servers.telegram import TOKEN, FakeTelegram

OWNER = 1001
USER = 2002
GROUP = -100500


@dataclass
class Front:
    server: FakeTelegram
    bot: Bot
    dispatcher: Dispatcher
    sender: TelegramSender
    service: AiProgress
    desk: ChannelDesk
    store: SqlStore
    clock: FixedClock

    def outbox(self, **settings: object) -> Outbox:
        return Outbox(
            store=self.store,
            senders={Platform.TELEGRAM: self.sender},
            clock=self.clock,
            settings=OutboxSettings(**settings),  # type: ignore[arg-type]
        )

    async def command(
        self, chat_id: int, user_id: int, text: str, chat_type: str = "private"
    ) -> None:
        update = self.server.push_message(chat_id, user_id, text, chat_type)  # type: ignore[arg-type]
        await self.dispatcher.feed_raw_update(self.bot, update)

    async def replies(self, user_id: int, *texts: str) -> list[str]:
        """What the bot sends back in a private chat to each of these commands, in order."""
        before = len(self.server.sent(user_id))
        for text in texts:
            await self.command(user_id, user_id, text)
        return [call.text or "" for call in self.server.sent(user_id)[before:]]


@pytest.fixture
async def front(store: SqlStore, clock: FixedClock) -> AsyncIterator[Front]:
    async with open_front(store, clock) as front:
        yield front


@pytest.fixture
async def front_with_models(bundled: Bundled, clock: FixedClock) -> AsyncIterator[Front]:
    """The front over a copy of the bundled model data, as `ensure_models` fills an empty
    registry on first use (the session imports it once; ~7 s a test under load otherwise)."""
    async with open_front(bundled.store, clock) as front:
        yield front


@asynccontextmanager
async def open_front(
    store: SqlStore, clock: FixedClock, server: FakeTelegram | None = None
) -> AsyncIterator[Front]:
    """The bot over a fake Bot API of its own, or over `server` (a bot started again, after a
    restart, meets the chats as the last one left them)."""
    async with AsyncExitStack() as stack:
        if server is None:
            server = await stack.enter_async_context(FakeTelegram())
        yield await stack.enter_async_context(_front_on(store, clock, server))


@asynccontextmanager
async def _front_on(
    store: SqlStore, clock: FixedClock, server: FakeTelegram
) -> AsyncIterator[Front]:
    async with HttpFetcher(allow_private=True) as fetcher:
        service = make_service(store, clock, fetcher)
        desk = make_desk(store, service, clock)
        bot = make_bot(TOKEN, server.base_url)
        sender = TelegramSender(bot, RateLimiter(per_second=2000, per_minute=1000))
        layer = CommandLayer(
            service=service, desk=desk, owner_ids=frozenset({str(OWNER)}), chart=_png
        )
        try:
            yield Front(
                server, bot, build_dispatcher(layer, sender), sender, service, desk, store, clock
            )
        finally:
            await bot.session.close()


def _png(*args: object) -> bytes:
    return b"\x89PNG\r\n\x1a\n-a chart-"


# --- commands --------------------------------------------------------------------------------


async def test_compare_through_long_polling_answers_text_and_a_photo(
    front_with_models: Front,
) -> None:
    front = front_with_models
    polling = asyncio.create_task(
        front.dispatcher.start_polling(front.bot, handle_signals=False, polling_timeout=1)
    )
    try:
        front.server.push_message(USER, USER, "/compare gpt-4.5 gpt-4o")
        sent = await front.server.wait_for_sent(2, timeout=15)
    finally:
        await front.dispatcher.stop_polling()
        await polling
    text, photo = sent[0], sent[-1]
    assert text.method.lower() == "sendmessage" and "GPT-4.5" in (text.text or "")
    assert "GPQA Diamond" in (text.text or "") and text.params["parse_mode"] == "HTML"
    assert photo.method.lower() == "sendphoto" and photo.files["photo"].startswith(b"\x89PNG")


async def test_compare_in_a_chat_does_not_point_to_the_command_lines_json(
    front_with_models: Front,
) -> None:
    """The benchmarks left out are counted; --json is the command line's, not a chat's."""
    front = front_with_models
    for language, more in (("en", "more benchmarks"), ("ru", "… и ещё ")):
        _, text, _ = await front.replies(USER, f"/lang {language}", "/compare gpt-4.5 gpt-4o")
        assert more in text and "--json" not in text


@pytest.mark.parametrize(
    "command",
    [
        "/compare claude 3.5 sonnet vs gpt 4o",
        "/compare Claude 3.5 Sonnet против GPT-4o",
        "/compare claude 3.5 sonnet, gpt-4o",
        '/compare "claude 3.5 sonnet" gpt-4o',
    ],
)
async def test_compare_takes_names_with_spaces(front_with_models: Front, command: str) -> None:
    front = front_with_models
    await front.command(USER, USER, command)
    text = front.server.sent(USER)[0].text or ""
    assert text.split("\n")[0] == "Claude 3.5 Sonnet vs GPT-4o"


async def test_compare_mistakes_are_told_in_the_chats_language(front_with_models: Front) -> None:
    front = front_with_models
    _, ambiguous_ru, unknown_ru, _, ambiguous_en = await front.replies(
        USER,
        "/lang ru",
        "/compare claude vs gpt-4o",
        "/compare llama 9 colossal vs gpt-4o",
        "/lang en",
        "/compare claude vs gpt-4o",
    )
    assert ambiguous_ru.startswith("«claude» подходит к нескольким моделям: Claude")
    assert ambiguous_ru.endswith("Уточните, к какой.")
    assert unknown_ru.startswith("Не знаю модель «llama 9 colossal».")
    assert ambiguous_en.startswith("“claude” matches several models: Claude")


async def test_malformed_input_is_told_in_the_chats_language(front_with_models: Front) -> None:
    front = front_with_models
    _, time, zone, same, pattern, _, time_en = await front.replies(
        USER,
        "/lang ru",
        "/subscribe weekly 25:00",
        "/subscribe daily 09:00 Mars/Olympus",
        "/compare gpt-4o vs 4o",
        "/filters include_re (unclosed",
        "/lang en",
        "/subscribe daily 9:75",
    )
    assert time == "«25:00» — не время суток; нужно вроде 09:00."
    assert zone == "«Mars/Olympus» — не часовой пояс; нужно вроде Europe/Moscow."
    assert same == "«gpt-4o» и «4o» — одна и та же модель, GPT-4o: назовите две разные."
    assert pattern.startswith("Шаблон «(unclosed» не подходит: ")
    assert time_en == "“9:75” is not a time of day such as 09:00."


async def test_a_database_failure_gets_an_answer_not_silence(
    front: Front, caplog: pytest.LogCaptureFixture
) -> None:
    await front.command(USER, USER, "/lang ru")
    # The models' tables go away under the bot: /models cannot be answered.
    async with front.store.engine.begin() as connection:
        for table in ("model_event", "model_fact", "model_alias", "model_snapshot", "model"):
            await connection.execute(sa.text(f"DROP TABLE {table}"))
    await front.command(USER, USER, "/models claude")
    # Then the chats' table too: not even the chat's language can be read.
    async with front.store.engine.begin() as connection:
        await connection.execute(sa.text("DROP TABLE delivery"))
        await connection.execute(sa.text("DROP TABLE channel"))
    await front.command(USER, USER, "/models claude")
    _, failed, failed_unknown_chat = [c.text for c in front.server.sent(USER)]
    assert failed == "Не получилось из-за сбоя на нашей стороне. Попробуйте чуть позже."
    assert failed_unknown_chat == "That failed on our side. Please try again a little later."
    assert "/models failed" in caplog.text and "could not be read" in caplog.text


async def test_the_command_menu_is_registered_in_both_languages(front: Front) -> None:
    await register_menus(front.bot, Language.RU)
    public = [c.name for c in COMMANDS if not c.admin]
    assert public[:2] == ["start", "help"] and "sources" not in public
    for code, language in (("ru", Language.RU), ("en", Language.EN)):
        # Read back through aiogram, as Telegram's clients would be served it.
        listed = await front.bot.get_my_commands(language_code=code)
        assert [(c.command, c.description) for c in listed] == [
            (name, message(f"command.{name}", language)) for name in public
        ]
    default = await front.bot.get_my_commands()  # users with another language_code
    assert [c.description for c in default] == [
        c.description for c in await front.bot.get_my_commands(language_code="ru")
    ]
    assert front.server.menus[("default", "en")][2] == {
        "command": "digest",
        "description": "the digest of the day or the week",
    }


async def test_every_registry_entry_is_a_telegram_command(front: Front) -> None:
    """Each registry entry reaches its handler through the routers (an owner sends it without
    arguments: an answer or a usage line, never the unknown-command reply), and everyone's are
    in the menu."""
    await register_menus(front.bot, Language.EN)
    menu = {c.command for c in await front.bot.get_my_commands(language_code="en")}
    unknown = message("bot.unknown", Language.EN)
    for command in COMMANDS:
        before = len(front.server.sent(OWNER))
        await front.command(OWNER, OWNER, f"/{command.name}")
        answers = [call.text for call in front.server.sent(OWNER)[before:]]
        assert answers and unknown not in answers, command.name
        assert (command.name in menu) is not command.admin


async def test_help_lists_the_commands_of_the_registry(front: Front) -> None:
    (help_en,) = await front.replies(USER, "/help")
    assert help_en.startswith(
        "/digest [day|week] — the digest of the day or the week\n/compare A B — compare models"
    )
    assert help_en.endswith(
        "the bot&#x27;s owners curate them:\n/sources — the sources and how they fare\n"
        "/source_add URL — add a source\n/source_remove ID — remove a source\n"
        "/source_pause ID — pause a source\n/source_resume ID — resume a source\n"
        "/failing — sources that fail"
    )
    for command in COMMANDS:
        assert not command.in_help or f"/{command.name}" in help_en


async def test_an_unknown_command_is_answered_and_plain_text_in_a_group_is_not(
    front: Front,
) -> None:
    me = front.server.bot_username
    _, unknown_ru = await front.replies(USER, "/lang ru", "/frobnicate now")
    assert unknown_ru == "Не знаю такой команды. /help — список команд."
    before = len(front.server.sent(GROUP))
    for text in ("hello there", "/frobnicate", "/digest@other_bot", "/help@other_bot"):
        await front.command(GROUP, USER, text, "supergroup")
    assert front.server.sent(GROUP)[before:] == []  # another bot's, or nobody's
    await front.command(GROUP, USER, f"/frobnicate@{me}", "supergroup")
    (answer,) = front.server.sent(GROUP)[before:]
    assert answer.text == "I do not know that command. /help lists them."


async def test_a_new_private_chat_speaks_its_users_language(front: Front) -> None:
    """The first message of a private chat comes with the user's Telegram language
    (language_code): the chat starts in it when the catalogue has it, in the default language
    (Russian here) otherwise; /lang then decides. A group starts in the default language
    whoever writes first: its admins choose with /lang."""
    desk = make_desk(front.store, front.service, front.clock, language=Language.RU)
    layer = CommandLayer(service=front.service, desk=desk, owner_ids=frozenset())
    dispatcher = build_dispatcher(layer, front.sender)

    async def said(user: int, code: str, text: str, chat: int = 0) -> str:
        chat_id = chat or user
        before = len(front.server.sent(chat_id))
        update = front.server.push_message(
            chat_id, user, text, "supergroup" if chat else "private", language_code=code
        )
        await dispatcher.feed_raw_update(front.bot, update)
        (reply,) = front.server.sent(chat_id)[before:]
        return html.unescape(reply.text or "")

    english, russian, german = 3001, 3002, 3003
    assert await said(english, "en", "/start") == message("bot.start", Language.EN)
    assert await said(english, "en", "/help") == help_text(Language.EN)
    assert await said(english, "en", "/frobnicate") == message("bot.unknown", Language.EN)
    assert await said(russian, "ru", "/start") == message("bot.start", Language.RU)
    assert await said(german, "de", "/start") == message("bot.start", Language.RU)

    assert await said(english, "en", "/lang ru") == message("bot.lang.set", Language.RU)
    # The app still says "en": the chat keeps what /lang chose.
    assert await said(english, "en", "/start") == message("bot.start", Language.RU)
    chat = await front.store.channels.find(Platform.TELEGRAM, str(english))
    assert chat is not None and chat.language is Language.RU

    # A region and a case do not matter.
    assert await said(3004, "EN-gb", "/start") == message("bot.start", Language.EN)
    # A group: the default language, though an English user wrote first.
    assert await said(english, "en", "/help", chat=GROUP) == help_text(Language.RU)


async def test_lang_and_subscribe_in_a_private_chat(front: Front) -> None:
    await front.command(USER, USER, "/lang ru")
    await front.command(USER, USER, "/subscribe weekly 08:30 Europe/Moscow")
    replies = [call.text for call in front.server.sent(USER)]
    assert replies == [
        "Язык: русский.",
        "Подписка оформлена: раз в неделю, в 08:30 (Europe/Moscow).",
    ]
    channel = await front.store.channels.find(Platform.TELEGRAM, str(USER))
    assert channel is not None and channel.active and channel.period is Period.WEEK
    assert channel.language is Language.RU and channel.admin_ids == (str(USER),)


async def test_a_non_admin_is_refused_and_nothing_changes(
    front: Front, feed_server: FeedServer
) -> None:
    feed = feed_server.feed("/feed.xml", snapshot_feed("ollama-blog.rss"))
    front.server.set_member(GROUP, USER, "member")
    await front.command(GROUP, USER, "/subscribe daily", "supergroup")
    await front.command(GROUP, USER, f"/source_add {feed}", "supergroup")
    await front.command(GROUP, USER, "/filters exclude crypto", "supergroup")
    refusals = [call.text for call in front.server.sent(GROUP)]
    assert refusals == ["Only admins can do that. Nothing was changed."] * 3
    channel = await front.store.channels.find(Platform.TELEGRAM, str(GROUP))
    assert channel is not None and not channel.active and channel.item_filter.empty
    assert await front.service.list_sources() == []

    # The chat's administrator may change the chat's settings, not the shared sources.
    front.server.set_member(GROUP, USER, "administrator")
    await front.command(GROUP, USER, "/subscribe daily", "supergroup")
    await front.command(GROUP, USER, f"/source_add {feed}", "supergroup")
    *_, subscribed, refused = [call.text for call in front.server.sent(GROUP)]
    assert subscribed == "Subscribed: daily, at 09:00 (UTC)."
    assert refused == "Only admins can do that. Nothing was changed."
    # An owner may curate sources from any chat.
    (added,) = await front.replies(OWNER, f"/source_add {feed}")
    assert added == f"Added source #1 “Ollama Blog”: {feed}"
    assert [s.url for s in await front.service.list_sources()] == [feed]


async def test_an_owners_source_mistakes_are_told_in_the_chats_language(
    front: Front, feed_server: FeedServer
) -> None:
    feed = feed_server.feed("/feed.xml", snapshot_feed("ollama-blog.rss"))
    *_, duplicate, missing, _, missing_en, scheme_en, _, credentials = await front.replies(
        OWNER,
        "/lang ru",
        f"/source_add {feed}",
        f"/source_add {feed.replace('http:', 'HTTP:')}",
        "/source_remove 999",
        "/lang en",
        "/source_pause 999",
        "/source_add ftp://example.com/feed.xml",
        "/lang ru",
        "/source_add https://me:secret@example.com/feed.xml",
    )
    assert duplicate == f"Этот адрес уже есть: источник #1, {feed}."
    assert missing == "Источника #999 нет."
    assert missing_en == "There is no source #999."
    assert scheme_en == "Only http and https URLs can be sources, not ftp://example.com/feed.xml."
    assert credentials == "Адреса с логином или паролем источниками не бывают."


async def test_source_errors_are_worded_in_the_chats_language(
    front: Front, feed_server: FeedServer
) -> None:
    for path in ("/a.rss", "/b.rss", "/c.rss"):
        feed = feed_server.feed(path, snapshot_feed("ollama-blog.rss"))
        await front.service.add_source(feed, name=path[1])
    # Then one answers 500, one became an HTML page; the third stays well.
    feed_server.routes["/a.rss"] = Route(status=500)
    feed_server.routes["/b.rss"] = Route(body=b"<!doctype html><p>moved", content_type="text/html")
    report = await front.service.collect()
    assert [r.error for r in report.errors] == [
        "HTTP 500 Internal Server Error",
        "not an RSS, Atom or JSON feed: an HTML page",
    ]
    _, failing_ru, sources_ru, _, failing_en = await front.replies(
        OWNER, "/lang ru", "/failing", "/sources", "/lang en", "/failing"
    )
    assert failing_ru == (
        "#1 a: 1 × сбой на сервере источника (HTTP 500)\n"
        "#2 b: 1 × по адресу HTML-страница, а не лента"
    )
    assert sources_ru.splitlines()[0] == "⚠️ #1 a — сбой на сервере источника (HTTP 500)"
    assert sources_ru.splitlines()[2] == "✅ #3 c"
    assert failing_en.splitlines()[1] == "#2 b: 1 × the address is an HTML page, not a feed"


async def test_source_add_fetches_first_and_answers_in_the_chats_language(
    front: Front, feed_server: FeedServer
) -> None:
    feed_server.feed("/blog.rss", snapshot_feed("ollama-blog.rss"))
    feed_server.feed("/models.atom", snapshot_feed("ollama-models-recent-20.atom"))
    links = (
        '<link rel="alternate" type="application/rss+xml" title="Blog" href="/blog.rss">'
        '<link rel="alternate" type="application/atom+xml" title="Models" href="models.atom">'
    )
    feed_server.routes["/"] = Route(
        body=f"<html><head>{links}</head></html>".encode(), content_type="text/html"
    )
    feed_server.routes["/one/"] = Route(
        body=f"<html><head>{links.split('><')[0]}></head></html>".encode(),
        content_type="text/html",
    )
    feed_server.routes["/down"] = Route(status=500)
    home, one, down = (feed_server.url(path) for path in ("/", "/one/", "/down"))
    _, several, failed, found = await front.replies(
        OWNER, "/lang ru", f"/source_add {home}", f"/source_add {down}", f"/source_add {one}"
    )
    assert several == (
        f"На {home} несколько лент; ничего не добавлено. Добавьте нужную по её адресу:\n"
        f"• {feed_server.url('/blog.rss')} — Blog\n• {feed_server.url('/models.atom')} — Models"
    )
    # The fetch error is worded from the catalogue, as /sources words a source's error.
    assert failed == (
        f"Не удалось получить {down}: {source_error('HTTP 500', Language.RU)}. Ничего не добавлено."
    )
    assert "HTTP 500" in failed and "Internal Server Error" not in failed
    _, failed_en = await front.replies(OWNER, "/lang en", f"/source_add {down}")
    assert html.unescape(failed_en) == (
        f"Could not fetch {down}: {source_error('HTTP 500', Language.EN)}. Nothing was added."
    )
    await front.replies(OWNER, "/lang ru")
    blog = feed_server.url("/blog.rss")
    assert found == (
        f"Нашёл ленту {blog} на странице {one}.\nДобавлен источник #1 «Ollama Blog»: {blog}"
    )
    assert [(s.url, s.name) for s in await front.service.list_sources()] == [(blog, "Ollama Blog")]


async def test_source_remove_asks_first_with_buttons(front: Front) -> None:
    await front.service.add_source("https://example.com/feed.xml", name="Example")
    await front.service.add_source("https://example.org/feed.xml", name="Other")

    async def press(chat_id: int, user_id: int, data: str, message_id: int) -> str:
        """Press a button under the bot's message; what the message then says."""
        before = len(front.server.calls_of("editMessageText"))
        update = front.server.push_callback_query(chat_id, user_id, data, message_id)
        await front.dispatcher.feed_raw_update(front.bot, update)
        edits = front.server.calls_of("editMessageText")[before:]
        assert [e.params["message_id"] for e in edits] == [message_id]
        assert "reply_markup" not in edits[0].params  # the buttons go with the question
        assert len(front.server.calls_of("answerCallbackQuery")) >= 1
        return edits[0].text or ""

    await front.command(OWNER, OWNER, "/lang ru")
    await front.command(OWNER, OWNER, "/source_remove 1")
    question = front.server.sent(OWNER)[-1]
    assert question.text == (
        "Удалить источник #1 «Example» (https://example.com/feed.xml) вместе с собранными из "
        "него публикациями?"
    )
    keyboard = question.params["reply_markup"]["inline_keyboard"]
    assert [(b["text"], b["callback_data"]) for b in keyboard[0]] == [
        ("Удалить", "run:source_remove 1 confirm"),
        ("Отмена", "run:source_remove 1 cancel"),
    ]
    message_id = question.result["message_id"]
    # Asking removes nothing; cancelling neither.
    assert len(await front.service.list_sources()) == 2
    cancelled = await press(OWNER, OWNER, "run:source_remove 1 cancel", message_id)
    assert cancelled == "Источник #1 остаётся."
    assert len(await front.service.list_sources()) == 2

    # A button pressed by someone who may not curate the sources does nothing: they alone are
    # told, and the question keeps its buttons for the owner (it was replaced by the refusal).
    front.server.set_member(GROUP, USER, "administrator")
    await front.command(GROUP, OWNER, "/source_remove 1", "supergroup")
    in_group = front.server.sent(GROUP)[-1]
    edits = len(front.server.calls_of("editMessageText"))
    update = front.server.push_callback_query(
        GROUP, USER, "run:source_remove 1 confirm", in_group.result["message_id"]
    )
    await front.dispatcher.feed_raw_update(front.bot, update)
    assert len(front.server.calls_of("editMessageText")) == edits
    alert = front.server.calls_of("answerCallbackQuery")[-1].params
    assert alert["text"] == "Only admins can do that. Nothing was changed."
    assert alert["show_alert"] is True
    assert len(await front.service.list_sources()) == 2
    # The owner can still answer it.
    kept = await press(GROUP, OWNER, "run:source_remove 1 cancel", in_group.result["message_id"])
    assert kept == "Source #1 stays."

    removed = await press(OWNER, OWNER, "run:source_remove 1 confirm", message_id)
    assert removed == "Источник #1 удалён."
    assert [s.name for s in await front.service.list_sources()] == ["Other"]
    # Pressed again: the source is gone, and the answer says so.
    again = await press(OWNER, OWNER, "run:source_remove 1 confirm", message_id)
    assert again == "Источника #1 нет."
    # Unknown ids are told before anything is asked.
    (missing,) = await front.replies(OWNER, "/source_remove 99")
    assert missing == "Источника #99 нет."


# --- delivery --------------------------------------------------------------------------------


def long_document(language: Language = Language.EN, stories: int = 40) -> DigestDocument:
    """A digest longer than one Telegram message, with hostile text in it."""
    parts = tuple(
        DocumentStory(
            f"S{n}",
            f"Story {n} <script>alert(1)</script> & more: " + "a long sentence. " * 12,
            (f"https://example.com/{n}",),
        )
        for n in range(1, stories + 1)
    )
    return DigestDocument(
        language=language,
        title="Where is AI heading?",
        thesis="A week of releases.",
        stories=parts,
        sources=tuple(
            DocumentSource(f"Outlet {n}", f"https://example.com/{n}") for n in range(1, stories + 1)
        ),
        signoff="Following the progress",
    )


class HasStore(Protocol):
    store: SqlStore
    clock: FixedClock


async def stored_digest(front: HasStore, document: DigestDocument) -> Digest:
    draft = DigestDraft(
        period=Period.DAY,
        language=document.language,
        window_start=front.clock.now() - timedelta(days=1),
        window_end=front.clock.now(),
        title=document.title,
        body=render_text(document),
        item_ids=(),
        writer="builtin",
        document=json.dumps(document_to_json(document)),
    )
    (digest,) = await front.store.digests.add_all([draft], front.clock.now())
    return digest


async def subscribed_groups(front: Front, count: int, admin: str = "") -> list[int]:
    chats = []
    for n in range(count):
        chat_id = -1000 - n
        channel = await front.desk.chat(Platform.TELEGRAM, str(chat_id), kind=ChatKind.GROUP)
        await front.desk.subscribe(channel, admin_id=admin or None)
        chats.append(chat_id)
    return chats


async def queued_to_one_group(front: Front, *, stories: int) -> tuple[int, Channel, Digest]:
    """One subscribed group and a digest of `stories` stories queued for it."""
    (chat,) = await subscribed_groups(front, 1)
    digest = await stored_digest(front, long_document(stories=stories))
    channel = await front.store.channels.find(Platform.TELEGRAM, str(chat))
    assert channel is not None
    await front.store.deliveries.enqueue(digest.id, [channel.id])
    return chat, channel, digest


async def test_a_digest_reaches_many_channels_split_within_limits(front: Front) -> None:
    chats = await subscribed_groups(front, 25)
    digest = await stored_digest(front, long_document())
    channels = [c.id for c in await front.store.channels.list(active_only=True)]
    assert await front.store.deliveries.enqueue(digest.id, channels) == 25
    assert await front.store.deliveries.enqueue(digest.id, channels) == 0  # queued once

    report = await front.outbox().deliver_pending()

    assert report.sent == 25 and report.failed == 0
    per_chat = Counter(call.chat_id for call in front.server.sent())
    parts = per_chat[chats[0]]
    assert parts > 1 and set(per_chat.values()) == {parts} and set(per_chat) == set(chats)
    for call in front.server.sent():
        assert visible_length(call.text or "") <= 4096
        assert "<script>" not in (call.text or "") and call.params["parse_mode"] == "HTML"
        assert call.params["link_preview_options"]["is_disabled"] is True
    states = {d.state for d in await front.store.deliveries.for_digest(digest.id)}
    assert states == {DeliveryState.SENT}


async def test_a_429_is_waited_out_and_a_long_one_goes_back_to_the_outbox(front: Front) -> None:
    chat, channel, _ = await queued_to_one_group(front, stories=2)
    front.server.fail("sendMessage", status=429, retry_after=1)
    started = time.monotonic()
    report = await front.outbox().deliver_pending()
    assert report.sent == 1 and time.monotonic() - started >= 1.0
    statuses = [call.status for call in front.server.calls_of("sendMessage")]
    assert statuses[:2] == [429, 200] and front.server.sent(chat)

    second = await stored_digest(front, long_document(Language.RU, stories=2))
    await front.store.deliveries.enqueue(second.id, [channel.id])
    front.server.fail("sendMessage", status=429, retry_after=600)
    report = await front.outbox().deliver_pending()
    assert report.retried == 1
    (delivery,) = await front.store.deliveries.for_digest(second.id)
    assert delivery.state is DeliveryState.PENDING
    assert delivery.next_attempt_at == front.clock.now() + timedelta(seconds=600)


async def test_a_blocked_chat_is_deactivated_and_its_admins_told(front: Front) -> None:
    good, gone = await subscribed_groups(front, 2, admin=str(USER))
    digest = await stored_digest(front, long_document(stories=2))
    channels = [c.id for c in await front.store.channels.list(active_only=True)]
    await front.store.deliveries.enqueue(digest.id, channels)
    front.server.block(gone)

    report = await front.outbox().deliver_pending()

    assert report.sent == 1 and report.deactivated == 1
    channel = await front.store.channels.find(Platform.TELEGRAM, str(gone))
    assert channel is not None and not channel.active
    assert "kicked" in (channel.deactivated_reason or "")
    (told,) = front.server.sent(USER)
    assert f"Delivery to {gone} is stopped" in (told.text or "")
    assert front.server.sent(good)
    # Nothing is sent to it again.
    await front.desk.publish(Period.DAY)
    assert all(c.address != str(gone) for c in await front.store.channels.list(active_only=True))


async def test_html_telegram_cannot_parse_is_sent_once_as_plain_text(front: Front) -> None:
    chat, _, _ = await queued_to_one_group(front, stories=1)
    front.server.fail(
        "sendMessage", status=400, description="Bad Request: can't parse entities: oops"
    )
    report = await front.outbox().deliver_pending()
    assert report.sent == 1
    (sent,) = front.server.sent(chat)
    assert "parse_mode" not in sent.params and "<b>" not in (sent.text or "")
    assert "Where is AI heading?" in (sent.text or "")


async def test_a_crash_mid_run_loses_nothing_and_doubles_at_most_one_part(
    front: Front,
) -> None:
    chats = await subscribed_groups(front, 6)
    digest = await stored_digest(front, long_document())
    channels = [c.id for c in await front.store.channels.list(active_only=True)]
    await front.store.deliveries.enqueue(digest.id, channels)
    front.server.latency_seconds = 0.02

    # The process dies (its task is cancelled) while parts are on the wire.
    first_run = asyncio.create_task(front.outbox(concurrency=3).deliver_pending())
    await front.server.wait_for_sent(5, timeout=10)
    first_run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first_run
    front.server.latency_seconds = 0.0

    # A new process takes over the rows the dead one claimed once their lease is over.
    report = await front.outbox(lease=timedelta(0)).deliver_pending()

    assert report.failed == 0
    texts: dict[int, list[str]] = {chat: [] for chat in chats}
    for call in front.server.sent():
        texts[call.chat_id].append(call.text or "")
    parts = max(len(set(t)) for t in texts.values())
    for chat, received in texts.items():
        assert len(set(received)) == parts, f"chat {chat} lost a part"
        assert len(received) - parts <= 1, f"chat {chat} got {len(received) - parts} doubles"
    states = {d.state for d in await front.store.deliveries.for_digest(digest.id)}
    assert states == {DeliveryState.SENT}


def doubles(server: FakeTelegram) -> dict[int, int]:
    """Messages each chat got more than once."""
    per_text = Counter((call.chat_id, call.text) for call in server.sent())
    found: Counter[int] = Counter()
    for (chat, _), count in per_text.items():
        found[chat] += count - 1
    return {chat: count for chat, count in found.items() if count}


async def test_a_process_past_its_lease_sends_nothing_another_took_over(front: Front) -> None:
    chats = await subscribed_groups(front, 6)
    digest = await stored_digest(front, long_document(stories=1))
    channels = [c.id for c in await front.store.channels.list(active_only=True)]
    await front.store.deliveries.enqueue(digest.id, channels)
    front.server.latency_seconds = 0.05

    # One process claims all six rows and sends them one at a time...
    slow = asyncio.create_task(front.outbox(lease=timedelta(minutes=1)).deliver_pending())
    await front.server.wait_for(lambda: len(front.server.calls_of("sendMessage")) >= 1, 10)
    # ...and stalls past its lease (the clock jumps): another process takes every row over.
    front.clock.set(front.clock.now() + timedelta(minutes=2))
    other = await front.outbox(lease=timedelta(minutes=1)).deliver_pending()
    first = await slow

    # The stalled process sends none of the rows it lost; only the one on the wire is doubled.
    assert first.taken_over >= 4 and first.sent + other.sent >= 6
    assert set(Counter(call.chat_id for call in front.server.sent())) == set(chats)
    assert sum(doubles(front.server).values()) <= 1, doubles(front.server)
    states = {d.state for d in await front.store.deliveries.for_digest(digest.id)}
    assert states == {DeliveryState.SENT}


async def test_a_send_slower_than_the_lease_keeps_its_row(front: Front) -> None:
    (chat,) = await subscribed_groups(front, 1)
    digest = await stored_digest(front, long_document(stories=1))
    channels = [c.id for c in await front.store.channels.list(active_only=True)]
    await front.store.deliveries.enqueue(digest.id, channels)
    front.server.latency_seconds = 3.0
    lease = timedelta(seconds=1.5)
    clock = SystemClock()

    def outbox() -> Outbox:
        senders = {Platform.TELEGRAM: front.sender}
        return Outbox(store=front.store, senders=senders, clock=clock,
                      settings=OutboxSettings(lease=lease))  # fmt: skip

    # The send takes twice the lease, but the process is alive: it keeps renewing its claim.
    slow = asyncio.create_task(outbox().deliver_pending())

    async def claimed() -> bool:
        (delivery,) = await front.store.deliveries.for_digest(digest.id)
        return delivery.state is DeliveryState.SENDING

    for _ in range(1000):
        if await claimed():
            break
        await asyncio.sleep(0.01)
    # Past the lease, while the message is still on the wire: another process comes.
    await asyncio.sleep(lease.total_seconds() * 1.3)
    assert not front.server.sent(chat)
    other = await outbox().deliver_pending()
    first = await slow

    assert other.sent == 0 and first.sent == 1
    assert len(front.server.sent(chat)) == 1


async def test_owners_are_told_in_private_when_a_source_is_disabled_in_their_language(
    front: Front,
) -> None:
    """The notice is stored as the collector stores it (the source, its name, its disabled
    reason) and worded for each owner at delivery: Russian for the owner whose private chat is
    set to Russian, the default (English) for an owner who never wrote to the bot."""
    source = await front.service.add_source("https://example.com/feed.xml", name="Flaky")
    other_owner = OWNER + 1
    await front.command(OWNER, OWNER, "/lang ru")
    before = len(front.server.sent(OWNER))
    reason = "disabled after 8 failures in a row; last: HTTP 500 Internal Server Error"
    notice = AdminNotice(
        kind=NoticeKind.SOURCE_DISABLED,
        text=f"source #{source.id} (Flaky) {reason}",
        created_at=front.clock.now(),
        source_id=source.id,
        subject="Flaky",
        detail=reason,
    )
    await front.store.notices.add(notice)
    outbox = front.outbox()
    owners = [str(OWNER), str(other_owner)]
    assert await outbox.deliver_notices(Platform.TELEGRAM, owners) == 1
    (told_ru,) = front.server.sent(OWNER)[before:]
    (told_en,) = front.server.sent(other_owner)
    # Sent as HTML: the apostrophe of "source's" is escaped on the wire.
    assert html.unescape(told_ru.text or "") == (
        f"Источник #{source.id} «Flaky» отключён после 8 ошибок подряд; последняя: "
        f"{source_error('HTTP 500 Internal Server Error', Language.RU)}."
    )
    assert html.unescape(told_en.text or "") == (
        f"Source #{source.id} “Flaky” disabled after 8 failures in a row; last: "
        f"{source_error('HTTP 500 Internal Server Error', Language.EN)}."
    )
    assert "HTTP 500" in (told_ru.text or "")
    assert await front.store.notices.pending() == []
    assert await outbox.deliver_notices(Platform.TELEGRAM, owners) == 0  # told once


async def test_webhook_mode_registers_the_url_and_answers_updates(front: Front) -> None:
    runner = await start_webhook(
        front.dispatcher,
        front.bot,
        public_url="https://bot.example.org/telegram/webhook",
        host="127.0.0.1",
        port=0,
        secret="s3cret-token",
    )
    try:
        (registered,) = front.server.calls_of("setWebhook")
        assert registered.params["url"] == "https://bot.example.org/telegram/webhook"
        (address,) = runner.addresses
        port = address[1]
        update = front.server.push_message(USER, USER, "/help")
        url = f"http://127.0.0.1:{port}/telegram/webhook"
        async with aiohttp.ClientSession() as http:
            refused = await http.post(url, json=update)
            assert refused.status == 401  # no secret: not Telegram
            headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
            accepted = await http.post(url, json=update, headers=headers)
            assert accepted.status == 200
        (reply,) = await front.server.wait_for_sent(1, chat_id=USER)
        assert "/compare A B" in (reply.text or "")
    finally:
        await runner.cleanup()


async def test_a_group_at_its_minute_cap_waits_alone() -> None:
    """A busy group's minute window never holds up the other chats' messages."""
    limiter = RateLimiter(per_second=1000, per_minute=2)
    started = time.monotonic()
    await limiter.acquire("-1001", group=True)
    await limiter.acquire("-1001", group=True)
    third = asyncio.create_task(limiter.acquire("-1001", group=True))  # waits ~60 s
    await asyncio.sleep(0.05)
    await limiter.acquire("42", group=False)
    await limiter.acquire("-1002", group=True)
    assert time.monotonic() - started < 1.0 and not third.done()
    third.cancel()


async def test_an_unreachable_platform_is_retried_later_and_loses_nothing(front: Front) -> None:
    """The Bot API server goes away mid-run: the row goes back to the queue with the reason."""
    _, _, digest = await queued_to_one_group(front, stories=1)
    await front.server.stop()
    report = await front.outbox().deliver_pending()
    assert report.retried == 1
    (delivery,) = await front.store.deliveries.for_digest(digest.id)
    assert delivery.state is DeliveryState.PENDING and delivery.last_error
    assert delivery.next_attempt_at is not None and delivery.next_attempt_at > front.clock.now()

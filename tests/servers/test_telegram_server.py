"""The fake Telegram Bot API host, driven through aiogram's real Bot and AiohttpSession."""

from __future__ import annotations

import asyncio
import struct
import time
import zlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ChatMemberStatus
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.filters import CommandStart
from aiogram.types import (
    BufferedInputFile,
    ChatMemberAdministrator,
    ChatMemberLeft,
    ChatMemberMember,
    ChatMemberOwner,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
)

from tests.servers.telegram import TOKEN, EntityParseError, FakeTelegram, parse_html

USER = 4242
GROUP = -1001234567890


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def bot(server: FakeTelegram) -> AsyncIterator[Bot]:
    bot = server.make_bot(default=DefaultBotProperties(parse_mode="HTML"))
    try:
        yield bot
    finally:
        await bot.session.close()


def png(width: int, height: int) -> bytes:
    """A valid (blank, grey) PNG of this size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


# Sends


async def test_send_message_html_round_trip_is_recorded(server: FakeTelegram, bot: Bot) -> None:
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Open", url="https://example.org/a")]]
    )
    message = await bot.send_message(
        USER,
        '<b>GPT-5</b> is out &amp; <a href="https://example.org/a">cheaper</a>',
        reply_markup=markup,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )

    assert message.message_id == 1
    assert message.chat.id == USER and message.chat.type == "private"
    assert message.from_user is not None and message.from_user.is_bot
    assert message.text == "GPT-5 is out & cheaper"
    assert [(e.type, e.offset, e.length) for e in message.entities or []] == [
        ("bold", 0, 5),
        ("text_link", 15, 7),
    ]
    assert (
        message.html_text == '<b>GPT-5</b> is out &amp; <a href="https://example.org/a">cheaper</a>'
    )
    second = await bot.send_message(USER, "again")
    assert second.message_id == 2
    assert (await bot.send_message(USER + 1, "other chat")).message_id == 1

    [call, *_] = server.sent(USER)
    assert call.method == "sendMessage" and call.status == 200 and call.ok
    assert call.token == TOKEN
    assert call.params["chat_id"] == USER
    assert call.params["parse_mode"] == "HTML"
    assert call.text == '<b>GPT-5</b> is out &amp; <a href="https://example.org/a">cheaper</a>'
    assert call.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "Open", "url": "https://example.org/a"}]]
    }
    assert call.params["link_preview_options"] == {"is_disabled": True}
    assert call.raw["link_preview_options"] == '{"is_disabled": true}'
    assert call.raw["chat_id"] == str(USER)
    assert call.files == {}
    assert [c.params["text"] for c in server.sent(USER)] == [call.text, "again"]
    assert len(server.sent()) == 3
    assert len(server.calls_of("sendmessage")) == 3


async def test_send_photo_records_the_uploaded_bytes(server: FakeTelegram, bot: Bot) -> None:
    image = png(320, 200)
    message = await bot.send_photo(
        GROUP,
        BufferedInputFile(image, filename="chart.png"),
        caption="<i>Prices</i> this week",
    )

    assert message.chat.type == "supergroup"
    assert message.caption == "Prices this week"
    assert message.photo is not None and (message.photo[-1].width, message.photo[-1].height) == (
        320,
        200,
    )
    [call] = server.sent(GROUP)
    assert call.method == "sendPhoto"
    assert call.files == {"photo": image}
    assert call.filenames == {"photo": "chart.png"}
    assert call.params["photo"].startswith("attach://")
    assert call.params["caption"] == "<i>Prices</i> this week"

    # The file can be fetched back the way aiogram downloads files.
    file = await bot.get_file(message.photo[-1].file_id)
    assert file.file_path is not None and file.file_size == len(image)
    downloaded = await bot.download_file(file.file_path)
    assert downloaded is not None and downloaded.read() == image


async def test_get_me_and_plain_methods(server: FakeTelegram, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.is_bot and me.username == "aiprogress_test_bot" and me.id == 123456789
    assert await bot.delete_webhook(drop_pending_updates=True) is True
    assert await bot.set_my_commands([]) is True
    assert await bot.answer_callback_query("77", text="done") is True
    assert await bot.log_out() is True
    assert await bot.close() is True
    chat = await bot.get_chat(GROUP)
    assert chat.id == GROUP and chat.type == "supergroup"
    assert [c.method for c in server.calls][:2] == ["getMe", "deleteWebhook"]
    assert server.calls_of("answerCallbackQuery")[0].params["callback_query_id"] == "77"
    assert all(c.status == 200 for c in server.calls)


# Scripted errors


async def test_scripted_429_raises_retry_after(server: FakeTelegram, bot: Bot) -> None:
    server.fail("sendMessage", status=429, retry_after=7)
    with pytest.raises(TelegramRetryAfter) as raised:
        await bot.send_message(USER, "hello")
    assert raised.value.retry_after == 7
    assert "Too Many Requests: retry after 7" in str(raised.value)
    [failed] = server.calls_of("sendMessage")
    assert failed.status == 429 and failed.retry_after == 7 and not server.sent()
    assert server.rejected_429 == 1
    # Only once: the next call goes through.
    await bot.send_message(USER, "hello")
    assert len(server.sent()) == 1


async def test_scripted_failure_for_one_chat_and_several_times(
    server: FakeTelegram, bot: Bot
) -> None:
    server.fail(
        "sendMessage", status=400, description="Bad Request: chat not found", chat_id=GROUP, times=2
    )
    await bot.send_message(USER, "unaffected")
    for _ in range(2):
        with pytest.raises(TelegramBadRequest, match="chat not found"):
            await bot.send_message(GROUP, "x")
    await bot.send_message(GROUP, "now it works")
    assert [c.status for c in server.calls_of("sendMessage")] == [200, 400, 400, 200]


async def test_scripted_403_raises_forbidden(server: FakeTelegram, bot: Bot) -> None:
    server.fail("sendMessage", status=403, description="Forbidden: bot was blocked by the user")
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(USER, "hello")


async def test_blocked_and_missing_chats(server: FakeTelegram, bot: Bot) -> None:
    server.block(USER)
    server.missing(-100999)
    for _ in range(2):
        with pytest.raises(TelegramForbiddenError, match="Forbidden: bot was blocked by the user"):
            await bot.send_message(USER, "hello")
    with pytest.raises(TelegramForbiddenError):
        await bot.send_photo(USER, BufferedInputFile(png(1, 1), "x.png"))
    with pytest.raises(TelegramBadRequest, match="Bad Request: chat not found"):
        await bot.send_message(-100999, "hello")
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.get_chat(-100999)
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message("@nobody_here", "hello")
    assert server.sent() == []
    server.unblock(USER)
    await bot.send_message(USER, "back")
    assert len(server.sent(USER)) == 1


async def test_unknown_token_is_unauthorized() -> None:
    async with FakeTelegram(token=TOKEN) as server:
        bot = server.make_bot("987:another-token")
        try:
            with pytest.raises(TelegramUnauthorizedError):
                await bot.get_me()
        finally:
            await bot.session.close()


# Validation


async def test_too_long_text_and_caption_are_refused(server: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="Bad Request: message is too long"):
        await bot.send_message(USER, "x" * 4097)
    with pytest.raises(TelegramBadRequest, match="Bad Request: message caption is too long"):
        await bot.send_photo(USER, BufferedInputFile(png(1, 1), "x.png"), caption="y" * 1025)
    assert [c.status for c in server.calls] == [400, 400]

    # Counted after parsing: tags do not count, an entity is one character, and so is an emoji.
    await bot.send_message(USER, "x" * 4096)
    await bot.send_message(USER, "<b>" + "x" * 4096 + "</b>")
    await bot.send_message(USER, "&lt;" * 4096)
    await bot.send_message(USER, "😀" * 4096)
    await bot.send_message(USER, "  " + "x" * 4096 + "\n\n")  # trimmed like Telegram does
    await bot.send_photo(
        USER, BufferedInputFile(png(1, 1), "x.png"), caption="<b>" + "y" * 1024 + "</b>"
    )
    assert len(server.sent(USER)) == 6
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(USER, "&amp;" * 4097)
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(USER, "<b> </b>")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("<div>news</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("GPT-5 <br> out", 'Unsupported start tag "br" at byte offset 6'),
        ("price < 5 $", 'Unsupported start tag "" at byte offset 6'),
        ("<b>bold</i>", 'Unmatched end tag at byte offset 7, expected "</b>", found "</i>"'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("bold</b>", "Unexpected end tag at byte offset 4"),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("«é» <p>", 'Unsupported start tag "p" at byte offset 7'),
    ],
)
async def test_bad_html_is_refused(server: FakeTelegram, bot: Bot, text: str, error: str) -> None:
    with pytest.raises(TelegramBadRequest) as raised:
        await bot.send_message(USER, text)
    assert raised.value.message == f"Bad Request: can't parse entities: {error}"
    [call] = server.calls
    assert call.status == 400 and call.description == raised.value.message
    # Without a parse mode the same text is fine.
    await bot.send_message(USER, text, parse_mode=None)
    assert server.sent(USER)[0].params.get("parse_mode") is None


def test_parse_html_accepts_everything_telegram_allows() -> None:
    text = (
        "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s>"
        "<strike>k</strike><del>d</del><span class='tg-spoiler'>p</span><tg-spoiler>q</tg-spoiler>"
        '<a href="https://t.me/x?a=1&amp;b=2">a</a><code>c</code>'
        '<pre><code class="language-python">x = 1</code></pre><blockquote>q</blockquote>'
        '<blockquote expandable>z</blockquote><tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    )
    plain, entities = parse_html(text)
    assert plain == "bsieunskdpqacx = 1qz👍"
    kinds = [e["type"] for e in entities]
    assert kinds == [
        "bold",
        "bold",
        "italic",
        "italic",
        "underline",
        "underline",
        "strikethrough",
        "strikethrough",
        "strikethrough",
        "spoiler",
        "spoiler",
        "text_link",
        "code",
        "pre",
        "blockquote",
        "expandable_blockquote",
        "custom_emoji",
    ]
    assert entities[11]["url"] == "https://t.me/x?a=1&b=2"
    assert entities[13]["language"] == "python"
    assert parse_html("a &amp; b &lt;c&gt; &quot;d&quot; &#65;&#x42; &nbsp;") == (
        'a & b <c> "d" AB &nbsp;',
        [],
    )
    with pytest.raises(EntityParseError, match="Unclosed start tag"):
        parse_html("<b")


# Flood limits


async def test_enforced_limits_give_429_past_20_per_minute_to_a_group() -> None:
    async with FakeTelegram(enforce_limits=True) as server:
        bot = server.make_bot()
        try:
            for n in range(20):
                await bot.send_message(GROUP, f"news {n}")
            with pytest.raises(TelegramRetryAfter) as raised:
                await bot.send_message(GROUP, "one too many")
            assert 55 <= raised.value.retry_after <= 60
            # Other chats are not affected, and the refused send did not count.
            await bot.send_message(USER, "private")
            await bot.send_message(-1009876543210, "another group")
        finally:
            await bot.session.close()
    assert len(server.sent(GROUP)) == 20
    assert server.rejected_429 == 1
    [refused] = [c for c in server.calls if c.status == 429]
    assert refused.description == f"Too Many Requests: retry after {refused.retry_after}"


async def test_enforced_limits_slide_with_the_clock() -> None:
    now = [1000.0]
    async with FakeTelegram(
        enforce_limits=True, global_per_second=30, group_per_minute=20, clock=lambda: now[0]
    ) as server:
        bot = server.make_bot()
        try:
            # 40 private chats at once: 30 go through within the second, 10 are refused.
            results = await asyncio.gather(
                *(bot.send_message(USER + n, "hi") for n in range(40)), return_exceptions=True
            )
            refused = [r for r in results if isinstance(r, TelegramRetryAfter)]
            assert len(refused) == 10 and {r.retry_after for r in refused} == {1}
            assert len(server.sent()) == 30 and server.rejected_429 == 10
            now[0] += 1.0
            await bot.send_message(USER, "the window moved on")

            # A group: 20 a minute, whatever the pace; the wait is what is left of the minute.
            for n in range(20):
                now[0] += 2.0
                await bot.send_message(GROUP, f"{n}")
            with pytest.raises(TelegramRetryAfter) as raised:
                await bot.send_message(GROUP, "too soon")
            assert raised.value.retry_after == 22  # the first of the 20 was 38 s ago
            now[0] += 22.0
            await bot.send_message(GROUP, "in time")
        finally:
            await bot.session.close()
    assert server.rejected_429 == 11
    assert len(server.sent(GROUP)) == 21


# Chat members


async def test_get_chat_member_returns_the_configured_status(
    server: FakeTelegram, bot: Bot
) -> None:
    server.set_member(GROUP, 1, "creator")
    server.set_member(GROUP, 2, "administrator")
    server.set_member(GROUP, 3, "left")
    owner = await bot.get_chat_member(GROUP, 1)
    admin = await bot.get_chat_member(GROUP, 2)
    gone = await bot.get_chat_member(GROUP, 3)
    member = await bot.get_chat_member(GROUP, 4)
    assert isinstance(owner, ChatMemberOwner) and owner.status == ChatMemberStatus.CREATOR
    assert (
        isinstance(admin, ChatMemberAdministrator)
        and admin.status == ChatMemberStatus.ADMINISTRATOR
    )
    assert isinstance(gone, ChatMemberLeft) and gone.status == ChatMemberStatus.LEFT
    assert isinstance(member, ChatMemberMember) and member.user.id == 4
    admins = await bot.get_chat_administrators(GROUP)
    assert sorted(a.user.id for a in admins) == [1, 2]
    assert server.calls_of("getChatMember")[1].params == {"chat_id": GROUP, "user_id": 2}


# Updates


async def test_get_updates_long_polls_and_honours_offset(server: FakeTelegram, bot: Bot) -> None:
    assert await bot.get_updates(timeout=0) == []

    async def push_later() -> None:
        await asyncio.sleep(0.1)
        server.push_message(USER, USER, "/start now")

    started = time.monotonic()
    pusher = asyncio.create_task(push_later())
    [update] = await bot.get_updates(timeout=10)
    await pusher
    assert 0.05 < time.monotonic() - started < 0.9
    assert update.message is not None and update.message.text == "/start now"
    assert update.message.from_user is not None and update.message.from_user.id == USER
    assert update.message.chat.type == "private"
    [entity] = update.message.entities or []
    assert (entity.type, entity.offset, entity.length) == ("bot_command", 0, 6)

    # Not confirmed yet: answered again; then confirmed by the offset.
    assert [u.update_id for u in await bot.get_updates(timeout=0)] == [update.update_id]
    server.push_message(GROUP, USER, "plain text", chat_type="supergroup")
    again = await bot.get_updates(offset=update.update_id + 1, timeout=0)
    assert [u.update_id for u in again] == [update.update_id + 1]
    assert again[0].message is not None and again[0].message.entities is None
    assert len(server.pending_updates) == 1


async def test_long_poll_is_capped() -> None:
    async with FakeTelegram(max_poll_seconds=0.2) as server:
        bot = server.make_bot()
        try:
            started = time.monotonic()
            assert await bot.get_updates(timeout=30) == []
            assert 0.15 < time.monotonic() - started < 2
        finally:
            await bot.session.close()


async def test_dispatcher_answers_start_through_polling(server: FakeTelegram) -> None:
    router = Router()
    seen: list[str] = []

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        seen.append(message.text or "")
        await message.answer("Welcome to <b>AI Progress</b>")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    bot = server.make_bot(default=DefaultBotProperties(parse_mode="HTML"))
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, polling_timeout=5)
    )
    try:
        await server.wait_for(lambda: server.polls_started > 0)
        server.push_message(USER, USER, "hello")  # no handler: ignored
        server.push_message(USER, USER, "/start")
        [reply] = await server.wait_for_sent(1, chat_id=USER)
        # The updates get confirmed through the offset of the next poll.
        await server.wait_for(lambda: not server.pending_updates)
    finally:
        await dispatcher.stop_polling()
        await asyncio.wait_for(polling, 5)

    assert seen == ["/start"]
    assert reply.params["text"] == "Welcome to <b>AI Progress</b>"
    assert reply.params["parse_mode"] == "HTML"
    assert reply.result["text"] == "Welcome to AI Progress"
    assert server.calls[0].method == "getMe"
    polls = server.calls_of("getUpdates")
    assert polls[0].params["timeout"] == 5
    assert polls[0].params["allowed_updates"] == ["message"]


async def test_wait_for_times_out(server: FakeTelegram) -> None:
    with pytest.raises(TimeoutError, match=r"^1 messages not sent within 0\.05 s: none$"):
        await server.wait_for_sent(1, timeout=0.05)


def test_in_thread_for_synchronous_callers() -> None:
    with FakeTelegram().in_thread() as server:

        async def send() -> Any:
            bot = server.make_bot()
            try:
                server.push_message(USER, USER, "/start")
                updates = await bot.get_updates(timeout=1)
                await bot.send_message(USER, "from another loop")
                return updates
            finally:
                await bot.session.close()

        updates = asyncio.run(send())
        assert len(updates) == 1
        [call] = server.wait_until_sent(1, timeout=2)
        assert call.params["text"] == "from another loop"

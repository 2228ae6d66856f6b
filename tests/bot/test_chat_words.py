"""What people who talk to the Telegram bot read, through aiogram's dispatcher and the fake Bot
API: /help names every command with what it does, in the chat's language and nothing else; the
menu offers what channel admins use; refusals say the usage in the chat's language; a reply
repeats a pasted wall of text only in part; a word /subscribe does not take is told as such; a
channel's admins run its commands by posting them in it."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator

import pytest

from aiprogress.bot.arguments import ECHO_LIMIT
from aiprogress.bot.command_registry import COMMANDS, description, usage
from aiprogress.bot.telegram import register_menus, start_webhook
from aiprogress.core.clock import FixedClock
from aiprogress.core.messages import message
from aiprogress.core.types import Language, Platform
from aiprogress.storage.store import SqlStore
from tests.bot.test_telegram import OWNER, USER, Front, open_front
from tests.conftest import Bundled


@pytest.fixture
async def front(store: SqlStore, clock: FixedClock) -> AsyncIterator[Front]:
    async with open_front(store, clock) as front:
        yield front


@pytest.fixture
async def front_with_models(bundled: Bundled, clock: FixedClock) -> AsyncIterator[Front]:
    async with open_front(bundled.store, clock) as front:
        yield front


# Latin words a Russian reply may hold: command syntax and names ("A vs B", "RE2").
_NAMES = re.compile(
    r"/[a-z_]+(?:@\w+)?|\[[^\]]*\]|\bRE2\b|\bvs\b|\bru\|en\b|\bURL\b|\bID\b|\bA B\b"
)


def english_words(text: str) -> list[str]:
    """The Latin words of a reply once command syntax and names are taken out."""
    return re.findall(r"[A-Za-z]{2,}", _NAMES.sub("", text))


async def test_help_says_what_every_command_does_in_the_chats_language(front: Front) -> None:
    """Each command on its own line with what it does (the owners' too, which used to be listed
    by name only), who may change a group's settings, and no English in the Russian text."""
    _, help_ru, _, help_en = await front.replies(USER, "/lang ru", "/help", "/lang en", "/help")
    for language, text in ((Language.RU, help_ru), (Language.EN, help_en)):
        lines = html.unescape(text).splitlines()
        for command in COMMANDS:
            if command.in_help:
                line = f"{usage(command, language)} — {description(command, language)}"
                assert line in lines, (language, command.name)
        assert message("bot.help.chat_admins", language) in lines
        assert message("bot.help.owners", language) in lines
    assert english_words(html.unescape(help_ru)) == []
    # The owners' commands come after everyone's, under their heading.
    lines = html.unescape(help_en).splitlines()
    heading = lines.index(message("bot.help.owners", Language.EN))
    assert all(
        line.startswith("/source") or line.startswith("/failing") for line in lines[heading + 1 :]
    )


async def test_the_menu_offers_what_chats_and_channel_admins_use(front: Front) -> None:
    """A chat's own settings (/filters) and adding one's channel (/channel_add) are for anyone
    who runs a chat, not for the bot's owners: they are in the menu in both languages; the
    shared sources' commands are not."""
    await register_menus(front.bot, Language.RU)
    for code in ("ru", "en"):
        listed = [c.command for c in await front.bot.get_my_commands(language_code=code)]
        assert {"filters", "channel_add", "subscribe", "lang"} <= set(listed)
        assert not {"sources", "source_add", "failing"} & set(listed)


async def test_usage_lines_are_in_the_chats_language(front: Front) -> None:
    _, filters, channel, _, filters_en = await front.replies(
        USER, "/lang ru", "/filters sort", "/channel_add mine", "/lang en", "/filters sort"
    )
    assert filters == "Как писать: /filters [include|exclude|include_re|exclude_re СЛОВО | clear]"
    assert channel == "Как писать: /channel_add @канал"
    assert filters_en == "Usage: /filters [include|exclude|include_re|exclude_re WORD | clear]"


async def test_a_pasted_wall_of_text_is_repeated_only_in_part(front_with_models: Front) -> None:
    """A 5,000-character "model name" was repeated whole, over three messages; the reply now
    quotes its start, in one message."""
    front = front_with_models
    wall = "x" * 5000
    before = len(front.server.sent(USER))
    for command in (f"/compare {wall} gpt-4o", f"/models {wall}"):
        await front.command(USER, USER, command)
    unknown, nothing = [call.text or "" for call in front.server.sent(USER)[before:]]
    assert unknown.startswith("I don&#x27;t know the model “xxx") and unknown.endswith("…”.")
    assert nothing.startswith("Nothing found for “xxx") and nothing.endswith("…”.")
    for reply in (unknown, nothing):
        assert html.unescape(reply).count("x") == ECHO_LIMIT - 1


async def test_a_word_subscribe_does_not_take_is_told_as_such(front: Front) -> None:
    """ "/subscribe hourly" was answered "'hourly' is not a time zone": any word that was not a
    period or a time was taken for a zone. Nothing is subscribed."""
    _, hourly, _, nine = await front.replies(
        USER, "/lang ru", "/subscribe hourly", "/lang en", "/subscribe daily 9"
    )
    assert hourly == html.escape(message("bot.subscribe.word", Language.RU, value="hourly"))
    assert nine == html.escape(message("bot.subscribe.word", Language.EN, value="9"))
    assert "часовой пояс" in hourly and "daily или weekly" in hourly
    chat = await front.store.channels.find(Platform.TELEGRAM, str(USER))
    assert chat is not None and not chat.active and chat.period is None
    # A zone that looks like one is still told as a zone.
    (zone,) = await front.replies(USER, "/subscribe daily Mars/Olympus")
    assert zone == html.escape(message("bot.input.timezone", Language.EN, value="Mars/Olympus"))


async def test_an_owner_reads_the_sources_commands_in_help(front: Front) -> None:
    (text,) = await front.replies(OWNER, "/help")
    assert "/source_add URL — add a source" in text.splitlines()


CHANNEL = -1001234567890


async def test_a_channels_admin_subscribes_it_by_posting_in_it(front: Front) -> None:
    """A channel post has no sender but the channel, and only its admins can post: /lang and
    /subscribe posted there change the channel (a private channel has no @name /channel_add
    could take). It was not answered at all. The shared sources stay the owners'."""
    said = []
    for text in ("/lang ru", "/subscribe weekly 08:00 Europe/Moscow", "/sources"):
        before = len(front.server.sent(CHANNEL))
        update = front.server.push_channel_post(CHANNEL, text, title="ИИ-новости")
        await front.dispatcher.feed_raw_update(front.bot, update)
        (reply,) = front.server.sent(CHANNEL)[before:]
        said.append(html.unescape(reply.text or ""))
    assert said == [
        message("bot.lang.set", Language.RU),
        "Подписка оформлена: раз в неделю, в 08:00 (Europe/Moscow).",
        message("bot.not_admin", Language.RU),
    ]
    channel = await front.store.channels.find(Platform.TELEGRAM, str(CHANNEL))
    assert channel is not None and channel.active and channel.kind.value == "channel"
    assert channel.title == "ИИ-новости" and channel.admin_ids == ()


async def test_channel_posts_are_asked_for_by_polling_and_the_webhook(front: Front) -> None:
    assert "channel_post" in front.dispatcher.resolve_used_update_types()
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
    finally:
        await runner.cleanup()
    assert {"message", "channel_post", "callback_query"} <= set(
        registered.params["allowed_updates"]
    )

"""The Discord front end: discord.py's real HTTP client against a fake Discord REST server.
Delivery through the outbox (embeds within limits, 429s, Forbidden and Unknown Channel, a
channel webhook), and slash-command callbacks over the same command layer as Telegram."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import discord
import pytest

from aiprogress.bot.command_registry import (
    COMMANDS,
    ChatCommand,
    choice_key,
    help_text,
    option_description_key,
    slash_commands,
)
from aiprogress.bot.commands import CommandLayer
from aiprogress.bot.discord import AiProgressDiscordBot
from aiprogress.bot.render.discord import render_discord_text
from aiprogress.core.channels import ChannelDesk
from aiprogress.core.clock import FixedClock
from aiprogress.core.messages import CATALOGUE, message
from aiprogress.core.outbox import Outbox, OutboxSettings
from aiprogress.core.service import AiProgress
from aiprogress.core.types import (
    AdminNotice,
    ChatKind,
    DeliveryState,
    Digest,
    Language,
    NoticeKind,
    Platform,
)
from aiprogress.sources.http import HttpFetcher
from aiprogress.storage.store import SqlStore
from tests.bot.test_telegram import long_document, stored_digest
from tests.builders import make_desk, make_service
from tests.conftest import snapshot_feed
from tests.servers.discord import (
    BOT_ID,
    CHANNEL_ID,
    DEFAULT_PERMISSIONS,
    GUILD_ID,
    OWNER_ID,
    TOKEN,
    ChannelInfo,
    FakeDiscord,
)
from tests.servers.feeds import FeedServer

MANAGE_GUILD = 1 << 5


@dataclass
class Front:
    server: FakeDiscord
    client: AiProgressDiscordBot
    service: AiProgress
    desk: ChannelDesk
    store: SqlStore
    clock: FixedClock
    layer: CommandLayer

    def outbox(self) -> Outbox:
        return Outbox(
            store=self.store, senders={Platform.DISCORD: self.client.sender}, clock=self.clock
        )

    async def channel(self, address: str) -> int:
        channel = await self.desk.chat(Platform.DISCORD, address, kind=ChatKind.GROUP)
        return (await self.desk.subscribe(channel, admin_id=str(OWNER_ID))).id


async def _names(current: str) -> list[str]:
    return [name for name in ("gpt-4.5", "gpt-4o") if current in name]


@pytest.fixture
async def front(store: SqlStore, clock: FixedClock) -> AsyncIterator[Front]:
    async with open_front(store, clock) as front:
        yield front


@asynccontextmanager
async def open_front(store: SqlStore, clock: FixedClock) -> AsyncIterator[Front]:
    """The bot logged in (REST only) to a fake Discord of its own, over the command layer."""
    async with (
        FakeDiscord() as server,
        server.patch_base(),
        HttpFetcher(allow_private=True) as fetcher,
    ):
        service = make_service(store, clock, fetcher)
        desk = make_desk(store, service, clock)
        layer = CommandLayer(service=service, desk=desk, owner_ids=frozenset())
        client = AiProgressDiscordBot(layer=layer, model_names=_names, test_guild_id=GUILD_ID)
        await client.login(TOKEN)  # REST only: no gateway
        try:
            yield Front(server, client, service, desk, store, clock, layer)
        finally:
            await client.close()


def within_discord_limits(call: Any) -> bool:
    embeds = call.embeds
    total = 0
    for embed in embeds:
        fields = embed.get("fields", [])
        total += len(embed.get("title", "")) + len(embed.get("description", ""))
        total += sum(len(f["name"]) + len(f["value"]) for f in fields)
        total += len(embed.get("footer", {}).get("text", ""))
        if len(fields) > 25 or len(embed.get("description", "")) > 4096:
            return False
    return len(call.content or "") <= 2000 and len(embeds) <= 10 and total <= 6000


# --- delivery --------------------------------------------------------------------------------


async def test_a_long_digest_reaches_channels_as_embeds_within_limits(front: Front) -> None:
    first, second = CHANNEL_ID, CHANNEL_ID + 7
    ids = [await front.channel(str(first)), await front.channel(str(second))]
    digest = await stored_digest(front, long_document())
    await front.store.deliveries.enqueue(digest.id, ids)

    report = await front.outbox().deliver_pending()

    assert report.sent == 2
    sent = front.server.messages(first)
    assert len(sent) > 1 and len(front.server.messages(second)) == len(sent)
    assert all(within_discord_limits(call) for call in sent)
    assert all(call.body["allowed_mentions"]["parse"] == [] for call in sent)


async def test_429_is_waited_out_by_discord_py(front: Front) -> None:
    ids = [await front.channel(str(CHANNEL_ID))]
    digest = await stored_digest(front, long_document(stories=1))
    await front.store.deliveries.enqueue(digest.id, ids)
    front.server.fail("POST /channels", status=429, retry_after=0.2)
    report = await front.outbox().deliver_pending()
    assert report.sent == 1
    statuses = [c.status for c in front.server.requests if c.path.endswith("/messages")]
    assert statuses[:2] == [429, 200]


@pytest.mark.parametrize("gone", ["forbid", "unknown"])
async def test_forbidden_or_unknown_channel_deactivates_it(front: Front, gone: str) -> None:
    bad = CHANNEL_ID + 9
    ids = [await front.channel(str(CHANNEL_ID)), await front.channel(str(bad))]
    digest = await stored_digest(front, long_document(stories=1))
    await front.store.deliveries.enqueue(digest.id, ids)
    getattr(front.server, gone)(bad)

    report = await front.outbox().deliver_pending()

    assert report.sent == 1 and report.deactivated == 1
    channel = await front.store.channels.find(Platform.DISCORD, str(bad))
    assert channel is not None and not channel.active
    assert ("50001" if gone == "forbid" else "10003") in (channel.deactivated_reason or "")
    # Its admin (a user, no channel) is told in a direct message.
    dm = front.server.dm_channel(OWNER_ID)
    assert dm is not None
    (told,) = front.server.messages(dm)
    assert str(bad) in (told.content or "")


async def notice(front: Front, name: str) -> AdminNotice:
    return await front.store.notices.add(
        AdminNotice(
            kind=NoticeKind.SOURCE_DISABLED,
            text=f"source {name} disabled",
            created_at=front.clock.now(),
            subject=name,
            detail="disabled after 8 failures in a row; last: HTTP 500",
        )
    )


async def test_owners_are_told_in_a_direct_message_channel_opened_once(front: Front) -> None:
    """Before: the notice was posted to the owner's user id as if it were a channel, which
    Discord answers 404 Unknown Channel (its fake accepted it): no owner was ever told."""
    await notice(front, "Flaky")
    outbox = front.outbox()
    assert await outbox.deliver_notices(Platform.DISCORD, [str(OWNER_ID)]) == 1
    (opened,) = front.server.calls_to("POST /users/@me/channels")
    assert opened.body == {"recipient_id": OWNER_ID}
    dm = front.server.dm_channel(OWNER_ID)
    assert dm is not None
    (told,) = front.server.messages(dm)
    assert "Flaky" in (told.content or "")
    assert not front.server.calls_to(f"/channels/{OWNER_ID}/")
    assert await front.store.notices.pending() == []

    await notice(front, "Other")
    assert await outbox.deliver_notices(Platform.DISCORD, [str(OWNER_ID)]) == 1
    assert len(front.server.messages(dm)) == 2
    assert len(front.server.calls_to("POST /users/@me/channels")) == 1  # remembered


async def test_an_owner_with_dms_closed_is_logged_not_asked_at_every_run(
    front: Front, caplog: pytest.LogCaptureFixture
) -> None:
    """Discord answers 403 Cannot send messages to this user (50007) to a message for an
    owner who takes no DMs from the bot. As for a Telegram owner who blocked the bot: the
    notice stays stored, the refusal is logged with what it means, and the owner is asked
    again after `owner_retry`, not at every delivery run (every 30 s under `run`)."""
    closed, other = OWNER_ID, OWNER_ID + 1
    front.server.add_user(closed, accepts_dms=False)
    await notice(front, "Flaky")
    outbox = Outbox(
        store=front.store,
        senders={Platform.DISCORD: front.client.sender},
        clock=front.clock,
        settings=OutboxSettings(owner_retry=timedelta(hours=1)),
    )
    with caplog.at_level(logging.WARNING, logger="aiprogress.core.outbox"):
        assert await outbox.deliver_notices(Platform.DISCORD, [str(closed)]) == 0
    (refused,) = [call for call in front.server.requests if call.status == 403]
    assert refused.error_code == 50007
    assert f"cannot tell discord owner {closed}" in caplog.text
    assert "50007" in caplog.text and "takes no direct messages from the bot" in caplog.text
    assert len(await front.store.notices.pending()) == 1

    calls = len(front.server.requests)
    assert await outbox.deliver_notices(Platform.DISCORD, [str(closed)]) == 0
    assert len(front.server.requests) == calls  # not asked again at once

    # Another owner who can be written to is told meanwhile; the closed one later, once open.
    front.server.add_user(closed, accepts_dms=True)
    assert await outbox.deliver_notices(Platform.DISCORD, [str(closed), str(other)]) == 1
    assert front.server.messages(front.server.dm_channel(other))
    await notice(front, "Second")
    front.clock.set(front.clock.now() + timedelta(hours=1))
    assert await outbox.deliver_notices(Platform.DISCORD, [str(closed)]) == 1
    assert front.server.messages(front.server.dm_channel(closed))


async def test_an_owner_out_of_reach_is_asked_again_at_the_next_run(
    front: Front, caplog: pytest.LogCaptureFixture
) -> None:
    """A 503 or Discord out of reach is no refusal: the notice stays stored and the owner is
    asked at the next run (a network error no longer escapes the delivery job)."""
    await notice(front, "Flaky")
    outbox = front.outbox()
    front.server.fail("POST /users/@me/channels", status=503)
    with caplog.at_level(logging.WARNING, logger="aiprogress.core.outbox"):
        assert await outbox.deliver_notices(Platform.DISCORD, [str(OWNER_ID)]) == 0
        await front.server.stop()
        assert await outbox.deliver_notices(Platform.DISCORD, [str(OWNER_ID)]) == 0
    assert f"could not tell discord owner {OWNER_ID}: 503" in caplog.text
    assert f"could not tell discord owner {OWNER_ID}: cannot reach Discord" in caplog.text
    assert len(await front.store.notices.pending()) == 1


async def test_delivery_by_channel_webhook(front: Front) -> None:
    hook = front.server.add_webhook(CHANNEL_ID + 3)
    ids = [await front.channel(hook.url)]
    digest: Digest = await stored_digest(front, long_document(stories=3))
    await front.store.deliveries.enqueue(digest.id, ids)
    report = await front.outbox().deliver_pending()
    assert report.sent == 1
    assert front.server.messages(CHANNEL_ID + 3)
    (delivery,) = await front.store.deliveries.for_digest(digest.id)
    assert delivery.state is DeliveryState.SENT


# --- slash commands --------------------------------------------------------------------------


def interaction(
    front: Front, name: str, *, permissions: int = DEFAULT_PERMISSIONS, number: int = 1
) -> discord.Interaction:
    """An application-command interaction as the gateway delivers it."""
    payload = interaction_payload(name, permissions=permissions, number=number)
    return discord.Interaction(data=payload, state=front.client._connection)


def interaction_payload(name: str, *, permissions: int, number: int) -> Any:
    payload: Any = {
        "id": str(1_180_000_000_000_001_000 + number),
        "application_id": str(BOT_ID),
        "type": 2,
        "token": f"interaction-token-{number}",
        "version": 1,
        "channel_id": str(CHANNEL_ID),
        "channel": ChannelInfo(CHANNEL_ID, GUILD_ID, "news").to_api(),
        "guild_id": str(GUILD_ID),
        "data": {"id": "1180000000000000500", "name": name, "type": 1},
        "member": {
            "user": {
                "id": str(OWNER_ID),
                "username": "member",
                "discriminator": "0",
                "avatar": None,
            },
            "roles": [],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": str(permissions),
        },
        "app_permissions": str(DEFAULT_PERMISSIONS),
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(GUILD_ID)},
        "context": 0,
        "attachment_size_limit": 10 * 1024 * 1024,
    }
    return payload


async def invoke(
    front: Front, qualified_name: str, interaction: discord.Interaction, **values: Any
) -> None:
    """A slash command's own callback (`"sources add"`), as discord.py's tree calls it."""
    name, _, sub = qualified_name.partition(" ")
    command: Any = front.client.tree.get_command(name)
    if sub:
        command = command.get_command(sub)
    await command.callback(interaction, **values)


def answered(front: Front) -> list[str]:
    texts = []
    for call in front.server.requests:
        if call.path.endswith("/callback") and isinstance(call.body, dict):
            if call.body.get("type") == 5:
                continue  # deferred ("thinking…"): the answer follows as a webhook message
            texts.append(call.body.get("data", {}).get("content") or "")
        elif "/webhooks/" in call.path and call.method == "POST" and isinstance(call.body, dict):
            texts.append(call.body.get("content") or "")
    return texts


async def test_the_tree_syncs_to_the_test_guild(front: Front) -> None:
    # discord.py runs setup_hook at login: the tree is built and synced by now.
    names = {command["name"] for command in front.server.app_commands(GUILD_ID)}
    assert {"compare", "digest", "models", "lang", "subscribe", "sources", "filters"} <= names
    sources = next(c for c in front.server.app_commands(GUILD_ID) if c["name"] == "sources")
    assert int(sources["default_member_permissions"]) == MANAGE_GUILD
    assert sources["dm_permission"] is False


async def test_compare_is_described_as_discord_takes_it(front: Front) -> None:
    """Discord's /compare has an option per model, so its description drops Telegram's hint
    about writing 'A vs B' when names have spaces."""
    (compare,) = [c for c in front.server.app_commands(GUILD_ID) if c["name"] == "compare"]
    assert compare["description"] == "compare models: text and chart"
    assert compare["description_localizations"]["ru"] == "сравнить модели: текст и график"
    assert [option["name"] for option in compare["options"]] == ["a", "b"]


async def test_every_registry_entry_is_an_application_command_in_both_languages(
    front: Front,
) -> None:
    """As synced to Discord: each registry entry where the registry places it (a command or a
    group's subcommand), described from the catalogue in English with a Russian localization,
    and the admins' gated by Manage Server."""
    synced = {c["name"]: c for c in front.server.app_commands(GUILD_ID)}
    on_discord = 0
    for command in COMMANDS:
        for slash in slash_commands(command):
            on_discord += 1
            if slash.group:
                group = synced[slash.group]
                (entry,) = [o for o in group["options"] if o["name"] == slash.name]
                gate = group["default_member_permissions"]
            else:
                entry = synced[slash.name]
                gate = entry["default_member_permissions"]
            key = f"command.{command.name}" + (f".{slash.description}" if slash.description else "")
            assert entry["description"] == message(key, Language.EN)
            assert entry["description_localizations"]["ru"] == message(key, Language.RU)
            assert [o["name"] for o in entry.get("options", [])] == [
                option.name for option in slash.options
            ]
            assert (gate is not None and int(gate) == MANAGE_GUILD) is command.admin
    # Telegram-only: /start (Discord lists commands itself) and /channel_add (Telegram channels).
    assert {c.name for c in COMMANDS if not slash_commands(c)} == {"start", "channel_add"}
    subcommands = sum(
        len(c.get("options", [])) for c in synced.values() if c["name"] in ("sources", "filters")
    )
    assert len(synced) - 2 + subcommands == on_discord


def _descriptions(node: dict[str, Any]) -> list[str]:
    """Every description in a synced command and its options, subcommands' options included."""
    found = [node.get("description", "")]
    for option in node.get("options", []):
        found += _descriptions(option)
    return found


async def test_every_option_is_described_from_the_catalogue_in_both_languages(
    front: Front,
) -> None:
    """As synced to Discord: no description is discord.py's placeholder; each option's is its
    catalogue words in English with the Russian localization, within Discord's 100 characters,
    and so are its choices' names."""
    synced = {c["name"]: c for c in front.server.app_commands(GUILD_ID)}
    described = 0
    for command in COMMANDS:
        for slash in slash_commands(command):
            if slash.group:
                (entry,) = [o for o in synced[slash.group]["options"] if o["name"] == slash.name]
            else:
                entry = synced[slash.name]
            for option, sent in zip(slash.options, entry.get("options", []), strict=True):
                key = option_description_key(option)
                english, russian = message(key, Language.EN), message(key, Language.RU)
                assert sent["description"] == english
                assert sent["description_localizations"]["ru"] == russian
                assert max(len(english), len(russian)) <= 100
                # Its choices, if any, are listed by their words; the value sent stays the same.
                assert [
                    (c["value"], c["name"], c["name_localizations"]["ru"])
                    for c in sent.get("choices", [])
                ] == [
                    (c, message(choice_key(c), Language.EN), message(choice_key(c), Language.RU))
                    for c in option.choices
                ]
                described += 1
    # /digest 1, /compare 2, /models 1, /lang 1, /subscribe 3, /sources 4, /filters add 2.
    assert described == 14
    descriptions = [d for command in synced.values() for d in _descriptions(command)]
    assert "…" not in descriptions
    assert "" not in descriptions


async def test_a_new_registry_entry_becomes_a_slash_command(
    front: Front, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Adding a command: its registry entry and its words, and Discord has it (the handler is
    the command layer's)."""
    monkeypatch.setitem(
        CATALOGUE, "command.ping", {Language.RU: "проверка", Language.EN: "a check"}
    )
    monkeypatch.setitem(CATALOGUE, "command.ping.args", {Language.RU: "ТЕКСТ", Language.EN: "TEXT"})
    table = (*COMMANDS, ChatCommand("ping", "basics", args=True))
    client = AiProgressDiscordBot(
        layer=front.layer, model_names=_names, test_guild_id=GUILD_ID, command_table=table
    )
    await client.login(TOKEN)
    try:
        (ping,) = [c for c in front.server.app_commands(GUILD_ID) if c["name"] == "ping"]
    finally:
        await client.close()
    assert ping["description"] == "a check"
    assert ping["description_localizations"]["ru"] == "проверка"
    assert [(o["name"], o["required"]) for o in ping["options"]] == [("args", False)]
    assert ping["options"][0]["description"] == message("discord.option.args", Language.EN)
    assert ping["default_member_permissions"] is None


async def test_admin_groups_refuse_members_without_manage_server(
    front: Front, feed_server: FeedServer
) -> None:
    feed = feed_server.feed("/feed.xml", snapshot_feed("ollama-blog.rss"))
    await invoke(front, "sources add", interaction(front, "sources"), url=feed)
    await invoke(
        front,
        "filters add",
        interaction(front, "filters", number=2),
        kind="exclude",
        value="crypto",
    )
    assert answered(front) == ["Only admins can do that. Nothing was changed."] * 2
    assert await front.service.list_sources() == []
    channel = await front.store.channels.find(Platform.DISCORD, str(CHANNEL_ID))
    assert channel is not None and channel.item_filter.empty

    manager = DEFAULT_PERMISSIONS | MANAGE_GUILD
    await invoke(
        front, "sources add", interaction(front, "sources", permissions=manager, number=3), url=feed
    )
    # Links are wrapped in <> so Discord shows no preview card.
    assert answered(front)[-1] == f"Added source #1 “Ollama Blog”: <{feed}>"


def pressed(
    question: dict[str, Any], message_id: str, label: str, *, permissions: int, number: int
) -> Any:
    """The gateway's payload for a press of the button `label` under the bot's message."""
    (row,) = question["components"]
    (custom_id,) = (b["custom_id"] for b in row["components"] if b["label"] == label)
    payload = interaction_payload("sources", permissions=permissions, number=number)
    return {
        **payload,
        "type": 3,
        "data": {"custom_id": custom_id, "component_type": 2},
        "message": {
            "id": message_id,
            "channel_id": str(CHANNEL_ID),
            "author": {"id": str(BOT_ID), "username": "bot", "discriminator": "0", "avatar": None},
            "content": question["content"],
            "timestamp": "2026-08-15T00:00:00+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 0,
            "components": question["components"],
        },
    }


async def test_sources_remove_asks_first_with_buttons(front: Front) -> None:
    await front.service.add_source("https://example.com/feed.xml", name="Example")
    manager = DEFAULT_PERMISSIONS | MANAGE_GUILD
    await invoke(
        front, "sources remove", interaction(front, "sources", permissions=manager), source_id=1
    )
    (call,) = [call for call in front.server.requests if call.path.endswith("/callback")]
    asked = call.body["data"]
    # The view is bound to the message the answer became.
    message_id = call.response["interaction"]["response_message_id"]
    assert asked["content"] == (
        "Remove source #1 “Example” (<https://example.com/feed.xml>) and the items collected "
        "from it?"
    )
    assert len(await front.service.list_sources()) == 1

    async def press(label: str, permissions: int, number: int) -> str:
        front.client._connection.parse_interaction_create(
            pressed(asked, message_id, label, permissions=permissions, number=number)
        )
        token = f"interaction-token-{number}/callback"
        await front.server.wait_for(
            lambda: any(call.path.endswith(token) for call in front.server.requests)
        )
        (call,) = [call for call in front.server.requests if call.path.endswith(token)]
        assert call.body["type"] == 7  # the question is replaced, its buttons with it
        assert call.body["data"]["components"] == []
        return str(call.body["data"]["content"])

    # A member who may not curate the sources is told alone (an ephemeral answer); the
    # question keeps its buttons (it was replaced by the refusal).
    front.client._connection.parse_interaction_create(
        pressed(asked, message_id, "Remove", permissions=DEFAULT_PERMISSIONS, number=2)
    )
    await front.server.wait_for(
        lambda: any(c.path.endswith("interaction-token-2/callback") for c in front.server.requests)
    )
    (refused,) = [c for c in front.server.requests if c.path.endswith("-2/callback")]
    assert refused.body["type"] == 4 and refused.body["data"]["flags"] == 64
    assert refused.body["data"]["content"] == "Only admins can do that. Nothing was changed."
    assert await press("Cancel", manager, 3) == "Source #1 stays."
    assert len(await front.service.list_sources()) == 1
    assert await press("Remove", manager, 4) == "Source #1 removed."
    assert await front.service.list_sources() == []


def direct_interaction(
    front: Front, name: str, *, member: int, locale: str, number: int
) -> discord.Interaction:
    """A slash command in `member`'s direct-message chat with the bot, their Discord app in
    `locale`."""
    payload = interaction_payload(name, permissions=DEFAULT_PERMISSIONS, number=number)
    user_id = 1_180_000_000_000_000_300 + member
    user = {"id": str(user_id), "username": "member", "discriminator": "0", "avatar": None}
    dm = 1_180_000_000_000_000_400 + member
    del payload["guild_id"], payload["member"], payload["guild_locale"]
    payload.update(
        user=user,
        channel_id=str(dm),
        channel={"id": str(dm), "type": 1, "recipients": [user]},
        locale=locale,
        authorizing_integration_owners={"1": str(user_id)},
        context=1,
    )
    return discord.Interaction(data=payload, state=front.client._connection)


async def test_a_direct_message_chat_speaks_its_members_language(front: Front) -> None:
    """A new direct-message chat starts in the language of the member's Discord app (their
    locale) when the catalogue has it, in the default language (Russian here) otherwise, and
    /lang then decides. A server's channel starts in the default language: its admins choose."""
    desk = make_desk(front.store, front.service, front.clock, language=Language.RU)
    layer = CommandLayer(service=front.service, desk=desk, owner_ids=frozenset())
    client = AiProgressDiscordBot(layer=layer, model_names=_names, test_guild_id=GUILD_ID)
    await client.login(TOKEN)
    front = replace(front, client=client)
    try:
        numbers = iter(range(1, 100))  # each interaction has its own token

        async def said(member: int, locale: str, name: str, **values: Any) -> str:
            before = len(answered(front))
            asked = direct_interaction(
                front, name, member=member, locale=locale, number=next(numbers)
            )
            await invoke(front, name, asked, **values)
            (reply,) = answered(front)[before:]
            return reply

        def worded(text: str) -> str:
            (part,) = render_discord_text(text)
            return part

        english, russian, german = 1, 2, 3
        assert await said(english, "en-GB", "help") == worded(
            help_text(Language.EN, Platform.DISCORD)
        )
        assert await said(russian, "ru", "help") == worded(help_text(Language.RU, Platform.DISCORD))
        assert await said(german, "de", "help") == worded(help_text(Language.RU, Platform.DISCORD))
        # The English member chooses Russian; their app still says English.
        chosen = await said(english, "en-GB", "lang", language="ru")
        assert chosen == worded(message("bot.lang.set", Language.RU))
        assert await said(english, "en-GB", "help") == worded(
            help_text(Language.RU, Platform.DISCORD)
        )

        guild = interaction(front, "help", number=100)  # en-US, in a server's channel
        await invoke(front, "help", guild)
        assert answered(front)[-1] == worded(help_text(Language.RU, Platform.DISCORD))
    finally:
        await client.close()


async def test_compare_answers_what_telegram_answers(front: Front) -> None:
    from aiprogress.app.models_data import ensure_models

    await ensure_models(front.service.models)
    await invoke(front, "compare", interaction(front, "compare"), a="gpt-4.5", b="gpt-4o")
    discord_text = "\n".join(answered(front))

    from aiprogress.bot.commands import Caller

    async def never(_: str) -> bool:
        return False

    telegram = await front.layer.handle(
        Caller(Platform.TELEGRAM, "42", "42", ChatKind.PRIVATE, never), "compare", "gpt-4.5 gpt-4o"
    )
    # The same lines, escaped for Discord's markdown, links in <> so no preview card shows.
    unescaped = re.sub(r"<(https?://[^>]+)>", r"\1", re.sub(r"\\(.)", r"\1", discord_text))
    for line in telegram.text.splitlines():
        assert line.strip() in unescaped

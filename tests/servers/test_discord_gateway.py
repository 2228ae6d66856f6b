"""The fake Discord's gateway: discord.py's real `Client` connects, is ready with the fake's
guilds, heartbeats, resumes, and answers slash commands pushed through it over the REST routes;
the protocol's edges with a plain websocket."""

from __future__ import annotations

import asyncio
import json
import zlib
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands

from tests.servers.discord import (
    CHANNEL_ID,
    GUILD_ID,
    OWNER_ID,
    TOKEN,
    FakeDiscord,
)
from tests.servers.discord.gateway import HEARTBEAT, IDENTIFY, RESUME

OTHER_CHANNEL = 1_180_000_000_000_000_201
OTHER_GUILD = 1_180_000_000_000_000_101


class Bot(discord.Client):
    """A client with three slash commands, synced to the fake's guild as it logs in."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents.none() | discord.Intents(guilds=True))
        self.tree = app_commands.CommandTree(self)
        self.resumed = asyncio.Event()

        @self.tree.command(name="help", description="What the bot does")
        async def help_(interaction: discord.Interaction) -> None:
            await interaction.response.send_message(f"help for {interaction.user.id}")

        @self.tree.command(name="compare", description="Compare two models")
        async def compare(interaction: discord.Interaction, first: str, second: int) -> None:
            await interaction.response.defer(thinking=True)
            await interaction.followup.send(f"{first} vs {second} in {interaction.channel_id}")

        sources = app_commands.Group(name="sources", description="The sources")

        @sources.command(name="add", description="Add a source")
        async def add(interaction: discord.Interaction, url: str) -> None:
            await interaction.response.send_message(f"added {url}")

        self.tree.add_command(sources)

    async def setup_hook(self) -> None:
        self.tree.copy_global_to(guild=discord.Object(GUILD_ID))
        await self.tree.sync(guild=discord.Object(GUILD_ID))

    async def on_resumed(self) -> None:
        self.resumed.set()


@pytest.fixture
async def server() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(token=TOKEN) as fake, fake.patch_base():
        fake.add_channel(OTHER_CHANNEL, name="news")
        yield fake


@pytest.fixture
async def bot(server: FakeDiscord) -> AsyncIterator[Bot]:
    client = Bot()
    await client.login(TOKEN)
    task = asyncio.create_task(client.connect(reconnect=True))
    try:
        await asyncio.wait_for(client.wait_until_ready(), 15)
        yield client
    finally:
        await client.close()
        await asyncio.gather(task, return_exceptions=True)


# --- discord.py's Client on the gateway -------------------------------------------------------


async def test_gateway_bot_names_the_websocket(server: FakeDiscord) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            server.api_base() + "/gateway/bot", headers={"Authorization": f"Bot {TOKEN}"}
        ) as answer,
    ):
        body = await answer.json()
    assert answer.status == 200
    assert body["url"] == server.gateway_url and body["shards"] == 1


async def test_the_client_identifies_and_is_ready_with_the_fakes_guilds(
    server: FakeDiscord, bot: Bot
) -> None:
    assert bot.user is not None and bot.user.id == server.bot_id
    guild = bot.get_guild(GUILD_ID)
    assert guild is not None and not guild.unavailable
    assert {channel.id for channel in guild.text_channels} >= {CHANNEL_ID, OTHER_CHANNEL}
    assert guild.me is not None
    [identify] = server.received(IDENTIFY)
    assert identify.d["intents"] == discord.Intents(guilds=True).value
    assert "token" not in identify.d
    assert server.received(HEARTBEAT)  # discord.py beats at once after HELLO; ACKed
    await server.wait_for(lambda: bot.latency != float("inf"), what="no heartbeat ACK")
    sent = [frame.t for frame in server.gateway_frames if frame.sent and frame.t]
    assert sent[:2] == ["READY", "GUILD_CREATE"]
    assert server.gateway_connected()


async def test_a_slash_command_pushed_through_the_gateway_is_answered(
    server: FakeDiscord, bot: Bot
) -> None:
    pushed = server.push_interaction("help")
    [answer] = await server.wait_for_answer(pushed)
    assert answer["content"] == f"help for {OWNER_ID}"
    assert answer["channel_id"] == str(CHANNEL_ID)
    [callback] = server.calls_to("/callback")
    assert callback.body["type"] == 4 and callback.channel_id == CHANNEL_ID


async def test_a_deferred_command_with_options_in_another_channel(
    server: FakeDiscord, bot: Bot
) -> None:
    pushed = server.push_interaction(
        "compare", {"first": "gpt-4o", "second": 45}, channel_id=OTHER_CHANNEL
    )
    data = pushed.payload["data"]
    assert data["guild_id"] == str(GUILD_ID)
    assert [(o["name"], o["type"]) for o in data["options"]] == [("first", 3), ("second", 4)]
    answers = await server.wait_for_answer(pushed)
    assert answers[-1]["content"] == f"gpt-4o vs 45 in {OTHER_CHANNEL}"
    assert {answer["channel_id"] for answer in answers} == {str(OTHER_CHANNEL)}
    [follow_up] = server.messages(OTHER_CHANNEL)  # a follow-up is a message like any other
    assert follow_up.content == answers[-1]["content"]


async def test_a_group_subcommand(server: FakeDiscord, bot: Bot) -> None:
    pushed = server.push_interaction("sources add", {"url": "https://example.org/feed"})
    [answer] = await server.wait_for_answer(pushed)
    assert answer["content"] == "added https://example.org/feed"


async def test_an_unregistered_command_cannot_be_pushed(server: FakeDiscord, bot: Bot) -> None:
    with pytest.raises(LookupError, match="not registered"):
        server.push_interaction("nothing")
    with pytest.raises(LookupError, match="no option"):
        server.push_interaction("help", {"topic": "x"})


async def test_a_reconnect_resumes_the_session_and_replays_what_was_missed(
    server: FakeDiscord, bot: Bot
) -> None:
    server.reconnect_gateway()
    server.push_interaction("help")  # sent while the client may be away: replayed on RESUME
    await asyncio.wait_for(bot.resumed.wait(), 15)
    [resume] = server.received(RESUME)
    assert resume.d["session_id"] and "token" not in resume.d
    assert len(server.received(IDENTIFY)) == 1
    pushed = server.push_interaction("help")
    await server.wait_for_answer(pushed)
    await server.wait_for(lambda: len(server.calls_to("/callback")) == 2, what="one answer lost")


def test_dispatch_from_another_thread() -> None:
    async def run(server: FakeDiscord) -> str:
        client = Bot()
        await client.login(TOKEN)
        task = asyncio.create_task(client.connect())
        try:
            await asyncio.wait_for(client.wait_until_ready(), 15)
            pushed = server.push_interaction("help")
            [answer] = await server.wait_for_answer(pushed)
            return str(answer["content"])
        finally:
            await client.close()
            await asyncio.gather(task, return_exceptions=True)

    with FakeDiscord().in_thread() as server, server.patch_base():
        assert asyncio.run(run(server)) == f"help for {OWNER_ID}"


# --- the protocol with a plain websocket ----------------------------------------------------


async def frames(
    server: FakeDiscord, sent: list[dict[str, Any]], query: str = "?v=10&encoding=json"
) -> tuple[list[dict[str, Any]], int | None]:
    """Send `sent` after HELLO; the payloads received (decompressed) and the close code."""
    received: list[dict[str, Any]] = []
    inflate = zlib.decompressobj()
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(server.gateway_url + query) as socket,
    ):
        for payload in [None, *sent]:
            if payload is not None:
                await socket.send_str(json.dumps(payload))
            message = await socket.receive(timeout=5)
            if message.type is aiohttp.WSMsgType.BINARY:
                received.append(json.loads(inflate.decompress(message.data)))
            elif message.type is aiohttp.WSMsgType.TEXT:
                received.append(json.loads(message.data))
            else:
                break
        return received, socket.close_code


async def test_hello_then_a_heartbeat_ack(server: FakeDiscord) -> None:
    received, _ = await frames(server, [{"op": 1, "d": None}])
    assert received == [{"op": 10, "d": {"heartbeat_interval": 41_250}}, {"op": 11}]


async def test_zlib_stream_frames_are_one_deflate_stream(server: FakeDiscord) -> None:
    query = "?v=10&encoding=json&compress=zlib-stream"
    identify = {"op": 2, "d": {"token": TOKEN, "intents": 1, "properties": {}}}
    received, _ = await frames(server, [identify, {"op": 1, "d": 1}], query)
    assert [(frame["op"], frame.get("t")) for frame in received] == [
        (10, None),
        (0, "READY"),
        (0, "GUILD_CREATE"),
    ]


@pytest.mark.parametrize(
    ("sent", "code"),
    [
        ([{"op": 2, "d": {"token": "Bot other", "intents": 0, "properties": {}}}], 4004),
        ([{"op": 3, "d": {}}], 4003),
        ([{"op": 42, "d": {}}], 4001),
    ],
)
async def test_close_codes(server: FakeDiscord, sent: list[dict[str, Any]], code: int) -> None:
    _, close_code = await frames(server, sent)
    assert close_code == code


async def test_an_unknown_session_is_not_resumed(server: FakeDiscord) -> None:
    resume = {"op": 6, "d": {"token": TOKEN, "session_id": "nope", "seq": 3}}
    received, _ = await frames(server, [resume])
    assert received[-1] == {"op": 9, "d": False}


async def test_an_unsupported_api_version_is_closed(server: FakeDiscord) -> None:
    _, close_code = await frames(server, [], "?v=6&encoding=json")
    assert close_code == 4012

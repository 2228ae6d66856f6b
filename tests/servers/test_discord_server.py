"""The fake Discord REST API, driven through discord.py's real HTTPClient, Client and Webhook."""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands
from discord.http import HTTPClient, Route, handle_message_parameters

from tests.servers.discord import (
    BOT_ID,
    CHANNEL_ID,
    DEFAULT_PERMISSIONS,
    GUILD_ID,
    OWNER_ID,
    TOKEN,
    ChannelInfo,
    FakeDiscord,
    message_form_errors,
)

OTHER_CHANNEL = 1_180_000_000_000_000_201


@pytest.fixture
async def server() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as fake, fake.patch_base():
        yield fake


@pytest.fixture
async def http(server: FakeDiscord) -> AsyncIterator[HTTPClient]:
    client = HTTPClient(asyncio.get_running_loop())
    await client.static_login(TOKEN)
    try:
        yield client
    finally:
        await client.close()


@pytest.fixture
async def client(server: FakeDiscord) -> AsyncIterator[discord.Client]:
    """A logged-in Client that never connects to the gateway."""
    client = discord.Client(intents=discord.Intents.none())
    await client.login(TOKEN)
    try:
        yield client
    finally:
        await client.close()


def channel(client: discord.Client, channel_id: int = CHANNEL_ID) -> discord.PartialMessageable:
    return client.get_partial_messageable(channel_id)


async def raw(
    server: FakeDiscord, method: str, path: str, **kwargs: Any
) -> tuple[int, dict[str, str], Any]:
    """One request with plain aiohttp: the status, the headers and the decoded JSON (or None)."""
    headers = {"Authorization": f"Bot {TOKEN}", **kwargs.pop("headers", {})}
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, server.api_base() + path, headers=headers, **kwargs) as response,
    ):
        body = await response.json() if response.status != 204 else None
        return response.status, dict(response.headers), body


# --- Pointing discord.py here -----------------------------------------------------------------


async def test_patch_base_sets_and_restores_the_route_base() -> None:
    before = Route.BASE
    async with FakeDiscord() as server:
        with server.patch_base() as base:
            assert base == Route.BASE == f"{server.base_url}/api/v10"
            assert Route("GET", "/users/@me").url == f"{server.base_url}/api/v10/users/@me"
        assert before == Route.BASE
        async with server.patch_base():
            assert Route.BASE.startswith(server.base_url)
    assert before == Route.BASE


async def test_login_answers_the_bot_user(server: FakeDiscord) -> None:
    http = HTTPClient(asyncio.get_running_loop())
    try:
        user = await http.static_login(TOKEN)
    finally:
        await http.close()
    assert user["id"] == str(BOT_ID)
    assert user["bot"] is True
    [call] = server.requests
    assert (call.method, call.path, call.status) == ("GET", "/users/@me", 200)
    assert call.headers["Authorization"] == f"Bot {TOKEN}"
    assert TOKEN not in repr(call)  # the credential is redacted from the record's repr


async def test_a_wrong_token_is_a_login_failure() -> None:
    async with FakeDiscord(token=TOKEN) as server, server.patch_base():
        http = HTTPClient(asyncio.get_running_loop())
        try:
            with pytest.raises(discord.LoginFailure):
                await http.static_login("MTE.wrong.token")
        finally:
            await http.close()
        assert server.requests[0].status == 401
        assert server.requests[0].response == {"message": "401: Unauthorized", "code": 0}


async def test_client_login_without_the_gateway(
    server: FakeDiscord, client: discord.Client
) -> None:
    assert client.user is not None and client.user.id == BOT_ID
    assert client.application_id == BOT_ID
    assert client.application is not None and client.application.owner.id == OWNER_ID
    assert [call.route for call in server.requests] == [
        "GET /users/@me",
        "GET /oauth2/applications/@me",
    ]


# --- Sending ----------------------------------------------------------------------------------


async def test_send_content_and_an_embed_to_a_channel(
    server: FakeDiscord, client: discord.Client
) -> None:
    embed = discord.Embed(title="AI digest", description="Three releases", url="https://x.test/")
    embed.add_field(name="Model", value="GPT-5", inline=False)
    embed.set_footer(text="aiprogress")

    message = await channel(client).send("Today's digest", embed=embed)

    assert message.content == "Today's digest"
    assert message.channel.id == CHANNEL_ID
    assert message.author.id == BOT_ID
    assert message.embeds[0].title == "AI digest"
    assert message.embeds[0].fields[0].value == "GPT-5"
    [call] = server.messages(CHANNEL_ID)
    assert call.route == "POST /channels/{channel_id}/messages"
    assert call.content == "Today's digest"
    assert call.embeds[0]["title"] == "AI digest"
    assert call.embeds[0]["footer"] == {"text": "aiprogress"}
    assert call.response["id"] == str(message.id)
    assert server.messages(OTHER_CHANNEL) == []


async def test_message_ids_are_increasing_snowflakes(
    server: FakeDiscord, client: discord.Client
) -> None:
    first = await channel(client).send("one")
    second = await channel(client).send("two")
    assert second.id > first.id
    assert abs((discord.utils.utcnow() - second.created_at).total_seconds()) < 60


async def test_send_through_the_http_client(server: FakeDiscord, http: HTTPClient) -> None:
    with handle_message_parameters(content="plain", embed=discord.Embed(title="t")) as params:
        data = await http.send_message(CHANNEL_ID, params=params)
    assert data["content"] == "plain"
    assert data["channel_id"] == str(CHANNEL_ID)
    assert data["author"]["id"] == str(BOT_ID)
    [call] = server.messages()
    assert call.content == "plain"
    assert call.embeds[0]["title"] == "t"


async def test_a_file_attachment_is_recorded_with_its_bytes(
    server: FakeDiscord, client: discord.Client
) -> None:
    contents = "# Digest\n\nÜmlauts and all.\n".encode()
    file = discord.File(io.BytesIO(contents), "digest.md", description="the digest")

    message = await channel(client).send("attached", file=file)

    [call] = server.messages(CHANNEL_ID)
    assert call.files == {"digest.md": contents}
    assert call.content == "attached"  # from the multipart's payload_json
    assert call.body["attachments"][0]["filename"] == "digest.md"
    [attachment] = message.attachments
    assert (attachment.filename, attachment.size) == ("digest.md", len(contents))
    assert attachment.description == "the digest"
    assert await attachment.read() == contents  # served back by the fake CDN


async def test_edit_and_delete_a_message(server: FakeDiscord, client: discord.Client) -> None:
    message = await channel(client).send("draft")
    edited = await message.edit(content="final")
    assert edited.content == "final"
    assert edited.edited_at is not None
    await message.delete()
    assert server.message(message.id) is None
    with pytest.raises(discord.NotFound) as raised:
        await message.edit(content="again")
    assert raised.value.code == 10008


async def test_normal_answers_carry_rate_limit_headers(server: FakeDiscord) -> None:
    status, headers, _ = await raw(server, "GET", "/users/@me")
    assert status == 200
    assert headers["Content-Type"] == "application/json"
    assert int(headers["X-RateLimit-Remaining"]) > 0
    assert int(headers["X-RateLimit-Limit"]) > int(headers["X-RateLimit-Remaining"])
    assert float(headers["X-RateLimit-Reset-After"]) > 0
    assert headers["X-RateLimit-Bucket"]


async def test_many_sends_do_not_stall(server: FakeDiscord, client: discord.Client) -> None:
    started = time.monotonic()
    for i in range(30):
        await channel(client).send(f"message {i}")
    assert time.monotonic() - started < 5
    assert len(server.messages()) == 30


async def test_wait_for_messages(server: FakeDiscord, client: discord.Client) -> None:
    async def later() -> None:
        await asyncio.sleep(0.05)
        await channel(client).send("late")

    task = asyncio.create_task(later())
    [call] = await server.wait_for_messages(1, timeout=5)
    await task
    assert call.content == "late"
    with pytest.raises(TimeoutError):
        await server.wait_for_messages(2, timeout=0.05)


# --- Errors -----------------------------------------------------------------------------------


async def test_a_429_is_retried_by_discord_py_itself(
    server: FakeDiscord, client: discord.Client
) -> None:
    server.fail("POST /channels/{channel_id}/messages", status=429, retry_after=0.2)
    started = time.monotonic()

    message = await channel(client).send("after the limit")

    assert time.monotonic() - started >= 0.2
    calls = server.calls_to("/messages")
    assert [call.status for call in calls] == [429, 200]
    assert calls[0].response == {
        "message": "You are being rate limited.",
        "retry_after": 0.2,
        "global": False,
    }
    assert message.content == "after the limit"
    assert len(server.messages()) == 1


async def test_the_429_answer_has_discords_shape(server: FakeDiscord) -> None:
    server.fail("POST", status=429, retry_after=0.5)
    status, headers, body = await raw(
        server, "POST", f"/channels/{CHANNEL_ID}/messages", json={"content": "x"}
    )
    assert status == 429
    assert body == {"message": "You are being rate limited.", "retry_after": 0.5, "global": False}
    assert headers["Retry-After"] == "1"
    assert headers["X-RateLimit-Remaining"] == "0"
    assert headers["X-RateLimit-Reset-After"] == "0.500"
    assert headers["X-RateLimit-Scope"] == "user"
    assert headers["X-RateLimit-Bucket"]
    assert headers["X-RateLimit-Limit"]
    assert headers["Via"]  # without it discord.py takes a 429 for a Cloudflare ban


async def test_a_scripted_403_raises_forbidden(server: FakeDiscord, client: discord.Client) -> None:
    server.fail("/messages", status=403, channel_id=CHANNEL_ID)
    with pytest.raises(discord.Forbidden) as raised:
        await channel(client).send("nope")
    assert raised.value.status == 403
    assert raised.value.code == 50001
    assert raised.value.text == "Missing Access"
    await channel(client).send("times=1: the next one goes through")
    assert [call.status for call in server.calls_to("/messages")] == [403, 200]


async def test_a_scripted_failure_can_name_its_code_and_repeat(
    server: FakeDiscord, client: discord.Client
) -> None:
    server.fail("POST", status=403, code=50013, message="Missing Permissions", times=2)
    for _ in range(2):
        with pytest.raises(discord.Forbidden) as raised:
            await channel(client).send("x")
        assert raised.value.code == 50013
    await channel(client).send("third")


async def test_a_forbidden_channel_stays_forbidden(
    server: FakeDiscord, client: discord.Client
) -> None:
    server.forbid(CHANNEL_ID)
    for _ in range(2):
        with pytest.raises(discord.Forbidden) as raised:
            await channel(client).send("x")
        assert raised.value.code == 50001
    with pytest.raises(discord.Forbidden):
        await client.fetch_channel(CHANNEL_ID)
    await channel(client, OTHER_CHANNEL).send("another channel works")
    server.restore(CHANNEL_ID)
    await channel(client).send("restored")
    assert [call.channel_id for call in server.messages()] == [OTHER_CHANNEL, CHANNEL_ID]


async def test_an_unknown_channel_raises_not_found(
    server: FakeDiscord, client: discord.Client
) -> None:
    server.unknown(OTHER_CHANNEL)
    with pytest.raises(discord.NotFound) as raised:
        await channel(client, OTHER_CHANNEL).send("x")
    assert raised.value.code == 10003
    assert raised.value.text == "Unknown Channel"
    server.fail("/messages", status=404)
    with pytest.raises(discord.NotFound) as scripted:
        await channel(client).send("x")
    assert scripted.value.code == 10003


async def test_content_over_2000_characters_is_a_400(
    server: FakeDiscord, client: discord.Client
) -> None:
    await channel(client).send("x" * 2000)
    with pytest.raises(discord.HTTPException) as raised:
        await channel(client).send("x" * 2001)
    assert raised.value.status == 400
    assert raised.value.code == 50035
    assert "In content: Must be 2000 or fewer in length." in raised.value.text
    assert len(server.messages()) == 1


async def test_an_embed_with_26_fields_is_a_400(
    server: FakeDiscord, client: discord.Client
) -> None:
    embed = discord.Embed(title="many")
    for i in range(26):
        embed.add_field(name=f"f{i}", value="v")
    with pytest.raises(discord.HTTPException) as raised:
        await channel(client).send(embed=embed)
    assert raised.value.status == 400
    assert raised.value.code == 50035
    assert "In embeds.0.fields: Must be 25 or fewer in length." in raised.value.text
    assert server.requests[-1].response["errors"] == {
        "embeds": {
            "0": {
                "fields": {
                    "_errors": [
                        {
                            "code": "BASE_TYPE_MAX_LENGTH",
                            "message": "Must be 25 or fewer in length.",
                        }
                    ]
                }
            }
        }
    }


async def test_6000_characters_across_the_embeds_of_a_message_is_a_400(
    server: FakeDiscord, client: discord.Client
) -> None:
    embeds = [discord.Embed(description="d" * 3000) for _ in range(2)]
    await channel(client).send(embeds=embeds)  # exactly 6000
    embeds[1].title = "t"
    with pytest.raises(discord.HTTPException) as raised:
        await channel(client).send(embeds=embeds)
    assert raised.value.code == 50035
    assert "Embed size exceeds maximum size of 6000" in raised.value.text


async def test_an_empty_message_is_a_400(server: FakeDiscord, http: HTTPClient) -> None:
    with (
        handle_message_parameters(content=None) as params,
        pytest.raises(discord.HTTPException) as raised,
    ):
        await http.send_message(CHANNEL_ID, params=params)
    assert raised.value.code == 50006


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"embeds": [{"title": "t" * 257}]}, ["embeds", "0", "title"]),
        ({"embeds": [{"description": "d" * 4097}]}, ["embeds", "0", "description"]),
        (
            {"embeds": [{"fields": [{"name": "n" * 257, "value": "v"}]}]},
            ["embeds", "0", "fields", "0", "name"],
        ),
        (
            {"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]},
            ["embeds", "0", "fields", "0", "value"],
        ),
        (
            {"embeds": [{"fields": [{"name": "n", "value": ""}]}]},
            ["embeds", "0", "fields", "0", "value"],
        ),
        ({"embeds": [{"footer": {"text": "f" * 2049}}]}, ["embeds", "0", "footer", "text"]),
        ({"embeds": [{"author": {"name": "a" * 257}}]}, ["embeds", "0", "author", "name"]),
        ({"embeds": [{"title": "t"}] * 11}, ["embeds"]),
        (
            {
                "embeds": [
                    {"description": "d" * 4096, "fields": [{"name": "n", "value": "v" * 1024}] * 2}
                ]
            },
            ["embeds", "0"],
        ),
        ({"content": "c" * 2001}, ["content"]),
    ],
)
def test_message_limits(body: dict[str, Any], path: list[str]) -> None:
    node: Any = message_form_errors(body)
    for key in path:
        node = node[key]
    assert node["_errors"][0]["code"] in {
        "BASE_TYPE_MAX_LENGTH",
        "BASE_TYPE_REQUIRED",
        "MAX_EMBED_SIZE_EXCEEDED",
    }


def test_messages_at_the_limits_are_valid() -> None:
    embed = {
        "title": "t" * 256,
        "description": "d" * 2900,  # 256 + 2900 + 25 * 110 + 10 + 10 = 5926 characters
        "fields": [{"name": "n" * 10, "value": "v" * 100}] * 25,
        "footer": {"text": "f" * 10},
        "author": {"name": "a" * 10},
    }
    assert message_form_errors({"content": "c" * 2000, "embeds": [embed]}) == {}
    assert message_form_errors({"embeds": [{"title": "t"}] * 10}) == {}


async def test_unknown_routes_answer_discords_404(server: FakeDiscord) -> None:
    status, _, body = await raw(server, "GET", "/no/such/route")
    assert (status, body) == (404, {"message": "404: Not Found", "code": 0})
    status, _, body = await raw(server, "DELETE", "/users/@me")
    assert (status, body) == (405, {"message": "405: Method Not Allowed", "code": 0})
    assert [(call.path, call.route, call.status) for call in server.requests] == [
        ("/no/such/route", "", 404),
        ("/users/@me", "", 405),
    ]


# --- Guilds and permissions -------------------------------------------------------------------


async def test_channel_guild_member_and_roles(server: FakeDiscord, client: discord.Client) -> None:
    fetched = await client.fetch_channel(CHANNEL_ID)
    assert isinstance(fetched, discord.TextChannel)
    assert fetched.guild.id == GUILD_ID
    guild = await client.fetch_guild(GUILD_ID)
    assert guild.owner_id == OWNER_ID
    member = await guild.fetch_member(BOT_ID)
    assert member.guild_permissions.value == DEFAULT_PERMISSIONS
    assert member.guild_permissions.send_messages
    roles = await guild.fetch_roles()
    assert {role.name for role in roles} == {"@everyone", "Members"}


async def test_set_permissions_is_seen_by_discord_py_and_enforced(
    server: FakeDiscord, client: discord.Client
) -> None:
    perms = discord.Permissions(view_channel=True, send_messages=True)
    server.set_permissions(GUILD_ID, BOT_ID, perms.value)

    guild = await client.fetch_guild(GUILD_ID)
    member = await guild.fetch_member(BOT_ID)
    assert member.guild_permissions == perms
    assert not member.guild_permissions.embed_links
    assert server.permissions_of(GUILD_ID, BOT_ID) == perms.value

    await channel(client).send("plain text is allowed")
    with pytest.raises(discord.Forbidden) as raised:
        await channel(client).send(embed=discord.Embed(title="no embed links"))
    assert raised.value.code == 50013

    server.set_permissions(GUILD_ID, BOT_ID, 0)
    with pytest.raises(discord.Forbidden) as hidden:
        await channel(client).send("x")
    assert hidden.value.code == 50001

    server.set_permissions(GUILD_ID, BOT_ID, discord.Permissions(administrator=True).value)
    assert server.permissions_of(GUILD_ID, BOT_ID) == discord.Permissions.all().value
    await channel(client).send(embed=discord.Embed(title="admin"))


async def test_a_channel_in_another_guild(server: FakeDiscord, client: discord.Client) -> None:
    other_guild = 1_180_000_000_000_000_999
    server.add_channel(OTHER_CHANNEL, guild_id=other_guild, name="digests")
    server.set_permissions(GUILD_ID, BOT_ID, 0)  # only the default guild
    fetched = await client.fetch_channel(OTHER_CHANNEL)
    assert isinstance(fetched, discord.TextChannel)
    assert (fetched.name, fetched.guild.id) == ("digests", other_guild)
    await channel(client, OTHER_CHANNEL).send("allowed in the other guild")


# --- Webhooks, application commands, interactions ---------------------------------------------


async def test_webhook_execute_via_webhook_from_url(server: FakeDiscord) -> None:
    hook = server.add_webhook(OTHER_CHANNEL, name="Digest hook")
    async with aiohttp.ClientSession() as session:
        webhook = discord.Webhook.from_url(hook.url, session=session)
        sent = await webhook.send(
            "from the webhook", embed=discord.Embed(title="w"), username="AI Progress", wait=True
        )
        await webhook.send("fire and forget")  # no wait: answered 204, no message

    assert sent.content == "from the webhook"
    assert sent.channel.id == OTHER_CHANNEL
    assert sent.webhook_id == hook.id
    assert sent.author.name == "AI Progress"
    calls = server.messages(OTHER_CHANNEL)
    assert [(call.status, call.content) for call in calls] == [
        (200, "from the webhook"),
        (204, "fire and forget"),
    ]
    assert calls[0].route == "POST /webhooks/{webhook_id}/{webhook_token}"
    assert calls[0].query["wait"] == "1"
    assert calls[0].embeds[0]["title"] == "w"
    assert "Authorization" not in calls[0].headers


async def test_webhook_with_a_file(server: FakeDiscord) -> None:
    hook = server.add_webhook()
    async with aiohttp.ClientSession() as session:
        webhook = discord.Webhook.from_url(hook.url, session=session)
        sent = await webhook.send(file=discord.File(io.BytesIO(b"PNG..."), "chart.png"), wait=True)
    assert sent.attachments[0].filename == "chart.png"
    assert server.messages(CHANNEL_ID)[0].files == {"chart.png": b"PNG..."}


async def test_webhook_errors(server: FakeDiscord) -> None:
    hook = server.add_webhook()
    async with aiohttp.ClientSession() as session:
        webhook = discord.Webhook.from_url(hook.url, session=session)
        server.fail("/webhooks/", status=429, retry_after=0.05)
        await webhook.send("retried after the 429", wait=True)
        with pytest.raises(discord.HTTPException) as too_long:
            await webhook.send("x" * 2001)
        assert too_long.value.code == 50035
        wrong = discord.Webhook.from_url(hook.url[:-4] + "AAAA", session=session)
        with pytest.raises(discord.HTTPException) as bad_token:
            await wrong.send("x")
        assert (bad_token.value.status, bad_token.value.code) == (401, 50027)
        server.remove_webhook(hook.id)
        with pytest.raises(discord.NotFound) as gone:
            await webhook.send("x")
        assert gone.value.code == 10015
    assert [call.status for call in server.calls_to("POST /webhooks/")] == [429, 200, 400, 401, 404]


async def test_bulk_overwrite_of_guild_app_commands(server: FakeDiscord) -> None:
    bot = commands.Bot(command_prefix="!", intents=discord.Intents.none())

    @bot.tree.command(name="digest", description="Today's digest", guild=discord.Object(GUILD_ID))
    async def digest(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("…")

    @bot.tree.command(name="subscribe", description="Subscribe", guild=discord.Object(GUILD_ID))
    @app_commands.describe(topic="What to follow")
    async def subscribe(interaction: discord.Interaction, topic: str) -> None:
        await interaction.response.send_message(topic)

    await bot.login(TOKEN)
    try:
        synced = await bot.tree.sync(guild=discord.Object(GUILD_ID))
        again = await bot.tree.sync(guild=discord.Object(GUILD_ID))
    finally:
        await bot.close()

    assert sorted(command.name for command in synced) == ["digest", "subscribe"]
    assert all(command.guild_id == GUILD_ID for command in synced)
    assert {c.name: c.id for c in synced} == {c.name: c.id for c in again}  # ids kept by name
    [put, _] = server.calls_to("PUT /applications/{application_id}/guilds/{guild_id}/commands")
    assert put.path == f"/applications/{BOT_ID}/guilds/{GUILD_ID}/commands"
    assert sorted(command["name"] for command in put.body) == ["digest", "subscribe"]
    stored = {command["name"]: command for command in server.app_commands(GUILD_ID)}
    assert stored["subscribe"]["options"][0]["name"] == "topic"
    assert server.app_commands() == []  # nothing global


async def test_global_app_commands_and_a_wrong_application(
    server: FakeDiscord, http: HTTPClient
) -> None:
    payload = [{"name": "ping", "description": "Ping", "type": 1}]
    [echoed] = await http.bulk_upsert_global_commands(BOT_ID, payload)
    assert echoed["application_id"] == str(BOT_ID)
    assert str(echoed["id"]).isdigit()
    assert server.app_commands()[0]["name"] == "ping"
    with pytest.raises(discord.Forbidden):
        await http.bulk_upsert_global_commands(12345678901234567, payload)
    with pytest.raises(discord.HTTPException) as raised:
        await http.bulk_upsert_global_commands(BOT_ID, [{"name": "x", "description": ""}])
    assert raised.value.code == 50035


def _interaction(client: discord.Client, interaction_id: int, token: str) -> discord.Interaction:
    """An application-command interaction as the gateway would deliver it."""
    payload: Any = {
        "id": str(interaction_id),
        "application_id": str(BOT_ID),
        "type": 2,
        "token": token,
        "version": 1,
        "channel_id": str(CHANNEL_ID),
        "channel": ChannelInfo(CHANNEL_ID, GUILD_ID, "news").to_api(),
        "guild_id": str(GUILD_ID),
        "data": {"id": "1180000000000000500", "name": "digest", "type": 1},
        "member": {
            "user": {
                "id": str(OWNER_ID),
                "username": "owner",
                "discriminator": "0",
                "avatar": None,
            },
            "roles": [],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": str(DEFAULT_PERMISSIONS),
        },
        "app_permissions": str(DEFAULT_PERMISSIONS),
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(GUILD_ID)},
        "context": 0,
        "attachment_size_limit": 10 * 1024 * 1024,
    }
    return discord.Interaction(data=payload, state=client._connection)


async def test_interaction_callback_and_follow_up(
    server: FakeDiscord, client: discord.Client
) -> None:
    interaction = _interaction(client, 1_180_000_000_000_000_600, "interaction-token-1")
    response = await interaction.response.send_message("Here is the digest")
    assert response is not None
    original = await interaction.original_response()
    assert original.content == "Here is the digest"
    edited = await interaction.edit_original_response(content="Edited digest")
    assert edited.content == "Edited digest"
    follow_up = await interaction.followup.send("And one more thing", wait=True)
    assert follow_up.content == "And one more thing"

    [callback] = server.calls_to("/callback")
    assert callback.status == 200
    assert callback.body["type"] == 4
    assert callback.body["data"]["content"] == "Here is the digest"
    assert server.messages(CHANNEL_ID)[-1].content == "And one more thing"

    with pytest.raises(discord.HTTPException) as twice:
        await _interaction(client, 1_180_000_000_000_000_600, "t").response.send_message("again")
    assert twice.value.code == 40060


async def test_a_deferred_interaction_is_answered_by_editing_the_original(
    server: FakeDiscord, client: discord.Client
) -> None:
    interaction = _interaction(client, 1_180_000_000_000_000_601, "interaction-token-2")
    await interaction.response.defer(thinking=True)
    edited = await interaction.edit_original_response(content="done")
    assert edited.content == "done"
    assert [call.status for call in server.calls_to("@original")] == [200]


async def test_a_plain_interaction_callback_answers_204(server: FakeDiscord) -> None:
    status, _, body = await raw(
        server, "POST", "/interactions/1180000000000000700/tok/callback", json={"type": 6}
    )
    assert (status, body) == (204, None)
    assert server.calls_to("/callback")[0].body == {"type": 6}


# --- In a thread ------------------------------------------------------------------------------


def test_in_thread_for_code_that_owns_its_loop() -> None:
    async def send() -> None:
        client = discord.Client(intents=discord.Intents.none())
        await client.login(TOKEN)
        try:
            await client.get_partial_messageable(CHANNEL_ID).send("from another loop")
        finally:
            await client.close()

    with FakeDiscord().in_thread() as server, server.patch_base():
        asyncio.run(send())
        [call] = server.wait_until_messages(1, timeout=5)
    assert call.content == "from another loop"


# --- Users and direct messages ----------------------------------------------------------------


async def test_a_users_id_is_no_channel(server: FakeDiscord, client: discord.Client) -> None:
    """Discord answers a message posted to a user's id 404 Unknown Channel: a user is no
    channel (the fake took any id for a text channel, so a bot doing so passed its tests)."""
    server.add_user(OWNER_ID + 5)
    for user in (OWNER_ID, BOT_ID, OWNER_ID + 5):
        with pytest.raises(discord.NotFound) as raised:
            await channel(client, user).send("hello")
        assert raised.value.code == 10003
    assert server.messages() == []


async def test_a_dm_channel_is_opened_once_and_takes_messages(
    server: FakeDiscord, client: discord.Client
) -> None:
    opened = await client.http.start_private_message(OWNER_ID)
    again = await client.http.start_private_message(OWNER_ID)
    assert opened == again and opened["type"] == 1
    assert [user["id"] for user in opened["recipients"]] == [str(OWNER_ID)]
    dm = int(opened["id"])
    assert server.dm_channel(OWNER_ID) == dm
    await channel(client, dm).send("hello")
    (sent,) = server.messages(dm)
    assert sent.content == "hello"
    # discord.py's own way there, `Client.create_dm`, finds the same channel.
    created = await client.create_dm(discord.Object(id=OWNER_ID))
    assert created.id == dm


async def test_a_user_who_takes_no_dms_answers_50007(
    server: FakeDiscord, client: discord.Client
) -> None:
    user = OWNER_ID + 6
    server.add_user(user, accepts_dms=False)
    dm = int((await client.http.start_private_message(user))["id"])  # opening is allowed
    with pytest.raises(discord.Forbidden) as raised:
        await channel(client, dm).send("hello")
    assert (raised.value.code, raised.value.text) == (50007, "Cannot send messages to this user")
    server.add_user(user, accepts_dms=True)
    await channel(client, dm).send("hello")
    assert len(server.messages(dm)) == 1


async def test_a_channel_or_the_bot_is_no_recipient(
    server: FakeDiscord, client: discord.Client
) -> None:
    server.add_channel(OTHER_CHANNEL)
    for recipient in (OTHER_CHANNEL, BOT_ID):
        with pytest.raises(discord.HTTPException) as raised:
            await client.http.start_private_message(recipient)
        assert (raised.value.status, raised.value.code) == (400, 50033)

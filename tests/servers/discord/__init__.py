"""A loopback Discord REST API host that discord.py's real HTTP client talks to.

    async with FakeDiscord() as server, server.patch_base():
        http = discord.http.HTTPClient(asyncio.get_running_loop())
        await http.static_login(TOKEN)               # GET /users/@me
        await http.send_message(CHANNEL_ID, params=...)

discord.py builds every REST URL (the bot's and the webhooks' alike) from the class attribute
`discord.http.Route.BASE` when a `Route` is made. `server.patch_base()` points it at
`{server.base_url}/api/v10` and restores it on exit, so `HTTPClient`, `discord.Client.login`
(without the gateway), `PartialMessageable.send`, `app_commands.CommandTree.sync` and
`discord.Webhook.from_url(WebhookInfo.url, session=...)` all talk to this server unchanged.
It is a process-wide setting: one patched server at a time.

Routes under `/api/v9` and `/api/v10`: the bot user, channels, guilds, members and roles (with
the permissions `set_permissions` gives), message create/edit/delete (JSON or multipart with
`payload_json` and files), typing, application info, bulk overwrite of application commands,
interaction callbacks, webhook execute and webhook message edits, and DM channels
(`POST /users/@me/channels`, discord.py's `http.start_private_message`). Anything else answers 404
`{"message": "404: Not Found", "code": 0}` (405 for a known path with another method).

What it emulates of the real service:
- the limits of a message (content 2000 characters, 10 embeds, the per-field embed limits and
  6000 characters per embed and per message), answered 400 "Invalid Form Body" (50035) with
  Discord's nested `errors`; an empty message answers 50006; uploads over 10 MiB answer 413;
- the bot's permissions in the channel's guild: without View Channel a send answers 403 Missing
  Access (50001), without Send Messages (or Attach Files, Embed Links for files and embeds) 403
  Missing Permissions (50013);
- rate-limit headers on every answer (`X-RateLimit-*`, never exhausted) and the 429 shape
  discord.py retries on (it needs the `Via` header Cloudflare adds, or it takes a 429 for a ban);
- scripted failures (`fail`), forbidden and unknown channels (`forbid`, `unknown`), unknown
  webhooks and bad webhook tokens, interactions answered twice (40060), a wrong bot token (401);
- users are no channels: a post to a user's id (the owner's, the bot's, one `add_user` names or
  a DM was opened with) answers 404 Unknown Channel (10003). A user is written to in the DM
  channel `POST /users/@me/channels` opens (the same one on every call; a recipient that is a
  channel, a guild or the bot answers 400 Invalid Recipient(s), 50033); a user who takes no DMs
  from the bot (`add_user(..., accepts_dms=False)`) makes a message there answer 403 Cannot send
  messages to this user (50007).

The gateway (gateway.py): `GET /gateway/bot` names a websocket on the same server that speaks
Discord's gateway protocol to discord.py's `Client` (HELLO, heartbeats, IDENTIFY -> READY and
GUILD_CREATE, RESUME, zlib-stream); a test pushes slash commands through it
(`push_interaction`) and reads their answers (`answers`, `wait_for_answer`). discord.py 2.7's
`Client` connects to `DiscordWebSocket.DEFAULT_GATEWAY`, not to what `/gateway/bot` says:
`patch_base()` points it at `server.gateway_url` too (the product's bot asks `/gateway/bot`
itself when DISCORD_API_BASE is set).

Not emulated: real rate limiting (`fail(..., status=429)` scripts
it), channel permission overwrites, mentions, threads, group DMs, stickers and polls. Any id
that names no user is a text channel of the default guild, as tests use them.

The package by concern: `records` (ids, the token, what is recorded and described), `answers`
(error bodies and JSON answers), `parsing` (reading a request), `limits` (a message's limits and
the permissions), `state` (what the fake knows, set-up and results), `messages` (the message
routes), `gateway` (the websocket and what a test pushes through it), `routes` (the route table and the other routes) and `server` (handling, `patch_base`
and life cycle).
"""

from tests.servers.discord.answers import error_body
from tests.servers.discord.gateway import GatewayFrame, PushedInteraction
from tests.servers.discord.limits import (
    ADMINISTRATOR,
    ALL_PERMISSIONS,
    ATTACH_FILES,
    DEFAULT_PERMISSIONS,
    EMBED_LINKS,
    MAX_COMMAND_DESCRIPTION,
    MAX_COMMAND_NAME,
    MAX_COMMANDS,
    MAX_CONTENT_LENGTH,
    MAX_EMBED_TOTAL,
    MAX_EMBEDS,
    MAX_FILES,
    MAX_UPLOAD_BYTES,
    SEND_MESSAGES,
    VIEW_CHANNEL,
    embed_size,
    message_form_errors,
)
from tests.servers.discord.records import (
    BOT_ID,
    CHANNEL_ID,
    GUILD_ID,
    MESSAGE_ROUTES,
    OWNER_ID,
    TOKEN,
    ChannelInfo,
    DiscordCall,
    ScriptedFailure,
    WebhookInfo,
)
from tests.servers.discord.server import BasePatch, FakeDiscord

__all__ = [
    "ADMINISTRATOR",
    "ALL_PERMISSIONS",
    "ATTACH_FILES",
    "BOT_ID",
    "CHANNEL_ID",
    "DEFAULT_PERMISSIONS",
    "EMBED_LINKS",
    "GUILD_ID",
    "MAX_COMMANDS",
    "MAX_COMMAND_DESCRIPTION",
    "MAX_COMMAND_NAME",
    "MAX_CONTENT_LENGTH",
    "MAX_EMBEDS",
    "MAX_EMBED_TOTAL",
    "MAX_FILES",
    "MAX_UPLOAD_BYTES",
    "MESSAGE_ROUTES",
    "OWNER_ID",
    "SEND_MESSAGES",
    "TOKEN",
    "VIEW_CHANNEL",
    "BasePatch",
    "ChannelInfo",
    "DiscordCall",
    "FakeDiscord",
    "GatewayFrame",
    "PushedInteraction",
    "ScriptedFailure",
    "WebhookInfo",
    "embed_size",
    "error_body",
    "message_form_errors",
]

"""The fake Discord's gateway: a websocket on the same server that discord.py's real `Client`
connects to (`GET /gateway/bot` names it), and what a test pushes through it.

    async with FakeDiscord() as server, server.patch_base():
        bot = discord.Client(intents=discord.Intents.none())
        await bot.login(TOKEN)
        task = asyncio.create_task(bot.connect())  # patch_base() points it at `gateway_url`
        await server.wait_for_gateway()
        pushed = server.push_interaction("help")           # a slash command, as a member sends it
        [answer] = await server.wait_for_answer(pushed)    # the messages that answer it

What it emulates of Discord's gateway (v9 and v10, JSON): HELLO (op 10) on connect, heartbeats
answered with ACK (op 11); IDENTIFY (op 2) answered with READY (the bot user, the application,
the session's id and `resume_gateway_url`, its guilds unavailable) and one GUILD_CREATE per guild
the fake knows (its channels, the bot's member and the guild's roles); RESUME (op 6) of a known
session replays the dispatches the client missed, then RESUMED, and an unknown one is answered
INVALID_SESSION (op 9, not resumable). Transport compression `compress=zlib-stream`: every
payload is one deflate stream's chunk ending in Z_SYNC_FLUSH, in binary frames (other values,
such as zstd-stream, get plain text frames, which discord.py reads as well). Close codes: 4001
unknown opcode, 4002 a payload that is not JSON, 4003 a payload before IDENTIFY, 4004 a wrong
token, 4005 a second IDENTIFY, 4012 an API version other than 9 or 10.

A test pushes dispatches (`dispatch`, `push_interaction`; from any thread) and asks the client to
reconnect (`reconnect_gateway`: op 7, after which discord.py resumes). An interaction's answer
comes back through the REST routes (the callback, follow-ups, edits of the original), recorded
as any call, with the interaction's channel; `answers` lists the messages that answer it.

Not emulated: sharding, presences, member chunking (op 8 is recorded and not answered), voice,
heartbeat timeouts (a client that stops beating stays connected), the identify rate limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.servers.discord.answers import Answer
from tests.servers.discord.messages import DiscordMessages
from tests.servers.discord.parsing import Incoming

# The opcodes (Discord's names).
DISPATCH, HEARTBEAT, IDENTIFY, RESUME, RECONNECT = 0, 1, 2, 6, 7
INVALID_SESSION, HELLO, HEARTBEAT_ACK = 9, 10, 11
_KNOWN_OPS = frozenset({1, 2, 3, 4, 6, 8, 31})
_LOADING = 128  # a deferred answer's flag until it is edited


@dataclass(frozen=True)
class GatewayFrame:
    """One gateway payload as the fake saw it: `sent` by the fake or received from the client
    (an IDENTIFY's or RESUME's token is left out)."""

    sent: bool
    op: int
    t: str | None = None
    s: int | None = None
    d: Any = None
    at: float = 0.0


@dataclass(frozen=True)
class PushedInteraction:
    """An INTERACTION_CREATE the fake dispatched: its id, token, channel and whole payload."""

    id: int
    token: str
    channel_id: int
    payload: dict[str, Any]


class _Connection:
    """One websocket: its frames go out in order through a queue and a writer task."""

    def __init__(self, socket: web.WebSocketResponse, compressed: bool) -> None:
        self.socket = socket
        self.compressor = zlib.compressobj() if compressed else None
        self.outgoing: asyncio.Queue[dict[str, Any] | tuple[int, str]] = asyncio.Queue()
        self.session: _Session | None = None

    async def write(self) -> None:
        """Send what is queued until a close (a `(code, reason)` tuple) or the socket's end."""
        with contextlib.suppress(ConnectionError):  # the client went away
            await self._write()

    async def _write(self) -> None:
        while True:
            frame = await self.outgoing.get()
            if isinstance(frame, tuple):
                await self.socket.close(code=frame[0], message=frame[1].encode())
                return
            text = json.dumps(frame, separators=(",", ":"))
            if self.compressor is None:
                await self.socket.send_str(text)
            else:
                chunk = self.compressor.compress(text.encode()) + self.compressor.flush(
                    zlib.Z_SYNC_FLUSH
                )
                await self.socket.send_bytes(chunk)


@dataclass
class _Session:
    id: str
    seq: int = 0
    dispatched: list[dict[str, Any]] = field(default_factory=list)  # replayed on RESUME
    connection: _Connection | None = None


class DiscordGateway(DiscordMessages):
    """The gateway's part of `FakeDiscord` (`heartbeat_interval` in ms, as HELLO says it)."""

    def __init__(self, *, heartbeat_interval: int = 41_250, **options: Any) -> None:
        super().__init__(**options)
        self.heartbeat_interval = heartbeat_interval
        self.gateway_frames: list[GatewayFrame] = []
        self._sessions: dict[str, _Session] = {}
        self._connections: set[_Connection] = set()
        self._gateway_loop: asyncio.AbstractEventLoop | None = None

    # Addresses

    @property
    def gateway_url(self) -> str:
        """The websocket's address, as `GET /gateway/bot` answers it (discord.py adds the query)."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    # What a test does

    def dispatch(self, event: str, data: Mapping[str, Any]) -> None:
        """Send a dispatch (op 0, `t` = `event`) to every session; one whose client is away gets
        it when it resumes. From any thread; it is queued in order and sent soon after."""
        loop = self._gateway_loop
        if loop is None:
            raise RuntimeError("the fake Discord is not started")
        loop.call_soon_threadsafe(self._dispatch_now, event, dict(data))

    def push_interaction(
        self,
        command: str,
        options: Mapping[str, object] | None = None,
        *,
        channel_id: int | None = None,
        user_id: int | None = None,
        permissions: int | None = None,
        locale: str = "en-US",
    ) -> PushedInteraction:
        """A member's slash command (`"compare"`, or `"sources add"` for a group's subcommand)
        with its options' values, as INTERACTION_CREATE. The command must have been registered
        (a bulk overwrite, in the channel's guild or globally); the options' types are taken
        from it. The member is `owner_id` by default, with the permissions the fake gives it
        unless `permissions` says otherwise."""
        with self._lock:
            channel = self._channel(channel_id or self.default_channel_id)
            user = user_id or self.owner_id
            data = self._command_data(channel.guild_id, command.split(), dict(options or {}))
            interaction_id = self._next_id()
            token = "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48)
            self._interaction_channels[token] = channel.id
            self._interaction_tokens[interaction_id] = token
            member_permissions = (
                permissions
                if permissions is not None
                else self._permissions(channel.guild_id, user)
            )
            payload: dict[str, Any] = {
                "id": str(interaction_id),
                "application_id": str(self.application_id),
                "type": 2,
                "token": token,
                "version": 1,
                "channel_id": str(channel.id),
                "channel": channel.to_api(),
                "guild_id": str(channel.guild_id),
                "data": data,
                "member": {
                    "user": self._user(user),
                    "nick": None,
                    "avatar": None,
                    "roles": [str(r) for r in self._member_role_ids(channel.guild_id, user)],
                    "joined_at": "2024-01-01T00:00:00.000000+00:00",
                    "deaf": False,
                    "mute": False,
                    "flags": 0,
                    "pending": False,
                    "permissions": str(member_permissions),
                },
                "app_permissions": str(self._permissions(channel.guild_id, self.bot_id)),
                "locale": locale,
                "guild_locale": "en-US",
                "entitlements": [],
                "authorizing_integration_owners": {"0": str(channel.guild_id)},
                "context": 0,
                "attachment_size_limit": 10 * 1024 * 1024,
            }
        self.dispatch("INTERACTION_CREATE", payload)
        return PushedInteraction(interaction_id, token, channel.id, payload)

    def reconnect_gateway(self) -> None:
        """Ask every connected client to reconnect (op 7): discord.py closes and resumes."""
        loop = self._gateway_loop
        if loop is None:
            raise RuntimeError("the fake Discord is not started")

        def ask() -> None:
            for connection in list(self._connections):
                self._send(connection, {"op": RECONNECT, "d": None})

        loop.call_soon_threadsafe(ask)

    # Results

    def gateway_connected(self) -> bool:
        """Whether a client is connected with a session (READY or RESUMED sent)."""
        with self._lock:
            return any(
                session.connection is not None and session.dispatched
                for session in self._sessions.values()
            )

    def received(self, op: int) -> list[GatewayFrame]:
        """The payloads with opcode `op` the clients sent."""
        with self._lock:
            return [frame for frame in self.gateway_frames if not frame.sent and frame.op == op]

    def answers(self, pushed: PushedInteraction) -> list[dict[str, Any]]:
        """The messages that answer an interaction, as last edited: its original response (a
        callback of type 4 or 5, then edits), then its follow-ups."""
        with self._lock:
            ids = []
            original = self._originals.get(pushed.token)
            if original is not None:
                ids.append(original)
            ids.extend(self._followups.get(pushed.token, []))
            return [dict(self._messages[i]) for i in ids if i in self._messages]

    def answered(self, pushed: PushedInteraction) -> bool:
        """Whether the interaction has an answer that is not only "thinking"."""
        return any(
            not int(message.get("flags") or 0) & _LOADING
            and (message["content"] or message["embeds"] or message["attachments"])
            for message in self.answers(pushed)
        )

    async def wait_for_gateway(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until a client is connected with a session (READY or RESUMED sent)."""
        await self.wait_for(self.gateway_connected, timeout, "no client on the gateway")

    def wait_until_gateway(self, timeout: float = 10.0) -> None:
        """`wait_for_gateway` for synchronous code (with the server `in_thread`)."""
        self.wait_until(self.gateway_connected, timeout, "no client on the gateway")

    async def wait_for_answer(
        self,
        pushed: PushedInteraction,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> list[dict[str, Any]]:
        """Wait until the interaction is answered; returns `answers(pushed)`."""
        what = f"interaction /{pushed.payload['data']['name']} not answered"
        await self.wait_for(lambda: self.answered(pushed), timeout, what)
        return self.answers(pushed)

    def wait_until_answer(
        self, pushed: PushedInteraction, timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        """`wait_for_answer` for synchronous code (with the server `in_thread`)."""
        what = f"interaction /{pushed.payload['data']['name']} not answered"
        self.wait_until(lambda: self.answered(pushed), timeout, what)
        return self.answers(pushed)

    def _command_data(
        self, guild_id: int, names: list[str], values: dict[str, object]
    ) -> dict[str, Any]:
        """An application command's interaction data, from the command as it was registered."""
        if not names:
            raise ValueError("no command named")
        registered: dict[str, Any] | None = None
        scope: int | None = None
        for scope in (guild_id, None):
            registered = next(
                (
                    command
                    for command in self._commands.get(scope, [])
                    if command["name"] == names[0] and int(command.get("type") or 1) == 1
                ),
                None,
            )
            if registered is not None:
                break
        if registered is None:
            raise LookupError(f"/{names[0]} is not registered, in guild {guild_id} nor globally")
        data: dict[str, Any] = {"id": registered["id"], "name": names[0], "type": 1}
        if scope is not None:
            data["guild_id"] = str(scope)
        declared: list[dict[str, Any]] = registered.get("options") or []
        options: list[dict[str, Any]] = []
        data["options"] = options
        for sub in names[1:]:
            found = next((o for o in declared if o["name"] == sub and o["type"] in (1, 2)), None)
            if found is None:
                raise LookupError(f"/{' '.join(names)}: no subcommand {sub!r}")
            nested: list[dict[str, Any]] = []
            options.append({"name": sub, "type": found["type"], "options": nested})
            options, declared = nested, found.get("options") or []
        for name, value in values.items():
            option = next((o for o in declared if o["name"] == name), None)
            if option is None:
                raise LookupError(f"/{' '.join(names)} has no option {name!r}")
            options.append({"name": name, "type": option["type"], "value": value})
        return data

    # The REST route that names the gateway

    def _gateway_bot(self, incoming: Incoming) -> Answer:
        return Answer(
            200,
            {
                "url": self.gateway_url,
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 14_400_000,
                    "max_concurrency": 1,
                },
            },
        )

    # The websocket

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(max_msg_size=0)
        await socket.prepare(request)
        connection = _Connection(socket, request.query.get("compress") == "zlib-stream")
        self._connections.add(connection)
        writer = asyncio.create_task(connection.write())
        try:
            if request.query.get("v", "10") not in ("9", "10"):
                self._close_with(connection, 4012, "Invalid API version.")
            else:
                self._send(
                    connection, {"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_interval}}
                )
                async for message in socket:
                    if message.type is not WSMsgType.TEXT or not self._receive(
                        connection, message.data
                    ):
                        break
            # The writer ends at the first close queued: a code given above, or this one.
            connection.outgoing.put_nowait((1000, ""))
            await asyncio.wait_for(asyncio.shield(writer), 5)
        except TimeoutError:
            pass
        finally:
            writer.cancel()
            self._connections.discard(connection)
            with self._lock:
                if connection.session is not None and connection.session.connection is connection:
                    connection.session.connection = None
            await socket.close()
        return socket

    def _receive(self, connection: _Connection, text: str) -> bool:
        """Handle one payload from the client; False once the connection is being closed."""
        try:
            payload = json.loads(text)
            op = int(payload["op"])
        except (ValueError, TypeError, KeyError):
            return self._close_with(connection, 4002, "Error while decoding payload.")
        data = payload.get("d")
        shown = {k: v for k, v in data.items() if k != "token"} if isinstance(data, dict) else data
        self._log(GatewayFrame(sent=False, op=op, d=shown, at=time.monotonic()))
        if op == HEARTBEAT:
            self._send(connection, {"op": HEARTBEAT_ACK})
        elif op not in _KNOWN_OPS:
            return self._close_with(connection, 4001, "Unknown opcode.")
        elif op == IDENTIFY:
            return self._identify(connection, data if isinstance(data, dict) else {})
        elif op == RESUME:
            return self._resume(connection, data if isinstance(data, dict) else {})
        elif connection.session is None:
            return self._close_with(connection, 4003, "Not authenticated.")
        return True

    def _token_ok(self, data: Mapping[str, Any]) -> bool:
        token = data.get("token")
        return isinstance(token, str) and bool(token) and self.token in (None, token)

    def _identify(self, connection: _Connection, data: Mapping[str, Any]) -> bool:
        if connection.session is not None:
            return self._close_with(connection, 4005, "Already authenticated.")
        if not self._token_ok(data):
            return self._close_with(connection, 4004, "Authentication failed.")
        session = _Session(secrets.token_hex(16), connection=connection)
        connection.session = session
        with self._lock:
            self._sessions[session.id] = session
            guilds = sorted({self.default_guild_id} | {c.guild_id for c in self._channels.values()})
            ready = {
                "v": 10,
                "user": self._bot_user(),
                "guilds": [{"id": str(guild_id), "unavailable": True} for guild_id in guilds],
                "session_id": session.id,
                "resume_gateway_url": self.gateway_url,
                "session_type": "normal",
                "application": {"id": str(self.application_id), "flags": 0},
                "private_channels": [],
                "presences": [],
                "relationships": [],
                "user_settings": {},
                "geo_ordered_rtc_regions": [],
                "auth_session_id_hash": "",
                "_trace": ['["fake-discord-gateway"]'],
            }
            creates = [self._guild_create(guild_id) for guild_id in guilds]
        self._dispatch_to(session, "READY", ready)
        for create in creates:
            self._dispatch_to(session, "GUILD_CREATE", create)
        return True

    def _resume(self, connection: _Connection, data: Mapping[str, Any]) -> bool:
        with self._lock:
            session = self._sessions.get(str(data.get("session_id")))
        if session is None or not self._token_ok(data):
            self._send(connection, {"op": INVALID_SESSION, "d": False})
            return True
        previous = session.connection
        if previous is not None and previous is not connection:
            self._close_with(previous, 4000, "Session resumed elsewhere.")
        session.connection = connection
        connection.session = session
        seq = data.get("seq")
        for frame in session.dispatched:
            if not isinstance(seq, int) or frame["s"] > seq:
                self._send(connection, frame)
        self._dispatch_to(session, "RESUMED", {})
        return True

    def _guild_create(self, guild_id: int) -> dict[str, Any]:
        guild = self._guild(guild_id)
        channels = [
            {k: v for k, v in channel.to_api().items() if k != "guild_id"}
            for channel in self._channels.values()
            if channel.guild_id == guild_id
        ]
        if guild_id == self.default_guild_id and self.default_channel_id not in self._channels:
            channels.append(self._channel(self.default_channel_id).to_api())
        bot_member = {
            "user": self._bot_user(),
            "nick": None,
            "avatar": None,
            "roles": [str(role) for role in self._member_role_ids(guild_id, self.bot_id)],
            "joined_at": "2024-01-01T00:00:00.000000+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
        }
        return {
            **guild,
            "unavailable": False,
            "joined_at": "2024-01-01T00:00:00.000000+00:00",
            "large": False,
            "member_count": 2,
            "members": [bot_member],
            "channels": channels,
            "threads": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    # Sending (on the server's loop)

    def _dispatch_now(self, event: str, data: dict[str, Any]) -> None:
        for session in list(self._sessions.values()):
            self._dispatch_to(session, event, data)

    def _dispatch_to(self, session: _Session, event: str, data: dict[str, Any]) -> None:
        session.seq += 1
        frame = {"op": DISPATCH, "t": event, "s": session.seq, "d": data}
        with self._lock:
            session.dispatched.append(frame)
        if session.connection is not None:
            self._send(session.connection, frame)

    def _send(self, connection: _Connection, frame: dict[str, Any]) -> None:
        op, event, seq, data = frame["op"], frame.get("t"), frame.get("s"), frame.get("d")
        self._log(GatewayFrame(True, op, event, seq, data, time.monotonic()))
        connection.outgoing.put_nowait(frame)

    def _close_with(self, connection: _Connection, code: int, reason: str) -> bool:
        connection.outgoing.put_nowait((code, reason))
        return False

    def _log(self, frame: GatewayFrame) -> None:
        with self._lock:
            self.gateway_frames.append(frame)

    async def _start_gateway(self) -> None:
        self._gateway_loop = asyncio.get_running_loop()

    async def _stop_gateway(self) -> None:
        for connection in list(self._connections):
            await connection.socket.close(code=1001, message=b"Going away.")

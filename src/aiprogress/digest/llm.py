"""The LLM writer: both languages from one fact sheet in one call, checked before use.

It asks any OpenAI-compatible server (OpenAI, OpenRouter, Ollama, vLLM, llama.cpp) for a JSON
object in the post's structure and renders it itself, so the model never writes markup. Feed
text reaches the model only inside the delimited facts block, as data. A draft that fails the
checker goes back once with its problems; a second failure, a server that does not answer or a
spent budget hands the sheet to the built-in writer. Nothing unchecked leaves this class.

This module holds the client side (the call, the fallback model, the cache, the budget and the
ledger); what is sent is built in `llm_prompt` and the answer is read in `llm_answer`.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time
from typing import TYPE_CHECKING, Any, cast

import openai

from aiprogress.core.errors import LlmUnavailable
from aiprogress.core.factsheet import (
    DigestDocument,
    DocumentStory,
    FactSheet,
    LlmCall,
    Usage,
    Verdict,
    WrittenDigest,
)
from aiprogress.core.ports import Clock, LlmLedger
from aiprogress.core.types import Language, ModelInfo
from aiprogress.digest.builtin import BuiltinWriter, sources_of
from aiprogress.digest.checker import Checker
from aiprogress.digest.figures import ModelVocabulary
from aiprogress.digest.llm_answer import parse_answer
from aiprogress.digest.llm_prompt import PROMPT_VERSION, RETRY_PROMPT, facts_block, system_prompt

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionMessageParam

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LlmOptions:
    model: str
    fallback_model: str = ""
    daily_token_budget: int = 0  # 0: no budget
    price_input_per_mtok: float | None = None
    price_output_per_mtok: float | None = None
    max_tokens: int = 4000
    temperature: float = 0.3
    # Stories the LLM writes; the rest are listed by title and link (see DigestDocument.more).
    max_stories: int = 10


@dataclass(frozen=True, slots=True)
class _Reply:
    content: str
    usage: Usage
    model: str


class LlmWriter:
    name = "llm"

    def __init__(
        self,
        *,
        client: openai.AsyncOpenAI,
        options: LlmOptions,
        ledger: LlmLedger,
        clock: Clock,
        fallback: BuiltinWriter | None = None,
    ) -> None:
        self._client = client
        self._options = options
        self._ledger = ledger
        self._clock = clock
        self._fallback = fallback or BuiltinWriter()

    async def write(self, sheet: FactSheet, models: Sequence[ModelInfo]) -> WrittenDigest:
        if not sheet.stories:
            return self._fallback.written(sheet, Verdict.BUILTIN)
        checker = Checker(ModelVocabulary(models))
        full_sheet = sheet
        sheet = replace(sheet, stories=sheet.stories[: self._options.max_stories])
        messages: list[dict[str, str]] = [
            {"role": "system", "content": system_prompt(sheet.period)},
            {"role": "user", "content": facts_block(sheet)},
        ]
        usage = Usage()
        used_model = ""
        problems: list[str] = []
        for attempt in (1, 2):
            if await self._budget_spent():
                logger.warning("digest: the daily token budget is spent; built-in writer used")
                return self._builtin(full_sheet, Verdict.BUDGET, usage, used_model, problems)
            try:
                reply = await self._complete(messages)
            except LlmUnavailable as error:
                logger.warning("digest: the LLM failed (%s); built-in writer used", error)
                return self._builtin(
                    full_sheet, Verdict.LLM_FAILED, usage, used_model, [*problems, str(error)]
                )
            usage += reply.usage
            used_model = reply.model
            documents, problems = parse_answer(reply.content, sheet)
            if not problems:
                problems = checker.check(sheet, documents.values())
            if not problems:
                return WrittenDigest(
                    documents=_with_the_rest(documents, full_sheet, len(sheet.stories)),
                    writer=self.name,
                    verdict=Verdict.PASSED,
                    model=used_model,
                    prompt_version=PROMPT_VERSION,
                    usage=usage,
                )
            logger.info("digest: draft %d rejected: %s", attempt, "; ".join(problems[:10]))
            messages += [
                {"role": "assistant", "content": reply.content[:20_000]},
                {
                    "role": "user",
                    "content": RETRY_PROMPT.format(
                        problems="\n".join(f"- {p}" for p in problems[:30])
                    ),
                },
            ]
        logger.warning(
            "digest: both drafts failed the checker; built-in writer used: %s",
            "; ".join(problems[:10]),
        )
        return self._builtin(full_sheet, Verdict.REJECTED, usage, used_model, problems)

    def _builtin(
        self,
        sheet: FactSheet,
        verdict: Verdict,
        usage: Usage,
        model: str,
        problems: Sequence[str],
    ) -> WrittenDigest:
        written = self._fallback.written(sheet, verdict, tuple(problems))
        return replace(written, model=model, prompt_version=PROMPT_VERSION, usage=usage)

    async def _budget_spent(self) -> bool:
        budget = self._options.daily_token_budget
        if budget <= 0:
            return False
        now = self._clock.now()
        midnight = datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)
        return await self._ledger.tokens_since(midnight) >= budget

    async def _complete(self, messages: list[dict[str, str]]) -> _Reply:
        models = [self._options.model]
        if self._options.fallback_model and self._options.fallback_model != self._options.model:
            models.append(self._options.fallback_model)
        errors: list[str] = []
        for model in models:
            key = self._cache_key(model, messages)
            cached = await self._ledger.cached(key)
            if cached is not None:
                await self._record(model, Usage(), cached=True)
                return _Reply(cached, Usage(), model)
            try:
                response = await self._client.chat.completions.create(
                    model=model,
                    messages=cast("list[ChatCompletionMessageParam]", messages),
                    response_format={"type": "json_object"},
                    temperature=self._options.temperature,
                    max_tokens=self._options.max_tokens,
                )
            except openai.APIError as error:
                errors.append(f"{model}: {_describe(error)}")
                continue
            usage = self._usage(response.usage)
            await self._record(model, usage, cached=False)
            content = response.choices[0].message.content if response.choices else None
            if not content:
                errors.append(f"{model}: empty answer")
                continue
            await self._ledger.cache(key, model, PROMPT_VERSION, content, self._clock.now())
            return _Reply(content, usage, model)
        raise LlmUnavailable("; ".join(errors))

    def _usage(self, raw: Any) -> Usage:
        prompt = int(getattr(raw, "prompt_tokens", 0) or 0)
        completion = int(getattr(raw, "completion_tokens", 0) or 0)
        options = self._options
        cost = None
        if options.price_input_per_mtok is not None and options.price_output_per_mtok is not None:
            cost = (
                prompt * options.price_input_per_mtok + completion * options.price_output_per_mtok
            ) / 1_000_000
        return Usage(prompt, completion, cost)

    async def _record(self, model: str, usage: Usage, *, cached: bool) -> None:
        await self._ledger.record(
            LlmCall(
                at=self._clock.now(),
                model=model,
                purpose="digest",
                prompt_tokens=usage.prompt_tokens,
                completion_tokens=usage.completion_tokens,
                cost_usd=usage.cost_usd,
                cached=cached,
            )
        )

    @staticmethod
    def _cache_key(model: str, messages: list[dict[str, str]]) -> str:
        payload = json.dumps([PROMPT_VERSION, model, messages], ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()


def _with_the_rest(
    documents: dict[Language, DigestDocument], sheet: FactSheet, written: int
) -> dict[Language, DigestDocument]:
    """The stories past the LLM's share, by title and link, after those it listed."""
    rest = tuple(
        DocumentStory(story=story.key, text=story.title, links=story.links)
        for story in sheet.stories[written:]
    )
    sources = sources_of(sheet)
    return {
        language: replace(doc, more=(*doc.more, *rest), sources=sources)
        for language, doc in documents.items()
    }


def _describe(error: openai.APIError) -> str:
    """What went wrong, without the request (it may carry the key in headers) or the body."""
    if isinstance(error, openai.APITimeoutError):
        return "timed out"
    if isinstance(error, openai.APIStatusError):
        return f"HTTP {error.status_code}"
    if isinstance(error, openai.APIConnectionError):
        return "could not connect"
    return type(error).__name__

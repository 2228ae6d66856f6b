"""Model names as Russian readers type them, on the bundled knowledge base as a fresh install
imports it: whole Cyrillic spellings ("гпт-4о", "клод 3.5 соннет", "дипсик р1"), Cyrillic
look-alikes inside Latin names ("GPT-4о" with a Cyrillic о), and names that must not resolve
("клод 5" is not Claude Opus 4.5). `aiprogress compare "гпт-4о" "клод 3.5 соннет"` used to ask
which of Gemma 4 31B, Grok 4, Claude Opus 4… was meant: every Cyrillic letter was dropped."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from aiprogress.core.clock import FixedClock
from aiprogress.core.errors import AmbiguousModel, ModelNotFound
from aiprogress.core.latin_names import VOCABULARY, latin_name, unreadable
from aiprogress.core.model_names import resolve_plain
from aiprogress.core.types import ModelFact, ModelInfo
from aiprogress.sources.names import ModelIndex, alias_key, fuzzy_form, name_numbers
from tests.bot.test_telegram import USER, Front, open_front
from tests.builders import make_registry
from tests.conftest import Bundled


@pytest.fixture(scope="module")
def index(bundled_models_and_facts: tuple[list[ModelInfo], list[ModelFact]]) -> ModelIndex:
    return ModelIndex(bundled_models_and_facts[0])


def resolved(index: ModelIndex, name: str) -> str:
    """The model `/compare`, `models show` and the bots take a name for (core/registry.py)."""
    return resolve_plain(index, name).canonical_id


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # Whole Cyrillic spellings of the families' names.
        ("гпт-4о", "openai/gpt-4o"),
        ("ГПТ-4О", "openai/gpt-4o"),
        ("гпт4о", "openai/gpt-4o"),
        ("гпт 4.5", "openai/gpt-4.5-preview"),
        ("гпт-4о мини", "openai/gpt-4o-mini"),
        ("гпт 5 мини", "openai/gpt-5-mini"),
        ("клод 3.5 соннет", "anthropic/claude-3.5-sonnet"),
        ("клод 3.5 сонет", "anthropic/claude-3.5-sonnet"),
        ("клод 3.5 хайку", "anthropic/claude-3.5-haiku"),
        ("клод опус 4.5", "anthropic/claude-opus-4.5"),
        ("соннет 3.5", "anthropic/claude-3.5-sonnet"),
        ("дипсик р1", "deepseek/deepseek-r1"),
        ("дипсик в3", "deepseek/deepseek-v3"),
        ("джемини 2.5 про", "google/gemini-2.5-pro"),
        ("гемини 2.5 про", "google/gemini-2.5-pro"),
        ("джемини 2.5 флэш лайт", "google/gemini-2.5-flash-lite"),
        ("джемма 3 27б", "google/gemma-3-27b-it"),
        ("грок 3", "xai/grok-3"),
        ("ллама 3.1 70б", "meta-llama/llama-3.1-70b-instruct"),
        ("лама 3.1 405б", "meta-llama/llama-3.1-405b-instruct"),
        ("квен 2.5 72б", "qwen/qwen-2.5-72b-instruct"),
        ("мистраль лардж", "mistralai/mistral-large"),
        ("фи 4", "microsoft/phi-4"),
        ("кими к2", "moonshotai/kimi-k2"),
        # The o-series with a Cyrillic "о", the letter Russian keyboards give.
        ("о3 мини", "openai/o3-mini"),
        ("о4-мини", "openai/o4-mini"),
        ("о1", "openai/o1"),
        # Scripts mixed: Cyrillic look-alikes in Latin words, Cyrillic words in Latin names.
        ("GPT-4о", "openai/gpt-4o"),
        ("gpt-4о-mini", "openai/gpt-4o-mini"),
        ("Claude Опус 4", "anthropic/claude-opus-4"),
        ("Сlaude 3.7 Sonnet", "anthropic/claude-3.7-sonnet"),
        ("Gеmini 2.5 Pro", "google/gemini-2.5-pro"),
        ("DeepSeek-Р1", "deepseek/deepseek-r1"),
        ("о3 mini", "openai/o3-mini"),
        ("o3 мини", "openai/o3-mini"),
    ],
)
def test_cyrillic_and_mixed_names_resolve(index: ModelIndex, typed: str, expected: str) -> None:
    assert resolved(index, typed) == expected


@pytest.mark.parametrize(
    ("typed", "latin"),
    [
        ("чатгпт", "chatgpt"),
        ("клод", "claude"),
        ("соннет", "sonnet"),
        ("опус", "opus"),
        ("хайку", "haiku"),
        ("джемини", "gemini"),
        ("гемини", "gemini"),
        ("дипсик", "deepseek"),
        ("грок", "grok"),
        ("лама", "llama"),
        ("ллама", "llama"),
        ("мистраль", "mistral"),
        ("квен", "qwen"),
        ("джемма", "gemma"),
        ("СhatGpt", "ChatGpt"),
    ],
)
def test_a_bare_family_asks_as_its_latin_name_does(
    index: ModelIndex, typed: str, latin: str
) -> None:
    """A family's name alone ("клод") is as ambiguous as in Latin, and offers the same models
    (it offered none)."""
    with pytest.raises(AmbiguousModel) as cyrillic:
        resolve_plain(index, typed)
    with pytest.raises(AmbiguousModel) as plain:
        resolve_plain(index, latin)
    assert cyrillic.value.candidates == plain.value.candidates
    assert cyrillic.value.query == typed  # the reply repeats what was typed


@pytest.mark.parametrize(
    ("typed", "family"),
    [
        # A number no model of the family states is offered, never taken (`name_numbers`).
        # (Claude Opus, Sonnet, Fable and Mythos 5 are held since LiteLLM 1.110.2.)
        ("клод 6", "Claude"),
        ("клод опус 6", "Claude"),
        ("гпт-6", "GPT"),
        ("грок 5", "Grok"),
        ("дипсик р2", "DeepSeek"),
        # A series letter is part of the number: R3 is not V3, K3 not K2.
        ("дипсик р3", "DeepSeek"),
        ("deepseek r3", "DeepSeek"),
        ("джемини 9", "Gemini"),
    ],
)
def test_a_number_no_model_states_is_not_taken(index: ModelIndex, typed: str, family: str) -> None:
    with pytest.raises(ModelNotFound) as raised:
        resolve_plain(index, typed)
    assert raised.value.query == typed
    # The closest are of the family asked about: "грок 5" offered GPT-5 Pro for its 5.
    assert raised.value.candidates
    assert all(family in name for name in raised.value.candidates), raised.value.candidates


@pytest.mark.parametrize(
    ("typed", "family"),
    [("grok 5", "Grok"), ("llama 5", "Llama"), ("gemini 9", "Gemini")],
)
def test_the_closest_are_of_the_family_asked_about(
    index: ModelIndex, typed: str, family: str
) -> None:
    """Before, "llama 5" offered GLM 5 and Palmyra X5, "gemini 9" GPT-5 Mini, "grok 5" GPT-5
    Pro: close in letters or sharing the number, of no relation."""
    with pytest.raises(ModelNotFound) as raised:
        resolve_plain(index, typed)
    assert raised.value.candidates
    assert all(family in name for name in raised.value.candidates), raised.value.candidates


def test_a_typo_of_the_family_is_still_offered_it(index: ModelIndex) -> None:
    with pytest.raises(ModelNotFound) as raised:
        resolve_plain(index, "calude 5")
    assert raised.value.candidates
    assert all("Claude" in name for name in raised.value.candidates)


@pytest.mark.parametrize("typed", ["привет", "foo 3", "通义千问 2.5", "Γεμινι 2.5", "о5"])
def test_a_name_of_no_family_we_know_is_offered_nothing(index: ModelIndex, typed: str) -> None:
    """A name we cannot read is no name: "通义千问 2.5" was "2.5" once its letters were dropped,
    and asked which of Mistral Medium 3.5, Claude 3.5 Haiku… was meant; "foo 3" was offered o3."""
    with pytest.raises(ModelNotFound) as raised:
        resolve_plain(index, typed)
    assert raised.value.candidates == ()


async def test_compare_and_search_take_cyrillic_names_through_the_registry(
    bundled: Bundled, clock: FixedClock
) -> None:
    """The registry is what the CLI's `compare`, `models show` and `models search`, both bots'
    commands and Discord's autocomplete ask (app/bots.py `model_names`)."""
    registry = make_registry(bundled.store, clock)
    comparison = await registry.compare(["гпт-4о", "клод 3.5 соннет"])
    assert [m.canonical_id for m in comparison.models] == [
        "openai/gpt-4o",
        "anthropic/claude-3.5-sonnet",
    ]
    model, _ = await registry.show("дипсик р1")
    assert model.canonical_id == "deepseek/deepseek-r1"
    found = await registry.search("клод", limit=25)
    assert found and all("Claude" in m.model.display_name for m in found[:5])
    assert [m.model for m in await registry.search("клод 3.5 соннет")][:1] == [
        m.model for m in await registry.search("claude 3.5 sonnet")
    ][:1]


@pytest.fixture
async def front_with_models(bundled: Bundled, clock: FixedClock) -> AsyncIterator[Front]:
    async with open_front(bundled.store, clock) as front:
        yield front


async def test_the_bot_compares_names_typed_in_cyrillic(front_with_models: Front) -> None:
    front = front_with_models
    compared = await front.replies(USER, "/compare гпт-4о против клод 3.5 соннет")
    assert compared[0].split("\n")[0] == "GPT-4o vs Claude 3.5 Sonnet"
    listed, in_latin = await front.replies(USER, "/models клод опус", "/models claude opus")
    assert listed == in_latin
    assert "Opus" in listed.split("\n")[0]


@pytest.mark.parametrize(
    ("typed", "latin"),
    [
        ("гпт-4о", "gpt-4o"),
        ("клод 3.5 соннет", "claude 3.5 sonnet"),
        ("дипсик р1", "deepseek r1"),
        ("о3 мини", "o3 mini"),
        ("GPT-4о", "GPT-4o"),
        ("Claude Опус 4", "Claude opus 4"),
        ("Сlaude", "Claude"),
        ("СhatGpt", "ChatGpt"),
        ("чатgpt", "chatgpt"),
        ("ллама-3.1-70б", "llama-3.1-70b"),
        ("мистраль", "mistral"),
        ("министраль 8б", "ministral 8b"),
        # Not ours to change: names without Cyrillic letters.
        ("Tülu 3", "Tülu 3"),
        ("通义千问", "通义千问"),
        ("Dolphin 2.9.2 Mixtral 8x22B 🐬", "Dolphin 2.9.2 Mixtral 8x22B 🐬"),
    ],
)
def test_latin_name(typed: str, latin: str) -> None:
    assert latin_name(typed) == latin


def test_keys_fuzzy_forms_and_numbers_read_cyrillic_as_latin() -> None:
    assert alias_key("гпт-4о") == alias_key("GPT-4о") == alias_key("gpt-4o") == "gpt4o"
    assert fuzzy_form("Клод 3.5 Соннет") == "claude 3.5 sonnet"
    assert name_numbers("клод 3.5 соннет") == name_numbers("claude 3.5 sonnet") == {"3.5"}
    assert name_numbers("ллама 3 70б") == name_numbers("llama 3 70b") == {"3", "70"}


def test_unreadable() -> None:
    assert unreadable("通义千问 2.5")
    assert unreadable("Γεμινι")
    assert not unreadable("клод 3.5")
    assert not unreadable("Tülu 3")
    assert not unreadable("gpt-4o 🐬")


def test_the_vocabulary_maps_cyrillic_words_to_latin_words() -> None:
    for cyrillic, latin in VOCABULARY.items():
        assert cyrillic == cyrillic.lower() and all("а" <= c <= "я" or c == "ё" for c in cyrillic)
        assert latin.isascii() and latin.isalpha() and latin == latin.lower(), cyrillic

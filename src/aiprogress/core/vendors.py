"""The model makers we know: our id, the name we show, and how each data source spells them.

One table that every reader takes its vendors from: the registry's test of whose new models are
news, LiteLLM's first-party providers and OpenRouter's id prefixes. A maker a source spells
another way gets the spelling here, not a table of its own in the importer.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from aiprogress.core.types import value_type


@value_type
class Vendor:
    id: str
    # The name importers give `ModelInfo.vendor`.
    name: str
    # Its new models are news (a digest's "new model" event, the conclusions' launches).
    tracked: bool = False
    # LiteLLM `litellm_provider` values that are the maker's own API (not a reseller's).
    litellm_providers: tuple[str, ...] = ()
    # The part before "/" of its models' OpenRouter ids.
    openrouter_prefixes: tuple[str, ...] = ()
    # Other lower-case names sources give the maker as a model's vendor.
    aliases: tuple[str, ...] = ()

    @property
    def spellings(self) -> frozenset[str]:
        """Every lower-case name a model's vendor or id prefix may call this maker by."""
        return frozenset({self.id, self.name.lower(), *self.openrouter_prefixes, *self.aliases})


VENDORS: tuple[Vendor, ...] = (
    Vendor("openai", "OpenAI", True, ("openai",), ("openai",)),
    Vendor("anthropic", "Anthropic", True, ("anthropic",), ("anthropic",)),
    Vendor("google", "Google", True, ("gemini", "palm"), ("google",)),
    Vendor("xai", "xAI", True, ("xai",), ("x-ai",)),
    Vendor("deepseek", "DeepSeek", True, ("deepseek",), ("deepseek",)),
    Vendor("meta", "Meta", True, ("meta_llama",), ("meta-llama",)),
    Vendor("mistral", "Mistral", True, ("mistral", "codestral"), ("mistralai",)),
    # Qwen is Alibaba's; LiteLLM reads no first-party Qwen API.
    Vendor("qwen", "Qwen", True, (), ("qwen",), aliases=("alibaba",)),
    Vendor("cohere", "Cohere", litellm_providers=("cohere_chat",)),
    Vendor("ai21", "AI21", litellm_providers=("ai21",)),
    Vendor("aleph-alpha", "Aleph Alpha", litellm_providers=("aleph_alpha",)),
    Vendor("amazon", "Amazon", litellm_providers=("amazon_nova",)),
    Vendor("moonshot", "Moonshot AI", litellm_providers=("moonshot",)),
    Vendor("zai", "Z.ai", litellm_providers=("zai", "bigmodel")),
    Vendor("minimax", "MiniMax", litellm_providers=("minimax",)),
    Vendor("xiaomi", "Xiaomi", litellm_providers=("xiaomi_mimo",)),
    Vendor("inception", "Inception", litellm_providers=("inception",)),
    Vendor("sber", "Sber", litellm_providers=("gigachat",)),
    Vendor("sarvam", "Sarvam AI", litellm_providers=("sarvam",)),
    # OpenRouter's own routers (`openrouter/auto`): not a maker, but named rather than "openrouter".
    Vendor("openrouter", "OpenRouter", openrouter_prefixes=("openrouter",)),
)

# Lower-case vendor names and id prefixes whose new models are news.
TRACKED_VENDORS: frozenset[str] = frozenset(
    spelling for vendor in VENDORS if vendor.tracked for spelling in vendor.spellings
)

# `litellm_provider` value -> the maker's name, for the providers that are a maker's own API.
LITELLM_FIRST_PARTY: Mapping[str, str] = MappingProxyType(
    {provider: vendor.name for vendor in VENDORS for provider in vendor.litellm_providers}
)

# OpenRouter id prefix -> the maker's name, for entries whose `name` has no "Vendor: " part.
OPENROUTER_PREFIXES: Mapping[str, str] = MappingProxyType(
    {prefix: vendor.name for vendor in VENDORS for prefix in vendor.openrouter_prefixes}
)

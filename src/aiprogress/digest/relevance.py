"""Whether an item is about AI, and which sources need asking: a general feed's other news
stays out of an AI digest.

A reader may add a general feed (Hacker News' front page, a tech site's everything-feed) for its
AI stories; a week's digest then told "Cat Gap" and "Using E-Ink tablet as monitor for Linux"
beside the model launches. An item is AI-relevant when its title or summary names AI things
(`ai_relevant`): a model the registry knows or a family-and-version name ("GPT-7"), an AI maker
or product, or an AI term in English or Russian ("LLM", "machine learning", "fine-tuning",
"нейросеть", "ИИ"). Words match whole (by word boundaries); acronyms that are also ordinary
words or other things match only as written ("AI", not "said" or "Ai"; "LoRA", not the radio's
"LoRa"), the rest in any case.

The check is asked only of sources that are not AI-specific (`on_topic`); an item linked to a
lab's own site or a model hub (`AI_SITES`) passes whatever its words. A source is AI-specific
when it is a lab's own (official tier), when it has too few items in the period to judge (under
`MIN_ITEMS_JUDGED`), or when at least half of its items in the period pass the check:
arXiv's cs.AI listing, Hugging Face's papers or a lab's blog publish nothing else, and their
titles do not always say so ("NARU: A Benchmark for NARrative Evolution…" is a paper about
language models; a lab's "Project Vend" post is the lab's news).
Judged by their own items, such sources need no list of AI outlets kept up to date; a general
feed, where AI is one subject among many, keeps only the items that name it. Off-topic items are
left out of the digest, not out of storage: another digest or a filter may still want them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from urllib.parse import urlsplit

from aiprogress.core.types import Item, Source, TrustTier
from aiprogress.digest.figures import ModelVocabulary
from aiprogress.digest.ranking import LAB_SITES

# At least this share of a source's items in the period pass the check: the source is about AI.
AI_SOURCE_SHARE = 0.5
# A source with fewer items than this in the period is not judged: a small AI blog's one post of
# the day whose title names no AI thing would be lost on a sample of one, while a general feed
# (Hacker News' front page: 30 a day) gives a sample at once. Better an off-topic item or two
# from a quiet general feed than an AI story missed.
MIN_ITEMS_JUDGED = 5

# Sites that publish nothing but AI (the host of an item's link, "www." aside): the labs' own
# (`ranking.LAB_SITES`) and the model hubs.
AI_SITES = LAB_SITES | {"huggingface.co", "ollama.com", "openrouter.ai"}

# Acronyms and names matched only as written: in any case they are other words ("said", "Ai"
# the sloth, LoRa radio, "rag", "moe").
_AS_WRITTEN = re.compile(
    r"(?<![\w.-])(?:A\.?I|AGI|GenAI|[VM]?LLMs?|GPTs?|ML|NLP|RAG|RLHF|DPO|LoRA|QLoRA|MoE|"
    r"GANs?|xAI|ChatGPT|Claude|Gemini|Llama|Grok|Qwen|Mistral|Gemma|Phi-\d|DeepSeek|Kimi|Sora|"
    r"GigaChat|YandexGPT|Copilot|Cohere|Midjourney|ИИ|БЯМ)(?![\w])",
)
# Words and names in any case. "agent" alone is an estate agent's or a spy's: only an AI agent
# counts; "inference" alone may be a type checker's.
_ANY_CASE = re.compile(
    r"\b(?:artificial\s+intelligence|machine[\s-]learning|deep[\s-]learning|"
    r"reinforcement\s+learning|neural(?:\s+net(?:work)?s?)?|transformers?|"
    r"diffusion\s+models?|stable\s+diffusion|(?:large\s+)?language\s+models?|"
    r"foundation\s+models?|reasoning\s+models?|open[\s-]weights?|multimodal|"
    r"(?:ai|llm|coding|autonomous|computer[\s-]us(?:e|ing)|web|browser|research)\s+agents?|"
    r"agent\s+(?:workflows?|frameworks?|harness\w*|sdks?|loops?)|"
    r"agentic|multi[\s-]agent|ai[\s-]powered|chatbots?|"
    r"benchmarks?|(?!work)\w+-?bench|(?:llm|model|ai)\s+inference|"
    r"inference[\s-](?:time|engines?|servers?|costs?|providers?|chips?|compute)|"
    r"fine-?tuning|finetun\w*|fine-tuned\s+models?|pre-?training|post-?training|"
    r"(?:meta|imitation|q|curriculum|representation|transfer|self-supervised|unsupervised|"
    r"few-shot|zero-shot|contrastive|continual|multi-task|robot)[\s-]learning|"
    r"policy\s+gradients?|reward\s+models?|autoencoders?|(?:image|code|video)\s+generation|"
    r"retrieval[\s-]augmented|embeddings|embedding\s+models?|"
    r"prompting|prompt\s+(?:engineering|injection)|system\s+prompts?|hallucinat\w*|deepfakes?|"
    r"computer\s+vision|speech\s+recognition|text[\s-]to[\s-](?:image|speech|video)|"
    r"generative|superintelligence|alignment\s+research|ai\s+safety|"
    r"openai|anthropic|deepmind|hugging\s?face|mistral\s+ai|moonshot\s+ai|stability\s+ai|"
    r"perplexity\s+ai|ollama|llamafile|llama\.cpp|vllm|pytorch|tensorflow|langchain|"
    r"dall-?e|"
    # Russian: stems for the cases.
    r"искусственн\w*\s+интеллект\w*|нейросет\w*|нейронн\w*\s+сет\w*|"
    r"машинн\w*\s+обучени\w*|глубок\w*\s+обучени\w*|обучени\w*\s+с\s+подкреплением|"
    r"языков\w*\s+модел\w*|трансформер\w*|диффузионн\w*\s+модел\w*|"
    r"(?:ии|llm)-агент\w*|агентн\w*|бенчмарк\w*|инференс\w*|дообучени\w*|файнтюн\w*|"
    r"эмбеддинг\w*|чат-?бот\w*|генеративн\w*|промпт\w*)\b",
    re.IGNORECASE,
)


def ai_relevant(text: str, vocabulary: ModelVocabulary | None = None) -> bool:
    """Whether `text` names AI things (see the module's rule); `vocabulary` finds the models
    the registry knows and family-and-version names."""
    if _AS_WRITTEN.search(text) or _ANY_CASE.search(text):
        return True
    return vocabulary is not None and bool(vocabulary.find(text))


def _item_relevant(item: Item, vocabulary: ModelVocabulary | None) -> bool:
    # A link to a lab's own site or a model hub is AI news, whichever feed carried it.
    try:
        host = (urlsplit(item.url).hostname or "").removeprefix("www.")
    except ValueError:
        host = ""
    if host in AI_SITES:
        return True
    return ai_relevant(f"{item.title}\n{item.summary}", vocabulary)


def on_topic(
    rows: Sequence[tuple[Item, Source]], vocabulary: ModelVocabulary | None = None
) -> list[tuple[Item, Source]]:
    """`rows` without the off-topic items of sources that are not AI-specific, in their order
    (see the module's rule)."""
    relevant = [_item_relevant(item, vocabulary) for item, _ in rows]
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for (_, source), passed in zip(rows, relevant, strict=True):
        counts[source.id][0] += passed
        counts[source.id][1] += 1
    ai_sources = {
        source.id
        for _, source in rows
        if source.trust_tier is TrustTier.OFFICIAL
        or counts[source.id][1] < MIN_ITEMS_JUDGED
        or counts[source.id][0] >= AI_SOURCE_SHARE * counts[source.id][1]
    }
    return [
        row for row, passed in zip(rows, relevant, strict=True) if passed or row[1].id in ai_sources
    ]

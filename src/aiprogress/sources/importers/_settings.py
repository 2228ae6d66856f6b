"""Settings that sources write into a model's id or a run's label, taken out of the name.

`o1-2024-12-17_high` (Epoch), `o3-mini (high)` and `claude-3-7-sonnet-20250219 (32k thinking
tokens)` (Aider), `Meta-Llama-3.1-405B-Instruct-fp8` (LMArena) and
`anthropic/claude-3.7-sonnet:thinking` (OpenRouter) are the plain model run under a setting.
The model part is what the registry matches; the setting goes on the fact, so the run's score
never passes for the plain model's.
"""

from __future__ import annotations

import re

from aiprogress.core.benchmarks import join_settings

# OpenAI's reasoning models run at medium effort unless told otherwise (the API's default), so
# their `_medium` / `(medium)` runs are the default run: the o-series, GPT-5 and its mini and
# nano, gpt-oss. Not GPT-5.1 and later, whose default is no reasoning. Other vendors' effort is
# a setting.
_MEDIUM_IS_DEFAULT = re.compile(r"^(openai/)?(o\d|gpt-5(?![.\d])|gpt-oss)", re.IGNORECASE)

_EPOCH_SUFFIX = re.compile(r"_(high|medium|low|\d+K)$", re.IGNORECASE)
_QUANTISATION_SUFFIX = re.compile(r"-(bf16|fp8|fp16|int8|int4)$", re.IGNORECASE)
_PAREN = re.compile(r"\s*\(([^()]*)\)\s*$")
_THINKING_BUDGET = re.compile(r"^(\d+k)\s+think(ing)?(\s+tokens)?$", re.IGNORECASE)
_THINKING_DASHED = re.compile(r"^thinking-(\d+k)$", re.IGNORECASE)


def _effort(level: str, model: str) -> str:
    level = level.lower()
    if level == "medium" and _MEDIUM_IS_DEFAULT.match(model):
        return ""
    return f"{level} effort"


def split_epoch_id(model_id: str) -> tuple[str, str]:
    """'o1-2024-12-17_high' -> ('o1-2024-12-17', 'high effort');
    'claude-3-7-sonnet-20250219_64K' -> ('claude-3-7-sonnet-20250219', '64K thinking')."""
    found = _EPOCH_SUFFIX.search(model_id)
    if found is None:
        return model_id, ""
    base, suffix = model_id[: found.start()], found.group(1)
    if suffix[:-1].isdigit():
        return base, f"{suffix[:-1]}k thinking"
    return base, _effort(suffix, base)


def _label_setting(label: str, model: str) -> str | None:
    """The setting a run label's parenthesis names, "" for the default run, None when the
    parenthesis is not a setting ('(0324)', '(prev)': another model)."""
    text = label.strip().lower()
    if text in ("no thinking", "no think", "default", "non-thinking"):
        return ""
    if text in ("high", "medium", "low"):
        return _effort(text, model)
    if text in ("thinking", "default think"):
        return "thinking"
    budget = _THINKING_BUDGET.match(text) or _THINKING_DASHED.match(text)
    if budget:
        return f"{budget.group(1).lower()} thinking"
    return None


def split_run_label(name: str) -> tuple[str, str]:
    """Aider's and LMArena's run labels: 'o3-mini (high)' -> ('o3-mini', 'high effort');
    'Claude 3.7 Sonnet (thinking-32k)' -> ('Claude 3.7 Sonnet', '32k thinking'). A label whose
    parenthesis is not a setting is returned whole."""
    found = _PAREN.search(name)
    if found is None:
        return name, ""
    base = name[: found.start()].strip()
    setting = _label_setting(found.group(1), base)
    if setting is None:
        return name, ""
    return base, setting


def split_quantisation(model_id: str) -> tuple[str, str]:
    """'Meta-Llama-3.1-405B-Instruct-fp8' -> ('Meta-Llama-3.1-405B-Instruct', 'fp8'). bf16 is
    the weights as released, so it is the default; a narrower format is a setting."""
    found = _QUANTISATION_SUFFIX.search(model_id)
    if found is None:
        return model_id, ""
    fmt = found.group(1).lower()
    return model_id[: found.start()], "" if fmt in ("bf16", "fp16") else fmt


# OpenRouter's variant suffixes and the setting each names. `:free` is a rate-limited free
# endpoint, not the model's list price.
OPENROUTER_VARIANTS = {
    "thinking": "thinking",
    "free": "free endpoint",
    "beta": "beta endpoint",
    "extended": "extended context",
    "nitro": "fast providers",
    "floor": "cheapest providers",
    "online": "web search",
    "exacto": "tool-calling providers",
}


def split_openrouter_id(model_id: str) -> tuple[str, str]:
    """'anthropic/claude-3.7-sonnet:thinking' -> ('anthropic/claude-3.7-sonnet', 'thinking')."""
    base, colon, variant = model_id.partition(":")
    if not colon:
        return model_id, ""
    return base, OPENROUTER_VARIANTS.get(variant.lower(), variant.lower())


# --- settings written as prose (LLM Stats' `analysis_method`) --------------------------------

_SHOTS = re.compile(r"\b(\d+)[- ]?shot\b", re.IGNORECASE)
_MAJ = re.compile(r"\b(maj|cons)@(\d+)\b", re.IGNORECASE)
_PASS = re.compile(r"\bpass ?@ ?(\d+)\b", re.IGNORECASE)
_WITHOUT_THINKING = re.compile(
    r"\b(without|no|non)[- ](thinking|reasoning)|non-thinking|w/o thinking", re.IGNORECASE
)
_THINKING = re.compile(r"\b(extended thinking|thinking mode|reasoning mode)\b", re.IGNORECASE)
_WITHOUT_TOOLS = re.compile(r"\b(no tools|without tools|w/o tool)", re.IGNORECASE)
_TOOLS = re.compile(r"\b(with tools?|tool use)\b", re.IGNORECASE)
_PARALLEL = re.compile(r"\bparallel\b", re.IGNORECASE)
_SCAFFOLD = re.compile(r"\bscaffold", re.IGNORECASE)
_ADDENDUM = re.compile(r"\bprompt addendum\b", re.IGNORECASE)
_EFFORT = re.compile(r"\b(high|low)\b(?= effort|$)", re.IGNORECASE)


def settings_from_method(method: str) -> str:
    """The score-changing settings a method note states, as one label; '' for none.

    '5-shot CoT' -> '5-shot'; 'Maj@32 5-shot CoT' -> '5-shot, maj@32'; 'With multiple parallel
    attempts and advanced scaffolding' -> 'parallel attempts, scaffolding'; 'GPT-4o without
    thinking mode (no tools)' -> ''. 0-shot and pass@1 are the default run."""
    parts: list[str] = []
    for found in _SHOTS.finditer(method):
        if int(found.group(1)) > 0:
            parts.append(f"{found.group(1)}-shot")
    for found in _MAJ.finditer(method):
        parts.append(f"{found.group(1).lower()}@{found.group(2)}")
    for found in _PASS.finditer(method):
        if int(found.group(1)) > 1:
            parts.append(f"pass@{found.group(1)}")
    if _THINKING.search(method) and not _WITHOUT_THINKING.search(method):
        parts.append("thinking")
    if _TOOLS.search(method) and not _WITHOUT_TOOLS.search(method):
        parts.append("tools")
    if _PARALLEL.search(method):
        parts.append("parallel attempts")
    if _SCAFFOLD.search(method):
        parts.append("scaffolding")
    if _ADDENDUM.search(method):
        parts.append("prompt addendum")
    effort = _EFFORT.search(method)
    if effort:
        parts.append(f"{effort.group(1).lower()} effort")
    return join_settings(*parts)

"""Model names as people and sources write them: a dated snapshot id's base and date, the model
an id is built on, and the one model a plain name means. Pure: the registry resolves with these
(core/registry.py), and the release rules read dated ids with them (digest/releases.py)."""

from __future__ import annotations

import re
from datetime import date

from aiprogress.core.errors import AmbiguousModel, ModelNotFound
from aiprogress.core.latin_names import latin_name
from aiprogress.core.ports import ModelIndex
from aiprogress.core.types import ModelInfo

# Words a model's name may add without making it another model: "Llama 3.1 70B" is Meta's
# "Llama 3.1 70B Instruct".
_PLAIN_WORDS = frozenset({"instruct", "chat", "it"})
_STRONG_MATCH = 80.0
# A dated snapshot id: the base model's id and a full date stamp (`gpt-4o-mini-2024-07-18`,
# `claude-3-5-haiku-20241022`). Shorter stamps (`mistral-large-2411`, `kimi-k2-0905`) are left
# alone: a vendor's "2411" may name a model of its own rather than a snapshot of the bare name.
_DATED_ID = re.compile(r"^(?P<base>.+?)-(?P<stamp>\d{4}-\d{2}-\d{2}|\d{8})$")


def dated_id(model_id: str) -> tuple[str, date] | None:
    """The base model's id a dated snapshot id names and the snapshot's date
    (`openai/gpt-4o-mini` and 18 July 2024 for `openai/gpt-4o-mini-2024-07-18`), or None when
    the id carries no valid full date stamp."""
    found = _DATED_ID.match(model_id)
    if found is None:
        return None
    digits = found["stamp"].replace("-", "")
    try:
        stamp = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None
    return found["base"], stamp


# A shorter stamp closing an id: a vendor's month (`mistral-large-2411`, `mistral-small-2501`)
# or day (`gpt-4-0613`, `gemini-2.5-pro-preview-05-06`) naming one version of a line.
_SHORT_STAMP = re.compile(r"[-_@:](?P<stamp>\d{2}-\d{2}|\d{4})$")


def short_stamp(model_id: str) -> str | None:
    """The short stamp closing an id ('2411' of `mistral/mistral-large-2411`, '0613' of
    `gpt-4-0613`), or None: for no stamp, or a full date (`dated_id`'s)."""
    if dated_id(model_id) is not None:
        return None
    found = _SHORT_STAMP.search(model_id)
    return found["stamp"] if found is not None else None


def dated_base(model_id: str) -> str | None:
    """The base model's id a dated snapshot id names (`dated_id`), or None."""
    dated = dated_id(model_id)
    return dated[0] if dated is not None else None


def built_on(index: ModelIndex, model: ModelInfo) -> ModelInfo | None:
    """The model whose id this model's id extends by words, the longest we hold (`openai/o3`
    for `openai/o3-deep-research`, `openai/o4-mini` for `openai/o4-mini-deep-research`), or
    None. Whether it is built on it, or may come first (o3-mini), the comparison judges."""
    vendor, _, own = model.canonical_id.rpartition("/")
    parts = own.split("-")
    for cut in range(len(parts) - 1, 0, -1):
        prefix = "-".join(parts[:cut])
        found = index.exact(f"{vendor}/{prefix}" if vendor else prefix)
        matches = [m for m in found if m.canonical_id != model.canonical_id]
        if len(matches) == 1:
            return matches[0]
    return None


# A name's words: letters and numbers apart ("Qwen2.5" is "qwen" and "2.5", as "qwen 2.5"
# is), a mixture-of-experts model's active parameters ("A22B") left out: "Qwen3 235B A22B" is
# what "qwen3 235b" names.
_TOKEN = re.compile(r"[a-z]+|[0-9]+(?:\.[0-9]+)*")
_ACTIVE_PARAMETERS = re.compile(r"(?<![a-z0-9])a[0-9]+(?:\.[0-9]+)?b(?![a-z0-9])")
# Release-stage words a name may add when no finished release is known: "Gemini 3.1 Pro" is
# "Gemini 3.1 Pro Preview" where that is all there is.
_STAGE_WORDS = frozenset({"preview", "exp", "experimental"})


def _tokens(name: str) -> list[str]:
    return _TOKEN.findall(_ACTIVE_PARAMETERS.sub(" ", name.lower()))


def _words(name: str) -> frozenset[str]:
    return frozenset(_tokens(name)) - _PLAIN_WORDS


def _plain_candidates(index: ModelIndex, name: str) -> list[ModelInfo]:
    """Models whose own name is the asked name and nothing more (an "Instruct" aside), else
    the asked name after the brand that opens it ("sonnet 4" is "Claude Sonnet 4", not Claude
    Sonnet 4.5), else the asked name and a release stage ("Gemini 3.1 Pro Preview"): the first
    of these that any model answers. Not a fine-tune that carries the base name among its own
    words (Hermes, Nemotron, Euryale; "EVA Qwen2.5 72B" is not what "qwen 2.5 72b" names while
    "Qwen2.5 72B Instruct" is), not the "(base)" pretrained weights unless asked for."""
    wanted = _words(name)
    tiers: tuple[dict[str, ModelInfo], ...] = ({}, {}, {})
    for match in index.search(name, limit=50):
        if match.score < _STRONG_MATCH:
            continue
        own = match.model.display_name.split(": ", 1)[-1]
        words = _words(own)
        extra = words - wanted
        if not wanted <= words:
            continue
        brand = set(_tokens(own)[:1])
        if not extra:
            tier = 0
        elif extra == brand:
            tier = 1
        elif extra <= _STAGE_WORDS | brand:
            tier = 2
        else:
            continue
        tiers[tier].setdefault(match.model.canonical_id, match.model)
    return next((list(found.values()) for found in tiers if found), [])


# Words that make a model of another kind than the one a name without them means: "Gemini 3
# Pro" is not Google's image model "Nano Banana Pro (Gemini 3 Pro Image Preview)".
_OTHER_KIND = frozenset(
    {"image", "vision", "vl", "audio", "tts", "speech", "transcribe", "realtime", "embedding"}
)


def _other_kind(found: ModelInfo, name: str) -> bool:
    """Whether a close match names a kind of model (an image, speech or embedding model) the
    asked name does not, and no name of the model is the asked one."""
    asked = _words(name)
    extra = _words(found.display_name) - asked
    return bool(extra & _OTHER_KIND) and not any(
        _words(alias) == asked for alias in (found.canonical_id, *found.aliases)
    )


def resolve_plain(index: ModelIndex, name: str) -> ModelInfo:
    """The model a name means, as `ModelIndex.resolve` finds it, except that fine-tunes of a
    family do not make its base name ambiguous ("Llama 3.1 70B" is Meta's instruct model, not
    one of five fine-tunes) and the "(base)" pretrained model is chosen only when asked for
    ("Llama 3.1 405B" is the instruct model; "Llama 3.1 405B (base)" the base). A name in
    Cyrillic is weighed by its words in Latin ("ллама 3.1 70б" as "llama 3.1 70b"), as the
    index reads it; errors repeat it as typed."""
    asked = latin_name(name)
    try:
        found = index.resolve(name)
    except AmbiguousModel:
        plain = _plain_candidates(index, asked)
        if len(plain) == 1:
            return plain[0]
        raise
    if _other_kind(found, asked):
        # Better no answer than an image model's figures for the text model asked about.
        raise ModelNotFound(name, (found.display_name,))
    if "base" in _words(found.display_name) and "base" not in _words(asked):
        plain = _plain_candidates(index, asked)
        if len(plain) == 1:
            return plain[0]
    return found


# A date stamp in a source's model id (`gpt-4o-2024-08-06`, `claude-3-5-sonnet-20241022`,
# `gpt-4-0613`, `gemini-2.5-pro-preview-06-05`): that record is one snapshot, and its release
# date is the snapshot's.

"""Model names typed in Cyrillic, or with Cyrillic letters inside Latin ones, as the Latin names
they mean: "гпт-4о" is GPT-4o, "клод 3.5 соннет" Claude 3.5 Sonnet, "GPT-4о" (a Cyrillic "о")
GPT-4o. Half our users read Russian and type names on a Russian keyboard; every name we hold is
Latin, and `alias_key` used to drop every other letter, so "гпт-4о" was "4" and asked which of
five unrelated models with a 4 was meant.

Pure and cheap: a name in ASCII is returned as it is (`str.isascii`, in C), so building the
index over ~3,500 Latin names costs one check each. Words and numbers are only respelled, never
added: "клод 5" is "claude 5", which no model states (see `name_numbers`)."""

from __future__ import annotations

import re
from collections.abc import Mapping

# Cyrillic letters (the Cyrillic and Cyrillic Supplement blocks).
_CYRILLIC = re.compile(r"[\u0400-\u052f]+")
# A word: letters and digits of any script, as `\w` without the underscore.
_WORD = re.compile(r"[^\W_]+")
# A word with no ASCII letter or digit left: one we cannot read ("通义千问", "Γεμινι").
_READABLE = re.compile(r"[0-9A-Za-z]")

# Cyrillic letters drawn like Latin ones: inside a Latin word they are the Latin letter typed
# from the wrong layout or pasted ("GPT-4о", "Сlaude"; "СhatGpt" is in a tenchat.ru post).
# Lower case by the look of the capital as well (н is a small Н, so H), which is what such a
# letter stands for in a Latin word.
_HOMOGLYPHS: Mapping[str, str] = {
    **dict(zip("аеорсхукмтнвіјѕԁԛԝһӏ", "aeopcxykmthbijsdqwhl", strict=True)),
    **dict(zip("АЕОРСХУКМТНВІЈЅԚԜҺӀ", "AEOPCXYKMTHBIJSQWHI", strict=True)),
}
_FOLD_HOMOGLYPHS = str.maketrans(dict(_HOMOGLYPHS))

# Russian letters as English readers spell their sounds (close to BGN/PCGN, simplified): what
# the vocabulary below does not name is spelled so, and fuzzy matching forgives the rest
# ("министраль" is "ministral", "кими" "kimi", "сонар" "sonar"). "х" is "h", not "kh": the names
# it spells are English ("хайку", "хермес"). Ukrainian and Belarusian letters are spelled alike.
_RUSSIAN_LETTERS: Mapping[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "i", "є": "e", "ґ": "g", "ў": "u",
}  # fmt: skip
_TRANSLITERATE = str.maketrans(dict(_RUSSIAN_LETTERS))

# How Russian speakers write the makers' and families' names and the words of model names, in
# Cyrillic, as they say them: phonetic spellings of the English names, which letter-by-letter
# transliteration gets wrong ("клод" would be "klod", "дипсик" "dipsik"). Each is used so in
# Russian chats, forums and the press (e.g. "Дипсик" at ai152.ru/iskusstvennyj-intellekt/dipsik-ii,
# "Гигачат" beside "СhatGpt" at tenchat.ru); the families are those users asked us about in
# Cyrillic. A few that plain transliteration spells right are here too ("гпт", "грок", "опус"), so
# the names users type most do not depend on the letter table.
VOCABULARY: Mapping[str, str] = {
    # OpenAI: "гпт" as the letters are read in Russian; "джипити" as they are said in English;
    # "чатгпт"/"чатджипити" for ChatGPT, the product most people name.
    "гпт": "gpt",
    "джипити": "gpt",
    "чатгпт": "chatgpt",
    "чатджипити": "chatgpt",
    "опенаи": "openai",
    "опенай": "openai",
    "опенэйай": "openai",
    # Anthropic's Claude and its sizes: "клод" (as said), "клауд"/"клоуд" (as spelled), "сонет"
    # (the Russian word for a sonnet), "хайку"/"хаику" (the Russian words for a haiku).
    "антропик": "anthropic",
    "клод": "claude",
    "клауд": "claude",
    "клоуд": "claude",
    "соннет": "sonnet",
    "сонет": "sonnet",
    "опус": "opus",
    "хайку": "haiku",
    "хаику": "haiku",
    # Google: "джемини" as said in English, "гемини" as Russian reads the Latin letters (and as
    # the constellation Gemini is spelled in Russian); "джемма"/"гемма" alike.
    "гугл": "google",
    "джемини": "gemini",
    "гемини": "gemini",
    "джеминай": "gemini",
    "джемма": "gemma",
    "гемма": "gemma",
    # DeepSeek: "дипсик" (as said; the spelling of the Russian press), "дипсек" (as spelled).
    "дипсик": "deepseek",
    "дипсек": "deepseek",
    # xAI's Grok.
    "грок": "grok",
    # Meta's Llama: "лама" (the animal's Russian name, one "л"), "ллама" (as spelled).
    "лама": "llama",
    "ллама": "llama",
    # Mistral's models, their Russian spellings ending in a soft sign or without it.
    "мистраль": "mistral",
    "мистрал": "mistral",
    "микстраль": "mixtral",
    "микстрал": "mixtral",
    "кодестраль": "codestral",
    "пикстраль": "pixtral",
    # Alibaba's Qwen: "квен" (as said), "цвен" (as Russian reads the letters).
    "квен": "qwen",
    "квэн": "qwen",
    "цвен": "qwen",
    # Microsoft's Phi, said "fi" or "fai".
    "фи": "phi",
    "фай": "phi",
    # Others we hold: Cohere's Command, Nous' Hermes, Baidu's ERNIE, NVIDIA's Nemotron.
    "коэр": "cohere",
    "кохир": "cohere",
    "командр": "command",
    "коммандр": "command",
    "гермес": "hermes",
    "хермес": "hermes",
    "эрни": "ernie",
    "нвидиа": "nvidia",
    "нвидия": "nvidia",
    "минимакс": "minimax",
    # The words of model names, said in English and written in Cyrillic.
    "мини": "mini",
    "нано": "nano",
    "про": "pro",
    "макс": "max",
    "плюс": "plus",
    "лайт": "lite",
    "флеш": "flash",
    "флэш": "flash",
    "превью": "preview",
    "турбо": "turbo",
    "инстракт": "instruct",
    "кодер": "coder",
    "кодекс": "codex",
    "ризонер": "reasoner",
    "резонер": "reasoner",
    "синкинг": "thinking",
    "финкинг": "thinking",
    "вижн": "vision",
    "скаут": "scout",
    "маверик": "maverick",
    "лардж": "large",
    "ларж": "large",
    "медиум": "medium",
    "смолл": "small",
    "смол": "small",
}


def latin_name(name: str) -> str:
    """The name with its Cyrillic letters in Latin ones: inside a Latin word, a Cyrillic letter
    drawn like a Latin one is that letter ("GPT-4о" -> "GPT-4o", "Сlaude" -> "Claude"); a
    Cyrillic word, or a Cyrillic run within a word, is the `VOCABULARY`'s Latin word, else its
    transliteration ("клод 3.5 соннет" -> "claude 3.5 sonnet", "дипсик р1" -> "deepseek r1",
    "о3 мини" -> "o3 mini"). Transliterated parts come out in lower case. A name without
    Cyrillic letters is returned as it is."""
    if name.isascii() or _CYRILLIC.search(name) is None:
        return name
    return _WORD.sub(_latin_word, name)


def unreadable(name: str) -> bool:
    """Whether the name holds a word with no letter or digit we read, after `latin_name`
    ("通义千问 2.5"): matching what is left ("2.5") would only find unrelated models."""
    if name.isascii():
        return False
    return any(_READABLE.search(word) is None for word in _WORD.findall(latin_name(name)))


def _latin_word(found: re.Match[str]) -> str:
    word = found[0]
    if _CYRILLIC.search(word) is None:
        return word
    # A Latin letter in the word makes its Cyrillic look-alikes Latin letters ("4о" has none:
    # its "о" is transliterated, which for look-alike vowels is the same letter).
    latin = any("a" <= c <= "z" for c in word.lower())
    return _CYRILLIC.sub(lambda run: _latin_run(run[0], latin=latin), word)


def _latin_run(run: str, *, latin: bool) -> str:
    if latin and all(c in _HOMOGLYPHS for c in run):
        return run.translate(_FOLD_HOMOGLYPHS)
    lowered = run.lower()
    return VOCABULARY.get(lowered) or lowered.translate(_TRANSLITERATE)


__all__ = ["VOCABULARY", "latin_name", "unreadable"]

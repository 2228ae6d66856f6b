"""Telegram's HTML parse mode, as TDLib parses it, and the text Telegram stores after it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tests.servers.telegram.answers import Reject
from tests.servers.telegram.parsing import words


class EntityParseError(ValueError):
    """The text after "Bad Request: can't parse entities: "."""


_ALLOWED_TAGS = frozenset(
    words("a b strong i em u ins s strike del span tg-spoiler tg-emoji code pre blockquote")
)
_SIMPLE_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",  # only <span class="tg-spoiler"> gets this far
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_ENTITY = re.compile(r"&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([a-zA-Z]+));?")
_NAME_TOKEN = re.compile(r"[A-Za-z0-9.\-]*")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _decode_html_entity(text: str, pos: int) -> tuple[str, int] | None:
    """The character of the entity at `pos` (which holds "&") and the position after it."""
    match = _HTML_ENTITY.match(text, pos)
    if match is None:
        return None
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        char = _NAMED_ENTITIES.get(name)
        return None if char is None else (char, match.end())
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), match.end()


@dataclass
class _OpenTag:
    name: str
    argument: str
    offset: int  # in UTF-16 code units of the plain text
    begin: int  # index of "<" in the source


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Telegram's HTML parse mode: the plain text and its entities (UTF-16 offsets).

    Follows TDLib's `parse_html`: only the allowed tags, attribute values quoted or as name
    tokens, `&lt;` `&gt;` `&amp;` `&quot;` and numeric entities (any other `&` stays as is), and
    every "<" must open or close a tag. Raises `EntityParseError` with Telegram's wording.
    """

    def byte_offset(index: int) -> int:
        return len(text[:index].encode("utf-8"))

    size = len(text)
    out: list[str] = []
    utf16 = 0
    opened: list[_OpenTag] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < size:
        char = text[i]
        if char == "&":
            decoded = _decode_html_entity(text, i)
            if decoded is not None:
                out.append(decoded[0])
                utf16 += utf16_len(decoded[0])
                i = decoded[1]
                continue
        if char != "<":
            out.append(char)
            utf16 += utf16_len(char)
            i += 1
            continue
        begin = i
        i += 1
        if i < size and text[i] == "/":
            # An end tag.
            if not opened:
                raise EntityParseError(f"Unexpected end tag at byte offset {byte_offset(begin)}")
            i += 1
            name_begin = i
            while i < size and not text[i].isspace() and text[i] != ">":
                i += 1
            end_name = text[name_begin:i].lower()
            while i < size and text[i].isspace():
                i += 1
            if i >= size or text[i] != ">":
                raise EntityParseError(f"Unclosed end tag at byte offset {byte_offset(begin)}")
            i += 1
            tag = opened.pop()
            if end_name and end_name != tag.name:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {byte_offset(begin)}, "
                    f'expected "</{tag.name}>", found "</{end_name}>"'
                )
            _close_entity(tag, utf16, text, entities)
            continue
        # A start tag.
        name_begin = i
        while i < size and not text[i].isspace() and text[i] != ">":
            i += 1
        if i >= size:
            raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
        name = text[name_begin:i].lower()
        if name not in _ALLOWED_TAGS:
            raise EntityParseError(
                f'Unsupported start tag "{name}" at byte offset {byte_offset(begin)}'
            )
        argument = ""
        while True:
            while i < size and text[i].isspace():
                i += 1
            if i >= size:
                raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
            if text[i] == ">":
                i += 1
                break
            attribute_begin = i
            while i < size and not text[i].isspace() and text[i] not in "=>":
                i += 1
            attribute = text[attribute_begin:i].lower()
            if not attribute:
                raise EntityParseError(
                    f'Empty attribute name in the tag "{name}" at byte offset {byte_offset(begin)}'
                )
            while i < size and text[i].isspace():
                i += 1
            if i >= size:
                raise EntityParseError(
                    f'Unclosed start tag "{name}" at byte offset {byte_offset(begin)}'
                )
            if text[i] != "=":
                if name == "blockquote" and attribute == "expandable":
                    argument = "expandable"
                    continue
                raise EntityParseError(
                    f'Expected equal sign in declaration of an attribute of the tag "{name}" '
                    f"at byte offset {byte_offset(begin)}"
                )
            i += 1
            while i < size and text[i].isspace():
                i += 1
            if i >= size:
                raise EntityParseError(
                    f'Unclosed start tag "{name}" at byte offset {byte_offset(begin)}'
                )
            if text[i] in "\"'":
                quote = text[i]
                i += 1
                value_chars: list[str] = []
                while i < size and text[i] != quote:
                    if text[i] == "&":
                        decoded = _decode_html_entity(text, i)
                        if decoded is not None:
                            value_chars.append(decoded[0])
                            i = decoded[1]
                            continue
                    value_chars.append(text[i])
                    i += 1
                if i < size:
                    i += 1  # the closing quote
                value = "".join(value_chars)
            else:
                token = _NAME_TOKEN.match(text, i)
                assert token is not None  # the pattern matches the empty string
                value = token.group().lower()
                i = token.end()
                if i < size and not text[i].isspace() and text[i] != ">":
                    raise EntityParseError(
                        f"Unexpected end of name token at byte offset {byte_offset(i)}"
                    )
            if i >= size:
                raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
            if name == "a" and attribute == "href":
                argument = value
            elif name == "code" and attribute == "class" and value.startswith("language-"):
                argument = value.removeprefix("language-")
            elif name == "span" and attribute == "class" and value.startswith("tg-"):
                argument = value.removeprefix("tg-")
            elif name == "tg-emoji" and attribute == "emoji-id":
                argument = value
        if name == "span" and argument != "spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset(begin)}'
            )
        opened.append(_OpenTag(name=name, argument=argument, offset=utf16, begin=begin))
    if opened:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{opened[-1].name}"'
        )
    entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
    return "".join(out), entities


def _close_entity(tag: _OpenTag, end: int, text: str, entities: list[dict[str, Any]]) -> None:
    length = end - tag.offset
    if tag.name == "tg-emoji" and not tag.argument.isdigit():
        raise EntityParseError("Invalid custom emoji identifier specified")
    if length <= 0:
        return
    entity: dict[str, Any] = {"offset": tag.offset, "length": length}
    if tag.name in _SIMPLE_ENTITY_TYPES:
        entity["type"] = _SIMPLE_ENTITY_TYPES[tag.name]
    elif tag.name == "a":
        entity["type"] = "text_link"
        entity["url"] = tag.argument or text[tag.begin + 3 :].split("<", 1)[0]
    elif tag.name == "tg-emoji":
        entity["type"] = "custom_emoji"
        entity["custom_emoji_id"] = tag.argument
    elif tag.name == "blockquote":
        entity["type"] = "expandable_blockquote" if tag.argument else "blockquote"
    elif tag.name in ("pre", "code"):
        # <pre><code class="language-x">...</code></pre> is one pre entity with a language.
        last = entities[-1] if entities else None
        inner = {"pre": "code", "code": "pre"}[tag.name]
        if (
            last is not None
            and last["type"] == inner
            and (last["offset"], last["length"]) == (tag.offset, length)
        ):
            last["type"] = "pre"
            if tag.name == "code" and tag.argument:
                last["language"] = tag.argument
            return
        entity["type"] = tag.name
        if tag.name == "code" and tag.argument:
            entity["language"] = tag.argument
    entities.append(entity)


def _trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Strip the text as Telegram does, moving and clipping the entities along."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    limit = utf16_len(stripped)
    kept: list[dict[str, Any]] = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, limit)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def format_text(
    text: str, parse_mode: Any, entities: Any = None
) -> tuple[str, list[dict[str, Any]]]:
    """The text Telegram would store for `text` in `parse_mode`, and its entities.

    Raises `Reject` with Telegram's 400 for markup it cannot parse.
    """
    mode = parse_mode.lower() if isinstance(parse_mode, str) else ""
    if mode == "html":
        try:
            plain, found = parse_html(text)
        except EntityParseError as error:
            raise Reject(400, f"Bad Request: can't parse entities: {error}") from None
    elif mode in ("", "markdown", "markdownv2"):
        plain = text
        found = (
            [dict(e) for e in entities if isinstance(e, dict)] if isinstance(entities, list) else []
        )
    else:
        raise Reject(400, "Bad Request: unsupported parse_mode")
    return _trim(plain, found)

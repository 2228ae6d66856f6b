"""Cutting Telegram messages to size without breaking their HTML.

Telegram refuses a message whose text, once tags are stripped and entities decoded, is longer
than 4096 characters (1024 for a media caption), and refuses HTML whose tags do not balance.
`split_html` packs paragraphs into messages and, when one paragraph alone is too long, cuts it
at a line break, a sentence end or a space (in that order of preference), closing the formatting
tags open at the cut and reopening them in the next message. A cut never falls inside a tag, an
entity or a link; a link too long for any message loses its `<a>` and is cut as plain text.

Lengths are counted in UTF-16 code units, as Telegram counts entity offsets. The rules shared
with Discord (lengths, break ranks, paragraph packing) are in `cutting.py`; the HTML atoms are
here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from aiprogress.bot.render.cutting import (
    break_rank,
    joins_previous,
    pack_paragraphs,
    preferred_cut,
    utf16_length,
)

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024

# Every tag Telegram's HTML parse mode accepts; nothing else may reach it.
TELEGRAM_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
# Tags whose content is one unit: a cut never falls inside them.
_ATOMIC_TAGS = frozenset({"a", "tg-emoji"})

_ENTITY_PATTERN = r"&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{0,31});"
_ENTITY = re.compile(_ENTITY_PATTERN)
_ANY_TAG = re.compile(r"<[^<>]*>")
_TOKEN = re.compile(rf"<[^<>]*>|{_ENTITY_PATTERN}|.", re.DOTALL)
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)[^>]*?(/?)\s*>")
_FORMATTING = "|".join(re.escape(tag) for tag in sorted(TELEGRAM_TAGS - _ATOMIC_TAGS))
_EMPTY_PAIR = re.compile(rf"<({_FORMATTING})(?:\s[^>]*)?></\1>")

_TEXT, _OPEN, _CLOSE, _VOID = 0, 1, 2, 3


def visible_length(fragment: str) -> int:
    """Length of an HTML fragment as Telegram counts it: tags stripped, entities decoded."""
    text = _ANY_TAG.sub(lambda match: "" if _TAG.fullmatch(match[0]) else match[0], fragment)
    return utf16_length(_ENTITY.sub(lambda match: html.unescape(match[0]), text))


@dataclass(frozen=True, slots=True)
class _Atom:
    """A tag or one visible unit of text (a character or a whole entity)."""

    raw: str
    kind: int
    text: str = ""  # the decoded text, for text atoms
    name: str = ""  # the tag name, for tags
    units: int = 0  # the visible length
    space: bool = False  # whitespace text


def _text_atom(raw: str, text: str) -> _Atom:
    return _Atom(raw, _TEXT, text, "", utf16_length(text), text.isspace())


def _tokenize_html(fragment: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    for token in _TOKEN.findall(fragment):
        if token.startswith("<"):
            tag = _TAG.fullmatch(token)
            if tag is None:  # not a tag Telegram would read as one; we never produce these
                atoms.extend(_text_atom(char, char) for char in token)
            elif tag.group(3):  # self-closing: opens nothing
                atoms.append(_Atom(token, _VOID, "", tag.group(2).lower()))
            else:
                kind = _CLOSE if tag.group(1) else _OPEN
                atoms.append(_Atom(token, kind, "", tag.group(2).lower()))
        else:
            atoms.append(_text_atom(token, html.unescape(token) if token[0] == "&" else token))
    return atoms


def _unwrap_long_links(atoms: list[_Atom], limit: int) -> list[_Atom]:
    """Drop the tags of any link (or custom emoji) whose text alone exceeds the limit."""
    drop: set[int] = set()
    opened: list[tuple[int, int]] = []  # (index of the open tag, visible units so far)
    seen = 0
    for index, atom in enumerate(atoms):
        if atom.kind == _TEXT:
            seen += atom.units
        elif atom.name in _ATOMIC_TAGS:
            if atom.kind == _OPEN:
                opened.append((index, seen))
            elif opened:
                start, before = opened.pop()
                if seen - before > limit:
                    drop.update((start, index))
    return [atom for index, atom in enumerate(atoms) if index not in drop]


def _stacks(atoms: list[_Atom]) -> list[tuple[_Atom, ...]]:
    """The open tags before each position (len(atoms) + 1 entries)."""
    stack: list[_Atom] = []
    result: list[tuple[_Atom, ...]] = [()]
    for atom in atoms:
        if atom.kind == _OPEN:
            stack.append(atom)
        elif atom.kind == _CLOSE:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth].name == atom.name:
                    del stack[depth:]
                    break
        result.append(tuple(stack))
    return result


def _break_rank(atoms: list[_Atom], position: int) -> int:
    """How good a cut before `atoms[position]` is (`cutting.break_rank`): a whitespace atom is
    at most one line break, so 3 at best."""
    atom = atoms[position]
    before = (
        atoms[index].text for index in range(position - 1, -1, -1) if atoms[index].kind == _TEXT
    )
    return break_rank(atom.text if atom.space else "", before)


def _part(
    atoms: list[_Atom], stacks: list[tuple[_Atom, ...]], start: int, end: int
) -> tuple[str, int]:
    """atoms[start:end] as a balanced fragment, leading and trailing whitespace dropped, and
    its visible length."""
    texts = [index for index in range(start, end) if atoms[index].kind == _TEXT]
    keep_from, keep_to = start, start
    solid = [index for index in texts if not atoms[index].space]
    if solid:
        keep_from, keep_to = solid[0], solid[-1] + 1
    pieces = [atom.raw for atom in stacks[start]]
    size, markup = 0, bool(stacks[start])
    for index in range(start, end):
        atom = atoms[index]
        if atom.kind != _TEXT:
            pieces.append(atom.raw)
            markup = True
        elif keep_from <= index < keep_to:
            pieces.append(atom.raw)
            size += atom.units
    pieces += [f"</{atom.name}>" for atom in reversed(stacks[end])]
    fragment = "".join(pieces)
    while markup:  # a tag reopened or closed around nothing: drop the empty pair
        cleaned = _EMPTY_PAIR.sub("", fragment)
        markup = cleaned != fragment
        fragment = cleaned
    return fragment, size


def _split_atoms(atoms: list[_Atom], limit: int) -> list[str]:
    """Cut one over-long paragraph into balanced parts of at most `limit` visible units."""
    atoms = _unwrap_long_links(atoms, limit)
    stacks = _stacks(atoms)
    parts: list[str] = []
    start = 0
    while start < len(atoms):
        # Find how far this part may run; measure the visible length at each possible cut.
        lengths: dict[int, int] = {}
        seen, leading, end = 0, True, len(atoms)
        for index in range(start, len(atoms)):
            lengths[index] = seen
            atom = atoms[index]
            if atom.kind != _TEXT or (leading and atom.space):
                continue
            leading = False
            seen += atom.units
            if seen > limit:
                end = index
                break
        else:
            end = len(atoms)
        cut = end if end == len(atoms) else _choose_cut(atoms, stacks, lengths, start, end, limit)
        fragment, size = _part(atoms, stacks, start, cut)
        if size:
            parts.append(fragment)
        start = cut
    return parts


def _choose_cut(
    atoms: list[_Atom],
    stacks: list[tuple[_Atom, ...]],
    lengths: dict[int, int],
    start: int,
    end: int,
    limit: int,
) -> int:
    best: dict[int, int] = {}  # rank -> the latest position of that rank
    for position in range(start + 1, end + 1):
        if lengths[position] == 0 or any(tag.name in _ATOMIC_TAGS for tag in stacks[position]):
            continue
        atom = atoms[position]
        if atom.kind == _TEXT and joins_previous(atom.text):
            continue
        best[_break_rank(atoms, position)] = position
    cut = preferred_cut(best, lengths, limit)
    # None is unreachable for well-formed input: links too long for a part were unwrapped.
    return max(end, start + 1) if cut is None else cut


def split_html(blocks: Sequence[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Join balanced HTML paragraphs with blank lines into messages of at most `limit` visible
    characters; a paragraph that fits in a message is never cut."""
    return pack_paragraphs(
        blocks,
        limit,
        visible_length,
        lambda block: _split_atoms(_tokenize_html(block), limit),
    )

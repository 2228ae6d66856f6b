"""What cutting a chat message to size means on every platform.

Telegram (HTML, `split.py`) and Discord (markdown, `discord.py`) read their text into atoms of
their own (a tag, an entity, an escape, a link: a cut never falls inside one); what is decided
here is the same for both: how long a text is, where a cut reads best and how paragraphs are
packed into messages.

Lengths are counted in UTF-16 code units, as Telegram counts entity offsets: never less than the
number of characters, so a text within a limit by this count is within it however the platform
counts.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence

__all__ = [
    "CLOSERS",
    "SENTENCE_END",
    "break_rank",
    "joins_previous",
    "pack_paragraphs",
    "preferred_cut",
    "utf16_length",
]

# A sentence ends at one of these, perhaps followed by closers (a quote, a bracket).
SENTENCE_END = frozenset(".!?…;")
CLOSERS = frozenset("\"'»”’)]")


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units (an upper bound of the number of characters)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def joins_previous(text: str) -> bool:
    """A combining mark, a variation selector, a joiner or a skin tone: never start a part with
    one."""
    return bool(text) and (
        unicodedata.combining(text[0]) > 0
        or text[0] in "\u200c\u200d"
        or "\ufe00" <= text[0] <= "\ufe0f"
        or "\U000e0100" <= text[0] <= "\U000e01ef"
        or "\U0001f3fb" <= text[0] <= "\U0001f3ff"  # skin tones
    )


def break_rank(space: str, before: Iterable[str]) -> int:
    """How good a cut at the whitespace `space` is: 4 a blank line, 3 a line break, 2 a sentence
    end, 1 a space, 0 no whitespace (inside a word). `before` is the visible text before the cut,
    nearest first, without markup; closers are looked past to find the sentence end (it is read
    only as far as that)."""
    if not space:
        return 0
    breaks = space.count("\n")
    if breaks:
        return 4 if breaks > 1 else 3
    for text in before:
        if text not in CLOSERS:
            return 2 if text[-1:] in SENTENCE_END else 1
    return 1


def preferred_cut(best: Mapping[int, int], length_at: Mapping[int, int], limit: int) -> int | None:
    """Where to cut, given the latest fitting cut of each rank (`best`, rank to position) and the
    length of the part each position would end: the best-ranked break that keeps the part at
    least half full, else the latest break at whitespace of any rank, else the latest cut inside
    a word; None when there is no cut at all."""
    for rank in (4, 3, 2, 1):
        if rank in best and length_at[best[rank]] * 2 >= limit:
            return best[rank]
    spaced = [position for rank, position in best.items() if rank]
    if spaced:
        return max(spaced)
    return best.get(0)


def pack_paragraphs(
    paragraphs: Iterable[str],
    limit: int,
    measure: Callable[[str], int],
    split: Callable[[str], Sequence[str]],
) -> list[str]:
    """Paragraphs joined with blank lines into messages of at most `limit` (by `measure`): a
    paragraph that fits in a message is never cut; one that does not is cut by `split` into
    parts that fit, and the last part may take the next paragraphs. Empty paragraphs are
    dropped."""
    if limit < 1:
        raise ValueError(f"limit must be positive, not {limit}")
    messages: list[str] = []
    current: list[str] = []
    size = 0
    for paragraph in paragraphs:
        length = measure(paragraph)
        if length == 0:
            continue
        if current and size + 2 + length <= limit:
            current.append(paragraph)
            size += 2 + length
            continue
        if current:
            messages.append("\n\n".join(current))
        if length <= limit:
            current, size = [paragraph], length
            continue
        pieces = split(paragraph)
        messages += pieces[:-1]
        current, size = list(pieces[-1:]), sum(measure(piece) for piece in pieces[-1:])
    if current:
        messages.append("\n\n".join(current))
    return messages

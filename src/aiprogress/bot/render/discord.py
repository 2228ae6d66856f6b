"""A digest document as Discord embeds, and a plain reply as Discord messages, within Discord's
limits.

The renderer is pure: it returns plain data (`DiscordMessage`, `EmbedData`) that
the bot's adapter turns into `discord.Embed` objects, so nothing here needs discord.py.

Layout. The digest reads as one post: the first embed's title is the digest's title, and the
descriptions carry, paragraph by paragraph, what `aiprogress.digest.render.render_text` lays out:
the thesis, the 🔘 stories each with its links (`[Outlet](url)`, the outlet named as in the
document's sources, else by host), the "Also" list, the ▪️ causes, the outlook, "What we see" ●
and the sources; the sign-off is the last embed's footer. Descriptions (4096 characters) are used
rather than fields (1024 per value) because a story cut between a bold field name and its value
reads badly, and descriptions carry the same markdown links.

Limits. A description holds at most 4096 characters and the title, descriptions, field names and
values and footers of all the embeds of one message at most 6000, in at most 10 embeds; message
content at most 2000. Paragraphs are packed whole where they fit; a paragraph too long for any
embed is cut at a line break, a sentence end or a space (in that order of preference), never
inside a markdown link, an escape or a web address, and bold open at a cut is closed and reopened.
Lengths are counted in UTF-16 code units. The rules shared with Telegram (lengths, break ranks,
paragraph packing) are in `cutting.py`; the markdown atoms are here.

Escaping. Story text comes from feeds and from the LLM, and either may hold markdown or mentions
meant to break ours. Everything taken from the document is escaped: `\\ * _ ~ ` | [ ]` always,
`( )` too inside link labels, `# > - +` and `1.` at the start of a line; `@everyone`, `@here` and
`<@…>`, `<#…>`, `<t:…>` and the like get a zero-width space that stops Discord reading them (the
adapter should still send with `AllowedMentions.none()`). Web addresses in running text are left
for Discord to link, as `<url>` (so that it knows where they end, and shows no preview), with the
characters that could close our markup percent-encoded. Only `http`/`https` URLs become links;
any other is shown as escaped text. The only markup produced is `**bold**`, `[label](url)` and
`<url>`. The footer is plain text (Discord renders no markdown there): it is not escaped, only its
mentions are neutralised.
"""

from __future__ import annotations

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
from aiprogress.bot.render.links import host, is_web_url, label
from aiprogress.core.factsheet import DigestDocument
from aiprogress.core.messages import message

__all__ = [
    "CONTENT_LIMIT",
    "DESCRIPTION_LIMIT",
    "DIGEST_COLOR",
    "EMBEDS_PER_MESSAGE",
    "EMBED_TOTAL_LIMIT",
    "FOOTER_LIMIT",
    "TITLE_LIMIT",
    "DiscordMessage",
    "EmbedData",
    "discord_blocks",
    "escape_markdown",
    "render_discord",
    "render_discord_text",
    "split_content",
]

CONTENT_LIMIT = 2000
EMBEDS_PER_MESSAGE = 10
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000  # title, description, fields, footer and author of all embeds together
DIGEST_COLOR = 0x4F7CAC

_ZWSP = "\u200b"
_ELLIPSIS = "…"
_SMALLEST_LIMIT = 16
# A URL longer than this is shown as text, not as a link: a link is never cut, so it must fit.
_LINK_URL_LIMIT = 1000
_LABEL_LIMIT = 200


@dataclass(frozen=True, slots=True)
class EmbedData:
    """What the adapter turns into a `discord.Embed`; `footer` is the footer's text."""

    title: str = ""
    description: str = ""
    url: str = ""
    footer: str = ""
    color: int | None = None

    @property
    def size(self) -> int:
        """The characters Discord counts against the 6000 of a message: title, description and
        footer (this data has no fields and no author)."""
        return utf16_length(self.title) + utf16_length(self.description) + utf16_length(self.footer)


@dataclass(frozen=True, slots=True)
class DiscordMessage:
    content: str = ""
    embeds: tuple[EmbedData, ...] = ()

    @property
    def size(self) -> int:
        """The characters its embeds count together (at most 6000)."""
        return sum(embed.size for embed in self.embeds)


# --- Escaping -------------------------------------------------------------------------------
#
# Why not discord.utils' escape_markdown and escape_mentions (discord.py 2.7): they do less than
# this text needs, and what they do differently would let feed or LLM text break our markup.
# escape_markdown escapes the six inline characters `\ * _ ~ ` |` as we do, but not a lone `[`
# or `]` (one would close our link label), nor `( )` in a label, `+` lists or `1.` at a line's
# start; it escapes a link-shaped span `[…](…)` by one backslash in front and leaves what the
# span covers unescaped (`[a](b) **bold** (c)` keeps its bold); and it leaves web addresses bare,
# where we write `<url>` so that a `**` after one does not become part of it. escape_mentions
# neutralises @everyone, @here and `@id` (case-sensitively), not `<#channel>`, `<t:stamp>`,
# `</command:id>` or emoji, which `_neutralise` stops by one zero-width space after any `<`.
# tests/bot/test_render_discord.py checks these differences still hold. (Keeping them by hand
# also keeps this renderer free of discord.py, as its own test requires.)

# Discord's own pattern for a web address in running text (it links these itself).
_TEXT_URL = r"https?://[^\s<]+[^<.,:;\"')\]\s]"
_TEXT_URL_RE = re.compile(_TEXT_URL, re.IGNORECASE)
_INLINE = re.compile(r"[\\*_~`|\[\]]")
_LABEL = re.compile(r"[\\*_~`|\[\]()]")
_MASS_MENTION = re.compile(r"@(?=everyone|here)", re.IGNORECASE)
_ANGLE = re.compile(r"<(?=\S)")  # <@id>, <@&id>, <#id>, <:emoji:id>, <t:stamp>, </command:id>
_LINE_START = re.compile(r"^([ \t]*)([#>+-])")
_ORDERED = re.compile(r"^([ \t]*\d+)([.)])(?=\s|$)")
# In a web address left in the text: what could end it or close or open our markup.
_URL_UNSAFE = {
    "*": "%2A",
    "[": "%5B",
    "]": "%5D",
    "\\": "%5C",
    "`": "%60",
    "|": "%7C",
    ">": "%3E",
}
# In a link target: what would end the target or make Discord read it differently.
_TARGET_UNSAFE = {"(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "\\": "%5C", '"': "%22"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _clean(text: str) -> str:
    """Line breaks as `\\n`, tabs kept, other control characters as spaces."""
    return _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))


def _neutralise(text: str) -> str:
    return _ANGLE.sub("<" + _ZWSP, _MASS_MENTION.sub("@" + _ZWSP, text))


def _escape_url_text(url: str) -> str:
    """A web address in running text as `<url>`: Discord links it all and no further (a bare
    address would run on into a `**` written after it), without a preview."""
    url = "".join(_URL_UNSAFE.get(char, char) for char in url)
    return f"<{_MASS_MENTION.sub('%40', url)}>"


def _escape_line(line: str, label: bool) -> str:
    pattern = _LABEL if label else _INLINE
    pieces: list[str] = []
    position = 0
    urls = () if label else tuple(_TEXT_URL_RE.finditer(line))
    for url in urls:
        pieces.append(_neutralise(pattern.sub(r"\\\g<0>", line[position : url.start()])))
        pieces.append(_escape_url_text(url[0]))
        position = url.end()
    pieces.append(_neutralise(pattern.sub(r"\\\g<0>", line[position:])))
    escaped = "".join(pieces)
    escaped = _LINE_START.sub(r"\1\\\2", escaped)
    return _ORDERED.sub(r"\1\\\2", escaped)


def escape_markdown(text: str, *, label: bool = False) -> str:
    """Text shown as itself in Discord markdown: formatting characters escaped, line-start
    constructs (quotes, headings, lists) escaped, mentions neutralised. `label=True` for a link
    label: one line, parentheses escaped too, web addresses not left to Discord."""
    text = _clean(text)
    if label:
        text = " ".join(text.split())
    return "\n".join(_escape_line(line, label) for line in text.split("\n"))


def _is_web_url(url: str) -> bool:
    # Discord refuses very long link targets in embeds; such a URL is shown as text.
    return is_web_url(url) and len(url) <= _LINK_URL_LIMIT


def _link(url: str, label: str) -> str:
    """`[label](url)` for a web URL; anything else as escaped text (the label and the URL)."""
    if _is_web_url(url):
        text = _truncate(escape_markdown(label, label=True), _LABEL_LIMIT) or escape_markdown(
            host(url), label=True
        )
        target = "".join(_TARGET_UNSAFE.get(char, char) for char in url)
        return f"[{text}]({target})"
    return escape_markdown(f"{label}: {url}" if label and label != url else url)


def _point(marker: str, lead: str, text: str) -> str:
    lead = " ".join(_clean(lead).split())
    if lead:
        return f"{marker} **{escape_markdown(lead)}.** {escape_markdown(text)}".rstrip()
    return f"{marker} {escape_markdown(text)}"


def _heading(key: str, document: DigestDocument) -> str:
    return f"**{escape_markdown(message(key, document.language))}**"


def discord_blocks(document: DigestDocument) -> list[str]:
    """The document's body as markdown paragraphs, before they are packed into embeds (the
    title and the sign-off go to the embeds' title and footer)."""
    sources = document.sources
    blocks = [escape_markdown(document.thesis)]
    for story in document.stories:
        links = " · ".join(_link(url, label(url, sources)) for url in story.links)
        told = (f"🔘 {escape_markdown(story.text)}", links)
        blocks.append("\n".join(line for line in told if line))
    if document.more:
        lines = [_heading("digest.more", document)]
        for story in document.more:
            links = " · ".join(_link(url, label(url, sources)) for url in story.links)
            lines.append(f"• {escape_markdown(story.text)} {links}".rstrip())
        blocks.append("\n".join(lines))
    blocks += [_point("▪️", cause.lead, cause.text) for cause in document.causes]
    blocks.append(escape_markdown(document.outlook))
    if document.takeaways:
        lines = [_heading("digest.what_we_see", document)]
        lines += [_point("●", point.lead, point.text) for point in document.takeaways]
        blocks.append("\n".join(lines))
    if document.sources:
        lines = [_heading("digest.sources", document)]
        lines += [f"● {_link(source.url, source.name)}" for source in sources]
        blocks.append("\n".join(lines))
    return [stripped for block in blocks if (stripped := block.strip(_SPACES))]


# --- Cutting ----------------------------------------------------------------------------------

_SPACES = " \t\n"
_ATOM = re.compile(
    r"\[(?:\\.|[^\[\]\\\n])*\]\([^()\s]*\)"  # a markdown link: never cut
    r"|<https?://[^\s<>]+>"  # a web address in running text: never cut
    rf"|{_TEXT_URL}"  # a bare one, in markdown not escaped here
    r"|\\."  # an escaped character
    r"|[@<]\u200b"  # a neutralised mention
    r"|\*\*"  # bold, on or off
    r"|.",
    re.DOTALL | re.IGNORECASE,
)
_LINK_ATOM = re.compile(r"\[((?:\\.|[^\[\]\\\n])*)\]\(([^()\s]*)\)")
_UNLINKED = re.compile(r"[\\*_~`|\[\]:]")
_PART_OVERHEAD = 8  # bold closed and reopened, a guard: what a part may gain around its text
_SMALL_ATOM = re.compile(r"\\.|[@<]\u200b|\*\*|.", re.DOTALL)
# What Discord reads as a quote, a heading or a list at the start of a line.
_LINE_TRIGGER = re.compile(r"[#>+-]|\* |\d+[.)](?:\s|$)")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")


def _leading_atoms(text: str, limit: int) -> tuple[list[str], str]:
    """The start of `text` as units a cut never falls inside, up to a little past `limit`, and
    what is left unread. A unit too long for a part (beside the bold and the guard a part may
    gain) is taken apart, as text that stays safe in pieces: a link as its label and its
    address, an address with its markup characters escaped."""
    atoms: list[str] = []
    size = end = 0
    for match in _ATOM.finditer(text):
        atom = match[0]
        if size > limit and atom not in _SPACES:
            break
        if len(atom) <= 2 or utf16_length(atom) <= limit - _PART_OVERHEAD:
            atoms.append(atom)
        elif link := _LINK_ATOM.fullmatch(atom):
            atoms += _SMALL_ATOM.findall(f"{link[1]} {_unlinked(link[2])}")
        else:
            atoms += _SMALL_ATOM.findall(_unlinked(atom.strip("<>")))
        size += utf16_length(atom)
        end = match.end()
    return atoms, text[end:]


def _unlinked(url: str) -> str:
    """An address as escaped text that Discord does not link (its `:` escaped)."""
    return _UNLINKED.sub(r"\\\g<0>", url)


def _rank(atoms: list[str], position: int) -> int:
    """How good a cut before `atoms[position]` is (`cutting.break_rank`), the whole run of
    whitespace there counted: 4 a blank line, 3 a line break, 2 a sentence end, 1 a space, 0
    inside a word."""
    end = position
    while end < len(atoms) and atoms[end] in _SPACES:
        end += 1
    before = (atoms[index] for index in range(position - 1, -1, -1) if atoms[index] != "**")
    return break_rank("".join(atoms[position:end]), before)


def _head(text: str, limit: int) -> tuple[str, str]:
    """The first part of `text` (no more than `limit` long) and the rest, itself valid markdown:
    bold open at the cut is closed there and reopened in the rest, and a rest that now starts a
    line with what Discord would read as a quote, heading or list gets a zero-width space."""
    atoms, tail = _leading_atoms(text.strip(_SPACES), limit)
    best: dict[int, int] = {}  # rank -> the latest cut of that rank that fits
    forced = 0  # the latest cut that fits at all
    sizes: dict[int, int] = {}
    bold_at: dict[int, bool] = {}
    size, bold = 0, False
    for position, atom in enumerate(atoms):
        if position and size + (2 if bold else 0) <= limit:
            previous = atoms[position - 1]
            sizes[position], bold_at[position] = size, bold
            empty_bold = bold and (atom == "**" or previous == "**")
            if not empty_bold:
                forced = position
                if previous not in _SPACES and not (
                    joins_previous(atom) or previous.endswith("\u200d")
                ):
                    best[_rank(atoms, position)] = position
        size += utf16_length(atom)
        if atom == "**":
            bold = not bold
        if size > limit:
            break
    else:
        if not tail and size + (2 if bold else 0) <= limit:
            return "".join(atoms) + ("**" if bold else ""), ""
    cut = preferred_cut(best, sizes, limit)
    if cut is None:
        cut = forced
    if not cut:  # nothing fits: only for a limit smaller than one escape with its bold
        raise ValueError(f"limit {limit} is too small to cut {text[:40]!r}")
    head = "".join(atoms[:cut]).rstrip(_SPACES) + ("**" if bold_at[cut] else "")
    after = "".join(atoms[cut:]) + tail
    rest = after.lstrip(_SPACES)
    if not rest:
        return head, ""
    if bold_at[cut]:
        rest = "**" + rest
    elif "\n" not in after[: len(after) - len(rest)] and _LINE_TRIGGER.match(rest):
        rest = _ZWSP + rest
    return head, rest


def _split_block(text: str, limit: int) -> list[str]:
    parts: list[str] = []
    while text:
        head, text = _head(text, limit)
        parts.append(head)
    return parts


def split_content(text: str, limit: int = CONTENT_LIMIT) -> list[str]:
    """Discord markdown (already escaped) as messages of at most `limit` characters: whole
    paragraphs where they fit, otherwise cut at line breaks, then sentence ends and spaces,
    never inside a link, an escape or a web address."""
    if limit < _SMALLEST_LIMIT:
        raise ValueError(f"limit must be at least {_SMALLEST_LIMIT}, not {limit}")
    paragraphs = (paragraph.strip(_SPACES) for paragraph in _PARAGRAPH.split(_clean(text)))
    return pack_paragraphs(
        paragraphs, limit, utf16_length, lambda paragraph: _split_block(paragraph, limit)
    )


def render_discord_text(text: str, *, limit: int = CONTENT_LIMIT) -> list[str]:
    """Plain text (a comparison, a reply) as escaped message contents of at most `limit`
    characters, cut between paragraphs, then lines, then words."""
    return split_content(escape_markdown(text), limit)


# --- Packing ----------------------------------------------------------------------------------


def _truncate(text: str, limit: int) -> str:
    """`text` cut to `limit` with "…", never inside an escape or a mention."""
    if utf16_length(text) <= limit:
        return text
    kept: list[str] = []
    size = utf16_length(_ELLIPSIS)
    for atom in _SMALL_ATOM.findall(text):
        size += utf16_length(atom)
        if size > limit:
            break
        kept.append(atom)
    return "".join(kept).rstrip() + _ELLIPSIS


@dataclass(slots=True)
class _Embed:
    title: str = ""
    description: str = ""

    @property
    def size(self) -> int:
        return utf16_length(self.title) + utf16_length(self.description)


def _message_size(embeds: list[_Embed]) -> int:
    return sum(embed.size for embed in embeds)


def _pack(blocks: Sequence[str], title: str, footer: str) -> list[list[_Embed]]:
    """Paragraphs into embed descriptions, embeds into messages. Room for the footer is kept in
    every message, so that the last embed can always take it."""
    budget = EMBED_TOTAL_LIMIT - utf16_length(footer)
    fresh = min(DESCRIPTION_LIMIT, budget)  # a new message's first embed (no title)
    messages: list[list[_Embed]] = [[_Embed(title=title)]]

    def new_embed_room(embeds: list[_Embed]) -> int:
        if len(embeds) >= EMBEDS_PER_MESSAGE:
            return 0
        return min(DESCRIPTION_LIMIT, budget - _message_size(embeds))

    for block in blocks:
        while block:
            embeds = messages[-1]
            embed = embeds[-1]
            separator = 2 if embed.description else 0
            room = (
                min(
                    DESCRIPTION_LIMIT - utf16_length(embed.description),
                    budget - _message_size(embeds),
                )
                - separator
            )
            length = utf16_length(block)
            if length <= room:
                embed.description += ("\n\n" if separator else "") + block
                break
            here = new_embed_room(embeds)
            if length <= fresh:  # it fits in an embed of its own: never cut it
                if length <= here:
                    embeds.append(_Embed())
                else:
                    messages.append([_Embed()])
                continue
            # Too long for any embed: start it where there is most room, and cut it there.
            if room * 2 < fresh:
                if here * 2 >= fresh:
                    embeds.append(_Embed())
                else:
                    messages.append([_Embed()])
                continue
            head, block = _head(block, room)
            embed.description += ("\n\n" if separator else "") + head
    return messages


def render_discord(document: DigestDocument) -> list[DiscordMessage]:
    """The digest as Discord messages of embeds, each message within every Discord limit:
    at most 10 embeds, descriptions of at most 4096 and 6000 characters over all its embeds."""
    title = _truncate(" ".join(escape_markdown(document.title).split()), TITLE_LIMIT)
    footer = _truncate(" ".join(_neutralise(_clean(document.signoff)).split()), FOOTER_LIMIT)
    packed = _pack(discord_blocks(document), title, footer)
    messages: list[DiscordMessage] = []
    for number, embeds in enumerate(packed):
        last = number == len(packed) - 1
        data = [
            EmbedData(
                title=embed.title,
                description=embed.description,
                footer=footer if last and index == len(embeds) - 1 else "",
                color=DIGEST_COLOR,
            )
            for index, embed in enumerate(embeds)
        ]
        kept = tuple(embed for embed in data if embed.size)
        if kept:
            messages.append(DiscordMessage(embeds=kept))
    return messages

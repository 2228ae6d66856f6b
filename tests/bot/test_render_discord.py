"""Discord rendering of a digest (embeds) and of plain replies, within Discord's limits."""

from __future__ import annotations

import ast
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import discord.utils
import pytest

import aiprogress.bot.render.discord as discord_render
from aiprogress.bot.render.discord import (
    DiscordMessage,
    EmbedData,
    escape_markdown,
    render_discord,
    render_discord_text,
    split_content,
)
from aiprogress.core.factsheet import DigestDocument, DocumentSource, DocumentStory, Point
from aiprogress.core.types import Language
from tests.bot.documents import document, squeeze

# --- A checker that counts as Discord does ----------------------------------------------------


def count(text: str) -> int:
    """Discord's count, taken as the larger of characters and UTF-16 units."""
    return max(len(text), len(text.encode("utf-16-le")) // 2)


def check_limits(messages: list[DiscordMessage]) -> None:
    assert messages
    for sent in messages:
        assert sent.content or sent.embeds
        assert count(sent.content) <= 2000
        assert len(sent.embeds) <= 10
        total = 0
        for embed in sent.embeds:
            assert embed.title or embed.description or embed.footer
            assert count(embed.title) <= 256
            assert count(embed.description) <= 4096
            assert count(embed.footer) <= 2048
            size = count(embed.title) + count(embed.description) + count(embed.footer)
            assert embed.size == size
            total += size
        assert total <= 6000
        assert sent.size == total


# --- A reader of Discord markdown that fails on anything we must never produce ---------------

_BARE_URL = re.compile(r"https?://[^\s<]+[^<.,:;\"')\]\s]", re.IGNORECASE)
_ANGLED_URL = re.compile(r"<(https?://[^\s<>]+)>")
_LINK = re.compile(r"\[((?:\\.|[^\[\]\\])*)\]\(([^()\s]*)\)")
_LINE_MARKUP = re.compile(r"[ \t]*(?:[#>]|[-*+] |-#|\d+[.)](?:\s|$))")
_MENTION = re.compile(r"@(everyone|here)|<[@#:/]|<a:|<t:", re.IGNORECASE)


@dataclass
class Read:
    text: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (url, label)
    problems: list[str] = field(default_factory=list)


def read(markdown: str) -> Read:
    """What a reader sees in `markdown`: escapes applied, `**` removed, links and their labels.
    Any formatting character left unescaped (but ours), any non-web link, any line-start
    markup, any live mention is a problem."""
    result = Read()
    out: list[str] = []
    if _MENTION.search(markdown):
        result.problems.append(f"mention in {markdown!r}")
    bold = False
    index = 0
    while index < len(markdown):
        char = markdown[index]
        # A zero-width space at the start of a line guards what follows it.
        if (index == 0 or markdown[index - 1] == "\n") and _LINE_MARKUP.match(markdown, index):
            result.problems.append(f"line markup at {markdown[index : index + 20]!r}")
        if char == "\\" and index + 1 < len(markdown) and not markdown[index + 1].isalnum():
            out.append(markdown[index + 1])
            index += 2
        elif markdown.startswith("**", index):
            bold = not bold
            index += 2
        elif angled := _ANGLED_URL.match(markdown, index):
            if re.search(r"[*\[\]`|\\]", angled[1]):
                result.problems.append(f"markup in a URL {angled[0]!r}")
            out.append(angled[1])
            index = angled.end()
        elif bare := _BARE_URL.match(markdown, index):
            if re.search(r"[*\[\]`|\\]", bare[0]):
                result.problems.append(f"markup in a bare URL {bare[0]!r}")
            out.append(bare[0])
            index = bare.end()
        elif char == "[":
            link = _LINK.match(markdown, index)
            if link is None:
                result.problems.append(f"unescaped [ at {markdown[index : index + 30]!r}")
                index += 1
                continue
            label = read(link[1])
            result.problems += label.problems
            if not re.match(r"https?://", link[2]):
                result.problems.append(f"link to {link[2]!r}")
            result.links.append((link[2], label.text))
            out.append(label.text)
            index = link.end()
        elif char in "*_~`|[]":
            result.problems.append(
                f"unescaped {char!r} at {markdown[max(0, index - 10) : index + 10]!r}"
            )
            out.append(char)
            index += 1
        else:
            if char != "\u200b":
                out.append(char)
            index += 1
    if bold:
        result.problems.append(f"bold left open in {markdown!r}")
    result.text = "".join(out)
    return result


def read_clean(markdown: str) -> Read:
    result = read(markdown)
    assert not result.problems, result.problems
    return result


def descriptions(messages: list[DiscordMessage]) -> list[str]:
    return [embed.description for sent in messages for embed in sent.embeds if embed.description]


def check_messages(messages: list[DiscordMessage]) -> list[Read]:
    check_limits(messages)
    embeds = [embed for sent in messages for embed in sent.embeds]
    assert all(embed.color == discord_render.DIGEST_COLOR for embed in embeds)
    assert not any(embed.title for embed in embeds[1:])
    assert not any(embed.footer for embed in embeds[:-1])
    for embed in embeds:
        read_clean(embed.title)
        assert not _MENTION.search(embed.footer)
    return [read_clean(description) for description in descriptions(messages)]


# --- Documents ------------------------------------------------------------------------------


HOSTILE_TEXT = (
    "@everyone @here <@123> <@&456> <#789> <t:1700000000:R> **bold** __under__ ~~gone~~ "
    "||spoiler|| `code` ```block``` [x](javascript:alert(1)) [y](https://ok.example) "
    "\\*already\\* a_b_c see https://x.example/a_b*c*[d](javascript:alert(2)) done"
)
HOSTILE = document(
    title="**Title** @everyone [t](javascript:alert(1)) `x`",
    thesis="> quoted\n# heading\n- item\n1. first\n" + HOSTILE_TEXT,
    stories=(
        DocumentStory(
            "s1",
            HOSTILE_TEXT,
            (
                "javascript:alert(1)",
                "https://evil.example/a)(b [c]",
                "https://evil.example/a)b",
                " https://spaced.example/",
                "data:text/html,<script>alert(1)</script>",
                "https://good.example/path?a=1&b=2",
            ),
        ),
    ),
    more=(DocumentStory("m", "**more** @here", ("https://more.example/x_y",)),),
    causes=(Point("**lead** @everyone", "`text` <@1>"),),
    outlook="||outlook|| ~~x~~",
    takeaways=(Point("[a](https://b.example)", "_it_"),),
    sources=(
        DocumentSource("Evil](javascript:alert(1)) [x", "https://good.example/path?a=1&b=2"),
        DocumentSource("Script", "javascript:alert(document.cookie)"),
        DocumentSource("@everyone", "https://ok.example/"),
    ),
    signoff="@everyone <@123> **bye**",
)


def test_the_module_does_not_import_discord() -> None:
    tree = ast.parse(Path(discord_render.__file__).read_text(encoding="utf-8"))
    imported = {
        name
        for node in ast.walk(tree)
        for name in (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
    }
    assert not {name for name in imported if name.split(".")[0] == "discord"}


def test_layout() -> None:
    [sent] = render_discord(document())
    assert sent.content == ""
    [embed] = sent.embeds
    assert embed.title == "Where is AI heading: the week to 14 August?"
    assert embed.description == (
        "Two labs shipped models; one paper questioned the benchmarks.\n\n"
        "🔘 Lab A released Model X with a 1M-token context.\n"
        "[Lab A blog](https://www.labA.example/news/x) · [press.example](https://press.example/x)\n\n"
        "🔘 A paper argues benchmarks leak.\n"
        "[arXiv](https://arxiv.org/abs/1)\n\n"
        "▪️ **Compute.** Cheaper chips.\n\n"
        "Expect more long-context models.\n\n"
        "**What we see**\n"
        "● **Official announcements.** 2 stories.\n\n"
        "**Sources:**\n"
        "● [Lab A blog](https://www.labA.example/news/x)\n"
        "● [arXiv](https://arxiv.org/abs/1)"
    )
    assert embed.footer == "Following the progress"
    check_messages([sent])


def test_more_is_listed_by_title_and_link() -> None:
    doc = document(
        more=(
            DocumentStory("m1", "Third story", ("https://www.labA.example/news/x/",)),
            DocumentStory("m2", "Fourth story", ("https://other.example/4",)),
        )
    )
    [sent] = render_discord(doc)
    description = sent.embeds[0].description
    assert (
        "**Also in this period:**\n"
        "• Third story [Lab A blog](https://www.labA.example/news/x/)\n"
        "• Fourth story [other.example](https://other.example/4)"
    ) in description
    assert description.index("Also in") < description.index("▪️")


def test_hyphens_are_only_escaped_at_a_line_start() -> None:
    assert escape_markdown("1M-token") == "1M-token"
    assert escape_markdown("- item\n  > quote\n# h\n2. two\n+ x") == (
        "\\- item\n  \\> quote\n\\# h\n2\\. two\n\\+ x"
    )


@pytest.mark.parametrize(
    "text",
    [
        "[a](https://x.example) **bold** (c)",  # a link-shaped span hides the bold after it
        "label ] closes",
        "+ item",
        "1. item",
        "see https://a.example/x_y**bold**",
        "<#123> <t:1700000000:R> </cmd:1> <@123>",
    ],
)
def test_discord_utils_escaping_would_not_do(text: str) -> None:
    """Why the renderer escapes by hand (see the comment in bot/render/discord.py): for each of
    these, discord.utils leaves markup or a mention that ours escapes. When this fails, discord.py
    has caught up and its helpers could replace ours."""
    unescaped = re.compile(r"(?<!\\)(\*\*|\]|^[+]|^1\.|<[#t/@])")
    assert unescaped.search(discord.utils.escape_mentions(discord.utils.escape_markdown(text)))
    assert not unescaped.search(escape_markdown(text))


def test_layout_escapes_nothing_that_is_not_markup() -> None:
    [sent] = render_discord(document())
    assert "1M-token context" in sent.embeds[0].description


def test_hostile_content_is_escaped_and_only_web_links_are_made() -> None:
    messages = render_discord(HOSTILE)
    reads = check_messages(messages)
    joined = "\n".join(descriptions(messages))
    text = "\n".join(seen.text for seen in reads)
    links = [link for seen in reads for link in seen.links]
    # Only web links, and the URLs that could break the markdown are encoded.
    assert {url for url, _ in links} == {
        "https://evil.example/a%29b",
        "https://good.example/path?a=1&b=2",
        "https://more.example/x_y",
        "https://ok.example/",
    }
    assert "javascript:alert(1)" in text  # shown as text, never linked
    assert "Script: javascript:alert(document.cookie)" in text
    assert "https://evil.example/a)(b [c]" in text  # a URL with spaces is not a link
    assert "[@\u200beveryone](https://ok.example/)" in joined  # the label is neutralised too
    # Everything reads as the text it was, with nothing live in it.
    for piece in ("**bold**", "__under__", "~~gone~~", "||spoiler||", "`code`", "```block```"):
        assert piece in text
    assert "[x](javascript:alert(1))" in text
    assert "\\*already\\*" in text
    assert "a_b_c" in text
    assert "@everyone" not in joined and "@here" not in joined and "<@123>" not in joined
    assert "@\u200beveryone" in joined and "<\u200b@123>" in joined
    assert "\\*\\*bold\\*\\*" in joined and "\\`code\\`" in joined
    # A web address in the text is left for Discord to link, its markup characters encoded.
    assert "<https://x.example/a_b%2Ac%2A%5Bd%5D(javascript:alert(2>))" in joined
    assert "Evil\\]\\(javascript:alert\\(1\\)\\) \\[x" in joined
    title = messages[0].embeds[0].title
    assert title == "\\*\\*Title\\*\\* @\u200beveryone \\[t\\](javascript:alert(1)) \\`x\\`"
    # The footer is plain text in Discord: not escaped, but its mentions are neutralised.
    assert messages[-1].embeds[-1].footer == "@\u200beveryone <\u200b@123> **bye**"
    # Line-start markup in the text is escaped.
    assert joined.startswith("\\> quoted\n\\# heading\n\\- item\n1\\. first\n")


def test_forty_long_stories_pack_into_several_messages_within_the_limits() -> None:
    sentence = "Lab A & co. shipped a model with *new* tricks, scoring 92% on a_benchmark."
    stories = tuple(
        DocumentStory(
            f"s{number}",
            f"Story {number}: " + " ".join([sentence] * 12),
            (f"https://news{number}.example/story_{number}", "https://arxiv.org/abs/2"),
        )
        for number in range(40)
    )
    more = tuple(
        DocumentStory(f"m{number}", f"Also story {number}", (f"https://also{number}.example/",))
        for number in range(40)
    )
    sources = tuple(
        DocumentSource(f"Outlet {number}", f"https://news{number}.example/story_{number}")
        for number in range(40)
    )
    doc = document(
        stories=stories,
        more=more,
        sources=sources,
        causes=tuple(Point(f"Cause {n}", sentence * 3) for n in range(10)),
        takeaways=tuple(Point(f"Takeaway {n}", sentence * 2) for n in range(10)),
    )
    messages = render_discord(doc)
    assert len(messages) >= 3
    reads = check_messages(messages)
    assert messages[0].embeds[0].title == doc.title
    assert messages[-1].embeds[-1].footer == "Following the progress"
    for number in range(40):  # every story in one embed, whole, with its labelled links
        told = f"🔘 Story {number}: " + " ".join([sentence] * 12)
        holding = [seen for seen in reads if told in seen.text]
        assert len(holding) == 1, number
        assert (f"https://news{number}.example/story_{number}", f"Outlet {number}") in holding[
            0
        ].links
        assert ("https://arxiv.org/abs/2", "arxiv.org") in holding[0].links
    # Every link arrives whole: as many links as the document holds.
    links = [link for seen in reads for link in seen.links]
    assert len(links) == 40 * 2 + 40 + 40
    text = squeeze("".join(seen.text for seen in reads))
    for number in range(10):
        assert squeeze(f"▪️ Cause {number}. {sentence * 3}") in text
        assert squeeze(f"● Takeaway {number}. {sentence * 2}") in text
    # Packing uses the room: no message but the last is less than half full.
    assert all(sent.size > 3000 for sent in messages[:-1])


def test_a_ten_thousand_character_story_is_cut_between_sentences() -> None:
    text = "The model scored well on three tests, and on one more. " * 190
    assert len(text) > 10_000
    story = DocumentStory("s", text, ("https://news.example/long",))
    messages = render_discord(document(stories=(story,)))
    reads = check_messages(messages)
    descriptions_text = [seen.text for seen in reads]
    assert squeeze(text) in squeeze("".join(descriptions_text))
    assert len([part for part in descriptions_text if "The model scored" in part]) >= 3
    for part in descriptions_text:
        if "The model scored" in part and "news.example" not in part:
            assert part.endswith("one more."), part[-40:]
    assert [link for seen in reads for link in seen.links].count(
        ("https://news.example/long", "news.example")
    ) == 1


def test_a_ten_thousand_character_story_without_spaces_still_fits() -> None:
    text = "ж" * 6000 + "*_`" * 1400
    messages = render_discord(document(stories=(DocumentStory("s", text, ()),)))
    reads = check_messages(messages)
    assert text in "".join(seen.text for seen in reads)


def test_a_story_with_a_hundred_links_never_cuts_one() -> None:
    urls = tuple(f"https://site{n}.example/{'path/' * 10}{n}" for n in range(100))
    story = DocumentStory("s", "Many outlets. " * 50, urls)
    reads = check_messages(render_discord(document(stories=(story,), sources=())))
    links = [link for seen in reads for link in seen.links]
    assert [url for url, _ in links[:100]] == list(urls)


def test_long_title_and_signoff_are_truncated() -> None:
    doc = document(title="Why " + "*" * 300, signoff="Bye. " * 1000)
    messages = render_discord(doc)
    check_messages(messages)
    title = messages[0].embeds[0].title
    assert title.endswith("…") and count(title) <= 256
    assert not title.endswith("\\…")  # never cut inside an escape
    footer = messages[-1].embeds[-1].footer
    assert footer.endswith("…") and count(footer) <= 2048


def test_a_long_signoff_still_fits_every_message() -> None:
    stories = tuple(DocumentStory(f"s{n}", "Word " * 700, ()) for n in range(20))
    check_messages(render_discord(document(stories=stories, signoff="Bye " * 600)))


def test_russian() -> None:
    doc = document(
        language=Language.RU,
        title="Куда движется ИИ: неделя по 14 августа?",
        thesis="Две лаборатории выпустили модели.",
        takeaways=(Point("Официальные анонсы", "Две истории."),),
        more=(DocumentStory("m", "Ещё одна история", ("https://ru.example/1",)),),
        signoff="Слежу за прогрессом",
    )
    [sent] = render_discord(doc)
    check_messages([sent])
    description = sent.embeds[0].description
    assert "**Что мы видим?**\n● **Официальные анонсы.** Две истории." in description
    assert "**Источники:**" in description
    assert "**Ещё за период:**" in description
    assert sent.embeds[0].title == "Куда движется ИИ: неделя по 14 августа?"
    long_story = DocumentStory("s", "Модель превзошла предшественницу. " * 400, ())
    messages = render_discord(document(language=Language.RU, stories=(long_story,)))
    reads = check_messages(messages)
    assert len(messages) >= 2
    assert squeeze(long_story.text) in squeeze("".join(seen.text for seen in reads))


def test_an_empty_document_renders_nothing_but_its_title() -> None:
    empty = DigestDocument(language=Language.EN, title="", thesis="", stories=())
    assert render_discord(empty) == []
    [sent] = render_discord(DigestDocument(language=Language.EN, title="T", thesis="", stories=()))
    assert sent.embeds == (EmbedData(title="T", color=discord_render.DIGEST_COLOR),)


def test_embed_size_counts_utf16() -> None:
    embed = EmbedData(title="🔘", description="ab", footer="f")
    assert embed.size == 2 + 2 + 1
    assert DiscordMessage(embeds=(embed, embed)).size == 10


COMPARISON = "\n\n".join(
    [
        "GPT-4.5 vs GPT-4o",
        "\n".join(
            f"{name}: {n}.5% / {n - 3}.1% (+3.4 pp) *starred* _under_ @everyone"
            for n, name in enumerate(["MMLU", "GPQA", "SWE-bench", "MATH", "HumanEval"] * 12, 10)
        ),
        "What we see\n" + "\n".join(f"● Takeaway {n}: the first model leads." for n in range(30)),
        "Sources:\n"
        + "\n".join(f"● Source {n} (2025-02-27): https://src{n}.example/a_b" for n in range(40)),
    ]
)


def _check_parts_on_boundaries(parts: list[str], escaped: str, limit: int = 2000) -> None:
    position = 0
    for part in parts:
        assert 0 < count(part) <= limit
        read_clean(part)
        while position < len(escaped) and escaped[position] in " \n":
            position += 1
        body = part.removeprefix("\u200b")
        assert escaped.startswith(body, position), (escaped[position : position + 40], part[:40])
        position += len(body)
        assert position == len(escaped) or escaped[position] in " \n"  # cut at a boundary
    assert position == len(escaped)


def test_render_discord_text_splits_a_comparison_on_boundaries() -> None:
    assert len(COMPARISON) > 5000
    parts = render_discord_text(COMPARISON)
    assert len(parts) >= 3
    escaped = escape_markdown(COMPARISON)
    _check_parts_on_boundaries(parts, escaped)
    # Paragraphs first, then lines: every part ends at the end of a line.
    for part in parts:
        end = escaped.index(part) + len(part)
        assert end == len(escaped) or escaped[end] == "\n"
    joined = "\n".join(parts)
    assert "@everyone" not in joined and "\\*starred\\*" in joined
    assert "https://src1.example/a_b" in joined  # links left for Discord, not escaped


def test_render_discord_text_cuts_a_single_paragraph_between_words() -> None:
    text = " ".join(f"word{n}" for n in range(1200))
    parts = render_discord_text(text)
    assert len(parts) >= 3
    _check_parts_on_boundaries(parts, text)
    assert render_discord_text("   ") == []
    assert render_discord_text("a\r\n\r\nb") == ["a\n\nb"]


def test_split_content_prefers_paragraphs_then_lines_then_spaces() -> None:
    assert split_content("one\n\ntwo\n\n\nthree", 16) == ["one\n\ntwo\n\nthree"]
    assert split_content("alpha beta gamma delta\n\nepsilon", 16) == [
        "alpha beta gamma",
        "delta\n\nepsilon",
    ]
    assert split_content("first line here\nsecond line here", 16) == [
        "first line here",
        "second line here",
    ]
    assert split_content("x" * 40, 16) == ["x" * 16, "x" * 16, "x" * 8]
    with pytest.raises(ValueError):
        split_content("text", 5)


def test_split_content_reopens_bold_and_guards_line_starts() -> None:
    parts = split_content("**" + "bold words " * 10 + "**", 30)
    assert all(part.startswith("**") and part.endswith("**") for part in parts)
    assert all(count(part) <= 30 for part in parts)
    parts = split_content("a" * 14 + " - b # c > d 1. e " + "f" * 10, 16)
    for part in parts:
        read_clean(part)
    assert squeeze("".join(parts).replace("\u200b", "")) == squeeze(
        "a" * 14 + " - b # c > d 1. e " + "f" * 10
    )


def test_split_content_never_cuts_a_link_or_an_escape() -> None:
    links = [f"[link \\[{n}\\]](https://site{n}.example/a_b)" for n in range(30)]
    parts = split_content(" and ".join(links), 60)
    found = [link for part in parts for link in read_clean(part).links]
    assert found == [(f"https://site{n}.example/a_b", f"link [{n}]") for n in range(30)]
    parts = split_content("\\*" * 50, 17)
    assert all(re.fullmatch(r"(\\\*)+", part) for part in parts)


_WORDS = [
    "model",
    "Модель",
    "превзошла",
    "🔘",
    "👍🏽",
    "e\u0301",
    "**",
    "_x_",
    "`",
    "||",
    "~~",
    "@everyone",
    "<@1>",
    "[a](javascript:x)",
    "https://u.example/a_b*c",
    "-",
    "#",
    ">",
    "1.",
    "\\",
    "x" * 30,
    "end.",
    "why?",
    "«цитата».",
]


def _random_text(rng: random.Random, words: int) -> str:
    return "".join(
        rng.choice(_WORDS) + rng.choice([" ", " ", " ", "\n", "  ", ""]) for _ in range(words)
    )


def _decode(text: str) -> str:
    """Undo the percent-encoding of markup characters in web addresses left in the text."""
    for char, code in (("*", "%2A"), ("[", "%5B"), ("]", "%5D"), ("\\", "%5C"), ("`", "%60")):
        text = text.replace(code, char)
    text = text.replace("%3E", ">")
    return text.replace("%7C", "|").replace("%40", "@")


@pytest.mark.parametrize("seed", range(40))
def test_random_documents_render_within_the_limits(seed: int) -> None:
    """A property test (hypothesis is not installed): seeded random hostile documents."""
    rng = random.Random(seed)

    def url(n: int) -> str:
        return rng.choice([f"https://s{n}.example/p_{n}", "javascript:x", f"http://h{n}.example"])

    stories = tuple(
        DocumentStory(
            f"s{n}",
            _random_text(rng, rng.choice([3, 30, 300, 1500])),
            tuple(url(n) for _ in range(rng.randint(0, 4))),
        )
        for n in range(rng.randint(0, 12))
    )
    doc = document(
        title=_random_text(rng, rng.randint(0, 80)),
        thesis=_random_text(rng, rng.randint(0, 50)),
        stories=stories,
        more=tuple(DocumentStory(f"m{n}", _random_text(rng, 5), (url(n),)) for n in range(20)),
        causes=tuple(Point(_random_text(rng, 3), _random_text(rng, 30)) for _ in range(3)),
        takeaways=tuple(Point(_random_text(rng, 3), _random_text(rng, 30)) for _ in range(3)),
        signoff=_random_text(rng, rng.choice([0, 5, 600])),
    )
    messages = render_discord(doc)
    reads = check_messages(messages)
    text = squeeze("".join(seen.text for seen in reads))
    for story in stories:
        assert squeeze(story.text) in _decode(text)
    for seen in reads:
        assert all(re.match(r"https?://", url) for url, _ in seen.links)
    content = _random_text(rng, rng.choice([10, 500, 2000]))
    limit = rng.choice([16, 50, 300, 2000])
    parts = render_discord_text(content, limit=limit)
    for part in parts:
        assert count(part) <= limit
        read_clean(part)
    assert squeeze("".join(read(part).text for part in parts)) == squeeze(
        read(escape_markdown(content)).text
    )

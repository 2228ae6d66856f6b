"""The cutting rules Telegram and Discord share (bot/render/cutting.py), stated directly: the
platform tests reach them only through their own atoms."""

from __future__ import annotations

import pytest

from aiprogress.bot.render.cutting import (
    break_rank,
    joins_previous,
    pack_paragraphs,
    preferred_cut,
    utf16_length,
)


def test_utf16_length_counts_astral_characters_twice() -> None:
    assert utf16_length("") == 0
    assert utf16_length("aé") == 2
    assert utf16_length("👍🏽") == 4


@pytest.mark.parametrize(
    ("space", "before", "rank"),
    [
        ("", ["end."], 0),
        ("\n \n", ["word"], 4),
        ("\n", ["word"], 3),
        (" ", ["end."], 2),
        (" ", ["»", ")", "end?"], 2),  # closers are looked past
        (" ", ["»", "word"], 1),
        (" ", [], 1),
    ],
)
def test_break_rank(space: str, before: list[str], rank: int) -> None:
    assert break_rank(space, before) == rank


def test_break_rank_reads_no_further_back_than_it_needs() -> None:
    before = iter(["word", "never read"])
    assert break_rank(" ", before) == 1
    assert next(before) == "never read"
    assert break_rank("\n", iter(())) == 3


def test_joins_previous() -> None:
    assert not joins_previous("")
    assert not joins_previous("a")
    for mark in ("\u0301", "\u200d", "\ufe0f", "\U0001f3fd", "\U000e0100"):
        assert joins_previous(mark + "x")


def test_preferred_cut_wants_a_good_break_that_keeps_the_part_half_full() -> None:
    length_at = {position: position for position in range(100)}
    assert preferred_cut({3: 60, 1: 90}, length_at, 100) == 60
    assert preferred_cut({3: 20, 2: 40, 1: 90}, length_at, 100) == 90  # the line break too early
    assert preferred_cut({3: 20, 2: 30}, length_at, 100) == 30  # no break half full: the latest
    assert preferred_cut({0: 95, 1: 10}, length_at, 100) == 10  # a space before a word's middle
    assert preferred_cut({0: 95}, length_at, 100) == 95
    assert preferred_cut({}, length_at, 100) is None


def test_pack_paragraphs() -> None:
    def halves(text: str) -> list[str]:
        return [text[: len(text) // 2], text[len(text) // 2 :]]

    assert pack_paragraphs(["ab", "", "cd", "efgh"], 6, len, halves) == ["ab\n\ncd", "efgh"]
    # an over-long paragraph is cut; its last part takes the next paragraph when it fits
    assert pack_paragraphs(["abcdefghij", "k"], 8, len, halves) == ["abcde", "fghij\n\nk"]
    assert pack_paragraphs([], 6, len, halves) == []
    with pytest.raises(ValueError, match="positive"):
        pack_paragraphs(["a"], 0, len, halves)

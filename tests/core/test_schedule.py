"""A channel's send time: read from text once, kept as hour and minute, written back as HH:MM."""

from __future__ import annotations

import pytest

from aiprogress.core.types import DailyAt


@pytest.mark.parametrize(
    ("text", "expected"),
    [("09:00", DailyAt(9, 0)), ("9:00", DailyAt(9, 0)), ("23:59", DailyAt(23, 59)),
     ("0:05", DailyAt(0, 5))],
)  # fmt: skip
def test_a_time_of_day_is_read_and_written_as_hh_mm(text: str, expected: DailyAt) -> None:
    assert DailyAt.parse(text) == expected
    assert str(DailyAt.parse(text)) == f"{expected.hour:02d}:{expected.minute:02d}"


@pytest.mark.parametrize("text", ["24:00", "09:60", "9", "9:5", "09:00:00", "nine", "", " 09:00"])
def test_anything_else_is_refused_with_the_text_in_the_message(text: str) -> None:
    with pytest.raises(ValueError, match="is not a time of day such as 09:00"):
        DailyAt.parse(text)


def test_a_time_out_of_range_cannot_be_built() -> None:
    with pytest.raises(ValueError, match="not a time of day"):
        DailyAt(24, 0)
    with pytest.raises(ValueError, match="not a time of day"):
        DailyAt(9, 60)

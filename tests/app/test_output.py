"""The command line's output writes plain text without rich (issue 21), byte for byte as rich's
console prints it, and hands rich everything else. The texts are constructed here, to cover
what rich leaves as it is (non-breaking spaces, emoji, brackets, wide characters, long lines)
and what it does not (tabs, carriage returns, other control characters)."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from aiprogress.app.command_frame import Output

AS_IS = [
    "",
    "0 sources: 0 fetched, 0 not modified, 0 new items, 0 updated, 0 errors",
    "GPT-4.5 против GPT-4o\n\n🔘 GPQA Diamond: 68,7%\u00a0/ 49,2% (+19,5)\n",
    "[bold]not markup[/bold] :rocket: http://example.com 1.5 'q' None True",
    "  leading and trailing spaces  ",
    "日本語のテキスト" * 30,
    "x" * 500,
    "👩\u200d💻 zero\u200bwidth, soft\u00adhyphen, e\u0301, \u2028 line separator",
    "line\n\n\nline\n",
]
NOT_AS_IS = [
    "a\tb",
    "carriage\rreturn",
    "bell\x07",
    "escape \x1b[31mred",
    "form\x0cfeed",
    "del\x7f",
]


def _rich(text: str, *, terminal: bool) -> str:
    written = io.StringIO()
    console = Console(
        file=written,
        highlight=False,
        soft_wrap=True,
        emoji=False,
        force_terminal=terminal,
        width=40,
        color_system="truecolor" if terminal else None,
    )
    console.print(text, markup=False)
    return written.getvalue()


@pytest.mark.parametrize("text", AS_IS)
def test_plain_text_is_written_as_rich_writes_it_without_rich(
    text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    output = Output()
    output.print(text, markup=False)
    written = capsys.readouterr().out
    assert written == _rich(text, terminal=False) == _rich(text, terminal=True)
    assert output._console is None  # rich was not asked


@pytest.mark.parametrize("text", NOT_AS_IS)
def test_text_rich_changes_goes_through_rich(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    output = Output(stderr=True)
    output.print(text, markup=False)
    assert capsys.readouterr().err == _rich(text, terminal=False)
    assert output._console is not None


def test_markup_and_styles_go_through_rich(capsys: pytest.CaptureFixture[str]) -> None:
    output = Output()
    output.print("[b]x[/b]")  # markup is read unless turned off
    output.print("title", markup=False, style="bold")
    assert capsys.readouterr().out == "x\ntitle\n"
    assert output._console is not None


def test_a_pipe_is_no_terminal_unless_the_environment_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    output = Output()
    assert output.is_terminal is False
    assert output._console is None
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert Output().is_terminal is True  # rich's own answer
    monkeypatch.setenv("FORCE_COLOR", "")
    monkeypatch.setenv("TTY_COMPATIBLE", "0")
    assert Output().is_terminal is False

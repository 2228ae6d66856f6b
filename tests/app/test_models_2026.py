"""2026's models, as a user meets them: `compare` answers for Claude Opus 5 with LiteLLM 1.110.2's
figures (the bundled table of 20 November 2026), a price cut since 1.67.4 shows its newer value
with that date. That `aiprogress demo` weighs "Introducing Claude Opus 5" (24 July 2026, in the
bundled Anthropic feed) against Claude Opus 4.8, the Opus released before it (28 May 2026), is
test_cli's demo test."""

# `env_with_models` is test_cli's fixture, imported rather than copied: the tests that take it
# as an argument read to ruff as redefining the import (F811).
# ruff: noqa: F811

from __future__ import annotations

from pathlib import Path

from tests.app.test_cli import env, env_with_models, run  # noqa: F401 (fixtures)

SOURCE_LINE = (
    "● LiteLLM 1.110.2 price table (2026-11-20, Input price, Output price, Context window, Max "
    "output): "
    "https://pypi.org/project/litellm/1.110.2/"
)


def test_compare_claude_opus_5_with_opus_4_6_from_the_2026_table(env_with_models: Path) -> None:
    code, out, err = run("compare", "claude opus 5", "claude opus 4.6", "--lang", "en")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Claude Opus 5 vs Claude Opus 4.6"
    # LiteLLM 1.110.2's `claude-opus-5` and `claude-opus-4-6`: $5/$25 per 1M, 1M in, 128K out.
    assert "▪️ Input price: $5 / $5 per 1M tokens (same price)" in lines
    assert "▪️ Output price: $25 / $25 per 1M tokens (same price)" in lines
    assert any(
        line.startswith("▪️ Context window: 1,000,000 tokens / 1,000,000 tokens") for line in lines
    )
    assert any(line.startswith("▪️ Max output: 128,000 tokens / 128,000 tokens") for line in lines)
    assert SOURCE_LINE in lines


def test_a_price_cut_since_1_67_4_shows_the_newer_price_with_its_date(
    env_with_models: Path,
) -> None:
    # o3: $10/$40 per 1M in LiteLLM 1.67.4 (27 April 2025), $2/$8 in 1.110.2 (20 November
    # 2026). No OpenRouter answer lists Claude Opus 5, so the row is LiteLLM's, newest first.
    code, out, err = run("compare", "claude opus 5", "o3", "--lang", "en")
    assert code == 0, err
    lines = out.splitlines()
    # The 2025 price is kept, with its own table and date, and said beside the newer one.
    assert (
        "▪️ Input price: $5 / $2 per 1M tokens (2.5× dearer; sources disagree: $10 for o3 in "
        "LiteLLM 1.67.4 price table (2025-04-27))"
    ) in lines
    assert any(
        line.startswith("▪️ Output price: $25 / $8 per 1M tokens (3.1× dearer") for line in lines
    )
    assert any(line.startswith("● LiteLLM 1.110.2 price table (2026-11-20, ") for line in lines)

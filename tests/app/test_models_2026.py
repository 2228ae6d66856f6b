"""2026's models, as a user meets them: `compare` answers for Claude Opus 5 with LiteLLM 1.110.2's
figures (the bundled table of 20 November 2026), a price cut since 1.67.4 shows its newer value
with that date, and `aiprogress demo` weighs "Introducing Claude Opus 5" (24 July 2026, in the
bundled Anthropic feed) against Claude Opus 4.8, the Opus released before it (28 May 2026)."""

# `env_with_models` is test_cli's fixture, imported rather than copied: the tests that take it
# as an argument read to ruff as redefining the import (F811).
# ruff: noqa: F811

from __future__ import annotations

import os
import subprocess
import sys
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


def test_the_demo_weighs_claude_opus_5_against_the_opus_before_it(tmp_path: Path) -> None:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "AIPROGRESS_"))
    }
    completed = subprocess.run(
        [sys.executable, "-m", "aiprogress", "demo"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    out = completed.stdout
    assert (
        "🔘 Introducing Claude Opus 5\n"
        "Claude Opus 5 against Claude Opus 4.8: no benchmark both have; the input price is the "
        "same ($5 per 1M tokens, prices of November 2026). Data: LiteLLM 1.110.2 price table.\n"
        "https://www.anthropic.com/news/claude-opus-5\n"
    ) in out
    assert (
        "Claude Opus 5 против Claude Opus 4.8: общих бенчмарков нет, цена входа та же ($5 за 1 млн "
        "токенов, цены на ноябрь 2026). Данные: LiteLLM 1.110.2 price table.\n"
    ) in out

"""LLM Stats benchmark rows (`data/organizations/<org>/models/<id>/benchmarks.json`): what each
row means for us, or why it is refused.

A row has `benchmark_id` and `benchmark_name`, a `score` from 0 to 1, `analysis_method` (free
text saying how the figure was obtained), `is_self_reported`, `verified_by_llmstats` and
`self_reported_source_link`. Most rows are vendor-reported: the figure is the vendor's, so the
fact's source link is the vendor's page (the LLM Stats row says which), not llm-stats.com.

- **Provenance gate.** A row neither self-reported nor verified, or whose link is a placeholder
  (`https://example.com/benchmark-image`, as GPT-3.5 Turbo's rows have), is not a fact a reader
  can check: it is refused, and counted.
- **Canonical benchmark.** `gpqa` whose method says "Diamond", or from a vendor page that reports
  GPQA Diamond (`GPQA_DIAMOND_PAGES`), is GPQA Diamond; otherwise it stays LLM Stats' "GPQA"
  (which LLM Stats defines as the 448-question set). Scale's MultiChallenge under either id is
  "MultiChallenge"; the GPT-4.1 post's run graded by o3-mini is the same benchmark with the setting
  "o3-mini grader". Aider's polyglot benchmark is "Aider Polyglot" with its edit format as the
  setting (`aider-polyglot` whole, `aider-polyglot-edit` diff), except a row the vendor's page
  gives for another benchmark (`ROW_BENCHMARKS`). Anything else goes through `core.benchmarks`.
- **Settings** come from the method text (`settings_from_method`): shots, maj@k, thinking,
  tools, parallel attempts, scaffolding; and, where the row does not say it but the vendor's page
  does, from `PAGE_SETTINGS` (every row of a model from that page: Grok 3's are its "Think"
  runs) and `ROW_SETTINGS` (one row). So a mode's score is never filed as the plain model's.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiprogress.core.benchmarks import canonical_name, join_settings
from aiprogress.sources.importers._settings import settings_from_method

SOURCE_NAME = "LLM Stats"
PLACEHOLDER_HOSTS = ("example.com", "example.org")

# benchmark_id -> (our benchmark name, the setting the id itself implies)
_BY_ID: dict[str, tuple[str, str]] = {
    "scale-multichallenge": ("MultiChallenge", ""),
    "multichallenge": ("MultiChallenge", ""),
    "multichallenge-(o3-mini-grader)": ("MultiChallenge", "o3-mini grader"),
    "aider-polyglot": ("Aider Polyglot", "whole edit format"),
    "aider-polyglot-edit": ("Aider Polyglot", "diff edit format"),
    "humanity's-last-exam": ("Humanity's Last Exam", ""),
}

# What a vendor's page says that LLM Stats' rows do not, each entry with how we know. Links are
# the rows' `self_reported_source_link`, as LLM Stats writes them.
_GROK_3_POST = "https://x.ai/blog/grok-3"

# Pages whose "GPQA" is GPQA Diamond (198 questions). LLM Stats files every GPQA figure under its
# `gpqa` id, defined as the full 448-question set (its `benchmarks/gpqa.json`), and only some
# rows' methods say "Diamond"; the vendors below report the Diamond set:
GPQA_DIAMOND_PAGES = frozenset(
    {
        # xAI's Grok 3 post sets Grok 3 (Think) against o3-mini (high), o1 and DeepSeek-R1 at
        # 79.7, 78.0 and 71.5: those vendors' GPQA Diamond figures.
        _GROK_3_POST,
        # xAI's Grok-2 post sets Grok-2 beside Claude 3 Opus at 50.4: LLM Stats' own row of it
        # from Anthropic says "0-shot CoT - Diamond" (0.504).
        "https://x.ai/blog/grok-2",
        # DeepSeek-V3's README names the row "GPQA-Diamond (Pass@1)".
        "https://github.com/deepseek-ai/DeepSeek-V3",
        # Google's Gemini 2.0 and Gemini 1.5 Pro tables name the row "GPQA (diamond)".
        "https://blog.google/technology/google-deepmind/google-gemini-ai-update-december-2024/",
        "https://deepmind.google/technologies/gemini/pro/",
        # Anthropic reports GPQA Diamond throughout (LLM Stats' rows from its Claude 3 family and
        # 3.7 Sonnet posts say "Diamond"); the Claude 3 model card addendum's 67.2% is Claude 3.5
        # Sonnet's maj@32 5-shot run on it.
        "https://www-cdn.anthropic.com/fed9cc193a14b84131812372d8d5857f8f304c52/"
        "Model_Card_Claude_3_Addendum.pdf",
        # OpenAI's GPT-4o launch post gives its simple-evals runs, whose GPQA is the Diamond set
        # (simple-evals reads `gpqa_diamond.csv`): GPT-4o 53.6, GPT-4 Turbo 48.0, GPT-4 35.7.
        "https://openai.com/index/hello-gpt-4o/",
    }
)

# (LLM Stats model id, page) -> the setting every row of that model from that page was run under.
PAGE_SETTINGS: dict[tuple[str, str], str] = {
    # LLM Stats' `grok-3` rows (AIME 2024 and 2025 93.3, GPQA 84.6, LiveCodeBench 79.4, MMMU 78.0)
    # are the post's "Grok 3 (Think)" column, the reasoning mode, which it sets against o1,
    # o3-mini (high) and DeepSeek-R1; plain Grok 3 is another column (the API's `grok-3-beta`,
    # which Epoch and Aider ran: GPQA Diamond 75.76, Aider Polyglot 53.3).
    ("grok-3", _GROK_3_POST): "thinking",
}

# (LLM Stats model id, benchmark id, page) -> a setting of that row alone.
ROW_SETTINGS: dict[tuple[str, str, str], str] = {
    # The post's AIME 2025 figure is at "the highest level of test-time compute", consensus of 64
    # samples; its first-try score is below o3-mini (high)'s 86.5.
    ("grok-3", "aime-2025", _GROK_3_POST): "cons@64",
}

# (LLM Stats model id, benchmark id, page) -> the benchmark the page gives the figure for.
ROW_BENCHMARKS: dict[tuple[str, str, str], str] = {
    # DeepSeek-V3's README lists "Aider-Edit" 79.7 and "Aider-Polyglot" 49.6: the 79.7 is Aider's
    # older code-editing benchmark (LLM Stats' `deepseek-v2.5` row from DeepSeek's V2.5 card,
    # `aider` 0.722, is that benchmark's 72.2 on Aider's own board), not a polyglot diff run.
    ("deepseek-v3", "aider-polyglot-edit", "https://github.com/deepseek-ai/DeepSeek-V3"): (
        "Aider Code Editing"
    ),
}

DROP_PLACEHOLDER = "unverified LLM Stats row with a placeholder source"
DROP_UNVERIFIED = "LLM Stats row neither vendor-reported nor verified"


@dataclass(frozen=True, slots=True)
class LlmStatsRow:
    model_id: str
    benchmark_id: str
    benchmark_name: str
    analysis_method: str
    is_self_reported: bool
    verified: bool
    source_link: str


@dataclass(frozen=True, slots=True)
class LlmStatsScore:
    """What a kept row becomes: our benchmark, its setting, and the page the figure is from."""

    metric: str
    setting: str
    source_url: str


def map_row(row: LlmStatsRow, *, extra_setting: str = "") -> LlmStatsScore | str:
    """The row as our fact's metric, setting and source link, or the reason it is refused.
    `extra_setting` adds what the curated file knows from the vendor's page but the row does not
    say (Claude 3.7 Sonnet's figures are its extended-thinking runs)."""
    link = row.source_link.strip()
    host = link.split("://", 1)[-1].split("/", 1)[0].lower() if link else ""
    if not link or host in PLACEHOLDER_HOSTS:
        return DROP_PLACEHOLDER
    if not row.is_self_reported and not row.verified:
        return DROP_UNVERIFIED
    method = row.analysis_method or ""
    key = (row.model_id, row.benchmark_id, link)
    metric, implied = _BY_ID.get(row.benchmark_id, ("", ""))
    if key in ROW_BENCHMARKS:
        metric, implied = ROW_BENCHMARKS[key], ""
    elif not metric:
        if row.benchmark_id == "gpqa" and (
            "diamond" in method.lower() or link in GPQA_DIAMOND_PAGES
        ):
            metric = "GPQA Diamond"
        else:
            metric = canonical_name(row.benchmark_name)
    setting = join_settings(
        PAGE_SETTINGS.get((row.model_id, link), ""),
        implied,
        settings_from_method(method),
        ROW_SETTINGS.get(key, ""),
        extra_setting,
    )
    return LlmStatsScore(metric=metric, setting=setting, source_url=link)

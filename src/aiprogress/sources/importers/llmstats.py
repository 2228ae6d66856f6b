"""LLM Stats benchmark rows (`data/organizations/<org>/models/<id>/benchmarks.json`): what each
row means for us, or why it is refused.

A row has `benchmark_id` and `benchmark_name`, a `score` from 0 to 1, `analysis_method` (free
text saying how the figure was obtained), `is_self_reported`, `verified_by_llmstats` and
`self_reported_source_link`. Most rows are vendor-reported: the figure is the vendor's, so the
fact's source link is the vendor's page (the LLM Stats row says which), not llm-stats.com.

- **Provenance gate.** A row neither self-reported nor verified, or whose link is a placeholder
  (`https://example.com/benchmark-image`, as GPT-3.5 Turbo's rows have), is not a fact a reader
  can check: it is refused, and counted.
- **Canonical benchmark.** `gpqa` whose method says "Diamond" is GPQA Diamond; otherwise it stays
  LLM Stats' "GPQA". Scale's MultiChallenge under either id is "MultiChallenge"; the GPT-4.1 post's
  run graded by o3-mini is the same benchmark with the setting "o3-mini grader". Aider's polyglot
  benchmark is "Aider Polyglot" with its edit format as the setting (`aider-polyglot` whole,
  `aider-polyglot-edit` diff). Anything else goes through `core.benchmarks`.
- **Settings** come from the method text (`settings_from_method`): shots, maj@k, thinking,
  tools, parallel attempts, scaffolding.
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
    metric, implied = _BY_ID.get(row.benchmark_id, ("", ""))
    if not metric:
        if row.benchmark_id == "gpqa" and "diamond" in method.lower():
            metric = "GPQA Diamond"
        else:
            metric = canonical_name(row.benchmark_name)
    setting = join_settings(implied, settings_from_method(method), extra_setting)
    return LlmStatsScore(metric=metric, setting=setting, source_url=link)

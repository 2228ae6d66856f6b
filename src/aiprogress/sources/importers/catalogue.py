"""The recorded data files bundled with the package (`sources/data/snapshots/`, origins in its
ORIGIN.md), each with the importer that reads it and the date and source its facts carry.

`BUNDLED_SNAPSHOTS` is in time order, oldest first, so that importing them in turn builds the
history the way it happened. Source names, URLs and dates match the facts of the curated seed
(`sources/data/seed_models.json`), so the same value read twice is the same fact. Aider facts,
in both, carry each run's own date.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Protocol

from aiprogress.core.types import ImportBatch
from aiprogress.sources.importers.aider import read_aider_polyglot
from aiprogress.sources.importers.curated import read_curated
from aiprogress.sources.importers.epoch import read_epoch
from aiprogress.sources.importers.litellm import read_litellm
from aiprogress.sources.importers.llmstats_models import read_llm_stats_models
from aiprogress.sources.importers.lmarena import read_lmarena
from aiprogress.sources.importers.modelsdev import REUSED_ID_FILES, folder_files, read_models_dev
from aiprogress.sources.importers.openrouter import read_openrouter

SEED_FILE = "seed_models.json"


class SnapshotReader(Protocol):
    def __call__(
        self, document: bytes, *, as_of: date, source_name: str, source_url: str
    ) -> ImportBatch: ...


@dataclass(frozen=True, slots=True)
class BundledSnapshot:
    name: str
    reader: SnapshotReader
    file: str
    as_of: date
    source_url: str
    source_name: str
    # Keys of the file that name another model than the one the knowledge base files under
    # them (`REUSED_LITELLM_IDS`): read, then left out with their facts.
    leave_out: frozenset[str] = frozenset()


# DeepSeek's API ids name whatever model it serves at the time: DeepSeek-V3 and -R1 in 2025
# (LiteLLM 1.63.14 and 1.67.4: 0.27/1.10 and 0.55/2.19 USD per 1M, 65,536 tokens), a newer
# model by 2026 (LiteLLM 1.110.2: both 0.28/0.42, 131,072 tokens). The knowledge base files
# `deepseek-chat` and `deepseek-reasoner` under V3 and R1 (the curated seed's aliases), so the
# 2026 keys would land another model's price on them as their current one; 1.110.2 prices V3
# and R1 under their own keys (`deepseek/deepseek-v3`, `deepseek/deepseek-r1`), and those are
# read. models.dev's files for the same ids are left out alike (`modelsdev.REUSED_ID_FILES`).
LEFT_OUT = "an id that now names a newer model than the one filed under it"
REUSED_LITELLM_IDS = frozenset(
    {"deepseek-chat", "deepseek-reasoner", "deepseek/deepseek-chat", "deepseek/deepseek-reasoner"}
)


_OPENROUTER_URL = "https://openrouter.ai/api/v1/models"
MODELS_DEV_AS_OF = date(2026, 7, 2)  # the models.dev snapshot's commit date
_LMARENA_URL = "https://lmarena.ai/leaderboard"

BUNDLED_SNAPSHOTS: tuple[BundledSnapshot, ...] = (
    BundledSnapshot(
        name="litellm-1.63.14",
        reader=read_litellm,
        file="litellm-1.63.14-model_prices_and_context_window.json",
        as_of=date(2025, 3, 22),  # PyPI upload of the wheel
        source_url="https://pypi.org/project/litellm/1.63.14/",
        source_name="LiteLLM 1.63.14 price table",
    ),
    BundledSnapshot(
        name="lmarena-2025-03-28",
        reader=read_lmarena,
        file="lmsys-2025-03-28.csv",
        as_of=date(2025, 3, 28),  # leaderboard data version
        source_url=_LMARENA_URL,
        source_name="LMArena text leaderboard",
    ),
    BundledSnapshot(
        name="litellm-1.67.4",
        reader=read_litellm,
        file="litellm-1.67.4-model_prices_and_context_window.json",
        as_of=date(2025, 4, 27),
        source_url="https://pypi.org/project/litellm/1.67.4/",
        source_name="LiteLLM 1.67.4 price table",
    ),
    BundledSnapshot(
        name="epoch-2025-05-01",
        reader=read_epoch,
        file="epoch-ai/benchmarks_runs.csv",
        as_of=date(2025, 5, 1),  # the copy's commit date
        source_url="https://epoch.ai/data/ai-benchmarking-dashboard",
        source_name="Epoch AI Benchmarking Hub",
    ),
    BundledSnapshot(
        name="openrouter-2025-05-23",
        reader=read_openrouter,
        file="openrouter-models-2025-05-23.json",
        as_of=date(2025, 5, 23),  # commit that saved the API answer
        source_url=_OPENROUTER_URL,
        source_name="OpenRouter models API",
    ),
    BundledSnapshot(
        name="lmarena-2025-08-04",
        reader=read_lmarena,
        file="lmarena_text.csv",
        as_of=date(2025, 8, 4),
        source_url=_LMARENA_URL,
        source_name="LMArena text leaderboard",
    ),
    BundledSnapshot(
        name="aider-polyglot",
        reader=read_aider_polyglot,
        file="polyglot_leaderboard.yml",
        as_of=date(2025, 10, 4),  # last change of the file; each run's fact has the run's date
        source_url="https://aider.chat/docs/leaderboards/",
        source_name="Aider polyglot leaderboard",
    ),
    BundledSnapshot(
        name="openrouter-2026-05-15",
        reader=read_openrouter,
        file="openrouter-models.json",
        as_of=date(2026, 5, 15),
        source_url=_OPENROUTER_URL,
        source_name="OpenRouter models API",
    ),
    BundledSnapshot(
        name="litellm-1.110.2",
        reader=read_litellm,
        # The first-party keys of the recorded table (`tests/sources/litellm_subset.py`).
        file="litellm-1.110.2-first-party.json",
        as_of=date(2026, 11, 20),  # PyPI upload of the wheel
        source_url="https://pypi.org/project/litellm/1.110.2/",
        source_name="LiteLLM 1.110.2 price table",
        leave_out=REUSED_LITELLM_IDS,
    ),
)


def _data() -> Traversable:
    return resources.files("aiprogress.sources").joinpath("data")


def read_bundled_bytes(snapshot: BundledSnapshot) -> bytes:
    return _data().joinpath("snapshots", snapshot.file).read_bytes()


def load_bundled(snapshot: BundledSnapshot) -> ImportBatch:
    """Read one bundled file with its importer (raises `ImportFormatError` if it is malformed),
    less the records it leaves out."""
    batch = snapshot.reader(
        read_bundled_bytes(snapshot),
        as_of=snapshot.as_of,
        source_name=snapshot.source_name,
        source_url=snapshot.source_url,
    )
    if not snapshot.leave_out:
        return batch
    kept = tuple(m for m in batch.models if m.canonical_id not in snapshot.leave_out)
    left = len(batch.models) - len(kept)
    return replace(
        batch,
        models=kept,
        facts=tuple(f for f in batch.facts if f.model_id not in snapshot.leave_out),
        dropped=(*batch.dropped, *([(LEFT_OUT, left)] if left else [])),
    )


def load_models_dev() -> ImportBatch:
    """models.dev's provider and model TOML files (snapshot of 2026-07-02). The files whose id
    now names a newer model than the seed's (DeepSeek's `deepseek-chat`/`-reasoner`) are left
    out, or their 2026 prices would land on DeepSeek-V3 and -R1. Its copies of Aider's results
    are traced to the bundled Aider runs they quote, so each takes its run's setting."""
    files = folder_files(_data().joinpath("snapshots", "models.dev"), leave_out=REUSED_ID_FILES)
    aider = next(s for s in BUNDLED_SNAPSHOTS if s.reader is read_aider_polyglot)
    return read_models_dev(
        files,
        as_of=MODELS_DEV_AS_OF,
        source_name="models.dev",
        source_url="https://models.dev",
        originals=load_bundled(aider).facts,
    )


def load_llm_stats_models() -> ImportBatch:
    """LLM Stats' model records (`snapshots/llm-stats/`, commit of 2025-10-16): their release
    dates, for the models the curated file and models.dev leave undated."""
    root = _data().joinpath("snapshots", "llm-stats")
    files: dict[str, bytes] = {}
    pending: list[tuple[Traversable, str]] = [(root, "")]
    while pending:
        folder, prefix = pending.pop()
        for entry in folder.iterdir():
            if entry.is_dir():
                pending.append((entry, f"{prefix}{entry.name}/"))
            elif entry.name == "model.json":
                files[f"{prefix}{entry.name}"] = entry.read_bytes()
    return read_llm_stats_models(
        files, as_of=date(2025, 10, 16), source_name="LLM Stats", source_url="https://llm-stats.com"
    )


def load_seed() -> ImportBatch:
    """The curated seed models and facts (`sources/data/seed_models.json`)."""
    return read_curated(_data().joinpath(SEED_FILE).read_bytes())

"""The Epoch AI and models.dev importers, on the bundled recorded files, on the curated seed's
facts from the same files, and on malformed inputs built here."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import pytest

from aiprogress.core.clock import FixedClock
from aiprogress.core.errors import ImportFormatError
from aiprogress.core.types import ImportBatch, Metric, ModelFact, ModelInfo
from aiprogress.sources.importers import load_seed
from aiprogress.sources.importers._settings import split_epoch_id
from aiprogress.sources.importers.catalogue import load_models_dev
from aiprogress.sources.importers.epoch import METRIC_BY_TASK, read_epoch
from aiprogress.sources.importers.modelsdev import (
    REUSED_ID_FILES,
    folder_files,
    read_models_dev,
)
from aiprogress.storage.store import SqlStore
from tests.builders import make_registry

DATA = Path(__file__).parents[2] / "src" / "aiprogress" / "sources" / "data"
SNAPSHOTS = DATA / "snapshots"
EPOCH_FILE = SNAPSHOTS / "epoch-ai" / "benchmarks_runs.csv"
MODELS_DEV = SNAPSHOTS / "models.dev"

EPOCH_DAY = date(2025, 5, 1)
EPOCH_NAME = "Epoch AI Benchmarking Hub"
EPOCH_URL = "https://epoch.ai/data/ai-benchmarking-dashboard"
MDEV_DAY = date(2026, 7, 2)
TEST_DAY = date(2025, 1, 1)
USD = "USD/1M tokens"
HEADER = "id,task,model,Best score (across scorers),Scores,log viewer,Log download\n"


@cache
def epoch() -> ImportBatch:
    return read_epoch(
        EPOCH_FILE.read_bytes(), as_of=EPOCH_DAY, source_name=EPOCH_NAME, source_url=EPOCH_URL
    )


def read_dev(files: dict[str, bytes]) -> ImportBatch:
    return read_models_dev(
        files, as_of=MDEV_DAY, source_name="models.dev", source_url="https://models.dev"
    )


@cache
def models_dev() -> ImportBatch:
    return read_dev(folder_files(MODELS_DEV))


def facts_of(batch: ImportBatch, model_id: str, setting: str = "") -> dict[str, ModelFact]:
    found = {f.metric: f for f in batch.facts if f.model_id == model_id and f.setting == setting}
    assert found, f"no facts for {model_id}"
    return found


def model_of(batch: ImportBatch, model_id: str) -> ModelInfo:
    return next(m for m in batch.models if m.canonical_id == model_id)


def read_csv(document: str | bytes) -> ImportBatch:
    raw = document.encode() if isinstance(document, str) else document
    return read_epoch(raw, as_of=TEST_DAY, source_name="test", source_url="https://example.test/")


def read_folder(files: dict[str, str] | dict[str, bytes]) -> ImportBatch:
    raw = {k: v.encode() if isinstance(v, str) else v for k, v in files.items()}
    return read_models_dev(
        raw, as_of=TEST_DAY, source_name="test", source_url="https://example.test/"
    )


def expect_error(read: Callable[[], object], *fragments: str) -> str:
    with pytest.raises(ImportFormatError) as caught:
        read()
    message = str(caught.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message
    return message


def seed_facts(source_name: str) -> list[dict[str, object]]:
    seed = json.loads((DATA / "seed_models.json").read_text(encoding="utf-8"))
    facts: list[dict[str, object]] = seed["facts"]
    return [f for f in facts if f["source_name"] == source_name]


def assert_is_seed_fact(ours: ModelFact | None, fact: dict[str, object]) -> None:
    """Our importer's fact says what the seed's does: value, unit, day and source."""
    assert ours is not None, fact
    assert (ours.value, ours.unit, ours.as_of.isoformat()) == (
        fact["value"],
        fact["unit"],
        fact["as_of"],
    )
    assert (ours.source_name, ours.source_url) == (fact["source_name"], fact["source_url"])


@pytest.mark.parametrize("read", [epoch, models_dev], ids=["epoch", "models.dev"])
def test_batches_are_well_formed(read: Callable[[], ImportBatch]) -> None:
    batch = read()
    ids = [m.canonical_id for m in batch.models]
    assert len(ids) == len(set(ids))
    assert {f.model_id for f in batch.facts} <= set(ids)
    keys = [(f.model_id, f.metric, f.as_of, f.setting) for f in batch.facts]
    assert len(keys) == len(set(keys)), "a fact repeats: the database would refuse it"
    units = {
        Metric.PRICE_INPUT: USD,
        Metric.PRICE_OUTPUT: USD,
        Metric.CONTEXT_WINDOW: "tokens",
        Metric.MAX_OUTPUT: "tokens",
        "Artificial Analysis Coding Index": "points",
    }
    for fact in batch.facts:
        assert fact.unit == units.get(fact.metric, "%")
        assert fact.value >= 0
        assert fact.source_name == batch.source_name


# --- Epoch -------------------------------------------------------------------------------------


def test_epoch_reads_every_run() -> None:
    batch = epoch()
    # 104 ids, of which 11 are another's under a setting (`_high`, `_64K` ...).
    assert (len(batch.models), len(batch.facts)) == (93, 336)
    assert {f.metric for f in batch.facts} == {
        "GPQA Diamond",
        "MATH Level 5",
        "OTIS Mock AIME 2024-2025",
        *METRIC_BY_TASK.values(),
        "SWE-bench Verified",
    }
    gpt45 = facts_of(batch, "gpt-4.5-preview-2025-02-27")["GPQA Diamond"]
    assert gpt45 == ModelFact(
        "gpt-4.5-preview-2025-02-27",
        "GPQA Diamond",
        68.69,  # 0.6868686868686869 x 100, to 2 decimals
        "%",
        date(2025, 5, 1),
        "Epoch AI Benchmarking Hub",
        "https://epoch.ai/data/ai-benchmarking-dashboard",
    )
    assert facts_of(batch, "claude-3-7-sonnet-20250219")["SWE-bench Verified"].value == 52.2
    # A settings suffix goes from the id to the fact; the id as Epoch wrote it is kept.
    assert model_of(batch, "o1-2024-12-17") == ModelInfo("o1-2024-12-17", "o1-2024-12-17", "")
    high = facts_of(batch, "o1-2024-12-17", setting="high effort")["GPQA Diamond"]
    assert (high.value, high.source_model) == (76.77, "o1-2024-12-17_high")
    # OpenAI's default effort is medium: that run is o1's default run.
    medium = facts_of(batch, "o1-2024-12-17")["GPQA Diamond"]
    assert (medium.value, medium.source_model) == (75.76, "o1-2024-12-17_medium")
    thinking = facts_of(batch, "claude-3-7-sonnet-20250219", setting="64k thinking")
    assert thinking["GPQA Diamond"].value == 77.27
    assert "Phi-3-medium-128k-instruct" in {m.canonical_id for m in batch.models}  # stripped


def test_epoch_matches_every_seed_fact() -> None:
    expected = seed_facts("Epoch AI Benchmarking Hub")
    assert len(expected) == 53
    for fact in expected:
        found = re.search(r"model='([^']+)'", str(fact["locator"]))
        assert found, fact
        model, setting = split_epoch_id(found[1])
        ours = facts_of(epoch(), model, setting).get(str(fact["metric"]))
        assert_is_seed_fact(ours, fact)


def test_epoch_keeps_the_best_run_and_names_tasks() -> None:
    batch = read_csv(
        HEADER
        + "a,GPQA diamond,m-1,0.25,,,\n"
        + "b,GPQA diamond,m-1,0.5,,,\n"
        + "c,GPQA diamond,m-1,0.375,,,\n"
        + "\n"
        + "d,Some new task,m-2,0.12345,,,\n"
        + "e,FrontierMath-2025-02-28-Private,m-2,0.0034482758620689,,,\n"
    )
    assert [(f.model_id, f.metric, f.value) for f in batch.facts] == [
        ("m-1", "GPQA Diamond", 50.0),
        ("m-2", "Some new task", 12.35),
        ("m-2", "FrontierMath (2025-02-28, private set)", 0.34),
    ]
    assert [m.canonical_id for m in batch.models] == ["m-1", "m-2"]


def test_epoch_rejects_malformed_files() -> None:
    message = expect_error(lambda: read_csv("id,task,model\nx,GPQA diamond,m\n"))
    assert message == (
        "Epoch AI benchmark runs CSV: the header has no 'Best score (across scorers)' column"
    )
    expect_error(lambda: read_csv(""), "Epoch AI", "empty")
    expect_error(lambda: read_csv('{"data": []}'), "header has no")
    expect_error(lambda: read_csv(b"\xff\xfe\x00garbage"), "not UTF-8")
    expect_error(
        lambda: read_csv(HEADER + "a,GPQA diamond,m-1,high,,,\n"),
        "line 2",
        "'m-1'",
        "'GPQA diamond'",
        "'high'",
        "not a number",
    )
    expect_error(lambda: read_csv(HEADER + "a,GPQA diamond,m-1,,,,\n"), "line 2", "has no")
    expect_error(lambda: read_csv(HEADER + "a,GPQA diamond,m-1,67.5,,,\n"), "not a score from 0")
    expect_error(lambda: read_csv(HEADER + "a,GPQA diamond,,0.5,,,\n"), "line 2 has no 'model'")
    expect_error(lambda: read_csv(HEADER + "a,,m-1,0.5,,,\n"), "'m-1'", "no 'task'")
    # The error comes before anything is returned, wherever the bad row is.
    good = EPOCH_FILE.read_text(encoding="utf-8")
    expect_error(lambda: read_csv(good + "z,MATH level 5,late,NaN,,,\n"), "line 338", "'late'")


# --- models.dev --------------------------------------------------------------------------------


def test_models_dev_reads_the_folder() -> None:
    batch = models_dev()
    # 109 provider models, plus the 11 `models/` files no provider model shares an id with.
    assert (len(batch.models), len(batch.facts)) == (120, 482)
    assert model_of(batch, "openai/gpt-4o") == ModelInfo(
        canonical_id="openai/gpt-4o",
        display_name="GPT-4o",
        vendor="OpenAI",
        family="gpt",
        release_date=date(2024, 5, 13),
        open_weights=False,
    )
    gpt4o = facts_of(batch, "openai/gpt-4o")
    assert {k: (f.value, f.unit) for k, f in gpt4o.items()} == {
        Metric.PRICE_INPUT: (2.5, USD),
        Metric.PRICE_OUTPUT: (10.0, USD),
        Metric.CONTEXT_WINDOW: (128_000.0, "tokens"),
        Metric.MAX_OUTPUT: (16_384.0, "tokens"),
        # From models/openai/gpt-4o.toml: a lab serving its own model is one model with it.
        "Aider Polyglot": (23.1, "%"),
    }
    assert {f.as_of for f in batch.facts} == {date(2026, 7, 2)}
    assert model_of(batch, "xai/grok-4.3").vendor == "xAI"
    r1 = model_of(batch, "deepseek/deepseek-r1")  # a `models/` file no provider serves
    assert (r1.display_name, r1.vendor, r1.open_weights) == ("DeepSeek-R1", "DeepSeek", True)
    assert facts_of(batch, "deepseek/deepseek-r1")[Metric.CONTEXT_WINDOW].value == 128_000


def test_models_dev_matches_every_seed_fact() -> None:
    expected = seed_facts("models.dev")
    assert len(expected) == 38
    for fact in expected:
        parts = str(fact["fixture"]).removeprefix("models.dev/").removesuffix(".toml").split("/")
        model_id = "/".join(parts[1:2] + parts[3:] if parts[0] == "providers" else parts[1:])
        ours = facts_of(models_dev(), model_id).get(str(fact["metric"]))
        assert_is_seed_fact(ours, fact)


def test_models_dev_inherits_from_base_model() -> None:
    batch = models_dev()
    # providers/google/models/gemini-3-pro-image-preview.toml: base_model, cost, [limit] context
    # only. Its name comes from the base, its context is its own, its max output inherited.
    image = facts_of(batch, "google/gemini-3-pro-image-preview")
    assert image[Metric.CONTEXT_WINDOW].value == 131_072
    assert image[Metric.MAX_OUTPUT].value == 32_768
    assert model_of(batch, "google/gemini-3-pro-image-preview").display_name
    gpt5 = model_of(batch, "openai/gpt-5")
    assert (gpt5.display_name, gpt5.family, gpt5.release_date) == ("GPT-5", "gpt", date(2025, 8, 7))
    assert facts_of(batch, "openai/gpt-5")[Metric.PRICE_INPUT].value == 1.25


PROVIDER = 'name = "Acme"\n'
BASE = """
name = "Base Model"
family = "base"
release_date = "2025-03-04"
open_weights = true
[limit]
context = 100_000
input = 90_000
output = 8_000
[[benchmarks]]
name = "SciCode"
score = 30.5
metric = "percent correct"
"""


def test_models_dev_inheritance_rule() -> None:
    batch = read_folder(
        {
            "providers/acme/provider.toml": PROVIDER,
            "providers/acme/models/served.toml": (
                'base_model = "lab/base"\nname = "Served"\nbase_model_omit = ["limit.output"]\n'
                "[cost]\ninput = 1.5\noutput = 0\n[limit]\ncontext = 50_000\n"
            ),
            "providers/acme/models/kept.toml": 'base_model = "lab/base"\n[limit]\ncontext = 60_000\n',
            "providers/acme/models/orphan.toml": (
                'base_model = "lab/missing"\n[cost]\ninput = 2\noutput = 4\n'
            ),
            "models/lab/base.toml": BASE,
            "providers/acme/logo.svg": "<svg/>",
            "README.md": "# not data",
        }
    )
    served = model_of(batch, "acme/served")
    assert served == ModelInfo(
        canonical_id="acme/served",
        display_name="Served",  # its own field wins
        vendor="Acme",
        family="base",  # inherited
        release_date=date(2025, 3, 4),
        open_weights=True,
        aliases=("lab/base",),
    )
    assert {k: f.value for k, f in facts_of(batch, "acme/served").items()} == {
        Metric.PRICE_INPUT: 1.5,
        Metric.PRICE_OUTPUT: 0.0,  # an explicit zero is a price
        Metric.CONTEXT_WINDOW: 50_000,  # the table merged key by key; output omitted
        "SciCode": 30.5,  # benchmarks are inherited too
    }
    kept = facts_of(batch, "acme/kept")  # no omissions: [limit] output comes from the base
    assert (kept[Metric.CONTEXT_WINDOW].value, kept[Metric.MAX_OUTPUT].value) == (60_000, 8_000)
    assert model_of(batch, "acme/kept").display_name == "Base Model"
    # A base that is not in the folder: the provider file stands alone, named by its id.
    orphan = model_of(batch, "acme/orphan")
    assert (orphan.display_name, orphan.vendor, orphan.family) == ("acme/orphan", "Acme", "")
    assert set(facts_of(batch, "acme/orphan")) == {Metric.PRICE_INPUT, Metric.PRICE_OUTPUT}
    # The base is a model of its own as well, with its vendor's id where no provider names it.
    assert model_of(batch, "lab/base").vendor == "lab"
    assert facts_of(batch, "lab/base")[Metric.MAX_OUTPUT].value == 8_000


def test_models_dev_same_id_provider_and_lab_file_are_one_model() -> None:
    batch = read_folder(
        {
            "providers/lab/provider.toml": 'name = "Lab Inc"\n',
            "providers/lab/models/base.toml": (
                'name = "Base (API)"\nrelease_date = "2025-03"\n[cost]\ninput = 3\noutput = 15\n'
            ),
            "models/lab/base.toml": BASE,
        }
    )
    assert [m.canonical_id for m in batch.models] == ["lab/base"]
    base = batch.models[0]
    assert (base.display_name, base.vendor, base.release_date) == ("Base (API)", "Lab Inc", None)
    assert set(facts_of(batch, "lab/base")) == {
        Metric.PRICE_INPUT,
        Metric.PRICE_OUTPUT,
        Metric.CONTEXT_WINDOW,
        Metric.MAX_OUTPUT,
        "SciCode",
    }


def test_models_dev_benchmarks_map_to_the_seeds_names() -> None:
    entries = [
        ("Aider Polyglot", 64.9, "percent correct"),
        ("Artificial Analysis Coding Index", 16.6, "index"),
        ("SWE-Bench Verified", 79, "resolved"),
        ("Terminal-Bench Hard", 8.3, "success rate"),
        ("Terminal-Bench", 70.1, "pass@1"),  # not in the seed: left out
        ("SciCode", 30.0, "percent correct"),
        ("SciCode", 31.0, "percent correct"),  # given twice: which one? neither
    ]
    text = BASE.split("[[benchmarks]]")[0] + "".join(
        f'[[benchmarks]]\nname = "{n}"\nscore = {s}\nmetric = "{m}"\n' for n, s, m in entries
    )
    batch = read_folder({"models/lab/base.toml": text})
    scores = {k: (f.value, f.unit) for k, f in facts_of(batch, "lab/base").items()}
    assert scores == {
        Metric.CONTEXT_WINDOW: (100_000, "tokens"),
        Metric.MAX_OUTPUT: (8_000, "tokens"),
        "Aider Polyglot": (64.9, "%"),
        "Artificial Analysis Coding Index": (16.6, "points"),
        "SWE-bench Verified": (79.0, "%"),
        "Terminal-Bench Hard": (8.3, "%"),
    }


@pytest.mark.parametrize(
    ("files", "fragments"),
    [
        ({}, ("no model files",)),
        ({"models/lab/base.toml": "name = [unclosed"}, ("models/lab/base.toml", "not valid TOML")),
        ({"models/lab/base.toml": BASE.replace("100_000", '"lots"')}, ("'lots'", "not a number")),
        ({"models/lab/base.toml": BASE.replace("8_000", "8.5")}, ("whole number",)),
        ({"models/lab/base.toml": BASE.replace("30.5", '"high"')}, ("SciCode", "'high'")),
        ({"models/lab/base.toml": BASE.replace("score = 30.5\n", "")}, ("has no 'score'",)),
        ({"models/lab/base.toml": BASE.replace('name = "Base Model"\n', "")}, ("no 'name'",)),
        ({"models/lab/base.toml": BASE.replace("2025-03-04", "March")}, ("'March'",)),
        # The basic ISO form Python reads too is not the schema's YYYY-MM-DD.
        (
            {"models/lab/base.toml": BASE.replace("2025-03-04", "20250304")},
            ("'20250304'", "not a YYYY-MM-DD date"),
        ),
        ({"models/lab/base.toml": BASE.replace("= true", '= "yes"')}, ("open_weights",)),
        ({"models/lab/base.toml": BASE + "[cost]\ninput = -1\n"}, ("below zero",)),
        ({"models/lab/base.toml": 'name = "x"\nlimit = 5\n'}, ("'limit'", "not a [limit]")),
        ({"base.toml": BASE}, ("base.toml", "is not a providers/")),
        ({"providers/acme/models/m.toml": BASE}, ("no providers/acme/provider.toml",)),
        (
            {"providers/acme/provider.toml": "npm = 'x'\n", "models/lab/base.toml": BASE},
            ("providers/acme/provider.toml has no 'name'",),
        ),
        (
            {
                "providers/acme/provider.toml": PROVIDER,
                "providers/acme/models/m.toml": 'base_model = "base"\n',
            },
            ("'base'", "not '<lab>/<id>'"),
        ),
        (
            {
                "providers/acme/provider.toml": PROVIDER,
                "providers/acme/models/m.toml": 'name = "m"\nbase_model_omit = "limit"\n',
            },
            ("base_model_omit",),
        ),
    ],
)
def test_models_dev_rejects_malformed_folders(
    files: dict[str, str], fragments: tuple[str, ...]
) -> None:
    message = expect_error(lambda: read_folder(files), *fragments)
    assert message.startswith("models.dev data: ")


def test_models_dev_rejects_text_that_is_not_utf8() -> None:
    files = {"models/lab/base.toml": b"\xff\xfe\x00"}
    expect_error(lambda: read_folder(files), "models/lab/base.toml", "not UTF-8")


def test_folder_files_and_reused_ids() -> None:
    files = folder_files(MODELS_DEV)
    assert len(files) == 218
    assert all(path.endswith(".toml") for path in files)
    assert set(files) >= REUSED_ID_FILES
    left = folder_files(MODELS_DEV, leave_out=REUSED_ID_FILES)
    assert set(files) - set(left) == REUSED_ID_FILES
    ids = {m.canonical_id for m in read_dev(left).models}
    assert "deepseek/deepseek-chat" not in ids and "deepseek/deepseek-r1" in ids


def test_bundled_copies_are_described() -> None:
    origin = (SNAPSHOTS / "ORIGIN-extra.md").read_text(encoding="utf-8")
    assert "caa782393c139cb089a747f0382486153080edc13ce9378633b11bf3379235e9" in origin
    for path in ("epoch-ai/benchmarks_runs.csv", "models.dev/providers/", "models.dev/models/"):
        assert path in origin


# --- through the registry: the seed first, then both files ---------------------------------


async def test_importing_after_the_seed_adds_no_second_fact(store: SqlStore) -> None:
    registry = make_registry(store, FixedClock(datetime(2026, 8, 15, tzinfo=UTC)))
    await registry.import_batch(load_seed(), authoritative=True)
    seeded = await store.models.facts()
    before = len(seeded)
    # models.dev as the bundled import reads it: its copies of Aider runs traced to the runs,
    # so its copy of Claude 3.7 Sonnet's 32k-thinking 64.9 is the seed's fact of that run.
    reports = [
        await registry.import_batch(epoch()),
        await registry.import_batch(load_models_dev()),
    ]
    # Epoch's runs of seed models under a setting (Claude 3.7 Sonnet with a thinking budget),
    # which the seed leaves out, and the figures of GPT-4o mini, a seed model for its lineage
    # alone (the seed states none of its figures), are the only new facts; and models.dev's
    # prices and limits of three of the seed's 2026 launches, which state no figures either.
    assert [(r.facts_added, r.events) for r in reports] == [(17, ()), (18, ())]
    added = await store.models.facts()
    assert len(added) == before + 35
    new = set(added) - set(seeded)
    assert {f.model_id for f in new if not f.setting} == {
        "openai/gpt-4o-mini",
        "anthropic/claude-opus-4.8",
        "anthropic/claude-sonnet-5",
        "anthropic/claude-fable-5",
    }
    assert {f.setting for f in added if f.source_name.startswith("Epoch")} == {
        "",
        "16k thinking",
        "32k thinking",
        "64k thinking",
    }

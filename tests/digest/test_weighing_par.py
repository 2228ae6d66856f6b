"""A weighing line on the best-known benchmark both models have, also when the two are within its
margin of error: the line then says they are on par, and the writers (built-in and LLM) and the
conclusions do not read a gain into it. Passing over that benchmark for one further down where
the two differ would choose the benchmark by its result."""

from __future__ import annotations

from datetime import date

from aiprogress.core.factsheet import Weighing
from aiprogress.core.types import Language, ModelFact, ModelInfo
from aiprogress.digest.builtin import weighing_text
from aiprogress.digest.llm_prompt import model_line_fact
from aiprogress.digest.weighing import weigh

DAY = date(2025, 5, 1)
PRO = ModelInfo(
    canonical_id="google/gemini-2.0-pro", display_name="Gemini 2.0 Pro", vendor="Google"
)
FLASH = ModelInfo(
    canonical_id="google/gemini-2.0-flash", display_name="Gemini 2.0 Flash", vendor="Google"
)


def fact(model: ModelInfo, metric: str, value: float) -> ModelFact:
    return ModelFact(model.canonical_id, metric, value, "%", DAY, "Board", "https://b")


def weighed(pro_gpqa: float) -> Weighing:
    facts = {
        PRO.canonical_id: [fact(PRO, "GPQA Diamond", pro_gpqa), fact(PRO, "Aider Polyglot", 35.6)],
        FLASH.canonical_id: [
            fact(FLASH, "GPQA Diamond", 64.14),
            fact(FLASH, "Aider Polyglot", 22.2),
        ],
    }
    result = weigh(PRO, FLASH, facts)
    assert result is not None
    return result


def test_a_tie_on_the_best_known_benchmark_is_stated_as_on_par() -> None:
    line = weighed(65.66).benchmark
    assert line is not None
    # GPQA Diamond (198 questions) outranks Aider Polyglot: not the benchmark with the gap.
    assert (line.metric, line.delta) == ("GPQA Diamond", 1.52)
    assert line.margin is not None and 9.3 < line.margin < 9.5


def test_a_clear_difference_has_no_margin() -> None:
    line = weighed(80.0).benchmark
    assert line is not None
    assert (line.metric, line.margin) == ("GPQA Diamond", None)


def test_the_writers_say_on_par_and_no_gain() -> None:
    weighing = weighed(65.66)
    assert weighing_text(weighing, Language.EN) == (
        "Gemini 2.0 Pro against Gemini 2.0 Flash: on par on GPQA Diamond (65.66% versus "
        "64.14%, +1.52 points within the ±9.4 margin of error); no prices to weigh it against. "
        "Data: Board."
    )
    assert "вровень на GPQA Diamond" in weighing_text(weighing, Language.RU)
    assert weighing.benchmark is not None
    assert "on par, no gain or loss" in model_line_fact(weighing.benchmark)
    clear = weighed(80.0)
    assert clear.benchmark is not None
    assert "on par" not in model_line_fact(clear.benchmark)

"""A digest reads its models and its items' texts once, however many passes it makes."""

from __future__ import annotations

from aiprogress.digest.composer import Composer
from aiprogress.digest.figures import ModelVocabulary
from tests.digest.sheets import MODELS, rows


def test_one_models_list_makes_one_story_builder() -> None:
    # Ranking the period, listing the chosen items' models and building the sheet each built
    # the vocabulary and lineage of every model again (three times a digest).
    composer = Composer()
    models = list(MODELS)
    first = composer._story_builder(models)
    assert composer._story_builder(models) is first
    assert composer._story_builder(list(MODELS)) is not first  # another list: built afresh


def test_a_text_read_again_gives_the_same_names() -> None:
    vocabulary = ModelVocabulary(MODELS)
    for item, _ in rows():
        text = f"{item.title}\n{item.summary}"
        once = vocabulary.find(text)
        once.clear()  # the caller's list is its own
        assert vocabulary.find(text) == ModelVocabulary(MODELS).find(text)

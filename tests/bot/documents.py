"""A digest document for the renderers' tests (Telegram and Discord render the same one)."""

from __future__ import annotations

import re

from aiprogress.core.factsheet import DigestDocument, DocumentSource, DocumentStory, Point
from aiprogress.core.types import Language


def document(**changes: object) -> DigestDocument:
    values: dict[str, object] = {
        "language": Language.EN,
        "title": "Where is AI heading: the week to 14 August?",
        "thesis": "Two labs shipped models; one paper questioned the benchmarks.",
        "stories": (
            DocumentStory(
                "s1",
                "Lab A released Model X with a 1M-token context.",
                ("https://www.labA.example/news/x", "https://press.example/x"),
            ),
            DocumentStory("s2", "A paper argues benchmarks leak.", ("https://arxiv.org/abs/1",)),
        ),
        "causes": (Point("Compute", "Cheaper chips."),),
        "outlook": "Expect more long-context models.",
        "takeaways": (Point("Official announcements", "2 stories."),),
        "sources": (
            DocumentSource("Lab A blog", "https://www.labA.example/news/x"),
            DocumentSource("arXiv", "https://arxiv.org/abs/1"),
        ),
        "signoff": "Following the progress",
    }
    values.update(changes)
    return DigestDocument(**values)  # type: ignore[arg-type]


def squeeze(text: str) -> str:
    """The text without whitespace: what survives a cut at any space."""
    return re.sub(r"\s+", "", text)

"""Which of the ranked stories a digest tells (`pick_stories`): the best first, at most so many
led by one source."""

from __future__ import annotations

from aiprogress.core.digest_plan import pick_stories
from aiprogress.core.factsheet import Story, StorySource
from aiprogress.core.types import TrustTier

LAB = "https://lab.example/news.rss"
PRESS = "https://press.example/feed.xml"


def story(key: str, *outlets: str) -> Story:
    """A story told from the first outlet's item, carried by the others too."""
    return Story(
        key=key,
        title=key,
        summary="",
        sources=tuple(
            StorySource(
                name=outlet, url=f"{outlet}#{key}", trust_tier=TrustTier.OFFICIAL, outlet_url=outlet
            )
            for outlet in outlets
        ),
        item_ids=(),
    )


def keys(stories: list[Story]) -> list[str]:
    return [story.key for story in stories]


def test_a_source_leads_at_most_per_source_stories_and_the_next_best_take_their_place() -> None:
    ranked = [story("S1", LAB), story("S2", LAB), story("S3", LAB), story("S4", PRESS)]
    assert keys(pick_stories(ranked, per_source=2, limit=3)) == ["S1", "S2", "S4"]


def test_a_story_counts_against_its_lead_source_only() -> None:
    # The press carried both of the lab's launches: they are the lab's stories, not the press's.
    ranked = [story("S1", LAB, PRESS), story("S2", LAB, PRESS), story("S3", PRESS)]
    assert keys(pick_stories(ranked, per_source=2, limit=10)) == ["S1", "S2", "S3"]


def test_the_limit_keeps_the_best() -> None:
    ranked = [story(f"S{rank}", LAB if rank % 2 else PRESS) for rank in range(1, 9)]
    assert keys(pick_stories(ranked, per_source=5, limit=3)) == ["S1", "S2", "S3"]

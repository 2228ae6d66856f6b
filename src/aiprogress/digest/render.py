"""A digest document as plain text (console, stored body) and as JSON (storage, `--json`).

Platform renderers (Telegram HTML, Discord markdown) live with the bots; they read the same
document, so no writer's output is ever markup.
"""

from __future__ import annotations

from typing import Any

from aiprogress.core.factsheet import DigestDocument, DocumentSource, DocumentStory, Point
from aiprogress.core.messages import message
from aiprogress.core.types import Language


def render_text(document: DigestDocument) -> str:
    """The body under the title: thesis, 🔘 stories with their links, ▪️ causes, the outlook,
    "What we see" ●, sources one per line, the sign-off."""
    language = document.language
    blocks = [document.thesis]
    for story in document.stories:
        blocks.append("\n".join([f"🔘 {story.text}", *story.links]))
    if document.more:
        lines = [message("digest.more", language)]
        lines += [f"• {story.text}\n{' '.join(story.links)}" for story in document.more]
        blocks.append("\n".join(lines))
    for cause in document.causes:
        blocks.append(f"▪️ {cause.lead}. {cause.text}" if cause.lead else f"▪️ {cause.text}")
    if document.outlook:
        blocks.append(document.outlook)
    if document.takeaways:
        lines = [message("digest.what_we_see", language)]
        lines += [f"● {point.lead}. {point.text}" for point in document.takeaways]
        blocks.append("\n".join(lines))
    if document.sources:
        # Outlets by name (their items are linked under the stories), the knowledge base's
        # sources with their address (nothing above links them).
        lines = [message("digest.sources", language)]
        lines += [
            f"● {source.name}"
            if source.links or not source.url
            else f"● {source.name}: {source.url}"
            for source in document.sources
        ]
        blocks.append("\n".join(lines))
    if document.signoff:
        blocks.append(document.signoff)
    return "\n\n".join(block for block in blocks if block)


def document_to_json(document: DigestDocument) -> dict[str, Any]:
    return {
        "language": document.language.value,
        "title": document.title,
        "thesis": document.thesis,
        "stories": [
            {"story": s.story, "text": s.text, "links": list(s.links)} for s in document.stories
        ],
        "causes": [{"lead": p.lead, "text": p.text} for p in document.causes],
        "outlook": document.outlook,
        "takeaways": [{"lead": p.lead, "text": p.text} for p in document.takeaways],
        "sources": [
            {"name": s.name, "url": s.url, "links": list(s.links)} for s in document.sources
        ],
        "signoff": document.signoff,
        "more": [{"story": s.story, "text": s.text, "links": list(s.links)} for s in document.more],
    }


def document_from_json(data: dict[str, Any]) -> DigestDocument:
    return DigestDocument(
        language=Language(data["language"]),
        title=data["title"],
        thesis=data["thesis"],
        stories=tuple(
            DocumentStory(s["story"], s["text"], tuple(s["links"])) for s in data["stories"]
        ),
        causes=tuple(Point(p["lead"], p["text"]) for p in data["causes"]),
        outlook=data["outlook"],
        takeaways=tuple(Point(p["lead"], p["text"]) for p in data["takeaways"]),
        sources=tuple(
            DocumentSource(s["name"], s["url"], tuple(s.get("links", ()))) for s in data["sources"]
        ),
        signoff=data["signoff"],
        more=tuple(
            DocumentStory(s["story"], s["text"], tuple(s["links"])) for s in data.get("more", ())
        ),
    )

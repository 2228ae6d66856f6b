"""The LLM's answer read back: its JSON object as one document per language, or the problems
that make it unusable (the writer sends those back once)."""

from __future__ import annotations

import json
from typing import Any

from aiprogress.core.factsheet import DigestDocument, DocumentStory, FactSheet, Point
from aiprogress.core.messages import message
from aiprogress.core.types import Language
from aiprogress.digest.builtin import sources_of
from aiprogress.digest.llm_prompt import source_key

# Longest texts accepted from the model; longer answers are cut, not trusted to fit a message.
_LIMITS = {"title": 200, "thesis": 900, "text": 1200, "lead": 120, "outlook": 700}


def _text(data: Any, key: str, limit: str, problems: list[str], where: str) -> str:
    value = data.get(key, "") if isinstance(data, dict) else None
    if not isinstance(value, str):
        problems.append(f"{where}.{key} must be a string")
        return ""
    return value.strip()[: _LIMITS[limit]]


def _points(data: dict[str, Any], key: str, problems: list[str], where: str) -> tuple[Point, ...]:
    raw = data.get(key, [])
    if not isinstance(raw, list):
        problems.append(f"{where}.{key} must be a list")
        return ()
    return tuple(
        Point(
            _text(point, "lead", "lead", problems, f"{where}.{key}"),
            _text(point, "text", "text", problems, f"{where}.{key}"),
        )
        for point in raw[:6]
    )


def parse_answer(
    content: str, sheet: FactSheet
) -> tuple[dict[Language, DigestDocument], list[str]]:
    """The model's JSON as documents, or the problems that make it unusable."""
    problems: list[str] = []
    try:
        data = json.loads(content)
    except ValueError:
        return {}, ["the answer is not a JSON object"]
    if not isinstance(data, dict):
        return {}, ["the answer is not a JSON object"]
    documents: dict[Language, DigestDocument] = {}
    sources = sources_of(sheet)
    keys = {
        source_key(story, i): source.url
        for story in sheet.stories
        for i, source in enumerate(story.sources, start=1)
    }
    for language in Language:
        raw = data.get(language.value)
        if not isinstance(raw, dict):
            problems.append(f"the answer has no {language.value!r} object")
            continue
        where = language.value
        raw_stories = raw.get("stories", [])
        if not isinstance(raw_stories, list):
            problems.append(f"{where}.stories must be a list")
            raw_stories = []
        stories = []
        for part in raw_stories:
            key = str(part.get("story", "")) if isinstance(part, dict) else ""
            cited = part.get("sources", []) if isinstance(part, dict) else []
            links = []
            story = sheet.story(key)
            for ref in cited if isinstance(cited, list) else []:
                url = keys.get(str(ref))
                if url is None or story is None or url not in story.links:
                    problems.append(f"{where}: story {key} cites {ref!r}, not one of its sources")
                else:
                    links.append(url)
            stories.append(
                DocumentStory(
                    story=key,
                    text=_text(part, "text", "text", problems, f"{where}.stories"),
                    links=tuple(dict.fromkeys(links)),
                )
            )
        more = _more(raw, sheet, {part.story for part in stories}, problems, where)
        documents[language] = DigestDocument(
            language=language,
            title=_text(raw, "title", "title", problems, where),
            thesis=_text(raw, "thesis", "thesis", problems, where),
            stories=tuple(stories),
            causes=_points(raw, "causes", problems, where),
            outlook=_text(raw, "outlook", "outlook", problems, where) if "outlook" in raw else "",
            takeaways=_points(raw, "takeaways", problems, where),
            sources=sources,
            signoff=message("digest.signoff", language),
            more=more,
        )
        if not documents[language].title or not documents[language].thesis:
            problems.append(f"{where} needs a title and a thesis")
    return documents, problems


def _more(
    raw: dict[str, Any],
    sheet: FactSheet,
    analysed: set[str],
    problems: list[str],
    where: str,
) -> tuple[DocumentStory, ...]:
    """The stories listed by title, with all their links; a story the answer left out entirely
    is listed with its title as published, so every story is still there."""
    listed: dict[str, DocumentStory] = {}
    entries = raw.get("more", [])
    if not isinstance(entries, list):
        problems.append(f"{where}.more must be a list")
        entries = []
    for entry in entries:
        key = str(entry.get("story", "")) if isinstance(entry, dict) else ""
        story = sheet.story(key)
        if story is None:
            problems.append(f"{where}: story {key!r} under more is not in the facts")
            continue
        if key in analysed or key in listed:
            continue
        title = _text(entry, "title", "title", problems, f"{where}.more") or story.title
        listed[key] = DocumentStory(story=key, text=title, links=story.links)
    for story in sheet.stories:
        if story.key not in analysed and story.key not in listed:
            listed[story.key] = DocumentStory(story=story.key, text=story.title, links=story.links)
    return tuple(listed.values())

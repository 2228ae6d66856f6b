"""Which feed items report one piece of news.

The rule, measured on `tests/digest/data/grouping_pairs.json` (`bench/digest_quality.py`):

* The same link (scheme, `www.`, query, fragment and a trailing slash aside) is one story.
* Otherwise the items must be published within `WINDOW` of each other: a launch is reported by
  the lab, the press, the community and the model registries within a day or two, and a later
  post about the same thing (a follow-up, a second donation) is news of its own.
* A title that names a versioned model ("Claude Haiku 4.5", "nemotron-3-ultra", "GPT-4o mini",
  "Orion-2.2.1") is read as family + version + qualifiers. Two titles that name models are one
  story only when they share one of them; different names or versions are different news
  whatever the other words. A title that names a versioned model and one that names none are
  different news too, except for one outlet's companion posts of one moment: a launch and a
  post sharing at least `COMPANION_WORDS` content words with it ("Introducing computer use, a
  new Claude 3.5 Sonnet…" and "Developing a computer use model").
* One outlet's posts more than `SAME_OUTLET_GAP` apart are different news: an outlet does not
  announce one thing twice, so its later post about a model is a follow-up ("Llama 3" then
  "Llama 3 is not very censored" the next day). Its posts of one moment may be one launch (a
  model and its system card).
* Figures in titles ("$30 billion", "7,500 nodes") that differ mean different news.
* Titles without model names are one story when their content words mostly agree (Jaccard
  ≥ `MIN_WORD_OVERLAP` over at least two words each): one shared word ("Security") is not news.

Groups are complete-link: every pair inside a group passes the rule, so no A~B~C chains join A
and C. Pairs are considered strongest first in an order fixed by the items' own keys (time,
link, title), so the result does not depend on the order the items arrive in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

WINDOW = timedelta(days=2)
SAME_OUTLET_GAP = timedelta(hours=12)
MIN_WORD_OVERLAP = 0.6
COMPANION_WORDS = 2

# Strengths of a match: the same link beats a shared model name beats similar words.
SAME_LINK = 3.0
SAME_MODEL = 2.0


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words that say nothing about which news it is.
_STOP = _wordset(
    "a an the and or of to in on at by for from with into over up as is are was be its it our "
    "we you your their this that these those than about after before via vs more most another "
    "first how what why when where who new now today here"
)
_GENERIC = _wordset(
    "introducing introduces introduce announcing announces announced announce launching "
    "launches launched launch releasing releases released release unveils unveiled unveil "
    "meet hello available availability generally public preview latest update updates "
    "model models ai"
)
# Words that end a model name's family part on the left: they are never its family.
_NOT_FAMILY = (
    _STOP
    | _GENERIC
    | _wordset(
        "openai anthropic google deepmind meta nvidia microsoft mistral alibaba version series"
    )
)
# Words after a version that belong to the model's name ("GPT-4o mini", "Nemotron 3 Ultra").
_QUALIFIERS = _wordset(
    "mini nano micro tiny small medium large xl ultra pro max plus flash lite light lightning "
    "turbo instruct chat code coder vision vl guardian safeguard sonnet haiku opus omni air "
    "fast thinking reasoning preview exp experimental base"
)
# Words after a number that make it a quantity, not a version.
_UNITS = _wordset(
    "million billion trillion thousand percent x times nodes employees people users "
    "gigawatts gw mw tokens parameters params hours days weeks months years"
)

# Words after which a number labels something else than a model: a rung or a part of a thing
# ("AI Safety Level 3", "Responsible Scaling Policy: Version 3.0", "Requests for Research 2.0"),
# a bill, a standard, a filing or an authorisation ("SB 53", "ISO 42001", "S-1", "IL4/5"),
# a software library ("Ollama Python library 0.4"), a product or a game that is no model
# ("Microsoft 365", "Dota 2", "Win32"), a pre-release's number ("0.0.1-alpha.34"). Read as
# models, they made a policy post rank as a release.
_LABELS = _wordset(
    "level levels version phase part stage tier step round chapter season episode volume vol "
    "section article sb ab hb hr bill iso iec soc il s form library sdk microsoft office dota "
    "research alpha beta rc win windows"
)
# Dimensions ("3D point clouds"), never versions.
_DIMENSION = re.compile(r"\d+d")

_APOSTROPHE = re.compile(r"[’'`]s\b|[’'`]")
_LETTERS_THEN_DIGIT = re.compile(r"(?<=[a-z][a-z])(?=\d)")
_TOKEN = re.compile(r"\$?[a-z]?\d+(?:[.,]\d+)*[a-z]*%?|[a-z]+")
_YEAR = re.compile(r"(?:19|20)\d\d")
_QUANTITY = re.compile(r"\d+(?:\.\d+)?(?:k|m|b|bn|t)")


@dataclass(frozen=True, slots=True)
class NewsKey:
    """What the rule compares: a normalised link, the outlet, the models a title names, its
    figures and content words, and when the item appeared."""

    link: str
    outlet: str
    models: frozenset[str]
    figures: frozenset[str]
    words: frozenset[str]
    time: datetime
    title: str

    @property
    def order(self) -> tuple[datetime, str, str]:
        return (self.time, self.link, self.title)


def normalise_link(url: str) -> str:
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}"


def _tokens(title: str) -> list[str]:
    text = _APOSTROPHE.sub(" ", title.lower())
    text = _LETTERS_THEN_DIGIT.sub(" ", text)
    return _TOKEN.findall(text)


def _is_quantity(token: str, before: str | None, after: str | None) -> bool:
    if token.startswith("$") or token.endswith("%") or "," in token:
        return True
    if _YEAR.fullmatch(token) or _QUANTITY.fullmatch(token) or _DIMENSION.fullmatch(token):
        return True
    if before in _LABELS:
        return True
    # A number after a number is a range or a list ("IL4/5", "GPT-2: 6-month"), not a model.
    if before is not None and before[:1].isdigit():
        return True
    if after in _UNITS:
        return True
    # "to 7500", "another 20", or a number that opens the title: amounts, not names.
    return before is None or before in _STOP


def news_key(title: str, url: str, time: datetime, outlet: str) -> NewsKey:
    tokens = _tokens(title)
    models: set[str] = set()
    figures: set[str] = set()
    used: set[int] = set()
    for index, token in enumerate(tokens):
        if not any(ch.isdigit() for ch in token):
            continue
        before = tokens[index - 1] if index > 0 else None
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        if _is_quantity(token, before, after):
            figures.add(token.lstrip("$"))
            continue
        version = token[1:] if token[0] == "v" and token[1:2].isdigit() else token
        family = before if before is not None and before not in _NOT_FAMILY else ""
        qualifiers: list[str] = []
        for follower in tokens[index + 1 :]:
            if follower not in _QUALIFIERS:
                break
            qualifiers.append(follower)
        models.add(" ".join(part for part in (family, version, *qualifiers) if part))
        used.add(index)
    words = {
        token
        for index, token in enumerate(tokens)
        if index not in used and token not in _STOP and token not in _GENERIC
    }
    return NewsKey(
        link=normalise_link(url),
        outlet=outlet,
        models=frozenset(models),
        figures=frozenset(figures),
        words=frozenset(words - figures),
        time=time,
        title=title,
    )


def match_strength(a: NewsKey, b: NewsKey) -> float:
    """How surely `a` and `b` report one piece of news; 0.0 when they do not."""
    if a.link == b.link:
        return SAME_LINK
    gap = abs(a.time - b.time)
    if gap > WINDOW or (a.outlet == b.outlet and gap > SAME_OUTLET_GAP):
        return 0.0
    if a.figures and b.figures and not a.figures & b.figures:
        return 0.0
    overlap = _jaccard(a.words, b.words)
    if a.models and b.models:
        return SAME_MODEL + overlap if a.models & b.models else 0.0
    if a.models or b.models:
        companion = a.outlet == b.outlet and len(a.words & b.words) >= COMPANION_WORDS
        return overlap if companion else 0.0
    if min(len(a.words), len(b.words)) >= 2 and overlap >= MIN_WORD_OVERLAP:
        return overlap
    return 0.0


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def group(keys: Sequence[NewsKey]) -> list[list[int]]:
    """Indices of `keys` in groups of one piece of news (complete-link), each group in input
    order, the groups in order of their first member."""
    order = sorted(range(len(keys)), key=lambda index: (keys[index].order, index))
    rank = {index: position for position, index in enumerate(order)}
    edges: list[tuple[float, int, int]] = []
    for x, i in enumerate(order):
        for j in order[x + 1 :]:
            strength = match_strength(keys[i], keys[j])
            if strength > 0.0:
                edges.append((strength, i, j))
    edges.sort(key=lambda edge: (-edge[0], rank[edge[1]], rank[edge[2]]))
    linked = {(i, j) for _, i, j in edges} | {(j, i) for _, i, j in edges}
    group_of = {index: index for index in range(len(keys))}
    members: dict[int, list[int]] = {index: [index] for index in range(len(keys))}
    for _, i, j in edges:
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        if all((x, y) in linked for x in members[gi] for y in members[gj]):
            for moved in members.pop(gj):
                group_of[moved] = gi
                members[gi].append(moved)
    groups = [sorted(indices) for indices in members.values()]
    return sorted(groups, key=lambda indices: indices[0])

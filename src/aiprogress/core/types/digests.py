"""A digest as the writer produced it and as it is stored."""

from __future__ import annotations

from datetime import datetime

from aiprogress.core.types._value import value_type
from aiprogress.core.types.common import Language, Period


@value_type
class DigestDraft:
    """A digest as the writer produced it, before it is stored. `document` and `fact_sheet`
    (JSON) let any post be rendered again and traced to the facts it was written from."""

    period: Period
    language: Language
    window_start: datetime
    window_end: datetime
    title: str
    body: str
    item_ids: tuple[int, ...]
    writer: str
    verdict: str = ""
    filter_key: str = ""
    filter_spec: str = ""
    sheet_hash: str | None = None
    model: str = ""
    prompt_version: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None
    problems: tuple[str, ...] = ()
    document: str = ""
    fact_sheet: str = ""


# Keyword-only: the draft's fields have defaults, and a stored digest's own have none.
@value_type(kw_only=True)
class Digest(DigestDraft):
    """A digest as stored: its id and when it was written."""

    id: int
    created_at: datetime

"""What every importer shares: reading a document, checking numbers, converting prices."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from aiprogress.core.errors import ImportFormatError
from aiprogress.core.types import ModelFact, Unit

TOKENS = Unit.TOKENS
USD_PER_MTOK = Unit.USD_PER_MTOK
_PER_MILLION = Decimal(1_000_000)


class FactList:
    """Collects one document's facts, each stamped with the source and its date."""

    def __init__(self, *, as_of: date, source_name: str, source_url: str) -> None:
        self.as_of = as_of
        self.source_name = source_name
        self.source_url = source_url
        self.facts: list[ModelFact] = []

    def add(
        self,
        model_id: str,
        metric: str,
        value: float,
        unit: str,
        *,
        as_of: date | None = None,
        setting: str = "",
        source_model: str = "",
        copy_of: str = "",
        keep_label: bool = False,
    ) -> None:
        """`keep_label` keeps `source_model` even where it is the record's own id: a run label
        that names a checkpoint ("DeepSeek V3 (0324)") and must reach the fact after the
        registry maps the record to its model."""
        self.facts.append(
            ModelFact(
                model_id=model_id,
                metric=metric,
                value=value,
                unit=unit,
                as_of=as_of or self.as_of,
                source_name=self.source_name,
                source_url=self.source_url,
                setting=setting,
                source_model=source_model if keep_label or source_model != model_id else "",
                copy_of=copy_of,
            )
        )


def fail(kind: str, message: str) -> ImportFormatError:
    """The error an importer raises: one line, naming the file kind and the entry."""
    return ImportFormatError(f"{kind}: {message}")


def load_json(document: bytes, kind: str) -> object:
    try:
        return json.loads(document)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are both ValueErrors
        raise fail(kind, f"not valid JSON ({_first_line(exc)})") from exc


def decode_text(document: bytes, kind: str) -> str:
    try:
        return document.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(kind, f"not UTF-8 text ({_first_line(exc)})") from exc


def read_csv(
    document: bytes, kind: str, required: tuple[str, ...]
) -> tuple[list[tuple[int, list[str]]], dict[str, int]]:
    """The non-blank data rows (with their line numbers) and the column index by header name;
    a file that is not CSV, is empty, or lacks a required column is an `ImportFormatError`."""
    content = decode_text(document, kind)
    try:
        rows = list(csv.reader(io.StringIO(content, newline="")))
    except csv.Error as exc:
        raise fail(kind, f"not readable as CSV ({exc})") from exc
    if not rows:
        raise fail(kind, "the file is empty")
    header = [cell.strip() for cell in rows[0]]
    missing = [column for column in required if column not in header]
    if missing:
        raise fail(kind, f"the header has no {', '.join(repr(c) for c in missing)} column")
    data = [
        (line, row)
        for line, row in enumerate(rows[1:], start=2)
        if any(cell.strip() for cell in row)  # blank lines are not rows
    ]
    return data, {name: header.index(name) for name in header}


def cell(row: list[str], column: dict[str, int], name: str) -> str:
    """A row's value in a named column, stripped; empty when the row is short."""
    index = column.get(name)
    return row[index].strip() if index is not None and index < len(row) else ""


def number(value: object, kind: str, where: str, field: str) -> Decimal | None:
    """A finite number from an int, a float or a numeric string; None when the value is absent.

    Anything else (a boolean, "abc", NaN, a list) is a format error."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise fail(kind, f"{where} has {field} {value!r}, not a number")
    try:
        parsed = Decimal(value.strip() if isinstance(value, str) else repr(value))
    except InvalidOperation:
        parsed = Decimal("NaN")
    if not parsed.is_finite():
        raise fail(kind, f"{where} has {field} {value!r}, not a number")
    return parsed


def whole_number(value: object, kind: str, where: str, field: str) -> int | None:
    """A token count: a non-negative whole number, or None when absent."""
    parsed = number(value, kind, where, field)
    if parsed is None:
        return None
    if parsed != parsed.to_integral_value() or parsed < 0:
        raise fail(kind, f"{where} has {field} {value!r}, not a whole number of tokens")
    return int(parsed)


def per_million(usd_per_token: Decimal) -> float:
    """USD per token to USD per 1M tokens, without float noise (7.5e-05 -> 75.0)."""
    return round(float(usd_per_token * _PER_MILLION), 6)


def iso_date(value: object, kind: str, where: str, field: str) -> date | None:
    """A date from YAML's own date type or a YYYY-MM-DD string; None when absent."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise fail(kind, f"{where} has {field} {value!r}, not a YYYY-MM-DD date")


def keyed_entry(
    entry: object, kind: str, label: str, key: str, *, shape: str
) -> tuple[Mapping[str, Any], str]:
    """One entry of a document's list, and the model id it names under `key`; the importer's
    error, naming the entry by `label` ("run 3"), when it is not `shape` ("a mapping") or
    names no id."""
    if not isinstance(entry, Mapping):
        raise fail(kind, f"{label} is not {shape}")
    model_id = text(entry.get(key))
    if not model_id:
        raise fail(kind, f"{label} has no {key!r}")
    return entry, model_id


def text(value: object) -> str:
    """A string field, stripped; '' for anything that is not a string."""
    return value.strip() if isinstance(value, str) else ""


def unique(names: list[str], *, besides: str) -> tuple[str, ...]:
    """Names in first-seen order, without blanks, repeats, or the id they are aliases of."""
    seen: dict[str, None] = {}
    for name in names:
        if name and name != besides:
            seen.setdefault(name, None)
    return tuple(seen)


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__

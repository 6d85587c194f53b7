"""JSON and JSON Lines: one object per row with English keys, Japanese left unescaped."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from typing import Any

from kb.export.tabular import FACTS, Layout, figure_text, source_name
from kb.models import ExportRow

JSON_KEYS: tuple[str, ...] = (
    "topic",
    "figure",
    "value",
    "value_max",
    "unit",
    "qualifier",
    "kind",
    "sentence",
    "title",
    "date",
    "post_id",
    "line",
    "file",
    "url",
    "surface",
)

SEARCH_JSON_KEYS: tuple[str, ...] = ("post_id", "title", "date", "heading", "passage", "line", "file", "url")


def _finite(value: float | None) -> float | int | None:
    """A number for JSON: int when integral, None for NaN and infinities (not valid JSON)."""
    if value is None or isinstance(value, int):
        return value
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def row_object(row: ExportRow) -> dict[str, Any]:
    """A fact as a JSON object; keys always present (null when empty), in JSON_KEYS order."""
    value = row.value if isinstance(row.value, str) else _finite(row.value)
    return {
        "topic": row.topic,
        "figure": figure_text(row),
        "value": value,
        "value_max": _finite(row.value_max),
        "unit": row.unit,
        "qualifier": row.qualifier,
        "kind": row.kind,
        "sentence": row.sentence,
        "title": row.title,
        "date": row.date,
        "post_id": row.post_id,
        "line": row.line,
        "file": source_name(row.source) or None,
        "url": row.url or None,
        "surface": row.surface,
    }


def hit_object(row: ExportRow) -> dict[str, Any]:
    """A search hit's passage as a JSON object, in SEARCH_JSON_KEYS order."""
    return {
        "post_id": row.post_id,
        "title": row.title,
        "date": row.date,
        "heading": row.topic,
        "passage": row.sentence,
        "line": row.line,
        "file": source_name(row.source) or None,
        "url": row.url or None,
    }


def _objects(
    rows: Sequence[ExportRow], layout: Layout, tick: Callable[[], None] | None
) -> list[dict[str, Any]]:
    convert = row_object if layout is FACTS else hit_object
    out: list[dict[str, Any]] = []
    for row in rows:
        out.append(convert(row))
        if tick is not None:
            tick()
    return out


def render_json(
    rows: Sequence[ExportRow], layout: Layout = FACTS, tick: Callable[[], None] | None = None
) -> str:
    return json.dumps(_objects(rows, layout, tick), ensure_ascii=False, indent=2) + "\n"


def render_jsonl(
    rows: Sequence[ExportRow], layout: Layout = FACTS, tick: Callable[[], None] | None = None
) -> str:
    return "".join(json.dumps(obj, ensure_ascii=False) + "\n" for obj in _objects(rows, layout, tick))

"""JSON and JSON Lines: one object per row with English keys, Japanese left unescaped."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from kb.export.tabular import figure_text
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
    "location",
    "line",
    "post_id",
    "surface",
)


def _finite(value: float | None) -> float | int | None:
    """A number for JSON: int when integral, None for NaN and infinities (not valid JSON)."""
    if value is None or isinstance(value, int):
        return value
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def row_object(row: ExportRow) -> dict[str, Any]:
    """A row as a JSON object; keys always present (null when empty), in JSON_KEYS order."""
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
        "location": row.location,
        "line": row.line,
        "post_id": row.post_id,
        "surface": row.surface,
    }


def render_json(rows: Sequence[ExportRow]) -> str:
    return json.dumps([row_object(row) for row in rows], ensure_ascii=False, indent=2) + "\n"


def render_jsonl(rows: Sequence[ExportRow]) -> str:
    return "".join(json.dumps(row_object(row), ensure_ascii=False) + "\n" for row in rows)

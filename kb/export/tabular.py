"""The export table: columns, header and kind labels, and each row's cell values, shared by all writers."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from kb.errors import ExportError
from kb.export import messages
from kb.models import ExportRow
from kb.text.numfmt import RANGE_SEP, japanese_figure, plain_number
from kb.vocab import kind_label, with_qualifiers

Cell = str | int | float | None

HEADER_STYLES: tuple[str, ...] = ("ja", "en")


@dataclass(frozen=True, slots=True)
class Column:
    """One export column: its key, its two header labels and how wide it may be drawn."""

    key: str
    ja: str
    en: str
    min_width: int
    max_width: int
    wrap: bool = False

    def label(self, headers: str) -> str:
        return self.ja if headers == "ja" else self.en


COLUMNS: tuple[Column, ...] = (
    Column("topic", "項目", "topic", 10, 30),
    Column("figure", "数値", "figure", 8, 24),
    Column("value", "値", "value", 8, 18),
    Column("unit", "単位", "unit", 6, 10),
    Column("note", "補足", "note", 8, 24),
    Column("kind", "種別", "kind", 6, 10),
    Column("sentence", "原文", "sentence", 30, 60, wrap=True),
    Column("title", "出典", "source", 16, 40),
    Column("date", "日付", "date", 12, 12),
    Column("location", "URL/ファイル", "url_or_file", 16, 40),
    Column("line", "位置", "line", 6, 8),
)

COLUMN_INDEX: dict[str, int] = {column.key: i for i, column in enumerate(COLUMNS)}

NO_TOPIC: dict[str, str] = {"ja": "(見出しなし)", "en": "(no heading)"}
RANGE_LABEL: dict[str, str] = {"ja": "範囲", "en": "range"}
NOTE_JOINER: dict[str, str] = {"ja": "、", "en": "; "}

# Where each string field of an ExportRow shows up, for messages about a cell.
FIELD_COLUMN: dict[str, str] = {
    "topic": "topic",
    "surface": "figure",
    "value": "value",
    "unit": "unit",
    "qualifier": "note",
    "kind": "kind",
    "sentence": "sentence",
    "title": "title",
    "date": "date",
    "location": "location",
}


def check_headers(headers: str) -> str:
    if headers not in HEADER_STYLES:
        raise ExportError(messages.unknown_option("--headers", headers, HEADER_STYLES))
    return headers


def header_labels(headers: str) -> list[str]:
    return [column.label(headers) for column in COLUMNS]


def column_label(key: str, headers: str) -> str:
    return COLUMNS[COLUMN_INDEX[key]].label(headers)


def topic_label(topic: str | None, headers: str) -> str:
    """A topic as a heading or sheet name: one line, and a placeholder for text before any heading."""
    if topic is None or not topic.strip():
        return NO_TOPIC[headers]
    return " ".join(topic.split())


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def number_cell(value: float | str | None) -> Cell:
    """The value column: an int when integral, a float otherwise, a string (ISO date) as is."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    if not math.isfinite(value):
        return None
    if value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def is_range(row: ExportRow) -> bool:
    return is_number(row.value) and row.value_max is not None and row.value_max != row.value


def figure_text(row: ExportRow) -> str | None:
    """The 数値 column: a quantity as a Japanese reader writes it, other facts as written, hits empty."""
    if row.kind == "passage":
        return None
    if row.kind == "quantity" and is_number(row.value):
        return japanese_figure(row.value, row.unit, row.value_max, row.surface)
    if row.surface:
        return row.surface
    return row.value if isinstance(row.value, str) else None


def figure_with_qualifier(row: ExportRow) -> str | None:
    """The figure with its qualifiers where a reader expects them: 約168万人, 168万人以上, 延べ1400万人."""
    figure = figure_text(row)
    if figure is None or row.kind != "quantity" or not is_number(row.value):
        return figure
    return with_qualifiers(figure, row.qualifier)


def note_text(row: ExportRow, headers: str) -> str | None:
    """The 補足 column: the qualifier, and for a range its two ends ("範囲 20〜30")."""
    parts: list[str] = []
    if row.qualifier:
        parts.append(row.qualifier)
    if is_range(row):
        assert isinstance(row.value, int | float) and row.value_max is not None
        ends = plain_number(row.value) + RANGE_SEP + plain_number(row.value_max)
        parts.append(f"{RANGE_LABEL[headers]} {ends}")
    return NOTE_JOINER[headers].join(parts) if parts else None


def row_cells(row: ExportRow, headers: str) -> list[Cell]:
    """One row's cells in COLUMNS order; None where a cell is empty."""
    passage = row.kind == "passage"
    return [
        row.topic,
        figure_text(row),
        None if passage else number_cell(row.value),
        None if passage else row.unit,
        None if passage else note_text(row, headers),
        kind_label(row.kind, headers),
        row.sentence,
        row.title,
        row.date,
        row.location,
        row.line,
    ]


def cell_text(cell: Cell) -> str:
    """A cell as text for the text formats: numbers without float noise, None as ""."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    return plain_number(cell)


K = TypeVar("K", bound=Hashable)


def group_rows(rows: Iterable[ExportRow], key: Callable[[ExportRow], K]) -> list[tuple[K, list[ExportRow]]]:
    """Rows grouped by key, groups in order of first appearance, rows in their original order."""
    groups: dict[K, list[ExportRow]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return list(groups.items())


def display_width(text: str) -> int:
    """Columns the text takes in a monospaced East Asian font: wide and ambiguous characters count 2."""
    widest = 0
    for line in text.split("\n"):
        width = 0
        for i, ch in enumerate(line):
            if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
                continue
            emoji = line[i + 1 : i + 2] == "\ufe0f"  # emoji presentation (◼️) is drawn wide
            width += 2 if emoji or unicodedata.east_asian_width(ch) in ("W", "F", "A") else 1
        widest = max(widest, width)
    return widest


def column_widths(header: Sequence[str], rows: Iterable[Sequence[Cell]], sample: int = 2000) -> list[int]:
    """Column widths for a sheet: the widest cell of the first `sample` rows, within each column's bounds."""
    widths = [display_width(label) for label in header]
    for n, cells in enumerate(rows):
        if n >= sample:
            break
        for i, cell in enumerate(cells):
            if cell is not None:
                widths[i] = max(widths[i], display_width(cell_text(cell)))
    return [
        min(max(width + 2, column.min_width), column.max_width)
        for width, column in zip(widths, COLUMNS, strict=True)
    ]

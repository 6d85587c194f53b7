"""The export tables: the columns of a facts export and of a search export, header and kind labels, and
each row's cell values, shared by all writers."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar

from kb.errors import ExportError
from kb.export import messages
from kb.models import ExportRow
from kb.record import record
from kb.text.numfmt import RANGE_SEP, japanese_figure, plain_number
from kb.vocab import DATE_UNIT_LABELS, kind_label, with_qualifiers

Cell = str | int | float | None

HEADER_STYLES: tuple[str, ...] = ("ja", "en")

# What a cell holds, so each writer can type it: text, a number (the exact value), a post date,
# a post number (#12), a source line, a URL.
TEXT, NUMBER, DATE, POST, LINE, URL = "text", "number", "date", "post", "line", "url"

# A text cell starting with one of these is a formula (or the start of one) to Excel and LibreOffice.
FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


@record(frozen=True, slots=True)
class Column:
    """One export column: its key, its two header labels, how wide it may be drawn, what it holds."""

    key: str
    ja: str
    en: str
    min_width: int
    max_width: int
    wrap: bool = False
    holds: str = TEXT

    def label(self, headers: str) -> str:
        return self.ja if headers == "ja" else self.en


@record(frozen=True, slots=True)
class Layout:
    """The columns of one kind of export, and where each ExportRow field shows up in them."""

    name: str  # "facts" | "search"
    columns: tuple[Column, ...]
    fields: dict[str, str]  # ExportRow field -> column key (for messages about a cell)

    def labels(self, headers: str) -> list[str]:
        return [column.label(headers) for column in self.columns]

    def index(self, key: str) -> int:
        for i, column in enumerate(self.columns):
            if column.key == key:
                return i
        raise KeyError(key)

    def keys(self) -> list[str]:
        return [column.key for column in self.columns]

    def field_label(self, field_name: str, headers: str) -> str:
        return self.columns[self.index(self.fields[field_name])].label(headers)

    def cells(self, row: ExportRow, headers: str) -> list[Cell]:
        """One row's cells in column order; None where a cell is empty."""
        values = cell_values(row, headers)
        return [values[column.key] for column in self.columns]


# Widths are in Excel's unit (digit widths of Calibri 11). A facts sheet of typical rows is about 200
# wide, which prints one A4 landscape page wide at about 70 %; 原文 is always the widest column.
# A title of 20 wide characters fits on two lines: most rows are two lines high.
# Words shared with the terminal and pipe views (kb.views.words): 投稿, タイトル, 日付, 行, ファイル.
_POST = Column("post", "投稿", "post", 6, 7, holds=POST)
_TITLE = Column("title", "タイトル", "title", 12, 24, wrap=True)
_DATE = Column("date", "日付", "date", 11, 11, holds=DATE)
_LINE = Column("line", "行", "line", 5, 6, holds=LINE)
_FILE = Column("file", "ファイル", "file", 10, 16, wrap=True)
_URL = Column("url", "URL", "url", 8, 20, wrap=True, holds=URL)

FACTS = Layout(
    "facts",
    (
        Column("topic", "項目", "topic", 10, 16, wrap=True),
        Column("figure", "数値", "figure", 8, 14, wrap=True),
        Column("value", "値", "value", 8, 22, holds=NUMBER),
        Column("unit", "単位", "unit", 6, 10),
        Column("note", "補足", "note", 6, 12, wrap=True),
        Column("kind", "種別", "kind", 6, 8),
        Column("sentence", "原文", "sentence", 30, 50, wrap=True),
        _TITLE,
        _DATE,
        _POST,
        _LINE,
        _FILE,
        _URL,
    ),
    {
        "topic": "topic",
        "surface": "figure",
        "value": "value",
        "unit": "unit",
        "qualifier": "note",
        "kind": "kind",
        "sentence": "sentence",
        "title": "title",
        "date": "date",
        "source": "file",
        "url": "url",
    },
)

SEARCH = Layout(
    "search",
    (
        _POST,
        _TITLE,
        _DATE,
        Column("heading", "見出し", "heading", 10, 20, wrap=True),
        Column("passage", "本文", "passage", 40, 70, wrap=True),
        _LINE,
        _FILE,
        _URL,
    ),
    {
        "topic": "heading",
        "sentence": "passage",
        "title": "title",
        "date": "date",
        "source": "file",
        "url": "url",
    },
)

LAYOUTS: dict[str, Layout] = {FACTS.name: FACTS, SEARCH.name: SEARCH}

NO_TOPIC: dict[str, str] = {"ja": "(見出しなし)", "en": "(no heading)"}
RANGE_LABEL: dict[str, str] = {"ja": "範囲", "en": "range"}
NOTE_JOINER: dict[str, str] = {"ja": "、", "en": "; "}


def check_headers(headers: str) -> str:
    if headers not in HEADER_STYLES:
        raise ExportError(messages.unknown_option("--headers", headers, HEADER_STYLES))
    return headers


def layout_of(name: str) -> Layout:
    layout = LAYOUTS.get(name)
    if layout is None:
        raise ExportError(messages.unknown_option("layout", name, tuple(LAYOUTS)))
    return layout


def topic_label(topic: str | None, headers: str) -> str:
    """A topic as a heading or sheet name: one line, and a placeholder for text before any heading."""
    if topic is None or not topic.strip():
        return NO_TOPIC[headers]
    return " ".join(topic.split())


def source_name(source: str) -> str:
    """The name of a post's file without the folders of the machine it was imported on
    (/home/a/blog/2018/entry.txt -> entry.txt, C:\\Users\\a\\entry.txt -> entry.txt); a URL or a
    pseudo-name such as <stdin> as it is."""
    if not source or source.startswith("<") or "://" in source:
        return source
    name = source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return name or source


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
    """The figure with its qualifiers where a reader expects them: 約32万人, 32万人以上, 延べ18万人."""
    figure = figure_text(row)
    if figure is None or row.kind != "quantity" or not is_number(row.value):
        return figure
    return with_qualifiers(figure, row.qualifier)


def unit_text(row: ExportRow, headers: str) -> str | None:
    """The 単位 column: a quantity's unit; for a date, its precision in words (年, 月日, 相対)."""
    if row.kind == "date" and row.unit in DATE_UNIT_LABELS:
        return DATE_UNIT_LABELS[row.unit](headers)
    return row.unit


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


def cell_values(row: ExportRow, headers: str) -> dict[str, Cell]:
    """Every column's cell for a row, by column key (both layouts)."""
    passage = row.kind == "passage"
    return {
        "topic": row.topic,
        "heading": row.topic,
        "figure": figure_text(row),
        "value": None if passage else number_cell(row.value),
        "unit": None if passage else unit_text(row, headers),
        "note": None if passage else note_text(row, headers),
        "kind": kind_label(row.kind, headers),
        "sentence": row.sentence,
        "passage": row.sentence,
        "title": row.title,
        "date": row.date,
        "post": row.post_id,
        "line": row.line,
        "file": source_name(row.source) or None,
        "url": row.url or None,
    }


def cell_text(cell: Cell, column: Column | None = None) -> str:
    """A cell as text for the text formats: numbers without float noise, a post as #12, None as ""."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if column is not None and column.holds == POST:
        return f"#{plain_number(cell)}"
    return plain_number(cell)


def neutralise(text: str) -> str:
    """A text cell a spreadsheet will not run: one that starts like a formula gets a leading "'"."""
    return "'" + text if text.startswith(FORMULA_START) else text


K = TypeVar("K", bound=Hashable)


def group_rows(rows: Iterable[ExportRow], key: Callable[[ExportRow], K]) -> list[tuple[K, list[ExportRow]]]:
    """Rows grouped by key, groups in order of first appearance, rows in their original order."""
    groups: dict[K, list[ExportRow]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return list(groups.items())


def char_width(line: str, i: int) -> int:
    """Columns the i-th character of a line takes in a monospaced East Asian font (0, 1 or 2)."""
    ch = line[i]
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    emoji = line[i + 1 : i + 2] == "\ufe0f"  # emoji presentation (◼️) is drawn wide
    return 2 if emoji or unicodedata.east_asian_width(ch) in ("W", "F", "A") else 1


def line_widths(text: str) -> list[int]:
    """The display width of each line of the text."""
    return [sum(char_width(line, i) for i in range(len(line))) for line in text.split("\n")]


def display_width(text: str) -> int:
    """Columns the text takes in a monospaced East Asian font: wide and ambiguous characters count 2."""
    return max(line_widths(text))


def column_widths(
    columns: Sequence[Column], header: Sequence[str], rows: Iterable[Sequence[Cell]], sample: int = 2000
) -> list[int]:
    """Column widths for a sheet: the widest cell of the first `sample` rows, within each column's bounds."""
    widths = [display_width(label) for label in header]
    for n, cells in enumerate(rows):
        if n >= sample:
            break
        for i, cell in enumerate(cells):
            if cell is None:
                continue
            if columns[i].holds == NUMBER and is_number(cell):
                text = f"{cell:,}"  # shown with thousands separators
            else:
                text = cell_text(cell, columns[i])
            widths[i] = max(widths[i], display_width(text))
    return [
        min(max(width + 2, column.min_width), column.max_width)
        for width, column in zip(widths, columns, strict=True)
    ]

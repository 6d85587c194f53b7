"""Excel workbooks (openpyxl, imported lazily) that read on screen and print on paper.

On screen: a styled header, a frozen pane, an autofilter, typed cells (numbers with thousands
separators, post dates as dates, URLs as links). On paper: A4 landscape, one page wide, the header
row repeated on every page, and row heights for the wrapped cells (openpyxl cannot autosize: the
heights are estimated from the text's display width and the column's width).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from kb.errors import ExportError
from kb.export import messages
from kb.export.tabular import (
    DATE,
    FACTS,
    LINE,
    NUMBER,
    POST,
    URL,
    Cell,
    Column,
    Layout,
    char_width,
    column_widths,
    group_rows,
    topic_label,
)
from kb.models import ExportRow
from kb.vocab import kind_label

SHEET_PER: tuple[str, ...] = ("topic", "kind")
SHEET_TITLE: dict[str, str] = {"ja": "エクスポート", "en": "export"}
MAX_SHEET_NAME = 31  # Excel's limit, in UTF-16 code units
MAX_CELL_CHARS = 32767  # Excel's limit for the text of one cell
HEADER_FILL = "DDEBF7"
DATE_FORMAT = "yyyy-mm-dd"
INTEGER_FORMAT = "#,##0"
POST_FORMAT = '"#"0'  # the post number stays a number (it sorts) and reads #12 as everywhere in kb
LINE_FORMAT = "0"
MAX_DECIMALS = 10

# Row heights, in points. A line of Japanese text in Excel's and LibreOffice's fallback fonts is
# taller than a line of Latin text in Calibri 11 (15 pt, Excel's default row).
LATIN_LINE_PT = 15.0
WIDE_LINE_PT = 18.0
ROW_PADDING_PT = 2.0
MAX_ROW_PT = 409.0  # Excel's limit
# A wide character is about two digit widths of Calibri 11 in Excel's fallback fonts (MS Pゴシック,
# 游ゴシック: 15 px against 7 px), a little less in LibreOffice's; a cell keeps about one digit
# width of padding.
WIDTH_FACTOR = 1.05
CELL_PADDING = 1.0

# Print setup: A4 landscape, margins in inches (openpyxl's unit): 1 cm sides, 1.5 cm top and bottom.
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.6, "header": 0.3, "footer": 0.3}
PAGE_FOOTER = "&P / &N"

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Characters XML 1.0 cannot carry (openpyxl refuses them), and lone surrogates.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_RESERVED_SHEET_NAMES = frozenset({"history"})


def _truncate_utf16(text: str, limit: int) -> str:
    out: list[str] = []
    used = 0
    for ch in text:
        size = 2 if ord(ch) > 0xFFFF else 1
        if used + size > limit:
            break
        out.append(ch)
        used += size
    return "".join(out)


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name: no []:*?/\\, no edge apostrophes, at most 31 characters.

    `taken` holds the case-folded names already used (Excel compares sheet names without case)
    and is updated with the returned name.
    """
    base = _SHEET_FORBIDDEN.sub("_", " ".join(name.split())).strip("'").strip() or "Sheet"
    if base.casefold() in _RESERVED_SHEET_NAMES:
        base += "_"
    candidate = _truncate_utf16(base, MAX_SHEET_NAME)
    n = 1
    while candidate.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = _truncate_utf16(base, MAX_SHEET_NAME - len(suffix)).rstrip() + suffix
    taken.add(candidate.casefold())
    return candidate


def _post_date(text: str) -> dt.date | str:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text  # a partial or odd date stays text rather than being guessed


class _Cleaner:
    """Strips what a workbook cannot hold and counts it, so the export reports it once."""

    def __init__(self) -> None:
        self.removed = 0
        self.truncated = 0

    def __call__(self, text: str) -> str:
        text, n = _ILLEGAL.subn("", text)
        self.removed += n
        if len(text) > MAX_CELL_CHARS:
            self.truncated += 1
            text = text[:MAX_CELL_CHARS]
        return text

    def warnings(self) -> list[str]:
        out: list[str] = []
        if self.removed:
            out.append(messages.xlsx_controls_removed(self.removed))
        if self.truncated:
            out.append(messages.xlsx_cells_truncated(self.truncated, MAX_CELL_CHARS))
        return out


def decimal_format(value: float) -> str:
    """A number format that shows a decimal as it was written: 15.25 -> "#,##0.00"."""
    from kb.text.numfmt import plain_number

    text = plain_number(value)
    decimals = len(text.partition(".")[2])
    if not decimals:
        return INTEGER_FORMAT
    return INTEGER_FORMAT + "." + "0" * min(decimals, MAX_DECIMALS)


def _is_wide(text: str) -> bool:
    return any(unicodedata.east_asian_width(ch) in ("W", "F") for ch in text)


@functools.lru_cache(maxsize=8192)
def _char_units(ch: str) -> float:
    w = char_width(ch, 0)
    return w * WIDTH_FACTOR if w == 2 else w


def _units(line: str) -> float:
    """A line's width in digit widths: wide characters a little more than two."""
    if line.isascii():
        return float(len(line))
    total = 0.0
    for i, ch in enumerate(line):
        if ch == "\ufe0f" and i:  # emoji presentation: the character before it is drawn wide
            total += 2 * WIDTH_FACTOR - _char_units(line[i - 1])
            continue
        total += _char_units(ch)
    return total


def wrapped_lines(text: str, width: float) -> int:
    """How many lines a wrapped cell of `width` (Excel's unit: digit widths) draws the text on."""
    room = max(1.0, width - CELL_PADDING)
    return sum(max(1, math.ceil(_units(line) / room)) for line in text.split("\n"))


def row_height(texts: Sequence[tuple[str, float]]) -> float:
    """The height (points) of a row whose wrapped cells hold these (text, column width) pairs."""
    lines = 1
    wide = False
    for text, width in texts:
        lines = max(lines, wrapped_lines(text, width))
        wide = wide or _is_wide(text)
    per_line = WIDE_LINE_PT if wide else LATIN_LINE_PT
    return min(MAX_ROW_PT, lines * per_line + ROW_PADDING_PT)


def _print_setup(ws: Any) -> None:
    """A4 landscape, one page wide and as many long as it takes, the header row on every page."""
    from openpyxl.worksheet.page import PageMargins

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.page_margins = PageMargins(**MARGINS)
    ws.print_options.gridLines = True
    ws.oddFooter.center.text = PAGE_FOOTER


def _font_args() -> dict[str, Any]:
    """The workbook's default font by name: a Font without a name is drawn in whatever the reader
    picks (LibreOffice: a serif)."""
    from openpyxl.styles.fonts import DEFAULT_FONT

    return {"name": DEFAULT_FONT.name, "sz": DEFAULT_FONT.sz, "family": DEFAULT_FONT.family}


def _write_header(ws: Any, labels: list[str], font: dict[str, Any]) -> None:
    """Row 1: the column labels, bold on a light fill."""
    from openpyxl.styles import Alignment, Font, PatternFill

    ws.append(labels)
    header_font = Font(bold=True, **font)
    header_fill = PatternFill(fill_type="solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
    for cell in ws[1]:
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center")


class _Styles:
    """The style of a data cell by its column, number format and link. Setting a style looks it up in
    the workbook's tables, which is slow: each combination is set once, on the first cell that needs
    it, and its style record copied to the others."""

    def __init__(self, columns: Sequence[Column], font: dict[str, Any]) -> None:
        from openpyxl.styles import Alignment, Font

        self.columns = columns
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.top = Alignment(vertical="top")
        self.centred = Alignment(
            horizontal="center", vertical="top"
        )  # #12 and L81 apart from their neighbours
        self.link_font = Font(color="0563C1", underline="single", **font)
        self.records: dict[tuple[int, str | None, bool], Any] = {}

    def apply(self, cell: Any, c: int, number_format: str | None, link: bool) -> None:
        key = (c, number_format, link)
        record = self.records.get(key)
        if record is not None:
            cell._style = copy.copy(record)
            return
        column = self.columns[c]
        if number_format is not None:
            cell.number_format = number_format
        if link:
            cell.font = self.link_font
        cell.alignment = (
            self.wrap if column.wrap else self.centred if column.holds in (POST, LINE) else self.top
        )
        self.records[key] = cell._style  # openpyxl's style record of the cell (a StyleArray)


def _cell_value(value: Cell, column: Column, clean: _Cleaner) -> Cell | dt.date:
    """What a cell is given: text cleaned of what a workbook cannot hold, a post date as a date."""
    if not isinstance(value, str):
        return value
    text = clean(value)
    return _post_date(text) if column.holds == DATE else text


def _number_format(value: int | float | dt.date | None, column: Column) -> str | None:
    """The number format of a cell that is not text."""
    if isinstance(value, dt.date):
        return DATE_FORMAT
    if column.holds == POST:
        return POST_FORMAT
    if column.holds == LINE:
        return LINE_FORMAT
    if column.holds == NUMBER and isinstance(value, int | float):
        return INTEGER_FORMAT if isinstance(value, int) else decimal_format(value)
    return None


def _write_row(
    ws: Any, r: int, cells: list[Cell], widths: Sequence[float], clean: _Cleaner, styles: _Styles
) -> list[tuple[str, float]]:
    """Row ``r``: each cell typed and styled; returns the (text, column width) of its wrapped cells."""
    wrapped: list[tuple[str, float]] = []
    for c, value in enumerate(cells):
        if value is None:
            continue
        column = styles.columns[c]
        out = _cell_value(value, column, clean)
        cell = ws.cell(row=r, column=c + 1, value=out)
        link = False
        number_format: str | None = None
        if isinstance(out, str):
            cell.data_type = "s"  # text that starts with "=" stays text, never a formula
            if column.holds == URL and out.startswith(("http://", "https://")):
                cell.hyperlink = out
                link = True
            if column.wrap:
                wrapped.append((out, widths[c]))
        else:
            number_format = _number_format(out, column)
        styles.apply(cell, c, number_format, link)
    return wrapped


def _fill_sheet(
    ws: Any,
    rows: Sequence[ExportRow],
    layout: Layout,
    headers: str,
    clean: _Cleaner,
    tick: Callable[[], None] | None,
) -> None:
    """One sheet: the header, the columns' widths, a row for each export row (its height estimated
    from its wrapped cells), a frozen header and an autofilter, and the print setup."""
    from openpyxl.utils import get_column_letter

    columns = layout.columns
    labels = layout.labels(headers)
    font = _font_args()
    _write_header(ws, labels, font)
    table: list[list[Cell]] = [layout.cells(row, headers) for row in rows]
    widths = column_widths(columns, labels, table)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    styles = _Styles(columns, font)
    for r, cells in enumerate(table, start=2):
        ws.row_dimensions[r].height = row_height(_write_row(ws, r, cells, widths, clean, styles))
        if tick is not None:
            tick()
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(table) + 1}"
    _print_setup(ws)


def render_xlsx(
    rows: Sequence[ExportRow],
    headers: str,
    sheet_per: str | None,
    layout: Layout = FACTS,
    tick: Callable[[], None] | None = None,
) -> tuple[bytes, list[str]]:
    """The workbook as bytes, and warnings about anything it could not hold."""
    if sheet_per is not None and sheet_per not in SHEET_PER:
        raise ExportError(messages.unknown_option("--sheet-per", sheet_per, SHEET_PER))
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    clean = _Cleaner()
    if sheet_per is None or not rows:
        groups: list[tuple[str, list[ExportRow]]] = [(SHEET_TITLE[headers], list(rows))]
    elif sheet_per == "topic":
        groups = [(topic_label(t, headers), g) for t, g in group_rows(rows, lambda row: row.topic)]
    else:
        groups = [(kind_label(k, headers), g) for k, g in group_rows(rows, lambda row: row.kind)]
    taken: set[str] = set()
    for name, group in groups:
        ws = wb.create_sheet(title=sheet_name(clean(name), taken))
        _fill_sheet(ws, group, layout, headers, clean, tick)
    wb.properties.creator = "kb"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), clean.warnings()

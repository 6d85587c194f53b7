"""Excel workbooks (openpyxl, imported lazily): styled header, frozen pane, autofilter, typed cells."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import Any

from kb.errors import ExportError
from kb.export import messages
from kb.export.tabular import (
    DATE,
    FACTS,
    POST,
    URL,
    Cell,
    Layout,
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
POST_FORMAT = '"#"0'  # the post number stays a number (it sorts) and reads #12 as everywhere in kb

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Characters XML 1.0 cannot carry (openpyxl refuses them), and lone surrogates.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_RESERVED_SHEET_NAMES = frozenset({"history"})


def _utf16_len(text: str) -> int:
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


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


def _fill_sheet(ws: Any, rows: Sequence[ExportRow], layout: Layout, headers: str, clean: _Cleaner) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    columns = layout.columns
    labels = layout.labels(headers)
    ws.append(labels)
    header_font = Font(bold=True)
    header_fill = PatternFill(fill_type="solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
    for cell in ws[1]:
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center")

    table: list[list[Cell]] = [layout.cells(row, headers) for row in rows]
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    link_font = Font(color="0563C1", underline="single")
    for r, cells in enumerate(table, start=2):
        for c, value in enumerate(cells):
            if value is None:
                continue
            column = columns[c]
            out: Cell | dt.date = value
            if isinstance(value, str):
                out = clean(value)
                if column.holds == DATE:
                    out = _post_date(out)
            cell = ws.cell(row=r, column=c + 1, value=out)
            if isinstance(out, str):
                cell.data_type = "s"  # text that starts with "=" stays text, never a formula
                if column.holds == URL and out.startswith(("http://", "https://")):
                    cell.hyperlink = out
                    cell.font = link_font
            elif isinstance(out, dt.date):
                cell.number_format = DATE_FORMAT
            elif column.holds == POST:
                cell.number_format = POST_FORMAT
            cell.alignment = wrap if column.wrap else top

    for i, width in enumerate(column_widths(columns, labels, table), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A1:{last}{len(table) + 1}"


def render_xlsx(
    rows: Sequence[ExportRow], headers: str, sheet_per: str | None, layout: Layout = FACTS
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
        _fill_sheet(ws, group, layout, headers, clean)
    wb.properties.creator = "kb"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), clean.warnings()

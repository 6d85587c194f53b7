"""Export facts and search hits as xlsx, csv, tsv, Markdown, json or jsonl; the library never prints."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from kb.errors import ExportError
from kb.export import messages
from kb.export.atomic import check_target, write_atomic
from kb.export.charset import Transcoder, encode_text, normalize_encoding
from kb.export.tabular import LAYOUTS as _TABLES
from kb.export.tabular import Layout, check_headers, layout_of
from kb.models import ExportRow
from kb.record import field, record, replace

__all__ = ["FORMATS", "LAYOUTS", "ExportResult", "Progress", "format_from_path", "write_export"]

LAYOUTS: tuple[str, ...] = tuple(_TABLES)  # "facts", "search"

Progress = Callable[[int, int], None]  # (rows written, rows in all)

FORMATS: tuple[str, ...] = ("xlsx", "csv", "tsv", "md", "json", "jsonl")

_ALIASES: dict[str, str] = {"markdown": "md", "excel": "xlsx", "ndjson": "jsonl"}

_EXTENSIONS: dict[str, str] = {
    ".xlsx": "xlsx",
    ".csv": "csv",
    ".tsv": "tsv",
    ".md": "md",
    ".markdown": "md",
    ".json": "json",
    ".jsonl": "jsonl",
}

DEFAULT_ENCODING: dict[str, str] = {
    "csv": "utf-8-sig",  # with a BOM, so Excel on Japanese Windows reads UTF-8 (file and stdout alike)
    "tsv": "utf-8-sig",
    "md": "utf-8",
    "json": "utf-8",
    "jsonl": "utf-8",
}

# String fields of ExportRow that come from the posts (and so may hold any character).
_TEXT_FIELDS: tuple[str, ...] = (
    "topic",
    "sentence",
    "title",
    "date",
    "source",
    "url",
    "surface",
    "unit",
    "qualifier",
    "value",
)

# What each field is called in a JSON export, for messages about a record.
_JSON_KEY: dict[str, str] = {"source": "file", "surface": "figure"}
_SEARCH_JSON_KEY: dict[str, str] = {"source": "file", "topic": "heading", "sentence": "passage"}

PROGRESS_STEPS = 200  # at most this many progress reports per export


@record(slots=True)
class ExportResult:
    """What an export wrote: the file (None for stdout), how many rows, the format, and any warnings."""

    path: str | None
    rows: int
    format: str
    warnings: list[str] = field(default_factory=list)


def format_from_path(path: str) -> str | None:
    """The export format an output file name implies (by extension, any case), or None."""
    return _EXTENSIONS.get(os.path.splitext(path)[1].lower())


def _normalize_format(fmt: str) -> str:
    name = fmt.strip().lower().lstrip(".")
    name = _ALIASES.get(name, name)
    if name not in FORMATS:
        raise ExportError(messages.unknown_format(fmt, FORMATS))
    return name


class _Ticker:
    """Counts rows as a writer renders them and reports (done, total) a bounded number of times."""

    def __init__(self, total: int, progress: Progress) -> None:
        self.total = total
        self.done = 0
        self.every = max(1, -(-total // PROGRESS_STEPS))  # ceil: at most PROGRESS_STEPS reports
        self.progress = progress
        progress(0, total)

    def __call__(self) -> None:
        self.done += 1
        if self.done % self.every == 0 and self.done < self.total:
            self.progress(self.done, self.total)

    def finish(self) -> None:
        self.progress(self.total, self.total)


def _transcode(
    rows: Sequence[ExportRow], fmt: str, encoding: str, headers: str, layout: Layout
) -> tuple[list[ExportRow], list[str]]:
    """Rows whose text the encoding can hold (unholdable characters substituted), and the warnings."""
    delimited = fmt in ("csv", "tsv")
    transcoder = Transcoder(encoding, row_word="row" if delimited else "record")
    keys = _JSON_KEY if layout.name == "facts" else _SEARCH_JSON_KEY
    fields = [name for name in _TEXT_FIELDS if name in layout.fields]
    fixed: list[ExportRow] = []
    for i, row in enumerate(rows):
        # csv/tsv count rows as a spreadsheet shows them (the header is row 1); others count records
        number = i + 2 if delimited else i + 1
        changes: dict[str, str] = {}
        for name in fields:
            value = getattr(row, name)
            if not isinstance(value, str):
                continue
            if fmt in ("json", "jsonl"):
                column = keys.get(name, name)
            else:
                column = layout.field_label(name, headers)
            new = transcoder.fix(value, number, column)
            if new != value:
                changes[name] = new
        fixed.append(replace(row, **changes) if changes else row)
    return fixed, transcoder.warnings()


def _render_text(
    rows: Sequence[ExportRow],
    fmt: str,
    layout: Layout,
    headers: str,
    md_sheet: bool,
    newline: str,
    tick: Callable[[], None] | None,
) -> str:
    if fmt in ("csv", "tsv"):
        from kb.export.delimited import render_delimited

        return render_delimited(
            rows, headers, layout=layout, delimiter="," if fmt == "csv" else "\t", lineterminator=newline,
            tick=tick,
        )  # fmt: skip
    if fmt == "md":
        from kb.export.markdown import render_sheet, render_table

        return render_sheet(rows, headers, tick) if md_sheet else render_table(rows, headers, layout, tick)
    from kb.export.jsonfmt import render_json, render_jsonl

    return render_json(rows, layout, tick) if fmt == "json" else render_jsonl(rows, layout, tick)


def _option_warnings(
    fmt: str, path: str | None, sheet_per: str | None, md_sheet: bool, encoding: str | None, bom: bool
) -> list[str]:
    """What the user asked for that does not apply to this format (ignored, and said so)."""
    warnings: list[str] = []
    if fmt == "xlsx":
        from kb.export.xlsx import SHEET_PER

        if path is None:
            raise ExportError(messages.XLSX_NEEDS_FILE)
        if sheet_per is not None and sheet_per not in SHEET_PER:
            raise ExportError(messages.unknown_option("--sheet-per", sheet_per, SHEET_PER))
        if encoding is not None:
            warnings.append(messages.XLSX_NO_ENCODING)
    elif sheet_per is not None:
        warnings.append(messages.only_for("--sheet-per", "xlsx", fmt))
    if md_sheet and fmt != "md":
        warnings.append(messages.only_for("--sheet", "md", fmt))
    if not bom and fmt not in ("csv", "tsv"):
        warnings.append(messages.only_for("--no-bom", "csv と tsv", fmt))
    if path is not None:
        implied = format_from_path(path)
        if implied is not None and implied != fmt:
            warnings.append(messages.extension_mismatch(path, implied, fmt))
    return warnings


def write_export(
    rows: Sequence[ExportRow],
    fmt: str,
    out: str | None,
    *,
    layout: str = "facts",
    headers: str = "ja",
    sheet_per: str | None = None,
    md_sheet: bool = False,
    encoding: str | None = None,
    bom: bool = True,
    force: bool = False,
    stdout: TextIO | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write `rows` as `fmt` to the file `out` (atomically), or to `stdout` when out is None or "-".

    ``layout`` is "facts" (a figure per row with its sentence and citation) or "search" (a matched
    passage per row: post, date, heading, passage, line, file). CSV and TSV are UTF-8 with a BOM,
    in a file and on stdout alike, unless ``bom`` is False or an ``encoding`` is given; their
    text cells are neutralised against formulas. ``progress`` is called with (rows done, total).

    Raises ExportError for an unknown format or option, xlsx without a file, an existing file
    without force, a special file (FIFO, device, socket, folder) or a missing folder. Characters
    the chosen encoding cannot hold are replaced (〓) and reported in ExportResult.warnings.
    """
    fmt = _normalize_format(fmt)
    headers = check_headers(headers)
    table = layout_of(layout)
    to_stdout = out is None or out == "-"
    path = None if to_stdout else out
    warnings = _option_warnings(fmt, path, sheet_per, md_sheet, encoding, bom)
    if path is not None:
        check_target(path, force)  # fail before doing the work
    ticker = _Ticker(len(rows), progress) if progress is not None else None

    if fmt == "xlsx":
        assert path is not None
        from kb.export.xlsx import render_xlsx

        data, xlsx_warnings = render_xlsx(rows, headers, sheet_per, table, ticker)
        write_atomic(path, data, force=force)
        if ticker is not None:
            ticker.finish()
        return ExportResult(path, len(rows), fmt, warnings + xlsx_warnings)

    codec = normalize_encoding(encoding if encoding is not None else DEFAULT_ENCODING[fmt])
    if not bom and codec == "utf-8-sig":
        codec = "utf-8"
    fixed, char_warnings = _transcode(rows, fmt, codec, headers, table)
    warnings += char_warnings

    if path is not None:
        text = _render_text(fixed, fmt, table, headers, md_sheet, "\r\n", ticker)
        write_atomic(path, encode_text(text, codec), force=force)
    else:
        _write_stdout(fixed, fmt, table, headers, md_sheet, codec, encoding, stdout, ticker)
    if ticker is not None:
        ticker.finish()
    return ExportResult(path, len(rows), fmt, warnings)


def _write_stdout(
    rows: Sequence[ExportRow],
    fmt: str,
    layout: Layout,
    headers: str,
    md_sheet: bool,
    codec: str,
    encoding: str | None,
    stdout: TextIO | None,
    tick: Callable[[], None] | None,
) -> None:
    """Standard output gets what the file would: `kb export > x.csv` and `-o x.csv` are the same
    bytes (BOM and CRLF included). Text that is not for a spreadsheet (Markdown, JSON, a CSV
    without a BOM) is written as text with the stream's own line ends."""
    stream = stdout if stdout is not None else sys.stdout
    buffer = getattr(stream, "buffer", None)
    as_file = encoding is not None or codec == "utf-8-sig"
    if not as_file:
        stream.write(_render_text(rows, fmt, layout, headers, md_sheet, "\n", tick))
        stream.flush()
        return
    text = _render_text(rows, fmt, layout, headers, md_sheet, "\r\n", tick)
    if buffer is None:  # a text-only stream (a StringIO): the BOM as a character
        stream.write(("\ufeff" if codec == "utf-8-sig" else "") + text)
        stream.flush()
        return
    stream.flush()
    buffer.write(encode_text(text, codec))
    buffer.flush()

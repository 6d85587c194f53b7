"""Tests for the xlsx export, read back with openpyxl: typed cells and number formats, styling, the
print setup, row heights for wrapped cells, one sheet per topic or kind, search hits' own columns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from export_rows import (
    APPLY_SENTENCE,
    FILE_1,
    FILE_3,
    HEADERS_EN,
    HEADERS_JA,
    SEARCH_HEADERS_JA,
    TITLE_1,
    URL_2,
    URL_3,
    sample_rows,
)

from kb.errors import ExportError
from kb.export import write_export
from kb.export.tabular import FACTS
from kb.export.xlsx import (
    LATIN_LINE_PT,
    MAX_ROW_PT,
    WIDE_LINE_PT,
    decimal_format,
    row_height,
    sheet_name,
    wrapped_lines,
)
from kb.models import ExportRow

COL = {key: i + 1 for i, key in enumerate(FACTS.keys())}  # column numbers of the facts layout


def _export(tmp_path: Path, rows: list[ExportRow], name: str = "facts.xlsx", **kwargs: object) -> Path:
    out = tmp_path / name
    result = write_export(rows, "xlsx", str(out), **kwargs)  # type: ignore[arg-type]
    assert result.path == str(out)
    assert result.format == "xlsx"
    assert result.rows == len(rows)
    assert result.warnings == []
    return out


def _sheet(path: Path) -> Any:
    return openpyxl.load_workbook(path).active


def test_workbook_cells_and_types(tmp_path: Path) -> None:
    ws = _sheet(_export(tmp_path, sample_rows()))
    assert ws.title == "エクスポート"
    assert [c.value for c in ws[1]] == HEADERS_JA
    assert ws.max_row == 1 + len(sample_rows())
    first = [c.value for c in ws[2]]
    assert first[:7] == ["◼️オンライン申請", "32万件", 320000, "件", None, "数量", APPLY_SENTENCE]
    assert isinstance(first[2], int)
    assert first[7:] == [TITLE_1, dt.datetime(2023, 7, 5), 1, 41, FILE_1, None]
    assert isinstance(first[9], int) and isinstance(first[10], int)
    # 12億 stored as an int, 15.25 as a float, a range's lower bound in 値 and both ends in 補足
    assert ws.cell(3, COL["value"]).value == 1200000000 and isinstance(ws.cell(3, COL["value"]).value, int)
    assert ws.cell(4, COL["note"]).value == "延べ"
    assert ws.cell(5, COL["value"]).value == 15.25
    assert [c.value for c in ws[6]][1:5] == ["40〜60件", 40, "件", "範囲 40〜60"]
    # a date fact keeps its year as text and says its precision; an organisation has no value
    assert [c.value for c in ws[7]][1:4] == ["2019年", "2019", "年"]
    assert [c.value for c in ws[8]][1:6] == ["みなと市情報政策課", None, None, None, "組織"]
    assert ws.cell(9, COL["value"]).value == -12
    # a search hit among facts: no figure columns; no topic, no date, a file and a URL
    assert [c.value for c in ws[10]][1:6] == [None, None, None, None, "本文"]
    last = [c.value for c in ws[11]]
    assert last[0] is None and last[COL["date"] - 1] is None and last[COL["line"] - 1] is None
    assert last[COL["file"] - 1] == FILE_3  # C:\Users\... is not shown
    assert last[COL["url"] - 1] == URL_3


def test_number_formats(tmp_path: Path) -> None:
    ws = _sheet(_export(tmp_path, sample_rows()))
    value = COL["value"]
    assert ws.cell(2, value).number_format == "#,##0"  # 320,000
    assert ws.cell(3, value).number_format == "#,##0"  # 1,200,000,000
    assert ws.cell(5, value).number_format == "#,##0.00"  # 15.25
    assert ws.cell(9, value).number_format == "#,##0"  # -12
    assert ws.cell(2, COL["date"]).number_format == "yyyy-mm-dd"
    assert ws.cell(2, COL["post"]).number_format == '"#"0'  # shows #1, sorts as a number
    assert ws.cell(2, COL["line"]).number_format == "0"  # L1234 is no amount: no separator
    assert decimal_format(3.75) == "#,##0.00"
    assert decimal_format(0.125) == "#,##0.000"
    assert decimal_format(2.0) == "#,##0"


def test_urls_are_links_and_files_are_names(tmp_path: Path) -> None:
    ws = _sheet(_export(tmp_path, sample_rows()))
    for row, url in ((9, URL_2), (10, URL_2), (11, URL_3)):
        cell = ws.cell(row, COL["url"])
        assert cell.value == url and cell.hyperlink.target == url
    assert ws.cell(2, COL["url"]).value is None
    files = {ws.cell(r, COL["file"]).value for r in range(2, ws.max_row + 1)}
    assert files == {FILE_1, "北浜町.txt", FILE_3}
    assert not any("/" in name or "\\" in name for name in files)


def test_print_setup(tmp_path: Path) -> None:
    ws = _sheet(_export(tmp_path, sample_rows()))
    setup = ws.page_setup
    assert setup.orientation == "landscape"
    assert int(setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)  # one page wide, any length
    assert ws.print_title_rows == "$1:$1"  # the header row on every page
    margins = ws.page_margins
    assert (margins.left, margins.right, margins.top, margins.bottom) == (0.4, 0.4, 0.6, 0.6)
    assert ws.print_options.gridLines
    assert ws.oddFooter.center.text == "&P / &N"


def test_wrapped_rows_get_their_height(tmp_path: Path) -> None:
    long = (
        "視察先では、窓口の予約から手数料の支払いまでをスマートフォンで終えられる仕組みを見せていただきました。"
        * 3
    )
    rows = [
        ExportRow("見出し", "passage", "短い一文。", "題", None, "f.txt", 2),
        ExportRow("見出し", "passage", long, "題", None, "f.txt", 3),
        sample_rows()[7],  # its URL (39 characters) wraps on 3 lines in its column of 20
    ]
    ws = _sheet(_export(tmp_path, rows))
    width = ws.column_dimensions["G"].width
    assert width == 50
    assert ws.cell(2, COL["sentence"]).alignment.wrap_text
    short = ws.row_dimensions[2].height
    tall = ws.row_dimensions[3].height
    lines = wrapped_lines(long, width)
    assert lines >= len(long) * 2 // 50  # 150 wide characters: at least 6 lines of 50 digit widths
    assert tall == pytest.approx(lines * WIDE_LINE_PT + 2)
    assert short == pytest.approx(WIDE_LINE_PT + 2)  # one line of Japanese
    assert tall > 5 * short
    assert ws.row_dimensions[4].height == pytest.approx(3 * WIDE_LINE_PT + 2)


def test_row_height_estimates() -> None:
    assert wrapped_lines("あ" * 23, 50) == 1  # 46 digit widths (and a little more in Excel) fit
    assert wrapped_lines("あ" * 24, 50) == 2  # 24 x 15 px is more than a column of 50 (355 px)
    assert wrapped_lines("a" * 48, 50) == 1
    assert wrapped_lines("一行目\n二行目\n三行目", 50) == 3  # the text's own line breaks
    assert wrapped_lines("", 50) == 1
    assert row_height([]) == LATIN_LINE_PT + 2
    assert row_height([("plain text", 20)]) == LATIN_LINE_PT + 2
    assert row_height([("短い", 20), ("あ" * 60, 20)]) == 7 * WIDE_LINE_PT + 2
    assert row_height([("あ" * 10_000, 20)]) == MAX_ROW_PT


def test_workbook_styling(tmp_path: Path) -> None:
    ws = _sheet(_export(tmp_path, sample_rows()))
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:M{1 + len(sample_rows())}"
    for cell in ws[1]:
        assert cell.font.b and cell.font.name == "Calibri"  # named: LibreOffice drew it in a serif
        assert cell.fill.fill_type == "solid"
    assert ws.cell(11, COL["url"]).font.name == "Calibri"
    widths = [ws.column_dimensions[chr(ord("A") + i)].width for i in range(len(HEADERS_JA))]
    assert widths[COL["sentence"] - 1] == max(widths) == 50  # 原文 is the widest column
    assert sum(widths) <= 205  # one page wide without shrinking the text to nothing


def test_english_headers(tmp_path: Path) -> None:
    ws = _sheet(_export(tmp_path, sample_rows(), headers="en"))
    assert ws.title == "export"
    assert [c.value for c in ws[1]] == HEADERS_EN
    assert ws.cell(2, COL["kind"]).value == "quantity"


def test_search_export_has_its_own_columns(tmp_path: Path) -> None:
    ws = _sheet(_export(tmp_path, sample_rows()[8:], layout="search"))
    assert [c.value for c in ws[1]] == SEARCH_HEADERS_JA
    assert ws.max_column == len(SEARCH_HEADERS_JA)
    assert [c.value for c in ws[2]] == [
        2,
        "視察報告③北浜町の除雪と冬の暮らし",
        dt.datetime(2023, 1, 20),
        "◼️冬の暮らし",
        "除雪車は夜明け前に町内を一巡し、通学路を先に開けるそうです。",
        15,
        "北浜町.txt",
        URL_2,
    ]
    assert ws["A2"].number_format == '"#"0'
    assert ws["E2"].alignment.wrap_text
    assert ws["E2"].value and ws.column_dimensions["E"].width == max(
        ws.column_dimensions[c].width for c in "ABCDEFGH"
    )
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"


def test_sheet_per_topic(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_export(tmp_path, sample_rows(), sheet_per="topic"))
    assert wb.sheetnames == [
        "◼️オンライン申請",
        "◼️窓口の待ち時間",
        "◼️市民の声",
        "◼️経緯",
        "①デジタル窓口の概要",
        "◼️冬の暮らし",
        "(見出しなし)",
    ]
    ws = wb["◼️オンライン申請"]
    assert [c.value for c in ws[1]] == HEADERS_JA
    assert [ws.cell(row=r, column=2).value for r in range(2, ws.max_row + 1)] == [
        "32万件",
        "12億円",
        "18万市民",
    ]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:M4"
    for sheet in wb.worksheets:  # every sheet prints
        assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$1"


def test_sheet_per_kind(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_export(tmp_path, sample_rows(), sheet_per="kind"))
    assert wb.sheetnames == ["数量", "日付", "組織", "本文"]
    assert wb["数量"].max_row == 7
    wb = openpyxl.load_workbook(_export(tmp_path, sample_rows(), "en.xlsx", sheet_per="kind", headers="en"))
    assert wb.sheetnames == ["quantity", "date", "org", "passage"]


def test_sheet_names_are_sanitised() -> None:
    taken: set[str] = set()
    assert sheet_name("予算[2023]: 市/区*?", taken) == "予算_2023__ 市_区__"
    long = "みなと市が運用する総合窓口とスマートフォンからの各種申請の受付についての説明"
    first = sheet_name(long, taken)
    assert len(first) == 31 and long.startswith(first)
    second = sheet_name(long, taken)
    assert second.endswith(" (2)") and len(second) == 31
    assert sheet_name("ONLINE", taken) == "ONLINE"
    assert sheet_name("online", taken) == "online (2)"  # Excel compares names without case
    assert sheet_name("'quoted'", taken) == "quoted"
    assert sheet_name("", taken) == "Sheet"
    assert sheet_name("History", taken) == "History_"
    assert len(sheet_name("😀" * 20, taken).encode("utf-16-le")) <= 62


def test_formula_like_text_stays_text(tmp_path: Path) -> None:
    row = ExportRow(
        "=見出し", "passage", '=HYPERLINK("https://evil.example/","詳細")', "t", "2023-07-05", "f.txt", 1
    )
    ws = _sheet(_export(tmp_path, [row]))
    assert ws["A2"].value == "=見出し"
    assert ws["A2"].data_type == "s"
    assert ws.cell(2, COL["sentence"]).data_type == "s"


def test_control_characters_are_removed_with_a_warning(tmp_path: Path) -> None:
    row = ExportRow("見出し", "passage", "改ページ\x0cの後", "t", "2023-13-45", "f.txt", 1)
    out = tmp_path / "x.xlsx"
    result = write_export([row], "xlsx", str(out))
    assert result.warnings == ["xlsx に入れられない制御文字を 1 個除きました"]
    ws = _sheet(out)
    assert ws.cell(2, COL["sentence"]).value == "改ページの後"
    assert ws.cell(2, COL["date"]).value == "2023-13-45"  # not a real date: kept as text


def test_empty_workbook_has_the_header(tmp_path: Path) -> None:
    for sheet_per in (None, "topic"):
        out = tmp_path / f"empty-{sheet_per}.xlsx"
        result = write_export([], "xlsx", str(out), sheet_per=sheet_per)
        assert result.rows == 0
        ws = _sheet(out)
        assert [c.value for c in ws[1]] == HEADERS_JA
        assert ws.max_row == 1
        assert ws.auto_filter.ref == "A1:M1"


@pytest.mark.parametrize("out", [None, "-"])
def test_xlsx_needs_a_file(out: str | None) -> None:
    with pytest.raises(ExportError, match="^xlsx はファイルに書き出します: -o ファイル名.xlsx"):
        write_export(sample_rows(), "xlsx", out)


def test_bad_sheet_per(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="^--sheet-per に 'post' は指定できません"):
        write_export(sample_rows(), "xlsx", str(tmp_path / "x.xlsx"), sheet_per="post")
    assert not (tmp_path / "x.xlsx").exists()


def test_encoding_is_ignored_with_a_warning(tmp_path: Path) -> None:
    result = write_export(sample_rows(), "xlsx", str(tmp_path / "x.xlsx"), encoding="cp932")
    assert result.warnings == ["--encoding は xlsx には使えません (xlsx の中は常に UTF-8 です)。無視しました"]

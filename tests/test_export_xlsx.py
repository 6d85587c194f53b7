"""Tests for the xlsx export: a real workbook, typed cells, styling, one sheet per topic or kind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from kb.errors import ExportError
from kb.export import write_export
from kb.export.xlsx import sheet_name
from kb.models import ExportRow
from test_export_tabular import HEADERS_EN, HEADERS_JA, MVOTING_SENTENCE, SEED, TITLE_1, URL_3, sample_rows


def _export(tmp_path: Path, rows: list[ExportRow], name: str = "facts.xlsx", **kwargs: object) -> Path:
    out = tmp_path / name
    result = write_export(rows, "xlsx", str(out), **kwargs)  # type: ignore[arg-type]
    assert result.path == str(out)
    assert result.format == "xlsx"
    assert result.rows == len(rows)
    assert result.warnings == []
    return out


def test_workbook_cells_and_types(tmp_path: Path) -> None:
    out = _export(tmp_path, sample_rows())
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["エクスポート"]
    ws = wb.active
    assert [c.value for c in ws[1]] == HEADERS_JA
    assert ws.max_row == 1 + len(sample_rows())
    first = [c.value for c in ws[2]]
    assert first[:2] == ["◼️mVoting", "168万人"]
    assert first[2] == 1680000 and isinstance(first[2], int)
    assert first[3:7] == ["人", None, "数量", MVOTING_SENTENCE]
    assert first[7] == TITLE_1
    assert first[8] == dt.datetime(2018, 4, 13)
    assert ws.cell(row=2, column=9).number_format == "yyyy-mm-dd"
    assert first[9:] == [SEED, 81]
    assert isinstance(first[10], int)
    # 50億 stored as an int, 605.26 as a float, a range's lower bound in 値 and both ends in 補足
    assert ws["C3"].value == 5000000000 and isinstance(ws["C3"].value, int)
    assert ws["E4"].value == "以上"
    assert ws["B5"].value == "605.26km2"
    assert ws["C5"].value == 605.26 and isinstance(ws["C5"].value, float)
    assert [c.value for c in ws[6]][1:5] == ["20〜30件", 20, "件", "範囲 20〜30"]
    # a date fact keeps its ISO string; an organisation has no value
    assert [c.value for c in ws[7]][1:3] == ["2003年", "2003"]
    assert [c.value for c in ws[8]][1:6] == ["ソウル市情報企画団", None, None, None, "組織"]
    # a search hit: no figure columns; no topic, no date, a URL location
    assert [c.value for c in ws[9]][1:6] == [None, None, None, None, "本文"]
    last = [c.value for c in ws[10]]
    assert last[0] is None and last[8] is None and last[10] is None
    assert last[9] == URL_3
    assert ws.cell(row=10, column=10).hyperlink.target == URL_3


def test_workbook_styling(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(_export(tmp_path, sample_rows())).active
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:K{1 + len(sample_rows())}"
    for cell in ws[1]:
        assert cell.font.b
        assert cell.fill.fill_type == "solid"
    assert ws["G2"].alignment.wrap_text
    widths = {letter: ws.column_dimensions[letter].width for letter in "ABCDEFGHIJK"}
    assert widths["G"] == 60  # 原文: long Japanese sentences, capped
    assert 10 <= widths["A"] <= 30
    assert widths["I"] == 12


def test_english_headers(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(_export(tmp_path, sample_rows(), headers="en")).active
    assert ws.title == "export"
    assert [c.value for c in ws[1]] == HEADERS_EN
    assert ws["F2"].value == "quantity"


def test_sheet_per_topic(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_export(tmp_path, sample_rows(), sheet_per="topic"))
    assert wb.sheetnames == [
        "◼️mVoting",
        "◼️ソウル市の概要",
        "◼️都市管制センターの運用",
        "◼️ソウル市のCIO企画官の組織",
        "①韓国の電子政府",
        "(見出しなし)",
    ]
    ws = wb["◼️mVoting"]
    assert [c.value for c in ws[1]] == HEADERS_JA
    assert [ws.cell(row=r, column=2).value for r in range(2, ws.max_row + 1)] == [
        "168万人",
        "50億円",
        "1400万件",
        None,
    ]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:K5"


def test_sheet_per_kind(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_export(tmp_path, sample_rows(), sheet_per="kind"))
    assert wb.sheetnames == ["数量", "日付", "組織", "本文"]
    assert wb["数量"].max_row == 6
    wb = openpyxl.load_workbook(_export(tmp_path, sample_rows(), "en.xlsx", sheet_per="kind", headers="en"))
    assert wb.sheetnames == ["quantity", "date", "org", "passage"]


def test_sheet_names_are_sanitised() -> None:
    taken: set[str] = set()
    assert sheet_name("予算[2018]: 市/区*?", taken) == "予算_2018__ 市_区__"
    long = "ソウル市が運用する総合コールセンターとスマートフォンからの生活苦情の受付について"
    first = sheet_name(long, taken)
    assert len(first) == 31 and long.startswith(first)
    second = sheet_name(long, taken)
    assert second.endswith(" (2)") and len(second) == 31
    assert sheet_name("MVOTING", taken) == "MVOTING"
    assert sheet_name("mVoting", taken) == "mVoting (2)"  # Excel compares names without case
    assert sheet_name("'quoted'", taken) == "quoted"
    assert sheet_name("", taken) == "Sheet"
    assert sheet_name("History", taken) == "History_"
    assert len(sheet_name("😀" * 20, taken).encode("utf-16-le")) <= 62


def test_formula_like_text_stays_text(tmp_path: Path) -> None:
    row = ExportRow("=見出し", "passage", "=SUM(A1:A3) と書いてある", "t", "2018-04-13", "f.txt", 1)
    ws = openpyxl.load_workbook(_export(tmp_path, [row])).active
    assert ws["A2"].value == "=見出し"
    assert ws["A2"].data_type == "s"
    assert ws["G2"].data_type == "s"


def test_control_characters_are_removed_with_a_warning(tmp_path: Path) -> None:
    row = ExportRow("見出し", "passage", "改ページ\x0cの後", "t", "2018-13-45", "f.txt", 1)
    out = tmp_path / "x.xlsx"
    result = write_export([row], "xlsx", str(out))
    assert result.warnings == ["xlsx に入れられない制御文字を 1 個除きました"]
    ws = openpyxl.load_workbook(out).active
    assert ws["G2"].value == "改ページの後"
    assert ws["I2"].value == "2018-13-45"  # not a real date: kept as text


def test_empty_workbook_has_the_header(tmp_path: Path) -> None:
    for sheet_per in (None, "topic"):
        out = tmp_path / f"empty-{sheet_per}.xlsx"
        result = write_export([], "xlsx", str(out), sheet_per=sheet_per)
        assert result.rows == 0
        ws = openpyxl.load_workbook(out).active
        assert [c.value for c in ws[1]] == HEADERS_JA
        assert ws.max_row == 1
        assert ws.auto_filter.ref == "A1:K1"


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

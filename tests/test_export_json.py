"""Tests for the JSON and JSON Lines exports: English keys, typed values, Japanese unescaped."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

from kb.export import write_export
from kb.export.jsonfmt import JSON_KEYS
from kb.models import ExportRow
from test_export_tabular import MVOTING_SENTENCE, SEED, TITLE_1, sample_rows

FIRST = {
    "topic": "◼️mVoting",
    "figure": "168万人",
    "value": 1680000,
    "value_max": None,
    "unit": "人",
    "qualifier": None,
    "kind": "quantity",
    "sentence": MVOTING_SENTENCE,
    "title": TITLE_1,
    "date": "2018-04-13",
    "location": SEED,
    "line": 81,
    "post_id": 1,
    "surface": "168万人",
}


def test_json(tmp_path: Path) -> None:
    out = tmp_path / "facts.json"
    result = write_export(sample_rows(), "json", str(out))
    assert (result.rows, result.format, result.warnings) == (9, "json", [])
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    assert "168万人" in text and "\\u" not in text  # ensure_ascii=False
    assert text.startswith('[\n  {\n    "topic": "◼️mVoting",')
    data = json.loads(text)
    assert len(data) == 9
    assert data[0] == FIRST
    assert list(data[0]) == list(JSON_KEYS)
    assert isinstance(data[1]["value"], int) and data[1]["value"] == 5000000000
    assert data[3]["value"] == 605.26
    assert (data[4]["figure"], data[4]["value"], data[4]["value_max"]) == ("20〜30件", 20, 30)
    assert (data[5]["kind"], data[5]["value"], data[5]["figure"]) == ("date", "2003", "2003年")
    assert data[7]["figure"] is None and data[7]["kind"] == "passage"
    assert data[8]["topic"] is None and data[8]["line"] is None


def test_jsonl(tmp_path: Path) -> None:
    out = tmp_path / "facts.jsonl"
    write_export(sample_rows(), "jsonl", str(out))
    text = out.read_bytes().decode("utf-8")
    lines = text.split("\n")
    assert lines[-1] == ""
    objects = [json.loads(line) for line in lines[:-1]]
    assert len(objects) == 9
    assert objects[0] == FIRST
    assert "◼️mVoting" in lines[0]


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
    assert data[0]["topic"] == "〓mVoting"
    assert result.warnings[0] == "1 件目「topic」: '◼' U+25FC は cp932 で書けないため「〓」に置き換えました"

"""Format detection by content and extension, and date recognition."""

from __future__ import annotations

import datetime as dt

import pytest

from kb.reading import detect_format, iso_date
from kb.reading.detect import date_only

MT = """AUTHOR: yamada
TITLE: 視察報告
DATE: 04/13/2018 10:00:00 AM
-----
BODY:
<p>本文</p>
-----
--------
"""
HTML = "<!DOCTYPE html>\n<html><head><title>視察</title></head><body><p>本文</p></body></html>"


@pytest.mark.parametrize(
    ("text", "path", "expected"),
    [
        (MT, "export.txt", "mt"),
        (MT, "export", "mt"),
        ("\n\n" + MT, "export.log", "mt"),
        (MT, "export.html", "mt"),
        (HTML, "page.html", "html"),
        (HTML, "page.txt", "html"),
        ("<html>\n<body>\n<p>視察</p>\n</body>\n</html>", "saved.txt", "html"),
        ("<!-- saved -->\n<html lang='ja'><p>x</p></html>", "saved", "html"),
        ("視察報告\n本文です。", "page.htm", "html"),
        ("視察報告\n本文です。", "note.md", "markdown"),
        ("視察報告\n本文です。", "note.MARKDOWN", "markdown"),
        ("---\ntitle: 視察\ndate: 2018-04-13\n---\n本文です。", "note.txt", "markdown"),
        ("# 視察報告\n\n本文\n\n# 所感\n\nおわり", "note.txt", "markdown"),
        ("# 視察報告\n本文です。#タグ", "note.txt", "text"),
        ("# 視察報告\n\n本文\n\n# 所感\n", "notes", "markdown"),
        ("# comment\nx = 1\n# another\n", "tool.py", "text"),
        ("視察報告\n#視察 #金沢\n本文です。", "note.txt", "text"),
        ("視察報告\n---\n本文です。\n---\n", "note.txt", "text"),
        ("視察報告\n本文は <b>強調</b> を含む。", "note.txt", "text"),
        ("TITLE: 視察報告\n本文です。", "note.txt", "text"),
        ("", "empty.txt", "text"),
    ],
)
def test_detect_format(text: str, path: str, expected: str) -> None:
    assert detect_format(text, path) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-04-13", "2018-04-13"),
        ("2018/04/13", "2018-04-13"),
        ("2018/4/3", "2018-04-03"),
        ("2018.04.13", "2018-04-13"),
        ("2018-04-13 10:00", "2018-04-13"),
        ("2018-04-13T21:30:00+09:00", "2018-04-13"),
        ("2018年4月13日", "2018-04-13"),
        ("2018年04月13日(金)", "2018-04-13"),
        ("２０１８年４月１３日", "2018-04-13"),
        ("平成30年4月13日", "2018-04-13"),
        ("令和元年5月1日", "2019-05-01"),
        ("投稿日：2018年10月25日", "2018-10-25"),
        ("2018-02-30", None),
        ("2018年4月", None),
        ("視察", None),
        ("", None),
        (dt.date(2018, 4, 13), "2018-04-13"),
        (dt.datetime(2018, 4, 13, 23, 59), "2018-04-13"),
        (20180413, None),
        (None, None),
    ],
)
def test_iso_date(value: object, expected: str | None) -> None:
    assert iso_date(value) == expected


def test_date_only_accepts_short_date_lines_only() -> None:
    assert date_only("2018年4月13日（金）") == "2018-04-13"
    assert date_only("2018.04.13 21:30") == "2018-04-13"
    assert date_only("2018年4月13日に金沢市を訪れ、北陸新幹線の開業効果について伺いました。") is None
    # a theme's date element may carry a few words after the date
    assert date_only("2018年10月25日 視察報告") == "2018-10-25"
    assert date_only("平成31年5月1日 (月)") is None  # 平成 had ended

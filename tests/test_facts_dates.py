"""Dates: 西暦 and 和暦 years, fiscal years, month-day, day-only, relative words; and what is no date."""

from __future__ import annotations

import pytest

from helpers import facts_of
from kb.facts.dates import parse_post_date

Row = tuple[str, str | None, str | None]  # surface, value, unit (the date kind)


def dates(text: str, date: str | None = None) -> list[Row]:
    return [(f.surface, f.value, f.unit) for f in facts_of(text, date=date) if f.kind == "date"]  # type: ignore[misc]


CASES: list[tuple[str, str | None, list[Row]]] = [
    ("地域通貨の制度は1997年に発足した。", None, [("1997年", "1997", "year")]),
    ("２０２２年の実績。", None, [("２０２２年", "2022", "year")]),
    ("平成16年から中高一貫校となった。", None, [("平成16年", "2004", "year")]),
    ("令和元年に開業した。", None, [("令和元年", "2019", "year")]),
    ("昭和58年の記録。", None, [("昭和58年", "1983", "year")]),
    ("平成二十七年の大会。", None, [("平成二十七年", "2015", "year")]),
    ("H28年度の決算。", None, [("H28年度", "2016", "year")]),
    ("地元では96年の春に新駅が開業。", None, [("96年", "1996", "year")]),
    ("2009年度から下水道管を活用した光回線を使用。", None, [("2009年度", "2009", "year")]),
    ("令和8年度予算は512億30百万円。", None, [("令和8年度", "2026", "year")]),
    ("6月9日から調査を始めている。", None, [("6月9日", "--06-09", "date")]),
    ("視察は2024年6月9日に行った。", None, [("2024年6月9日", "2024-06-09", "date")]),
    ("2021年10月から導入。", None, [("2021年10月", "2021-10", "date")]),
    ("開設は2020/7/1です。", None, [("2020/7/1", "2020-07-01", "date")]),
    ("十一月三日は文化の日。", None, [("十一月三日", "--11-03", "date")]),
    ("6月9日から12日まで視察した。", None, [("6月9日", "--06-09", "date"), ("12日", "--06-12", "date")]),
    ("視察は18日に終わる。", None, [("18日", "---18", "date")]),
    ("昨日は卒業式でした。", "2025-03-15", [("昨日", "2025-03-14", "relative")]),
    (
        "一昨日と今日と明日。",
        "2025-06-10",
        [
            ("一昨日", "2025-06-08", "relative"),
            ("今日", "2025-06-10", "relative"),
            ("明日", "2025-06-11", "relative"),
        ],
    ),
    (
        "去年と昨年と今年と来年。",
        "2025-06-10",
        [
            ("去年", "2024", "relative"),
            ("昨年", "2024", "relative"),
            ("今年", "2025", "relative"),
            ("来年", "2026", "relative"),
        ],
    ),
    (
        "先月と今月と来月。",
        "2025-01-20",
        [("先月", "2024-12", "relative"), ("今月", "2025-01", "relative"), ("来月", "2025-02", "relative")],
    ),
    ("今年度と昨年度。", "2025-02-01", [("今年度", "2024", "relative"), ("昨年度", "2023", "relative")]),
    ("昨日は研修の最終日。", None, [("昨日", None, "relative")]),
    ("2017〜2019年の計画。", None, [("2017〜2019年", "2017/2019", "year")]),
    ("6月9日〜11日の日程。", None, [("6月9日〜11日", "--06-09/--06-11", "date")]),
    ("2022年前半と1603年。", None, [("2022年", "2022", "year"), ("1603年", "1603", "year")]),
]


@pytest.mark.parametrize(("text", "post_date", "expected"), CASES, ids=[c[0][:16] for c in CASES])
def test_date_forms(text: str, post_date: str | None, expected: list[Row]) -> None:
    assert dates(text, post_date) == expected


NOT_DATES = [
    "この日は、隣の町も訪ねました。",
    "次の日には結果を掲示している。",
    "毎年400台程度を更新している。年間40〜60件の相談。",
    "現在、今回、次回、当初、今後、以降、最終日。",
    "午前中は工場の見学、午後は意見交換、夜は懇談会、深夜にホテル着。",
    "秋の涼しさです。",
    "国体の会期は、11日、障害者大会は4日間。",
    "9年連続で日本一。70年の歴史。2ヶ月間の試行。",
    "今日的な課題。",
]


@pytest.mark.parametrize("text", NOT_DATES, ids=[t[:12] for t in NOT_DATES])
def test_not_dates(text: str) -> None:
    assert dates(text) == []


def test_fiscal_and_era_notes() -> None:
    (fy,) = [f for f in facts_of("2009年度から使用。") if f.kind == "date"]
    assert fy.note == "fiscal year"
    (era,) = [f for f in facts_of("平成16年から。") if f.kind == "date"]
    assert era.note is not None and "Heisei 16" in era.note
    (day,) = [f for f in facts_of("6月9日から視察。\n視察は12日までです。") if f.surface == "12日"]
    assert day.note is not None and "6月9日" in day.note


def test_relative_words_resolve_against_the_post_date() -> None:
    (f,) = [f for f in facts_of("昨日は卒業式へ。", date="2025-03-15") if f.kind == "date"]
    assert (f.value, f.unit) == ("2025-03-14", "relative")
    assert f.note is not None and "relative" in f.note


def test_parse_post_date() -> None:
    assert str(parse_post_date("2025-03-15")) == "2025-03-15"
    assert parse_post_date("2025-03-15T10:00:00") is not None
    assert parse_post_date(None) is None
    assert parse_post_date("yesterday") is None

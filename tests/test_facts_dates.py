"""Dates: 西暦 and 和暦 years, fiscal years, month-day, day-only, relative words; and what is no date."""

from __future__ import annotations

import pytest

from kb.facts import extract_facts
from kb.facts.dates import parse_post_date
from kb.models import Fact, Line, RawPost
from kb.segment import segment
from kb.structure import build_post

Row = tuple[str, str | None, str | None]  # surface, value, unit (the date kind)


def facts_of(text: str, date: str | None = None) -> list[Fact]:
    post = build_post(
        RawPost(
            title="t",
            lines=[Line(ln, i + 1) for i, ln in enumerate(text.split("\n"))],
            source="test",
            date=date,
        )
    )
    facts = extract_facts(post, [segment(p.text) for p in post.passages])
    for f in facts:
        assert post.text[f.start : f.end] == f.surface
    return facts


def dates(text: str, date: str | None = None) -> list[Row]:
    return [(f.surface, f.value, f.unit) for f in facts_of(text, date) if f.kind == "date"]  # type: ignore[misc]


CASES: list[tuple[str, str | None, list[Row]]] = [
    ("CIO補佐官制度は1999年に発足した。", None, [("1999年", "1999", "year")]),
    ("２０１８年の実績。", None, [("２０１８年", "2018", "year")]),
    ("平成14年から単位制高校となった。", None, [("平成14年", "2002", "year")]),
    ("令和元年に開館した。", None, [("令和元年", "2019", "year")]),
    ("昭和63年の記録。", None, [("昭和63年", "1988", "year")]),
    ("平成三十年の大会。", None, [("平成三十年", "2018", "year")]),
    ("H30年度の決算。", None, [("H30年度", "2018", "year")]),
    ("韓国では88年の夏のソウルオリンピック。", None, [("88年", "1988", "year")]),
    ("2003年度から地下鉄を活用した通信網を使用。", None, [("2003年度", "2003", "year")]),
    ("令和5年度予算は404億99百万円。", None, [("令和5年度", "2023", "year")]),
    ("4月11日から視察を行っている。", None, [("4月11日", "--04-11", "date")]),
    ("視察は2018年4月11日に行った。", None, [("2018年4月11日", "2018-04-11", "date")]),
    ("2019年4月から導入。", None, [("2019年4月", "2019-04", "date")]),
    ("開設は2019/4/1です。", None, [("2019/4/1", "2019-04-01", "date")]),
    ("十一月三日は文化の日。", None, [("十一月三日", "--11-03", "date")]),
    ("4月11日から13日まで視察した。", None, [("4月11日", "--04-11", "date"), ("13日", "--04-13", "date")]),
    ("視察は15日に終わる。", None, [("15日", "---15", "date")]),
    ("昨日は入学式でした。", "2018-04-10", [("昨日", "2018-04-09", "relative")]),
    (
        "一昨日と今日と明日。",
        "2018-04-10",
        [
            ("一昨日", "2018-04-08", "relative"),
            ("今日", "2018-04-10", "relative"),
            ("明日", "2018-04-11", "relative"),
        ],
    ),
    (
        "去年と昨年と今年と来年。",
        "2018-04-10",
        [
            ("去年", "2017", "relative"),
            ("昨年", "2017", "relative"),
            ("今年", "2018", "relative"),
            ("来年", "2019", "relative"),
        ],
    ),
    (
        "先月と今月と来月。",
        "2018-01-10",
        [("先月", "2017-12", "relative"), ("今月", "2018-01", "relative"), ("来月", "2018-02", "relative")],
    ),
    ("今年度と昨年度。", "2019-03-01", [("今年度", "2018", "relative"), ("昨年度", "2017", "relative")]),
    ("昨日は視察最終日。", None, [("昨日", None, "relative")]),
    ("2018〜2020年の計画。", None, [("2018〜2020年", "2018/2020", "year")]),
    ("4月11日〜13日の日程。", None, [("4月11日〜13日", "--04-11/--04-13", "date")]),
    ("2018年前半と1603年。", None, [("2018年", "2018", "year"), ("1603年", "1603", "year")]),
]


@pytest.mark.parametrize(("text", "post_date", "expected"), CASES, ids=[c[0][:16] for c in CASES])
def test_date_forms(text: str, post_date: str | None, expected: list[Row]) -> None:
    assert dates(text, post_date) == expected


NOT_DATES = [
    "この日は、ソウル市も視察しました。",
    "次の日には公開するようにしている。",
    "毎年300台程度つけている。年間20〜30件の要望。",
    "現在、今回、次回、当初、今後、以降、最終日。",
    "午前中は施設の視察、午後は会議、夜に飛行機で、深夜に空港着。",
    "春の暖かさです。",
    "平昌オリンピックは、17日、パラリンピックは10日間。",
    "7年連続で世界一。50年の歴史。3ヶ月間の試行。",
    "今日的な課題。",
]


@pytest.mark.parametrize("text", NOT_DATES, ids=[t[:12] for t in NOT_DATES])
def test_not_dates(text: str) -> None:
    assert dates(text) == []


def test_fiscal_and_era_notes() -> None:
    (fy,) = [f for f in facts_of("2003年度から使用。") if f.kind == "date"]
    assert fy.note == "fiscal year"
    (era,) = [f for f in facts_of("平成14年から。") if f.kind == "date"]
    assert era.note is not None and "Heisei 14" in era.note
    (day,) = [f for f in facts_of("4月11日から視察。\n視察は13日までです。") if f.surface == "13日"]
    assert day.note is not None and "4月11日" in day.note


def test_relative_words_resolve_against_the_post_date() -> None:
    (f,) = [f for f in facts_of("昨日は入学式へ。", date="2018-04-07") if f.kind == "date"]
    assert (f.value, f.unit) == ("2018-04-06", "relative")
    assert f.note is not None and "relative" in f.note


def test_parse_post_date() -> None:
    assert str(parse_post_date("2018-04-07")) == "2018-04-07"
    assert parse_post_date("2018-04-07T10:00:00") is not None
    assert parse_post_date(None) is None
    assert parse_post_date("yesterday") is None

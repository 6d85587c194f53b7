"""Days as councils write them (西暦, 和暦, dotted, slashed, compact) and periods for --since/--until."""

from __future__ import annotations

import datetime as dt

import pytest

from kb.errors import QueryError
from kb.text.dates import (
    Period,
    date_line,
    find_days,
    first_day,
    is_date_line,
    parse_period,
    tail_date,
    title_date,
)


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("令和6年10月2日(水)", "2024-10-02"),
        ("R6.10.2", "2024-10-02"),
        ("H30.4.1", "2018-04-01"),
        ("2024年10月02日", "2024-10-02"),
        ("2024.10.02", "2024-10-02"),
        ("2024/10/2", "2024-10-02"),
        ("2024-10-02 20:38", "2024-10-02"),
        ("20241002", "2024-10-02"),
        ("２０２４年１０月２日", "2024-10-02"),
        ("令和元年5月1日", "2019-05-01"),
        ("投稿日：2024.05.21", "2024-05-21"),
        ("【2023年4月1日】", "2023-04-01"),
        ("2018年4月13日金曜日", "2018-04-13"),
        ("2024年1月25日 20:38 | 視察報告", "2024-01-25"),
        ("平成31年4月30日", "2019-04-30"),
    ],
)
def test_date_lines_in_every_common_form(line: str, iso: str) -> None:
    assert date_line(line) == iso
    assert is_date_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "平成30年2月30日",  # no such day
        "平成31年5月1日",  # 平成 ended on 2019-04-30
        "令和1年4月30日",  # 令和 began on 2019-05-01
        "H32.1.1",
        "2023-13-01",
        "20231301",
    ],
)
def test_impossible_dates_are_refused(line: str) -> None:
    assert date_line(line) is None
    assert first_day(line) is None


@pytest.mark.parametrize(
    "line",
    [
        "2018年4月13日に金沢市を訪れ、北陸新幹線の開業効果について伺いました。",
        "« 2013年6月 »",  # a calendar widget's month header
        "2024年8月 (5)",  # an archive list's month with its count
        "平成30年度の予算",
        "第20241002号",
    ],
)
def test_lines_that_are_not_post_dates(line: str) -> None:
    assert date_line(line) is None


def test_lines_that_are_dates_without_a_year_are_date_lines_but_give_no_date() -> None:
    for line in ("7月16日(火)", "7/19(金)", "2024年10月"):
        assert is_date_line(line) and date_line(line) is None


@pytest.mark.parametrize(
    ("title", "iso"),
    [
        ("R6.2.14 乗合タクシー 視察(鳥取県智頭町)", "2024-02-14"),
        ("松江市 放課後児童クラブ 視察メモ(2022/11/9)", "2022-11-09"),
        ("北欧視察報告(スウェーデン・ノルウェー)R5.9.4〜9.10", "2023-09-04"),
        ("観光視察(長野県・松本市)令和4年10月17日〜18日", "2022-10-17"),
        ("盛岡視察(令和6年5月20日〜21日)", "2024-05-20"),
        ("2024年4月1日に開所した施設を視察", None),  # a date inside the sentence of a title
        ("令和5年7月 行政視察(山梨県甲府市)", None),  # a month is not a day
        ("タイ視察報告 3日目 チェンマイ市", None),
    ],
)
def test_dates_a_title_starts_or_ends_with(title: str, iso: str | None) -> None:
    assert title_date(title) == iso


def test_days_found_in_a_text_keep_their_offsets() -> None:
    text = "視察は2024年10月2日から、R6.10.3まで。"
    days = list(find_days(text))
    assert [(d.iso, text[d.start : d.end]) for d in days] == [
        ("2024-10-02", "2024年10月2日"),
        ("2024-10-03", "R6.10.3"),
    ]


def test_a_date_under_the_post() -> None:
    lines = ["タイトル", "本文です。", "", "2024/01/25 20:38", "IMG_0001", ""]
    assert tail_date(lines) == "2024-01-25"
    assert tail_date(["タイトル", "2024/01/25", "一", "二", "三", "四", "五", "六", "七"]) is None


D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2018", D(2018, 1, 1), D(2018, 12, 31)),
        ("2018年", D(2018, 1, 1), D(2018, 12, 31)),
        ("2018-04", D(2018, 4, 1), D(2018, 4, 30)),
        ("2018/4", D(2018, 4, 1), D(2018, 4, 30)),
        ("2018年4月", D(2018, 4, 1), D(2018, 4, 30)),
        ("2024年2月", D(2024, 2, 1), D(2024, 2, 29)),
        ("2018-12", D(2018, 12, 1), D(2018, 12, 31)),
        ("2018-04-13", D(2018, 4, 13), D(2018, 4, 13)),
        ("2018年10月24日", D(2018, 10, 24), D(2018, 10, 24)),
        ("2018.10.24", D(2018, 10, 24), D(2018, 10, 24)),
        ("20181024", D(2018, 10, 24), D(2018, 10, 24)),
        ("令和5年", D(2023, 1, 1), D(2023, 12, 31)),
        ("R5", D(2023, 1, 1), D(2023, 12, 31)),
        ("H30.4", D(2018, 4, 1), D(2018, 4, 30)),
        ("H30.4.1", D(2018, 4, 1), D(2018, 4, 1)),
        ("令和元年", D(2019, 5, 1), D(2019, 12, 31)),  # 令和 began on May 1st
        ("平成31年", D(2019, 1, 1), D(2019, 4, 30)),  # and 平成 ended on April 30th
        ("令和5年度", D(2023, 4, 1), D(2024, 3, 31)),
        ("2023年度", D(2023, 4, 1), D(2024, 3, 31)),
        ("R5年度", D(2023, 4, 1), D(2024, 3, 31)),
        ("平成30年度", D(2018, 4, 1), D(2019, 3, 31)),
        ("令和元年度", D(2019, 4, 1), D(2020, 3, 31)),
        ("２０１８年１０月２４日", D(2018, 10, 24), D(2018, 10, 24)),
        ("令和５年度", D(2023, 4, 1), D(2024, 3, 31)),
        (" 2018 ", D(2018, 1, 1), D(2018, 12, 31)),
    ],
)
def test_periods_for_filters(text: str, start: dt.date, end: dt.date) -> None:
    assert parse_period(text) == Period(start, end)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "去年",
        "2018-02-30",
        "平成32年",
        "平成31年5月",
        "令和1年4月",
        "令和0年",
        "R5.13",
        "2018/04/13/1",
        "abc",
    ],
)
def test_anything_else_is_a_query_error_in_one_japanese_line_with_examples(text: str) -> None:
    with pytest.raises(QueryError) as err:
        parse_period(text)
    message = str(err.value)
    assert "\n" not in message
    assert "例: 2018, 2018-04, 2018年4月13日" in message and "令和5年度" in message


def test_an_era_error_says_when_the_era_ends() -> None:
    with pytest.raises(QueryError, match="平成は1989年1月8日から2019年4月30日までです"):
        parse_period("平成31年5月")

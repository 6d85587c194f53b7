"""Dates in the shapes councillors write them: ranges in one expression, ISO, dotted and slashed
forms, a day alone at a sentence start, decades; garbled and impossible dates left alone
(table-driven, invented sentences)."""

from __future__ import annotations

import pytest

from helpers import facts_of

Row = tuple[str, str | None]  # surface, value


def dates(text: str) -> list[Row]:
    return [(f.surface, f.value) for f in facts_of(text) if f.kind == "date"]  # type: ignore[misc]


CASES: list[tuple[str, list[Row]]] = [
    # ranges in one expression are one date
    ("9月16日〜18日の日程で訪問。", [("9月16日〜18日", "--09-16/--09-18")]),
    ("視察は6月3-4日に行った。", [("6月3-4日", "--06-03/--06-04")]),
    ("視察は10月7,8日の両日。", [("10月7,8日", "--10-07/--10-08")]),
    ("令和7年2月12日〜13日に実施。", [("令和7年2月12日〜13日", "2025-02-12/2025-02-13")]),
    ("2022年11月8日〜10日の視察。", [("2022年11月8日〜10日", "2022-11-08/2022-11-10")]),
    ("計画期間は平成19年度〜平成21年度。", [("平成19年度〜平成21年度", "2007/2009")]),
    ("令和9年度〜令和13年度の5か年計画。", [("令和9年度〜令和13年度", "2027/2031")]),
    ("2016〜2019年の実績。", [("2016〜2019年", "2016/2019")]),
    ("計画期間(2022〜2026年度)", [("2022〜2026年度", "2022/2026")]),
    ("日程は6/12〜13です。", [("6/12〜13", "--06-12/--06-13")]),
    ("調査(R7.1.20〜1.22)の報告。", [("R7.1.20〜1.22", "2025-01-20/2025-01-22")]),
    # weekdays stay out: a range written with them gives its two days
    ("視察は11/6(水)〜7(木)です。", [("11/6", "--11-06"), ("7", "--11-07")]),
    # から … まで gives two dates
    ("7月8日から10日まで滞在。", [("7月8日", "--07-08"), ("10日", "--07-10")]),
    # ISO, dotted and slashed dates
    ("更新日 2022-05-09 の記事。", [("2022-05-09", "2022-05-09")]),
    ("開催は2021.10.4でした。", [("2021.10.4", "2021-10-04")]),
    ("R4.3.15 委員会視察", [("R4.3.15", "2022-03-15")]),
    ("申込は6/30まで。", [("6/30", "--06-30")]),
    ("人口(4/1現在)は5万人。", [("4/1", "--04-01")]),
    ("研修会(8/21)に参加。", [("8/21", "--08-21")]),
    ("9/5(木) 現地調査", [("9/5", "--09-05")]),
    ("8/27、委員会で現地を訪ねた。", [("8/27", "--08-27")]),
    # a day alone at the start of a sentence
    ("12日は町役場で話を聞いた。", [("12日", "---12")]),
    ("8月4日に出発。5日午前は工場を見学した。", [("8月4日", "--08-04"), ("5日", "--08-05")]),
    # decades
    ("1980年代の開発。", [("1980年代", "1980")]),
    ("昭和40年代の団地。", [("昭和40年代", "1965")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:16] for c in CASES])
def test_date_shapes(text: str, expected: list[Row]) -> None:
    assert dates(text) == expected


NOT_DATES = [
    "令和4123日に開催",  # garbled era date
    "平成26年2月30日に開催",  # no 30 February
    "2023年13月の記録",  # no 13th month
    "比率は1/3程度。",  # a fraction
    "電話 0267-32-0000",  # a phone number
    "詳細は https://example.jp/2022/05/09/report を参照",  # a date inside a web address
    "12日間の研修。",  # a duration
]


@pytest.mark.parametrize("text", NOT_DATES, ids=[t[:12] for t in NOT_DATES])
def test_not_dates(text: str) -> None:
    assert dates(text) == []

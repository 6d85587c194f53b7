"""Quantities in the shapes councillors write them: label colons, counters, rates, ranges and
alternatives, durations in hours and minutes, and the numbers that are no amount (table-driven,
invented sentences)."""

from __future__ import annotations

import pytest

from helpers import Row, facts_of, quantities

CASES: list[tuple[str, list[Row]]] = [
    # a figure right after a label colon (half or full width) is a figure, not a clock time
    ("・人口:4万7,210人", [("4万7,210人", 47210, None, "人", None)]),
    ("予算：12億円", [("12億円", 1200000000, None, "円", None)]),
    ("職員数:830人", [("830人", 830, None, "人", None)]),
    ("・面積:52.3km2", [("52.3km2", 52.3, None, "km2", None)]),
    ("定員／40人", [("40人", 40, None, "人", None)]),
    # a noun ending in 数 before the figure
    ("定数18名、児童数240人。", [("18名", 18, None, "名", None), ("240人", 240, None, "人", None)]),
    # counters that Sudachi cuts or tags as verbal nouns
    ("対象は3歳児と0歳児。", [("3歳", 3, None, "歳", None), ("0歳", 0, None, "歳", None)]),
    ("利用は1歳児から5歳児が中心。", [("1歳児から5歳", 1, 5, "歳", None)]),
    (
        "校舎は3階建てで、隣は5階建。",
        [("3階建て", 3, None, "階建て", None), ("5階建", 5, None, "階建", None)],
    ),
    ("6年制の学校。", [("6年制", 6, None, "年制", None)]),
    ("年間で計36試合を行う。", [("36試合", 36, None, "試合", None)]),
    (
        "約70施設が加盟し、90手続きを受け付ける。",
        [("70施設", 70, None, "施設", "約"), ("90手続き", 90, None, "手続き", None)],
    ),
    ("市域を5ブロックに区切る。", [("5ブロック", 5, None, "ブロック", None)]),
    (
        "県内の19市町村のうち5町村が参加した。",
        [("19市町村", 19, None, "市町村", None), ("5町村", 5, None, "町村", None)],
    ),
    ("手続きは3ステップで済む。", [("3ステップ", 3, None, "ステップ", None)]),
    ("1晩に2千人が泊まる。", [("1晩", 1, None, "晩", None), ("2千人", 2000, None, "人", None)]),
    ("市内の橋は約420橋。", [("420橋", 420, None, "橋", "約")]),
    (
        "講座は1コマ90分で、15分の休憩。",
        [("1コマ", 1, None, "コマ", None), ("90分", 90, None, "分", None), ("15分", 15, None, "分", None)],
    ),
    ("創立130周年の式典。", [("130周年", 130, None, "周年", None)]),
    # rate units
    (
        "処理能力は150t/日(75t/日×2炉)。",
        [
            ("150t/日", 150, None, "t/日", None),
            ("75t/日", 75, None, "t/日", None),
            ("2炉", 2, None, "炉", None),
        ],
    ),
    # a range with the unit written twice, by 〜 or by から; a change is two figures
    ("料金は300円〜500円。", [("300円〜500円", 300, 500, "円", None)]),
    ("対象は6歳から12歳まで。", [("6歳から12歳", 6, 12, "歳", None)]),
    ("待ち時間は20分から30分。", [("20分から30分", 20, 30, "分", None)]),
    ("利用者の3割から4割が高齢者。", [("3割から4割", 3, 4, "割", None)]),
    ("待ち時間は30分から10分に縮んだ。", [("30分", 30, None, "分", None), ("10分", 10, None, "分", None)]),
    ("利用者は20人から40人に増えた。", [("20人", 20, None, "人", None), ("40人", 40, None, "人", None)]),
    # alternatives: four or five
    ("空き店舗が4,5軒ある。", [("4,5軒", 4, 5, "軒", None)]),
    ("委員が2、3人で回る。", [("2、3人", 2, 3, "人", None)]),
    # hours and minutes are one duration in minutes
    ("駅から車で約2時間15分。", [("2時間15分", 135, None, "分", "約")]),
    ("船で1時間5分ほど。", [("1時間5分", 65, None, "分", "ほど")]),
    # qualifiers stay out of the surface, several may stand before a figure
    ("延べ約3万人が来場。", [("3万人", 30000, None, "人", "延べ 約")]),
    ("最大で4.5mの津波。", [("4.5m", 4.5, None, "m", "最大")]),
    ("来場者は6万人を超える。", [("6万人", 60000, None, "人", "を超える")]),
    ("自給率は2割に満たない。", [("2割", 2, None, "割", "に満たない")]),
    ("備蓄は約3日分。", [("3日", 3, None, "日", "約 分")]),
    # currencies named after a country, measures in words
    (
        "総額20億スウェーデン・クローナ。",
        [("20億スウェーデン・クローナ", 2000000000, None, "スウェーデン・クローナ", None)],
    ),
    ("毎秒3.6立方メートルを放流する。", [("3.6立方メートル", 3.6, None, "立方メートル", None)]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:18] for c in CASES])
def test_quantity_shapes(text: str, expected: list[Row]) -> None:
    assert quantities(text) == expected


NOT_QUANTITIES = [
    "開始は10:30、終了は12:00。",  # clock times after a colon
    "写真:IMG_4410、3f9a2c7e81b0",  # photo ids and hex ids
    "資料 7e4b-3a9c-8d21 を参照",  # a hex id with dashes
    "1期生として入学し、2期目を迎えた。",  # ordinals
    "補助は事業費の3分の2で、町の持ち出しは4分の1以下。",  # fractions
    "令和4123日に開催",  # a garbled era date: neither a date nor an amount
    "八千代町と三重県と九十九里町。",  # numerals inside names
    "平成26年2月30日に開催",  # an impossible date: refused, and no amount either
    "自動運転はレベル3の段階で、工事はフェーズ 2に入った。",  # a level and a stage
]


@pytest.mark.parametrize("text", NOT_QUANTITIES, ids=[t[:14] for t in NOT_QUANTITIES])
def test_no_quantity(text: str) -> None:
    assert quantities(text) == []


def test_an_impossible_date_is_no_date_either() -> None:
    assert [f for f in facts_of("平成26年2月30日に開催") if f.kind == "date"] == []

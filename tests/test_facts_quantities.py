"""Quantities: every form kb reads (table-driven), and the numbers it must leave alone."""

from __future__ import annotations

import pytest

from kb.facts import extract_facts
from kb.facts.quantities import canonical_unit
from kb.models import Fact, Line, RawPost
from kb.segment import segment
from kb.structure import build_post

Row = tuple[str, float, float | None, str, str | None]


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


def quantities(text: str) -> list[Row]:
    return [
        (f.surface, f.value, f.value_max, f.unit, f.qualifier)  # type: ignore[misc]
        for f in facts_of(text)
        if f.kind == "quantity"
    ]


CASES: list[tuple[str, list[Row]]] = [
    # plain counters, thousands separators, decimals, full width
    ("川崎市では約4,800人が参加した。", [("4,800人", 4800, None, "人", "約")]),
    ("利用者は23,456,789人に達した。", [("23,456,789人", 23456789, None, "人", None)]),
    ("事業費は2.5倍に増えた。", [("2.5倍", 2.5, None, "倍", None)]),
    ("回答者の３８％が賛成。", [("３８％", 38, None, "%", None)]),
    ("参加者は６５名でした。", [("６５名", 65, None, "名", None)]),
    # multipliers
    ("来場者は243万人を記録。", [("243万人", 2430000, None, "人", None)]),
    ("基金は70億円です。", [("70億円", 7000000000, None, "円", None)]),
    ("令和8年度予算は512億30百万円。", [("512億30百万円", 51230000000, None, "円", None)]),
    ("総額2億3456万7890円の事業。", [("2億3456万7890円", 234567890, None, "円", None)]),
    ("市の職員は約6千人。", [("6千人", 6000, None, "人", "約")]),
    ("人口は約2.5万人の町。", [("2.5万人", 25000, None, "人", "約")]),
    # kanji numerals
    (
        "瓶一個で一ポイントが付く。",
        [("一個", 1, None, "個", None), ("一ポイント", 1, None, "ポイント", None)],
    ),
    ("四回目ではなく四回で終わった。", [("四回", 4, None, "回", None)]),
    (
        "三十二人の委員と四千五百円の会費。",
        [("三十二人", 32, None, "人", None), ("四千五百円", 4500, None, "円", None)],
    ),
    ("二万三千人が集まった。", [("二万三千人", 23000, None, "人", None)]),
    # ranges
    ("年間40〜60件の相談がある。", [("40〜60件", 40, 60, "件", None)]),
    ("相談は40～60件。", [("40～60件", 40, 60, "件", None)]),
    ("相談は40-60件。", [("40-60件", 40, 60, "件", None)]),
    ("相談は40~60件。", [("40~60件", 40, 60, "件", None)]),
    ("相談は40から60件。", [("40から60件", 40, 60, "件", None)]),
    ("相談は40件〜60件。", [("40件〜60件", 40, 60, "件", None)]),
    ("1日あたり5〜6万人が訪れる。", [("1日", 1, None, "日", None), ("5〜6万人", 50000, 60000, "人", None)]),
    ("賛成は40〜60%。", [("40〜60%", 40, 60, "%", None)]),
    # qualifiers stay out of the surface
    ("毎年400台程度を更新している。", [("400台", 400, None, "台", "程度")]),
    ("2600万件以上が登録されている。", [("2600万件", 26000000, None, "件", "以上")]),
    ("350人くらいを招いた。", [("350人", 350, None, "人", "くらい")]),
    ("4万人ほどが訪れる。", [("4万人", 40000, None, "人", "ほど")]),
    ("70人ぐらい来た。", [("70人", 70, None, "人", "ぐらい")]),
    ("15人未満の会議。", [("15人", 15, None, "人", "未満")]),
    ("35人以下の学級。", [("35人", 35, None, "人", "以下")]),
    ("400人超が参加。", [("400人", 400, None, "人", "超")]),
    ("60人余りが参加。", [("60人", 60, None, "人", "余り")]),
    ("60人あまりが参加。", [("60人", 60, None, "人", "あまり")]),
    ("4割強が賛成。", [("4割", 4, None, "割", "強")]),
    ("300人弱が参加。", [("300人", 300, None, "人", "弱")]),
    ("3万人前後が来場。", [("3万人", 30000, None, "人", "前後")]),
    ("2000人近くが集まった。", [("2000人", 2000, None, "人", "近く")]),
    ("およそ80件の相談。", [("80件", 80, None, "件", "およそ")]),
    ("300余人が出席。", [("300余人", 300, None, "人", "余")]),
    # N + の + the noun counted
    ("74の都市で連合を作った。", [("74の都市", 74, None, "都市", None)]),
    ("3180の質問項目を用意した。", [("3180の質問項目", 3180, None, "質問項目", None)]),
    ("48の出先機関を回線で結んでいる。", [("48の出先機関", 48, None, "出先機関", None)]),
    ("その市は14の区に分かれる。", [("14の区", 14, None, "区", None)]),
    ("市内には57の公園がある。", [("57の公園", 57, None, "公園", None)]),
    # a number followed directly by the noun it counts
    ("18万市民が署名に参加。", [("18万市民", 180000, None, "市民", None)]),
    ("6大会を開催した。", [("6大会", 6, None, "大会", None)]),
    ("27機関が協力した。", [("27機関", 27, None, "機関", None)]),
    (
        "1ミナトは1ウォンに相当する。",
        [("1ミナト", 1, None, "ミナト", None), ("1ウォン", 1, None, "ウォン", None)],
    ),
    # Latin and symbol units
    ("4618sites、12903AP", [("4618sites", 4618, None, "sites", None), ("12903AP", 12903, None, "AP", None)]),
    ("面積は77.42km2。", [("77.42km2", 77.42, None, "km2", None)]),
    ("容量は8GBまで。", [("8GB", 8, None, "GB", None)]),
    ("延長4.5 kmの区間。", [("4.5 km", 4.5, None, "km", None)]),
    ("床面積は65㎡。", [("65㎡", 65, None, "m2", None)]),
    ("市域は287.31k㎡。", [("287.31k㎡", 287.31, None, "km2", None)]),
    ("面積は395.17平方キロメートル。", [("395.17平方キロメートル", 395.17, None, "km2", None)]),
    ("市域は513、47k㎡。", [("513、47k㎡", 513.47, None, "km2", None)]),
    # percent and 割
    ("GDPの17パーセントに当たる。", [("17パーセント", 17, None, "%", None)]),
    ("市民の85%以上が車を持つ。", [("85%", 85, None, "%", "以上")]),
    ("人口の3割が住む。", [("3割", 3, None, "割", None)]),
    ("2割7分の打率。", [("2割7分", 2.7, None, "割", None)]),
    # money
    (
        "$250と￥3,000と250ドル。",
        [
            ("$250", 250, None, "ドル", None),
            ("￥3,000", 3000, None, "円", None),
            ("250ドル", 250, None, "ドル", None),
        ],
    ),
    (
        "80ユーロと450元と5000ウォン。",
        [
            ("80ユーロ", 80, None, "ユーロ", None),
            ("450元", 450, None, "元", None),
            ("5000ウォン", 5000, None, "ウォン", None),
        ],
    ),
    # canonical counters
    (
        "7箇所と8か所と9カ所と10ヶ所と11ケ所。",
        [
            (s, v, None, "箇所", None)
            for s, v in (("7箇所", 7), ("8か所", 8), ("9カ所", 9), ("10ヶ所", 10), ("11ケ所", 11))
        ],
    ),
    ("12カ国の翻訳アプリ。", [("12カ国", 12, None, "カ国", None)]),
    ("2ヶ月間の試行。", [("2ヶ月間", 2, None, "カ月間", None)]),
    # durations (not dates)
    ("2011年から9年連続で日本一。", [("9年", 9, None, "年", None)]),
    ("一年下の後輩が部長になった。", [("一年", 1, None, "年", None)]),
    (
        "国体の会期は、11日、障害者大会は4日間。",
        [("11日", 11, None, "日", None), ("4日間", 4, None, "日間", None)],
    ),
    (
        "1日16時間、年300日稼働する。",
        [("1日", 1, None, "日", None), ("16時間", 16, None, "時間", None), ("300日", 300, None, "日", None)],
    ),
    ("3年半と2時間半。", [("3年半", 3.5, None, "年", None), ("2時間半", 2.5, None, "時間", None)]),
    ("4回連続で委員長に選ばれた。", [("4回", 4, None, "回", None)]),
    ("6つの体育館、1つは資料館。", [("6つ", 6, None, "つ", None), ("1つ", 1, None, "つ", None)]),
    (
        "1200年の歴史と1500年以上前の古墳。",
        [("1200年", 1200, None, "年", None), ("1500年", 1500, None, "年", "以上")],
    ),
    ("4日に1回の回収。", [("4日", 4, None, "日", None), ("1回", 1, None, "回", None)]),
    # minus signs of Japanese tables
    (
        "前年比▲2.7%、気温はマイナス8℃。",
        [("▲2.7%", -2.7, None, "%", None), ("マイナス8℃", -8, None, "℃", None)],
    ),
    # a qualifier must be a word of its own: 約 in 予約 is none
    ("予約5件と約5件。", [("5件", 5, None, "件", None), ("5件", 5, None, "件", "約")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:20] for c in CASES])
def test_quantity_forms(text: str, expected: list[Row]) -> None:
    assert quantities(text) == expected


EXCLUDED = [
    "①の項目と⑴の項目と②の項目。",
    "台湾視察の報告第2弾をお届けします。",
    "県内で7番目の町(隣町は6番目だという)。",
    "日本一を掲げ、県内No1、業界NO1、No.1を目指す。",
    "5Gの通信網と8Kと3D地図。",
    "IMG_4410の写真。",
    "電話は04-2345-6789まで。",
    "〒381-0042 長野県長野市若里6-4-12",
    "2016年に開始した。",
    "三重県と唯一の例。",
    "一環として、一般的に、ご一緒した、五輪の、六角形の、文武両道、数々の。",
    "一対一で向き合う。",
    "ワンストップで、ワンフロアにまとめた。",
    "単位は億ドン。",
    "1番人気の店、1番高く、2位、4回目、3人目、7丁目、5階、20世紀、2年生。",
    "9時15分から11時まで、13:30開始。",
    "十数人と数百人と万が一。",
    "一つ一つ丁寧に。二度と来ない。",
    "70年代の歌謡曲。",
    "6月9日と12日までの日程。",
    "3R運動と3Mの製品、2027実績、3.11の教訓、29年度予算。",
]


@pytest.mark.parametrize("text", EXCLUDED, ids=[t[:16] for t in EXCLUDED])
def test_not_quantities(text: str) -> None:
    assert quantities(text) == []


def test_canonical_units() -> None:
    assert canonical_unit("ヶ所") == "箇所"
    assert canonical_unit("カ所") == "箇所"
    assert canonical_unit("ヵ国") == "カ国"
    assert canonical_unit("ヶ月間") == "カ月間"
    assert canonical_unit("％") == "%"
    assert canonical_unit("パーセント") == "%"
    assert canonical_unit("k㎡") == "km2"
    assert canonical_unit("人") == "人"

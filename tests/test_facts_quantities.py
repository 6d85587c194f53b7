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
    ("横浜市では約3,700人が参加した。", [("3,700人", 3700, None, "人", "約")]),
    ("利用者は12,345,678人に達した。", [("12,345,678人", 12345678, None, "人", None)]),
    ("事業費は1.5倍に増えた。", [("1.5倍", 1.5, None, "倍", None)]),
    ("回答者の２５％が賛成。", [("２５％", 25, None, "%", None)]),
    ("参加者は５０名でした。", [("５０名", 50, None, "名", None)]),
    # multipliers
    ("来場者は168万人を記録。", [("168万人", 1680000, None, "人", None)]),
    ("基金は50億円です。", [("50億円", 5000000000, None, "円", None)]),
    ("令和5年度予算は404億99百万円。", [("404億99百万円", 40499000000, None, "円", None)]),
    ("総額1億2345万6789円の事業。", [("1億2345万6789円", 123456789, None, "円", None)]),
    ("市の職員は約5千人。", [("5千人", 5000, None, "人", "約")]),
    ("人口は約1.5万人の町。", [("1.5万人", 15000, None, "人", "約")]),
    # kanji numerals
    (
        "一個一ポイントで払い戻される。",
        [("一個", 1, None, "個", None), ("一ポイント", 1, None, "ポイント", None)],
    ),
    ("三回目ではなく三回で終わった。", [("三回", 3, None, "回", None)]),
    (
        "二十五人の委員と三千五百円の会費。",
        [("二十五人", 25, None, "人", None), ("三千五百円", 3500, None, "円", None)],
    ),
    ("一万二千人が集まった。", [("一万二千人", 12000, None, "人", None)]),
    # ranges
    ("年間20〜30件の要望がある。", [("20〜30件", 20, 30, "件", None)]),
    ("要望は20～30件。", [("20～30件", 20, 30, "件", None)]),
    ("要望は20-30件。", [("20-30件", 20, 30, "件", None)]),
    ("要望は20~30件。", [("20~30件", 20, 30, "件", None)]),
    ("要望は20から30件。", [("20から30件", 20, 30, "件", None)]),
    ("要望は20件〜30件。", [("20件〜30件", 20, 30, "件", None)]),
    ("1日あたり3〜4万人が訪れる。", [("1日", 1, None, "日", None), ("3〜4万人", 30000, 40000, "人", None)]),
    ("賛成は20〜30%。", [("20〜30%", 20, 30, "%", None)]),
    # qualifiers stay out of the surface
    ("毎年300台程度つけている。", [("300台", 300, None, "台", "程度")]),
    ("1400万件以上公開されている。", [("1400万件", 14000000, None, "件", "以上")]),
    ("200人くらい派遣した。", [("200人", 200, None, "人", "くらい")]),
    ("2万人ほどが集まる。", [("2万人", 20000, None, "人", "ほど")]),
    ("50人ぐらい来た。", [("50人", 50, None, "人", "ぐらい")]),
    ("10人未満の会議。", [("10人", 10, None, "人", "未満")]),
    ("30人以下の学級。", [("30人", 30, None, "人", "以下")]),
    ("100人超が参加。", [("100人", 100, None, "人", "超")]),
    ("50人余りが参加。", [("50人", 50, None, "人", "余り")]),
    ("50人あまりが参加。", [("50人", 50, None, "人", "あまり")]),
    ("3割強が賛成。", [("3割", 3, None, "割", "強")]),
    ("100人弱が参加。", [("100人", 100, None, "人", "弱")]),
    ("1万人前後が来場。", [("1万人", 10000, None, "人", "前後")]),
    ("1000人近くが集まった。", [("1000人", 1000, None, "人", "近く")]),
    ("およそ50件の相談。", [("50件", 50, None, "件", "およそ")]),
    ("100余人が出席。", [("100余人", 100, None, "人", "余")]),
    # N + の + the noun counted
    ("129の都市と協議会を作った。", [("129の都市", 129, None, "都市", None)]),
    ("5520の投票項目がある。", [("5520の投票項目", 5520, None, "投票項目", None)]),
    ("36の行政機関を光でつないでいる。", [("36の行政機関", 36, None, "行政機関", None)]),
    ("ソウル市は25の区で構成される。", [("25の区", 25, None, "区", None)]),
    ("市内には42の公園がある。", [("42の公園", 42, None, "公園", None)]),
    # a number followed directly by the noun it counts
    ("22万市民が投票に参加。", [("22万市民", 220000, None, "市民", None)]),
    ("4大会を開催した。", [("4大会", 4, None, "大会", None)]),
    ("19機関が連携した。", [("19機関", 19, None, "機関", None)]),
    (
        "1ノウォン=1ウォンの価値。",
        [("1ノウォン", 1, None, "ノウォン", None), ("1ウォン", 1, None, "ウォン", None)],
    ),
    # Latin and symbol units
    ("3729sites、10786AP", [("3729sites", 3729, None, "sites", None), ("10786AP", 10786, None, "AP", None)]),
    ("面積は91.25km2。", [("91.25km2", 91.25, None, "km2", None)]),
    ("容量は5GBまで。", [("5GB", 5, None, "GB", None)]),
    ("延長3.5 kmの区間。", [("3.5 km", 3.5, None, "km", None)]),
    ("床面積は40㎡。", [("40㎡", 40, None, "m2", None)]),
    ("市域は343.46k㎡。", [("343.46k㎡", 343.46, None, "km2", None)]),
    ("面積は468.64平方キロメートル。", [("468.64平方キロメートル", 468.64, None, "km2", None)]),
    ("ソウル市は605、26k㎡。", [("605、26k㎡", 605.26, None, "km2", None)]),
    # percent and 割
    ("GDPの22パーセントを占める。", [("22パーセント", 22, None, "%", None)]),
    ("ソウル市民の90%以上がスマホ所有。", [("90%", 90, None, "%", "以上")]),
    ("人口の2割が住む。", [("2割", 2, None, "割", None)]),
    ("3割5分の打率。", [("3割5分", 3.5, None, "割", None)]),
    # money
    (
        "$100と￥1,000と100ドル。",
        [
            ("$100", 100, None, "ドル", None),
            ("￥1,000", 1000, None, "円", None),
            ("100ドル", 100, None, "ドル", None),
        ],
    ),
    (
        "50ユーロと300元と1000ウォン。",
        [
            ("50ユーロ", 50, None, "ユーロ", None),
            ("300元", 300, None, "元", None),
            ("1000ウォン", 1000, None, "ウォン", None),
        ],
    ),
    # canonical counters
    (
        "2箇所と3か所と4カ所と5ヶ所と6ケ所。",
        [
            (s, v, None, "箇所", None)
            for s, v in (("2箇所", 2), ("3か所", 3), ("4カ所", 4), ("5ヶ所", 5), ("6ケ所", 6))
        ],
    ),
    ("8カ国の通訳アプリ。", [("8カ国", 8, None, "カ国", None)]),
    ("3ヶ月間の試行。", [("3ヶ月間", 3, None, "カ月間", None)]),
    # durations (not dates)
    ("2003年から7年連続で世界一。", [("7年", 7, None, "年", None)]),
    ("一年上の先輩である会長。", [("一年", 1, None, "年", None)]),
    (
        "平昌オリンピックは、17日、パラリンピックは10日間。",
        [("17日", 17, None, "日", None), ("10日間", 10, None, "日間", None)],
    ),
    ("24時間365日問い合わせが可能。", [("24時間", 24, None, "時間", None), ("365日", 365, None, "日", None)]),
    ("2年半と1時間半。", [("2年半", 2.5, None, "年", None), ("1時間半", 1.5, None, "時間", None)]),
    ("3回連続で議長を務める。", [("3回", 3, None, "回", None)]),
    ("5つのスタジアム、1つは博物館。", [("5つ", 5, None, "つ", None), ("1つ", 1, None, "つ", None)]),
    (
        "1000年の歴史と2000年以上前の遺跡。",
        [("1000年", 1000, None, "年", None), ("2000年", 2000, None, "年", "以上")],
    ),
    ("3日に1回の収集。", [("3日", 3, None, "日", None), ("1回", 1, None, "回", None)]),
    # minus signs of Japanese tables
    (
        "前年比▲3.2%、気温はマイナス5℃。",
        [("▲3.2%", -3.2, None, "%", None), ("マイナス5℃", -5, None, "℃", None)],
    ),
    # a qualifier must be a word of its own: 約 in 予約 is none
    ("予約3件と約3件。", [("3件", 3, None, "件", None), ("3件", 3, None, "件", "約")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:20] for c in CASES])
def test_quantity_forms(text: str, expected: list[Row]) -> None:
    assert quantities(text) == expected


EXCLUDED = [
    "①の項目と⑴の項目と②の項目。",
    "韓国視察のご報告第3弾として紹介します。",
    "世界で5番目の国(日本は4番目とのこと)。",
    "世界一と評価され、世界No1、世界NO1、No.1を目指す。",
    "5Gのモバイルアプリと4Kと3D映像。",
    "IMG_9012の写真。",
    "電話は03-1234-5678まで。",
    "〒135-0016 東京都江東区東陽4-11-28",
    "2018年に開始した。",
    "千葉市と唯一の例。",
    "一環として、一般的に、ご一緒した、五輪の、五角形の、文武両道、数々の。",
    "一対一の対応を行う。",
    "ワンステップで、ワンフロアに集約。",
    "単位は億ウォン。",
    "1番完璧なオリンピック、1番安く、3位、3回目、2人目、5丁目、3階、21世紀、3年生。",
    "10時30分から12時まで、12:30開始。",
    "十数人と数百人と万が一。",
    "一つ一つ丁寧に。二度と来ない。",
    "80年代の音楽。",
    "4月11日と13日までの日程。",
    "3R運動と3Mの製品、2018実績、3.11の教訓、30年度予算。",
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

"""Organisations and places, on sentences from other councils' trips; and the user's own names."""

from __future__ import annotations

import pytest

from helpers import facts_of


def names_of(text: str, kind: str) -> list[str]:
    return [f.note or f.surface for f in facts_of(text) if f.kind == kind]


ORGS: list[tuple[str, list[str]]] = [
    ("港区役所と那覇市議会と株式会社ABCを訪問。", ["港区役所", "那覇市議会", "株式会社ABC"]),
    (
        "環境省と経済産業省、警察庁、文部科学省の担当者が同席した。",
        ["環境省", "経済産業省", "警察庁", "文部科学省"],
    ),
    (
        "NPO法人フローレンスと一般社団法人日本ABC協会に話を伺った。",
        ["NPO法人フローレンス", "一般社団法人日本ABC協会"],
    ),
    ("横浜市立大学と慶應義塾大学、東京大学の研究者。", ["横浜市立大学", "慶應義塾大学", "東京大学"]),
    ("京王バスと東急電鉄、横浜銀行、西日本新聞が協賛。", ["京王バス", "東急電鉄", "横浜銀行", "西日本新聞"]),
    ("金沢市教育委員会と神奈川県警と福岡県庁。", ["金沢市教育委員会", "神奈川県警", "福岡県庁"]),
    ("アムステルダム市役所で話を聞いた。", ["アムステルダム市役所"]),
    ("ユネスコとILOとWHOとIMF。", ["ユネスコ", "ILO", "WHO", "IMF"]),
    ("世界保健機関(WHO)と国際オリンピック委員会が連携。", ["世界保健機関", "WHO", "国際オリンピック委員会"]),
    ("米紙(The New York Times)でも取り上げられた。", ["The New York Times"]),
    ("「さいたま市こども家庭センター」を訪ねた。", ["さいたま市こども家庭センター"]),
    ("自民党と社民党と日本共産党の議員。", ["自民党", "社民党", "日本共産党"]),
    ("県立長野高校と横浜商工会議所。", ["県立長野高校", "横浜商工会議所"]),
    ("那覇市議会の議員と意見交換した。", ["那覇市議会"]),
    # generic nouns: no name of their own
    ("市議会と区議会、県議会の違いについて、教育委員会が説明した。", []),
    ("民間会社や地方の学校、総合病院、さらにはコールセンターも関わる。", []),
    ("都庁と県庁と区役所の窓口、同窓会と美術部。", []),
    ("中央省庁から職員が派遣され、警察、消防、軍が参加。", []),
    ("長野オリンピックと愛知万博、岐阜国体について議論した。", []),
]


@pytest.mark.parametrize(("text", "expected"), ORGS, ids=[c[0][:16] for c in ORGS])
def test_orgs(text: str, expected: list[str]) -> None:
    assert names_of(text, "org") == expected


PLACES: list[tuple[str, list[str]]] = [
    (
        "ヘルシンキ市とバルセロナ市、ストックホルムを視察。",
        ["ヘルシンキ市", "バルセロナ市", "ストックホルム"],
    ),
    ("大阪府と東京都と北九州市と世田谷区。", ["大阪府", "東京都", "北九州市", "世田谷区"]),
    (
        "名古屋駅から新宿駅まで山手線で移動し、関西空港から那覇空港へ。",
        ["名古屋駅", "新宿駅", "山手線", "関西空港", "那覇空港"],
    ),
    ("千代田区長と岡山市民、横浜市内の施設。", ["千代田区", "岡山市", "横浜市"]),
    ("アメリカとフランス、タイのバンコク市。", ["アメリカ", "フランス", "タイ", "バンコク市"]),
    ("韓国人観光客と日本国内の事例。", ["韓国", "日本"]),
    ("大邱広域市と広東省。", ["大邱広域市", "広東省"]),
    ("金沢駅から兼六園までバスで移動。", ["金沢駅"]),
    ("吉祥寺から三鷹まで歩いた。", ["吉祥寺", "三鷹"]),
    ("大阪24区で例えると西成区に近い。", ["大阪24区", "西成区"]),
    ("関西(かんさい)空港と関西国際空港。", ["関西空港", "関西国際空港"]),
    # a place inside an organisation, an event or a quoted name is no place of its own
    ("有明幼稚園の卒園式。", []),
    ("長野オリンピックと愛知万博。", []),
    ("長野市の「ながのレポ」に似たシステム。", ["長野市"]),
    ("世界と海外、国内外、全国の事例と日本語の資料。", []),
]


@pytest.mark.parametrize(("text", "expected"), PLACES, ids=[c[0][:16] for c in PLACES])
def test_places(text: str, expected: list[str]) -> None:
    assert names_of(text, "place") == expected


def test_gloss_is_dropped_in_note() -> None:
    (org,) = [f for f in facts_of("ソンパ(松坡)区役所にて話を聞いた。") if f.kind == "org"]
    assert org.surface == "ソンパ(松坡)区役所"
    assert org.note == "ソンパ区役所"
    assert org.value is None


def test_user_names_win_over_rules() -> None:
    text = "大邱市の寿城区役所を訪ね、寿城区役所の職員とGovNetについて話した。"
    facts = facts_of(text, names=[("寿城区役所", "place"), ("GovNet", "org")])
    got = [(f.kind, f.surface) for f in facts if f.kind in ("org", "place")]
    assert got == [
        ("place", "大邱市"),
        ("place", "寿城区役所"),
        ("place", "寿城区役所"),
        ("org", "GovNet"),
    ]


def test_user_names_match_full_width() -> None:
    facts = facts_of("ＧｏｖＮｅｔを通じて協力する。", names=[("GovNet", "org")])
    assert [(f.kind, f.surface) for f in facts] == [("org", "ＧｏｖＮｅｔ")]


def test_user_names_ignore_other_kinds() -> None:
    facts = facts_of("GovNetを通じて協力する。", names=[("GovNet", "person"), ("", "org")])
    assert [f for f in facts if f.kind == "org"] == []

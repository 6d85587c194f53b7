"""Organisations and places, on sentences from other councils' trips; and the user's own names."""

from __future__ import annotations

import pytest

from kb.facts import extract_facts
from kb.models import Fact, Line, RawPost
from kb.segment import segment
from kb.structure import build_post


def facts_of(text: str, names: list[tuple[str, str]] | None = None) -> list[Fact]:
    post = build_post(
        RawPost(title="t", lines=[Line(ln, i + 1) for i, ln in enumerate(text.split("\n"))], source="test")
    )
    facts = extract_facts(post, [segment(p.text) for p in post.passages], names or ())
    for f in facts:
        assert post.text[f.start : f.end] == f.surface
    return facts


def names_of(text: str, kind: str) -> list[str]:
    return [f.note or f.surface for f in facts_of(text) if f.kind == kind]


ORGS: list[tuple[str, list[str]]] = [
    ("港区役所と那覇市議会と株式会社ABCを訪問。", ["港区役所", "那覇市議会", "株式会社ABC"]),
    (
        "総務省と厚生労働省、警視庁、国土交通省の担当者が同席した。",
        ["総務省", "厚生労働省", "警視庁", "国土交通省"],
    ),
    (
        "NPO法人フローレンスと一般社団法人日本ABC協会に話を伺った。",
        ["NPO法人フローレンス", "一般社団法人日本ABC協会"],
    ),
    ("横浜市立大学と慶應義塾大学、東京大学の研究者。", ["横浜市立大学", "慶應義塾大学", "東京大学"]),
    ("京王バスと東急電鉄、横浜銀行、西日本新聞が協賛。", ["京王バス", "東急電鉄", "横浜銀行", "西日本新聞"]),
    ("札幌市教育委員会と神奈川県警と福岡県庁。", ["札幌市教育委員会", "神奈川県警", "福岡県庁"]),
    ("アムステルダム市役所で説明を受けた。", ["アムステルダム市役所"]),
    ("ユネスコとユニセフとWHOとOECD。", ["ユネスコ", "ユニセフ", "WHO", "OECD"]),
    ("世界保健機関(WHO)と国際オリンピック委員会が連携。", ["世界保健機関", "WHO", "国際オリンピック委員会"]),
    ("米紙(The New York Times)でも取り上げられた。", ["The New York Times"]),
    ("「さいたま市こども家庭センター」を視察。", ["さいたま市こども家庭センター"]),
    ("自民党と公明党と日本共産党の議員。", ["自民党", "公明党", "日本共産党"]),
    ("県立長野高校と横浜商工会議所。", ["県立長野高校", "横浜商工会議所"]),
    ("那覇市議会の議員と意見交換した。", ["那覇市議会"]),
    # generic nouns: no name of their own
    ("市議会と区議会、県議会の違いについて、教育委員会から説明があった。", []),
    ("民間会社や地方の学校、総合病院、コールセンターも関わる。", []),
    ("都庁と県庁と区役所の窓口、同窓会と美術部。", []),
    ("中央省庁からは公務員が派遣され、警察、消防、軍が参加。", []),
    ("東京オリンピックと大阪万博、札幌冬季五輪について議論した。", []),
]


@pytest.mark.parametrize(("text", "expected"), ORGS, ids=[c[0][:16] for c in ORGS])
def test_orgs(text: str, expected: list[str]) -> None:
    assert names_of(text, "org") == expected


PLACES: list[tuple[str, list[str]]] = [
    (
        "ヘルシンキ市とバルセロナ市、コペンハーゲンを視察。",
        ["ヘルシンキ市", "バルセロナ市", "コペンハーゲン"],
    ),
    ("大阪府と東京都と北九州市と世田谷区。", ["大阪府", "東京都", "北九州市", "世田谷区"]),
    (
        "名古屋駅から新宿駅まで山手線で移動し、羽田空港から那覇空港へ。",
        ["名古屋駅", "新宿駅", "山手線", "羽田空港", "那覇空港"],
    ),
    ("千代田区長と大阪市民、横浜市内の施設。", ["千代田区", "大阪市", "横浜市"]),
    ("アメリカとフランス、台湾の台北市。", ["アメリカ", "フランス", "台湾", "台北市"]),
    ("韓国人観光客と日本国内の事例。", ["韓国", "日本"]),
    ("釜山広域市と広東省。", ["釜山広域市", "広東省"]),
    ("金沢駅から兼六園までバスで移動。", ["金沢駅"]),
    ("吉祥寺から三鷹まで歩いた。", ["吉祥寺", "三鷹"]),
    ("東京23区でいうと足立区に似ている。", ["東京23区", "足立区"]),
    ("仁川(インチョン)空港と仁川国際空港。", ["仁川空港", "仁川国際空港"]),
    # a place inside an organisation, an event or a quoted name is no place of its own
    ("豊洲幼稚園の入園式。", []),
    ("東京オリンピックと大阪万博。", []),
    ("千葉市の「ちばレポ」のようなシステム。", ["千葉市"]),
    ("世界と海外、国内外、全国の事例と日本語の資料。", []),
]


@pytest.mark.parametrize(("text", "expected"), PLACES, ids=[c[0][:16] for c in PLACES])
def test_places(text: str, expected: list[str]) -> None:
    assert names_of(text, "place") == expected


def test_gloss_is_dropped_in_note() -> None:
    (org,) = [f for f in facts_of("ノウォン(芦原)区役所にて説明を受けた。") if f.kind == "org"]
    assert org.surface == "ノウォン(芦原)区役所"
    assert org.note == "ノウォン区役所"
    assert org.value is None


def test_user_names_win_over_rules() -> None:
    text = "ソウル市のノウォン区役所を訪ね、ノウォン区役所の職員とWeGoについて話した。"
    facts = facts_of(text, names=[("ノウォン区役所", "place"), ("WeGo", "org")])
    got = [(f.kind, f.surface) for f in facts if f.kind in ("org", "place")]
    assert got == [
        ("place", "ソウル市"),
        ("place", "ノウォン区役所"),
        ("place", "ノウォン区役所"),
        ("org", "WeGo"),
    ]


def test_user_names_match_full_width() -> None:
    facts = facts_of("ＷｅＧｏを通じて協力する。", names=[("WeGo", "org")])
    assert [(f.kind, f.surface) for f in facts] == [("org", "ＷｅＧｏ")]


def test_user_names_ignore_other_kinds() -> None:
    facts = facts_of("WeGoを通じて協力する。", names=[("WeGo", "person"), ("", "org")])
    assert [f for f in facts if f.kind == "org"] == []

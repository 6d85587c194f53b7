"""Organisations in the shapes councillors write them (table-driven, invented sentences): embassies,
foreign governments and forces, councils in job titles, 市会, parties and their short forms,
companies with legal forms anywhere, schools in short forms, clubs, teams, councils of bodies,
aliases in brackets, lists joined by ・, and the generic bodies that are no names."""

from __future__ import annotations

import pytest

from helpers import facts_of


def names(text: str, kind: str) -> list[str]:
    return [f.surface for f in facts_of(text) if f.kind == kind]


ORGS: list[tuple[str, list[str]]] = [
    # embassies and consulates, foreign governments, ministries and forces
    ("在ホーチミン日本国総領事館で領事と懇談した。", ["在ホーチミン日本国総領事館"]),
    ("午後は在ポーランド日本国大使館を訪ねた。", ["在ポーランド日本国大使館"]),
    ("タイ政府の担当者と面会した。", ["タイ政府"]),
    ("旧アメリカ軍の施設を再利用している。", ["アメリカ軍"]),
    ("国の社会保障省と連携している。", ["社会保障省"]),
    ("陸上自衛隊第9師団の隊員が参加した。", ["陸上自衛隊第9師団"]),
    ("航空自衛隊の基地がある。", ["航空自衛隊"]),
    # a council in a job title, 市会, a prefecture before a municipal council
    ("岐阜県大垣市議会議員の山田です。", ["大垣市議会"]),
    ("松江市議会議員 田中はなこ", ["松江市議会"]),
    ("横浜市会の議場を見学した。", ["横浜市会"]),
    ("福島県会津若松市議会の委員会で訪れた。", ["会津若松市議会"]),
    # parties, short forms in a party context, lists of parties
    ("立憲民主党と日本維新の会の議員が出席。", ["立憲民主党", "日本維新の会"]),
    ("会派の構成は自民・公明が多数を占める。", ["自民", "公明"]),
    ("連立を組む自民と公明の両党が賛成した。", ["自民", "公明"]),
    ("自民党・立憲民主党・国民民主党の3会派で協議した。", ["自民党", "立憲民主党", "国民民主党"]),
    ("会派「市民・立憲クラブ」に所属している。", ["市民・立憲クラブ"]),
    ("私たち市民・社民の会としても提案を続ける。", ["市民・社民の会"]),  # a party in a group's name
    ("会派みらいクラブ 上田市議会議員 村井はるか", ["みらいクラブ", "上田市議会"]),  # a signature
    ("老人クラブ 市議会議員", []),
    ("自由民主党、みらいクラブ、公明党の各会派が賛成した。", ["自由民主党", "みらいクラブ", "公明党"]),
    ("地域の老人クラブが協力した。", []),
    # companies with legal forms in any position
    ("運営は(株)あおば農園が担う。", ["(株)あおば農園"]),
    ("設計は㈱ミドリ設計が行った。", ["㈱ミドリ設計"]),
    ("株式会社みなみ電機と試作品を作った。", ["株式会社みなみ電機"]),
    ("運営は東北グリーン合同会社が受け持つ。", ["東北グリーン合同会社"]),
    ("収穫は合同会社みずね農園が請け負う。", ["合同会社みずね農園"]),  # みず|ね|農園: ね inside the name
    ("株式会社ヤマト精工・北星運輸株式会社の2社が受託した。", ["株式会社ヤマト精工", "北星運輸株式会社"]),
    ("親会社の北日本ホールディングスが出資した。", ["北日本ホールディングス"]),
    ("現地のノルデン・エナジー社が発電を担う。", ["ノルデン・エナジー社"]),
    ("駅前の松本百貨店に出店した。", ["松本百貨店"]),
    # cooperatives by their brand (a role after it is no part of the name)
    ("JAみどり東部とJFしまなみが協力した。", ["JAみどり東部", "JFしまなみ"]),
    ("JA職員と株式会社の社長が同席した。", ["JA"]),
    # NPOs and associations, hiragana names included
    ("NPO法人さくらんぼ子ども食堂が切り盛りする。", ["NPO法人さくらんぼ子ども食堂"]),
    ("一般社団法人あおもりデータ協会に委託した。", ["一般社団法人あおもりデータ協会"]),
    ("事業はあおばすこやか協議会が受け持つ。", ["あおばすこやか協議会"]),  # すこやか: a 形状詞 in kana
    ("地方独立行政法人みやぎ医療機構が発足した。", ["地方独立行政法人みやぎ医療機構"]),
    ("市民グループの仙台よみきかせの会が活動している。", ["仙台よみきかせの会"]),
    # schools, short forms and invented names
    ("長野市立三輪東小学校と三輪東小の児童。", ["長野市立三輪東小学校", "三輪東小"]),
    ("青葉学園大学と包括協定を交わした。", ["青葉学園大学"]),
    ("試合は松本高と上田東高、長野小の児童も応援した。", ["松本高", "上田東高", "長野小"]),
    ("日本中から客が来る。", []),
    ("試合には能代南高と湯沢北高の生徒が来た。", ["能代南高", "湯沢北高"]),  # 能代|南高: one word
    ("名産の南高梅を買った。", []),
    ("私立嘉義光明高級中学で授業を見た。", ["私立嘉義光明高級中学"]),
    # clubs and teams
    ("盛岡さくらロータリークラブが寄付した。", ["盛岡さくらロータリークラブ"]),
    ("釧路ひかりライオンズクラブの会員。", ["釧路ひかりライオンズクラブ"]),
    ("サッカーの岡山ブルーウェーブスの試合を観戦した。", ["岡山ブルーウェーブス"]),
    ("観客はBリーグの試合で増えた。", ["Bリーグ"]),
    ("地元球団オースティン・サンダーバーズのホームゲーム。", ["オースティン・サンダーバーズ"]),
    # a date, an ordinal or 旧/元 before a name is no part of it; any name may end in 党
    ("令和7年度横須賀市議会の予算審議。", ["横須賀市議会"]),
    ("第4回沼田市議会定例会で質問した。", ["沼田市議会"]),
    ("元厚生労働省の職員と旧大島町役場の跡地。", ["厚生労働省", "大島町役場"]),
    ("あおぞら党とみどり党が議席を得た。与党と野党、各党の代表も。", ["あおぞら党", "みどり党"]),
    # councils of bodies with long modifiers
    ("事務局は松本市地域公共交通活性化協議会が担う。", ["松本市地域公共交通活性化協議会"]),
    ("市と商工会でつくる高崎観光推進連絡会が主催。", ["高崎観光推進連絡会"]),
    # aliases in brackets
    ("NPO法人みどりの森ネット(通称:みどネット)が運営。", ["NPO法人みどりの森ネット", "みどネット"]),
    ("「鶴岡市こども応援センター」(愛称:つるっこ)を視察した。", ["鶴岡市こども応援センター", "つるっこ"]),
    ("県の環境保全庁(EPA)と協議した。", ["環境保全庁", "EPA"]),
    ("地域交流センター「ふらっと」を訪ねた。", ["ふらっと"]),  # the centre has no name but its own
    ("新しい市立図書館の愛称は「ことのは」に決まった。", ["ことのは"]),  # a nickname given in a sentence
    ("地元バス会社のSTA(広域バス公社)が路線を担う。", ["STA", "広域バス公社"]),
    # a name said to be a body's, with its Latin spelling
    ("市内の路線はノルドバーン(Nordbahn)という公共交通機関が運行する。", ["ノルドバーン", "Nordbahn"]),
    ("運営はNorth Bay Linesという事業者だ。", ["North Bay Lines"]),
    ("市民団体という組織をつくった。", []),
    # generic bodies, groups for one trip and counters are no names
    ("学校運営協議会と子育て支援センター、教育委員会が連携している。", []),
    ("市の訪問団と県の調査団が同行した。", []),
    ("市内のバス会社4社が参加した。", []),
    ("総合学科型単位制高校として再編された。", []),
    ("地域の小中学校に配った。", []),
    ("NPO法人化を進め、株式会社等の民間事業者と連携する。", []),
]


@pytest.mark.parametrize(("text", "expected"), ORGS, ids=[c[0][:18] for c in ORGS])
def test_orgs(text: str, expected: list[str]) -> None:
    assert names(text, "org") == expected


def test_a_prefecture_before_a_municipal_council_is_a_place() -> None:
    facts = facts_of("福島県会津若松市議会の委員会で訪れた。")
    assert [(f.kind, f.surface) for f in facts if f.kind in ("org", "place")] == [
        ("place", "福島県"),
        ("org", "会津若松市議会"),
    ]


def test_a_blog_banner_is_no_name() -> None:
    assert [
        f for f in facts_of("ブログ応援ボタン 地方議員ランキング 市議会議員へ") if f.kind in ("org", "place")
    ] == []

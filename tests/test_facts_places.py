"""Places in the shapes councillors write them (table-driven, invented sentences): compound
administrative names split, sites named by a geographic or facility head, stations with their
operator, regions, foreign cities, places in addresses, and what is no place (persons, products,
events, banners, web addresses, titles)."""

from __future__ import annotations

import pytest

from helpers import facts_of


def places(text: str) -> list[str]:
    return [f.surface for f in facts_of(text) if f.kind == "place"]


PLACES: list[tuple[str, list[str]]] = [
    # compound administrative names are split
    ("長野県松本市を訪れた。", ["長野県", "松本市"]),
    ("北海道河東郡音更町へ向かった。", ["北海道", "河東郡", "音更町"]),
    ("事務所は港区芝浦にある。", ["港区", "芝浦"]),
    ("会場は岐阜市長良です。", ["岐阜市", "長良"]),
    # a place inside a common-noun compound keeps its suffix
    ("東京都内と大阪府内の高校。", ["東京都", "大阪府"]),
    # rivers, mountains, lakes, islands, bays
    ("木曽川の堤防を歩いた。", ["木曽川"]),
    ("町の北に伊吹山がそびえる。", ["伊吹山"]),
    ("近くの小豆島と直島を巡った。", ["小豆島", "直島"]),
    ("市の西を大和川が流れる。", ["大和川"]),
    ("市の東を流れる吉井川沿いを歩いた。", ["吉井川"]),  # 吉井|川沿い
    ("夜は宍道湖畔の宿に泊まった。", ["宍道湖"]),
    # districts, regions
    ("旧市街の中島地区を見学した。", ["中島地区"]),
    ("飛騨地方の観光について学んだ。", ["飛騨地方"]),
    ("東南アジアからの観光客が増えた。", ["東南アジア"]),
    ("首都圏からの移住者が多い。", ["首都圏"]),
    ("アジア太平洋の国々と交流する。", ["アジア太平洋"]),
    ("京浜工業地帯の一角。", ["京浜工業地帯"]),
    ("タイ北部の都市を訪れた。", ["タイ"]),
    # castles, shrines, parks, bridges, towers, stadiums, markets, plants, bases
    ("丘の上に松本城跡がある。", ["松本城跡"]),
    ("帰りに熊野八幡宮に立ち寄った。", ["熊野八幡宮"]),
    ("鶴舞公園で花見をした。", ["鶴舞公園"]),
    ("瀬戸大橋を渡った。", ["瀬戸大橋"]),
    ("名古屋テレビ塔と横浜マリンタワーを比べる。", ["名古屋テレビ塔", "横浜マリンタワー"]),
    ("試合は仙台みどりスタジアムで行われる。", ["仙台みどりスタジアム"]),
    ("朝は勝浦朝市を歩いた。", ["勝浦朝市"]),
    ("ごみは豊橋市東部清掃工場で処理している。", ["豊橋市東部清掃工場"]),
    ("自衛隊の朝霞駐屯地を見学した。", ["朝霞駐屯地"]),
    ("敷地は富山工業団地の一角にある。", ["富山工業団地"]),
    ("海上自衛隊大村航空基地の隣にある。", ["大村航空基地"]),
    ("研究所は筑波リサーチパークにある。", ["筑波リサーチパーク"]),
    ("帰りは白鷺国際空港から発った。", ["白鷺国際空港"]),  # a common word before 国際空港
    ("地方空港と地方国際空港の違い。", []),
    ("佐世保商店街の空き店舗を見た。", ["佐世保商店街"]),
    ("焼却施設「グリーンフォート」を見学した。", ["グリーンフォート"]),
    # roadside stations by the name after 道の駅
    ("帰りに道の駅あさひの里に寄った。", ["道の駅あさひの里"]),
    ("道の駅直売所で野菜を買った。", []),
    # stations with an operator, routes between stations
    ("JR岐阜駅から歩いて10分。", ["JR岐阜駅"]),
    ("近鉄奈良駅で降りた。", ["近鉄奈良駅"]),
    ("新幹線で新横浜から新神戸まで移動した。", ["新横浜", "新神戸"]),
    # foreign places, katakana joined by = or ・
    ("ノルトライン=ヴェストファーレン州のボン市を訪れた。", ["ノルトライン=ヴェストファーレン州", "ボン市"]),
    ("スウェーデンのマルメを視察した。", ["スウェーデン", "マルメ"]),
    ("ラスベガス市長と面会した。", ["ラスベガス市"]),
    ("九州・沖縄と台湾を結ぶ航路。", ["九州", "沖縄", "台湾"]),
    # Korean provinces in two words, cities named by a common word after a province or a country
    ("忠清北道忠州市と全羅北道全州市。", ["忠清北道", "忠州市", "全羅北道", "全州市"]),
    ("江原道太白市を訪れ、太白湖公園を歩いた。", ["江原道", "太白市", "太白湖公園"]),
    ("韓国・太白市の湖を訪ねて", ["韓国", "太白市"]),
    # a place a surname shares, where the post names it as a place too
    ("群馬県桐生市を訪れた。桐生からは車で移動した。", ["群馬県", "桐生市", "桐生"]),
    ("住所:岩手県岩手郡雫石町大字長山2-3", ["岩手県", "岩手郡", "雫石町", "長山"]),
    # no places: persons, products, events, banners, web addresses, titles, names of bodies
    ("市議会議員のかわさき花子です。", []),
    ("名産の宇治茶と松阪牛を味わった。", []),
    ("東日本大震災と能登半島地震の教訓。", []),
    ("国際的にはワシントン条約とパリ協定が知られる。", []),
    ("本町でも同じ制度を検討したい。", []),  # "this town", in a town councillor's words
    ("大阪の本町で降りた。", ["大阪", "本町"]),
    ("ブログ応援ボタン 地方議員ランキング", []),
    ("資料は https://example.jp/osaka/kyoto/ にある。", []),
    ("市の標語は「みどりと水のまち大垣」です。", []),
    ("北九州市立大学と甲府市役所を訪ねた。", []),
    ("駅前通りから駅東口へ。", []),
    ("米軍基地の跡地を公園にする。", []),
]


@pytest.mark.parametrize(("text", "expected"), PLACES, ids=[c[0][:16] for c in PLACES])
def test_places(text: str, expected: list[str]) -> None:
    assert places(text) == expected


def test_a_place_in_a_quoted_remark_stays() -> None:
    assert places("「昨年は大垣を訪ねた人が、今年も来た」と話していた。") == ["大垣"]


def test_a_reading_after_a_place_is_cut_off() -> None:
    facts = [f for f in facts_of("済州(チェジュ)は観光の島だ。") if f.kind == "place"]
    assert [f.surface for f in facts][:1] == ["済州"]

"""The sample rows the export tests share: a councillor's report on a visit to a fictional city's
digital office, in the shapes real reports have (億, 延べ, decimals, ranges, a negative figure,
dates, organisations, search hits without a date), with the headers every format writes."""

from __future__ import annotations

from kb.models import ExportRow

SOURCE_1 = "/home/giin/blog/2023/minato-digital.txt"
FILE_1 = "minato-digital.txt"
SOURCE_3 = r"C:\Users\giin\Documents\blog\bousai.html"
FILE_3 = "bousai.html"
TITLE_1 = "視察報告②みなと市のデジタル窓口"
TITLE_2 = "視察報告③北浜町の除雪と冬の暮らし"
TITLE_3 = "防災センター見学"
URL_2 = "https://example.jp/blog/entry-2002.html"
URL_3 = "https://example.jp/blog/entry-2003.html"

HEADERS_JA = [
    "項目",
    "数値",
    "値",
    "単位",
    "補足",
    "種別",
    "原文",
    "タイトル",
    "日付",
    "投稿",
    "行",
    "ファイル",
    "URL",
]
HEADERS_EN = [
    "topic",
    "figure",
    "value",
    "unit",
    "note",
    "kind",
    "sentence",
    "title",
    "date",
    "post",
    "line",
    "file",
    "url",
]
SEARCH_HEADERS_JA = ["投稿", "タイトル", "日付", "見出し", "本文", "行", "ファイル", "URL"]
SEARCH_HEADERS_EN = ["post", "title", "date", "heading", "passage", "line", "file", "url"]

APPLY_SENTENCE = "オンライン申請は昨年度、32万件に達した。"
BUDGET_SENTENCE = "電子申請の予算は12億円で、昨年度の利用者は延べ18万市民にのぼる。"


def sample_rows() -> list[ExportRow]:
    """Facts of three invented posts, and two search hits."""
    return [
        ExportRow(
            topic="◼️オンライン申請",
            kind="quantity",
            sentence=APPLY_SENTENCE,
            title=TITLE_1,
            date="2023-07-05",
            source=SOURCE_1,
            line=41,
            surface="32万件",
            value=320000,
            unit="件",
            post_id=1,
        ),
        ExportRow(
            topic="◼️オンライン申請",
            kind="quantity",
            sentence=BUDGET_SENTENCE,
            title=TITLE_1,
            date="2023-07-05",
            source=SOURCE_1,
            line=42,
            surface="12億円",
            value=1200000000.0,
            unit="円",
            post_id=1,
        ),
        ExportRow(
            topic="◼️オンライン申請",
            kind="quantity",
            sentence=BUDGET_SENTENCE,
            title=TITLE_1,
            date="2023-07-05",
            source=SOURCE_1,
            line=42,
            surface="18万市民",
            value=180000,
            unit="市民",
            qualifier="延べ",
            post_id=1,
        ),
        ExportRow(
            topic="◼️窓口の待ち時間",
            kind="quantity",
            sentence="窓口の待ち時間は約15.25分短くなったという。",
            title=TITLE_1,
            date="2023-07-05",
            source=SOURCE_1,
            line=44,
            surface="約15.25分",
            value=15.25,
            unit="分",
            qualifier="約",
            post_id=1,
        ),
        ExportRow(
            topic="◼️市民の声",
            kind="quantity",
            sentence="年間40〜60件の改善提案が寄せられており、ほとんどは翌年度までに対応している。",
            title=TITLE_1,
            date="2023-07-05",
            source=SOURCE_1,
            line=47,
            surface="40〜60件",
            value=40,
            value_max=60,
            unit="件",
            post_id=1,
        ),
        ExportRow(
            topic="◼️経緯",
            kind="date",
            sentence="2019年から電子申請を始めた。",
            title=TITLE_1,
            date="2023-07-05",
            source=SOURCE_1,
            line=30,
            surface="2019年",
            value="2019",
            unit="year",
            post_id=1,
        ),
        ExportRow(
            topic="①デジタル窓口の概要",
            kind="org",
            sentence="みなと市情報政策課の担当者から、窓口の仕組みについて説明を受けました。",
            title=TITLE_1,
            date="2023-07-05",
            source=SOURCE_1,
            line=12,
            surface="みなと市情報政策課",
            post_id=1,
        ),
        ExportRow(
            topic="◼️冬の暮らし",
            kind="quantity",
            sentence="北浜町の冬の最低気温は-12度まで下がる。",
            title=TITLE_2,
            date="2023-01-20",
            source="北浜町.txt",
            url=URL_2,
            line=8,
            surface="-12度",
            value=-12,
            unit="度",
            post_id=2,
        ),
        ExportRow(
            topic="◼️冬の暮らし",
            kind="passage",
            sentence="除雪車は夜明け前に町内を一巡し、通学路を先に開けるそうです。",
            title=TITLE_2,
            date="2023-01-20",
            source="北浜町.txt",
            url=URL_2,
            line=15,
            post_id=2,
            score=2.5,
        ),
        ExportRow(
            topic=None,
            kind="passage",
            sentence="午後は防災センターで、地震の揺れを体験できる訓練の様子を見学しました。",
            title=TITLE_3,
            date=None,
            source=SOURCE_3,
            url=URL_3,
            line=None,
            post_id=3,
        ),
    ]

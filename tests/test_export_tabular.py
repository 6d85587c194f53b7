"""Tests for kb.export.tabular (columns, labels, cell values); also home of the sample rows."""

from __future__ import annotations

from kb.export.tabular import (
    COLUMNS,
    column_widths,
    display_width,
    figure_with_qualifier,
    header_labels,
    row_cells,
    topic_label,
)
from kb.models import ExportRow

SEED = "data/seed-blog.txt"
TITLE_1 = "韓国視察③ソウル市の電子政府の取り組み"
TITLE_2 = "韓国視察②〜ソウル市・ノウォン区の電子政府視察"
TITLE_3 = "韓国先進行政視察①平昌オリンピックの成果と課題"
URL_3 = "https://example.jp/blog/entry-12366547771.html"

HEADERS_JA = ["項目", "数値", "値", "単位", "補足", "種別", "原文", "出典", "日付", "URL/ファイル", "位置"]
HEADERS_EN = [
    "topic",
    "figure",
    "value",
    "unit",
    "note",
    "kind",
    "sentence",
    "source",
    "date",
    "url_or_file",
    "line",
]

MVOTING_SENTENCE = "今までで、168万人の市民が投票に参加。5520の投票項目がある。"


def sample_rows() -> list[ExportRow]:
    """Facts and hits from the seed blog: quantities (億, 以上, decimal, range), date, org, passages."""
    return [
        ExportRow(
            topic="◼️mVoting",
            kind="quantity",
            sentence=MVOTING_SENTENCE,
            title=TITLE_1,
            date="2018-04-13",
            location=SEED,
            line=81,
            surface="168万人",
            value=1680000,
            unit="人",
            post_id=1,
        ),
        ExportRow(
            topic="◼️mVoting",
            kind="quantity",
            sentence="ソウル市の予算の中で50億円は市民参加予算で、2018年の実績 22万市民が投票に参加。",
            title=TITLE_1,
            date="2018-04-13",
            location=SEED,
            line=82,
            surface="50億円",
            value=5000000000.0,
            unit="円",
            post_id=1,
        ),
        ExportRow(
            topic="◼️mVoting",
            kind="quantity",
            sentence="1400万件以上公開されているなど、情報にオープン化が進んでいます。",
            title=TITLE_1,
            date="2018-04-13",
            location=SEED,
            line=87,
            surface="1400万件以上",
            value=14000000,
            unit="件",
            qualifier="以上",
            post_id=1,
        ),
        ExportRow(
            topic="◼️ソウル市の概要",
            kind="quantity",
            sentence="ソウル市は605、26k㎡。韓国の人口の2割が住んでおり、GDPの22パーセントを占めています。",
            title=TITLE_1,
            date="2018-04-13",
            location=SEED,
            line=19,
            surface="605、26k㎡",
            value=605.26,
            unit="km2",
            post_id=1,
        ),
        ExportRow(
            topic="◼️都市管制センターの運用",
            kind="quantity",
            sentence="毎年300台程度つけている。年間20〜30件の要望があり、区民要望についても、"
            "必要かどうかを調査してだいたいはつけている。",
            title=TITLE_2,
            date="2018-04-14",
            location=SEED,
            line=237,
            surface="20〜30件",
            value=20,
            value_max=30,
            unit="件",
            post_id=2,
        ),
        ExportRow(
            topic="◼️ソウル市のCIO企画官の組織",
            kind="date",
            sentence="2003年から7年連続で電子政府世界一。",
            title=TITLE_1,
            date="2018-04-13",
            location=SEED,
            line=26,
            surface="2003年",
            value="2003",
            post_id=1,
        ),
        ExportRow(
            topic="①韓国の電子政府",
            kind="org",
            sentence="ソウル市のノウォン区、ソウル市情報企画団を訪問し、電子政府の先進事例についてお話を伺ったほか、"
            "「韓国賭博問題管理センター」を視察し、カジノを含む、賭博問題全体の依存症対策についてのお話を伺いました。",
            title=TITLE_2,
            date="2018-04-14",
            location=SEED,
            line=167,
            surface="ソウル市情報企画団",
            post_id=2,
        ),
        ExportRow(
            topic="◼️mVoting",
            kind="passage",
            sentence="会員登録したソウル市民に政策について質問を行い、投票に参加し、政策の意思決定に関わる仕組み。",
            title=TITLE_1,
            date="2018-04-13",
            location=SEED,
            line=78,
            post_id=1,
            score=3.25,
        ),
        ExportRow(
            topic=None,
            kind="passage",
            sentence="午後は、平昌オリンピック開催時に心臓的な役割を果たした、メインオペレーションセンターに伺いました。",
            title=TITLE_3,
            date=None,
            location=URL_3,
            line=None,
            post_id=3,
        ),
    ]


def test_headers() -> None:
    assert header_labels("ja") == HEADERS_JA
    assert header_labels("en") == HEADERS_EN
    assert len({column.key for column in COLUMNS}) == len(COLUMNS)


def test_quantity_cells() -> None:
    rows = sample_rows()
    assert row_cells(rows[0], "ja") == [
        "◼️mVoting",
        "168万人",
        1680000,
        "人",
        None,
        "数量",
        MVOTING_SENTENCE,
        TITLE_1,
        "2018-04-13",
        SEED,
        81,
    ]
    cells = row_cells(rows[1], "ja")
    assert cells[1:5] == ["50億円", 5000000000, "円", None]
    assert isinstance(cells[2], int)
    assert row_cells(rows[2], "ja")[1:5] == ["1400万件", 14000000, "件", "以上"]
    assert row_cells(rows[3], "ja")[1:5] == ["605.26km2", 605.26, "km2", None]
    assert row_cells(rows[4], "ja")[1:5] == ["20〜30件", 20, "件", "範囲 20〜30"]
    assert row_cells(rows[4], "en")[4:6] == ["range 20〜30", "quantity"]


def test_qualifier_and_range_together() -> None:
    row = sample_rows()[4]
    row.qualifier = "約"
    assert row_cells(row, "ja")[4] == "約、範囲 20〜30"
    assert row_cells(row, "en")[4] == "約; range 20〜30"
    assert figure_with_qualifier(row) == "約20〜30件"
    assert figure_with_qualifier(sample_rows()[2]) == "1400万件以上"


def test_other_kinds() -> None:
    rows = sample_rows()
    assert row_cells(rows[5], "ja")[1:6] == ["2003年", "2003", None, None, "日付"]
    assert row_cells(rows[6], "ja")[1:6] == ["ソウル市情報企画団", None, None, None, "組織"]
    assert row_cells(rows[6], "en")[5] == "org"
    passage = row_cells(rows[7], "ja")
    assert passage[1:6] == [None, None, None, None, "本文"]
    assert row_cells(rows[8], "ja")[0] is None
    assert row_cells(rows[8], "ja")[8:] == [None, URL_3, None]


def test_unknown_kind_is_shown_as_is() -> None:
    row = sample_rows()[6]
    row.kind = "person"
    assert row_cells(row, "ja")[5] == "person"


def test_topic_label() -> None:
    assert topic_label(None, "ja") == "(見出しなし)"
    assert topic_label("  ", "en") == "(no heading)"
    assert topic_label("◼️mVoting\n続き", "ja") == "◼️mVoting 続き"


def test_display_width() -> None:
    assert display_width("abc") == 3
    assert display_width("項目") == 4
    assert display_width("◼️mVoting") == 9  # ◼ is wide, the variation selector takes no room
    assert display_width("ａ\nabcdef") == 6


def test_column_widths_are_bounded() -> None:
    rows = [row_cells(row, "ja") for row in sample_rows()]
    rows.append(row_cells(ExportRow("x", "passage", "長" * 500, "t", None, "f", 1), "ja"))
    widths = column_widths(header_labels("ja"), rows)
    for width, column in zip(widths, COLUMNS, strict=True):
        assert column.min_width <= width <= column.max_width
    assert widths[[c.key for c in COLUMNS].index("sentence")] == 60

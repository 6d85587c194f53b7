"""Tests for kb.export.tabular (layouts, labels, cell values) on the shared sample rows
(tests/export_rows.py)."""

from __future__ import annotations

import pytest
from export_rows import (
    APPLY_SENTENCE,
    FILE_1,
    FILE_3,
    HEADERS_EN,
    HEADERS_JA,
    SEARCH_HEADERS_EN,
    SEARCH_HEADERS_JA,
    TITLE_1,
    TITLE_2,
    URL_2,
    URL_3,
    sample_rows,
)

from kb.errors import ExportError
from kb.export.tabular import (
    FACTS,
    SEARCH,
    cell_text,
    column_widths,
    display_width,
    figure_with_qualifier,
    layout_of,
    neutralise,
    source_name,
    topic_label,
)
from kb.models import ExportRow


def test_headers() -> None:
    assert FACTS.labels("ja") == HEADERS_JA
    assert FACTS.labels("en") == HEADERS_EN
    assert SEARCH.labels("ja") == SEARCH_HEADERS_JA
    assert SEARCH.labels("en") == SEARCH_HEADERS_EN
    for layout in (FACTS, SEARCH):
        assert len(set(layout.keys())) == len(layout.columns)
        assert set(layout.fields.values()) <= set(layout.keys())
    assert layout_of("search") is SEARCH
    with pytest.raises(ExportError):
        layout_of("posts")


def test_every_fact_names_its_post_date_line_and_file() -> None:
    cells = FACTS.cells(sample_rows()[0], "ja")
    assert cells == [
        "◼️オンライン申請",
        "32万件",
        320000,
        "件",
        None,
        "数量",
        APPLY_SENTENCE,
        TITLE_1,
        "2023-07-05",
        1,
        41,
        FILE_1,  # the file's name, not the folders of the author's machine
        None,
    ]
    assert cell_text(cells[9], FACTS.columns[9]) == "#1"
    hit = FACTS.cells(sample_rows()[9], "ja")
    assert hit[9:] == [3, None, FILE_3, URL_3]  # a post with a URL names its file as well


def test_quantity_cells() -> None:
    rows = sample_rows()
    cells = FACTS.cells(rows[1], "ja")
    assert cells[1:5] == ["12億円", 1200000000, "円", None]
    assert isinstance(cells[2], int)
    assert FACTS.cells(rows[2], "ja")[1:5] == ["18万市民", 180000, "市民", "延べ"]
    assert FACTS.cells(rows[3], "ja")[1:5] == ["15.25分", 15.25, "分", "約"]
    assert FACTS.cells(rows[4], "ja")[1:5] == ["40〜60件", 40, "件", "範囲 40〜60"]
    assert FACTS.cells(rows[4], "en")[4:6] == ["range 40〜60", "quantity"]
    assert FACTS.cells(rows[7], "ja")[1:4] == ["-12度", -12, "度"]


def test_qualifier_and_range_together() -> None:
    row = sample_rows()[4]
    row.qualifier = "約"
    assert FACTS.cells(row, "ja")[4] == "約、範囲 40〜60"
    assert FACTS.cells(row, "en")[4] == "約; range 40〜60"
    assert figure_with_qualifier(row) == "約40〜60件"
    assert figure_with_qualifier(sample_rows()[2]) == "延べ18万市民"


def test_other_kinds() -> None:
    rows = sample_rows()
    # a date's unit is its precision in words, not the stored key
    assert FACTS.cells(rows[5], "ja")[1:6] == ["2019年", "2019", "年", None, "日付"]
    assert FACTS.cells(rows[5], "en")[3] == "year"
    assert FACTS.cells(rows[6], "ja")[1:6] == ["みなと市情報政策課", None, None, None, "組織"]
    assert FACTS.cells(rows[6], "en")[5] == "org"
    assert FACTS.cells(rows[8], "ja")[1:6] == [None, None, None, None, "本文"]


def test_search_cells_have_no_figure_columns() -> None:
    cells = SEARCH.cells(sample_rows()[8], "ja")
    assert cells == [
        2,
        TITLE_2,
        "2023-01-20",
        "◼️冬の暮らし",
        "除雪車は夜明け前に町内を一巡し、通学路を先に開けるそうです。",
        15,
        "北浜町.txt",
        URL_2,
    ]
    assert SEARCH.cells(sample_rows()[9], "ja")[2:4] == [None, None]


def test_unknown_kind_is_shown_as_is() -> None:
    row = sample_rows()[6]
    row.kind = "person"
    assert FACTS.cells(row, "ja")[5] == "person"


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("/home/giin/blog/2023/minato-digital.txt", "minato-digital.txt"),
        (r"C:\Users\giin\Desktop\報告.md", "報告.md"),
        ("posts/視察.txt", "視察.txt"),
        ("視察.txt", "視察.txt"),
        ("https://example.jp/blog/entry-1.html", "https://example.jp/blog/entry-1.html"),
        ("<stdin>", "<stdin>"),
        ("", ""),
    ],
)
def test_source_name(source: str, name: str) -> None:
    assert source_name(source) == name


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ('=HYPERLINK("https://evil.example/","詳細")', '\'=HYPERLINK("https://evil.example/","詳細")'),
        ("+81-3-1234-5678", "'+81-3-1234-5678"),
        ("-12度まで下がる", "'-12度まで下がる"),
        ("@市役所のお知らせ", "'@市役所のお知らせ"),
        ("\t字下げ", "'\t字下げ"),
        ("\r改行", "'\r改行"),
        ("予算=12億円", "予算=12億円"),  # only the first character counts
        ("＝全角の等号", "＝全角の等号"),
        ("", ""),
    ],
)
def test_neutralise(text: str, safe: str) -> None:
    assert neutralise(text) == safe


def test_topic_label() -> None:
    assert topic_label(None, "ja") == "(見出しなし)"
    assert topic_label("  ", "en") == "(no heading)"
    assert topic_label("◼️市民の声\n続き", "ja") == "◼️市民の声 続き"


def test_display_width() -> None:
    assert display_width("abc") == 3
    assert display_width("項目") == 4
    assert display_width("◼️冬の暮らし") == 12  # ◼ is drawn wide, the variation selector takes no room
    assert display_width("ａ\nabcdef") == 6


def test_column_widths_are_bounded() -> None:
    rows = [FACTS.cells(row, "ja") for row in sample_rows()]
    rows.append(FACTS.cells(ExportRow("x", "passage", "長" * 500, "t", None, "f", 1), "ja"))
    widths = column_widths(FACTS.columns, FACTS.labels("ja"), rows)
    for width, column in zip(widths, FACTS.columns, strict=True):
        assert column.min_width <= width <= column.max_width
    by_key = dict(zip(FACTS.keys(), widths, strict=True))
    assert by_key["sentence"] == 50  # the widest column, capped
    assert by_key["sentence"] == max(widths)
    assert by_key["value"] == len("1,200,000,000") + 2  # as shown, with thousands separators

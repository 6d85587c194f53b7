"""Movable Type exports: entries, metadata, bodies, comments, dates, line numbers, damaged files."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.models import Line
from kb.reading.mt import read_mt

SAMPLE = Path(__file__).parent.parent / "data" / "samples" / "livedoor-export.txt"


def test_sample_export() -> None:
    warnings: list[str] = []
    posts = read_mt(SAMPLE.read_text(encoding="utf-8"), "livedoor-export.txt", warnings)
    assert warnings == []
    assert [(p.title, p.date, p.author, p.categories, p.title_lineno) for p in posts] == [
        (
            "所管事務調査で高松市の丸亀町商店街を視察",
            "2018-10-23",
            "yamada-hanako",
            ["視察報告", "商店街", "まちづくり", "再開発 事業"],
            2,
        ),
        ("常任委員会視察②　富山市のコンパクトシティ", "2018-10-25", "yamada-hanako", ["視察報告"], 44),
        ("議会報告会を開催しました", "2018-11-03", "yamada-hanako", ["議会報告", "報告会"], 65),
    ]
    assert all(p.source == "livedoor-export.txt" for p in posts)


def test_sample_html_body_with_extended_body() -> None:
    first = read_mt(SAMPLE.read_text(encoding="utf-8"), "x")[0]
    # HTML bodies point to the file lines their text came from (BODY: is line 13, EXTENDED BODY: 20)
    assert [(ln.text, ln.heading, ln.photo, ln.lineno) for ln in first.lines] == [
        ("経済委員会の所管事務調査で、香川県高松市の丸亀町商店街を視察しました。", False, False, 14),
        ("", False, True, 15),
        ("■丸亀町商店街の概要", True, False, 16),
        ("全長470mのアーケードに約150店舗が並び、1日の通行量は平日でも約1万人です。", False, False, 17),
        ("土地の所有と利用を分離した「定期借地権方式」による再開発が特徴です。", False, False, 18),
        ("■再開発の成果", True, False, 21),
        ("A街区から G街区まで、7つの街区で再開発を段階的に実施", False, False, 23),
        ("商店街内の居住人口は約75人から約1,000人に増加", False, False, 24),
        ("地権者の合意形成に長い時間をかけたことが成功の鍵だと伺いました。", False, False, 26),
    ]
    assert first.title_from == "meta"
    text = "\n".join(ln.text for ln in first.lines)
    assert "本区の商店街" not in text  # the comment
    assert "192.0.2.10" not in text
    assert "丸亀町商店街の再開発について。" not in text  # the excerpt


def test_sample_plain_body_keeps_file_line_numbers() -> None:
    second = read_mt(SAMPLE.read_text(encoding="utf-8"), "x")[1]
    assert second.lines == [
        Line("富山市では、公共交通を軸としたコンパクトなまちづくりを進めています。", 53),
        Line("", 54),
        Line("■LRTの整備", 55),
        Line("2006年に富山ライトレールが開業し、1日の利用者数は約5千人から約1万人に増えました。", 56),
        Line("", 57, photo=True),
        Line("", 58),
        Line("■おでかけ定期券", 59),
        Line("65歳以上の市民は、中心市街地へ100円で出かけられます。", 60),
        Line("利用者は年間約96万人にのぼります。", 61),
    ]
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    assert all(lines[ln.lineno - 1].startswith(ln.text) for ln in second.lines if ln.text)


ENTRY = """AUTHOR: 山田
TITLE: {title}
DATE: {date}
{extra}-----
BODY:
{body}
-----
"""


def entry(title: str = "視察", date: str = "04/13/2018 10:00:00", body: str = "本文", extra: str = "") -> str:
    return ENTRY.format(title=title, date=date, body=body, extra=extra)


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("04/13/2018 10:00:00", "2018-04-13"),
        ("04/13/2018 11:59:59 PM", "2018-04-13"),
        ("4/3/2018 12:00:00 AM", "2018-04-03"),
        ("04/13/2018", "2018-04-13"),
        ("2018-04-13 10:00:00", "2018-04-13"),
    ],
)
def test_dates(date: str, expected: str) -> None:
    (post,) = read_mt(entry(date=date), "x")
    assert post.date == expected


def test_bad_date_is_a_warning() -> None:
    warnings: list[str] = []
    (post,) = read_mt(entry(date="13/45/2018 10:00:00"), "x", warnings)
    assert post.date is None
    assert warnings == ["記事「視察」の日付 (DATE) が読めません: '13/45/2018 10:00:00'"]


def test_crlf_and_missing_final_separator() -> None:
    text = (entry(title="一件目") + "--------\n" + entry(title="二件目")).replace("\n", "\r\n")
    posts = read_mt(text, "x")
    assert [p.title for p in posts] == ["一件目", "二件目"]
    assert [ln.text for ln in posts[1].lines] == ["本文"]
    assert posts[1].lines[0].lineno == 14


def test_entry_without_body_is_a_post_without_lines() -> None:
    text = "AUTHOR: 山田\nTITLE: 本文のない記事\nDATE: 04/13/2018 10:00:00\n-----\n--------\n"
    (post,) = read_mt(text, "x")
    assert (post.title, post.lines, post.date) == ("本文のない記事", [], "2018-04-13")


def test_convert_breaks_zero_ignores_newlines() -> None:
    (post,) = read_mt(entry(body="一行目\n二行目", extra="CONVERT BREAKS: 0\n"), "x")
    assert post.lines == [Line("一行目 二行目", 7)]


def test_convert_breaks_default_with_block_tags_is_html() -> None:
    (post,) = read_mt(
        entry(body="<p>一段落目\nの続き</p>\n<p>二段落目</p>", extra="CONVERT BREAKS: 1\n"), "x"
    )
    assert post.lines == [Line("一段落目 の続き", 7), Line("二段落目", 9)]


def test_convert_breaks_markdown() -> None:
    (post,) = read_mt(entry(body="## ■概要\n**人口**は約41万人。", extra="CONVERT BREAKS: markdown\n"), "x")
    assert post.lines == [Line("■概要", 7, heading=True), Line("人口は約41万人。", 8)]


def test_dashes_inside_a_body_are_text() -> None:
    body = "区切りの前\n-----\n区切りの後\n--------\nまだ本文"
    (post,) = read_mt(entry(body=body), "x")
    assert [ln.text for ln in post.lines] == ["区切りの前", "-----", "区切りの後", "--------", "まだ本文"]


def test_categories_deduplicated_in_file_order() -> None:
    extra = 'PRIMARY CATEGORY: 視察\nCATEGORY: 視察\nCATEGORY: 議会\nTAGS: 議会,"New York",観光\n'
    (post,) = read_mt(entry(extra=extra), "x")
    assert post.categories == ["視察", "議会", "New York", "観光"]


def test_missing_title_uses_the_first_body_line() -> None:
    text = "AUTHOR: 山田\nDATE: 04/13/2018 10:00:00\n-----\nBODY:\n\n金沢市視察\n本文\n-----\n--------\n"
    (post,) = read_mt(text, "x")
    assert (post.title, post.title_lineno, [ln.text for ln in post.lines]) == ("金沢市視察", 6, ["本文"])


def test_comments_with_several_sections() -> None:
    text = entry() + "COMMENT:\nAUTHOR: 読者\nDATE: 04/14/2018 10:00:00\nコメント本文\n-----\n"
    text += "COMMENT:\nAUTHOR: 読者2\n二件目のコメント\n-----\n--------\n"
    (post,) = read_mt(text, "x")
    assert [ln.text for ln in post.lines] == ["本文"]
    assert post.author == "山田"


def test_empty_and_blank_exports() -> None:
    assert read_mt("", "x") == []
    assert read_mt("--------\n\n--------\n", "x") == []

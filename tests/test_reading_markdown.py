"""Markdown posts: front matter, titles, headings, inline markup, images, code, line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.models import Line
from kb.reading.markdown import markdown_lines, read_markdown

SAMPLE = Path(__file__).parent.parent / "data" / "samples" / "report.md"


def texts(lines: list[Line]) -> list[str]:
    return [ln.text for ln in lines if ln.text or ln.photo]


def test_sample_report() -> None:
    warnings: list[str] = []
    (post,) = read_markdown(SAMPLE.read_text(encoding="utf-8"), "report.md", warnings)
    assert warnings == []
    assert post.title == "会派視察①金沢市　北陸新幹線開業効果と観光施策"
    assert post.title_lineno == 2
    assert post.date == "2018-04-13"
    assert post.author == "山田はなこ"
    assert post.url == "https://example.jp/blog/2018/04/kanazawa-shisatsu"
    assert post.categories == ["視察報告", "観光", "まちづくり"]
    assert post.source == "report.md"
    headings = [(ln.lineno, ln.text) for ln in post.lines if ln.heading]
    assert headings == [
        (18, "■金沢市の概要"),
        (23, "■北陸新幹線開業の効果"),
        (34, "【質疑応答】"),
        (40, "◼️所感"),
    ]
    photos = [(ln.lineno, ln.text) for ln in post.lines if ln.photo]
    assert photos == [(16, "金沢駅鼓門"), (32, "")]
    by_line = {ln.lineno: ln.text for ln in post.lines}
    assert post.lines[0] == Line(
        "4月11日から12日にかけて、会派で石川県金沢市を訪れ、北陸新幹線開業後の観光施策について", 13
    )
    assert by_line[21] == "観光入込客数は、開業前の約770万人から、2017年には約1000万人に達しました。"
    assert by_line[25] == "金沢駅の乗降客数は開業前の1.4倍"
    assert by_line[29] == "首都圏からの来訪者が増え、金沢市の統計資料によると"
    assert by_line[30] == "北陸新幹線の利用者は年間約253万人を超えています。"
    assert (
        by_line[38]
        == "回答：まちなか分散 をキーワードに、バスの一日乗車券や手ぶら観光サービスを進めています。"
    )
    assert post.lines[-1].text == "本区でも、観光と暮らしの両立について引き続き議会で取り上げてまいります。"


def test_title_from_first_atx_heading_without_front_matter() -> None:
    text = "\n# 富山市視察報告 #\n\n本文です。\n\n## ■概要\n人口は約41万人。\n"
    (post,) = read_markdown(text, "t.md")
    assert (post.title, post.title_lineno, post.date) == ("富山市視察報告", 2, None)
    assert [(ln.text, ln.lineno, ln.heading) for ln in post.lines if ln.text] == [
        ("本文です。", 4, False),
        ("■概要", 6, True),
        ("人口は約41万人。", 7, False),
    ]


def test_title_from_first_line_when_there_is_no_heading() -> None:
    (post,) = read_markdown("\n\n高松市視察\n\n商店街を視察しました。\n", "t.md")
    assert (post.title, post.title_lineno) == ("高松市視察", 3)
    assert texts(post.lines) == ["商店街を視察しました。"]


def test_front_matter_title_keeps_a_different_first_heading() -> None:
    (post,) = read_markdown("---\ntitle: 報告\n---\n# 概要\n本文\n", "t.md")
    assert post.title == "報告"
    assert [(ln.text, ln.heading) for ln in post.lines] == [("概要", True), ("本文", False)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-04-13", "2018-04-13"),
        ("2018-04-13 10:00:00", "2018-04-13"),
        ("2018-04-13T10:00:00+09:00", "2018-04-13"),
        ("2018/04/13", "2018-04-13"),
        ("2018/04/13 10:00", "2018-04-13"),
        ('"2018年4月13日"', "2018-04-13"),
    ],
)
def test_front_matter_dates(value: str, expected: str) -> None:
    (post,) = read_markdown(f"---\ntitle: 視察\ndate: {value}\n---\n本文\n", "t.md")
    assert post.date == expected


def test_unreadable_date_is_a_warning() -> None:
    warnings: list[str] = []
    (post,) = read_markdown("---\ntitle: 視察\ndate: そのうち\n---\n本文\n", "t.md", warnings)
    assert post.date is None
    assert warnings == ["front matter の date の日付が読めません: 'そのうち'"]


def test_malformed_front_matter_is_read_as_text_with_a_warning() -> None:
    text = "---\ntitle: [視察\ndate: : :\n---\n金沢市の視察について。\n"
    warnings: list[str] = []
    (post,) = read_markdown(text, "t.md", warnings)
    assert len(warnings) == 1 and warnings[0].startswith(
        "front matter の YAML が壊れているため本文として読みました"
    )
    assert post.title == "title: [視察"
    assert "金沢市の視察について。" in texts(post.lines)


def test_front_matter_that_is_not_a_mapping() -> None:
    warnings: list[str] = []
    (post,) = read_markdown("---\n- a\n- b\n---\n本文\n", "t.md", warnings)
    assert warnings == ["front matter が「キー: 値」の形ではないため本文として読みました"]
    assert post.title == "a"


def test_front_matter_variants() -> None:
    text = (
        "---\nTitle: 2018\nlink: https://example.jp/a\ntags: 観光, 視察、議会\n"
        "category: 報告\nauthor:\n  - name: 山田\n  - 佐藤\n---\n本文\n"
    )
    (post,) = read_markdown(text, "t.md")
    assert post.title == "2018"
    assert post.url == "https://example.jp/a"
    assert post.categories == ["報告", "観光", "視察", "議会"]
    assert post.author == "山田, 佐藤"


def test_empty_front_matter_and_unclosed_front_matter() -> None:
    (post,) = read_markdown("---\n---\n# 見出し\n本文\n", "t.md")
    assert (post.title, post.title_lineno) == ("見出し", 3)
    (post,) = read_markdown("---\ntitle: x\n本文\n", "t.md")
    assert post.title == "title: x"


def test_inline_markup_is_reduced_to_plain_text() -> None:
    lines = markdown_lines(
        [
            "**太字**と*斜体*と__強調__と~~取消~~、[リンク](https://example.jp)と`コード`。",
            "参照[リンク][1]と<https://example.jp/x>、2 * 3 * 4 と snake_case_name。",
            r"エスケープ \*そのまま\* と \# 記号、&amp; と &nbsp;。",
            "本文中の![図1](a.png)画像と <img src='b.png' alt='図2'> タグ。",
            "> 引用された文章",
            "- 箇条書きの項目",
            "1. 番号付きの項目",
            "[1]: https://example.jp/ref",
            "<!-- コメント -->",
        ]
    )
    assert texts(lines) == [
        "太字と斜体と強調と取消、リンクとコード。",
        "参照リンクとhttps://example.jp/x、2 * 3 * 4 と snake_case_name。",
        "エスケープ *そのまま* と # 記号、& と \xa0。",
        "本文中の図1画像と 図2 タグ。",
        "引用された文章",
        "箇条書きの項目",
        "1. 番号付きの項目",
    ]


def test_image_only_lines_are_photos() -> None:
    lines = markdown_lines(
        [
            "![金沢駅](IMG_1203.jpg)",
            "![](IMG_1204.jpg) ![兼六園](IMG_1205.jpg)",
            "[![リンク付き](thumb.jpg)](full.jpg)",
            '<img src="x.jpg" alt="会場の様子">',
        ],
        first_lineno=10,
    )
    assert [(ln.text, ln.lineno, ln.photo) for ln in lines] == [
        ("金沢駅", 10, True),
        ("", 11, True),
        ("兼六園", 11, True),
        ("リンク付き", 12, True),
        ("会場の様子", 13, True),
    ]


def test_fenced_code_stays_text() -> None:
    lines = markdown_lines(["本文", "```", "# 見出しではない", "**そのまま**", "```", "## 見出し"])
    assert [(ln.text, ln.lineno, ln.heading) for ln in lines] == [
        ("本文", 1, False),
        ("# 見出しではない", 3, False),
        ("**そのまま**", 4, False),
        ("見出し", 6, True),
    ]


def test_setext_headings_and_rules() -> None:
    lines = markdown_lines(["■概要", "====", "本文", "", "---", "所感", "----", "おわり", "* * *"])
    assert [(ln.text, ln.heading) for ln in lines if ln.text] == [
        ("■概要", True),
        ("本文", False),
        ("所感", True),
        ("おわり", False),
    ]


def test_heading_levels_and_marks() -> None:
    lines = markdown_lines(["###### 六段目", "#　全角空白の見出し", "#ハッシュタグ", "####### 七つは本文"])
    assert [(ln.text, ln.heading) for ln in lines] == [
        ("六段目", True),
        ("全角空白の見出し", True),
        ("#ハッシュタグ", False),
        ("####### 七つは本文", False),
    ]


def test_empty_markdown_has_no_post() -> None:
    assert read_markdown("", "t.md") == []
    assert read_markdown("\n\n   \n", "t.md") == []
    assert read_markdown("---\n---\n", "t.md") == []


def test_front_matter_only_is_a_post_without_lines() -> None:
    (post,) = read_markdown("---\ntitle: 下書き\n---\n", "t.md")
    assert (post.title, post.lines) == ("下書き", [])


ALIAS_BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]"
        for i in range(9)
    ]
    + ["title: *j", "url: *j"]
)


def test_a_yaml_alias_bomb_is_refused_and_the_post_read_without_metadata() -> None:
    assert len(ALIAS_BOMB) < 600  # expands to 9 * 4**9 (2.4 million) items when aliases are followed
    warnings: list[str] = []
    (post,) = read_markdown(
        f"---\n{ALIAS_BOMB}\n---\n金沢市の視察\n\n観光施策を伺いました。\n", "bomb.md", warnings
    )
    assert warnings == ["front matter の YAML 別名 (alias) は使えないため、メタデータなしで読みました"]
    assert (post.title, post.url, post.title_lineno) == ("金沢市の視察", None, 15)
    assert texts(post.lines) == ["観光施策を伺いました。"]


def test_front_matter_values_are_bounded_scalars() -> None:
    warnings: list[str] = []
    long_url = "https://example.jp/" + "a" * 5000
    text = f"---\ntitle: 視察\nurl: {long_url}\ntags: [観光, {{nested: [1, [2, [3]]]}}]\n---\n本文です。\n"
    (post,) = read_markdown(text, "t.md", warnings)
    assert (post.title, post.url) == ("視察", None)
    assert warnings == ["front matter の url は読めない値 (長すぎるか入れ子) のため読み飛ばしました"]
    assert post.categories == ["観光"]


def test_front_matter_that_is_too_long_is_left_out() -> None:
    warnings: list[str] = []
    big = "title: 視察\n" + "\n".join(f"k{i}: {'x' * 60}" for i in range(1200))
    (post,) = read_markdown(f"---\n{big}\n---\n見出しのない本文です。\n", "t.md", warnings)
    assert len(warnings) == 1 and warnings[0].startswith("front matter が長すぎるため")
    assert post.title == "見出しのない本文です"
    assert post.title_from == "text"

"""Posts, sections and passages of the sample archive page against the hand-made gold structure."""

from __future__ import annotations

import json
import re

import pytest

from conftest import FIXTURES, SEED
from helpers import seed_line, seed_lines, seed_quantities, seed_sentence
from kb.reading.archive import read_plain
from kb.structure import build_post, split_sentences
from kb.text.lines import date_from_line, is_heading, is_photo_line

GOLD = json.loads((FIXTURES / "seed-structure.json").read_text(encoding="utf-8"))["posts"]


@pytest.fixture(scope="module")
def posts():  # type: ignore[no-untyped-def]
    return [build_post(r) for r in read_plain(SEED.read_text(encoding="utf-8"), str(SEED))]


def test_archive_page_splits_into_the_five_gold_posts(posts) -> None:  # type: ignore[no-untyped-def]
    assert [p.title for p in posts] == [g["title"] for g in GOLD]


@pytest.mark.parametrize("i", range(5))
def test_each_post_matches_gold_sections_and_body_lines(posts, i: int) -> None:  # type: ignore[no-untyped-def]
    post, gold = posts[i], GOLD[i]
    assert [s.heading for s in post.sections if s.heading] == gold["sections"]
    assert post.text.startswith(post.title + "\n") and post.body_start == len(post.title) + 1
    body = [line for line in post.body.split("\n") if line.strip()]
    assert body[0].strip() == gold["first_body_line"].strip()
    assert body[-1].strip() == gold["last_body_line"].strip()


def test_footer_chrome_and_photos_are_not_in_any_post(posts) -> None:  # type: ignore[no-untyped-def]
    text = "\n".join(p.text for p in posts)
    photo = re.compile(r"IMG_\d+(?:\.\w+)?|FullSizeRender")
    first_photo = next(line.strip() for line in seed_lines() if photo.fullmatch(line.strip()))
    for gone in (
        "政治家 ブログランキングへ",
        "このページの上へ戻る",
        first_photo,
        "FullSizeRender",
        "次のページへ",
    ):
        assert gone not in text
    # the photo lines of each post in the file, from its title line to the next post's
    starts = [seed_lines().index(g["title"]) for g in GOLD] + [len(seed_lines())]
    in_file = [
        sum(1 for line in seed_lines()[a:b] if photo.fullmatch(line.strip()))
        for a, b in zip(starts, starts[1:], strict=False)
    ]
    assert [p.photos for p in posts] == in_file and min(in_file) >= 1


def test_passage_offsets_point_into_the_post_text(posts) -> None:  # type: ignore[no-untyped-def]
    for post in posts:
        title, *passages = post.passages
        assert (title.section, title.text, title.start) == (None, post.title, 0)
        for p in passages:
            assert post.text[p.start : p.end] == p.text
            assert p.section is not None
            section = post.sections[p.section]
            assert post.body_start <= section.start <= p.start < section.end


def test_mvoting_section_holds_its_lines_with_source_line_numbers(posts) -> None:  # type: ignore[no-untyped-def]
    post = posts[0]
    heading = GOLD[0]["sections"][6]
    idx = next(i for i, s in enumerate(post.sections) if s.heading == heading)
    texts = {p.text: p.line for p in post.passages if p.section == idx}
    figures = [q["surface"] for q in seed_quantities(section=heading)]
    assert len(figures) == 5 and heading.endswith("mVoting")
    second = seed_sentence(figures[1])  # a sentence that shares its line with the one before it
    assert second != seed_line(figures[1])
    assert texts[second] == seed_lines().index(seed_line(figures[1])) + 1
    assert seed_sentence(figures[4]) in texts


def test_a_repeated_footer_of_another_blog_splits_posts_too() -> None:
    page = "\n".join(
        [
            "横浜市の保育視察",
            "",
            "横浜市では待機児童が約3,700人減りました。",
            "■保育所の整備",
            "新たに20か所を整備。",
            "",
            "にほんブログ村 政治ブログへ",
            "",
            "大阪府の防災視察",
            "",
            "大阪府庁で防災の取り組みを伺いました。",
            "避難所は約2,000か所あります。",
            "",
            "にほんブログ村 政治ブログへ",
            "",
            "< 前の記事   次の記事 >",
            "プロフィール",
        ]
    )
    posts = [build_post(r) for r in read_plain(page, "x.txt")]
    assert [p.title for p in posts] == ["横浜市の保育視察", "大阪府の防災視察"]
    assert [s.heading for s in posts[0].sections if s.heading] == ["■保育所の整備"]


def test_a_single_post_file_is_one_post() -> None:
    raws = read_plain("視察メモ\n\n那覇市役所を訪問しました。\n説明を受けました。\n", "memo.txt")
    assert len(raws) == 1 and raws[0].title == "視察メモ"


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("◼️MaaS", True),
        ("■保育所の整備", True),
        ("◆概要", True),
        ("【質疑応答】", True),
        ("①台湾のスマート交通", True),
        ("⑴シンイー区役所", True),
        ("☆☆☆", True),
        ("☆☆", True),
        ("☆質疑応答☆", True),
        ("※おことわり", True),
        ("視察風景", False),
        ("サポートデスク。", False),
        ("Q施設の維持費は。", False),
        ("・市の催しや募集を、手軽に知らせるスマホ向けのお知らせ配信。", False),
        (
            "※この報告は、現地で伺ったお話を通訳の説明をもとに私なりにまとめたもので、正確でない部分もあります。",
            False,
        ),
    ],
)
def test_heading_marks(line: str, heading: bool) -> None:
    assert is_heading(line) is heading


@pytest.mark.parametrize("line", ["IMG_4821", "FullSizeRender", "image", "IMG_3307.JPG", "DSC_0012"])
def test_photo_placeholders(line: str) -> None:
    assert is_photo_line(line)


def test_sentences_keep_quotes_whole() -> None:
    text = "彼は「それは良い。次に進もう。」と言った。次の文です！"
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == ["彼は「それは良い。次に進もう。」と言った。", "次の文です！"]


def test_over_long_lines_are_capped_without_losing_text() -> None:
    text = "あ" * 1000 + "、" + "い" * 1000
    spans = split_sentences(text)
    assert "".join(text[a:b] for a, b in spans) == text
    assert max(b - a for a, b in spans) <= 400


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("2018年4月13日", "2018-04-13"),
        ("2018/04/13 (金)", "2018-04-13"),
        ("平成30年4月13日", "2018-04-13"),
        ("令和元年5月1日", "2019-05-01"),
        ("2018年4月13日に視察しました。台北市の交通政策を伺いました。", None),
    ],
)
def test_date_lines(line: str, iso: str | None) -> None:
    assert date_from_line(line) == iso


def test_a_repeated_heading_mark_is_not_taken_for_a_footer() -> None:
    text = "\n".join(
        [
            "福岡市の視察",
            "",
            "☆☆☆",
            "福岡市役所で説明を受けました。",
            "待機児童は約100人です。",
            "",
            "☆☆☆",
            "天神の再開発について伺いました。",
            "事業費は約80億円です。",
            "",
            "☆☆☆",
            "以上です。",
        ]
    )
    posts = read_plain(text, "one.txt")
    assert [p.title for p in posts] == ["福岡市の視察"]
    assert [s.heading for s in build_post(posts[0]).sections if s.heading] == ["☆☆☆"] * 3

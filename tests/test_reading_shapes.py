"""Titles, dates, chrome and post boundaries as a person reads them, on invented pages in the shapes
councillors' blogs have (tests/fixtures/shapes/): date-first, sentence-first, chrome at the top, an
archive whose last post has no footer, a greeting repeated in every post, a title with facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, SEED
from kb.models import Post
from kb.reading import read_source
from kb.reading.chrome import chrome_levels, is_breadcrumb, is_chrome, is_menu
from kb.reading.titles import cut_site, first_words, is_title_like, read_head, strip_affixes
from kb.structure import build_post

SHAPES = FIXTURES / "shapes"


def posts(name: str) -> list[Post]:
    path = SHAPES / name
    return [build_post(raw) for raw in read_source(str(path), path.read_bytes()).posts]


def summary(name: str) -> list[tuple[str, str | None, str, int]]:
    return [(p.title, p.date, p.title_from, p.title_lineno) for p in posts(name)]


def body_lines(post: Post) -> list[str]:
    return [ln for ln in post.body.split("\n") if ln.strip()]


def test_date_first_page_the_date_dates_it_and_the_next_line_is_the_title() -> None:
    assert summary("date-first.txt") == [("会津若松市のスマートシティを視察", "2023-09-14", "line", 2)]
    (post,) = posts("date-first.txt")
    # the date line stays in the text (the date facts must see it); the title comes first
    assert post.text.startswith("会津若松市のスマートシティを視察\n2023年9月14日(木)\n")
    assert (post.passages[0].text, post.passages[0].section, post.passages[0].line) == (
        "会津若松市のスマートシティを視察", None, 2,
    )  # fmt: skip
    assert {p.text: p.line for p in post.passages}["2023年9月14日(木)"] == 1


def test_sentence_first_page_has_no_written_title() -> None:
    ((title, date, title_from, lineno),) = summary("sentence-first.txt")
    assert (title, date, title_from, lineno) == (
        "昨日は、会派の同僚議員とともに長野県松本市を訪れ…",
        None,
        "text",
        0,
    )
    (post,) = posts("sentence-first.txt")
    assert post.body_start == 0  # no title line: the text starts with the first sentence
    assert post.text.startswith("昨日は、会派の同僚議員とともに長野県松本市を訪れ、信州大学と連携した")
    assert post.passages[0].section is not None


def test_chrome_at_the_top_and_bottom_is_dropped() -> None:
    assert summary("chrome-top.txt") == [("豊岡市の小規模多機能型居宅介護", "2024-05-21", "line", 7)]
    (post,) = posts("chrome-top.txt")
    assert body_lines(post) == [
        "投稿日：2024.05.21",
        "厚生委員会の視察で兵庫県豊岡市を訪れました。",
        "市内には小規模多機能型居宅介護の事業所が12か所あります。",
        "利用者は1事業所あたり平均22人です。",
        "■所感",
        "西宮市でも、通い・泊まり・訪問を一体で支える仕組みを広げたいと思います。",
    ]


def test_archive_page_whose_last_post_has_no_footer() -> None:
    assert [t for t, *_ in summary("archive-last-no-footer.txt")] == [
        "出雲崎町の海岸保全を視察",
        "議会報告会を開きました",
        "小学校の運動会にお招きいただきました",
    ]
    last = posts("archive-last-no-footer.txt")[-1]
    assert body_lines(last) == ["晴天のもと、元気いっぱいの児童の姿に励まされました。"]


def test_a_greeting_repeated_in_every_post_is_not_a_footer() -> None:
    assert summary("greeting-every-post.txt") == [
        ("高松市の中心市街地活性化を視察", "2024-07-02", "line", 2),
        ("6月定例会が始まりました", "2024-06-20", "line", 11),
        ("地域の清掃活動に参加しました", "2024-06-08", "line", 20),
    ]
    for post in posts("greeting-every-post.txt"):
        assert body_lines(post)[1] == "丸亀市議会議員の石井けんたです。"  # the greeting stays the post's own
        assert "人気ブログランキング" not in post.text


def test_an_archive_without_footers_splits_where_dated_posts_start() -> None:
    assert summary("dated-starts-no-footer.txt") == [
        ("予算特別委員会が終わりました", "2024-03-15", "line", 2),
        ("一般質問に立ちました", "2024-03-02", "line", 8),
        ("会派で予算要望を行いました", "2024-02-20", "line", 14),
    ]


def test_a_title_with_facts_is_the_first_passage_of_the_text() -> None:
    (post,) = posts("title-with-facts.txt")
    title = "令和5年8月 宮津市議会 総務常任委員会 行政視察(京都府舞鶴市)"
    assert (post.title, post.date, post.title_from) == (title, None, "line")  # a month is not a day
    first = post.passages[0]
    assert (first.text, first.section, first.line, first.start) == (title, None, 1, 0)
    assert post.text.startswith(title + "\n")


def test_a_date_printed_under_the_post_dates_it() -> None:
    assert summary("date-under-post.txt") == [("秋田市の除雪体制を学ぶ", "2024-01-25", "line", 1)]
    (post,) = posts("date-under-post.txt")
    assert body_lines(post)[-1] == "2024年1月25日 20:38 | 視察報告"


def test_an_html_page_without_a_usable_title_is_read_by_shape() -> None:
    (post,) = posts("page-no-title.html")
    assert (post.title, post.date, post.title_from) == (
        "本日は、会派の仲間と岐阜県高山市を訪れ…",
        "2023-10-18",
        "text",
    )
    assert body_lines(post) == [
        "2023.10.18",
        "本日は、会派の仲間と岐阜県高山市を訪れ、外国人観光客の受け入れ体制について伺いましたので、ご報告します。",
        "高山市の外国人宿泊者数は、年間約60万人にのぼります。",
        "■多言語対応",
        "市内の案内板は11の言語に対応しています。",
    ]
    assert [p.line for p in post.passages][:2] == [7, 8]  # source lines of the HTML file


def test_blog_name_affixes_are_cut_when_they_recur_or_name_the_site() -> None:
    page = "\n\n".join(
        f"{t} | 港区議会議員 かわせみ通信\n\n{b}\n\n人気ブログランキング"
        for t, b in [
            ("保育園の視察", "区内の保育園を視察しました。待機児童は約20人です。"),
            ("避難訓練に参加", "町内会の避難訓練に参加しました。参加者は約300人でした。"),
        ]
    )
    (a, b) = read_source("archive.txt", page.encode()).posts
    assert (a.title, b.title) == ("保育園の視察", "避難訓練に参加")
    assert strip_affixes(["日記 : 市議会の一般質問", "日記 : 予算の審議"]) == [
        "市議会の一般質問",
        "予算の審議",
    ]
    assert strip_affixes(["視察報告 - 富山市"]) == ["視察報告 - 富山市"]  # once, and no blog's name: kept
    assert cut_site("常任委員会視察 - さくら市議 オフィシャルブログ", None) == (
        "常任委員会視察", "さくら市議 オフィシャルブログ",
    )  # fmt: skip
    assert cut_site("小さな町の議会だより : 議会改革の報告", "小さな町の議会だより") == (
        "議会改革の報告", "小さな町の議会だより",
    )  # fmt: skip


def test_markdown_without_front_matter_uses_the_same_rules() -> None:
    text = "2024-02-10\n\n本日は、市民の皆さまとの意見交換会を開き、公共交通について伺いました。\n\n## 主な意見\n"
    (raw,) = read_source("note.md", text.encode()).posts
    assert (raw.title_from, raw.date) == ("text", "2024-02-10")
    assert raw.title == "本日は、市民の皆さまとの意見交換会を開き…"


def test_mt_entry_without_title_uses_the_same_rules() -> None:
    entry = (
        "AUTHOR: a\nTITLE: \nDATE: 04/13/2018 10:00:00 AM\n-----\nBODY:\n"
        "2018年4月13日\n大阪府の防災視察\n府庁で防災の取り組みを伺いました。\n-----\n--------\n"
    )
    (raw,) = read_source("export.txt", entry.encode()).posts
    assert (raw.title, raw.title_from, raw.title_lineno, raw.date) == (
        "大阪府の防災視察",
        "line",
        7,
        "2018-04-13",
    )
    assert [ln.text for ln in raw.lines] == ["2018年4月13日", "府庁で防災の取り組みを伺いました。"]


@pytest.mark.parametrize(
    ("line", "title_like"),
    [
        ("台湾視察②台北市のスマート交通の取り組み", True),
        ("母校、桜ヶ丘中学校入学式", True),
        ("福井市のコミュニティバスに乗ってきました", True),
        ("【視察報告】山あいの診療所を支える(島根県隠岐の島町)", True),
        ("R6.2.14 乗合タクシー 視察(鳥取県智頭町)", True),
        ("2024年10月02日", False),
        ("7月30日(火)", False),
        ("本日は市役所を訪問し、子育て支援の取り組みを視察しました。", False),
        ("こんにちは。区議会議員の山田です。", False),
        ("ホーム > ブログ > 視察報告", False),
        ("IMG_1234", False),
        ("コメント(0)", False),
        ("人気ブログランキングへ", False),
    ],
)
def test_title_shapes(line: str, title_like: bool) -> None:
    assert is_title_like(line) is title_like


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("本日は市役所を訪問しました。", "本日は市役所を訪問しました"),
        ("こんにちは。区議会議員の山田です。今日は視察です。", "こんにちは。区議会議員の山田です"),
        (
            "一昨日の午後、委員会の仲間とともに、静岡県の空き家対策について学んできたので、その内容をまとめます。",
            "一昨日の午後、委員会の仲間とともに…",
        ),
    ],
)
def test_first_words_are_a_short_readable_cut(text: str, words: str) -> None:
    assert first_words(text) == words


@pytest.mark.parametrize(
    "line",
    [
        "本文へスキップ",
        "Skip to content",
        "ホーム > ブログ > 視察報告 > 豊岡市",
        "ホーム プロフィール 活動報告 お問い合わせ",
        "« 2013年6月 »",
        "日 月 火 水 木 金 土",
        "コメント(0)",
        "カテゴリー:視察報告 | コメント(0)",
        "政治家ブログランキングへ",
        "にほんブログ村 政治ブログへ",
        "Copyright © 2024 さくら通信",
        "このページの上へ戻る",
        "アーカイブ",
    ],
)
def test_chrome_lines(line: str) -> None:
    assert is_chrome(line)


@pytest.mark.parametrize(
    "line",
    [
        "ランキングでは全国2位になったそうです。人口は約3万人です。",
        "■全国ランキング",
        "ホームページで公開されている資料を読みました。",
        "議会報告会を開きました",
        "2024年8月に開業しました。",
    ],
)
def test_text_that_mentions_chrome_words_is_text(line: str) -> None:
    assert not is_chrome(line) and not is_breadcrumb(line) and not is_menu(line)


def test_a_calendar_widget_is_chrome_wherever_it_stands_its_month_is_no_date() -> None:
    lines = [
        "本文です。",
        "カレンダー",
        "2024年10月",
        "月 火 水 木 金 土 日",
        "    1  2  3  4  5  6",
        " 7  8  9",
        "続きです。",
    ]
    assert chrome_levels(lines) == [0, 2, 2, 2, 2, 2, 0]
    head = read_head(
        ["タイトル", "« 2013年6月 »", "日 月 火 水 木 金 土", " 1  2  3  4  5  6  7", "本文です。"]
    )
    assert head.date is None and head.drop == {1, 2, 3}


def test_seed_archive_titles_do_not_change() -> None:
    from helpers import SEED, seed_titles

    titles = [p.title for p in (build_post(r) for r in read_source(str(SEED), SEED.read_bytes()).posts)]
    assert titles == seed_titles() and len(titles) == 5


@pytest.mark.parametrize("title", ["議会報告", "活動報告", "お知らせ"])
def test_a_title_that_is_also_a_menu_word_stays_the_title(title: str) -> None:
    """A councillor's post is often titled 議会報告: alone at the top it is a title, not a menu."""
    from kb.reading import read_source

    posts = read_source("post.txt", f"{title}\n\n今月の定例会では予算を審議しました。\n".encode()).posts
    assert [(p.title, p.title_from) for p in posts] == [(title, "line")]


def test_every_title_noun_finds_its_post_on_every_fixture(tmp_path: Path) -> None:
    """Issue 13: a noun that occurs only in a title found nothing. Over the sample, the development
    posts and the shape fixtures: every noun Sudachi finds in a title is a search that lists the post."""
    from kb import api
    from kb.segment import segment

    folder = tmp_path / "all"
    folder.mkdir()
    sources = [SEED, *sorted((FIXTURES / "devset" / "posts").glob("*.txt")), *sorted(SHAPES.iterdir())]
    for i, src in enumerate(sources):
        (folder / f"{i:03d}-{src.name}").write_bytes(src.read_bytes())
    db = tmp_path / "kb.db"
    store = api.open_store(db, write=True, create=True)
    try:
        api.import_paths(store, [str(folder)], jobs=1)
        posts = api.list_posts(store)
        assert len(posts) > 50
        checked = 0
        for post in posts:
            for noun in {t.surface for t in segment(post.title) if t.pos[0] == "名詞"}:
                hits = api.search(store, noun, limit=1000).hits
                assert post.id in {h.post_id for h in hits}, (post.title, noun)
                checked += 1
        assert checked > 200
    finally:
        store.close()

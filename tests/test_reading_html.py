"""HTML pages: article finding, chrome removal, metadata, and text lines."""

from __future__ import annotations

from pathlib import Path

from kb.models import Line
from kb.reading import html_to_lines
from kb.reading.html import read_html

SAMPLE = Path(__file__).parent.parent / "data" / "samples" / "report.html"


def page(head: str, body: str) -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def test_sample_page() -> None:
    (post,) = read_html(SAMPLE.read_text(encoding="utf-8"), "report.html")
    assert post.title == "常任委員会視察　富山市のコンパクトシティ政策"
    assert post.date == "2018-10-25"
    assert post.author == "山田はなこ"
    assert post.url == "https://example.jp/blog/archives/1234.html"
    assert post.categories == ["視察報告", "富山市", "公共交通", "コンパクトシティ"]
    assert post.source == "report.html"
    assert [(ln.text, ln.heading, ln.photo) for ln in post.lines] == [
        (
            "10月23日、都市整備委員会の視察で富山県富山市を訪れ、"
            "公共交通を軸としたコンパクトなまちづくりについて伺いました。",
            False,
            False,
        ),
        ("", False, True),
        ("■富山市の概要", True, False),
        ("富山市の人口は約41万人、面積は1,241.77k㎡です。", False, False),
        ("市街地が薄く広がり、自動車への依存度が高いことが課題とされてきました。", False, False),
        ("■公共交通活性化の取り組み", True, False),
        ("2006年、日本初の本格的LRTとして富山ライトレールが開業", False, False),
        ("市内電車の環状線化により、1日の利用者数は約1万2千人に増加", False, False),
        ("おでかけ定期券の利用者は高齢者の約24% (約2万5千人)", False, False),
        ("【所感】", True, False),
        (
            "都心地区の人口は転入超過が続いており、まちなか居住の推進に一定の成果が出ています。"
            "本区の交通政策にも参考になる点が多くありました。",
            False,
            False,
        ),
    ]
    # every line points to the line of the file its text starts on (the h1 title is line 30)
    assert post.title_lineno == 30
    assert [ln.lineno for ln in post.lines] == [34, 35, 36, 37, 38, 39, 41, 42, 43, 46, 47]


def test_sample_page_chrome_is_gone() -> None:
    (post,) = read_html(SAMPLE.read_text(encoding="utf-8"), "report.html")
    text = "\n".join(ln.text for ln in post.lines)
    for chrome in ("ホーム", "最近の投稿", "シェア", "コメント", "前の記事", "©", "dataLayer", "font-family"):
        assert chrome not in text


def test_title_from_og_title_strips_the_declared_site_name() -> None:
    head = (
        "<title>ignored</title><meta property='og:title' content='金沢市視察報告 | 議会ブログ'>"
        "<meta property='og:site_name' content='議会ブログ'>"
    )
    (post,) = read_html(page(head, "<div><p>本文です。</p></div>"), "p.html")
    assert post.title == "金沢市視察報告"


def test_title_suffix_kept_unless_it_is_the_site_name() -> None:
    (post,) = read_html(page("<title>視察報告 - 金沢市</title>", "<p>本文です。</p>"), "p.html")
    assert post.title == "視察報告 - 金沢市"
    head = "<title>視察報告 - 議会ブログ</title><meta property='og:site_name' content='議会ブログ'>"
    (post,) = read_html(page(head, "<p>本文です。</p>"), "p.html")
    assert post.title == "視察報告"


def test_site_title_h1_in_header_is_not_the_post_title() -> None:
    body = (
        "<div id='header'><h1 class='blog-title'>区議会ブログ</h1></div>"
        "<div class='entry-content'><p>本文です。</p></div>"
    )
    head = "<title>富山市視察 : 区議会ブログ</title><meta property='og:site_name' content='区議会ブログ'>"
    (post,) = read_html(page(head, body), "p.html")
    assert post.title == "富山市視察"
    assert [ln.text for ln in post.lines] == ["本文です。"]


def test_date_from_published_time_meta() -> None:
    head = "<meta property='article:published_time' content='2018-04-13T10:00:00+09:00'>"
    (post,) = read_html(page(head, "<article><h1>視察</h1><p>本文</p></article>"), "p.html")
    assert post.date == "2018-04-13"


def test_date_from_itemprop() -> None:
    body = "<article><h1>視察</h1><meta itemprop='datePublished' content='2018-04-13'><p>本文</p></article>"
    (post,) = read_html(page("", body), "p.html")
    assert post.date == "2018-04-13"


def test_date_written_near_the_title() -> None:
    body = "<article><h1>視察</h1><p class='x'>2018.04.13</p><p>本文です。</p></article>"
    (post,) = read_html(page("", body), "p.html")
    assert post.date == "2018-04-13"
    # the date line dates the post and stays in its text: the author wrote it
    assert [ln.text for ln in post.lines] == ["2018.04.13", "本文です。"]


def test_blogger_date_header_outside_the_title() -> None:
    body = (
        "<div class='date-outer'><h2 class='date-header'><span>2018年4月13日金曜日</span></h2>"
        "<div class='post'><h3 class='post-title'>台湾視察①</h3>"
        "<div class='post-body entry-content'><p>台中市を訪れました。</p></div></div></div>"
    )
    head = "<meta property='og:title' content='台湾視察①'>"
    (post,) = read_html(page(head, body), "p.html")
    assert post.title == "台湾視察①"
    assert post.date == "2018-04-13"
    assert [ln.text for ln in post.lines] == ["台中市を訪れました。"]


def test_date_in_a_sidebar_is_ignored() -> None:
    body = (
        "<article><h1>視察</h1><p>本文です。</p></article>"
        "<aside><time datetime='2017-01-01'>2017年1月1日</time></aside>"
    )
    (post,) = read_html(page("", body), "p.html")
    assert post.date is None


def test_layout_wrapper_named_like_a_sidebar_is_kept() -> None:
    body = (
        "<div class='l-sidebar-right'><div class='entry-content'><p>本文です。</p>"
        "<div class='share'>シェアする</div></div>"
        "<div class='sidebar'>サイドバー</div></div>"
    )
    (post,) = read_html(page("<title>視察</title>", body), "p.html")
    assert [ln.text for ln in post.lines] == ["本文です。"]


def test_archive_page_with_several_articles() -> None:
    body = (
        "<nav>メニュー</nav>"
        "<article><h2><a href='/a/1'>台湾視察①</a></h2><time datetime='2018-04-11'>4/11</time>"
        "<div class='entry-body'><p>台中市の報告です。</p></div>"
        "<footer><a rel='tag' href='/t'>視察</a></footer></article>"
        "<article><h2><a href='/a/2'>台湾視察②</a></h2><p class='date'>2018年4月12日</p>"
        "<div class='entry-body'><p>台北市の報告です。</p></div></article>"
        "<article class='comment'><h2>コメント</h2><p>x</p></article>"
    )
    posts = read_html(page("<title>アーカイブ</title>", body), "archive.html")
    assert [(p.title, p.date, p.url, p.categories) for p in posts] == [
        ("台湾視察①", "2018-04-11", "/a/1", ["視察"]),
        ("台湾視察②", "2018-04-12", "/a/2", []),
    ]
    assert [ln.text for ln in posts[1].lines] == ["台北市の報告です。"]


def test_html_to_lines_blocks_breaks_and_headings() -> None:
    fragment = (
        "<p>一行目<br>二行目<br/>\n三行目</p><h3>■見出し</h3><ul><li>項目A</li><li>項目<b>B</b></li></ul>"
        "<table><tr><th>年度</th><td>人数</td></tr><tr><td>2018</td><td>142万人</td></tr></table>"
        "<blockquote>引用</blockquote><div>  空白   の  \n 整理&nbsp;&amp;&lt;記号&gt; </div>"
        "<script>alert(1)</script><style>p{}</style><!-- コメント --><pre>整形済み\n  二行目</pre>"
    )
    assert [(ln.text, ln.heading) for ln in html_to_lines(fragment)] == [
        ("一行目", False),
        ("二行目", False),
        ("三行目", False),
        ("■見出し", True),
        ("項目A", False),
        ("項目B", False),
        ("年度 人数", False),
        ("2018 142万人", False),
        ("引用", False),
        ("空白 の 整理 &<記号>", False),
        ("整形済み", False),
        ("二行目", False),
    ]


def test_html_to_lines_images() -> None:
    fragment = (
        "<p><img src='a.jpg' alt='会場'></p><p><a href='b.jpg'><img src='b.jpg'></a></p>"
        "<p>文中の<img src='emoji.png' alt=':)'>絵文字</p><img src='c.jpg'><img src='d.jpg'>"
    )
    assert html_to_lines(fragment) == [
        Line("", photo=True),
        Line("", photo=True),
        Line("文中の絵文字"),
        Line("", photo=True),
        Line("", photo=True),
    ]


def test_html_to_lines_with_newline_breaks_keeps_line_numbers() -> None:
    fragment = "本文の一行目。\n<strong>強調</strong>した二行目。\n\n<img src='x.jpg' />\n■見出し"
    assert html_to_lines(fragment, first_lineno=20, newline_breaks=True) == [
        Line("本文の一行目。", 20),
        Line("強調した二行目。", 21),
        Line("", 22),
        Line("", 23, photo=True),
        Line("■見出し", 24),
    ]


def test_deeply_nested_html_does_not_recurse() -> None:
    fragment = "<div>" * 5000 + "深い本文" + "</div>" * 5000
    assert html_to_lines(fragment) == [Line("深い本文")]


def test_empty_page_has_no_post() -> None:
    assert read_html("", "p.html") == []
    assert read_html("<html><body><nav>メニュー</nav></body></html>", "p.html") == []


def test_page_without_title_uses_first_line() -> None:
    (post,) = read_html("<p>視察報告</p><p>本文です。</p>", "p.html")
    assert (post.title, [ln.text for ln in post.lines]) == ("視察報告", ["本文です。"])


def test_ameba_style_page() -> None:
    body = (
        "<div id='ambHeader'><a href='/'>Ameba</a></div>"
        "<article><h1 class='skin-entryTitle'><a href='https://ameblo.jp/x/entry-1.html'>台湾視察③</a></h1>"
        "<time datetime='2018-04-13' class='skin-textQuiet'>2018-04-13 21:30:00</time>"
        "<div id='entryBody' class='skin-entryBody'>高雄市を訪問しました。<br><br>"
        "<img src='o1080.jpg' class='PhotoSwipeImage'><br>◼️高雄市の概要<br>人口は約270万人。</div>"
        "<div class='skin-entryFooter'><a rel='tag' href='/t'>視察</a></div></article>"
        "<div class='js-entryComment'>コメント</div>"
    )
    (post,) = read_html(page("<title>台湾視察③ | x</title>", body), "ameblo.html")
    assert (post.title, post.date, post.categories) == ("台湾視察③", "2018-04-13", ["視察"])
    assert [(ln.text, ln.photo) for ln in post.lines] == [
        ("高雄市を訪問しました。", False),
        ("", True),
        ("◼️高雄市の概要", False),
        ("人口は約270万人。", False),
    ]

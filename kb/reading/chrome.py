"""Page chrome in the text of saved pages, recognised by the shape of its lines.

Saved blog pages carry the theme around the post: skip links, breadcrumbs (``ホーム > ブログ > …``),
menus, calendar widgets (a month header, a row of weekdays, rows of day numbers), archive lists
with counts (``2024年8月 (5)``), ``コメント(0)``, share buttons, ranking banners, pagination and
copyright lines. None of it is the author's text. The words below are those of blog themes and
services in general, never the strings of one site.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from kb.text.dates import is_date_line, widen
from kb.text.lines import is_heading, is_photo_line

_SKIP_LINK = re.compile(
    r"^(?:(?:本文|メイン(?:コンテンツ)?|コンテンツ|ナビゲーション|メニュー)(?:へ|に|まで)(?:スキップ|移動|ジャンプ|進む)"
    r"|skip\s+to\s+(?:main\s+)?(?:content|navigation|main)|skip\s+navigation|jump\s+to\s+content)",
    re.I,
)
_NAV_WORDS = frozenset(
    """ホーム トップ トップページ top home menu メニュー プロフィール 自己紹介 お問い合わせ お問合せ 問い合わせ
    サイトマップ sitemap ブログ blog アーカイブ archives archive カテゴリー カテゴリ category categories タグ tags
    検索 search ログイン login rss 新着 新着情報 お知らせ リンク links link 活動報告 議会報告 政策 ご挨拶 あいさつ
    about contact 会社概要 アクセス english 日本語 前へ 次へ 戻る 一覧 記事一覧 ギャラリー 動画 写真""".split()
)
# Menu words that are also what councillors title posts with: chrome only among other menu words.
_TITLE_WORDS = frozenset("活動報告 議会報告 政策 ご挨拶 あいさつ お知らせ 新着情報 動画 写真".split())
_WIDGET_HEADERS = frozenset(
    {
        "カレンダー", "calendar", "アーカイブ", "月別アーカイブ", "月別", "archives", "archive", "最近の記事", "最新記事",
        "最新の記事", "最近の投稿", "最新の投稿", "recent posts", "recent entries", "人気記事", "人気の記事", "関連記事",
        "関連する記事", "おすすめ記事", "カテゴリー", "カテゴリ", "カテゴリー一覧", "カテゴリ一覧", "categories", "タグ",
        "タグ一覧", "tags", "検索", "ブログ内検索", "サイト内検索", "search", "リンク", "links", "プロフィール", "profile",
        "最近のコメント", "コメント", "comments", "トラックバック", "trackbacks", "rss", "meta", "メタ情報",
        "参加ランキング", "ランキング", "qrコード", "バックナンバー", "過去の記事", "記事一覧",
    }
)  # fmt: skip
# Widgets that hold only chrome below them (lists of recent posts are other posts' titles: kept).
_CUT_WIDGETS = re.compile(
    r"^(?:カレンダー|calendar|(?:月別)?アーカイブ|archives?|カテゴリー?(?:一覧)?|categories|タグ(?:一覧)?|tags|"
    r"(?:ブログ内|サイト内)?検索|search|リンク|links|rss|meta|メタ情報|qrコード|参加ランキング)$",
    re.I,
)
_COUNTER = re.compile(
    r"(?:コメント|トラックバック|comments?|trackbacks?|いいね|拍手|ブックマーク)\s*[(（:：]?\s*\d+\s*[)）件]?",
    re.I,
)
_SHARE = re.compile(
    r"^(?:この記事を)?(?:シェア|共有|ツイート|tweet|line\s*で送る|いいね[!！]?|b!|pocket|はてな(?:ブックマーク)?|facebook|twitter|"
    r"instagram|lineで送る|メールで送る|印刷|print|share|pin\s*it)(?:する|で共有|でシェア|に投稿|に追加)?$",
    re.I,
)
# Lists of the blog's other posts: their titles and dates are the author's words, kept as text.
_POST_LISTS = re.compile(
    r"^(?:最近の記事|最新記事|最新の記事|最近の投稿|最新の投稿|recent\s+(?:posts|entries)|人気記事|人気の記事|関連記事|"
    r"関連する記事|おすすめ記事|バックナンバー|過去の記事|記事一覧)$",
    re.I,
)
# A ranking banner or a link to a blog directory ("…ランキングへ", "… ブログ … へ", a link's wording).
_BANNER = re.compile(
    r"ランキング|ranking|ブログ.{0,24}へ$|クリック.{0,10}(?:お願い|よろしく)|応援(?:クリック|ポチ)|ポチッと",
    re.I,
)
_PAGER = re.compile(
    r"前の記事|次の記事|前のページ|次のページ|前の投稿|次の投稿|新しい記事|古い記事|^[«‹<]\s*前|次\s*[»›>]$|"
    r"ページの(?:上|先頭|トップ)へ|(?:ページ)?トップへ(?:戻る)?|top\s*へ|page\s*top|back\s+to\s+top|このページの上へ|"
    r"^▲|^↑\s*(?:top|トップ|ページ)",
    re.I,
)
_LEGAL = re.compile(r"copyright|©|\(c\)\s*\d{4}|all\s+rights\s+reserved|powered\s+by|proudly\s+powered", re.I)
_WEEKDAY_FIRST = frozenset("日月火水木金土smtwf")
_WEEKDAY_TOKENS = frozenset("日 月 火 水 木 金 土 sun mon tue wed thu fri sat su mo tu we th fr sa".split())
_DAY_GRID = re.compile(r"^\s*(?:(?:[1-9]|[12]\d|3[01])\s+)*(?:[1-9]|[12]\d|3[01])\s*$")
_MONTH_HEADER = re.compile(r"^[«‹<＜]+\s*\S.*\S\s*[»›>＞]+$|^[«‹<＜]\s*$|^\s*[»›>＞]$")
_ARCHIVE_COUNT = re.compile(
    r"^[・\-\s]*(?:(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月|[/.\-]\d{1,2})|[^\s。]{1,30})\s*[(（]\d{1,5}[)）]$"
)
_LABELLED_COUNT = re.compile(r"^(?:カテゴリー?|タグ|アーカイブ|テーマ|category|tags?)\s*[:：]", re.I)
_LIST_ITEM = re.compile(r"^[・\-*•◦▸›>]\s*\S")
_SENTENCE = re.compile(r"[。！？!?]")
_BLOG_NAME = re.compile(
    r"(?:ブログ|blog|日記|ダイアリー|diary|オフィシャルサイト|公式サイト|公式ホームページ|ホームページ|official\s*(?:site|website|blog)|web\s*site)\s*$",
    re.I,
)
_SIGNATURE = re.compile(r"^\S{0,12}(?:区|市|町|村|県|都|府|道)(?:議会)?議員\s*\S{1,12}(?:\s\S{1,8})?$")


def tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[\s|｜/・]+", widen(text).strip().lower()) if t]


def is_chrome(text: str) -> bool:
    """Whether one line, on its own, is page chrome (not a post's text) at the top or bottom of a page."""
    return chrome_level(text) > 0


@lru_cache(maxsize=4096)  # the footer search and the head of each post ask about the same lines
def chrome_level(text: str) -> int:
    """0 for text; 1 for chrome at the top or bottom of a page (navigation words, widget headers,
    ranking banners); 2 for chrome wherever it stands (skip links, breadcrumbs, menus, share and
    comment-count lines, pagination, copyright, calendar rows)."""
    s = text.strip()
    if not s or len(s) > 80 or (len(s) > 20 and "。" in s):
        return 0  # empty, long or a sentence of the author's (widen keeps lengths and 。)
    s = widen(s)
    if is_heading(s):
        return 0
    low = s.lower()
    if _SKIP_LINK.match(s) or _LEGAL.search(s) or _SHARE.match(s):
        return 2
    if (low in _NAV_WORDS and low not in _TITLE_WORDS) or low in _WIDGET_HEADERS:
        return 1
    if _MONTH_HEADER.match(s) and (is_date_line(s.strip("«‹<＜»›>＞ ")) or len(s) <= 3):
        return 2
    if is_breadcrumb(s) or is_menu(s) or is_weekday_row(s):
        return 2
    if _SENTENCE.search(s.rstrip("!！")) and len(s) > 20:
        return 0  # a sentence of the author's, whatever words it holds
    if _PAGER.search(s) and len(s) <= 50:
        return 2
    if _COUNTER.search(s) and len(s) <= 60:
        return 2
    if _BANNER.search(s) and len(s) <= 40:
        return 1
    return 1 if _LABELLED_COUNT.match(s) and re.search(r"[(（]\d+[)）]", s) else 0


def is_breadcrumb(text: str) -> bool:
    """``ホーム > ブログ > 視察報告 > …``: short items joined by at least two arrows."""
    s = widen(text).strip()
    parts = [p.strip() for p in re.split(r"[>＞»›]", s)]
    if len(parts) < 3 or not all(parts[:-1]):
        return False
    first = parts[0].lower()
    return (first in _NAV_WORDS or len(parts) >= 4) and all(len(p) <= 30 for p in parts[:-1])


def is_menu(text: str) -> bool:
    """A line of navigation words (``ホーム プロフィール 活動報告 お問い合わせ``)."""
    if len(text) > 120 or "。" in text:
        return False
    words = tokens(text)
    if len(words) < 3:
        return False
    nav = sum(1 for w in words if w in _NAV_WORDS)
    return nav * 3 >= len(words) * 2 or (nav >= 2 and all(len(w) <= 8 for w in words))


def is_weekday_row(text: str) -> bool:
    s = text.strip()
    if not s or len(s) > 60 or s[0].lower() not in _WEEKDAY_FIRST:
        return False
    words = tokens(s)
    return len(words) >= 5 and all(w in _WEEKDAY_TOKENS for w in words)


def is_day_grid(text: str) -> bool:
    """A row of a calendar: day numbers only."""
    return bool(_DAY_GRID.match(widen(text)))


def is_widget_header(text: str) -> bool:
    return widen(text).strip().lower() in _WIDGET_HEADERS


def is_blog_name(text: str) -> bool:
    """A short line shaped like a blog's name (``○○のブログ``, ``○○ オフィシャルサイト``)."""
    s = widen(text).strip()
    return 0 < len(s) <= 40 and not _SENTENCE.search(s) and bool(_BLOG_NAME.search(s))


def is_signature(text: str) -> bool:
    """A job title and a name on one line (``○○区議会議員 △△``): a site header or a signature."""
    return bool(_SIGNATURE.match(widen(text).strip()))


def chrome_levels(lines: Sequence[str]) -> list[int]:
    """chrome_level of each line in its context: a calendar widget (a month header, a row of
    weekdays and rows of day numbers read together) is chrome wherever it stands."""
    levels = [chrome_level(ln) for ln in lines]
    nonblank = [i for i in range(len(lines)) if lines[i].strip()]
    for k, i in enumerate(nonblank):
        if not is_weekday_row(lines[i]):
            continue
        j = k + 1  # day-number rows below the weekday row
        while j < len(nonblank) and is_day_grid(lines[nonblank[j]]):
            levels[nonblank[j]] = 2
            j += 1
        j = k - 1  # the month header above it (« 2013年6月 », 2024年10月) and a カレンダー label
        while j >= max(k - 2, 0):
            s = lines[nonblank[j]].strip("«‹<＜»›>＞ \t\u3000")
            if not (is_date_line(s) or is_widget_header(s)):
                break
            levels[nonblank[j]] = 2
            j -= 1
    return levels


def trim_tail(lines: Sequence[str], levels: Sequence[int] | None = None) -> int:
    """How many lines to keep: the post without the chrome under it (widgets, archive lists, banners).

    A widget header (``最近の記事``, ``アーカイブ``) starts chrome when everything after it is short
    list lines; then single chrome lines are dropped from the end. Blank lines and photo lines in
    between are kept (the structure layer drops them); a line of the author's stops the trim.
    """
    n = len(lines)
    mask = [level > 0 for level in (chrome_levels(lines) if levels is None else levels)]
    nonblank = [i for i in range(n) if lines[i].strip()]
    window = nonblank[-40:]
    for k, i in enumerate(window):
        rest = window[k + 1 :]
        if (
            _CUT_WIDGETS.match(widen(lines[i]).strip())
            and all(mask[j] or _list_like(lines[j]) for j in rest)
            and not any(_POST_LISTS.match(widen(lines[j]).strip()) for j in rest)
        ):
            n = i
            break
    end = n
    i = n - 1
    while i >= 0:
        s = lines[i].strip()
        if not s or is_photo_line(s):
            i -= 1
            continue
        if mask[i] or _list_like_count(lines, i):
            end = i
            i -= 1
            continue
        break
    return end


def _list_like(text: str) -> bool:
    s = widen(text).strip()
    if not s:
        return True
    if _ARCHIVE_COUNT.match(s):
        return True
    return len(s) <= 50 and (bool(_LIST_ITEM.match(s)) or not _SENTENCE.search(s)) and "。" not in s


def _list_like_count(lines: Sequence[str], i: int) -> bool:
    """An archive-list line with a count (``2024年8月 (5)``) next to another such line."""
    if not _ARCHIVE_COUNT.match(widen(lines[i]).strip()):
        return False
    near = [j for j in (i - 1, i + 1) if 0 <= j < len(lines)]
    return any(_ARCHIVE_COUNT.match(widen(lines[j]).strip()) or is_widget_header(lines[j]) for j in near)

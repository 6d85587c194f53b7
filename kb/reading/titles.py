"""Titles and post dates by the shape of the lines at the top (and bottom) of a post.

One set of rules for every reader (plain text, archive pages, Markdown without front matter, HTML
without a usable title, MT entries without TITLE):

- a title is a short line near the top that does not end a sentence, is not a date and is not chrome;
- a long first sentence is body: the post has no written title (``title_from = "text"``) and is
  titled by its first words;
- a date line at the top is the post's date and the next title-like line its title; a title may
  start or end with the date (``R5.11.8 …``, ``…(2023/2/14)``); a date line under the title, or among
  the last lines of the post, dates it too. Date lines stay in the post's text;
- chrome lines at the top (skip links, breadcrumbs, the blog's name, menus) are dropped;
- blog-name prefixes and suffixes (``タイトル | ○○のブログ``, ``○○ : タイトル``) are cut when they
  recur across the posts of a file, match the site's name, or are shaped like a blog's name.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from kb.reading.chrome import chrome_levels, is_blog_name, is_chrome, is_signature, trim_tail
from kb.record import field, record
from kb.text.dates import date_line, is_date_line, tail_date, title_date, widen
from kb.text.lines import is_photo_line

MAX_TITLE = 80  # a longer line is never a title
FIRST_WORDS = 30  # a first-words title is cut near this many characters
_POLITE_END = re.compile(r"(?:ました|ます|です|でした|ません|ている|ていた|だった|である|でしょう)[!！]?$")
_SEPARATORS = re.compile(r"\s+[|｜]\s*|\s*[|｜]\s+|[|｜]|\s+[-–—－―]\s+|\s+[:：]\s+|：")
_OPEN = "「『（(【〈《“[［"
_CLOSE = "」』）)】〉》”]］"
_SPACE = re.compile(r"\s+")
_ENDS = re.compile(r"[。．!?！？]")


@record(slots=True)
class Head:
    """What the top and bottom of a post's lines say: its title, its date, and chrome to leave out.

    ``title_index`` is the index (into the lines given) of the title line, None when the post has no
    written title (``title_from == "text"``) or the title was known already. ``drop`` holds the
    indices of chrome lines; ``end`` is where the post's own lines end (chrome under it cut off).
    """

    title: str = ""
    title_from: str = "line"
    title_index: int | None = None
    date: str | None = None
    drop: set[int] = field(default_factory=set)
    end: int = 0
    site: str | None = None  # a blog's name seen at the top


def reads_as_sentence(text: str) -> bool:
    """Whether a line reads as a sentence of the body rather than a title."""
    s = widen(text).strip()
    if len(s) > MAX_TITLE:
        return True
    depth = 0
    for i, ch in enumerate(s if _ENDS.search(s) else ""):  # no sentence end: nothing to walk
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        elif ch in "。．" and depth == 0:
            return True  # a sentence ends here (at the end, or with more text after it)
        elif ch in "!?！？" and depth == 0 and i < len(s) - 1 and s[i + 1] not in "!?！？" + _CLOSE:
            return True  # 「こんにちは！今日は…」
    if len(s) > 40 and "、" in s and _POLITE_END.search(s):
        return True
    return len(s) > 60 and s.count("、") >= 2


def is_title_like(text: str) -> bool:
    """A short line that does not end a sentence, is not a date, a photo name or page chrome."""
    s = text.strip()
    if not s or len(s) > MAX_TITLE:
        return False
    return not (is_date_line(s) or is_photo_line(s) or is_chrome(s) or reads_as_sentence(s))


def first_words(text: str) -> str:
    """A short, readable stand-in title from a post's first words: the first sentence when short,
    else cut at a comma or space near FIRST_WORDS characters (outside brackets), with an ellipsis."""
    s = _SPACE.sub(" ", text).strip()
    end = _sentence_end(s, 0)
    if end < 8 and end < len(s):  # 「こんにちは。」 alone says nothing: take the next sentence too
        end = _sentence_end(s, end)
    head = s[:end].rstrip("。．")
    if len(head) <= FIRST_WORDS + 2:
        return head if end >= len(s) or len(head) == end or s[end - 1] in "。．!?！？" else head + "…"
    cut = _comma_before(head, FIRST_WORDS + 2) or _comma_before(head, FIRST_WORDS + 12)
    return (head[:cut] if cut else head[:FIRST_WORDS]).rstrip("、，, ") + "…"


def _sentence_end(s: str, start: int) -> int:
    depth = 0
    for i in range(start, len(s)):
        ch = s[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        elif ch in "。．!?！？" and depth == 0:
            return i + 1
    return len(s)


def _comma_before(s: str, limit: int) -> int:
    """The offset of the last comma or space before ``limit`` and after 8 characters, 0 if none."""
    depth = 0
    best = 0
    for i, ch in enumerate(s[:limit]):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        elif ch in "、，, \u3000" and depth == 0 and i >= 8:
            best = i
    return best


def read_head(lines: Sequence[str], *, title_known: bool = False, site: str | None = None) -> Head:
    """Title, date and chrome of a post's lines (see the module docstring).

    With ``title_known`` (front matter, ``<title>``, an MT TITLE) only the date and the chrome are
    looked for. A title cut from a ``title | blog`` line keeps that line's index.
    """
    levels = chrome_levels(lines)
    mask = [level > 0 for level in levels]
    head = Head(end=trim_tail(lines, levels), site=site)
    head.drop.update(i for i in range(head.end) if levels[i] == 2)  # calendars, share lines: anywhere
    nonblank = [i for i in range(head.end) if lines[i].strip()]
    k = 0
    while k < len(nonblank) and k < 60:
        i = nonblank[k]
        s = lines[i].strip()
        if mask[i]:
            head.drop.add(i)
            k += 1
            continue
        if is_date_line(s):
            if head.date is None:
                head.date = date_line(s)
            k += 1
            continue
        if title_known:
            break
        later = [lines[j].strip() for j in nonblank[k + 1 : k + 12]]
        cut = cut_site(s, head.site)
        if cut is not None and cut[0] != s:
            title, name = cut
            if any(same_text(title, x) for x in later):
                head.drop.add(i)  # the page's "title | blog" line; the title itself comes again below
                head.site = head.site or name
                k += 1
                continue
        if (is_blog_name(s) or (head.site and same_text(s, head.site))) and any(
            map(is_title_like, later[:6])
        ):
            head.drop.add(i)
            head.site = head.site or s
            k += 1
            continue
        if is_signature(s) and any(map(is_title_like, later[:2])):
            k += 1  # 「○○区議会議員 △△」 over the title: the author's name, kept as text
            continue
        if is_title_like(s):
            head.title, head.title_index = (cut[0] if cut else s), i
            if head.date is None:
                head.date = title_date(head.title)
            _under_title(lines, nonblank[k + 1 : k + 4], mask, head)
        else:
            head.title_from = "text"
            head.title = first_words(s)
        break
    if head.date is None:
        head.date = tail_date(lines, head.end)
    return head


def _under_title(lines: Sequence[str], after: list[int], mask: list[bool], head: Head) -> None:
    """Chrome and a date line right under the title (``投稿日:2024-11-14``, ``コメント(0)``)."""
    for i in after:
        s = lines[i].strip()
        if mask[i]:
            head.drop.add(i)
            if head.date is None:
                head.date = date_line(s)
        elif is_date_line(s):
            if head.date is None:
                head.date = date_line(s)
        else:
            return


def same_text(a: str, b: str) -> bool:
    """Whether two strings read the same once width and whitespace are ignored."""
    return _squash(a) == _squash(b)


def _squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _affixes(title: str) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """((prefix, rest), (rest, suffix)) around the first and the last separator of a title."""
    found = list(_SEPARATORS.finditer(title))
    if not found:
        return None, None
    first, last = found[0], found[-1]
    prefix = (title[: first.start()].strip(), title[first.end() :].strip())
    suffix = (title[: last.start()].strip(), title[last.end() :].strip())
    return prefix, suffix


def cut_site(title: str, site: str | None) -> tuple[str, str] | None:
    """(title, blog name) when the title carries a blog's name as suffix or prefix: the site's name
    when it is known, or a part shaped like a blog's name; None when nothing is cut."""
    prefix, suffix = _affixes(title)
    candidates = [c for c in (suffix, (prefix[1], prefix[0]) if prefix else None) if c is not None]
    for rest, part in candidates:
        if not part or len(_squash(rest)) < 2:
            continue
        if (site and _squash(site) in _squash(part)) or is_blog_name(part):
            return rest, part
    return None


def strip_affixes(titles: Sequence[str], site: str | None = None) -> list[str]:
    """Titles without the blog-name prefix or suffix that recurs across them (or names the site)."""
    pairs = [_affixes(t) for t in titles]
    suffixes = Counter(_squash(s[1]) for _, s in pairs if s and s[1])
    prefixes = Counter(_squash(p[0]) for p, _ in pairs if p and p[0])
    out: list[str] = []
    for title, (prefix, suffix) in zip(titles, pairs, strict=True):
        cut = cut_site(title, site)
        if cut is not None:
            out.append(cut[0])
        elif suffix and suffixes[_squash(suffix[1])] >= 2 and len(_squash(suffix[0])) >= 2:
            out.append(suffix[0])
        elif prefix and prefixes[_squash(prefix[0])] >= 2 and len(_squash(prefix[1])) >= 2:
            out.append(prefix[1])
        else:
            out.append(title)
    return out

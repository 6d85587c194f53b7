"""Plain-text posts and archive pages: one file holding many posts.

Blogs print the same footer under every post (a ranking banner, a share line) and wrap the page in
chrome (pagination, profile, calendar, "back to top"). kb finds the footer as a chrome-shaped line
that recurs between posts, never a line that reads as the post's own first sentence (a greeting the
author repeats in every post). A page without footers is split where posts start the same way (a
date line and a title, or a title and a date line). The last post is kept whether or not a footer
follows it; the chrome after it is recognised by its shape (kb.reading.chrome), not by the strings
of any one blog. Titles, dates and top chrome come from kb.reading.titles.
"""

from __future__ import annotations

import re

from kb.models import Line, RawPost
from kb.reading.chrome import chrome_level, is_chrome, is_widget_header
from kb.reading.titles import is_title_like, read_head, reads_as_sentence, strip_affixes
from kb.text.dates import date_line
from kb.text.lines import is_heading, is_photo_line

# Lines made only of a rule such as ---- or ==== or ＿＿＿ separate posts in many hand-made archives.
_RULE = re.compile(r"^\s*([-=_＿―─━*＊~〜])\1{4,}\s*$")
_SENTENCE_END = re.compile(r"[。！？!?][」』）)]*\s*$")


def read_plain(text: str, source: str) -> list[RawPost]:
    """Split a plain-text file into posts: a single post, or an archive page of several."""
    lines = text.split("\n")
    footer = _find_footer(lines)
    segments = _split(lines, footer) if footer is not None else _split_at_starts(lines)
    posts: list[RawPost] = []
    for i, seg in enumerate(segments):
        post = _to_post(seg, lines, source)
        if post is None:
            continue
        if len(segments) > 1 and (i == len(segments) - 1 or i == 0) and not _says_something(post):
            continue  # the page chrome before the first post or after the last
        posts.append(post)
    if len(posts) > 1:
        for post, title in zip(posts, strip_affixes([p.title for p in posts]), strict=True):
            if post.title_from != "text":
                post.title = title
    return posts


def _key(line: str) -> str:
    return " ".join(line.split())


def _find_footer(lines: list[str]) -> str | None:
    """The footer line: a chrome-shaped line that recurs between posts, standing apart from the text.

    A footer repeats under every post; a repeated sentence inside a post does not close it, and a
    line that reads as a sentence (a greeting repeated under every title) is never one. Among
    candidates, the one that splits the file into the largest number of substantial parts wins. A
    single chrome line (a ranking banner) between two posts splits them too.
    """
    keys = [_key(ln) for ln in lines]
    positions: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        if key:
            positions.setdefault(key, []).append(i)
    best: tuple[int, str] | None = None
    for key, where in positions.items():
        n = len(where)
        if len(key) > 80 or (best is not None and n <= best[0]):
            continue
        chrome = is_chrome(key)  # asked first: most lines occur once, and then only chrome counts
        if n < 2 and not chrome:
            continue
        if (
            is_photo_line(key)
            or is_heading(key)
            or reads_as_sentence(key)
            or date_line(key) is not None
            or is_widget_header(key)  # a sidebar's heading (カレンダー, アーカイブ) does not close posts
        ):
            continue
        # occurrences stand apart from the text: preceded by a blank line, most of them at least
        # (a post that ends right above the banner); a sentence-like line must always be
        apart = sum(1 for i in where if i == 0 or not keys[i - 1])
        if apart * 3 < n * 2 or (not chrome and apart < n):
            continue
        # and the parts between occurrences must be real posts: several non-blank lines each
        bounds = [-1, *where]
        parts = [
            sum(1 for k in keys[a + 1 : b] if k and not is_photo_line(k))
            for a, b in zip(bounds, bounds[1:], strict=False)
        ]
        if min([p for p in parts if p] or [0]) < 2:  # two footers in a row leave an empty part
            continue
        # what follows each occurrence but the last starts a post (a title or a date line)
        if not chrome and not all(_starts_post(keys, i + 1) for i in where[:-1]):
            continue
        if n == 1 and not (_starts_post(keys, where[0] + 1) and _post_like(keys, where[0] + 1)):
            continue
        best = (n, key)
    if best is not None:
        return best[1]
    rules = [i for i, ln in enumerate(lines) if _RULE.match(ln)]
    return _key(lines[rules[0]]) if len(rules) >= 2 else None


def _next_nonblank(keys: list[str], i: int) -> int | None:
    while i < len(keys):
        if keys[i]:
            return i
        i += 1
    return None


def _starts_post(keys: list[str], i: int) -> bool:
    j = _next_nonblank(keys, i)
    return j is not None and (is_title_like(keys[j]) or date_line(keys[j]) is not None)


def _post_like(keys: list[str], i: int) -> bool:
    """Whether the lines from ``i`` hold a post: a sentence of some length before the next footer-ish end."""
    return any(len(k) >= 15 and _SENTENCE_END.search(k) for k in keys[i:])


def _split(lines: list[str], footer: str) -> list[list[int]]:
    """Indices of the lines of each segment, the footer lines removed."""
    segments: list[list[int]] = [[]]
    for i, ln in enumerate(lines):
        if ln.strip() and _key(ln) == footer:
            segments.append([])
        else:
            segments[-1].append(i)
    return [seg for seg in segments if any(lines[i].strip() for i in seg)]


def _split_at_starts(lines: list[str]) -> list[list[int]]:
    """A page without footers split where its posts start alike: after a blank line, a dated title
    (a date line, then a title-like line; or a title-like line, then a date line). Two such starts
    at least, each followed by a post; otherwise the file is one post."""
    keys = [_key(ln) for ln in lines]
    nonblank = [i for i, k in enumerate(keys) if k]
    starts: dict[str, list[int]] = {"date-title": [], "title-date": []}
    for k, i in enumerate(nonblank[:-1]):
        if i > 0 and keys[i - 1]:
            continue
        j = nonblank[k + 1]
        if date_line(keys[i]) is not None and is_title_like(keys[j]):
            starts["date-title"].append(i)
        elif is_title_like(keys[i]) and not is_heading(keys[i]) and date_line(keys[j]) is not None:
            starts["title-date"].append(i)
    shape = max(starts, key=lambda s: len(starts[s]))
    found = starts[shape]
    if len(found) < 2:
        return [list(range(len(lines)))]
    bounds = [*found, len(lines)]
    parts = [list(range(a, b)) for a, b in zip(bounds, bounds[1:], strict=False)]
    if not all(_post_like(keys[p[0] : p[-1] + 1], 0) for p in parts[:-1]):
        return [list(range(len(lines)))]
    if found[0] > 0:
        parts.insert(0, list(range(0, found[0])))
    return parts


def _says_something(post: RawPost) -> bool:
    """A post says something: a full sentence of some length, or a short one that is no page chrome
    (pagination and profiles at the ends of a page are chrome; a two-line post is a post)."""
    texts = [ln.text.strip() for ln in post.lines if ln.text.strip()]
    if post.title_from == "text":
        return True  # titled by its first words: those are a sentence
    if any(len(b) >= 15 and _SENTENCE_END.search(b) for b in texts):
        return True
    sentences = [b for b in texts if _SENTENCE_END.search(b)]
    return bool(sentences) and not any(chrome_level(b) for b in [post.title, *texts])


def _to_post(seg: list[int], lines: list[str], source: str) -> RawPost | None:
    texts = [lines[i] for i in seg]
    head = read_head(texts)
    kept = [k for k in range(head.end) if k not in head.drop and k != head.title_index]
    body = [Line(lines[seg[k]], seg[k] + 1) for k in kept]
    while body and not body[0].text.strip():
        body.pop(0)
    while body and not body[-1].text.strip():
        body.pop()
    if not head.title and not body:
        return None
    title_lineno = seg[head.title_index] + 1 if head.title_index is not None else 0
    return RawPost(
        title=head.title,
        lines=body,
        source=source,
        date=head.date,
        title_lineno=title_lineno,
        title_from=head.title_from,
    )

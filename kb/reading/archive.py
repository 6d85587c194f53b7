"""Plain-text posts and archive pages: one file holding many posts, each ending with a footer.

Blogs print the same footer under every post (a ranking banner, a share line, "Posted by ...") and
wrap the page in chrome (pagination, profile, "back to top"). kb finds the footer as the line that
repeats between posts, and recognises the chrome after the last post by its shape, not by the
strings of any one blog.
"""

from __future__ import annotations

import re

from kb.models import Line, RawPost
from kb.text.lines import is_heading, is_photo_line

# Lines made only of a rule such as ---- or ==== or ＿＿＿ separate posts in many hand-made archives.
_RULE = re.compile(r"^\s*([-=_＿―─━*＊~〜])\1{4,}\s*$")
# Words of navigation and page chrome, in Japanese blogs and in English themes.
_CHROME = re.compile(
    r"前のページ|次のページ|前の記事|次の記事|ページの(?:上|先頭|トップ)へ|トップへ戻る|ページトップ|"
    r"プロフィール|カテゴリー?一覧|月別アーカイブ|最新記事|コメント一覧|トラックバック|"
    r"Powered by|Copyright|©|All rights reserved|«|»|^\s*<|>\s*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[。！？!?」』）)]\s*$")


def read_plain(text: str, source: str) -> list[RawPost]:
    """Split a plain-text file into posts: a single post, or an archive page of several."""
    lines = text.split("\n")
    footer = _find_footer(lines)
    segments = _split(lines, footer)
    posts: list[RawPost] = []
    for i, seg in enumerate(segments):
        last = i == len(segments) - 1
        if last and len(segments) > 1 and _is_chrome(seg, lines):
            continue
        post = _to_post(seg, lines, source)
        if post is not None:
            posts.append(post)
    return posts


def _key(line: str) -> str:
    return " ".join(line.split())


def _find_footer(lines: list[str]) -> str | None:
    """The footer line: a non-blank line that recurs, always followed by a blank line or the end.

    A footer repeats under every post; a repeated sentence inside a post does not close it. Among
    candidates, the one that splits the file into the largest number of substantial parts wins.
    """
    keys = [_key(ln) for ln in lines]
    positions: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        if key:
            positions.setdefault(key, []).append(i)
    best: tuple[int, str] | None = None
    for key, where in positions.items():
        n = len(where)
        if (
            n < 2
            or len(key) > 80
            or (best is not None and n <= best[0])
            or is_photo_line(key)
            or is_heading(key)
        ):
            continue
        # each occurrence must be preceded by a blank line (footers stand apart from the text)
        if not all(i == 0 or not keys[i - 1] for i in where):
            continue
        # and the parts between occurrences must be real posts: several non-blank lines each
        bounds = [-1, *where]
        parts = [
            sum(1 for k in keys[a + 1 : b] if k and not is_photo_line(k))
            for a, b in zip(bounds, bounds[1:], strict=False)
        ]
        if min(parts) < 2:
            continue
        best = (n, key)
    if best is not None:
        return best[1]
    rules = [i for i, ln in enumerate(lines) if _RULE.match(ln)]
    return _key(lines[rules[0]]) if len(rules) >= 2 else None


def _split(lines: list[str], footer: str | None) -> list[list[int]]:
    """Indices of the lines of each segment, the footer lines removed."""
    segments: list[list[int]] = [[]]
    for i, ln in enumerate(lines):
        if footer is not None and ln.strip() and _key(ln) == footer:
            segments.append([])
        else:
            segments[-1].append(i)
    return [seg for seg in segments if any(lines[i].strip() for i in seg)]


def _is_chrome(seg: list[int], lines: list[str]) -> bool:
    """Whether the part after the last footer is page chrome rather than a post."""
    body = [lines[i].strip() for i in seg if lines[i].strip()]
    if not body:
        return True
    if any(_CHROME.search(b) for b in body[:3]) or any(_CHROME.search(b) for b in body[-3:]):
        sentences = [b for b in body if len(b) >= 20 and _SENTENCE_END.search(b)]
        return len(sentences) < 2
    # a post says something: at least one full sentence of some length
    return not any(len(b) >= 15 and _SENTENCE_END.search(b) for b in body)


def _to_post(seg: list[int], lines: list[str], source: str) -> RawPost | None:
    nonblank = [i for i in seg if lines[i].strip()]
    if not nonblank:
        return None
    title_i = nonblank[0]
    body = [Line(lines[i], i + 1) for i in seg if i > title_i]
    while body and not body[-1].text.strip():
        body.pop()
    return RawPost(title=lines[title_i].strip(), lines=body, source=source, title_lineno=title_i + 1)

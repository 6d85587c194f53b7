"""Post structure: photo placeholders, section headings, passages and the post date found in its text."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from kb.eras import POST_ERAS, match_day
from kb.models import Line, Passage, Post, RawPost, Section

# Photo placeholders left in the text by blog editors and phone uploads: IMG_9012, FullSizeRender, image.
_PHOTO = re.compile(
    r"^(?:IMG[_-]?\d+|DSC[FN_]?\d+|P\d{7}|PXL_\d+[_\d]*|FullSizeRender|image\d*|画像|写真)"
    r"(?:\.(?:jpe?g|png|heic|gif|webp))?$",
    re.IGNORECASE,
)
# Marks that open a heading line in Japanese blogs.
_MARKS = "◼◾■□◆◇●○▼▽▲△▶▷★◎◉❖"
_HEADING_MARK = re.compile(rf"^[{_MARKS}][\ufe0e\ufe0f]?")
_CIRCLED = re.compile(r"^[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf\u2474-\u2487\u2776-\u277f\u3220-\u3229]")
_BRACKET = re.compile(r"^【[^】]{1,40}】")
_STARS = re.compile(r"^[☆★]+.*[☆★]$|^[☆★]{2,}$")
_NOTE = re.compile(r"^※\S{1,12}$")
_SENTENCE_END = "。！？!?"
_OPEN = "「『（(【〈《“"
_CLOSE = "」』）)】〉》”"
MAX_PASSAGE = 400
_DATE_LINE = re.compile(
    rf"^\s*(?:(?P<era>{POST_ERAS})(?P<ey>\d{{1,2}}|元)"
    r"|(?P<y>(?:19|20)\d{2}))\s*[年/.\-]\s*(?P<m>\d{1,2})\s*[月/.\-]"
    r"\s*(?P<d>\d{1,2})\s*日?(?P<rest>.*)$"
)
# What may follow a date on a date-only line: a weekday and a time, nothing that reads as a sentence.
_DATE_REST = re.compile(
    r"^\s*(?:[(（]?[月火水木金土日](?:曜日?)?[)）]?)?\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*$"
)


def is_photo_line(text: str) -> bool:
    """Whether a line is only a photo placeholder such as ``IMG_9012`` or ``FullSizeRender``."""
    return bool(_PHOTO.match(text.strip()))


def is_heading(text: str) -> bool:
    """Whether a line is a section heading by its mark: ◼️…, ■…, ◆…, 【…】, ①…, ⑴…, ☆…☆, ※注記."""
    s = text.strip()
    if not s or len(s) > 60:
        return False
    if _STARS.match(s):
        return len(s) <= 30
    if _HEADING_MARK.match(s):
        return len(s) > 1 and not s.endswith("。")
    if _CIRCLED.match(s) or _BRACKET.match(s):
        return len(s) <= 40 and not s.endswith("。")
    return bool(_NOTE.match(s))


def date_from_line(text: str) -> str | None:
    """An ISO date when the line is only a date (and maybe a weekday or time), else None."""
    m = _DATE_LINE.match(unicodedata.normalize("NFKC", text))
    if not m or not _DATE_REST.match(m.group("rest")):
        return None
    return match_day(m)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of one line: a sentence ends at 。！？!? outside brackets (「…。」 stays whole)."""
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        elif ch in _SENTENCE_END and depth == 0:
            j = i + 1
            while j < n and (text[j] in _SENTENCE_END or text[j] in _CLOSE):
                j += 1
            spans.append((start, j))
            start = i = j
            continue
        i += 1
    if start < n:
        spans.append((start, n))
    out: list[tuple[int, int]] = []
    for a, b in spans:
        out.extend(_cap(text, a, b))
    return [(a, b) for a, b in (_trim(text, a, b) for a, b in out) if a < b]


def _cap(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Split an over-long sentence at a comma or space so a passage stays readable and indexable."""
    out = []
    while b - a > MAX_PASSAGE:
        window = text[a : a + MAX_PASSAGE]
        cut = max(window.rfind("、"), window.rfind(" "), window.rfind("\u3000"), window.rfind(","))
        cut = cut + 1 if cut > MAX_PASSAGE // 2 else MAX_PASSAGE
        out.append((a, a + cut))
        a += cut
    out.append((a, b))
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def post_uid(title: str, date: str | None, text: str) -> str:
    """A post's identity: a hash of its content, stable across imports and file moves."""
    h = hashlib.sha256()
    for part in (title, date or "", text):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:24]


def build_post(raw: RawPost) -> Post:
    """Apply structure to a read post: drop photo lines, find headings, date, sections, passages."""
    lines, photos = _clean_lines(raw.lines)
    date = raw.date
    if date is None:
        for k, ln in enumerate(lines[:3]):
            found = date_from_line(ln.text)
            if found:
                date = found
                del lines[k]
                break
    text_parts: list[str] = []
    sections: list[Section] = []
    passages: list[Passage] = []
    pos = 0
    for ln in lines:
        text = ln.text.rstrip()
        stripped = text.strip()
        if stripped and (ln.heading or is_heading(stripped)):
            if sections:
                sections[-1].end = pos
            elif pos > 0:
                sections.append(Section(None, 0, pos))
            sections.append(Section(stripped, pos, pos))
            a = pos + text.index(stripped[0])
            passages.append(Passage(len(sections) - 1, a, a + len(stripped), stripped, ln.lineno))
        elif stripped:
            if not sections:
                sections.append(Section(None, 0, 0))
            for a, b in split_sentences(text):
                passages.append(Passage(len(sections) - 1, pos + a, pos + b, text[a:b], ln.lineno))
        text_parts.append(text)
        pos += len(text) + 1
    body = "\n".join(text_parts)
    if sections:
        sections[-1].end = len(body)
    return Post(
        uid=post_uid(raw.title, date, body),
        title=raw.title,
        text=body,
        source=raw.source,
        sections=sections,
        passages=passages,
        date=date,
        author=raw.author,
        url=raw.url,
        categories=list(raw.categories),
        photos=photos,
        title_lineno=raw.title_lineno,
    )


def _clean_lines(raw: list[Line]) -> tuple[list[Line], int]:
    """Drop photo placeholders (counting them), collapse runs of blank lines, trim the ends."""
    out: list[Line] = []
    photos = 0
    for ln in raw:
        if ln.photo or is_photo_line(ln.text):
            photos += 1
            continue
        blank = not ln.text.strip()
        if blank and (not out or not out[-1].text.strip()):
            continue
        out.append(Line("" if blank else ln.text, ln.lineno, ln.heading))
    while out and not out[-1].text.strip():
        out.pop()
    return out, photos

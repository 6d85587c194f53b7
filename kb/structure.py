"""Post structure: photo placeholders, section headings, passages and the post date found in its text
(a date line stays in the post's text: the author wrote it)."""

from __future__ import annotations

import hashlib

from kb.models import Line, Passage, Post, RawPost, Section
from kb.text.dates import tail_date
from kb.text.lines import date_from_line, is_heading, is_photo_line

_SENTENCE_END = "。！？!?"
_OPEN = "「『（(【〈《“"
_CLOSE = "」』）)】〉》”"
MAX_PASSAGE = 400


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
    """Apply structure to a read post: drop photo lines, find headings, date, sections, passages; the
    title line (unless it stands in for the first words) is the first passage, outside every section."""
    lines, photos = _clean_lines(raw.lines)
    date = raw.date
    if date is None:
        # a date line at the top of the body, or among its last lines, dates the post; it stays in
        # the text (the author wrote it, and the date facts must see it)
        date = next((d for d in map(date_from_line, (ln.text for ln in lines[:3])) if d), None)
        date = date or tail_date([ln.text for ln in lines])
    title = " ".join(raw.title.split("\n")).strip()
    with_title = bool(title) and raw.title_from != "text"
    text_parts: list[str] = [title] if with_title else []
    sections: list[Section] = []
    passages: list[Passage] = [Passage(None, 0, len(title), title, raw.title_lineno)] if with_title else []
    pos = body_start = len(title) + 1 if with_title else 0
    for ln in lines:
        text = ln.text.rstrip()
        stripped = text.strip()
        if stripped and (ln.heading or is_heading(stripped)):
            if sections:
                sections[-1].end = pos
            elif pos > body_start:
                sections.append(Section(None, body_start, pos))
            sections.append(Section(stripped, pos, pos))
            a = pos + text.index(stripped[0])
            passages.append(Passage(len(sections) - 1, a, a + len(stripped), stripped, ln.lineno))
        elif stripped:
            if not sections:
                sections.append(Section(None, body_start, body_start))
            for a, b in split_sentences(text):
                passages.append(Passage(len(sections) - 1, pos + a, pos + b, text[a:b], ln.lineno))
        text_parts.append(text)
        pos += len(text) + 1
    text = "\n".join(text_parts)
    if sections:
        sections[-1].end = len(text)
    return Post(
        uid=post_uid(raw.title, date, text[body_start:]),
        title=title,
        text=text,
        source=raw.source,
        sections=sections,
        passages=passages,
        date=date,
        author=raw.author,
        url=raw.url,
        categories=list(raw.categories),
        photos=photos,
        title_lineno=raw.title_lineno,
        title_from=raw.title_from,
        body_start=body_start,
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

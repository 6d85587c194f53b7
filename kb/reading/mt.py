"""Movable Type export files (also written by livedoor, Seesaa, FC2 and other Japanese blog services)."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable

from kb.models import Line, RawPost
from kb.reading.detect import MT_KEY_LINE, clean_title, iso_date
from kb.reading.html import html_to_lines
from kb.reading.markdown import markdown_lines, trim_lines
from kb.reading.titles import read_head
from kb.record import field, record

ENTRY_END = "--------"
SECTION_END = "-----"
_SECTION = re.compile(r"^(BODY|EXTENDED BODY|EXCERPT|KEYWORDS|COMMENT|PING|TRACKBACK):[ \t]*$")
_MT_DATE = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?)?$",
    re.I,
)
_BLOCK_TAG = re.compile(r"<(?:p|div|br|h[1-6]|ul|ol|li|table|tr|blockquote|pre|hr|section|article)\b", re.I)
_PLAIN_BREAKS = ("1", "__default__", "convert_breaks", "")
_MARKDOWN = ("markdown", "markdown_with_smartypants")


@record(slots=True)
class _Entry:
    meta: list[tuple[str, str, int]] = field(default_factory=list)  # key, value, 1-based line
    sections: list[tuple[str, list[int]]] = field(default_factory=list)  # name, line indices


def read_mt(text: str, source: str, warnings: list[str] | None = None) -> list[RawPost]:
    """Every entry of a Movable Type export as a RawPost; comments are left out."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    posts: list[RawPost] = []
    for start, end in _entries(lines):
        post = _post(_parse(lines, start, end), lines, source, warnings)
        if post is not None:
            posts.append(post)
    return posts


def _entries(lines: list[str]) -> list[tuple[int, int]]:
    """Line ranges of the entries: "--------" ends an entry when a new entry (or the end) follows."""
    ranges: list[tuple[int, int]] = []
    start = 0
    for i, line in enumerate(lines):
        if line.rstrip() == ENTRY_END and _next_is(lines, i + 1, lambda s: bool(MT_KEY_LINE.match(s))):
            ranges.append((start, i))
            start = i + 1
    ranges.append((start, len(lines)))
    return [(a, b) for a, b in ranges if any(lines[k].strip() for k in range(a, b))]


def _next_is(lines: list[str], i: int, test: Callable[[str], object], end: int | None = None) -> bool:
    """Whether the next non-blank line from ``i`` (before ``end``) passes ``test``; the end passes."""
    for k in range(i, len(lines) if end is None else end):
        if lines[k].strip():
            return bool(test(lines[k].rstrip()))
    return True


def _parse(lines: list[str], start: int, end: int) -> _Entry:
    entry = _Entry()
    i = start
    while i < end:
        line = lines[i].rstrip()
        if line == SECTION_END:
            i += 1
            break
        if _SECTION.match(line):
            break
        m = MT_KEY_LINE.match(line)
        if m:
            entry.meta.append((m.group(1), (m.group(2) or "").strip(), i + 1))
        i += 1
    current: tuple[str, list[int]] | None = None
    while i < end:
        line = lines[i].rstrip()
        if current is None:
            m = _SECTION.match(line)
            if m:
                current = (m.group(1), [])
                entry.sections.append(current)
            elif line and line != SECTION_END:
                current = ("?", [i])
                entry.sections.append(current)
        elif line == SECTION_END and _next_is(lines, i + 1, _SECTION.match, end):
            current = None
        else:
            current[1].append(i)
        i += 1
    return entry


def _post(entry: _Entry, lines: list[str], source: str, warnings: list[str] | None) -> RawPost | None:
    meta = {key: (value, lineno) for key, value, lineno in entry.meta}
    convert = meta.get("CONVERT BREAKS", ("", 0))[0].lower()
    body: list[Line] = []
    for name, idx in entry.sections:
        if name in ("BODY", "EXTENDED BODY") and idx:
            body.extend(_body_lines(lines, idx, convert))
    title, title_lineno = meta.get("TITLE", ("", 0))
    title = clean_title(title)
    title_from = "meta" if title else "line"
    head = read_head([ln.text for ln in body], title_known=bool(title))
    if not title:  # no TITLE: the shape rules pick a title line, or the first words stand in for one
        title, title_from = head.title, head.title_from
        if head.title_index is not None:
            title_lineno = body[head.title_index].lineno
    body = trim_lines(
        [ln for k, ln in enumerate(body[: head.end]) if k not in head.drop and k != head.title_index]
    )
    if not title and not body:
        return None
    date = None
    if "DATE" in meta:
        date = _date(meta["DATE"][0])
        if date is None and warnings is not None:
            warnings.append(f"記事「{title}」の日付 (DATE) が読めません: {meta['DATE'][0]!r}")
    if date is None:
        date = head.date
    return RawPost(
        title=title,
        lines=body,
        source=source,
        date=date,
        author=meta.get("AUTHOR", ("", 0))[0] or None,
        url=meta.get("UNIQUE URL", ("", 0))[0] or None,
        categories=_categories(entry),
        title_lineno=title_lineno,
        title_from=title_from,
    )


def _body_lines(lines: list[str], idx: list[int], convert: str) -> list[Line]:
    """A BODY or EXTENDED BODY section as Lines, numbered when its newlines are its line breaks."""
    text = "\n".join(lines[k] for k in idx)
    first = idx[0] + 1
    if convert in _MARKDOWN:
        return markdown_lines([lines[k] for k in idx], first)
    if convert in _PLAIN_BREAKS and not _BLOCK_TAG.search(text):
        return html_to_lines(text, first, newline_breaks=True)
    return html_to_lines(text, first)


def _date(value: str) -> str | None:
    """MM/DD/YYYY hh:mm:ss [AM|PM] as an ISO date; other spellings through iso_date."""
    m = _MT_DATE.match(value.strip())
    if m is None:
        return iso_date(value)
    try:
        return dt.date(int(m.group(3)), int(m.group(1)), int(m.group(2))).isoformat()
    except ValueError:
        return None


def _categories(entry: _Entry) -> list[str]:
    """CATEGORY, PRIMARY CATEGORY and TAGS in file order, each name once."""
    out: list[str] = []
    for key, value, _ in entry.meta:
        if key in ("CATEGORY", "PRIMARY CATEGORY"):
            names = [value]
        elif key == "TAGS":
            names = next(csv.reader([value], skipinitialspace=True), [])
        else:
            continue
        for name in names:
            name = name.strip()
            if name and name not in out:
                out.append(name)
    return out

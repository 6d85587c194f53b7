"""Recognition by content: which format a text is in, and which date a string spells."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata

from kb.text.dates import date_line, find_days, first_day

MT_KEYS = (
    "AUTHOR",
    "TITLE",
    "BASENAME",
    "STATUS",
    "ALLOW COMMENTS",
    "ALLOW PINGS",
    "CONVERT BREAKS",
    "DATE",
    "CATEGORY",
    "PRIMARY CATEGORY",
    "TAGS",
    "NO ENTRY",
    "UNIQUE URL",
)
MT_KEY_LINE = re.compile(rf"^({'|'.join(MT_KEYS)}):(?: (.*))?$")
_MT_BODY = re.compile(r"^(?:BODY|EXTENDED BODY):[ \t]*$", re.MULTILINE)
_HTML_START = re.compile(
    r"\s*(?:<!--.*?-->\s*|<\?xml[^>]*>\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_HTML_TAG = re.compile(r"<html\b", re.I)
_BODY_TAG = re.compile(r"<body\b", re.I)
_ATX = re.compile(r"^ {0,3}#{1,6}[ \t\u3000]+\S", re.MULTILINE)
_PLAIN_EXTENSIONS = frozenset({"", ".txt", ".text"})
_FRONT_KEY = re.compile(r"^[A-Za-z_][\w-]*[ \t]*:")

_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v\xa0]+")


def detect_format(text: str, path: str) -> str:
    """The format of a decoded file: "mt", "html", "markdown" or "text", by content and extension."""
    head = text[:8192]
    ext = os.path.splitext(path)[1].lower()
    if looks_like_mt(text):
        return "mt"
    if ext in (".html", ".htm", ".xhtml", ".shtml"):
        return "html"
    if ext in (".md", ".markdown", ".mdown", ".mkd", ".mkdn"):
        return "markdown"
    if _HTML_START.match(head) or (_HTML_TAG.search(head) and _BODY_TAG.search(text)):
        return "html"
    if ext in _PLAIN_EXTENSIONS and (has_front_matter(text) or len(_ATX.findall(text)) >= 2):
        return "markdown"  # not for scripts and configuration files full of "# comments"
    return "text"


def looks_like_mt(text: str) -> bool:
    """A Movable Type export: the first non-blank line is a known ``KEY: value``, a BODY: section follows."""
    for line in text[:4096].split("\n"):
        if line.strip():
            return bool(MT_KEY_LINE.match(line.rstrip())) and bool(_MT_BODY.search(text))
    return False


def has_front_matter(text: str) -> bool:
    """Whether the text opens with a ``---`` line, ``key:`` lines and a closing ``---`` or ``...``."""
    lines = text.split("\n", 200)
    if not lines or lines[0].rstrip() != "---":
        return False
    for i, line in enumerate(lines[1:200], start=1):
        if line.rstrip() in ("---", "..."):
            return i > 1 and any(_FRONT_KEY.match(x) for x in lines[1:i])
    return False


def iso_date(value: object) -> str | None:
    """An ISO date (YYYY-MM-DD) from a date/datetime or a string such as 2018/04/13 or 平成30年4月13日."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    return first_day(value)


def clean_title(text: str) -> str:
    """A title on one line: runs of ASCII whitespace become one space; full-width spaces stay."""
    return _ASCII_SPACE.sub(" ", text).strip()


def same_text(a: str, b: str) -> bool:
    """Whether two strings read the same once width and whitespace are ignored (a title and a heading)."""
    return _squash(a) == _squash(b)


def _squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def date_only(text: str) -> str | None:
    """An ISO date when a short text is mostly a date: a label may come before it (投稿日：) and a
    weekday, a time or a few words after it (a theme's date element); not a sentence with a date."""
    s = text.strip()
    found = date_line(s)
    if found is not None:
        return found
    day = next(find_days(s), None)
    if day is None or day.start > 8 or len(s) - day.end > 20 or "。" in s:
        return None
    return day.iso

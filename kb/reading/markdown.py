"""Markdown posts: YAML front matter, ATX and setext headings, inline markup reduced to plain text."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import yaml

from kb.models import Line, RawPost
from kb.reading.detect import clean_title, iso_date, same_text
from kb.reading.titles import read_head
from kb.text.dates import is_date_line

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t\u3000]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_REFDEF = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*\S+")
_COMMENT = re.compile(r"^\s*<!--.*-->\s*$")
_QUOTE = re.compile(r"^ {0,3}(?:>[ \t]?)+")
_BULLET = re.compile(r"^(\s*)[-*+][ \t]+(?=\S)")
_IMAGE = re.compile(
    r"\[!\[([^\]]*)\]\([^)]*\)\]\([^)]*\)"  # linked image
    r"|!\[([^\]]*)\]\([^)]*\)"  # image
    r"|!\[([^\]]*)\]\[[^\]]*\]"  # reference image
    r"|<img\b(?:[^>]*?\balt=[\"']([^\"']*)[\"'])?[^>]*>",  # inline HTML image
    re.I,
)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|<])")
_CODE = re.compile(r"(`+)(.+?)\1")
_INLINE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), r"\1"),
    (re.compile(r"__(?=\S)(.+?)(?<=\S)__"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"\*(?=[^\s*])(.+?)(?<=[^\s*])\*"), r"\1"),
    (re.compile(r"(?<![A-Za-z0-9])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![A-Za-z0-9])"), r"\1"),
)
_TITLE_KEY = re.compile(r"^title[ \t]*:", re.I)
_SHIFT = 0xF0000  # escaped characters hide in a private-use plane while markup is removed


def read_markdown(text: str, source: str, warnings: list[str] | None = None) -> list[RawPost]:
    """One post from a Markdown file; problems with the front matter are appended to ``warnings``."""
    lines = text.split("\n")
    meta, body_start = _front_matter(lines, warnings if warnings is not None else [])
    blocks = _blocks(lines[body_start:], body_start + 1)
    title, title_lineno, title_from = "", 0, "line"
    raw_title = meta.get("title")
    if isinstance(raw_title, str | int | float) and str(raw_title).strip():
        title = clean_title(str(raw_title))[:MAX_VALUE]
        title_from = "meta"
        title_lineno = next((i + 1 for i, ln in enumerate(lines[:body_start]) if _TITLE_KEY.match(ln)), 0)
        first = next((k for k, (ln, _) in enumerate(blocks) if ln.text.strip()), None)
        if first is not None and blocks[first][1] and same_text(blocks[first][0].text, title):
            del blocks[first]
    body_lines = [ln for ln, _ in blocks]
    head = read_head([ln.text if not ln.photo else "" for ln in body_lines], title_known=bool(title))
    if not title:
        # an H1 before any text is the title; otherwise the shape rules pick one, or the first words
        texts = [
            k for k, (ln, _) in enumerate(blocks) if ln.text.strip() and not ln.photo and k not in head.drop
        ]
        h1 = next((k for k in texts if blocks[k][1] == 1), None)
        if h1 is not None and all(is_date_line(blocks[k][0].text) for k in texts if k < h1):
            head.title, head.title_index, head.title_from = blocks[h1][0].text.strip(), h1, "line"
        title, title_from = head.title, head.title_from
        if head.title_index is not None:
            title_lineno = blocks[head.title_index][0].lineno
    body = trim_lines(
        [ln for k, ln in enumerate(body_lines[: head.end]) if k not in head.drop and k != head.title_index]
    )
    if not title and not body:
        return []
    date = _date(meta, warnings) or head.date
    return [
        RawPost(
            title=title,
            lines=body,
            source=source,
            date=date,
            author=_author(meta),
            url=_first_str(meta, "url", "link", "permalink", "canonical"),
            categories=_categories(meta),
            title_lineno=title_lineno,
            title_from=title_from,
        )
    ]


def markdown_lines(lines: list[str], first_lineno: int = 1) -> list[Line]:
    """Markdown body lines as plain-text Lines; ``first_lineno`` is the file line of ``lines[0]``."""
    return [ln for ln, _ in _blocks(lines, first_lineno)]


MAX_FRONT_MATTER = 64 * 1024  # characters of YAML read at most
MAX_VALUE = 2000  # characters of one front-matter value kept at most
MAX_ITEMS = 200  # items of one list value (tags, categories) kept at most


class _NoAliasLoader(yaml.SafeLoader):
    """The safe loader without aliases: ``*a`` refers to a node again, and a few hundred bytes of
    nested aliases expand to gigabytes (an alias bomb). Front matter never needs them."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise _AliasRefused
        return super().compose_node(parent, index)


class _AliasRefused(Exception):
    pass


def _front_matter(lines: list[str], warnings: list[str]) -> tuple[dict[str, Any], int]:
    """The front matter as a dict with lower-case keys, and the index of the first body line.

    Malformed YAML is read as text; front matter that is too long or uses aliases is left out
    (the post is read without its metadata). Values are scalars (or lists of scalars) of bounded
    length; others are dropped with a warning.
    """
    if not lines or lines[0].rstrip() != "---":
        return {}, 0
    end = next((i for i, ln in enumerate(lines[1:], start=1) if ln.rstrip() in ("---", "...")), None)
    if end is None:
        return {}, 0
    source = "\n".join(lines[1:end])
    if len(source) > MAX_FRONT_MATTER:
        warnings.append(f"front matter が長すぎるため ({len(source)} 文字) メタデータなしで読みました")
        return {}, end + 1
    try:
        loaded = yaml.load(source, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader without aliases
    except _AliasRefused:
        warnings.append("front matter の YAML 別名 (alias) は使えないため、メタデータなしで読みました")
        return {}, end + 1
    except Exception as err:  # noqa: BLE001 - any YAML failure means "not front matter", never a crash
        problem = getattr(err, "problem", None) or type(err).__name__
        warnings.append(f"front matter の YAML が壊れているため本文として読みました ({problem})")
        return {}, 0
    if loaded is None:
        return {}, end + 1
    if not isinstance(loaded, dict):
        warnings.append("front matter が「キー: 値」の形ではないため本文として読みました")
        return {}, 0
    meta: dict[str, Any] = {}
    for key, value in loaded.items():
        name = str(key).strip().lower()[:100]
        kept = _bounded(value)
        if kept is None and value is not None:
            warnings.append(f"front matter の {name} は読めない値 (長すぎるか入れ子) のため読み飛ばしました")
            continue
        meta[name] = kept
    return meta, end + 1


def _bounded(value: Any, depth: int = 0) -> Any:
    """A front-matter value kept as it is when it is a scalar of bounded length, a short list of
    them, or (for an author) a small mapping of them; None otherwise."""
    if isinstance(value, str):
        return value if len(value) <= MAX_VALUE else None
    if isinstance(value, bool | int | float | dt.date):
        return value
    if depth >= 2:
        return None
    if isinstance(value, list):
        items = [_bounded(v, depth + 1) for v in value[:MAX_ITEMS]]
        return [v for v in items if v is not None]
    if isinstance(value, dict):
        pairs = {str(k)[:100]: _bounded(v, depth + 1) for k, v in list(value.items())[:MAX_ITEMS]}
        return {k: v for k, v in pairs.items() if v is not None}
    return None


def _blocks(lines: list[str], first_lineno: int) -> list[tuple[Line, int]]:
    """Each source line as (Line, heading level); level 0 for lines that are not headings."""
    out: list[tuple[Line, int]] = []
    fence: str | None = None
    prev_blank = True
    for i, raw in enumerate(lines):
        lineno = first_lineno + i
        if fence is not None:
            if raw.strip().startswith(fence) and not raw.strip().strip(fence[0]):
                fence = None
            else:
                out.append((Line(raw.rstrip(), lineno), 0))
            continue
        m = _FENCE.match(raw)
        if m:
            fence = m.group(1)
            continue
        blank = not raw.strip()
        setext = _SETEXT.match(raw)
        if setext and not prev_blank and out and out[-1][1] == 0 and not out[-1][0].photo:
            out[-1] = (Line(out[-1][0].text, out[-1][0].lineno, heading=True), 1 if "=" in raw else 2)
            prev_blank = False
            continue
        prev_blank = blank
        if _RULE.match(raw) or _REFDEF.match(raw) or _COMMENT.match(raw):
            continue
        m = _ATX.match(raw)
        if m:
            text = _inline(m.group(2) or "")
            if text:
                out.append((Line(text, lineno, heading=True), len(m.group(1))))
            continue
        line = _BULLET.sub(r"\1", _QUOTE.sub("", raw))
        images = list(_IMAGE.finditer(line))
        if images and not _IMAGE.sub("", line).strip():
            for img in images:
                alt = next((g for g in img.groups() if g), "")
                out.append((Line(_inline(alt), lineno, photo=True), 0))
            continue
        out.append((Line(_inline(line), lineno), 0))
    return out


def _inline(text: str) -> str:
    """Plain text of one line of Markdown: links, emphasis and code marks removed, entities decoded."""
    text = _ESCAPE.sub(lambda m: chr(_SHIFT + ord(m.group(1))), text)
    parts: list[str] = []
    pos = 0
    for m in _CODE.finditer(text):
        parts.append(_markup(text[pos : m.start()]))
        parts.append(m.group(2).strip())
        pos = m.end()
    parts.append(_markup(text[pos:]))
    out = "".join(parts)
    out = "".join(chr(ord(c) - _SHIFT) if ord(c) >= _SHIFT else c for c in out)
    return out.rstrip().rstrip("\\").rstrip()


def _markup(text: str) -> str:
    text = _IMAGE.sub(lambda m: next((g for g in m.groups() if g), ""), text)
    for pattern, repl in _INLINE:
        text = pattern.sub(repl, text)
    return html.unescape(text)


def trim_lines(lines: list[Line]) -> list[Line]:
    """Lines without the blank ones at either end (a photo line is not blank)."""
    start = next((k for k, ln in enumerate(lines) if ln.text.strip() or ln.photo), len(lines))
    end = len(lines)
    while end > start and not (lines[end - 1].text.strip() or lines[end - 1].photo):
        end -= 1
    return lines[start:end]


def _date(meta: dict[str, Any], warnings: list[str] | None) -> str | None:
    for key in ("date", "published", "created", "pubdate"):
        value = meta.get(key)
        if value is None or value == "":
            continue
        found = iso_date(value if not isinstance(value, int) else str(value))
        if found is None and warnings is not None:
            warnings.append(f"front matter の {key} の日付が読めません: {str(value)[:100]!r}")
        return found
    return None


def _first_str(meta: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = meta.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if value is not None and str(value).strip():
            return str(value).strip()
    return None


def _author(meta: dict[str, Any]) -> str | None:
    value = meta.get("author") or meta.get("authors")
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list):
        names = [str(v.get("name") if isinstance(v, dict) else v).strip() for v in value if v is not None]
        value = ", ".join(n for n in names if n)
    if value is None:
        return None
    return str(value).strip() or None


def _categories(meta: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for key in ("categories", "category", "tags", "tag", "keywords"):
        value = meta.get(key)
        items = value if isinstance(value, list) else [value] if value is not None else []
        for item in items:
            if item is None or isinstance(item, dict | list):
                continue
            for name in re.split(r"[,、，]", str(item)):
                name = name.strip()
                if name and name not in out:
                    out.append(name)
    return out

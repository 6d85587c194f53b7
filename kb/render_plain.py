"""Plain-text output for a pipe or a file: no colours, no tables, and no rich (its import alone costs
about 25 ms, a quarter of a whole `kb search`). Matches are marked 【like this】; lists are
tab-separated so that `cut`, `sort` and spreadsheets take them as they are."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kb.text.numfmt import japanese_figure
from kb.vocab import kind_label

if TYPE_CHECKING:
    from kb.search import Hit

KWIC = 60  # characters of context on each side of the first match in a long passage


def display_path(path: str) -> str:
    """A source path as the user would type it: relative to the current directory when inside it."""
    if path.startswith("<") or "://" in path:
        return path
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def kwic(text: str, spans: Sequence[tuple[int, int]], width: int = KWIC) -> tuple[str, list[tuple[int, int]]]:
    """A key-word-in-context window of a long passage around its first match, spans shifted to it."""
    if len(text) <= width * 2 + 20 or not spans:
        return text, list(spans)
    a = max(0, spans[0][0] - width)
    b = min(len(text), spans[0][1] + width)
    prefix = "…" if a > 0 else ""
    suffix = "…" if b < len(text) else ""
    shifted = [(s - a + len(prefix), e - a + len(prefix)) for s, e in spans if s >= a and e <= b]
    return prefix + text[a:b] + suffix, shifted


def plain_marks(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """The text with every span wrapped in 【】."""
    out = []
    last = 0
    for a, b in spans:
        out.append(text[last:a] + "【" + text[a:b] + "】")
        last = b
    out.append(text[last:])
    return "".join(out)


def group_by_post(hits: Sequence[Hit]) -> list[list[Hit]]:
    """Each post's hits together, posts in the order of their best passage."""
    order: dict[int, list[Hit]] = {}
    for h in hits:
        order.setdefault(h.post_id, []).append(h)
    return list(order.values())


def hit_head(h: Hit) -> tuple[str, str]:
    """The post line of a hit: '#id title  date', and where the post came from."""
    return f"#{h.post_id} {h.title}" + (f"  {h.date}" if h.date else ""), display_path(h.url or h.source)


def hit_where(h: Hit) -> tuple[str, str]:
    """The passage line of a hit: its heading (and line), and a mark for a substring match."""
    where = (h.section or "(本文)") + (f"  L{h.line}" if h.line else "")
    return where, "" if h.match == "word" else "  [部分一致]"


def format_hits(hits: Sequence[Hit]) -> str:
    """Search results grouped by post, as `kb search` prints them into a pipe."""
    lines: list[str] = []
    for group in group_by_post(hits):
        head, src = hit_head(group[0])
        lines.append(f"\n{head}  ({src})")
        for h in group:
            where, kind = hit_where(h)
            snippet, spans = kwic(h.text, h.highlights)
            lines.append(f"  {where}{kind}\n    {plain_marks(snippet, spans)}")
    return "\n".join(lines) + "\n"


POST_COLUMNS = ("ID", "日付", "タイトル", "見出し", "写真", "ファイル")


def post_cells(p: dict[str, Any]) -> list[str]:
    """One row of `kb posts`."""
    return [
        str(p["id"]),
        p["date"] or "",
        p["title"],
        str(len(p["sections"])),
        str(p["photos"]),
        display_path(p["url"] or p["source"]),
    ]


def _tsv_cell(s: str) -> str:
    return s.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def _tsv(rows: Sequence[Sequence[str]]) -> str:
    return "".join("\t".join(_tsv_cell(c) for c in row) + "\n" for row in rows)


def format_posts(posts: Sequence[dict[str, Any]]) -> str:
    """`kb posts` into a pipe: a header line, then one tab-separated line per post."""
    return _tsv([POST_COLUMNS, *(post_cells(p) for p in posts)])


FACT_COLUMNS = ("種別", "数値", "値", "単位", "補足", "項目", "出典", "日付", "原文")


def fact_figure(f: dict[str, Any]) -> str:
    """A quantity as a Japanese figure (168万人), anything else as written."""
    if f["kind"] == "quantity" and f["value"] is not None:
        return japanese_figure(float(f["value"]), f["unit"], f["value_max"], f["surface"])
    return str(f["surface"])


def sentence_marks(f: dict[str, Any]) -> tuple[str, list[tuple[int, int]]]:
    """A fact's sentence and the fact's span in it (the fact alone when there is no sentence)."""
    sentence = f["sentence"] or f["surface"]
    if f["sentence"] is None:
        return sentence, [(0, len(sentence))]
    a = f["start"] - f["sentence_start"]
    return sentence, [(a, a + f["end"] - f["start"])]


def format_facts(facts: Sequence[dict[str, Any]]) -> str:
    """`kb facts` into a pipe: a header line, then one tab-separated line per fact."""
    rows = [
        [
            kind_label(f["kind"]),
            fact_figure(f),
            "" if f["value"] is None else str(f["value"]),
            f["unit"] or "",
            f["qualifier"] or "",
            f["section"] or "",
            f["title"],
            f["date"] or "",
            plain_marks(*sentence_marks(f)),
        ]
        for f in facts
    ]
    return _tsv([FACT_COLUMNS, *rows])

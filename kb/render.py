"""The rendering layer: the only module that knows rich. Takes plain data, never queries."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from kb.importer import ImportReport
from kb.numfmt import japanese_figure
from kb.search import Hit

KWIC = 60  # characters of context on each side of the first match in a long passage
KIND_LABELS = {"quantity": "数量", "date": "日付", "org": "組織", "place": "地名"}
DATE_UNITS = {"year": "年", "date": "月日", "relative": "相対"}


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def display_path(path: str) -> str:
    """A source path as the user would type it: relative to the current directory when inside it."""
    if path.startswith("<") or "://" in path:
        return path
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def _marked(text: str, spans: Sequence[tuple[int, int]], style: str = "bold yellow") -> Text:
    out = Text(text)
    for a, b in spans:
        out.stylize(style, a, b)
    return out


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


def print_import(con: Console, report: ImportReport) -> None:
    """The summary table of an import, then the files that were skipped and why."""
    table = Table(title=f"kb import → {report.db}", show_header=True, header_style="bold")
    for col in ("ファイル", "投稿 (新規)", "変更なし", "削除", "見出し", "文", "事実", "スキップ", "秒"):
        table.add_column(col, justify="right")
    table.add_row(
        str(len(report.files)),
        str(report.total("added")),
        str(report.total("unchanged")),
        str(report.total("removed")),
        str(report.total("sections")),
        str(report.total("passages")),
        str(report.total("facts")),
        str(len(report.skipped)),
        f"{report.seconds:.2f}",
    )
    con.print(table)
    for f in report.files:
        for w in f.warnings:
            con.print(Text(f"注意: {display_path(f.path)}: {w}", style="yellow"))
    for f in report.skipped:
        con.print(Text(f"スキップ: {display_path(f.path)}: {f.reason}", style="red"))


def print_hits(con: Console, hits: Sequence[Hit], plain: bool) -> None:
    """Search results grouped by post (posts in the order of their best passage): title, date, source;
    each passage with its heading, matches marked."""
    order: dict[int, list[Hit]] = {}
    for h in hits:
        order.setdefault(h.post_id, []).append(h)
    last_post = None
    for h in (h for group in order.values() for h in group):
        if h.post_id != last_post:
            last_post = h.post_id
            head = f"#{h.post_id} {h.title}" + (f"  {h.date}" if h.date else "")
            src = display_path(h.url or h.source)
            if plain:
                con.print(f"\n{head}  ({src})", markup=False)
            else:
                con.print()
                con.print(Text(head, style="bold cyan") + Text(f"  {src}", style="dim"))
        snippet, spans = kwic(h.text, h.highlights)
        where = (h.section or "(本文)") + (f"  L{h.line}" if h.line else "")
        kind = "" if h.match == "word" else "  [部分一致]"
        if plain:
            marked = _plain_marks(snippet, spans)
            con.print(f"  {where}{kind}\n    {marked}", markup=False)
        else:
            con.print(Text(f"  {where}", style="green") + Text(kind, style="magenta"))
            con.print(Text("    ") + _marked(snippet, spans))


def _plain_marks(text: str, spans: Sequence[tuple[int, int]]) -> str:
    out = []
    last = 0
    for a, b in spans:
        out.append(text[last:a] + "【" + text[a:b] + "】")
        last = b
    out.append(text[last:])
    return "".join(out)


def print_posts(con: Console, posts: Sequence[dict[str, Any]]) -> None:
    table = Table(show_header=True, header_style="bold")
    for col, just in (
        ("ID", "right"),
        ("日付", "left"),
        ("タイトル", "left"),
        ("見出し", "right"),
        ("写真", "right"),
        ("ファイル", "left"),
    ):
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    for p in posts:
        table.add_row(
            str(p["id"]),
            p["date"] or "",
            p["title"],
            str(len(p["sections"])),
            str(p["photos"]),
            display_path(p["url"] or p["source"]),
        )
    con.print(table)


def print_post(con: Console, post: dict[str, Any]) -> None:
    con.print(Text(f"#{post['id']} {post['title']}", style="bold cyan"))
    meta = [post["date"] or "日付なし", display_path(post["source"])]
    if post["url"]:
        meta.append(post["url"])
    if post["categories"]:
        meta.append("カテゴリ: " + ", ".join(post["categories"]))
    con.print(Text("  ".join(meta), style="dim"))
    text = post["text"]
    for sec in post["section_spans"]:
        body = text[sec["start"] : sec["end"]]
        if sec["heading"]:
            con.print()
            con.print(Text(sec["heading"], style="bold green"))
            body = body.split("\n", 1)[1] if "\n" in body else ""
        con.print(body.strip("\n"), markup=False, highlight=False)


def fact_figure(f: dict[str, Any]) -> str:
    if f["kind"] == "quantity" and f["value"] is not None:
        return japanese_figure(float(f["value"]), f["unit"], f["value_max"], f["surface"])
    return str(f["surface"])


def print_facts(con: Console, facts: Sequence[dict[str, Any]], plain: bool) -> None:
    """Facts as a table: the figure as written in Japanese and exactly, unit, qualifier, topic, source."""
    if plain:
        for f in facts:
            value = "" if f["value"] is None else str(f["value"])
            con.print(
                "\t".join(
                    [
                        KIND_LABELS.get(f["kind"], f["kind"]),
                        fact_figure(f),
                        value,
                        f["unit"] or "",
                        f["qualifier"] or "",
                        f["section"] or "",
                        f["title"],
                        f["date"] or "",
                        _plain_marks(*_sentence_marks(f)),
                    ]
                ),
                markup=False,
            )
        return
    table = Table(show_header=True, header_style="bold", show_lines=False)
    for col in ("種別", "数値", "値", "単位", "補足", "項目", "出典", "原文"):
        table.add_column(col, overflow="fold")
    for f in facts:
        value = (
            ""
            if f["value"] is None
            else f"{f['value']:,}"
            if isinstance(f["value"], int)
            else str(f["value"])
        )
        if f["value_max"] is not None:
            value += f"〜{f['value_max']}"
        source = f["title"] + (f" ({f['date']})" if f["date"] else "")
        sentence, spans = _sentence_marks(f)
        snippet, spans = kwic(sentence, spans, 30)
        unit = DATE_UNITS.get(f["unit"], f["unit"]) if f["kind"] == "date" else f["unit"]
        table.add_row(
            KIND_LABELS.get(f["kind"], f["kind"]),
            fact_figure(f),
            value,
            unit or "",
            f["qualifier"] or "",
            f["section"] or "",
            source,
            _marked(snippet, spans),
        )
    con.print(table)


def _sentence_marks(f: dict[str, Any]) -> tuple[str, list[tuple[int, int]]]:
    sentence = f["sentence"] or f["surface"]
    if f["sentence"] is None:
        return sentence, [(0, len(sentence))]
    a = f["start"] - f["sentence_start"]
    return sentence, [(a, a + f["end"] - f["start"])]


def print_topics(con: Console, topics: Sequence[dict[str, Any]]) -> None:
    table = Table(show_header=True, header_style="bold")
    for col in ("項目", "投稿", "数量", "日付", "組織", "地名"):
        table.add_column(col)
    for t in topics:
        table.add_row(
            t["heading"],
            f"#{t['post_id']} {t['title']}",
            str(t["quantity"]),
            str(t["date_facts"]),
            str(t["org"]),
            str(t["place"]),
        )
    con.print(table)

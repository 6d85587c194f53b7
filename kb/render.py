"""The rendering layer: the only module that knows rich. Takes plain data, never queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from kb.render_plain import (
    POST_COLUMNS,
    display_path,
    fact_figure,
    group_by_post,
    hit_head,
    hit_where,
    kwic,
    post_cells,
    sentence_marks,
)
from kb.vocab import DATE_UNIT_LABELS, kind_label

if TYPE_CHECKING:
    from kb.importer import ImportReport
    from kb.search import Hit


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich exits with status 1 here, which kb documents as "nothing found": hand the closed pipe
        # (kb facts | head) to the CLI, which ends quietly with 0 as for plain output
        raise BrokenPipeError


def console(stderr: bool = False) -> Console:
    return _Console(stderr=stderr, highlight=False, soft_wrap=False)


def _marked(text: str, spans: Sequence[tuple[int, int]], style: str = "bold yellow") -> Text:
    out = Text(text)
    for a, b in spans:
        out.stylize(style, a, b)
    return out


def print_import(con: Console, report: ImportReport) -> None:
    """The summary table of an import, then the files that were skipped and why."""
    table = Table(title=f"kb import → {report.db}", show_header=True, header_style="bold")
    for col in ("ファイル", "投稿 (新規)", "変更なし", "削除", "見出し", "文", "事実", "スキップ", "秒"):
        table.add_column(col, justify="right")
    table.add_row(
        str(report.file_count),
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


def print_hits(con: Console, hits: Sequence[Hit]) -> None:
    """Search results grouped by post (posts in the order of their best passage): title, date, source;
    each passage with its heading, matches marked. Into a pipe, kb.render_plain prints them instead."""
    for group in group_by_post(hits):
        head, src = hit_head(group[0])
        con.print()
        con.print(Text(head, style="bold cyan") + Text(f"  {src}", style="dim"))
        for h in group:
            where, kind = hit_where(h)
            snippet, spans = kwic(h.text, h.highlights)
            con.print(Text(f"  {where}", style="green") + Text(kind, style="magenta"))
            con.print(Text("    ") + _marked(snippet, spans))


def print_posts(con: Console, posts: Sequence[dict[str, Any]]) -> None:
    table = Table(show_header=True, header_style="bold")
    for col in POST_COLUMNS:
        table.add_column(col, justify="right" if col in ("ID", "見出し", "写真") else "left")
    for p in posts:
        table.add_row(*post_cells(p))
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


def print_facts(con: Console, facts: Sequence[dict[str, Any]]) -> None:
    """Facts as a table: the figure as written in Japanese and exactly, unit, qualifier, topic, source.
    Into a pipe, kb.render_plain prints them instead."""
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
        sentence, spans = sentence_marks(f)
        snippet, spans = kwic(sentence, spans, 30)
        unit = (
            DATE_UNIT_LABELS[f["unit"]].ja
            if f["kind"] == "date" and f["unit"] in DATE_UNIT_LABELS
            else f["unit"]
        )
        table.add_row(
            kind_label(f["kind"]),
            fact_figure(f),
            value,
            unit or "",
            f["qualifier"] or "",
            f["section"] or "",
            source,
            _marked(snippet, spans),
        )
    con.print(table)


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

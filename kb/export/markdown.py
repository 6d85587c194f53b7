"""Markdown: pipe tables (facts per topic, search hits per post), or a council-question sheet of
bullets, each sentence quoted once with all its figures, sources as footnotes."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kb.export.tabular import (
    FACTS,
    LINE,
    NUMBER,
    POST,
    Column,
    Layout,
    cell_text,
    figure_with_qualifier,
    group_rows,
    source_name,
    topic_label,
)
from kb.models import ExportRow

FIGURE_SEP = " — "  # between a bullet's figures and its sentence
FIGURE_JOINER = "、"  # between the figures of one sentence
META_SEP = " · "  # between the date, file and URL under a post's heading

# A search export's Markdown groups passages by post: these are said once under the post's heading.
_POST_COLUMNS = frozenset({"post", "title", "date", "file", "url"})


def escape_cell(text: str) -> str:
    """Cell text that cannot break a pipe table: pipes escaped, line breaks as <br>."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return text.replace("\\|", "|").replace("|", "\\|").replace("\n", "<br>")


def one_line(text: str) -> str:
    """Text on one line with runs of whitespace collapsed, for headings, bullets and footnotes."""
    return " ".join(text.split())


def _table_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table_head(columns: Sequence[Column], headers: str) -> list[str]:
    right = (NUMBER, LINE, POST)
    return [
        _table_row([column.label(headers) for column in columns]),
        _table_row(["---:" if column.holds in right else "---" for column in columns]),
    ]


def _table_lines(
    layout: Layout,
    keep: Sequence[int],
    rows: Sequence[ExportRow],
    headers: str,
    tick: Callable[[], None] | None,
) -> list[str]:
    lines: list[str] = []
    for row in rows:
        cells = layout.cells(row, headers)
        lines.append(_table_row([escape_cell(cell_text(cells[i], layout.columns[i])) for i in keep]))
        if tick is not None:
            tick()
    return lines


def post_heading(row: ExportRow) -> str:
    """A search export's section heading: #12 the post's title."""
    number = f"#{row.post_id} " if row.post_id is not None else ""
    return number + one_line(row.title)


def post_meta(row: ExportRow) -> str:
    """The line under a post's heading: date · file · URL."""
    parts = [row.date, source_name(row.source), row.url]
    return META_SEP.join(p for p in parts if p)


def render_table(
    rows: Sequence[ExportRow], headers: str, layout: Layout = FACTS, tick: Callable[[], None] | None = None
) -> str:
    """Facts: one "## topic" section per topic (the topic column dropped). Search hits: one
    "## #12 title" section per post, its date, file and URL under the heading, then its passages."""
    if layout is FACTS:
        keep = [i for i, column in enumerate(layout.columns) if column.key != "topic"]
    else:
        keep = [i for i, column in enumerate(layout.columns) if column.key not in _POST_COLUMNS]
    head = _table_head([layout.columns[i] for i in keep], headers)
    if not rows:
        return "\n".join(head) + "\n"
    sections: list[str] = []
    if layout is FACTS:
        for topic, group in group_rows(rows, lambda row: row.topic):
            lines = [f"## {topic_label(topic, headers)}", "", *head]
            sections.append("\n".join(lines + _table_lines(layout, keep, group, headers, tick)) + "\n")
    else:
        for _, group in group_rows(rows, lambda row: (row.post_id, row.title, row.source)):
            lines = [f"## {post_heading(group[0])}", ""]
            meta = post_meta(group[0])
            if meta:
                lines += [meta, ""]
            lines += head
            sections.append("\n".join(lines + _table_lines(layout, keep, group, headers, tick)) + "\n")
    return "\n".join(sections)


def footnote_text(row: ExportRow) -> str:
    """Where a sentence is written: #3 視察報告②…（2023-07-05）report.txt L41 https://…"""
    text = f"#{row.post_id} " if row.post_id is not None else ""
    text += one_line(row.title)
    if row.date:
        text += f"（{row.date}）"
    name = source_name(row.source)
    place = " ".join(p for p in (name, f"L{row.line}" if row.line else "") if p)
    if place:
        text += ("" if row.date else " ") + place
    if row.url and row.url != name:
        text += f" {row.url}"
    return text


_Cite = tuple[int | None, str, str, str | None, int | None]


def _cite_key(row: ExportRow) -> _Cite:
    return (row.post_id, row.title, row.source, row.url, row.line)


def render_sheet(rows: Sequence[ExportRow], headers: str, tick: Callable[[], None] | None = None) -> str:
    """A council-question sheet: per topic a heading and a bullet per sentence, with all the figures
    found in it ("12億円、延べ18万人 — the sentence"), the sources as footnotes."""
    notes: dict[_Cite, int] = {}
    note_texts: list[str] = []
    sections: list[str] = []
    for topic, group in group_rows(rows, lambda row: row.topic):
        lines = [f"## {topic_label(topic, headers)}", ""]
        for (cite, sentence), same in group_rows(group, lambda row: (_cite_key(row), one_line(row.sentence))):
            number = notes.get(cite)
            if number is None:
                number = notes[cite] = len(notes) + 1
                note_texts.append(f"[^{number}]: {footnote_text(same[0])}")
            figures: dict[str, None] = {}
            for row in same:
                figure = figure_with_qualifier(row)
                if figure:
                    figures[one_line(figure)] = None
                if tick is not None:
                    tick()
            body = f"{FIGURE_JOINER.join(figures)}{FIGURE_SEP}{sentence}" if figures else sentence
            lines.append(f"- {body}[^{number}]")
        sections.append("\n".join(lines) + "\n")
    if not sections:
        return ""
    return "\n".join(sections) + "\n" + "\n".join(note_texts) + "\n"

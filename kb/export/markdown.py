"""Markdown: a pipe table per topic, or a council-question sheet of bullets with footnoted sources."""

from __future__ import annotations

from collections.abc import Sequence

from kb.export.tabular import (
    COLUMNS,
    cell_text,
    figure_with_qualifier,
    group_rows,
    row_cells,
    topic_label,
)
from kb.models import ExportRow

_RIGHT_ALIGNED = frozenset({"value", "line"})
FIGURE_SEP = " — "


def escape_cell(text: str) -> str:
    """Cell text that cannot break a pipe table: pipes escaped, line breaks as <br>."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return text.replace("\\|", "|").replace("|", "\\|").replace("\n", "<br>")


def one_line(text: str) -> str:
    """Text on one line with runs of whitespace collapsed, for headings, bullets and footnotes."""
    return " ".join(text.split())


def _table_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render_table(rows: Sequence[ExportRow], headers: str) -> str:
    """One "## topic" section per topic, each with a pipe table of its rows (the topic column dropped)."""
    columns = [(i, column) for i, column in enumerate(COLUMNS) if column.key != "topic"]
    head = _table_row([column.label(headers) for _, column in columns])
    rule = _table_row(["---:" if column.key in _RIGHT_ALIGNED else "---" for _, column in columns])
    if not rows:
        return f"{head}\n{rule}\n"
    sections: list[str] = []
    for topic, group in group_rows(rows, lambda row: row.topic):
        lines = [f"## {topic_label(topic, headers)}", "", head, rule]
        for row in group:
            cells = row_cells(row, headers)
            lines.append(_table_row([escape_cell(cell_text(cells[i])) for i, _ in columns]))
        sections.append("\n".join(lines) + "\n")
    return "\n".join(sections)


def footnote_text(row: ExportRow) -> str:
    """Where a fact comes from: 韓国視察③…（2018-04-13）data/seed-blog.txt L81."""
    text = one_line(row.title)
    if row.date:
        text += f"（{row.date}）"
    if row.location:
        text += f"{' ' if not row.date else ''}{row.location}"
    if row.line:
        text += f" L{row.line}"
    return text


def render_sheet(rows: Sequence[ExportRow], headers: str) -> str:
    """A council-question sheet: per topic a heading and a bullet per fact, sources as footnotes."""
    notes: dict[tuple[str, str, int | None], int] = {}
    note_texts: list[str] = []
    sections: list[str] = []
    for topic, group in group_rows(rows, lambda row: row.topic):
        lines = [f"## {topic_label(topic, headers)}", ""]
        for row in group:
            key = (row.title, row.location, row.line)
            number = notes.get(key)
            if number is None:
                number = notes[key] = len(notes) + 1
                note_texts.append(f"[^{number}]: {footnote_text(row)}")
            figure = figure_with_qualifier(row)
            sentence = one_line(row.sentence)
            body = f"{one_line(figure)}{FIGURE_SEP}{sentence}" if figure else sentence
            lines.append(f"- {body}[^{number}]")
        sections.append("\n".join(lines) + "\n")
    if not sections:
        return ""
    return "\n".join(sections) + "\n" + "\n".join(note_texts) + "\n"

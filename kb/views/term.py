"""Terminal views: the only module that knows rich. Takes the library's results, never queries.
Tables are laid out for the terminal they are on; Japanese text breaks where typesetting allows and
figures never wrap; control characters from files are shown escaped, never sent to the terminal."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kb.models import FoundFact, PostSummary, SearchResult, Span, StoredPost, Topic
from kb.text.wrap import breaks, width
from kb.views import words
from kb.views.plain import display_path, kwic
from kb.vocab import kind_label

if TYPE_CHECKING:
    from kb.api import FactList, Info, Removal
    from kb.importer import ImportProgress, ImportReport

WIDE = 100  # at this width and more, facts are a table; below, a card per fact
MARK = "bold yellow"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich exits with status 1 here, which kb documents as "nothing found": hand the closed pipe
        # (kb facts | head) to the CLI, which ends quietly with 0 as for plain output
        raise BrokenPipeError


def console(stderr: bool = False, width: int | None = None) -> Console:
    return _Console(stderr=stderr, highlight=False, soft_wrap=False, width=width)


def safe(text: str) -> str:
    """Text from a file as it may be shown: control characters (an escape sequence in a file name or a
    post) become visible \\x1b-style escapes instead of acting on the terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _marked(text: str, spans: Sequence[Span], style: str = MARK, base: str = "") -> Text:
    if _CONTROL.search(text):  # escaping moves the offsets: the escaped text, unmarked
        return Text(safe(text), style=base)
    out = Text(text, style=base)
    for a, b in spans:
        out.stylize(style, a, b)
    return out


def _wrapped(text: str, spans: Sequence[Span], columns: int, style: str = MARK) -> Text:
    """Text broken into lines of ``columns`` (kinsoku, figures whole), spans marked on each line."""
    lines = Text()
    for i, (a, b) in enumerate(breaks(text, columns) or [(0, 0)]):
        if i:
            lines.append("\n")
        lines.append_text(
            _marked(text[a:b], [(max(s, a) - a, min(e, b) - a) for s, e in spans if s < b and e > a], style)
        )
    return lines


# ------------------------------------------------------------------------------------------- import


class ProgressBar:
    """A progress bar on stderr (standard output stays for the results): import, reindex, export."""

    def __init__(self, label: str) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._label = label
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            transient=True,
            console=console(stderr=True),
        )
        self._task = self._bar.add_task(label, total=None)

    def __enter__(self) -> ProgressBar:
        self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()

    def update(self, done: int, total: int, what: str = "") -> None:
        name = safe(what)[-30:]
        self._bar.update(self._task, completed=done, total=total or None, description=f"{self._label} {name}")

    def on_import(self, p: ImportProgress) -> None:
        self.update(p.done, p.total, display_path(p.path).rsplit("/", 1)[-1])


def print_import(con: Console, report: ImportReport) -> None:
    """The summary of an import, then the files moved, with warnings or skipped, and why."""
    con.print(Text(safe(words.import_summary(report)), style="bold"))
    styles = {"moved": "cyan", "warning": "yellow", "skipped": "red"}
    for kind, line in words.import_notes(report, display_path):
        con.print(Text(safe(line), style=styles[kind]))


# ------------------------------------------------------------------------------------------- search


def print_search(con: Console, result: SearchResult) -> None:
    """Posts that matched, best first: title, date and source; each best passage under its heading."""
    con.print(Text(safe(words.search_summary(result)), style="bold"))
    for hit in result.hits:
        con.print()
        head = Text(f"#{hit.post_id} ", style="bold cyan") + _marked(
            hit.title, hit.title_highlights, base="bold cyan"
        )
        if hit.date:
            head.append(f"  {hit.date}", style="cyan")
        more = f" ほか{len(hit.sources) - 1}件" if len(hit.sources) > 1 else ""
        head.append(f"  {safe(display_path(hit.url or hit.source))}{more}", style="dim")
        if hit.match == "substring":
            head.append(words.SUBSTRING_MARK, style="magenta")
        con.print(head)
        for p, text, spans in words.shown_passages(hit):
            label = _marked(p.section, p.heading_highlights) if p.section else Text(words.NO_SECTION)
            label.stylize("green")
            if p.line:
                label.append(f"  L{p.line}", style="dim")
            if p.match == "substring":
                label.append(words.SUBSTRING_MARK, style="magenta")
            con.print(Text("  ") + label)
            snippet, shifted = kwic(text, spans)
            if snippet:
                con.print(Text("    ") + _wrapped(snippet, shifted, max(con.width - 4, 20)))


# -------------------------------------------------------------------------------------------- posts


def print_posts(con: Console, posts: Sequence[PostSummary]) -> None:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, header_style="bold", pad_edge=False)
    for col in words.POST_COLUMNS:
        table.add_column(col, justify="right" if col in ("ID", "見出し", "写真") else "left", overflow="fold")
    for p in posts:
        table.add_row(*(safe(c) for c in _post_cells(p)))
    con.print(table)


def _post_cells(p: PostSummary) -> list[str]:
    from kb.views.plain import post_cells

    return post_cells(p)


def print_post(con: Console, post: StoredPost) -> None:
    """One post: title, metadata, then its text with headings marked; long lines wrap in the terminal
    itself, never at a fixed width."""
    con.print(Text(f"#{post.id} {safe(post.title)}", style="bold cyan"))
    con.print(Text(safe(words.post_meta(post.summary, display_path)), style="dim"))
    text = post.text
    if post.sections and post.sections[0].start > post.body_start:
        con.print(Text(safe(text[post.body_start : post.sections[0].start].strip("\n"))), soft_wrap=True)
    for sec in post.sections:
        body = text[sec.start : sec.end]
        if sec.heading:
            con.print()
            con.print(Text(safe(sec.heading), style="bold green"), soft_wrap=True)
            body = body.split("\n", 1)[1] if "\n" in body else ""
        con.print(Text(safe(body.strip("\n"))), soft_wrap=True)


# -------------------------------------------------------------------------------------------- facts


def print_facts(con: Console, facts: FactList) -> None:
    """Facts laid out for the terminal: a table whose widest column is the sentence at WIDE columns
    and more, a two-line card per fact below; then the posts the facts come from."""
    for note in facts.notes:
        con.print(Text(safe(note), style="dim"))
    if con.width >= WIDE:
        _fact_table(con, facts.facts)
    else:
        _fact_cards(con, facts.facts)
    _fact_sources(con, facts.facts)


def _fact_table(con: Console, rows: Sequence[FoundFact]) -> None:
    columns: list[tuple[str, list[str]]] = [
        ("種別", [kind_label(f.kind) for f in rows]),
        ("数値", [words.fact_figure(f) for f in rows]),
        ("値", [words.exact_value(f) or "" for f in rows]),
        ("補足", [f.qualifier or "" for f in rows]),
        ("項目", [f.section or "" for f in rows]),
        ("出典", [words.citation(f) for f in rows]),
    ]
    columns = [(h, cells) for h, cells in columns if any(cells)]  # empty columns are dropped
    widths = {
        h: min(max(width(h), *(width(c) for c in cells)), 24 if h == "項目" else 40) for h, cells in columns
    }
    sentence_w = max(con.width - sum(widths.values()) - 2 * len(columns) - 1, 16)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, header_style="bold", pad_edge=False, expand=False)
    for h, _ in columns[:-1]:
        table.add_column(h, no_wrap=h != "項目", width=widths[h], overflow="fold")
    table.add_column("原文", width=sentence_w, no_wrap=True)
    table.add_column(columns[-1][0], no_wrap=True, width=widths[columns[-1][0]])
    for i, f in enumerate(rows):
        sentence, spans = words.sentence_marks(f)
        row: list[Text | str] = [safe(cells[i]) for _, cells in columns[:-1]]
        table.add_row(*row, _wrapped(sentence, spans, sentence_w), columns[-1][1][i])
    con.print(table)


def _fact_cards(con: Console, facts: Sequence[FoundFact]) -> None:
    """Below WIDE columns: the figure and its labels on one line, the sentence under it."""
    inner = max(con.width - 2, 16)
    for f in facts:
        head = Text(safe(words.fact_figure(f)), style="bold")
        exact = words.exact_value(f)
        if exact:
            head.append(f" ({exact})")
        labels = [kind_label(f.kind), words.fact_unit(f), f.qualifier or "", f.section or ""]
        head.append("  " + " · ".join(safe(x) for x in labels if x), style="dim")
        con.print(head, no_wrap=True, overflow="ellipsis")
        sentence, spans = words.sentence_marks(f)
        body = _wrapped(sentence, spans, inner)
        cite = words.citation(f)
        last = body.plain.rsplit("\n", 1)[-1]
        if width(last) + 2 + width(cite) <= inner:
            body.append("  " + cite, style="cyan")
            con.print(Text("  ") + body)
        else:
            con.print(Text("  ") + body)
            con.print(Text(cite.rjust(inner), style="cyan"))


def _fact_sources(con: Console, facts: Sequence[FoundFact]) -> None:
    """The posts cited above: number, date, title and file, once each."""
    seen: dict[int, FoundFact] = {}
    for f in facts:
        seen.setdefault(f.post_id, f)
    if not seen:
        return
    con.print()
    for pid, f in seen.items():
        line = Text(f"#{pid}", style="cyan")
        line.append(f"  {f.date or words.UNDATED}  {safe(f.title)}  ")
        line.append(safe(display_path(f.url or f.source)), style="dim")
        con.print(line, overflow="fold")


# ------------------------------------------------------------------------------------------- others


def print_topics(con: Console, topics: Sequence[Topic]) -> None:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, header_style="bold", pad_edge=False)
    for col in words.TOPIC_COLUMNS:
        table.add_column(
            col, justify="left" if col == "項目" else "right", overflow="fold", no_wrap=col != "項目"
        )
    for t in topics:
        table.add_row(*(safe(c) for c in words.topic_cells(t)))
    con.print(table)


def print_info(con: Console, info: Info) -> None:
    for key, value in words.info_rows(info):
        con.print(Text(f"{key}: ", style="bold") + Text(safe(value)), overflow="fold")


def print_removal(con: Console, removal: Removal) -> None:
    con.print(Text(safe(words.removal_text(removal, display_path)).rstrip("\n")))


def print_lines(con: Console, lines: Sequence[str], style: str | None = None) -> None:
    for line in lines:
        con.print(Text(safe(line), style=style or ""), overflow="fold")


__all__ = [
    "ProgressBar",
    "console",
    "print_facts",
    "print_import",
    "print_info",
    "print_lines",
    "print_post",
    "print_posts",
    "print_removal",
    "print_search",
    "print_topics",
    "safe",
]

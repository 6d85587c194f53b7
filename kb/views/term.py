"""Terminal views: the only module that knows rich. Takes the library's results, never queries.
Tables are laid out for the terminal they are on; Japanese text breaks where typesetting allows and
figures never wrap; control characters from files are shown escaped, never sent to the terminal."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

from rich import box
from rich.console import Console, JustifyMethod
from rich.table import Table
from rich.text import Text

from kb.models import FoundFact, PostSummary, SearchResult, Span, StoredPost, Topic
from kb.record import record
from kb.text.wrap import breaks, width
from kb.views import words
from kb.views.plain import display_path, kwic
from kb.vocab import kind_label

if TYPE_CHECKING:
    from kb.api import FactList, Info
    from kb.importer import ImportProgress, ImportReport

WIDE = 100  # at this width and more, facts are a table; below, a card per fact
MARK = "bold yellow"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich exits with status 1 here, which kb documents as "nothing found": hand the closed pipe
        # (kb facts | head) to the CLI, which ends quietly with 0 as for plain output
        raise BrokenPipeError


def console(
    stderr: bool = False,
    width: int | None = None,
    *,
    record: bool = False,
    file: IO[str] | None = None,
    color: bool | None = None,
) -> Console:
    """The console kb draws on: standard output (or ``stderr``); tests record it at a given width."""
    return _Console(
        stderr=stderr,
        highlight=False,
        soft_wrap=False,
        width=width,
        record=record,
        file=file,
        force_terminal=color,
        color_system="standard" if color else "auto",
        no_color=False if color else None,
    )


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


def _block(text: Text, columns: int, indent: int = 0, hang: int | None = None) -> Text:
    """Styled text broken into lines of ``columns`` (kinsoku, figures and words whole), the first line
    after ``indent`` spaces and the next ones after ``hang`` (default: the same); the line breaks of
    the text itself are kept."""
    out = Text()
    hang = indent if hang is None else hang
    lines = text.split("\n", allow_blank=True) if "\n" in text.plain else [text]
    for n, line in enumerate(lines):
        pad = indent if n == 0 else hang
        for i, (a, b) in enumerate(_cuts(line.plain, columns - pad, columns - hang) or [(0, 0)]):
            if n or i:
                out.append("\n")
            out.append(" " * (pad if i == 0 else hang))
            out.append_text(line[a:b])
    return out


def _cuts(plain: str, first: int, rest: int) -> list[tuple[int, int]]:
    """Where a line is cut when its first line has ``first`` columns and the others ``rest``."""
    cuts = breaks(plain, max(first, 4))
    if len(cuts) <= 1 or first == rest:
        return cuts
    start = cuts[1][0]
    return [cuts[0], *((a + start, b + start) for a, b in breaks(plain[start:], max(rest, 4)))]


def _wrapped(text: str, spans: Sequence[Span], columns: int, indent: int = 0, style: str = MARK) -> Text:
    """Text broken into lines of ``columns`` (kinsoku, figures whole), spans marked on each line."""
    return _block(_marked(text, spans, style), columns, indent)


@record
class _Column:
    """A column of a terminal table: cells as one-line texts, how it may be laid out."""

    header: str
    cells: list[Text]
    justify: JustifyMethod = "left"
    wrap: bool = False  # may break into lines (kinsoku); a column that may not is never cut
    main: bool = False  # takes the width the others leave
    cap: int = 0  # the widest a wrapping column other than the main one gets
    head: bool = False  # in a list (a terminal too narrow for the table), part of an entry's first line

    @property
    def empty(self) -> bool:
        return not any(c.plain for c in self.cells)

    def natural(self) -> int:
        return max([width(self.header), *(width(c.plain) for c in self.cells)])


GAP = 2  # columns between two table columns
MIN_MAIN = 16  # the main column (a sentence, a title) gets at least this much, or the view is a list


def _cells(values: Sequence[str], style: str = "") -> list[Text]:
    return [Text(safe(v), style=style) for v in values]


def _table(con: Console, columns: Sequence[_Column], rows: int) -> None:
    """A table laid out for this terminal: empty columns dropped, the main column as wide as the rest
    leaves; when the terminal is too narrow for that, one entry per row instead (_listing)."""
    cols = [c for c in columns if not c.empty]
    if not cols or not rows:
        return
    widths = [
        c.natural() if not c.wrap or c.main else min(c.natural(), max(c.cap, width(c.header))) for c in cols
    ]
    main = next((i for i, c in enumerate(cols) if c.main), None)
    if main is not None:
        left = con.width - sum(w for i, w in enumerate(widths) if i != main) - GAP * (len(cols) - 1)
        if left < min(MIN_MAIN, widths[main]):
            _listing(con, cols, rows)
            return
        widths[main] = min(widths[main], left)
    elif sum(widths) + GAP * (len(cols) - 1) > con.width:
        _listing(con, cols, rows)
        return
    table = Table(
        box=box.SIMPLE_HEAD, show_edge=False, header_style="bold", pad_edge=False, collapse_padding=True
    )
    for c, w in zip(cols, widths, strict=True):
        table.add_column(
            c.header, justify=c.justify, width=w, no_wrap=True, overflow="fold" if c.wrap else "crop"
        )
    for r in range(rows):
        table.add_row(
            *(_block(c.cells[r], w) if c.wrap else c.cells[r] for c, w in zip(cols, widths, strict=True))
        )
    con.print(table)


def _listing(con: Console, cols: Sequence[_Column], rows: int) -> None:
    """The rows of a table for a terminal too narrow for it: the head cells on a line, then the others
    as "header value" pairs, as many to a line as fit, each wrapped to the terminal when it is wider."""
    for r in range(rows):
        head = Text("  ").join(c.cells[r] for c in cols if c.head and c.cells[r].plain)
        con.print(_block(head, con.width, hang=2))
        line = Text()
        for c in cols:
            if c.head or not c.cells[r].plain:
                continue
            pair = Text(f"{c.header} ", style="dim") + c.cells[r]
            if line.plain and 2 + width(line.plain) + 3 + width(pair.plain) > con.width:
                con.print(_block(line, con.width, indent=2))
                line = Text()
            line = line + Text(" · ", style="dim") + pair if line.plain else pair
        if line.plain:
            con.print(_block(line, con.width, indent=2))


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
    con.print(_block(Text(safe(words.import_summary(report)), style="bold"), con.width, hang=2))
    styles = {"moved": "cyan", "warning": "yellow", "skipped": "red"}
    for kind, line in words.import_notes(report, display_path):
        con.print(_block(Text(safe(line), style=styles[kind]), con.width, hang=2))


# ------------------------------------------------------------------------------------------- search


def print_search(con: Console, result: SearchResult) -> None:
    """Posts that matched, best first: title, date and source; each best passage under its heading."""
    con.print(_block(Text(safe(words.search_summary(result)), style="bold"), con.width))
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
        con.print(_block(head, con.width))
        for p, text, spans in words.shown_passages(hit):
            label = _marked(p.section, p.heading_highlights) if p.section else Text(words.NO_SECTION)
            label.stylize("green")
            if p.line:
                label.append(f"  L{p.line}", style="dim")
            if p.match == "substring":
                label.append(words.SUBSTRING_MARK, style="magenta")
            con.print(_block(label, con.width, indent=2))
            snippet, shifted = kwic(text, spans)
            if snippet:
                con.print(_wrapped(snippet, shifted, con.width, indent=4))


# -------------------------------------------------------------------------------------------- posts


def print_posts(con: Console, posts: Sequence[PostSummary]) -> None:
    """The posts as a table whose widest column is the title (a list on a narrow terminal)."""
    from kb.views.plain import post_cells

    cells = [post_cells(p) for p in posts]
    column = [[row[i] for row in cells] for i in range(len(words.POST_COLUMNS))]
    ident, date, title, headings, photos, path = column
    _table(
        con,
        [
            _Column("ID", _cells(ident, "cyan"), justify="right", head=True),
            _Column("日付", _cells(date)),
            _Column("タイトル", _cells(title), wrap=True, main=True, head=True),
            _Column("見出し", _cells(headings), justify="right"),
            _Column("写真", _cells(photos), justify="right"),
            _Column("ファイル", _cells(path, "dim"), wrap=True, cap=30),
        ],
        len(posts),
    )


def print_post(con: Console, post: StoredPost) -> None:
    """One post: title, metadata, then its text with headings marked, line for line as written; long
    lines wrap in the terminal itself, never at a fixed width."""
    con.print(Text(f"#{post.id} {safe(post.title)}", style="bold cyan"), soft_wrap=True)
    con.print(Text(safe(words.post_meta(post.summary, display_path)), style="dim"), soft_wrap=True)
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
    and more, a two-line card per fact below; what all of them share (their topic, their kind) said
    once above; then the posts they come from, with date, title and file. (How the query was read,
    facts.notes, is the command's to say: on stderr.)"""
    rows = list(facts.facts)
    shared = _shared(rows)
    if shared:
        con.print(_block(Text("  ".join(f"{k}: {v}" for k, v in shared.items()), style="bold"), con.width))
    if not (con.width >= WIDE and _fact_table(con, rows, shared)):
        _fact_cards(con, rows, shared)
    _fact_sources(con, rows)


def _shared(rows: Sequence[FoundFact]) -> dict[str, str]:
    """The topic and kind every fact has, when there are several facts (then not repeated per fact)."""
    out: dict[str, str] = {}
    if len(rows) < 2:
        return out
    kinds = {f.kind for f in rows}
    if len(kinds) == 1:
        out["種別"] = kind_label(rows[0].kind)
    topics = {f.section for f in rows}
    if len(topics) == 1 and rows[0].section:
        out["項目"] = rows[0].section
    return out


def _fact_table(con: Console, rows: Sequence[FoundFact], shared: dict[str, str]) -> bool:
    """The table at WIDE columns and more; False when even there the figures leave the sentence too
    little room (then cards)."""
    sentences = [_marked(*words.sentence_marks(f)) for f in rows]
    columns = [
        _Column("種別", _cells(["" if "種別" in shared else kind_label(f.kind) for f in rows])),
        _Column("数値", _cells([words.fact_figure(f) for f in rows], "bold")),
        _Column("値", _cells([words.exact_value(f) or "" for f in rows]), justify="right"),
        _Column("補足", _cells([f.qualifier or "" for f in rows])),
        _Column(
            "項目",
            _cells(["" if "項目" in shared else f.section or "" for f in rows], "green"),
            wrap=True,
            cap=16,
        ),
        _Column("原文", sentences, wrap=True, main=True),
        _Column("出典", _cells([words.citation(f) for f in rows], "cyan")),
    ]
    cols = [c for c in columns if not c.empty]
    fixed = sum(c.natural() if c.header != "項目" else min(c.natural(), 16) for c in cols if not c.main)
    if con.width - fixed - GAP * (len(cols) - 1) < 2 * MIN_MAIN:
        return False
    _table(con, cols, len(rows))
    return True


def _fact_cards(con: Console, rows: Sequence[FoundFact], shared: dict[str, str]) -> None:
    """Below WIDE columns, a card per fact: the figure and its labels, the sentence under it with the
    figure marked and the citation (#12 L81) at its end."""
    for f in rows:
        head = Text(safe(words.fact_figure(f)), style="bold")
        exact = words.exact_value(f)
        if exact:
            head.append(f" ({exact})")
        labels = [
            "" if "種別" in shared else kind_label(f.kind),
            words.fact_unit(f),
            f.qualifier or "",
            "" if "項目" in shared else f.section or "",
        ]
        tail = Text(" · ".join(safe(x) for x in labels if x), style="dim")
        if tail.plain and width(head.plain) + 2 + width(tail.plain) <= con.width:
            con.print(head + Text("  ") + tail)
        else:
            con.print(_block(head, con.width))
            if tail.plain:
                con.print(_block(tail, con.width, indent=2))
        body = _wrapped(*words.sentence_marks(f), con.width, indent=2)
        cite = words.citation(f)
        if width(body.plain.rsplit("\n", 1)[-1]) + 2 + width(cite) <= con.width:
            con.print(body + Text("  " + cite, style="cyan"))
        else:
            con.print(body)
            con.print(Text(cite.rjust(con.width), style="cyan"))


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
        con.print(_block(line, con.width))


# ------------------------------------------------------------------------------------------- others


def print_topics(con: Console, topics: Sequence[Topic]) -> None:
    """Topics as a table whose widest column is the heading (a list on a narrow terminal)."""
    cells = [words.topic_cells(t) for t in topics]
    column = [[row[i] for row in cells] for i in range(len(words.TOPIC_COLUMNS))]
    columns = [_Column(words.TOPIC_COLUMNS[0], _cells(column[0], "green"), wrap=True, main=True, head=True)]
    columns += [
        _Column(h, _cells(c), justify="right")
        for h, c in zip(words.TOPIC_COLUMNS[1:], column[1:], strict=True)
    ]
    _table(con, columns, len(topics))


def print_pairs(con: Console, pairs: Sequence[tuple[str, str]], headers: Sequence[str]) -> None:
    """Names or synonyms: two columns."""
    _table(
        con,
        [
            _Column(headers[0], _cells([a for a, _ in pairs]), wrap=True, main=True, head=True),
            _Column(headers[1], _cells([b for _, b in pairs]), wrap=True, cap=40),
        ],
        len(pairs),
    )


def print_info(con: Console, info: Info) -> None:
    for key, value in words.info_rows(info):
        con.print(_block(Text(f"{key}: ", style="bold") + Text(safe(value)), con.width, indent=0))


def print_names(con: Console, pairs: Sequence[tuple[str, str]]) -> None:
    """`kb names list` on a terminal."""
    print_pairs(con, words.name_rows(pairs), words.NAME_COLUMNS)


def print_synonyms(con: Console, pairs: Sequence[tuple[str, str]]) -> None:
    """`kb synonyms list` on a terminal."""
    print_pairs(con, pairs, words.SYNONYM_COLUMNS)


__all__ = [
    "ProgressBar",
    "console",
    "print_facts",
    "print_import",
    "print_info",
    "print_names",
    "print_pairs",
    "print_post",
    "print_posts",
    "print_search",
    "print_synonyms",
    "print_topics",
    "safe",
]

"""Plain text for a pipe or a file: no colours, no boxes, no rich (its import is a large share of a
whole `kb search`: figures in bench/README.md). Matches are marked 【like this】; lists are tab-separated with a header line
so that `cut`, `sort` and spreadsheets take them as they are; `kb show` keeps the post's own lines."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kb.models import FoundFact, PassageHit, PostHit, PostSummary, SearchResult, Span, StoredPost, Topic
from kb.views import words
from kb.vocab import kind_label

if TYPE_CHECKING:
    from kb.api import FactList, Info, Removal
    from kb.importer import ImportReport

KWIC = 60  # characters of context on each side of the first match in a long passage


def display_path(path: str) -> str:
    """A source path as the user would type it: relative to the current directory when inside it."""
    if not path or path.startswith("<") or "://" in path:
        return path
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def kwic(text: str, spans: Sequence[Span], width: int = KWIC) -> tuple[str, list[Span]]:
    """A key-word-in-context window of a long passage around its first match, spans shifted to it."""
    if len(text) <= width * 2 + 20 or not spans:
        return text, list(spans)
    a = max(0, spans[0][0] - width)
    b = min(len(text), spans[0][1] + width)
    prefix = "…" if a > 0 else ""
    suffix = "…" if b < len(text) else ""
    shifted = [(s - a + len(prefix), e - a + len(prefix)) for s, e in spans if s >= a and e <= b]
    return prefix + text[a:b] + suffix, shifted


def marked(text: str, spans: Sequence[Span]) -> str:
    """The text with every span wrapped in 【】."""
    out = []
    last = 0
    for a, b in spans:
        out.append(text[last:a] + "【" + text[a:b] + "】")
        last = b
    out.append(text[last:])
    return "".join(out)


def tsv(rows: Sequence[Sequence[str]]) -> str:
    """Rows as tab-separated lines; tabs and line breaks inside a cell become spaces."""

    def cell(s: str) -> str:
        return s.replace("\t", " ").replace("\r", " ").replace("\n", " ")

    return "".join("\t".join(cell(c) for c in row) + "\n" for row in rows)


# ------------------------------------------------------------------------------------------- search


def search_header(result: SearchResult) -> str:
    """The line above the results: the query as understood, how many posts matched and are shown."""
    return words.search_summary(result)


def post_line(hit: PostHit) -> str:
    """'#id title  date  source' of a post that matched."""
    head = f"#{hit.post_id} {marked(hit.title, hit.title_highlights)}"
    if hit.date:
        head += f"  {hit.date}"
    more = f" ほか{len(hit.sources) - 1}件" if len(hit.sources) > 1 else ""
    return f"{head}  ({display_path(hit.url or hit.source)}{more})"


def passage_label(p: PassageHit) -> str:
    """Where a passage is: its section heading (matches marked) and its source line."""
    heading = marked(p.section, p.heading_highlights) if p.section else words.NO_SECTION
    line = f"  L{p.line}" if p.line else ""
    return heading + line + (words.SUBSTRING_MARK if p.match == "substring" else "")


def format_search(result: SearchResult) -> str:
    """`kb search` into a pipe: the header, then each post with its best passages."""
    lines = [search_header(result)]
    for hit in result.hits:
        lines.append("")
        lines.append(post_line(hit) + (words.SUBSTRING_MARK if hit.match == "substring" else ""))
        for p, text, spans in words.shown_passages(hit):
            snippet, shifted = kwic(text, spans)
            lines.append(f"  {passage_label(p)}")
            if snippet:
                lines.append(f"    {marked(snippet, shifted)}")
    return "\n".join(lines) + "\n"


def format_passages(result: SearchResult) -> str:
    """`kb search --passages` into a pipe: one line per passage, best post first."""
    rows: list[Sequence[str]] = [words.PASSAGE_COLUMNS]
    for hit in result.hits:
        for p in hit.passages:
            rows.append(
                [
                    f"#{hit.post_id}",  # a citation, as in `kb facts`
                    hit.date or "",
                    p.section or "",
                    str(p.line or ""),
                    marked(p.text, p.highlights),
                    display_path(hit.url or hit.source),
                ]
            )
    return tsv(rows)


# -------------------------------------------------------------------------------------------- posts


def post_cells(p: PostSummary) -> list[str]:
    """One row of `kb posts`."""
    return [
        str(p.id),
        p.date or "",
        p.title,
        str(len(p.headings)),
        str(p.photos),
        display_path(p.url or p.source),
    ]


def format_posts(posts: Sequence[PostSummary]) -> str:
    return tsv([words.POST_COLUMNS, *(post_cells(p) for p in posts)])


def format_post(post: StoredPost) -> str:
    """`kb show` into a pipe or a file: the title, a line of metadata, and the text with its own line
    breaks (never wrapped)."""
    return f"#{post.id} {post.title}\n{words.post_meta(post.summary, display_path)}\n\n{post.text[post.body_start :]}\n"


# -------------------------------------------------------------------------------------------- facts


def fact_cells(f: FoundFact) -> list[str]:
    """One row of `kb facts` into a pipe: the figure and its citation."""
    return [
        kind_label(f.kind),
        words.fact_figure(f),
        "" if f.value is None else str(f.value),
        words.fact_unit(f),
        f.qualifier or "",
        f.section or "",
        f"#{f.post_id}",
        f.date or "",
        str(f.line or ""),
        display_path(f.url or f.source),
        f.title,
        marked(*words.sentence_marks(f)),
    ]


def format_facts(facts: FactList) -> str:
    return tsv([words.FACT_COLUMNS, *(fact_cells(f) for f in facts.facts)])


# ------------------------------------------------------------------------------------------- others


def format_topics(topics: Sequence[Topic]) -> str:
    return tsv([words.TOPIC_COLUMNS, *(words.topic_cells(t) for t in topics)])


def format_names(pairs: Sequence[tuple[str, str]], columns: Sequence[str]) -> str:
    return tsv([list(columns), *([a, b] for a, b in pairs)])


def format_info(info: Info) -> str:
    return tsv([words.INFO_COLUMNS, *words.info_rows(info)])


def format_removal(removal: Removal) -> str:
    return words.removal_text(removal, display_path)


def format_import(report: ImportReport) -> str:
    """The import summary for a pipe or a log: counts, then each notable file."""
    return words.import_text(report, display_path)

"""What every view says, once: column headers, labels, and the sentences that summarise a result.
The terminal, the pipe and the exports read these, so the same thing has the same name everywhere."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from kb.models import FoundFact, PassageHit, PostHit, PostSummary, SearchResult, Span, Topic
from kb.text.numfmt import japanese_figure
from kb.vocab import DATE_UNIT_LABELS, kind_label

if TYPE_CHECKING:
    from kb.api import Info, Removal
    from kb.importer import ImportReport

NO_SECTION = "(本文)"
SUBSTRING_MARK = "  [部分一致]"
UNDATED = "日付なし"

POST_COLUMNS = ("ID", "日付", "タイトル", "見出し", "写真", "ファイル")
FACT_COLUMNS = (
    "種別",
    "数値",
    "値",
    "単位",
    "補足",
    "項目",
    "投稿",
    "日付",
    "行",
    "ファイル",
    "タイトル",
    "原文",
)
TOPIC_COLUMNS = ("項目", "投稿数", "数量", "日付", "組織", "地名", "最新の投稿")
PASSAGE_COLUMNS = ("投稿", "日付", "見出し", "行", "本文", "ファイル")
NAME_COLUMNS = ("名前", "種別")
INFO_COLUMNS = ("項目", "値")
SYNONYM_COLUMNS = ("語", "同義語")

# What the import summary counts, in the order it shows them (kb.importer.report.POST_COUNTS).
POST_COUNT_LABELS = {
    "added": "新規",
    "updated": "更新",
    "unchanged": "変更なし",
    "duplicate": "重複",
    "removed": "削除",
}


def search_summary(result: SearchResult) -> str:
    """検索: 電子政府 — 5 件の投稿が一致 (5 件を表示), with synonyms, bounds and what a period left out."""
    parts = [f"検索: {result.query} — {result.total} 件の投稿が一致"]
    if result.total > result.shown:
        parts.append(
            f" ({result.shown} 件を表示; もっと見るには -n {min(result.total, max(result.shown * 5, 50))})"
        )
    elif result.total:
        parts.append(f" ({result.shown} 件を表示)")
    if result.substring_total:
        parts.append(f"、うち部分一致 {result.substring_total} 件")
    lines = ["".join(parts)]
    for e in result.expansions:
        label = {"user": "同義語 (登録)", "synonym": "同義語", "variant": "表記ゆれ"}.get(e.kind, e.kind)
        lines.append(f"  {label}: {e.term} → {'・'.join(e.words)}")
    if result.bounded:
        lines.append(
            "  よく出る語のため、新しく取り込んだ投稿から順に調べました (語を足すか期間で絞ると全件を調べます)"
        )
    if result.undated_left_out:
        lines.append(
            f"  日付のない投稿 {result.undated_left_out} 件は期間の指定で除きました (含めるには --include-undated)"
        )
    return "\n".join(lines)


def shown_passages(hit: PostHit) -> list[tuple[PassageHit, str, list[Span]]]:
    """What a view prints of a post's passages: (the passage, whose label is its section with the
    matches marked; the text under the label; the marks in that text). A matching heading labels the
    passage under it and is not printed as a passage of its own."""
    out: list[tuple[PassageHit, str, list[Span]]] = []
    items = list(hit.passages)
    for i, p in enumerate(items):
        if p.heading:
            nxt = items[i + 1] if i + 1 < len(items) else None
            if nxt is not None and nxt.section == p.section and not nxt.heading:
                continue  # the passage under it carries the label
            out.append((p, p.after or "", []))
        else:
            out.append((p, p.text, list(p.highlights)))
    return out


def post_meta(p: PostSummary, show_path: Callable[[str], str]) -> str:
    """The line under a post's title: date, files, URL, categories."""
    meta = [p.date or UNDATED, *(show_path(s) for s in p.sources)]
    if p.url:
        meta.append(p.url)
    if p.categories:
        meta.append("カテゴリ: " + ", ".join(p.categories))
    if p.title_from == "text":
        meta.append("(タイトルなし: 冒頭の文を表示)")
    return "  ".join(meta)


def fact_figure(f: FoundFact) -> str:
    """A quantity as a Japanese reader writes it (235万人), anything else as written."""
    if f.kind == "quantity" and isinstance(f.value, int | float):
        return japanese_figure(f.value, f.unit, f.value_max, f.surface)
    return f.surface


def fact_unit(f: FoundFact) -> str:
    """The unit column: a quantity's unit, a date's precision (年, 月日, 相対)."""
    if f.kind == "date" and f.unit in DATE_UNIT_LABELS:
        return DATE_UNIT_LABELS[f.unit].ja
    return f.unit or ""


def exact_value(f: FoundFact) -> str | None:
    """The exact number of a quantity when the Japanese figure rounds it into words (2,350,000 for
    235万人), else None: the figure says it already."""
    if f.kind != "quantity" or not isinstance(f.value, int | float):
        return None
    text = f"{f.value:,}" if isinstance(f.value, int) else f"{f.value:,}".rstrip("0").rstrip(".")
    if f.value_max is not None and f.value_max != f.value:
        text += f"〜{f.value_max:,}"
    return None if text.replace(",", "") in fact_figure(f) else text


def sentence_marks(f: FoundFact) -> tuple[str, list[Span]]:
    """A fact's sentence and the fact's span in it (the fact alone when there is no sentence)."""
    if f.sentence is None or f.sentence_start is None:
        return f.written, [(0, len(f.written))]
    a = f.start - f.sentence_start
    return f.sentence, [(a, a + f.end - f.start)]


def citation(f: FoundFact) -> str:
    """Where a fact is written: #12 L81."""
    return f"#{f.post_id}" + (f" L{f.line}" if f.line else "")


def topic_cells(t: Topic) -> list[str]:
    return [
        t.heading,
        str(t.posts),
        str(t.quantities),
        str(t.dates),
        str(t.orgs),
        str(t.places),
        t.last_date or "",
    ]


def name_rows(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Names as `kb names list` shows them: the kind by its label (組織, 地名)."""
    return [(name, kind_label(kind)) for name, kind in pairs]


def info_rows(info: Info) -> list[tuple[str, str]]:
    c = info.counts
    return [
        ("データベース", info.db),
        ("形式", info.schema),
        ("ファイル", str(c.files)),
        ("投稿", str(c.posts)),
        ("見出し", str(c.sections)),
        ("文", str(c.passages)),
        ("事実", str(c.facts)),
        ("登録した名前", str(c.names)),
        ("登録した同義語", str(c.synonyms)),
        ("索引の形態素解析", info.segmenter or "-"),
        ("インストール済み", info.installed),
    ]


def import_summary(report: ImportReport) -> str:
    """新規 10・更新 0・変更なし 0・重複 0・削除 0 (ファイル 10, 0.52 秒; データベース: kb.db)."""
    counts = "・".join(f"{label} {report.total(key)}" for key, label in POST_COUNT_LABELS.items())
    skipped = f", スキップ {len(report.skipped)}" if report.skipped else ""
    return f"投稿: {counts} (ファイル {report.file_count}{skipped}, {report.seconds:.2f} 秒; データベース: {report.db})"


def import_notes(report: ImportReport, show_path: Callable[[str], str]) -> list[tuple[str, str]]:
    """(kind, line) of every notable file: moved, with warnings, skipped."""
    out: list[tuple[str, str]] = []
    for f in report.moved:
        out.append(("moved", f"移動: {show_path(f.moved_from)} → {show_path(f.path)}"))
    for f in report.files:
        out.extend(("warning", f"注意: {show_path(f.path)}: {w}") for w in f.warnings)
    for f in report.skipped:
        out.append(("skipped", f"スキップ: {show_path(f.path)}: {f.reason}"))
    return out


def import_text(report: ImportReport, show_path: Callable[[str], str]) -> str:
    lines = [import_summary(report), *(line for _, line in import_notes(report, show_path))]
    return "\n".join(lines) + "\n"


def removal_text(removal: Removal, show_path: Callable[[str], str]) -> str:
    """What a removal takes away (and what it leaves because another file holds it)."""
    lines = [f"#{p.id}\t{p.date or ''}\t{p.title}\t{show_path(p.source)}" for p in removal.posts]
    lines += [f"残る: #{p.id} {p.title} (ほかのファイルにもあります)" for p in removal.kept]
    return "\n".join(lines) + ("\n" if lines else "")

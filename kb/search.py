"""`kb search`: word search through Sudachi units, substring search for what words cannot reach,
BM25 ranking with title and heading boosts, and highlights in the original text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from kb.errors import QueryError
from kb.pipeline import index_terms
from kb.query import Query, Term, clean, fts_string, parse
from kb.segment import segment, short_units
from kb.store import Filters, Store
from kb.textnorm import fold, fold_with_map

TITLE_BOOST = 0.5
HEADING_BOOST = 0.5


@dataclass(slots=True)
class Hit:
    """One passage found by a search."""

    passage_id: int
    post_id: int
    title: str
    date: str | None
    section: str | None
    text: str  # the passage in its original words
    highlights: list[tuple[int, int]]
    score: float
    match: str  # "word" | "substring"
    source: str
    url: str | None
    line: int | None


@dataclass(slots=True)
class _TermPlan:
    term: Term
    folded: str
    word_expr: str | None  # FTS5 expression over the word index, None when words cannot match it
    norms: list[list[str]] = field(default_factory=list)  # unit sequences that mark a word match


COLUMNS = ("short", "norm", "long")


def plan_term(term: Term, columns: Sequence[str] = COLUMNS) -> _TermPlan:
    """How one term is looked up: a phrase of short units, of their normalized forms, or of long units."""
    folded = fold(term.text).strip()
    tokens = segment(term.text)
    short, norm, long = index_terms(tokens)
    if not short:
        return _TermPlan(term, folded, None)
    values = {"short": short, "norm": norm, "long": long}
    parts = [f"{col} : {fts_string(values[col])}" for col in columns if values[col]]
    units = [t for t in short_units(tokens) if any(c.isalnum() for c in t.surface)]
    norms = [[fold(t.normalized) for t in units], [fold(t.surface) for t in units]]
    return _TermPlan(term, folded, "(" + " OR ".join(parts) + ")" if parts else None, norms)


def search(
    store: Store,
    text: str,
    filters: Filters | None = None,
    limit: int = 20,
    *,
    columns: Sequence[str] = COLUMNS,
    substrings: bool = True,
) -> list[Hit]:
    """Find passages matching a query, best first. Raises QueryError for a query kb cannot run.

    ``columns`` and ``substrings`` choose the index layout used (all of it by default); the
    relevance bench compares layouts with them.
    """
    if limit < 1:
        raise QueryError("--limit は 1 以上にしてください")
    query = parse(text)
    filters = _safe_filters(filters or Filters())
    groups = [[plan_term(t, columns) for t in g] for g in query.groups]
    excluded = [fold(t.text).strip() for t in query.excluded if fold(t.text).strip()]
    word_scores: dict[int, float] = {}
    if all(p.word_expr for g in groups for p in g):
        expr = " AND ".join("(" + " OR ".join(str(p.word_expr) for p in g) + ")" for g in groups)
        word_scores = dict(store.match_words(expr, filters, excluded, limit * 3 + 50))
    substring_groups = [[p.folded for p in g if p.folded] for g in groups] if substrings else []
    substring_groups = [g for g in substring_groups if g]
    scan_short = len(word_scores) < limit
    sub_ids = store.match_substrings(
        substring_groups,
        filters,
        excluded,
        limit * 3 + 50,
        exclude_ids=set(word_scores),
        allow_scan=scan_short,
    )
    rows = store.passage_details(list(word_scores) + sub_ids)
    hits: list[Hit] = []
    terms = [p for g in groups for p in g]
    for row in rows:
        pid = int(row["id"])
        is_word = pid in word_scores
        title_f, heading_f = fold(row["title"]), fold(row["heading"] or "")
        base = word_scores.get(pid, 0.0)
        boost = 1.0
        if any(p.folded and p.folded in title_f for p in terms):
            boost += TITLE_BOOST
        if any(p.folded and p.folded in heading_f for p in terms):
            boost += HEADING_BOOST
        score = base * boost if is_word else 0.01 * boost
        passage = str(row["text"])
        hits.append(
            Hit(
                pid,
                int(row["post_id"]),
                str(row["title"]),
                row["date"],
                row["heading"],
                passage,
                highlight(passage, terms),
                round(score, 4),
                "word" if is_word else "substring",
                str(row["source"]),
                row["url"],
                row["line"],
            )
        )
    hits.sort(key=lambda h: (h.match != "word", -h.score, _neg_date(h.date), h.passage_id))
    return hits[:limit]


def _safe_filters(filters: Filters) -> Filters:
    """Filters with text that SQLite can bind: no surrogates or control characters."""
    topic = fold(clean(filters.topic)).strip() if filters.topic else None
    since = clean(filters.since) if filters.since else None
    until = clean(filters.until) if filters.until else None
    return Filters(since, until, topic or None, filters.post_id)


def _neg_date(date: str | None) -> str:
    # later dates first: invert the digits so an ascending sort puts recent posts first
    if not date:
        return "~"
    return "".join(chr(ord("9") - ord(c) + ord("0")) if c.isdigit() else c for c in date)


def highlight(text: str, plans: Sequence[_TermPlan]) -> list[tuple[int, int]]:
    """Spans of ``text`` that match any term: folded substrings, and word matches by normalized form
    (so サーバー is marked for a query サーバ). Spans are merged and sorted."""
    folded, back = fold_with_map(text)
    spans: list[tuple[int, int]] = []
    for p in plans:
        if not p.folded:
            continue
        start = folded.find(p.folded)
        while start != -1:
            spans.append((back[start], back[start + len(p.folded)]))
            start = folded.find(p.folded, start + 1)
    if any(p.norms and p.norms[0] for p in plans):
        units = list(short_units(segment(text)))
        norm_seq = [fold(u.normalized) for u in units]
        surf_seq = [fold(u.surface) for u in units]
        for p in plans:
            for seq in p.norms:
                k = len(seq)
                if not k:
                    continue
                for i in range(len(units) - k + 1):
                    if norm_seq[i : i + k] == seq or surf_seq[i : i + k] == seq:
                        spans.append((units[i].start, units[i + k - 1].end))
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(s for s in spans if s[0] < s[1]):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def describe(query: Query) -> str:
    """The query as kb understood it, for the 'nothing found' message."""
    parts = [" OR ".join(f'"{t.text}"' if t.phrase else t.text for t in g) for g in query.groups]
    out = " ".join(parts)
    if query.excluded:
        out += " " + " ".join(f"-{t.text}" for t in query.excluded)
    return out

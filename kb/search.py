"""`kb search`: word search through Sudachi units, substring search for what words cannot reach,
BM25 ranking with title and heading boosts, and highlights in the original text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kb.errors import QueryError
from kb.query import Query, Term, clean, fts_string, parse
from kb.segment import segment, short_units
from kb.store import Filters, Store
from kb.terms import index_terms
from kb.text.fold import fold, fold_with_map

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


def plan_term(term: Term) -> _TermPlan:
    """How one term is looked up: a phrase of its normalized short units in the word index, and its
    folded text for substring search and highlighting."""
    folded = fold(term.text).strip()
    tokens = segment(term.text)
    terms = index_terms(tokens)
    if not terms:
        return _TermPlan(term, folded, None)
    units = [t for t in short_units(tokens) if any(c.isalnum() for c in t.surface)]
    norms = [[fold(t.normalized) for t in units], [fold(t.surface) for t in units]]
    return _TermPlan(term, folded, f"terms : {fts_string(terms)}", norms)


def search(
    store: Store, text: str, filters: Filters | None = None, limit: int = 20, *, substrings: bool = True
) -> list[Hit]:
    """Find passages matching a query, best first. Raises QueryError for a query kb cannot run.

    Word matches (ranked by BM25, boosted when the title or heading has the term) come first; when
    they are fewer than ``limit``, substring matches (what Ctrl-F finds but segmentation hides, such
    as 江東区 in 江東区政) follow, most recent post first. ``substrings=False`` is for measurement.
    """
    if limit < 1:
        raise QueryError("--limit は 1 以上にしてください")
    query = parse(text)
    filters = _safe_filters(filters or Filters())
    groups = [[plan_term(t) for t in g] for g in query.groups]
    plans = [p for g in groups for p in g]
    excluded = [x for x in (fold(t.text).strip() for t in query.excluded) if x]
    word_scores: dict[int, float] = {}
    if all(p.word_expr for p in plans):
        expr = " AND ".join("(" + " OR ".join(str(p.word_expr) for p in g) + ")" for g in groups)
        fetch = limit * 3 + 50 + (limit * 20 if excluded else 0)
        word_scores = dict(store.match_words(expr, filters, fetch))
    rows = [r for r in store.passage_details(list(word_scores)) if not _has_any(str(r["text"]), excluded)]
    hits = [_hit(r, plans, word_scores[int(r["id"])], "word") for r in rows]
    hits.sort(key=lambda h: (-h.score, _neg_date(h.date), h.passage_id))
    hits = hits[:limit]
    want = limit - len(hits)
    sub_groups = [[p.folded for p in g if p.folded] for g in groups]
    if substrings and want > 0 and all(sub_groups):
        ids = _substring_ids(store, sub_groups, filters, excluded, set(word_scores), want)
        hits += [_hit(r, plans, 0.0, "substring") for r in store.passage_details(ids)]
    for h in hits:  # highlighting segments the passage: only for the hits returned
        h.highlights = highlight(h.text, plans)
    return hits


def _has_any(text: str, needles: Sequence[str]) -> bool:
    if not needles:
        return False
    folded = fold(text)
    return any(n in folded for n in needles)


def _substring_ids(
    store: Store, groups: list[list[str]], filters: Filters, excluded: list[str], seen: set[int], want: int
) -> list[int]:
    """Passages whose folded text has, for every group, one of its strings; most recent post first."""
    out: list[int] = []
    for _post_id, text, passages in store.substring_candidates(groups, filters):
        for pid, start, end, heading in passages:
            if pid in seen or (filters.topic and filters.topic not in (heading or "")):
                continue
            folded = fold(text[start:end])
            if all(any(x in folded for x in g) for g in groups) and not any(x in folded for x in excluded):
                out.append(pid)
                if len(out) >= want:
                    return out
    return out


def _hit(row: Any, plans: Sequence[_TermPlan], score: float, match: str) -> Hit:
    title_f, heading_f = fold(row["title"]), fold(row["heading"] or "")
    boost = 1.0
    if any(p.folded and p.folded in title_f for p in plans):
        boost += TITLE_BOOST
    if any(p.folded and p.folded in heading_f for p in plans):
        boost += HEADING_BOOST
    passage = str(row["text"])
    return Hit(
        int(row["id"]),
        int(row["post_id"]),
        str(row["title"]),
        row["date"],
        row["heading"],
        passage,
        [],  # filled in for the hits returned only
        round(score * boost, 4),
        match,
        str(row["source"]),
        row["url"],
        row["line"],
    )


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

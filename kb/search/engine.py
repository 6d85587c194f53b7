"""Post-level search. A post matches when every group of the query (one of its terms) occurs anywhere
in it, title included; posts are ranked by BM25 over posts (a term's frequency is the number of its
passages that hold it), boosted when the title or a heading holds a term and when the terms meet in
one sentence or section. Substring matches (what Ctrl-F finds but segmentation hides) rank below
word matches of the same coverage.

Ranking is bounded for very common words: the word index is read newest first, at most WINDOW
passages per group; a group whose matches fit is exact, and posts older than a window are checked one
by one (at most CHECKS of them). Filters apply before any bound, so narrowing a query always reaches
every post it matches."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kb.models import PassageHit, PostHit, Span
from kb.search.plan import Plan, TermPlan
from kb.store import IndexFilter, PassageRow, PostHead, Store
from kb.terms import URL
from kb.text.fold import fold_with_map, heading_key

WINDOW = 5000  # passages of one group read from the word index at most
CHECKS = 200  # posts older than a window that are checked one by one at most
SUBSTRING_TEXTS = 2000  # post texts read for substring matches at most
K1, B = 1.2, 0.75  # BM25
TITLE_BOOST = 0.5
HEADING_BOOST = 0.25  # a heading often names a compound (水上バス) more than the post's subject
SENTENCE_BONUS = 0.3  # every group in one passage
SECTION_BONUS = 0.15  # every group in one section
_LATIN = re.compile(r"[a-z0-9]")


@dataclass(slots=True)
class _Candidate:
    """A post that matches: which passages hold each group (word matches) or where (substring)."""

    head: PostHead
    words: list[list[int]]  # per group: passage ids with a word match ([] when only a substring)
    spans: list[list[Span]] = field(default_factory=list)  # per group: substring matches in the text
    score: float = 0.0

    @property
    def coverage(self) -> int:
        return sum(1 for w in self.words if w)


@dataclass(slots=True)
class Matches:
    """The posts a plan matched, before ranking."""

    candidates: dict[int, _Candidate]  # by post id
    bounded: bool = False
    floor: int = 0  # when bounded: posts numbered below it were not looked at


# ------------------------------------------------------------------------------------------ matching


def match(store: Store, plan: Plan, flt: IndexFilter) -> Matches:
    """Every post the plan matches under the filter, by word and by substring, exclusions applied."""
    n_groups = len(plan.groups)
    found = Matches({})
    exprs = [plan.group_expr(i) for i in range(n_groups)]
    if all(exprs):
        found = _word_matches(store, [e for e in exprs if e], flt)
    subs = [[s for tp in g for s in tp.substrings] for g in plan.groups]
    if all(subs):
        _substring_matches(store, plan, subs, flt, found)
    if plan.excluded:
        _exclude(store, plan.excluded, flt, found)
    return found


def _word_matches(store: Store, exprs: list[str], flt: IndexFilter) -> Matches:
    windows = [store.index.word_window(e, flt, WINDOW + 1) for e in exprs]
    by_post: list[dict[int, list[int]]] = []
    floors: list[int] = []  # a post whose passages all come after a group's floor is complete in its window
    for window in windows:
        full = len(window) <= WINDOW
        window = window[:WINDOW]
        found: dict[int, list[int]] = {}
        for pid, post in window:
            found.setdefault(post, []).append(pid)
        by_post.append(found)
        floors.append(0 if full else window[-1][0])
    exact = [i for i, f in enumerate(floors) if f == 0]
    bounded = not exact
    base = min(exact, key=lambda i: len(by_post[i])) if exact else 0
    heads = store.index.heads(list(by_post[base]))
    if bounded:  # every group's window is full: the posts after all their floors, complete in each
        heads = {pid: h for pid, h in heads.items() if h.first > max(floors)}
    checks = 0
    floor = min(heads, default=0) if bounded else 0
    matched: dict[int, list[list[int]]] = {}
    for head in sorted(heads.values(), key=lambda h: h.first, reverse=True):  # newest first
        groups: list[list[int]] = []
        left_out = False
        for i, expr in enumerate(exprs):
            pids = by_post[i].get(head.id)
            if head.first <= floors[i]:  # not all of this post is in group i's window: ask about it
                if checks >= CHECKS:
                    left_out = True
                    break
                checks += 1
                pids = store.index.word_in_post(expr, head, flt.topic) or None
            if pids is None:
                break
            groups.append(sorted(pids))
        if left_out:  # this post and older ones are not looked at
            bounded, floor = True, head.id + 1
            break
        if len(groups) == len(exprs):
            matched[head.id] = groups
    out = Matches({pid: _Candidate(heads[pid], groups) for pid, groups in matched.items()}, bounded, floor)
    _score_words(
        store,
        out,
        [len(p) for p in by_post],
        [w[-1][1] if f else 0 for w, f in zip(windows, floors, strict=True)],
    )
    return out


def _score_words(store: Store, found: Matches, df_window: list[int], floor_posts: list[int]) -> None:
    """BM25 over posts: a group's frequency in a post is the number of its passages that hold it."""
    if not found.candidates:
        return
    total = store.index.post_count()
    last = store.index.last_post()
    dfs = []
    for df, floor in zip(df_window, floor_posts, strict=True):
        if floor:  # the window covers the newest posts only: scale its count to the whole database
            df = min(total, round(df * total / max(last - floor + 1, 1)))
        dfs.append(max(df, 1))
    idfs = [math.log(1 + (total - df + 0.5) / (df + 0.5)) for df in dfs]
    avg = sum(c.head.length for c in found.candidates.values()) / len(found.candidates) or 1.0
    for c in found.candidates.values():
        norm = K1 * (1 - B + B * c.head.length / avg)
        c.score = sum(idf * len(p) * (K1 + 1) / (len(p) + norm) for idf, p in zip(idfs, c.words, strict=True))


def _substring_matches(
    store: Store, plan: Plan, subs: list[list[str]], flt: IndexFilter, found: Matches
) -> None:
    """Posts where every group occurs as a substring of the text, not found as words for every group:
    substring-only matches, and word matches of some groups completed by substrings of the others."""
    indexed = [g for g in subs if all(len(s) >= 3 for s in g)]
    trigram = (
        " AND ".join(
            "(" + " OR ".join("(" + " AND ".join(_trigrams(s)) + ")" for s in g) + ")" for g in indexed
        )
        if indexed
        else None
    )
    scan = [] if indexed else [min(g, key=len) for g in subs][:1]
    word_ids = set(found.candidates)
    read = 0
    for post_id, text in store.index.substring_posts(trigram, scan, flt, found.floor):
        if post_id in word_ids:
            continue
        if read >= SUBSTRING_TEXTS:
            found.bounded = True
            break
        read += 1
        spans = [text_spans(text, g) for g in subs]
        if not all(spans):
            continue
        head = PostHead(post_id, 0, 0, "", "", None, None, len(text))
        words: list[list[int]] = [[] for _ in subs]
        found.candidates[post_id] = _Candidate(head, words, spans, score=sum(len(s) for s in spans) ** 0.5)
    if len(found.candidates) > len(word_ids):
        heads = store.index.heads([pid for pid, c in found.candidates.items() if not c.head.title])
        for pid, h in heads.items():
            c = found.candidates[pid]
            c.head = h
            _complete_words(store, plan, c)


def _complete_words(store: Store, plan: Plan, c: _Candidate) -> None:
    """For a substring match, the groups that the post also holds as words (its coverage)."""
    for i in range(len(plan.groups)):
        expr = plan.group_expr(i)
        if expr:
            c.words[i] = store.index.word_in_post(expr, c.head)


def _find(folded: str, strings: Sequence[str]) -> list[Span]:
    """Where any of the strings occurs in a folded text: never inside a longer Latin word (IR in
    airport) nor inside a URL when the string is Latin at that end."""
    out: list[Span] = []
    urls: list[Span] | None = None
    for s in strings:
        latin_start, latin_end = bool(_LATIN.match(s[0])), bool(_LATIN.match(s[-1]))
        pos = folded.find(s)
        while pos >= 0:
            end = pos + len(s)
            ok = not (latin_start and pos > 0 and _LATIN.match(folded[pos - 1]))
            ok = ok and not (latin_end and end < len(folded) and _LATIN.match(folded[end]))
            if ok and (latin_start or latin_end):
                if urls is None:
                    urls = [(m.start(), m.end()) for m in URL.finditer(folded)]
                ok = not any(a <= pos < b for a, b in urls)
            if ok:
                out.append((pos, end))
            pos = folded.find(s, pos + 1)
    return sorted(out)


def _exclude(store: Store, excluded: list[TermPlan], flt: IndexFilter, found: Matches) -> None:
    """Drop the posts that hold an excluded word or phrase, as a word or as a substring."""
    gone: set[int] = set()
    for tp in excluded:
        expr = tp.word_expr
        if expr:
            for _, post in store.index.word_window(expr, IndexFilter(post_id=flt.post_id), WINDOW):
                if post in found.candidates:
                    gone.add(post)
    strings = [s for tp in excluded for s in tp.substrings]
    if strings:
        maybe: set[int] | None = None  # posts the trigram index says may hold a string
        if all(len(s) >= 3 for s in strings):
            maybe = store.index.trigram_posts(
                " OR ".join("(" + " AND ".join(_trigrams(s)) + ")" for s in strings)
            )
        for pid in found.candidates:
            if pid in gone or (maybe is not None and pid not in maybe):
                continue
            if text_spans(store.index.post_text(pid), strings):
                gone.add(pid)
    for pid in gone:
        del found.candidates[pid]


def _trigrams(s: str) -> list[str]:
    grams = {s[i : i + 3] for i in range(len(s) - 2)}
    return ['"' + g.replace('"', '""') + '"' for g in sorted(grams)]


# ------------------------------------------------------------------------------------------- ranking


def rank(
    store: Store,
    plan: Plan,
    found: Matches,
    limit: int,
    *,
    sort: str = "relevance",
    per_post: int = 3,
    topic: str | None = None,
) -> list[PostHit]:
    """The best ``limit`` posts, each with its best passages in reading order."""
    cands = list(found.candidates.values())
    n_groups = len(plan.groups)
    if sort == "date":
        cands.sort(key=lambda c: (c.head.date or "", c.coverage, c.score, c.head.id), reverse=True)
        top = cands[:limit]
    else:
        cands.sort(key=lambda c: (c.coverage, c.score, c.head.id), reverse=True)
        top = cands[: limit * 3 + 30]
    rows = store.index.passages(_wanted_passages(top))
    boosted = [(_boost(c, rows, n_groups), c) for c in top]
    if sort != "date":
        boosted.sort(key=lambda x: (x[1].coverage, x[0], x[1].head.id), reverse=True)
    return [_post_hit(store, plan, c, score, rows, per_post, topic) for score, c in boosted[:limit]]


def _wanted_passages(top: Iterable[_Candidate]) -> list[int]:
    out: set[int] = set()
    for c in top:
        for pids in c.words:
            for pid in pids[:40]:
                out.update((pid - 1, pid, pid + 1))
    return sorted(out)


def _is_title(c: _Candidate, pid: int) -> bool:
    return pid == c.head.first and c.head.title_from != "text"


def _boost(c: _Candidate, rows: dict[int, PassageRow], n_groups: int) -> float:
    score = c.score
    title = heading = False
    for pids in c.words:
        for pid in pids:
            row = rows.get(pid)
            if _is_title(c, pid):
                title = True
            elif row is not None and row.is_heading:
                heading = True
    score *= 1 + (TITLE_BOOST if title else 0) + (HEADING_BOOST if heading else 0)
    if n_groups > 1 and c.coverage == n_groups:
        shared = set(c.words[0]).intersection(*map(set, c.words[1:]))
        if shared:
            score *= 1 + SENTENCE_BONUS
        else:
            sections = [{rows[p].section_id for p in pids if p in rows} for pids in c.words]
            if set.intersection(*sections) - {None}:
                score *= 1 + SECTION_BONUS
    return round(score, 4)


def _post_hit(
    store: Store,
    plan: Plan,
    c: _Candidate,
    score: float,
    rows: dict[int, PassageRow],
    per_post: int,
    topic: str | None,
) -> PostHit:
    """A post as shown: its passages with a word match first (those holding the most groups), then
    those where only a substring matches, ``per_post`` at most, in reading order. A title or heading
    that matches is marked on the post line or on the section label instead."""
    marks = [m for g in plan.groups for tp in g for m in tp.marks]
    head = c.head
    order = _word_order(c, rows)
    words = set(order)
    spans = store.index.passage_spans(head)
    if len(order) < per_post or c.spans:
        text = store.index.post_text(head.id)
        strings = [s for g in plan.groups for tp in g for s in tp.substrings]
        for a, _ in text_spans(text, strings):
            pid = next((p for p, s, e in spans if s <= a < max(e, s + 1)), None)
            if pid is not None and pid not in words and not _is_title(c, pid) and pid not in order:
                order.append(pid)
    chosen = sorted(_shown(c, order, rows, store, per_post, topic), key=lambda r: r.start)
    under = store.index.passages([r.id + 1 for r in chosen if r.is_heading])
    passages = tuple(
        _passage_hit(row, marks, "word" if row.id in words else "substring", under.get(row.id + 1))
        for row in chosen
    )
    sources = store.posts.summaries(ids=[head.id])
    return PostHit(
        post_id=head.id,
        title=head.title,
        date=head.date,
        url=head.url,
        sources=sources[0].sources if sources else (),
        score=score,
        match="word" if c.coverage == len(plan.groups) else "substring",
        title_highlights=tuple(highlight(head.title, marks)),
        passages=passages,
        matched_passages=len({p for w in c.words for p in w}),
    )


def _word_order(c: _Candidate, rows: dict[int, PassageRow]) -> list[int]:
    """The word-matched passages, those holding the most groups first (then in reading order)."""
    weight: dict[int, int] = {}
    for pids in c.words:
        for pid in pids:
            weight[pid] = weight.get(pid, 0) + 1
    return [p for p in sorted(weight, key=lambda p: (-weight[p], p)) if not _is_title(c, p)]


def _shown(
    c: _Candidate,
    order: list[int],
    rows: dict[int, PassageRow],
    store: Store,
    per_post: int,
    topic: str | None,
) -> list[PassageRow]:
    """The rows of the first ``per_post`` passages (a heading counts as one), in the section of the
    topic when there is one."""
    missing = [p for p in order[: per_post * 2 + 2] if p not in rows]
    if missing:
        rows = {**rows, **store.index.passages(missing)}
    chosen: list[PassageRow] = []
    for pid in order:
        row = rows.get(pid)
        if row is None or (topic and topic not in heading_key(row.heading or "")):
            continue
        chosen.append(row)
        if len(chosen) >= per_post:
            break
    return chosen


def text_spans(text: str, strings: Sequence[str]) -> list[Span]:
    """Where any of the folded strings occurs in a text (``_find`` rules), in the text's own offsets."""
    folded, back = fold_with_map(text)
    return [(back[a], back[b]) for a, b in _find(folded, strings)]


def _passage_hit(row: PassageRow, marks: Sequence[str], kind: str, under: PassageRow | None) -> PassageHit:
    heading = row.heading
    same_section = under is not None and under.section_id == row.section_id and under.post_id == row.post_id
    return PassageHit(
        passage_id=row.id,
        section=heading,
        text=row.text,
        start=row.start,
        line=row.line,
        highlights=tuple(highlight(row.text, marks)),
        match=kind,
        score=0.0,
        heading_highlights=tuple(highlight(heading, marks)) if heading else (),
        heading=row.is_heading,
        after=under.text if row.is_heading and under is not None and same_section else None,
    )


def highlight(text: str, marks: Sequence[str]) -> list[Span]:
    """Spans of ``text`` where any of the folded strings occurs, merged and sorted."""
    if not marks or not text:
        return []
    folded, back = fold_with_map(text)
    spans: list[Span] = []
    for m in marks:
        pos = folded.find(m)
        while pos != -1:
            spans.append((back[pos], back[pos + len(m)]))
            pos = folded.find(m, pos + 1)
    out: list[Span] = []
    for a, b in sorted(s for s in spans if s[0] < s[1]):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out

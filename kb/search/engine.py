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
from operator import attrgetter

from kb.models import PassageHit, PostHit, Span
from kb.record import record
from kb.search.plan import Plan, TermPlan
from kb.store import IndexFilter, PassageRow, PostHead, Store
from kb.text.fold import HALFWIDTH_KANA, fold, fold_with_offsets, heading_key, without_dropped
from kb.text.web import URL

WINDOW = 1000  # passages of one group read from the word index at most (see bench/README.md)
CHECKS = 200  # posts older than a window that are checked one by one at most
PASSAGES_READ = 6  # matched passages per group and post whose rows ranking reads at most
SUBSTRING_TEXTS = 100  # post texts read to verify substring-only matches at most
SCAN_POSTS = 1000  # newest posts looked at for a string too short for the trigram index
K1, B = 1.2, 0.75  # BM25
TITLE_BOOST = 0.5
HEADING_BOOST = 0.25  # a heading often names a compound (水上バス) more than the post's subject
SENTENCE_BONUS = 0.3  # every group in one passage
SECTION_BONUS = 0.15  # every group in one section
_LATIN = re.compile(r"[a-z0-9]")
# characters that folding changes or that a folded query may stand for: Latin, digits, full-width
# forms, half-width katakana, ideographic space, marks folding drops
_FOLDABLE = re.compile("[\\x00-\\x7f\\uff01-\\uff9f\\u3000\\ufe0e\\ufe0f\\u200b\\u200d\\u0080-\\u024f]")


@record(slots=True)
class _Candidate:
    """A post that matches: which passages hold each group (word matches) or where (substring)."""

    head: PostHead
    words: list[list[int]]  # per group: passage ids with a word match ([] when only a substring)
    substring: bool = False  # some group is only a substring of the text
    score: float = 0.0

    @property
    def coverage(self) -> int:
        return sum(map(bool, self.words))  # how many groups it holds as words


@record(slots=True)
class Matches:
    """The posts a plan matched, before ranking."""

    candidates: dict[int, _Candidate]  # by post id
    bounded: bool = False
    floor: int = 0  # when bounded: posts numbered below it were not looked at


# ------------------------------------------------------------------------------------------ matching


def match(store: Store, plan: Plan, flt: IndexFilter, limit: int | None = None) -> Matches:
    """Every post the plan matches under the filter, by word and by substring, exclusions applied.

    With a ``limit``, a search whose words were bounded (a word so common that only the newest posts
    were looked at) and already fill the page with posts matching every group looks for no substring
    matches: those rank below every such post, and the search says it was bounded."""
    n_groups = len(plan.groups)
    found = Matches({})
    exprs = [plan.group_expr(i) for i in range(n_groups)]
    if all(exprs):
        found = _word_matches(store, [e for e in exprs if e], flt)
    subs = [[s for tp in g for s in tp.substrings] for g in plan.groups]
    full = sum(1 for c in found.candidates.values() if c.coverage == n_groups)
    if all(subs) and not (limit is not None and found.bounded and full >= limit + len(plan.excluded) * limit):
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
    for head in sorted(heads.values(), key=_first, reverse=True):  # newest first
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
            if len(pids) > 1:
                pids.sort()
            groups.append(pids)
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


_first = attrgetter("first")


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
    substring-only matches, and word matches of some groups completed by substrings of the others.

    Candidates come from the trigram index when every string of a group has three characters or
    more, else from the newest posts (SCAN_POSTS at most). A group of one string in kana and kanji
    (folding changes none of its characters) is checked by SQLite as written; other groups are
    checked here on the folded text. At most SUBSTRING_TEXTS posts are taken, newest first: the
    search says it was bounded when more were left."""
    indexed = [g for g in subs if all(len(s) >= 3 for s in g)]
    word_ids = set(found.candidates)
    if indexed:
        expr = " AND ".join(
            "(" + " OR ".join("(" + " AND ".join(_trigrams(s)) + ")" for s in g) + ")" for g in indexed
        )
        ids = sorted(
            (i for i in store.index.trigram_posts(expr) if i >= found.floor and i not in word_ids),
            reverse=True,
        )
    else:
        ids = [i for i in store.index.newest_posts(SCAN_POSTS, found.floor) if i not in word_ids]
    plain = [g[0] for g in subs if len(g) == 1 and not _FOLDABLE.search(g[0])]
    check = [g for g in subs if not (len(g) == 1 and g[0] in plain)]
    if not plain and len(ids) > SUBSTRING_TEXTS:
        ids = ids[:SUBSTRING_TEXTS]
        found.bounded = True
    matched: list[int] = []
    for post_id, text in store.index.texts(ids, flt, plain):
        if len(matched) >= SUBSTRING_TEXTS:
            found.bounded = True
            break
        if check and not all(_find(fold(text), g) for g in check):
            continue
        if flt.topic and not _in_topic(store, post_id, text, subs, flt.topic):
            continue
        matched.append(post_id)
    heads = store.index.heads(matched)
    for pid, head in heads.items():
        c = _Candidate(head, [[] for _ in subs], substring=True)
        if len(subs) > 1:  # with one group, a post not matched by words holds it as a substring only
            _complete_words(store, plan, c)
        c.score = 0.5 * sum(1 for w in c.words if w)  # ranked by how many groups it holds as words
        found.candidates[pid] = c


def _in_topic(store: Store, post_id: int, text: str, subs: list[list[str]], topic: str) -> bool:
    """Whether the strings occur in a section whose heading holds the topic."""
    sections = [
        (a, b) for h, a, b in store.index.sections_of(post_id) if h is not None and topic in heading_key(h)
    ]
    return all(any(a <= x < b for x, _ in text_spans(text, g) for a, b in sections) for g in subs)


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
    """Drop the posts that hold an excluded word or phrase, as a word or as a substring. Only the
    candidates are asked about, in SQL where it can answer (the word index; a string that folding
    leaves as it is, found by instr in the stored text); other strings are looked for here, in the
    candidates the trigram index leaves (all of them for a string under three characters)."""
    if not found.candidates:
        return
    ids = list(found.candidates)
    gone: set[int] = set()
    for tp in excluded:
        if tp.word_expr:
            gone |= store.index.posts_matching(tp.word_expr, [c.head for c in found.candidates.values()])
    strings = [s for tp in excluded for s in tp.substrings]
    plain = [s for s in strings if not _FOLDABLE.search(s)]
    for s in plain:
        gone |= store.index.posts_holding([i for i in ids if i not in gone], s)
    folded = [s for s in strings if s not in plain]
    if folded:
        maybe: set[int] | None = None  # posts the trigram index says may hold a string
        if all(len(s) >= 3 for s in folded):
            maybe = store.index.trigram_posts(
                " OR ".join("(" + " AND ".join(_trigrams(s)) + ")" for s in folded)
            )
        left = [i for i in ids if i not in gone and (maybe is None or i in maybe)]
        for pid, text in store.index.post_texts(left).items():
            if text_spans(text, folded):
                gone.add(pid)
    for pid in gone:
        found.candidates.pop(pid, None)


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
    rows = store.index.passages(_wanted_passages(top), text=False)
    boosted = [(_boost(c, rows, n_groups), c) for c in top]
    if sort != "date":
        boosted.sort(key=lambda x: (x[1].coverage, x[0], x[1].head.id), reverse=True)
    shown = [(score, c) for score, c in boosted[:limit]]
    return _post_hits(store, plan, shown, rows, per_post, topic)


def _wanted_passages(top: Iterable[_Candidate]) -> list[int]:
    """The matched passages whose rows ranking reads (is it a heading? which section?): a few per
    group and post, the first in reading order."""
    return sorted({pid for c in top for pids in c.words for pid in pids[:PASSAGES_READ]})


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


def _post_hits(
    store: Store,
    plan: Plan,
    shown: list[tuple[float, _Candidate]],
    rows: dict[int, PassageRow],
    per_post: int,
    topic: str | None,
) -> list[PostHit]:
    """The posts as shown: each with its passages with a word match first (those holding the most
    groups), then those where only a substring matches, ``per_post`` at most, in reading order. A
    title or heading that matches is marked on the post line or on the section label instead.
    Everything is read in a few batches for all the posts shown."""
    marks = [m for g in plan.groups for tp in g for m in tp.marks]
    strings = [s for g in plan.groups for tp in g for s in tp.substrings]
    ids = [c.head.id for _, c in shown]
    texts = store.index.post_texts(ids)  # every passage shown is a slice of its post's text
    sources = store.posts.sources(ids)
    orders = {c.head.id: _word_order(c) for _, c in shown}
    need = [c.head for _, c in shown if len(orders[c.head.id]) < per_post or c.substring]
    for pid, spans in store.index.passage_spans_of(need).items():
        order = orders[pid]
        c = next(c for _, c in shown if c.head.id == pid)
        for a, _ in text_spans(texts.get(pid, ""), strings):
            hit = next((p for p, s, e in spans if s <= a < max(e, s + 1)), None)
            if hit is not None and hit not in order and not _is_title(c, hit):
                order.append(hit)
    wanted = {p for order in orders.values() for p in order[: per_post * 2 + 2]}
    missing = [q for p in wanted for q in (p, p + 1) if q not in rows]
    rows = {**rows, **store.index.passages(missing, text=False)} if missing else rows
    out = []
    for score, c in shown:
        text = texts.get(c.head.id, "")
        words = {p for w in c.words for p in w}
        chosen = sorted(_shown(c, orders[c.head.id], rows, per_post, topic), key=lambda r: r.start)
        passages = tuple(
            _passage_hit(row, text, marks, "word" if row.id in words else "substring", rows.get(row.id + 1))
            for row in chosen
        )
        out.append(
            PostHit(
                post_id=c.head.id,
                title=c.head.title,
                date=c.head.date,
                url=c.head.url,
                sources=tuple(sources.get(c.head.id, ())),
                score=score,
                match="word" if c.coverage == len(plan.groups) else "substring",
                title_highlights=tuple(highlight(c.head.title, marks)),
                passages=passages,
                matched_passages=len(words),
            )
        )
    return out


def _word_order(c: _Candidate) -> list[int]:
    """The word-matched passages, those holding the most groups first (then in reading order)."""
    weight: dict[int, int] = {}
    for pids in c.words:
        for pid in pids:
            weight[pid] = weight.get(pid, 0) + 1
    return [p for p in sorted(weight, key=lambda p: (-weight[p], p)) if not _is_title(c, p)]


def _shown(
    c: _Candidate, order: list[int], rows: dict[int, PassageRow], per_post: int, topic: str | None
) -> list[PassageRow]:
    """The rows of the first ``per_post`` passages (a heading counts as one), in the section of the
    topic when there is one."""
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
    folded, back = _view(text, strings)
    return [(back[a], back[b]) for a, b in _find(folded, strings)]


def _view(text: str, strings: Sequence[str]) -> tuple[str, Sequence[int]]:
    """The text folded for finding the strings, and the map back to its offsets: the text as written
    (without the marks folding drops) when folding could change no match (_as_written), which
    spares folding a whole post for a word in kana and kanji."""
    if _as_written(text, strings):
        return without_dropped(text)
    return fold_with_offsets(text)


def _as_written(text: str, strings: Sequence[str]) -> bool:
    """Whether the strings can be looked for in the text as written, without folding it: none of them
    holds a character folding changes or yields (Latin, digits, spaces, full-width forms), and the
    text holds no half-width katakana (which folds into the kana the strings may hold)."""
    return not any(_FOLDABLE.search(s) for s in strings) and not HALFWIDTH_KANA.search(text)


def _passage_hit(
    row: PassageRow, text: str, marks: Sequence[str], kind: str, under: PassageRow | None
) -> PassageHit:
    heading = row.heading
    same_section = under is not None and under.section_id == row.section_id and under.post_id == row.post_id
    body = text[row.start : row.end]
    return PassageHit(
        passage_id=row.id,
        section=heading,
        text=body,
        start=row.start,
        line=row.line,
        highlights=tuple(highlight(body, marks)),
        match=kind,
        score=0.0,
        heading_highlights=tuple(highlight(heading, marks)) if heading else (),
        heading=row.is_heading,
        after=text[under.start : under.end]
        if row.is_heading and under is not None and same_section
        else None,
    )


def highlight(text: str, marks: Sequence[str]) -> list[Span]:
    """Spans of ``text`` where any of the folded strings occurs, merged and sorted."""
    if not marks or not text:
        return []
    folded, back = _view(text, marks)
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

"""The SQL of search: windows of the word index, newest first; the passages and posts they point to;
substring candidates through the trigram index; the lexicon of segmented words. kb.search decides
what to ask; expressions reaching FTS5 are built there from quoted literals, never typed by a user."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from kb.record import record
from kb.store.connection import guarded, guarded_iter
from kb.store.posts import chunks, id_run, rows_in

if TYPE_CHECKING:
    from kb.store.connection import Connection


@record(frozen=True, slots=True, kw_only=True)
class IndexFilter:
    """What a search is narrowed to before any bound applies."""

    since: str | None = None  # ISO day, inclusive
    until: str | None = None
    topic: str | None = None  # folded: a heading that contains it
    post_id: int | None = None
    undated: bool = False  # only posts without a date (to count what a period leaves out)

    @property
    def posts(self) -> bool:
        """Whether the filter needs the posts table."""
        return bool(self.since or self.until or self.post_id is not None or self.undated)


class PostHead(NamedTuple):
    """What ranking and the result header need of a post (a named tuple: a common word makes
    thousands of them per search, each straight from a row)."""

    id: int
    first: int  # the post's first passage id (its title, unless title_from is "text")
    passages: int  # how many passages it has
    title: str
    title_from: str
    date: str | None
    url: str | None
    length: int  # characters of text


@record(frozen=True, slots=True)
class PassageRow:
    """A passage with its section heading and text."""

    id: int
    post_id: int
    section_id: int | None
    heading: str | None
    heading_start: int | None
    start: int
    end: int
    line: int | None
    text: str

    @property
    def is_heading(self) -> bool:
        return self.heading is not None and self.heading_start == self.start


def _post_conditions(f: IndexFilter, alias: str = "po") -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if f.since:
        where.append(f"{alias}.date >= ?")
        params.append(f.since)
    if f.until:
        where.append(f"{alias}.date <= ?")
        params.append(f.until)
    if f.undated:
        where.append(f"{alias}.date IS NULL")
    if f.post_id is not None:
        where.append(f"{alias}.id = ?")
        params.append(f.post_id)
    return where, params


class SearchIndex:
    """Queries over the word index, the trigram index and the lexicon."""

    def __init__(self, store: Connection) -> None:
        self.path = store.path
        self._c = store.conn

    @guarded
    def word_window(self, expr: str, f: IndexFilter, limit: int) -> list[tuple[int, int]]:
        """(passage id, post id) of the passages matching an FTS5 expression, newest passage first, at
        most ``limit``. Filters apply before the bound; index rows of removed passages never count
        (the join with passages drops them)."""
        joins = " JOIN passages p ON p.id = i.rowid"
        where, params = _post_conditions(f)
        if where:
            joins += " JOIN posts po ON po.id = p.post_id"
        if f.topic:
            joins += " JOIN sections s ON s.id = p.section_id"
            where.append("instr(s.heading_folded, ?) > 0")
            params.append(f.topic)
        cond = "".join(" AND " + w for w in where)
        sql = (
            f"SELECT i.rowid, p.post_id FROM passages_fts i{joins} WHERE passages_fts MATCH ?{cond} "
            "ORDER BY i.rowid DESC LIMIT ?"
        )
        return self._c.execute(sql, [expr, *params, limit]).fetchall()

    @guarded
    def word_in_post(self, expr: str, head: PostHead, topic: str | None = None) -> list[int]:
        """Ids of one post's passages that match an FTS5 expression."""
        lo, hi = id_run(head.first, head.passages)
        sql = "SELECT i.rowid FROM passages_fts i"
        params: list[Any] = [expr, lo, hi]
        cond = ""
        if topic:
            sql += " JOIN passages p ON p.id = i.rowid JOIN sections s ON s.id = p.section_id"
            cond = " AND instr(s.heading_folded, ?) > 0"
            params.append(topic)
        sql += f" WHERE passages_fts MATCH ? AND i.rowid BETWEEN ? AND ?{cond}"
        return [int(r[0]) for r in self._c.execute(sql, params)]

    @guarded
    def heads(self, ids: Sequence[int]) -> dict[int, PostHead]:
        """What ranking needs of these posts, by post id (ids of removed posts are left out)."""
        if not ids:
            return {}
        q = (  # one statement for any number of ids (json_each), rows taken as SQLite gives them
            "SELECT id, passages_from, passages_n, title, title_from, date, url, chars FROM posts "
            "WHERE id IN (SELECT value FROM json_each(?))"
        )
        make = PostHead._make
        return {r[0]: make(r) for r in self._c.execute(q, (json.dumps(list(ids)),))}

    @guarded
    def post_count(self) -> int:
        """How many posts there are."""
        return int(self._c.execute("SELECT count(*) FROM posts").fetchone()[0])

    @guarded
    def last_post(self) -> int:
        """The highest post number in use (posts are numbered in the order they were added)."""
        return int(self._c.execute("SELECT coalesce(max(id), 0) FROM posts").fetchone()[0])

    @guarded
    def passages(self, ids: Sequence[int], *, text: bool = True) -> dict[int, PassageRow]:
        """Passages by id, with their section's heading, and their text unless ``text`` is false (each
        post's text is read once, not once per passage)."""
        out: dict[int, PassageRow] = {}
        q = (
            'SELECT p.id, p.post_id, p.section_id, s.heading, s.start, p.start, p."end", p.line '
            "FROM passages p LEFT JOIN sections s ON s.id = p.section_id WHERE p.id IN (?)"
        )
        rows = list(rows_in(self._c, q, ids))
        texts = self.post_texts({int(r[1]) for r in rows}) if text else {}
        for r in rows:
            body = texts.get(int(r[1]), "")
            out[int(r[0])] = PassageRow(
                int(r[0]),
                int(r[1]),
                r[2],
                r[3],
                r[4],
                int(r[5]),
                int(r[6]),
                r[7],
                body[int(r[5]) : int(r[6])],
            )
        return out

    @guarded
    def post_texts(self, ids: Iterable[int]) -> dict[int, str]:
        """The texts of these posts, by id."""
        q = "SELECT post_id, text FROM texts WHERE post_id IN (?)"
        return {int(r[0]): str(r[1]) for r in rows_in(self._c, q, ids)}

    @guarded
    def trigram_posts(self, expr: str) -> set[int]:
        """The posts whose folded text holds every trigram of the expression (a superset to verify)."""
        return {
            int(r[0]) for r in self._c.execute("SELECT rowid FROM posts_tri WHERE posts_tri MATCH ?", (expr,))
        }

    @guarded
    def posts_matching(self, expr: str, heads: Sequence[PostHead]) -> set[int]:
        """Those of these posts that have a passage matching an FTS5 expression. The index is read
        only over the span of passage ids these posts hold (a post's passages are one run of ids):
        a common word's matches elsewhere in the database are never visited."""
        runs = [id_run(h.first, h.passages) for h in heads if h.passages]
        if not runs:
            return set()
        sql = (
            "SELECT DISTINCT p.post_id FROM passages_fts i JOIN passages p ON p.id = i.rowid "
            "WHERE passages_fts MATCH ? AND i.rowid BETWEEN ? AND ? "
            "AND p.post_id IN (SELECT value FROM json_each(?))"
        )
        lo, hi = min(a for a, _ in runs), max(b for _, b in runs)
        ids = json.dumps([h.id for h in heads])
        return {int(r[0]) for r in self._c.execute(sql, (expr, lo, hi, ids))}

    @guarded
    def posts_holding(self, ids: Sequence[int], string: str) -> set[int]:
        """Those of these posts whose stored text holds the string as written."""
        if not ids:
            return set()
        sql = (
            "SELECT post_id FROM texts WHERE post_id IN (SELECT value FROM json_each(?)) "
            "AND instr(text, ?) > 0"
        )
        return {int(r[0]) for r in self._c.execute(sql, (json.dumps(list(ids)), string))}

    @guarded
    def post_text(self, post_id: int) -> str:
        row = self._c.execute("SELECT text FROM texts WHERE post_id = ?", (post_id,)).fetchone()
        return "" if row is None else str(row[0])

    @guarded
    def passage_spans_of(self, heads: Sequence[PostHead]) -> dict[int, list[tuple[int, int, int]]]:
        """(id, start, end) of the passages of each of these posts, in order, by post id."""
        # one range read per post: SQLite scans the whole table for ranges joined by OR
        return {h.id: self.passage_spans(h) for h in heads}

    @guarded
    def passage_spans(self, head: PostHead) -> list[tuple[int, int, int]]:
        """(id, start, end) of a post's passages, in order."""
        rows = self._c.execute(
            'SELECT id, start, "end" FROM passages WHERE id BETWEEN ? AND ? ORDER BY id',
            id_run(head.first, head.passages),
        )
        return [(r[0], r[1], r[2]) for r in rows]  # integer columns, as tuples

    @guarded
    def newest_posts(self, limit: int, min_post: int = 0) -> list[int]:
        """The numbers of the most recently added posts (from ``min_post`` on), newest first."""
        return [
            int(r[0])
            for r in self._c.execute(
                "SELECT id FROM posts WHERE id >= ? ORDER BY id DESC LIMIT ?", (min_post, limit)
            )
        ]

    @guarded_iter
    def texts(
        self, ids: Sequence[int], f: IndexFilter, holding: Sequence[str] = ()
    ) -> Iterator[tuple[int, str]]:
        """(id, text) of these posts that pass the filter's post conditions and hold each of the
        ``holding`` strings as written (one of them may be a folded spelling: the caller verifies), in
        the order of ``ids``."""
        where, params = _post_conditions(f)
        for x in holding:
            where.append("instr(t.text, ?) > 0")
            params.append(x)
        cond = "".join(" AND " + w for w in where)
        for part in chunks(list(ids), 100):
            rows = {
                int(r[0]): str(r[1])
                for r in self._c.execute(
                    f"SELECT po.id, t.text FROM posts po JOIN texts t ON t.post_id = po.id "
                    f"WHERE po.id IN ({','.join('?' * len(part))}){cond}",
                    [*part, *params],
                )
            }
            for pid in part:
                if pid in rows:
                    yield pid, rows[pid]

    @guarded
    def sections_of(self, post_id: int) -> list[tuple[str | None, int, int]]:
        """(heading, start, end) of a post's sections."""
        return [
            (r[0], int(r[1]), int(r[2]))
            for r in self._c.execute(
                'SELECT heading, start, "end" FROM sections WHERE id BETWEEN '
                "(SELECT sections_from FROM posts WHERE id = ?) AND "
                "(SELECT sections_from + sections_n - 1 FROM posts WHERE id = ?)",
                (post_id, post_id),
            )
        ]

    # ------------------------------------------------------------------------------ lexicon

    @guarded
    def units_of(self, surfaces: Sequence[str]) -> dict[str, str]:
        """How the lexicon segments these words: surface → its folded normalized short units."""
        q = "SELECT surface, units FROM lexicon WHERE surface IN (?)"
        return {str(r[0]): str(r[1]) for r in rows_in(self._c, q, surfaces)}

    @guarded
    def surfaces_of(self, units: Sequence[str]) -> dict[str, list[str]]:
        """The words seen with these units (one short unit each): units → surfaces, for highlighting."""
        out: dict[str, list[str]] = {}
        for u, s in rows_in(self._c, "SELECT units, surface FROM lexicon WHERE units IN (?)", units):
            out.setdefault(str(u), []).append(str(s))
        return out

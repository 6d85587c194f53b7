"""Reading posts back: the list of `kb posts`, one post with its structure, counts, and which posts a
path holds."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from kb.models import Counts, PassageSpan, PostSummary, SectionSpan, StoredPost
from kb.store.connection import guarded

if TYPE_CHECKING:
    from kb.store.connection import Connection

_LIST_ALL = 500  # listing more posts than this reads every heading in one pass instead of by post


def id_run(first: int, n: int) -> tuple[int, int]:
    """The first and last id of a run of ``n`` ids from ``first`` ((0, -1) when there are none)."""
    return (int(first), int(first) + int(n) - 1) if n else (0, -1)


def like_prefix(prefix: str) -> str:
    """A LIKE pattern (with ESCAPE '\\') for strings that start with ``prefix``."""
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def chunks(items: Sequence[Any], n: int = 500) -> Iterable[Sequence[Any]]:
    """The items in parts of at most ``n``."""
    for i in range(0, len(items), n):
        yield items[i : i + n]


def rows_in(conn: sqlite3.Connection, sql: str, keys: Iterable[Any]) -> Iterator[Any]:
    """The rows of ``sql`` for the keys, each key asked once, in sorted parts of at most 500 (SQLite
    limits the parameters of one statement): the ``IN (?)`` of ``sql`` stands for a part's list."""
    for part in chunks(sorted(set(keys))):
        yield from conn.execute(sql.replace("IN (?)", f"IN ({','.join('?' * len(part))})"), part)


class PostReads:
    """Posts as the views and the library read them."""

    def __init__(self, store: Connection) -> None:
        self.path = store.path
        self._c = store.conn

    @guarded
    def summaries(self, limit: int | None = None, ids: Sequence[int] | None = None) -> list[PostSummary]:
        """Posts in order of their number, with their sources and headings."""
        sql = (
            "SELECT id, title, title_from, date, author, url, categories, photos, sections_from, sections_n "
            "FROM posts"
        )
        params: list[Any] = []
        if ids is not None:
            if not ids:
                return []
            sql += f" WHERE id IN ({','.join('?' * len(ids))})"
            params.extend(ids)
        sql += " ORDER BY id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        rows = self._c.execute(sql, params).fetchall()
        if not rows:
            return []
        sources = self._sources([int(r["id"]) for r in rows])
        headings = self._headings({int(r["id"]): id_run(r["sections_from"], r["sections_n"]) for r in rows})
        return [
            PostSummary(
                id=int(r["id"]),
                title=str(r["title"]),
                title_from=str(r["title_from"]),
                date=r["date"],
                author=r["author"],
                url=r["url"],
                sources=tuple(sources.get(int(r["id"]), ())),
                categories=tuple(json.loads(r["categories"] or "[]")),
                headings=tuple(headings.get(int(r["id"]), ())),
                photos=int(r["photos"]),
            )
            for r in rows
        ]

    @guarded
    def sources(self, ids: list[int]) -> dict[int, list[str]]:
        """The files that hold each of these posts, in the order they were imported."""
        return self._sources(ids) if ids else {}

    def _sources(self, ids: list[int]) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        query = (
            "SELECT pf.post_id, f.path FROM post_files pf JOIN files f ON f.id = pf.file_id "
            "WHERE pf.post_id {} ORDER BY pf.post_id, f.id"
        )
        if len(ids) > _LIST_ALL:
            lo, hi = min(ids), max(ids)
            cursor = self._c.execute(query.format("BETWEEN ? AND ?"), (lo, hi))
        else:
            cursor = self._c.execute(query.format(f"IN ({','.join('?' * len(ids))})"), ids)
        for post_id, path in cursor:
            paths = out.setdefault(int(post_id), [])
            if path not in paths:
                paths.append(str(path))
        return out

    def _headings(self, runs: dict[int, tuple[int, int]]) -> dict[int, list[str]]:
        """Each post's headings: one pass over the sections for a long list, else a range read per
        post (a post's sections are one run of ids)."""
        out: dict[int, list[str]] = {}
        if len(runs) > _LIST_ALL:
            wanted = set(runs)
            for pid, heading in self._c.execute(
                "SELECT post_id, heading FROM sections WHERE heading IS NOT NULL ORDER BY id"
            ):
                if int(pid) in wanted:
                    out.setdefault(int(pid), []).append(str(heading))
            return out
        for pid, run in runs.items():
            out[pid] = [
                str(r[0])
                for r in self._c.execute(
                    "SELECT heading FROM sections WHERE id BETWEEN ? AND ? AND heading IS NOT NULL ORDER BY id",
                    run,
                )
            ]
        return out

    @guarded
    def get(self, post_id: int) -> StoredPost | None:
        """One post with its text, sections and passages."""
        found = self.summaries(ids=[post_id])
        if not found:
            return None
        row = self._c.execute(
            "SELECT p.uid, t.text, p.body_start, p.sections_from, p.sections_n, p.passages_from, p.passages_n "
            "FROM posts p JOIN texts t ON t.post_id = p.id WHERE p.id = ?",
            (post_id,),
        ).fetchone()
        sections = self._c.execute(
            'SELECT id, heading, start, "end" FROM sections WHERE id BETWEEN ? AND ? ORDER BY id',
            id_run(row["sections_from"], row["sections_n"]),
        ).fetchall()
        ords = {int(s["id"]): i for i, s in enumerate(sections)}
        passages = self._c.execute(
            'SELECT id, section_id, start, "end", line FROM passages WHERE id BETWEEN ? AND ? ORDER BY id',
            id_run(row["passages_from"], row["passages_n"]),
        ).fetchall()
        return StoredPost(
            summary=found[0],
            uid=str(row["uid"]),
            text=str(row["text"]),
            body_start=int(row["body_start"]),
            sections=tuple(
                SectionSpan(heading=s["heading"], start=int(s["start"]), end=int(s["end"])) for s in sections
            ),
            passages=tuple(
                PassageSpan(
                    id=int(p["id"]),
                    section=None if p["section_id"] is None else ords.get(int(p["section_id"])),
                    start=int(p["start"]),
                    end=int(p["end"]),
                    line=p["line"],
                )
                for p in passages
            ),
        )

    @guarded
    def ids(self) -> list[int]:
        """Every post's number, in order."""
        return [int(r[0]) for r in self._c.execute("SELECT id FROM posts ORDER BY id")]

    @guarded
    def existing(self, ids: Iterable[int]) -> set[int]:
        """Which of these post numbers exist."""
        return {int(r[0]) for r in rows_in(self._c, "SELECT id FROM posts WHERE id IN (?)", ids)}

    @guarded
    def files_under(self, path: str) -> list[tuple[int, str]]:
        """The recorded files at a path or inside a folder: (file id, path)."""
        return [
            (int(r[0]), str(r[1]))
            for r in self._c.execute(
                "SELECT id, path FROM files WHERE path = ? OR path LIKE ? ESCAPE '\\' ORDER BY id",
                (path, like_prefix(path.rstrip("/") + "/")),
            )
        ]

    @guarded
    def counts(self) -> Counts:
        def n(table: str) -> int:
            return int(self._c.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

        return Counts(
            files=n("files"),
            posts=n("posts"),
            sections=n("sections"),
            passages=n("passages"),
            facts=n("facts"),
            names=n("names"),
            synonyms=n("synonyms"),
        )

"""The storage layer: the only module that knows SQL. Plain SQLite tables plus two FTS5 indexes.

Tables (readable with any SQLite tool): ``files``, ``posts``, ``sections``, ``passages``, ``facts``,
``names``, ``meta``; ``passages_fts`` indexes the segmented passages (built-in unicode61 tokenizer
over space-separated Sudachi units) and ``passages_tri`` the folded passage text (trigram).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.errors import DatabaseError
from kb.textnorm import fold

BUSY_TIMEOUT_MS = 60_000
MIGRATION_SET = "kb"


@dataclass(slots=True)
class Filters:
    """Filters shared by search, facts and export."""

    since: str | None = None  # ISO date, inclusive
    until: str | None = None
    topic: str | None = None  # folded; matched against folded section headings
    post_id: int | None = None


@dataclass(slots=True)
class PassageRow:
    """A passage ready to be written: offsets, folded text and its segmented index columns."""

    section: int
    start: int
    end: int
    line: int
    folded: str
    short: str  # folded surfaces of short units, space-separated
    norm: str  # folded normalized forms of short units
    long: str  # folded surfaces of long units


@dataclass(slots=True)
class FactRow:
    """A fact ready to be written; ``passage`` indexes the post's passages."""

    passage: int | None
    kind: str
    surface: str
    start: int
    end: int
    value_num: float | None
    value_text: str | None
    value_max: float | None
    unit: str | None
    qualifier: str | None
    note: str | None


@dataclass(slots=True)
class PostRecord:
    """A post with everything to store for it."""

    uid: str
    title: str
    date: str | None
    author: str | None
    url: str | None
    categories: list[str]
    text: str
    photos: int
    title_line: int
    sections: list[tuple[str | None, int, int]]
    passages: list[PassageRow]
    facts: list[FactRow]


# --------------------------------------------------------------------------- schema


def _m001_initial(conn: sqlite3.Connection) -> None:
    conn.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE files (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            format TEXT,
            encoding TEXT,
            imported_at TEXT NOT NULL DEFAULT (datetime('now'))
        );
        CREATE TABLE posts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uid TEXT NOT NULL UNIQUE,
            file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            title TEXT NOT NULL,
            date TEXT,
            author TEXT,
            url TEXT,
            categories TEXT NOT NULL DEFAULT '[]',
            text TEXT NOT NULL,
            photos INTEGER NOT NULL DEFAULT 0,
            title_line INTEGER
        );
        CREATE INDEX posts_file ON posts(file_id);
        CREATE INDEX posts_date ON posts(date);
        CREATE TABLE sections (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            heading TEXT,
            heading_folded TEXT,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL
        );
        CREATE INDEX sections_post ON sections(post_id);
        CREATE TABLE passages (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
            section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            line INTEGER,
            folded TEXT NOT NULL
        );
        CREATE INDEX passages_post ON passages(post_id);
        CREATE INDEX passages_section ON passages(section_id);
        CREATE VIRTUAL TABLE passages_fts USING fts5(
            short, norm, long, content='', tokenize='unicode61 remove_diacritics 0'
        );
        CREATE VIRTUAL TABLE passages_tri USING fts5(
            folded, content='passages', content_rowid='id', tokenize='trigram', detail='none'
        );
        CREATE TABLE facts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
            passage_id INTEGER REFERENCES passages(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            surface TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            value_num REAL,
            value_text TEXT,
            value_max REAL,
            unit TEXT,
            qualifier TEXT,
            note TEXT
        );
        CREATE INDEX facts_post ON facts(post_id);
        CREATE INDEX facts_kind_unit ON facts(kind, unit);
        CREATE INDEX facts_passage ON facts(passage_id);
        CREATE TABLE names (
            surface TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('org', 'place')),
            added_at TEXT NOT NULL DEFAULT (datetime('now'))
        );
        """
    )


MIGRATIONS: list[tuple[str, Any]] = [("m001_initial", _m001_initial)]
KB_TABLES = {"files", "posts", "sections", "passages", "facts", "names", "meta"}


# --------------------------------------------------------------------------- connection


class Store:
    """A kb database. Opening checks that the file is a kb database this version understands."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = str(path)
        self.readonly = readonly
        self.conn = self._connect()
        try:
            self._check_and_migrate()
        except BaseException:
            self.conn.close()
            raise

    def _connect(self) -> sqlite3.Connection:
        p = Path(self.path)
        if self.readonly:
            if not p.exists():
                raise DatabaseError(
                    f"データベースがありません: {self.path} (先に kb import を実行してください)"
                )
            uri = f"file:{p.resolve()}?mode=ro"
        else:
            if p.exists() and p.is_dir():
                raise DatabaseError(
                    f"{self.path} はディレクトリです。データベースのファイル名を指定してください"
                )
            try:
                p.parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise DatabaseError(f"データベースの場所を作れません: {self.path} ({err.strerror})") from None
            uri = f"file:{p.resolve()}?mode=rwc"
        try:
            conn = sqlite3.connect(
                uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA schema_version").fetchone()  # forces a read of the header
        except sqlite3.DatabaseError as err:
            raise DatabaseError(
                f"{self.path} は kb のデータベースではないか、壊れています ({err}). "
                "別のファイルを --db で指定してください"
            ) from None
        return conn

    def _check_and_migrate(self) -> None:
        try:
            tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            applied: list[str] = []
            if "_sqlite_migrations" in tables:
                applied = [
                    r[0]
                    for r in self.conn.execute(
                        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
                        (MIGRATION_SET,),
                    )
                ]
            if self.conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise DatabaseError(f"{self.path} は壊れています (integrity check failed)")
        except sqlite3.DatabaseError as err:
            raise DatabaseError(f"{self.path} は kb のデータベースではないか、壊れています ({err})") from None
        known = [name for name, _ in MIGRATIONS]
        unknown = [a for a in applied if a not in known]
        if unknown:
            raise DatabaseError(
                f"{self.path} は新しい版の kb で作られています (schema {unknown[-1]}); kb を更新してください"
            )
        user_tables = {
            t for t in tables if not t.startswith(("sqlite_", "_sqlite_", "passages_fts", "passages_tri"))
        }
        if not applied and user_tables:
            raise DatabaseError(
                f"{self.path} は kb のデータベースではありません (tables: {', '.join(sorted(user_tables)[:5])})"
            )
        pending = [(n, fn) for n, fn in MIGRATIONS if n not in applied]
        if not pending:
            self._journal()
            return
        if self.readonly:
            raise DatabaseError(f"{self.path} は古い形式です; 書き込みできる状態で kb を一度実行してください")
        self._journal()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            # re-read under the write lock: another process may have migrated meanwhile
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS _sqlite_migrations "
                "(migration_set TEXT, name TEXT, applied_at TEXT, PRIMARY KEY (migration_set, name))"
            )
            done = {
                r[0]
                for r in self.conn.execute(
                    "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (MIGRATION_SET,)
                )
            }
            for name, fn in MIGRATIONS:
                if name in done:
                    continue
                fn(_NoCommit(self.conn))
                self.conn.execute(
                    "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                    "VALUES (?, ?, datetime('now'))",
                    (MIGRATION_SET, name),
                )
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as err:
            self._rollback()
            if "readonly" in str(err) or "read-only" in str(err):
                raise DatabaseError(f"{self.path} に書き込めません (読み取り専用)") from None
            raise DatabaseError(f"{self.path} を準備できません ({err})") from None

    def _journal(self) -> None:
        if self.readonly:
            return
        try:
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.OperationalError:
            pass  # e.g. a read-only directory: stay in rollback-journal mode

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so writers queue on busy_timeout."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            raise DatabaseError(self._write_message(err)) from None
        try:
            yield
        except BaseException:
            self._rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as err:
            self._rollback()
            raise DatabaseError(self._write_message(err)) from None

    def _write_message(self, err: sqlite3.OperationalError) -> str:
        text = str(err)
        if "readonly" in text or "read-only" in text:
            return f"{self.path} に書き込めません (読み取り専用)"
        if "locked" in text or "busy" in text:
            return f"{self.path} は他の kb が使用中です。しばらくしてからもう一度実行してください"
        return f"{self.path} に書き込めません ({text})"

    # ----------------------------------------------------------------------- meta

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def schema_version(self) -> str:
        row = self.conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid DESC LIMIT 1",
            (MIGRATION_SET,),
        ).fetchone()
        return str(row[0]) if row else "none"

    # ----------------------------------------------------------------------- files and posts

    def file_sha(self, path: str) -> str | None:
        row = self.conn.execute("SELECT sha256 FROM files WHERE path = ?", (path,)).fetchone()
        return None if row is None else str(row[0])

    def post_counts(self, path: str) -> int:
        row = self.conn.execute(
            "SELECT count(*) FROM posts JOIN files ON files.id = posts.file_id WHERE files.path = ?", (path,)
        ).fetchone()
        return int(row[0])

    def begin_file(self, path: str, sha: str, size: int, fmt: str, encoding: str) -> int:
        """Record a file about to be (re)imported; returns its id. Must run inside ``transaction``."""
        row = self.conn.execute("SELECT id FROM files WHERE path = ?", (path,)).fetchone()
        if row is None:
            cur = self.conn.execute(
                "INSERT INTO files (path, sha256, size, format, encoding) VALUES (?, ?, ?, ?, ?)",
                (path, sha, size, fmt, encoding),
            )
            return int(cur.lastrowid or 0)
        self.conn.execute(
            "UPDATE files SET sha256 = ?, size = ?, format = ?, encoding = ?, imported_at = datetime('now') "
            "WHERE id = ?",
            (sha, size, fmt, encoding, int(row[0])),
        )
        return int(row[0])

    def known_uids(self, path: str) -> frozenset[str]:
        """The uids of the posts a file held at its last import."""
        return frozenset(
            str(r[0])
            for r in self.conn.execute(
                "SELECT uid FROM posts JOIN files ON files.id = posts.file_id WHERE files.path = ?", (path,)
            )
        )

    def mark_stale(self, file_id: int) -> None:
        """Make the next import of a file analyse it again."""
        self.conn.execute("UPDATE files SET sha256 = '' WHERE id = ?", (file_id,))

    def has_post(self, uid: str) -> bool:
        return self.conn.execute("SELECT 1 FROM posts WHERE uid = ?", (uid,)).fetchone() is not None

    def add_post(self, file_id: int, ord_: int, post: PostRecord) -> bool:
        """Store a post unless a post with the same content exists (then only its order is updated).
        Returns whether it was added."""
        existing = self.conn.execute("SELECT id FROM posts WHERE uid = ?", (post.uid,)).fetchone()
        if existing is not None:
            self.conn.execute(
                "UPDATE posts SET ord = ? WHERE id = ? AND file_id = ?", (ord_, existing[0], file_id)
            )
            return False
        self._insert_post(file_id, ord_, post)
        return True

    def finish_file(self, file_id: int, keep: set[str]) -> int:
        """Remove the posts a file no longer holds; returns how many."""
        old = self.conn.execute("SELECT id, uid FROM posts WHERE file_id = ?", (file_id,)).fetchall()
        removed = 0
        for post_id, uid in old:
            if uid not in keep:
                self._delete_post(int(post_id))
                removed += 1
        return removed

    def replace_file(
        self, path: str, sha: str, size: int, fmt: str, encoding: str, posts: Sequence[PostRecord]
    ) -> tuple[int, int, int]:
        """Store a file's posts, replacing what the file held before. Must run inside ``transaction``.

        Returns (added, unchanged, removed) post counts. A post already stored (same content, from
        this file or another) is kept as it is, so importing twice never duplicates anything.
        """
        file_id = self.begin_file(path, sha, size, fmt, encoding)
        removed = self.finish_file(file_id, {p.uid for p in posts})
        added = sum(self.add_post(file_id, i, p) for i, p in enumerate(posts))
        return added, len(posts) - added, removed

    def _insert_post(self, file_id: int, ord_: int, post: PostRecord) -> None:
        c = self.conn
        post_id = int(
            c.execute(
                "INSERT INTO posts (uid, file_id, ord, title, date, author, url, categories, text, photos, title_line) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    post.uid,
                    file_id,
                    ord_,
                    post.title,
                    post.date,
                    post.author,
                    post.url,
                    json.dumps(post.categories, ensure_ascii=False),
                    post.text,
                    post.photos,
                    post.title_line,
                ),
            ).lastrowid
            or 0
        )
        section_ids = []
        for i, (heading, start, end) in enumerate(post.sections):
            section_ids.append(
                int(
                    c.execute(
                        'INSERT INTO sections (post_id, ord, heading, heading_folded, start, "end") '
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        (post_id, i, heading, None if heading is None else fold(heading), start, end),
                    ).lastrowid
                    or 0
                )
            )
        passage_ids = []
        for p in post.passages:
            pid = int(
                c.execute(
                    'INSERT INTO passages (post_id, section_id, start, "end", line, folded) VALUES (?, ?, ?, ?, ?, ?)',
                    (post_id, section_ids[p.section], p.start, p.end, p.line or None, p.folded),
                ).lastrowid
                or 0
            )
            passage_ids.append(pid)
        c.executemany(
            "INSERT INTO passages_fts (rowid, short, norm, long) VALUES (?, ?, ?, ?)",
            [(pid, p.short, p.norm, p.long) for pid, p in zip(passage_ids, post.passages, strict=True)],
        )
        c.executemany(
            "INSERT INTO passages_tri (rowid, folded) VALUES (?, ?)",
            [(pid, p.folded) for pid, p in zip(passage_ids, post.passages, strict=True)],
        )
        self._insert_facts(post_id, passage_ids, post.facts)

    def _delete_post(self, post_id: int) -> None:
        c = self.conn
        # passages_tri is external-content: delete its entries with the stored values.
        c.execute(
            "INSERT INTO passages_tri (passages_tri, rowid, folded) "
            "SELECT 'delete', id, folded FROM passages WHERE post_id = ?",
            (post_id,),
        )
        # passages_fts is contentless: its stale rows are dropped from results by the join with
        # passages (ids are AUTOINCREMENT, never reused) and purged by ``kb reindex``.
        c.execute("DELETE FROM facts WHERE post_id = ?", (post_id,))
        c.execute("DELETE FROM passages WHERE post_id = ?", (post_id,))
        c.execute("DELETE FROM sections WHERE post_id = ?", (post_id,))
        c.execute("DELETE FROM posts WHERE id = ?", (post_id,))

    def remove_posts(self, post_ids: Iterable[int]) -> int:
        n = 0
        for pid in post_ids:
            self._delete_post(pid)
            n += 1
        self.conn.execute("DELETE FROM files WHERE id NOT IN (SELECT file_id FROM posts)")
        return n

    def post_ids_for_path(self, path: str) -> list[int]:
        return [
            int(r[0])
            for r in self.conn.execute(
                "SELECT posts.id FROM posts JOIN files ON files.id = posts.file_id "
                "WHERE files.path = ? OR files.path LIKE ? ESCAPE '\\'",
                (path, _like_prefix(path.rstrip("/") + "/")),
            )
        ]

    def clear_index(self) -> None:
        """Empty the derived indexes and facts (for ``kb reindex``); posts, sections, passages stay."""
        c = self.conn
        c.execute("DELETE FROM facts")
        c.execute("INSERT INTO passages_fts (passages_fts) VALUES ('delete-all')")

    def add_index(
        self,
        post_id: int,
        passage_ids: Sequence[int],
        passages: Sequence[PassageRow],
        facts: Sequence[FactRow],
    ) -> None:
        """Write the word index and the facts of a stored post again (``kb reindex``)."""
        c = self.conn
        c.executemany(
            "INSERT INTO passages_fts (rowid, short, norm, long) VALUES (?, ?, ?, ?)",
            [(pid, p.short, p.norm, p.long) for pid, p in zip(passage_ids, passages, strict=True)],
        )
        self._insert_facts(post_id, passage_ids, facts)

    def _insert_facts(self, post_id: int, passage_ids: Sequence[int], facts: Sequence[FactRow]) -> None:
        self.conn.executemany(
            'INSERT INTO facts (post_id, passage_id, kind, surface, start, "end", value_num, value_text, '
            "value_max, unit, qualifier, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    post_id,
                    None if f.passage is None else passage_ids[f.passage],
                    f.kind,
                    f.surface,
                    f.start,
                    f.end,
                    f.value_num,
                    f.value_text,
                    f.value_max,
                    f.unit,
                    f.qualifier,
                    f.note,
                )
                for f in facts
            ],
        )

    # ----------------------------------------------------------------------- names

    def names(self) -> list[tuple[str, str]]:
        return [
            (str(r[0]), str(r[1]))
            for r in self.conn.execute("SELECT surface, kind FROM names ORDER BY surface")
        ]

    def add_name(self, surface: str, kind: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO names (surface, kind) VALUES (?, ?)", (surface, kind))

    def remove_name(self, surface: str) -> bool:
        return self.conn.execute("DELETE FROM names WHERE surface = ?", (surface,)).rowcount > 0

    # ----------------------------------------------------------------------- reading

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("files", "posts", "sections", "passages", "facts", "names"):
            out[table] = int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        return out

    def list_posts(
        self, limit: int | None = None, post_ids: Sequence[int] | None = None
    ) -> list[dict[str, Any]]:
        """Posts in import order with their metadata and section headings."""
        sql = (
            "SELECT posts.id, title, date, author, url, categories, photos, files.path AS source, title_line, "
            "length(text) AS chars FROM posts JOIN files ON files.id = posts.file_id"
        )
        params: list[Any] = []
        if post_ids is not None:
            sql += f" WHERE posts.id IN ({','.join('?' * len(post_ids))})"
            params.extend(post_ids)
        sql += " ORDER BY posts.id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        rows = [dict(r) for r in self.conn.execute(sql, params)]
        if not rows:
            return rows
        ids = [r["id"] for r in rows]
        heads: dict[int, list[str]] = {i: [] for i in ids}
        for chunk in _chunks(ids, 500):
            for r in self.conn.execute(
                f"SELECT post_id, heading FROM sections WHERE heading IS NOT NULL AND post_id IN "
                f"({','.join('?' * len(chunk))}) ORDER BY post_id, ord",
                chunk,
            ):
                heads[int(r[0])].append(str(r[1]))
        for r in rows:
            r["categories"] = json.loads(r["categories"] or "[]")
            r["sections"] = heads[r["id"]]
        return rows

    def get_post(self, post_id: int) -> dict[str, Any] | None:
        rows = self.list_posts(post_ids=[post_id])
        if not rows:
            return None
        post = rows[0]
        row = self.conn.execute("SELECT text, uid FROM posts WHERE id = ?", (post_id,)).fetchone()
        post["text"], post["uid"] = row[0], row[1]
        post["section_spans"] = [
            dict(r)
            for r in self.conn.execute(
                'SELECT id, ord, heading, start, "end" FROM sections WHERE post_id = ? ORDER BY ord',
                (post_id,),
            )
        ]
        post["passages"] = [
            dict(r)
            for r in self.conn.execute(
                'SELECT passages.id, sections.ord AS section, passages.start, passages."end", passages.line '
                "FROM passages JOIN sections ON sections.id = passages.section_id "
                "WHERE passages.post_id = ? ORDER BY passages.id",
                (post_id,),
            )
        ]
        return post

    def all_post_ids(self) -> list[int]:
        return [int(r[0]) for r in self.conn.execute("SELECT id FROM posts ORDER BY id")]

    # ----------------------------------------------------------------------- search

    @staticmethod
    def _filter_sql(filters: Filters, excluded: Sequence[str]) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if filters.since:
            where.append("po.date >= ?")
            params.append(filters.since)
        if filters.until:
            where.append("po.date <= ?")
            params.append(filters.until)
        if filters.topic:
            where.append("instr(s.heading_folded, ?) > 0")
            params.append(filters.topic)
        if filters.post_id is not None:
            where.append("p.post_id = ?")
            params.append(filters.post_id)
        for ex in excluded:
            where.append("instr(p.folded, ?) = 0")
            params.append(ex)
        return ("".join(" AND " + w for w in where), params)

    def match_words(
        self, expr: str, filters: Filters, excluded: Sequence[str], limit: int
    ) -> list[tuple[int, float]]:
        """Passage ids matching an FTS5 expression (built by kb.search, never raw user text), best first,
        with a positive BM25 score."""
        where, params = self._filter_sql(filters, excluded)
        sql = (
            "SELECT p.id, bm25(passages_fts, 1.0, 0.8, 0.9) AS score FROM passages_fts "
            "JOIN passages p ON p.id = passages_fts.rowid "
            "JOIN posts po ON po.id = p.post_id JOIN sections s ON s.id = p.section_id "
            f"WHERE passages_fts MATCH ?{where} ORDER BY score LIMIT ?"
        )
        try:
            return [(int(r[0]), -float(r[1])) for r in self.conn.execute(sql, [expr, *params, limit])]
        except sqlite3.OperationalError as err:  # pragma: no cover - expressions are built, not typed
            raise DatabaseError(f"検索できませんでした ({err})") from None

    def match_substrings(
        self,
        groups: Sequence[Sequence[str]],
        filters: Filters,
        excluded: Sequence[str],
        limit: int,
        exclude_ids: set[int],
        allow_scan: bool = True,
    ) -> list[int]:
        """Passage ids whose folded text contains, for every group, one of its strings; most recent first.

        Strings of three or more characters are narrowed through the trigram index; shorter ones
        need a scan of the passages, done only when ``allow_scan``.
        """
        if not groups:
            return []
        indexed = [g for g in groups if all(len(s) >= 3 for s in g)]
        if not indexed and not allow_scan:
            return []
        where, params = self._filter_sql(filters, excluded)
        conds: list[str] = []
        cparams: list[Any] = []
        for g in groups:
            conds.append("(" + " OR ".join("instr(p.folded, ?) > 0" for _ in g) + ")")
            cparams.extend(g)
        tri = ""
        tparams: list[Any] = []
        if indexed:
            tri_expr = " AND ".join(
                "(" + " OR ".join("(" + " AND ".join(_trigrams(s)) + ")" for s in g) + ")" for g in indexed
            )
            tri = " AND p.id IN (SELECT rowid FROM passages_tri WHERE passages_tri MATCH ?)"
            tparams.append(tri_expr)
        sql = (
            "SELECT p.id FROM passages p JOIN posts po ON po.id = p.post_id JOIN sections s ON s.id = p.section_id "
            f"WHERE {' AND '.join(conds)}{tri}{where} ORDER BY po.date DESC, p.id LIMIT ?"
        )
        rows = self.conn.execute(sql, [*cparams, *tparams, *params, limit + len(exclude_ids)])
        return [int(r[0]) for r in rows if int(r[0]) not in exclude_ids][:limit]

    def passage_details(self, ids: Sequence[int]) -> list[sqlite3.Row]:
        """Passages with their post, section and original text, in the order of ``ids``."""
        if not ids:
            return []
        out: dict[int, sqlite3.Row] = {}
        for chunk in _chunks(list(ids), 500):
            for r in self.conn.execute(
                'SELECT p.id, p.post_id, p.line, p.start, p."end", po.title, po.date, po.url, s.heading, '
                'files.path AS source, substr(po.text, p.start + 1, p."end" - p.start) AS text '
                "FROM passages p JOIN posts po ON po.id = p.post_id JOIN sections s ON s.id = p.section_id "
                f"JOIN files ON files.id = po.file_id WHERE p.id IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                out[int(r["id"])] = r
        return [out[i] for i in ids if i in out]


@dataclass(slots=True)
class FactFilters:
    """Filters of `kb facts` and `kb export`."""

    kind: str | None = None
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    topic: str | None = None  # folded: a heading that contains it, or a passage that mentions it
    post_id: int | None = None
    passage_ids: Sequence[int] | None = None  # facts of these passages only (``--query``)
    since: str | None = None
    until: str | None = None


def list_facts(store: Store, f: FactFilters, limit: int | None = None) -> list[dict[str, Any]]:
    """Facts in post and text order; organisations and places once per post (first mention, with a count)."""
    f = _bindable(f)
    where: list[str] = []
    params: list[Any] = []
    if f.kind:
        where.append("fa.kind = ?")
        params.append(f.kind)
    if f.unit:
        where.append("fa.unit = ?")
        params.append(f.unit)
    if f.min is not None:
        where.append("coalesce(fa.value_max, fa.value_num) >= ?")
        params.append(f.min)
    if f.max is not None:
        where.append("fa.value_num <= ?")
        params.append(f.max)
    if f.topic:
        where.append("(instr(s.heading_folded, ?) > 0 OR instr(p.folded, ?) > 0)")
        params.extend([f.topic, f.topic])
    if f.post_id is not None:
        where.append("fa.post_id = ?")
        params.append(f.post_id)
    if f.since:
        where.append("po.date >= ?")
        params.append(f.since)
    if f.until:
        where.append("po.date <= ?")
        params.append(f.until)
    if f.passage_ids is not None:
        ids = list(f.passage_ids) or [-1]
        where.append(f"fa.passage_id IN ({','.join('?' * len(ids))})")
        params.extend(ids)
    # organisations and places are listed once per post under their name (a gloss in brackets
    # dropped: ノウォン(芦原)区役所 → ノウォン区役所), at a mention written that way when there is one
    sql = (
        "SELECT fa.id, fa.kind, "
        "CASE WHEN fa.kind IN ('org', 'place') THEN coalesce(fa.note, fa.surface) ELSE fa.surface END AS surface, "
        "fa.surface AS written, fa.value_num, fa.value_text, fa.value_max, fa.unit, fa.qualifier, "
        "CASE WHEN fa.kind IN ('org', 'place') THEN NULL ELSE fa.note END AS note, "
        'fa.start, fa."end", fa.post_id, po.title, po.date, po.url, files.path AS source, '
        's.heading AS section, p.line, substr(po.text, p.start + 1, p."end" - p.start) AS sentence, '
        "p.start AS sentence_start, "
        "count(*) OVER (PARTITION BY fa.post_id, fa.kind, coalesce(fa.note, fa.surface)) AS mentions, "
        "row_number() OVER (PARTITION BY fa.post_id, fa.kind, coalesce(fa.note, fa.surface) "
        "ORDER BY fa.surface != coalesce(fa.note, fa.surface), fa.start) AS nth "
        "FROM facts fa JOIN posts po ON po.id = fa.post_id JOIN files ON files.id = po.file_id "
        "LEFT JOIN passages p ON p.id = fa.passage_id LEFT JOIN sections s ON s.id = p.section_id"
        + (" WHERE " + " AND ".join(where) if where else "")
    )
    outer = f"SELECT * FROM ({sql}) WHERE kind IN ('quantity', 'date') OR nth = 1 ORDER BY post_id, start"
    if limit is not None:
        outer += " LIMIT ?"
        params.append(limit)
    rows = []
    for r in store.conn.execute(outer, params):
        d = dict(r)
        d["value"] = d["value_num"] if d["kind"] == "quantity" else d["value_text"]
        if d["kind"] == "quantity" and d["value"] is not None and float(d["value"]).is_integer():
            d["value"] = int(d["value"])
        if d["value_max"] is not None and float(d["value_max"]).is_integer():
            d["value_max"] = int(d["value_max"])
        rows.append(d)
    return rows


def _bindable(f: FactFilters) -> FactFilters:
    """Text filters SQLite can bind: characters that cannot be encoded (lone surrogates) dropped."""

    def ok(s: str | None) -> str | None:
        return None if s is None else s.encode("utf-8", "ignore").decode("utf-8")

    return FactFilters(
        f.kind, ok(f.unit), f.min, f.max, ok(f.topic), f.post_id, f.passage_ids, ok(f.since), ok(f.until)
    )


def list_topics(store: Store) -> list[dict[str, Any]]:
    """Section headings across posts, with their post and the number of facts of each kind."""
    sql = (
        "SELECT s.heading, s.post_id, po.title, po.date, "
        "sum(fa.kind = 'quantity') AS quantity, sum(fa.kind = 'date') AS date_facts, "
        "count(DISTINCT CASE WHEN fa.kind = 'org' THEN fa.surface END) AS org, "
        "count(DISTINCT CASE WHEN fa.kind = 'place' THEN fa.surface END) AS place "
        "FROM sections s JOIN posts po ON po.id = s.post_id "
        "LEFT JOIN passages p ON p.section_id = s.id LEFT JOIN facts fa ON fa.passage_id = p.id "
        "WHERE s.heading IS NOT NULL GROUP BY s.id ORDER BY s.post_id, s.ord"
    )
    out = []
    for r in store.conn.execute(sql):
        d = dict(r)
        d["date_facts"] = d["date_facts"] or 0
        d["quantity"] = d["quantity"] or 0
        out.append(d)
    return out


def _chunks(items: list[Any], n: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _trigrams(s: str) -> list[str]:
    """The trigrams of a string as FTS5 literals: ANDed, they narrow a detail=none trigram index."""
    grams = {s[i : i + 3] for i in range(len(s) - 2)}
    return ['"' + g.replace('"', '""') + '"' for g in sorted(grams)]


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class _NoCommit:
    """Hands a migration function the connection without letting it commit on its own."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def executescript(self, script: str) -> None:
        for stmt in _statements(script):
            self._conn.execute(stmt)


def _statements(script: str) -> Iterator[str]:
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                yield buf.strip()
            buf = ""
    if buf.strip():
        yield buf.strip()

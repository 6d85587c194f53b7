"""The storage layer: the only module that knows SQL. Plain SQLite tables plus two FTS5 indexes.

Tables (readable with any SQLite tool): ``files``, ``posts``, ``sections``, ``passages``, ``facts``,
``names``, ``meta``. ``passages_fts`` indexes each passage's Sudachi units (normalized, folded,
space-separated, read by the built-in unicode61 tokenizer); ``posts_tri`` indexes each post's folded
text by trigrams for substring search. Both are contentless: the text lives once, in ``posts``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb import integrity
from kb.errors import DatabaseError
from kb.text.fold import fold

BUSY_TIMEOUT_MS = 60_000
PAGE_SIZE = 4096
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
    """A passage ready to be written: offsets and its word-index terms."""

    section: int | None  # None for the title
    start: int
    end: int
    line: int
    terms: str  # folded normalized forms of the passage's short units, space-separated


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
            title_line INTEGER,
            -- a post's sections, passages and facts are each one run of ids: no post_id index needed
            sections_from INTEGER NOT NULL DEFAULT 0,
            sections_n INTEGER NOT NULL DEFAULT 0,
            passages_from INTEGER NOT NULL DEFAULT 0,
            passages_n INTEGER NOT NULL DEFAULT 0,
            facts_from INTEGER NOT NULL DEFAULT 0,
            facts_n INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX posts_file ON posts(file_id);
        CREATE INDEX posts_date ON posts(date);
        CREATE TABLE sections (
            id INTEGER PRIMARY KEY,
            post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            heading TEXT,
            heading_folded TEXT,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL
        );
        CREATE TABLE passages (
            id INTEGER PRIMARY KEY,
            post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
            section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            line INTEGER
        );
        CREATE VIRTUAL TABLE passages_fts USING fts5(
            terms, content='', tokenize='unicode61 remove_diacritics 0'
        );
        CREATE VIRTUAL TABLE posts_tri USING fts5(
            folded, content='', tokenize='trigram', detail='none'
        );
        CREATE TABLE facts (
            id INTEGER PRIMARY KEY,
            post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
            passage_id INTEGER REFERENCES passages(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            value_num REAL,
            value_text TEXT,
            value_max REAL,
            unit TEXT,
            qualifier TEXT,
            note TEXT
        );
        -- a fact's surface is its span of the post text: kept once, shown by this view
        CREATE VIEW facts_text AS
            SELECT facts.*, substr(posts.text, facts.start + 1, facts."end" - facts.start) AS surface
            FROM facts JOIN posts ON posts.id = facts.post_id;
        CREATE TABLE names (
            surface TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('org', 'place')),
            added_at TEXT NOT NULL DEFAULT (datetime('now'))
        );
        """
    )


def _m002_title_passages(conn: sqlite3.Connection) -> None:
    """A post's title is its first passage, outside every section: passages.section_id may be NULL."""
    conn.executescript(
        """
        CREATE TABLE passages_m002 (
            id INTEGER PRIMARY KEY,
            post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
            section_id INTEGER REFERENCES sections(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            line INTEGER
        );
        INSERT INTO passages_m002 SELECT id, post_id, section_id, start, "end", line FROM passages;
        DROP TABLE passages;
        ALTER TABLE passages_m002 RENAME TO passages;
        """
    )


MIGRATIONS: list[tuple[str, Any]] = [
    ("m001_initial", _m001_initial),
    ("m002_title_passages", _m002_title_passages),
]


# --------------------------------------------------------------------------- connection


# passages ranked per word query at most (see Store.match_words)
RANK_WINDOW = 5000


class Store:
    """A kb database. Opening checks that the file is a kb database this version understands."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = str(path)
        self.readonly = readonly
        self._sig_before = integrity.signature(self.path)  # the file as it was before opening it
        self.conn = self._connect()
        try:
            self._check_and_migrate()
        except BaseException:
            self.conn.close()
            raise

    def reader(self) -> Store:
        """A second, read-only connection to this database (already checked by this one), for a
        thread that reads while another writes through this connection."""
        other = Store.__new__(Store)
        other.path, other.readonly = self.path, True
        other._sig_before = self._sig_before
        other.conn = other._connect()
        return other

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
            # a damaged file is refused before anything reads or writes it; the check reads every
            # page (about 0.18 s at 10k posts), so it runs again only when the file has changed
            sig = integrity.signature(self.path)
            # the file opened is the one stamped only if the path named the same file throughout
            same = integrity.same_file(self._sig_before, sig)
            if not (same and integrity.is_verified(self.path, sig)):
                if self.conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    raise DatabaseError(f"{self.path} は壊れています (integrity check failed)")
                # remembered only for a kb database, and only if nothing wrote to it meanwhile
                if applied and same and integrity.signature(self.path) == sig:
                    integrity.mark_verified(self.path, sig)
        except sqlite3.DatabaseError as err:
            raise DatabaseError(f"{self.path} は kb のデータベースではないか、壊れています ({err})") from None
        known = [name for name, _ in MIGRATIONS]
        unknown = [a for a in applied if a not in known]
        if unknown:
            raise DatabaseError(
                f"{self.path} は新しい版の kb で作られています (schema {unknown[-1]}); kb を更新してください"
            )
        user_tables = {
            t for t in tables if not t.startswith(("sqlite_", "_sqlite_", "passages_fts", "posts_tri"))
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
            if not applied:  # an empty file, or one another kb is creating right now
                raise DatabaseError(
                    f"{self.path} にはまだ何も取り込まれていません (先に kb import を実行してください)"
                )
            raise DatabaseError(f"{self.path} は古い形式です; 書き込みできる状態で kb を一度実行してください")
        if not tables:
            # a new file. Text is kept as UTF-16: two bytes per kana or kanji instead of three, which
            # makes the post text a third smaller (bench/bench_import.py: database 2.77x -> 2.49x the
            # corpus); larger pages measured bigger (8 KiB +9 %, 16 KiB +6 %).
            self.conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            self.conn.execute("PRAGMA encoding = 'UTF-16le'")
            # pages freed when FTS5 merges its segments go back to the file system (release_free_pages)
            self.conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
        self._journal()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            # re-read under the write lock: another process may have migrated meanwhile
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS _sqlite_migrations "
                "(id INTEGER PRIMARY KEY, migration_set TEXT, name TEXT, applied_at TEXT)"
            )
            self.conn.execute(
                "CREATE UNIQUE INDEX IF NOT EXISTS idx__sqlite_migrations_migration_set_name "
                "ON _sqlite_migrations (migration_set, name)"
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
        self.begin()
        try:
            yield
        except BaseException:
            self._rollback()
            raise
        self.commit()

    def begin(self) -> None:
        """Open a write transaction (BEGIN IMMEDIATE); pair with ``commit`` or ``rollback``."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            raise DatabaseError(self._write_message(err)) from None

    def commit(self) -> None:
        if not self.conn.in_transaction:
            return  # SQLite rolled back by itself after an error that has already been raised
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as err:
            self._rollback()
            raise DatabaseError(self._write_message(err)) from None

    def rollback(self) -> None:
        self._rollback()

    def release_free_pages(self) -> None:
        """Give the pages left free by deletes and index merges back to the file system (a 1k-post
        import leaves about 6 % of the file free). Databases created before kb used incremental
        auto-vacuum keep their free pages for reuse; a busy database is left for the next time."""
        if self.readonly or self.conn.in_transaction:
            return
        try:
            self.conn.execute("PRAGMA busy_timeout = 0")  # busy: don't wait, leave it for next time
            # executescript steps the pragma to the end (execute frees one page per step taken)
            self.conn.executescript("PRAGMA incremental_vacuum;")
        except sqlite3.OperationalError:
            pass
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def _write_message(self, err: sqlite3.Error) -> str:
        text = str(err)
        if "full" in text:
            return f"{self.path} に書き込めません: ディスクの空きがありません (database or disk is full)"
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
        sec0 = self._take_ids("sections", len(post.sections))
        pas0 = self._take_ids("passages", len(post.passages))
        c.execute(
            "UPDATE posts SET sections_from = ?, sections_n = ?, passages_from = ?, passages_n = ? WHERE id = ?",
            (sec0, len(post.sections), pas0, len(post.passages), post_id),
        )
        section_ids = [sec0 + i for i in range(len(post.sections))]
        c.executemany(
            'INSERT INTO sections (id, post_id, ord, heading, heading_folded, start, "end") VALUES (?, ?, ?, ?, ?, ?, ?)',
            [
                (sid, post_id, i, heading, None if heading is None else fold(heading), start, end)
                for i, (sid, (heading, start, end)) in enumerate(zip(section_ids, post.sections, strict=True))
            ],
        )
        passage_ids = [pas0 + i for i in range(len(post.passages))]
        c.executemany(
            'INSERT INTO passages (id, post_id, section_id, start, "end", line) VALUES (?, ?, ?, ?, ?, ?)',
            [
                (pid, post_id, None if p.section is None else section_ids[p.section], p.start, p.end, p.line or None)
                for pid, p in zip(passage_ids, post.passages, strict=True)
            ],
        )
        c.executemany(
            "INSERT INTO passages_fts (rowid, terms) VALUES (?, ?)",
            [(pid, p.terms) for pid, p in zip(passage_ids, post.passages, strict=True)],
        )
        c.execute("INSERT INTO posts_tri (rowid, folded) VALUES (?, ?)", (post_id, fold(post.text)))
        self._insert_facts(post_id, passage_ids, post.facts)

    def _delete_post(self, post_id: int) -> None:
        c = self.conn
        # Both indexes are contentless: a trigram entry is deleted with the folded text it was built
        # from (fold is deterministic); word-index rows of deleted passages are dropped from results
        # by the join with passages (ids derive from AUTOINCREMENT post ids: never reused) and purged
        # by kb reindex.
        row = c.execute("SELECT text FROM posts WHERE id = ?", (post_id,)).fetchone()
        if row is not None:
            c.execute(
                "INSERT INTO posts_tri (posts_tri, rowid, folded) VALUES ('delete', ?, ?)",
                (post_id, fold(row[0])),
            )
        for table in ("facts", "passages", "sections"):
            c.execute(f"DELETE FROM {table} WHERE id BETWEEN ? AND ?", self.child_range(post_id, table))
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
        c.execute("UPDATE posts SET facts_from = 0, facts_n = 0")
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
            "INSERT INTO passages_fts (rowid, terms) VALUES (?, ?)",
            [(pid, p.terms) for pid, p in zip(passage_ids, passages, strict=True)],
        )
        self._insert_facts(post_id, passage_ids, facts)

    def _take_ids(self, table: str, n: int) -> int:
        """Reserve n consecutive ids of a table; ids are never reused, even after deletions (the
        contentless word index may still hold rows of deleted passages)."""
        key = f"next_id_{table}"
        start = int(self.get_meta(key) or 1)
        self.set_meta(key, str(start + n))
        return start

    def child_range(self, post_id: int, table: str) -> tuple[int, int]:
        """The first and last id of a post's rows in sections, passages or facts."""
        row = self.conn.execute(
            f"SELECT {table}_from, {table}_n FROM posts WHERE id = ?", (post_id,)
        ).fetchone()
        return (0, -1) if row is None else _id_run(row[0], row[1])

    def _insert_facts(self, post_id: int, passage_ids: Sequence[int], facts: Sequence[FactRow]) -> None:
        base = self._take_ids("facts", len(facts))
        self.conn.execute(
            "UPDATE posts SET facts_from = ?, facts_n = ? WHERE id = ?", (base, len(facts), post_id)
        )
        self.conn.executemany(
            'INSERT INTO facts (id, post_id, passage_id, kind, start, "end", value_num, value_text, '
            "value_max, unit, qualifier, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    base + i,
                    post_id,
                    None if f.passage is None else passage_ids[f.passage],
                    f.kind,
                    f.start,
                    f.end,
                    f.value_num,
                    f.value_text,
                    f.value_max,
                    f.unit,
                    f.qualifier,
                    f.note,
                )
                for i, f in enumerate(facts)
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
            "sections_from, sections_n FROM posts JOIN files ON files.id = posts.file_id"
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
        # a post's sections are a run of ids (sections_from, sections_n): read them by id ranges,
        # runs of neighbouring posts together (sections has no post_id index to scan by)
        heads: dict[int, list[str]] = {int(r["id"]): [] for r in rows}
        runs = sorted((int(r["sections_from"]), int(r["sections_n"])) for r in rows if r["sections_n"])
        ranges: list[list[int]] = []  # [first, last] id ranges, neighbours within 64 ids merged
        for first, last in (_id_run(start, n) for start, n in runs):
            if ranges and first <= ranges[-1][1] + 64:
                ranges[-1][1] = max(ranges[-1][1], last)
            else:
                ranges.append([first, last])
        for lo, hi in ranges:
            for r in self.conn.execute(
                "SELECT post_id, heading FROM sections WHERE id BETWEEN ? AND ? AND heading IS NOT NULL "
                "ORDER BY id",
                (lo, hi),
            ):
                if int(r[0]) in heads:
                    heads[int(r[0])].append(str(r[1]))
        for r in rows:
            r["categories"] = json.loads(r["categories"] or "[]")
            r["sections"] = heads[r["id"]]
            del r["sections_from"], r["sections_n"]
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
                'SELECT id, ord, heading, start, "end" FROM sections WHERE id BETWEEN ? AND ? ORDER BY ord',
                self.child_range(post_id, "sections"),
            )
        ]
        post["passages"] = [
            dict(r)
            for r in self.conn.execute(
                'SELECT passages.id, sections.ord AS section, passages.start, passages."end", passages.line '
                "FROM passages LEFT JOIN sections ON sections.id = passages.section_id "
                "WHERE passages.id BETWEEN ? AND ? ORDER BY passages.id",
                self.child_range(post_id, "passages"),
            )
        ]
        return post

    def all_post_ids(self) -> list[int]:
        return [int(r[0]) for r in self.conn.execute("SELECT id FROM posts ORDER BY id")]

    # ----------------------------------------------------------------------- search

    @staticmethod
    def _filter_sql(filters: Filters) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if filters.since:
            where.append("po.date >= ?")
            params.append(filters.since)
        if filters.until:
            where.append("po.date <= ?")
            params.append(filters.until)
        if filters.post_id is not None:
            where.append("po.id = ?")
            params.append(filters.post_id)
        return ("".join(" AND " + w for w in where), params)

    def match_words(
        self, expr: str, filters: Filters, limit: int, window: int = RANK_WINDOW
    ) -> list[tuple[int, float]]:
        """Passage ids matching an FTS5 expression (built by kb.search, never raw user text), best first,
        with a positive BM25 score.

        Ranking is bounded: BM25 costs about a microsecond per matching passage, so when more than
        ``window`` passages match (a word such as 市 in a 10k-post database matches 50k), only the
        ``window`` most recently imported of them are ranked. Filters (dates, topic, post) apply
        before the bound, so narrowing a query always reaches every passage it matches; so does
        the removal of posts (their stale index rows never count).
        """
        where, params = self._filter_sql(filters)
        if filters.topic:
            where += " AND instr(s.heading_folded, ?) > 0"
            params.append(filters.topic)
        # Word-index rows of removed posts stay until kb reindex (the index is contentless). The
        # bound counts only live passages (a join with passages); ranking joins posts and sections
        # only for a filter, and the stale rows it may return are dropped (then more are fetched).
        live = "passages_fts JOIN passages p ON p.id = passages_fts.rowid"
        if where:
            live += " JOIN posts po ON po.id = p.post_id LEFT JOIN sections s ON s.id = p.section_id"
        ranked = live if where else "passages_fts"
        try:
            bound, args = "", [expr, *params]
            # more than ``window`` matches? Asked as "is there a match at offset window - 1 from the
            # newest", which stops after ``window`` rows where a count(*) would visit every match
            beyond = self.conn.execute(
                "SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                (expr, window - 1),
            ).fetchone()
            if beyond is not None:
                floor = self.conn.execute(
                    f"SELECT passages_fts.rowid FROM {live} WHERE passages_fts MATCH ?{where} "
                    "ORDER BY passages_fts.rowid DESC LIMIT 1 OFFSET ?",
                    [expr, *params, window - 1],
                ).fetchone()
                if floor:
                    bound, args = " AND passages_fts.rowid >= ?", [*args, floor[0]]
            sql = (
                f"SELECT passages_fts.rowid, bm25(passages_fts) AS score FROM {ranked} "
                f"WHERE passages_fts MATCH ?{where}{bound} ORDER BY score LIMIT ?"
            )
            fetch = limit
            while True:
                rows = [(int(r[0]), -float(r[1])) for r in self.conn.execute(sql, [*args, fetch])]
                if where:
                    return rows
                alive = self._live_passages([pid for pid, _ in rows])
                if len(alive) == len(rows) or len(rows) < fetch:
                    return [r for r in rows if r[0] in alive][:limit]
                fetch *= 4  # stale rows took places: fetch more
        except sqlite3.OperationalError as err:  # pragma: no cover - expressions are built, not typed
            raise DatabaseError(f"検索できませんでした ({err})") from None

    def _live_passages(self, ids: Sequence[int]) -> set[int]:
        out: set[int] = set()
        for chunk in _chunks(list(ids), 500):
            q = f"SELECT id FROM passages WHERE id IN ({','.join('?' * len(chunk))})"
            out.update(int(r[0]) for r in self.conn.execute(q, chunk))
        return out

    def substring_candidates(
        self, groups: Sequence[Sequence[str]], filters: Filters
    ) -> Iterator[tuple[int, str, list[tuple[int, int, int, str | None]]]]:
        """Posts that may contain, for every group, one of its (folded) strings, most recent first:
        (post id, post text, [(passage id, start, end, folded heading)]). The caller verifies.

        Groups whose strings all have three or more characters are narrowed by the trigram index;
        otherwise the post texts are scanned (only what Ctrl-F would do: kb search asks for this only
        when the word index found too little).
        """
        where, params = self._filter_sql(filters)
        indexed = [g for g in groups if all(len(x) >= 3 for x in g)]
        conds: list[str] = []
        cparams: list[Any] = []
        if indexed:
            expr = " AND ".join(
                "(" + " OR ".join("(" + " AND ".join(_trigrams(x)) + ")" for x in g) + ")" for g in indexed
            )
            conds.append("po.id IN (SELECT rowid FROM posts_tri WHERE posts_tri MATCH ?)")
            cparams.append(expr)
        for g in groups:
            if g in indexed:
                continue
            alts = []
            for x in g:
                if x.isascii() or any(ch.isascii() for ch in x):
                    alts.append("instr(kb_fold(po.text), ?) > 0")
                else:
                    alts.append("instr(po.text, ?) > 0")
                cparams.append(x)
            conds.append("(" + " OR ".join(alts) + ")")
        self._register_fold()
        # Newest first by walking the date index backwards, read as the caller goes: the caller
        # stops once it has enough, so a common string costs a few rows, not a lookup and a sort of
        # every candidate post (ノウォ in 100k posts: 42k candidates, 70 ms -> 5 ms). The walk's
        # worst case, a string in no post, visits the index once (6 ms at 100k posts). A post filter
        # goes straight to its post instead.
        index = "" if filters.post_id is not None else " INDEXED BY posts_date"
        sql = (
            f"SELECT po.id, po.text, po.passages_from, po.passages_n FROM posts po{index} "
            f"WHERE {' AND '.join(conds) or '1'}{where} ORDER BY po.date DESC, po.id DESC"
        )
        for post_id, text, first, n in self.conn.execute(sql, [*cparams, *params]):
            passages = [
                (int(r[0]), int(r[1]), int(r[2]), r[3])
                for r in self.conn.execute(
                    'SELECT p.id, p.start, p."end", s.heading_folded FROM passages p '
                    "LEFT JOIN sections s ON s.id = p.section_id WHERE p.id BETWEEN ? AND ? ORDER BY p.id",
                    _id_run(first, n),
                )
            ]
            yield int(post_id), str(text), passages

    def _register_fold(self) -> None:
        self.conn.create_function(
            "kb_fold", 1, lambda t: fold(t) if isinstance(t, str) else t, deterministic=True
        )

    def passage_details(self, ids: Sequence[int]) -> list[sqlite3.Row]:
        """Passages with their post, section and original text, in the order of ``ids``."""
        if not ids:
            return []
        out: dict[int, sqlite3.Row] = {}
        for chunk in _chunks(list(ids), 500):
            for r in self.conn.execute(
                'SELECT p.id, p.post_id, p.line, p.start, p."end", po.title, po.date, po.url, s.heading, '
                'files.path AS source, substr(po.text, p.start + 1, p."end" - p.start) AS text '
                "FROM passages p JOIN posts po ON po.id = p.post_id LEFT JOIN sections s ON s.id = p.section_id "
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
    topic: str | None = None  # folded: a heading that contains it ...
    topic_passages: Sequence[int] | None = None  # ... or one of these passages (that mention it)
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
        mentions = list(f.topic_passages or [])
        if mentions:
            where.append(
                f"(instr(s.heading_folded, ?) > 0 OR fa.passage_id IN ({','.join('?' * len(mentions))}))"
            )
            params.extend([f.topic, *mentions])
        else:
            where.append("instr(s.heading_folded, ?) > 0")
            params.append(f.topic)
    if f.post_id is not None:
        where.append("fa.id BETWEEN ? AND ?")
        params.extend(store.child_range(f.post_id, "facts"))
    dates, dparams = Store._filter_sql(Filters(f.since, f.until))
    if dates:
        where.append(dates.removeprefix(" AND "))
        params.extend(dparams)
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
        "FROM facts_text fa JOIN posts po ON po.id = fa.post_id JOIN files ON files.id = po.file_id "
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
        f.kind,
        ok(f.unit),
        f.min,
        f.max,
        ok(f.topic),
        f.topic_passages,
        f.post_id,
        f.passage_ids,
        ok(f.since),
        ok(f.until),
    )


def list_topics(store: Store) -> list[dict[str, Any]]:
    """Section headings across posts, with their post and the number of facts of each kind."""
    sql = (
        "WITH agg AS (SELECT p.section_id AS sid, sum(fa.kind = 'quantity') AS quantity, "
        "sum(fa.kind = 'date') AS date_facts, "
        "count(DISTINCT CASE WHEN fa.kind = 'org' THEN coalesce(fa.note, fa.surface) END) AS org, "
        "count(DISTINCT CASE WHEN fa.kind = 'place' THEN coalesce(fa.note, fa.surface) END) AS place "
        "FROM facts_text fa JOIN passages p ON p.id = fa.passage_id GROUP BY p.section_id) "
        "SELECT s.heading, s.post_id, po.title, po.date, coalesce(agg.quantity, 0) AS quantity, "
        "coalesce(agg.date_facts, 0) AS date_facts, coalesce(agg.org, 0) AS org, coalesce(agg.place, 0) AS place "
        "FROM sections s JOIN posts po ON po.id = s.post_id LEFT JOIN agg ON agg.sid = s.id "
        "WHERE s.heading IS NOT NULL ORDER BY s.post_id, s.ord"
    )
    return [dict(r) for r in store.conn.execute(sql)]


def _id_run(first: int, n: int) -> tuple[int, int]:
    """The first and last id of a run of ``n`` ids from ``first`` ((0, -1) when there are none)."""
    return (int(first), int(first) + int(n) - 1) if n else (0, -1)


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

"""The schema: named migrations, applied in order and recorded in sqlite-utils' ``_sqlite_migrations``
table, so ``sqlite_utils.Migrations`` reads them as its own.

Layout (readable with any SQLite tool):

* ``files``: every file imported, with the checksum of the bytes it had then.
* ``posts``: one row per post. ``id`` is the number users cite (``#21``) and stays when the post is
  edited. Its sections, passages and facts are each one run of ids (``*_from``, ``*_n``), allocated
  from counters in ``meta`` and never reused: an edited post gets new runs, and rows of the word
  index that belonged to an old run are left behind, never read (their passage is gone).
* ``post_files``: which files hold a post, and where in the file (a post may be in several files).
* ``texts``: each post's text (its title line, then its body), apart from the narrow ``posts`` rows
  that listing and ranking read many of.
* ``sections``, ``passages`` (the title is passage 0, with no section), ``facts``; the view
  ``facts_text`` adds each fact's surface, a span of the post text.
* ``passages_fts``: each passage's Sudachi short units (normalized, folded); ``posts_tri``: each post's
  folded text by trigrams, for substring search. Both are contentless: the text lives once, in texts.
* ``lexicon``: how Sudachi segments each word kb has seen (surface → its normalized short units), so a
  query made of known words is segmented by lookup; ``names`` and ``synonyms``: the user's own entries.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

MIGRATION_SET = "kb"
Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(fn: Migration) -> Migration:
    """Register a migration under its function name (applied in the order of definition)."""
    MIGRATIONS.append((fn.__name__, fn))
    return fn


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run a script statement by statement: ``executescript`` would commit the open transaction."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                conn.execute(buf)
            buf = ""
    if buf.strip():
        conn.execute(buf)


@migration
def m001_initial(conn: sqlite3.Connection) -> None:
    """The first schema (kb 0.1): posts owned by one file, child ids allocated in runs."""
    run_script(
        conn,
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
        CREATE VIEW facts_text AS
            SELECT facts.*, substr(posts.text, facts.start + 1, facts."end" - facts.start) AS surface
            FROM facts JOIN posts ON posts.id = facts.post_id;
        CREATE TABLE names (
            surface TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('org', 'place')),
            added_at TEXT NOT NULL DEFAULT (datetime('now'))
        );
        """,
    )


# The tables of m002, created empty by it and filled from the m001 tables when there are any.
_M002_TABLES = """
CREATE TABLE posts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uid TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    title_from TEXT NOT NULL DEFAULT 'line',
    date TEXT,
    author TEXT,
    url TEXT,
    categories TEXT NOT NULL DEFAULT '[]',
    chars INTEGER NOT NULL DEFAULT 0,
    body_start INTEGER NOT NULL DEFAULT 0,
    photos INTEGER NOT NULL DEFAULT 0,
    title_line INTEGER,
    sections_from INTEGER NOT NULL DEFAULT 0,
    sections_n INTEGER NOT NULL DEFAULT 0,
    passages_from INTEGER NOT NULL DEFAULT 0,
    passages_n INTEGER NOT NULL DEFAULT 0,
    facts_from INTEGER NOT NULL DEFAULT 0,
    facts_n INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL DEFAULT (datetime('now')),
    updated_at TEXT
);
CREATE INDEX posts_date ON posts(date);
CREATE TABLE texts (
    post_id INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
    text TEXT NOT NULL
);
CREATE TABLE post_files (
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    PRIMARY KEY (file_id, ord)
) WITHOUT ROWID;
CREATE INDEX post_files_post ON post_files(post_id);
CREATE TABLE sections (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL,
    ord INTEGER NOT NULL,
    heading TEXT,
    heading_folded TEXT,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL
);
CREATE TABLE passages (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL,
    section_id INTEGER,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    line INTEGER
);
CREATE TABLE facts (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL,
    passage_id INTEGER,
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
CREATE VIEW facts_text AS
    SELECT facts.*, substr(texts.text, facts.start + 1, facts."end" - facts.start) AS surface
    FROM facts JOIN texts ON texts.post_id = facts.post_id;
CREATE VIRTUAL TABLE passages_fts USING fts5(
    terms, content='', tokenize='unicode61 remove_diacritics 0', columnsize=0
);
CREATE TABLE lexicon (surface TEXT PRIMARY KEY, units TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX lexicon_units ON lexicon(units);
CREATE TABLE synonyms (
    word TEXT NOT NULL,
    other TEXT NOT NULL,
    added_at TEXT NOT NULL DEFAULT (datetime('now')),
    PRIMARY KEY (word, other)
) WITHOUT ROWID;
CREATE INDEX files_size ON files(size);
"""


@migration
def m002_shared_posts(conn: sqlite3.Connection) -> None:
    """Posts shared by the files that hold them, stable post numbers, the title as passage 0, the
    word index without the column sizes BM25 needed (kb ranks posts itself).

    An m001 database is converted in place: each post's text gains its title line (every offset
    moves with it) and a title passage at the head of its run of passages (later passages move up
    by one per post before them); the two indexes are emptied and the meta key ``reindex`` asks for
    ``kb reindex``, which rebuilds both from the stored text.
    """
    old = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    converting = "posts" in old
    if converting:
        conn.execute("DROP VIEW IF EXISTS facts_text")
        for name in ("posts", "sections", "passages", "facts"):
            conn.execute(f"ALTER TABLE {name} RENAME TO m001_{name}")
        conn.execute("DROP INDEX IF EXISTS posts_file")
        conn.execute("DROP INDEX IF EXISTS posts_date")
    conn.execute("DROP TABLE IF EXISTS passages_fts")
    run_script(conn, _M002_TABLES)
    if not converting:
        return
    shift = "(length(o.title) + 1)"
    run_script(
        conn,
        f"""
        CREATE TEMP TABLE m002_rank AS
            SELECT id, row_number() OVER (ORDER BY passages_from, id) AS r FROM m001_posts;
        INSERT INTO posts (id, uid, title, title_from, date, author, url, categories, chars,
                           body_start, photos, title_line, sections_from, sections_n, passages_from,
                           passages_n, facts_from, facts_n)
            SELECT o.id, o.uid, o.title, 'line', o.date, o.author, o.url, o.categories,
                   {shift} + length(o.text), {shift}, o.photos, o.title_line, o.sections_from,
                   o.sections_n, o.passages_from + k.r - 1, o.passages_n + 1, o.facts_from, o.facts_n
            FROM m001_posts o JOIN m002_rank k ON k.id = o.id;
        INSERT INTO texts (post_id, text) SELECT o.id, o.title || char(10) || o.text FROM m001_posts o;
        INSERT INTO post_files (file_id, ord, post_id) SELECT file_id, ord, id FROM m001_posts;
        INSERT INTO sections (id, post_id, ord, heading, heading_folded, start, "end")
            SELECT s.id, s.post_id, s.ord, s.heading, kb_heading_key(s.heading), s.start + {shift},
                   s."end" + {shift}
            FROM m001_sections s JOIN m001_posts o ON o.id = s.post_id;
        INSERT INTO passages (id, post_id, section_id, start, "end", line)
            SELECT o.passages_from + k.r - 1, o.id, NULL, 0, length(o.title), o.title_line
            FROM m001_posts o JOIN m002_rank k ON k.id = o.id;
        INSERT INTO passages (id, post_id, section_id, start, "end", line)
            SELECT p.id + k.r, o.id, p.section_id, p.start + {shift}, p."end" + {shift}, p.line
            FROM m001_passages p JOIN m001_posts o ON o.id = p.post_id JOIN m002_rank k ON k.id = o.id;
        INSERT INTO facts (id, post_id, passage_id, kind, start, "end", value_num, value_text,
                           value_max, unit, qualifier, note)
            SELECT f.id, o.id, f.passage_id + k.r, f.kind, f.start + {shift}, f."end" + {shift},
                   f.value_num, f.value_text, f.value_max, f.unit, f.qualifier, f.note
            FROM m001_facts f JOIN m001_posts o ON o.id = f.post_id JOIN m002_rank k ON k.id = o.id;
        UPDATE meta SET value = CAST(value AS INTEGER) + (SELECT count(*) FROM m001_posts)
            WHERE key = 'next_id_passages';
        DROP TABLE m002_rank;
        DROP TABLE m001_facts;
        DROP TABLE m001_passages;
        DROP TABLE m001_sections;
        DROP TABLE m001_posts;
        INSERT INTO posts_tri (posts_tri) VALUES ('delete-all');
        INSERT OR REPLACE INTO meta (key, value) SELECT 'reindex', 'm002' WHERE EXISTS (SELECT 1 FROM posts);
        """,
    )

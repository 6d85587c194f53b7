"""Writing: files and the posts they hold, post versions with their rows and index entries, removal,
and the rebuild of the derived rows by `kb reindex`. Every method runs inside the caller's
transaction (``Store.transaction`` or ``begin``/``commit``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from kb.models import FactRecord, PassageRecord, PostRecord
from kb.record import record
from kb.store.connection import guarded
from kb.store.posts import id_run, rows_in
from kb.text.fold import fold, heading_key

if TYPE_CHECKING:
    from kb.store.connection import Connection


@record(frozen=True, slots=True)
class FileRecord:
    """A file as last imported."""

    id: int
    path: str
    sha: str
    size: int


@record(frozen=True, slots=True)
class HeldPost:
    """A post a file holds, where in the file, and how many files hold it."""

    ord: int
    post_id: int
    uid: str
    title: str
    holders: int


class Writes:
    """The write path of the store."""

    def __init__(self, store: Connection) -> None:
        self.path = store.path
        self._store = store
        self._c = store.conn

    # ----------------------------------------------------------------------------- files

    @guarded
    def file(self, path: str) -> FileRecord | None:
        row = self._c.execute("SELECT id, path, sha256, size FROM files WHERE path = ?", (path,)).fetchone()
        return None if row is None else FileRecord(int(row[0]), str(row[1]), str(row[2]), int(row[3]))

    @guarded
    def moved_from(self, sha: str, size: int, exists: Callable[[str], bool]) -> FileRecord | None:
        """A recorded file with this content whose path is gone: the file was moved or renamed."""
        for row in self._c.execute(
            "SELECT id, path, sha256, size FROM files WHERE sha256 = ? AND size = ? ORDER BY id", (sha, size)
        ):
            if not exists(str(row[1])):
                return FileRecord(int(row[0]), str(row[1]), str(row[2]), int(row[3]))
        return None

    @guarded
    def held(self, file_id: int) -> list[HeldPost]:
        """The posts a file held at its last import, in file order."""
        return [
            HeldPost(int(r[0]), int(r[1]), str(r[2]), str(r[3]), int(r[4]))
            for r in self._c.execute(
                "SELECT pf.ord, p.id, p.uid, p.title, "
                "(SELECT count(*) FROM post_files o WHERE o.post_id = p.id) "
                "FROM post_files pf JOIN posts p ON p.id = pf.post_id WHERE pf.file_id = ? ORDER BY pf.ord",
                (file_id,),
            )
        ]

    @guarded
    def save_file(self, path: str, sha: str, size: int, fmt: str, encoding: str) -> int:
        """Record a file about to be (re)imported; returns its id."""
        row = self._c.execute("SELECT id FROM files WHERE path = ?", (path,)).fetchone()
        if row is None:
            cur = self._c.execute(
                "INSERT INTO files (path, sha256, size, format, encoding) VALUES (?, ?, ?, ?, ?)",
                (path, sha, size, fmt, encoding),
            )
            return int(cur.lastrowid or 0)
        self._c.execute(
            "UPDATE files SET sha256 = ?, size = ?, format = ?, encoding = ?, imported_at = datetime('now') "
            "WHERE id = ?",
            (sha, size, fmt, encoding, int(row[0])),
        )
        return int(row[0])

    @guarded
    def move_file(self, file_id: int, path: str) -> None:
        """A moved or renamed file keeps its posts under its new path."""
        self._c.execute("UPDATE files SET path = ? WHERE id = ?", (path, file_id))

    @guarded
    def set_links(self, file_id: int, post_ids: Sequence[int]) -> None:
        """The posts a file holds now, in file order (a post listed twice is held once, first place)."""
        self._c.execute("DELETE FROM post_files WHERE file_id = ?", (file_id,))
        seen: set[int] = set()
        rows = []
        for i, pid in enumerate(post_ids):
            if pid not in seen:
                seen.add(pid)
                rows.append((file_id, i, pid))
        self._c.executemany("INSERT INTO post_files (file_id, ord, post_id) VALUES (?, ?, ?)", rows)

    # ----------------------------------------------------------------------------- posts

    @guarded
    def post_for(self, uid: str) -> int | None:
        row = self._c.execute("SELECT id FROM posts WHERE uid = ?", (uid,)).fetchone()
        return None if row is None else int(row[0])

    @guarded
    def body(self, post_id: int) -> str:
        """A stored post's text after its title (to tell an edited post from another one)."""
        row = self._c.execute(
            "SELECT t.text, p.body_start FROM posts p JOIN texts t ON t.post_id = p.id WHERE p.id = ?",
            (post_id,),
        ).fetchone()
        return "" if row is None else str(row[0])[int(row[1]) :]

    def _take_ids(self, table: str, n: int) -> int:
        """Reserve n consecutive ids of a table; ids are never reused, even after deletions (the
        contentless word index may still hold rows of deleted passages)."""
        key = f"next_id_{table}"
        found = self._store.get_meta(key)
        if found is None:
            row = self._c.execute(f"SELECT max(id) FROM {table}").fetchone()
            found = str((row[0] or 0) + 1)
        start = int(found)
        self._store.set_meta(key, str(start + n))
        return start

    def _runs(self, post: PostRecord) -> tuple[int, int, int]:
        return (
            self._take_ids("sections", len(post.sections)),
            self._take_ids("passages", len(post.passages)),
            self._take_ids("facts", len(post.facts)),
        )

    @guarded
    def add_post(self, post: PostRecord) -> int:
        """Store a new post; returns its number."""
        sec0, pas0, fac0 = self._runs(post)
        cur = self._c.execute(
            "INSERT INTO posts (uid, title, title_from, date, author, url, categories, chars, body_start, "
            "photos, title_line, sections_from, sections_n, passages_from, passages_n, facts_from, facts_n) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*_post_columns(post), sec0, len(post.sections), pas0, len(post.passages), fac0, len(post.facts)),
        )
        post_id = int(cur.lastrowid or 0)
        self._c.execute("INSERT INTO texts (post_id, text) VALUES (?, ?)", (post_id, post.text))
        self._insert_rows(post_id, (sec0, pas0, fac0), post)
        return post_id

    @guarded
    def replace_post(self, post_id: int, post: PostRecord) -> None:
        """Store a new version of a post under the same number (an edited post keeps its #id)."""
        self._delete_rows(post_id)
        sec0, pas0, fac0 = self._runs(post)
        self._c.execute(
            "UPDATE posts SET uid = ?, title = ?, title_from = ?, date = ?, author = ?, url = ?, categories = ?, "
            "chars = ?, body_start = ?, photos = ?, title_line = ?, sections_from = ?, sections_n = ?, "
            "passages_from = ?, passages_n = ?, facts_from = ?, facts_n = ?, updated_at = datetime('now') "
            "WHERE id = ?",
            (
                *_post_columns(post),
                sec0,
                len(post.sections),
                pas0,
                len(post.passages),
                fac0,
                len(post.facts),
                post_id,
            ),
        )
        self._c.execute("UPDATE texts SET text = ? WHERE post_id = ?", (post.text, post_id))
        self._insert_rows(post_id, (sec0, pas0, fac0), post)

    def _insert_rows(self, post_id: int, runs: tuple[int, int, int], post: PostRecord) -> None:
        c = self._c
        sec0, pas0, fac0 = runs
        c.executemany(
            'INSERT INTO sections (id, post_id, ord, heading, heading_folded, start, "end") '
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    sec0 + i,
                    post_id,
                    i,
                    s.heading,
                    None if s.heading is None else heading_key(s.heading),
                    s.start,
                    s.end,
                )
                for i, s in enumerate(post.sections)
            ],
        )
        c.executemany(
            'INSERT INTO passages (id, post_id, section_id, start, "end", line) VALUES (?, ?, ?, ?, ?, ?)',
            [
                (
                    pas0 + i,
                    post_id,
                    None if p.section is None else sec0 + p.section,
                    p.start,
                    p.end,
                    p.line or None,
                )
                for i, p in enumerate(post.passages)
            ],
        )
        self._index(post_id, pas0, fac0, post.passages, post.facts)
        c.execute("INSERT INTO posts_tri (rowid, folded) VALUES (?, ?)", (post_id, fold(post.text)))
        if post.words:
            c.executemany("INSERT OR IGNORE INTO lexicon (surface, units) VALUES (?, ?)", post.words)

    def _index(
        self,
        post_id: int,
        pas0: int,
        fac0: int,
        passages: Sequence[PassageRecord],
        facts: Sequence[FactRecord],
    ) -> None:
        self._c.executemany(
            "INSERT INTO passages_fts (rowid, terms) VALUES (?, ?)",
            [(pas0 + i, p.terms) for i, p in enumerate(passages)],
        )
        self._c.executemany(
            'INSERT INTO facts (id, post_id, passage_id, kind, start, "end", value_num, value_text, '
            "value_max, unit, qualifier, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    fac0 + i,
                    post_id,
                    None if f.passage is None else pas0 + f.passage,
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

    def _delete_rows(self, post_id: int) -> None:
        # Both indexes are contentless. A trigram entry is deleted with the folded text it was built
        # from (fold is deterministic); word-index rows of a gone run stay until kb reindex and are
        # never read: a search joins them with passages, and run ids are never reused.
        row = self._c.execute(
            "SELECT t.text, p.sections_from, p.sections_n, p.passages_from, p.passages_n, p.facts_from, p.facts_n "
            "FROM posts p JOIN texts t ON t.post_id = p.id WHERE p.id = ?",
            (post_id,),
        ).fetchone()
        if row is None:
            return
        self._c.execute(
            "INSERT INTO posts_tri (posts_tri, rowid, folded) VALUES ('delete', ?, ?)",
            (post_id, fold(row[0])),
        )
        for k, table in enumerate(("sections", "passages", "facts")):
            self._c.execute(
                f"DELETE FROM {table} WHERE id BETWEEN ? AND ?", id_run(row[1 + 2 * k], row[2 + 2 * k])
            )

    @guarded
    def remove_posts(self, post_ids: Iterable[int]) -> int:
        """Delete posts (from every file that holds them); files left holding nothing go too."""
        n = 0
        for pid in post_ids:
            if self._c.execute("SELECT 1 FROM posts WHERE id = ?", (pid,)).fetchone() is None:
                continue
            self._delete_rows(pid)
            self._c.execute("DELETE FROM posts WHERE id = ?", (pid,))
            n += 1
        self._c.execute("DELETE FROM files WHERE id NOT IN (SELECT file_id FROM post_files)")
        return n

    @guarded
    def orphans(self, candidates: Iterable[int]) -> list[int]:
        """Those of the posts that no file holds any more."""
        q = (
            "SELECT id FROM posts WHERE id IN (?) "
            "AND NOT EXISTS (SELECT 1 FROM post_files pf WHERE pf.post_id = posts.id)"
        )
        return [int(r[0]) for r in rows_in(self._c, q, candidates)]

    @guarded
    def held_by(self, file_ids: Sequence[int]) -> tuple[list[int], list[int]]:
        """The posts these files hold: (those no other file holds, those another file holds too)."""
        q = "SELECT post_id FROM post_files WHERE file_id IN (?)"
        held = {int(r[0]) for r in rows_in(self._c, q, file_ids)}
        only: list[int] = []
        shared: list[int] = []
        wanted = set(file_ids)
        for pid in sorted(held):
            holders = {
                int(r[0]) for r in self._c.execute("SELECT file_id FROM post_files WHERE post_id = ?", (pid,))
            }
            (only if holders <= wanted else shared).append(pid)
        return only, shared

    @guarded
    def forget_files(self, file_ids: Sequence[int]) -> int:
        """Forget files; the posts they alone held are deleted, shared ones stay with their other
        files. Returns the number of posts deleted."""
        only, _ = self.held_by(file_ids)
        for fid in file_ids:
            self._c.execute("DELETE FROM files WHERE id = ?", (fid,))  # its links go with it
        return self.remove_posts(only)

    # --------------------------------------------------------------------------- reindex

    @guarded
    def clear_index(self) -> None:
        """Empty the derived rows (``kb reindex``): facts, both indexes; posts and their structure stay."""
        self._c.execute("DELETE FROM facts")
        self._c.execute("UPDATE posts SET facts_from = 0, facts_n = 0")
        self._c.execute("INSERT INTO passages_fts (passages_fts) VALUES ('delete-all')")
        self._c.execute("INSERT INTO posts_tri (posts_tri) VALUES ('delete-all')")

    @guarded
    def reindex_post(
        self,
        post_id: int,
        text: str,
        passages: Sequence[PassageRecord],
        facts: Sequence[FactRecord],
        words: Sequence[tuple[str, str]] = (),
    ) -> None:
        """Write the word index, the trigram entry and the facts of a stored post again (its passages
        are stored already: their terms go in under their ids)."""
        pas0 = int(self._c.execute("SELECT passages_from FROM posts WHERE id = ?", (post_id,)).fetchone()[0])
        fac0 = self._take_ids("facts", len(facts))
        self._index(post_id, pas0, fac0, passages, facts)
        self._c.execute(
            "UPDATE posts SET facts_from = ?, facts_n = ? WHERE id = ?", (fac0, len(facts), post_id)
        )
        self._c.execute("INSERT INTO posts_tri (rowid, folded) VALUES (?, ?)", (post_id, fold(text)))
        if words:
            self._c.executemany("INSERT OR IGNORE INTO lexicon (surface, units) VALUES (?, ?)", words)

    @guarded
    def clear_lexicon(self) -> None:
        self._c.execute("DELETE FROM lexicon")


def _post_columns(post: PostRecord) -> tuple[object, ...]:
    return (
        post.uid,
        post.title,
        post.title_from,
        post.date,
        post.author,
        post.url,
        json.dumps(list(post.categories), ensure_ascii=False),
        len(post.text),
        post.body_start,
        post.photos,
        post.title_line or None,
    )

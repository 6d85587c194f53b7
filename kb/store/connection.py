"""Opening a kb database: the connection, the checks that refuse what kb cannot read (another
application's file, a damaged file, a newer kb's schema), migrations, the journal, transactions and
meta values. Every SQLite error that reaches this layer's edge becomes a kb DatabaseError."""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec, TypeVar

from kb.errors import DatabaseError, QueryError, ReadOnlyDatabase
from kb.filekind import file_kind
from kb.store import integrity
from kb.store.schema import MIGRATION_SET, MIGRATIONS
from kb.text.fold import fold, heading_key

BUSY_TIMEOUT_MS = 60_000
PAGE_SIZE = 4096
MERGE_PAGES = 200  # pages of index segments merged per transaction at the end of a write (about 20 ms)
_INDEX_TABLES = ("sqlite_", "_sqlite_", "passages_fts", "posts_tri")
LOW_SPACE_BYTES = 1 << 20  # an I/O error with less free space than this is a full disk

P = ParamSpec("P")
R = TypeVar("R")


def failure_message(path: str, err: sqlite3.Error) -> str:
    """What a failed statement means for the user, in their words (one line)."""
    text = " ".join(str(err).split())
    kind = failure_kind(path, err)
    if kind == "full":
        return f"{path} に書き込めません: ディスクの空きがありません (database or disk is full)"
    if kind == "readonly":
        return f"{path} に書き込めません (読み取り専用)"
    if kind == "busy":
        return f"{path} は他の kb が使用中です。しばらくしてからもう一度実行してください"
    if kind == "io":
        return f"{path} を読み書きできません ({text}); ディスクや接続を確かめてください"
    if kind == "corrupt":
        return f"データベースを読めません ({text}); 索引の破損なら kb reindex で作り直せます"
    return f"データベースの操作に失敗しました ({text})"


def failure_kind(path: str, err: sqlite3.Error) -> str:
    """full, readonly, busy, io, corrupt or other: by SQLite's result code where Python gives it, else
    by its message. An I/O error on a disk with no space left is a full disk (a -shm or journal file
    that cannot grow fails that way), and one in a folder nobody may write to is a read-only one."""
    name = str(getattr(err, "sqlite_errorname", None) or "")
    text = str(err).lower()
    if name.startswith("SQLITE_FULL") or "disk is full" in text:
        return "full"
    if name.startswith("SQLITE_READONLY") or "readonly" in text or "read-only" in text:
        return "readonly"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return "busy"
    if (
        name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN"))
        or "disk i/o error" in text
        or "unable to open" in text
    ):
        folder = _folder(path)
        if _no_space(folder):
            return "full"
        if not os.access(folder, os.W_OK):
            return "readonly"
        return "io"
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text or "corrupt" in text:
        return "corrupt"
    return "other"


def _folder(path: str) -> str:
    try:
        return os.path.dirname(os.path.realpath(path)) or "."
    except (OSError, ValueError):
        return "."


def _no_space(folder: str) -> bool:
    """Whether the file system of a folder has (nearly) no space left for an unprivileged writer."""
    try:
        st = os.statvfs(folder)
    except (OSError, ValueError):
        return False
    return st.f_bavail * st.f_frsize < LOW_SPACE_BYTES


def guarded(method: Callable[P, R]) -> Callable[P, R]:
    """A store method whose SQLite errors reach the caller as DatabaseError (the first argument is
    an object with a ``path``). A value SQLite cannot hold (text with bytes that were not UTF-8, an
    integer beyond 64 bits) is the caller's mistake and says so, never an internal error."""

    @functools.wraps(method)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except sqlite3.Error as err:
            path = str(getattr(args[0], "path", "database"))
            raise _translated(path, err) from None
        except (UnicodeEncodeError, OverflowError) as err:
            raise _unbindable(err) from None

    run.__kb_guarded__ = True  # type: ignore[attr-defined]
    return run


def _translated(path: str, err: sqlite3.Error) -> DatabaseError:
    message = failure_message(path, err)
    if failure_kind(path, err) == "readonly":
        return ReadOnlyDatabase(message)
    return DatabaseError(message)


def _unbindable(err: UnicodeEncodeError | OverflowError) -> QueryError:
    if isinstance(err, OverflowError):
        return QueryError("数が大きすぎます (64 ビットの整数まで)")
    return QueryError("UTF-8 として読めないバイトを含む文字列は保存できません (not UTF-8)")


def guarded_iter(method: Callable[P, Iterator[R]]) -> Callable[P, Iterator[R]]:
    """``guarded`` for a method that yields: errors raised while the caller iterates are translated too."""

    @functools.wraps(method)
    def run(*args: P.args, **kwargs: P.kwargs) -> Iterator[R]:
        path = str(getattr(args[0], "path", "database"))
        try:
            yield from method(*args, **kwargs)
        except sqlite3.Error as err:
            raise _translated(path, err) from None
        except (UnicodeEncodeError, OverflowError) as err:
            raise _unbindable(err) from None

    run.__kb_guarded__ = True  # type: ignore[attr-defined]
    return run


class Connection:
    """An open, checked kb database. Opening refuses a file that is not a kb database, is damaged or
    comes from a newer kb; a writable open applies pending migrations."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = str(path)
        self.readonly = readonly
        self.immutable = False  # read through ?immutable=1: a read-only folder, no -shm file possible
        self._sig_before = integrity.signature(self.path)  # the file as it was before opening it
        self.conn = self._connect()
        try:
            self._check_and_migrate()
        except BaseException:
            self.conn.close()
            raise

    # ----------------------------------------------------------------------------------- open

    def _connect(self) -> sqlite3.Connection:
        p = Path(self.path)
        other = _not_a_file(p)
        if other is not None:  # before SQLite opens it: no -journal next to a device, no hang on a FIFO
            raise DatabaseError(
                f"{self.path} は通常のファイルではありません ({other})。データベースのファイル名を指定してください"
            )
        wal_left = False
        if self.readonly:
            if not p.exists():
                raise DatabaseError(
                    f"データベースがありません: {self.path} (先に kb import を実行してください)"
                )
            real = p.resolve()
            # A database in a folder kb cannot write to (a read-only folder or mount) is read as an
            # immutable file: nobody can write it there, and SQLite needs nothing beside it then.
            # Unless its write-ahead log holds changes (a kb killed before it closed the database,
            # or one closed while another kb had it open): immutable would not see them, so it is
            # read through the log, which works only while the log's index (-shm) is there too.
            unwritable_place = not os.access(real.parent, os.W_OK)
            wal_left = unwritable_place and _size(f"{real}-wal") > 0
            self.immutable = unwritable_place and not wal_left
            uri = f"file:{_uri_path(p)}?{'immutable=1' if self.immutable else 'mode=ro'}"
        else:
            try:
                p.parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise DatabaseError(f"データベースの場所を作れません: {self.path} ({err.strerror})") from None
            real = p.resolve()
            # every write needs a journal or log file beside the database
            if not os.access(real.parent, os.W_OK) or (p.exists() and not os.access(real, os.W_OK)):
                raise ReadOnlyDatabase(f"{self.path} に書き込めません (読み取り専用)")
            uri = f"file:{_uri_path(p)}?mode=rwc"
        try:
            conn = sqlite3.connect(
                uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as err:
            raise DatabaseError(f"{self.path} を開けません ({' '.join(str(err).split())})") from None
        try:
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")  # post_files links go with their file or post
            conn.execute("PRAGMA schema_version").fetchone()  # forces a read of the header
        except sqlite3.Error as err:
            conn.close()
            if wal_left:
                raise DatabaseError(
                    f"{self.path} の最後の変更がまだ {real.name}-wal に残っていて、書き込めない場所では読めません "
                    f"({' '.join(str(err).split())}); 書き込みできる利用者が一度 kb で書き込むか (kb import など)、"
                    f"{real.name} と {real.name}-wal を一緒に書き込める場所へコピーしてください"
                ) from None
            raise self._open_failure(err, "別のファイルを --db で指定してください") from None
        conn.create_function("kb_fold", 1, lambda t: fold(t) if isinstance(t, str) else t, deterministic=True)
        conn.create_function(
            "kb_heading_key", 1, lambda t: heading_key(t) if isinstance(t, str) else t, deterministic=True
        )
        return conn

    def _open_failure(self, err: sqlite3.Error, hint: str = "") -> DatabaseError:
        """Why the first reads of a file failed: the disk, the permissions, another kb, or the file."""
        kind = failure_kind(self.path, err)
        if kind == "readonly" and self.readonly:  # a hot journal only a writer can roll back
            return DatabaseError(
                f"{self.path} は前回の書き込みが途中で終わったままで、読み取り専用では開けません; "
                "書き込みできる利用者が一度 kb で書き込むと直ります (kb import など)"
            )
        if kind in ("full", "readonly", "busy", "io"):
            return _translated(self.path, err)
        text = " ".join(str(err).split())
        return DatabaseError(
            f"{self.path} は kb のデータベースではないか、壊れています ({text})"
            + (f". {hint}" if hint else "")
        )

    def _applied(self, tables: set[str]) -> list[str]:
        if "_sqlite_migrations" not in tables:
            return []
        return [
            str(r[0])
            for r in self.conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid", (MIGRATION_SET,)
            )
        ]

    def _check_and_migrate(self) -> None:
        try:
            tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            applied = self._applied(tables)
            self._verify(bool(applied))
        except sqlite3.Error as err:
            raise self._open_failure(err) from None
        known = [name for name, _ in MIGRATIONS]
        unknown = [a for a in applied if a not in known]
        if unknown:
            raise DatabaseError(
                f"{self.path} は新しい版の kb で作られています (schema {unknown[-1]}); kb を更新してください"
            )
        user_tables = {t for t in tables if not t.startswith(_INDEX_TABLES)}
        if not applied and user_tables:
            raise DatabaseError(
                f"{self.path} は kb のデータベースではありません (tables: {', '.join(sorted(user_tables)[:5])})"
            )
        if all(name in applied for name in known):
            return
        if self.readonly:
            if not applied:  # an empty file, or one another kb is creating right now
                raise DatabaseError(
                    f"{self.path} にはまだ何も取り込まれていません (先に kb import を実行してください)"
                )
            raise DatabaseError(f"{self.path} は古い形式です; 書き込みできる状態で kb を一度実行してください")
        if not tables:
            # a new file. Text is kept as UTF-16: two bytes per kana or kanji instead of three, a
            # third smaller post text (figures in bench/README.md)
            self.conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            self.conn.execute("PRAGMA encoding = 'UTF-16le'")
            # pages freed when FTS5 merges its segments go back to the file system (release_free_pages)
            self.conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
        self._migrate()

    def _verify(self, is_kb: bool) -> None:
        """Refuse a damaged file before anything reads or writes it. The check reads every page, so
        it runs again only when the file has changed since it last passed (kb.store.integrity)."""
        sig = integrity.signature(self.path)
        # the file opened is the one stamped only if the path named the same file throughout
        same = integrity.same_file(self._sig_before, sig)
        if same and integrity.is_verified(self.path, sig):
            return
        if self.conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise DatabaseError(f"{self.path} は壊れています (integrity check failed)")
        # remembered only for a kb database, and only if nothing wrote to it meanwhile
        if is_kb and same and integrity.signature(self.path) == sig:
            integrity.mark_verified(self.path, sig)

    def _migrate(self) -> None:
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
                fn(self.conn)
                self.conn.execute(
                    "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                    "VALUES (?, ?, datetime('now'))",
                    (MIGRATION_SET, name),
                )
            self.conn.execute("COMMIT")
        except sqlite3.Error as err:
            self.rollback()
            if failure_kind(self.path, err) in ("full", "readonly", "busy"):
                raise _translated(self.path, err) from None
            raise DatabaseError(f"{self.path} を準備できません ({' '.join(str(err).split())})") from None

    def use_wal(self) -> None:
        """Write in WAL mode until this connection closes, so that readers go on while it writes:
        for an import or a reindex, whose transactions follow one another for minutes. A short
        write (a name, a synonym, a removal) stays in rollback-journal mode: switching there and
        back costs two more synced writes than the write itself."""
        if self.readonly:
            return
        try:  # waits (busy_timeout) for readers to finish a read; else stays in rollback mode
            mode = str(self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
            if mode == "wal":
                self.conn.execute("PRAGMA synchronous = NORMAL")  # FULL stays for a rollback journal
        except sqlite3.Error:
            pass

    def _leave_wal(self) -> None:
        """Fold the write-ahead log into the file and leave WAL mode, so that the file alone is the
        database again: a reader that cannot write beside it (a read-only folder or mount, a full
        disk, another user's file) then needs no -wal or -shm file. Only the last connection can:
        while another one has the database open, the last writer to close does it. A database an
        older kb left in WAL mode, or one whose writer was killed, is brought back the same way."""
        try:
            self._rollback()
            if str(self.conn.execute("PRAGMA journal_mode").fetchone()[0]) != "wal":
                return
            self.conn.execute("PRAGMA busy_timeout = 0")
            self.conn.execute("PRAGMA journal_mode = DELETE").fetchall()
        except sqlite3.Error:
            pass

    def reader(self) -> Connection:
        """A second, read-only connection to this database (already checked by this one), for a
        thread that reads while another writes through this connection."""
        other = Connection.__new__(type(self))
        other.path, other.readonly, other.immutable = self.path, True, False
        other._sig_before = self._sig_before
        other.conn = other._connect()
        other._bind()
        return other

    def _bind(self) -> None:
        """Attach the parts that work through this connection (subclasses add theirs)."""

    # --------------------------------------------------------------------------- lifecycle

    def close(self) -> None:
        if not self.readonly:
            self._leave_wal()
        self.conn.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so writers queue on busy_timeout."""
        self.begin()
        try:
            yield
        except BaseException:
            self.rollback()
            raise
        self.commit()

    def begin(self) -> None:
        """Open a write transaction (BEGIN IMMEDIATE); pair with ``commit`` or ``rollback``."""
        if self.readonly:
            raise ReadOnlyDatabase(f"{self.path} に書き込めません (読み取り専用)")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as err:
            raise _translated(self.path, err) from None

    def commit(self) -> None:
        try:
            if not self.conn.in_transaction:
                return  # SQLite rolled back by itself after an error that has already been raised
            self.conn.execute("COMMIT")
        except sqlite3.Error as err:
            self.rollback()
            raise _translated(self.path, err) from None

    def rollback(self) -> None:
        try:
            self._rollback()
        except sqlite3.Error:
            pass  # the connection is unusable; the transaction is gone with it

    @guarded
    def release_free_pages(self) -> None:
        """Merge the segments the full-text indexes were written in, then give the pages left free by
        deletes and merges back to the file system. Databases created before kb used incremental
        auto-vacuum keep their free pages for reuse; a busy database is left for the next time."""
        if self.readonly or self.conn.in_transaction:
            return
        try:
            self.conn.execute("PRAGMA busy_timeout = 0")  # busy: don't wait, leave it for next time
            self._merge_segments()
            # executescript steps the pragma to the end (execute frees one page per step taken)
            self.conn.executescript("PRAGMA incremental_vacuum;")
        except sqlite3.OperationalError:
            pass
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def _merge_segments(self) -> None:
        """FTS5 writes each transaction's terms as a new segment and merges them as it goes
        (automerge); what is left at the end of an import (a dozen segments of every size) holds the
        same term lists several times. Merging segments of the same size, MERGE_PAGES pages a
        transaction until no two are left on a level, makes the indexes 8 % (words) and 12 %
        (trigrams) smaller, as 'optimize' would, without one long transaction that keeps other
        writers waiting, and without rewriting a large segment beside a small one (a small import
        into a big database merges only what it wrote)."""
        for table in ("passages_fts", "posts_tri"):
            self.conn.execute(f"INSERT INTO {table}({table}, rank) VALUES('usermerge', 2)")
            while True:
                before = self.conn.total_changes
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    self.conn.execute(f"INSERT INTO {table}({table}, rank) VALUES('merge', {MERGE_PAGES})")
                    self.conn.execute("COMMIT")
                except sqlite3.Error:
                    self._rollback()
                    raise
                if self.conn.total_changes - before < 2:  # no work was left: FTS5's documented test
                    break

    # ------------------------------------------------------------------------------- meta

    @guarded
    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    @guarded
    def set_meta(self, key: str, value: str | None) -> None:
        """Set (or, with None, delete) a meta value; inside a transaction."""
        if value is None:
            self.conn.execute("DELETE FROM meta WHERE key = ?", (key,))
        else:
            self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    @guarded
    def schema_version(self) -> str:
        row = self.conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid DESC LIMIT 1",
            (MIGRATION_SET,),
        ).fetchone()
        return str(row[0]) if row else "none"


# What a database path names when it is no regular file, for the message that refuses it.
_NOT_A_FILE = {
    "directory": "ディレクトリ",
    "char": "デバイス (character device)",
    "block": "デバイス (block device)",
    "fifo": "名前付きパイプ (FIFO)",
    "socket": "ソケット (socket)",
    "other": "特殊なファイル",
}


def _not_a_file(p: Path) -> str | None:
    """What a path names when it is there but is no regular file: a folder, a device, a pipe."""
    try:
        mode = os.stat(p).st_mode
    except (OSError, ValueError):  # missing, under a regular file, NUL in the name: said elsewhere
        return None
    return _NOT_A_FILE.get(file_kind(mode))


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except (OSError, ValueError):
        return 0


def _uri_path(p: Path) -> str:
    """A path for a file: URI (? and # would start the query or the fragment)."""
    return str(p.resolve()).replace("%", "%25").replace("?", "%3f").replace("#", "%23")

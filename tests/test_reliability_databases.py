"""Reliability, part 5: foreign and damaged databases.

kb is pointed (--db) at files that are not its database: random bytes, a text file, another
application's SQLite database, a kb database with a page overwritten or cut short, one written by
a newer kb, a directory. Every command answers with a clear message (stderr starts with "kb:"),
exit code 2 and no traceback, and the file is byte for byte what it was: kb never modifies a
database it does not understand. A read-only database can still be searched.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from kb.cli import app
from reliability_helpers import (
    Run,
    assert_clean_failure,
    copy_db,
    post_text,
    run_kb,
    sha256_file,
    unprivileged,
)

runner = CliRunner()

# Every command that opens the database, reading or writing.
COMMANDS: list[list[str]] = [
    ["import", "{corpus}"],
    ["search", "電子政府"],
    ["facts"],
    ["facts", "--kind", "quantity"],
    ["export", "-o", "-"],
    ["export", "--search", "電子政府", "-o", "-"],
    ["posts"],
    ["show", "1"],
    ["topics"],
    ["info"],
    ["remove", "1"],
    ["names", "add", "シンイー区役所"],
    ["names", "list"],
    ["names", "remove", "シンイー区役所"],
    ["reindex"],
]


def cli(db: Path, args: list[str], corpus: Path) -> Result:
    argv = ["--db", str(db), *[a.format(corpus=corpus) for a in args]]
    return runner.invoke(app, argv, env={"KB_DB": str(db), "COLUMNS": "200"})


def assert_refused(result: Result, args: list[str]) -> None:
    where = f"kb {' '.join(args)}: exit {result.exit_code}\n{result.output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{where}\n{result.exception!r}"
    )
    assert "Traceback" not in result.output, where
    assert result.exit_code == 2, where
    assert result.stderr.startswith("kb:"), where
    assert "内部エラー" not in result.stderr, where


def sidecars(db: Path) -> set[str]:
    return {p.name for p in db.parent.iterdir() if p.name.startswith(db.name) and p != db}


# --------------------------------------------------------------------------- the foreign files


@pytest.fixture(scope="module")
def kb_db(seed_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A healthy kb database (the seed posts), one file in rollback-journal mode, to damage copies of."""
    return copy_db(seed_db, tmp_path_factory.mktemp("healthy") / "kb.db")


def _random_bytes(path: Path, _kb_db: Path) -> None:
    path.write_bytes(random.Random(1).randbytes(3 * 4096))


def _text_file(path: Path, _kb_db: Path) -> None:
    path.write_text(post_text(3), encoding="utf-8")  # someone's notes, saved as kb.db


def _sqlite_header_then_garbage(path: Path, _kb_db: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + random.Random(2).randbytes(8192))


def _other_app(path: Path, _kb_db: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT)")
        conn.executemany(
            "INSERT INTO users (name, email) VALUES (?, ?)", [("鈴木", "a@example.jp"), ("佐藤", "b@x")]
        )
    conn.close()


def _other_app_with_migrations(path: Path, _kb_db: Path) -> None:
    """Another sqlite-utils application: it keeps _sqlite_migrations too, under its own name."""
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE _sqlite_migrations (migration_set TEXT, name TEXT, applied_at TEXT, "
            "PRIMARY KEY (migration_set, name))"
        )
        conn.execute("INSERT INTO _sqlite_migrations VALUES ('notes', 'm001', datetime('now'))")
        conn.execute("CREATE TABLE posts (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO posts (body) VALUES ('hello')")
    conn.close()


def _middle_page(db: Path, table: str | None = None) -> int:
    """The number of a b-tree page in the middle of the file (of ``table`` when given)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        sql = "SELECT pageno FROM dbstat WHERE pagetype IN ('leaf', 'internal') AND pageno > 1"
        params: tuple[str, ...] = ()
        if table:
            sql += " AND name = ?"
            params = (table,)
        pages = sorted(r[0] for r in conn.execute(sql, params))
    conn.close()
    assert pages, f"no b-tree page of {table}"
    return pages[len(pages) // 2]


def _page_size(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    conn.close()
    return size


def _overwrite_page(path: Path, kb_db: Path) -> None:
    """A kb database with one b-tree page in the middle overwritten by garbage (a bad sector)."""
    shutil.copyfile(kb_db, path)
    page, size = _middle_page(path), _page_size(path)
    with open(path, "r+b") as fh:
        fh.seek((page - 1) * size)
        fh.write(random.Random(3).randbytes(size))


def _overwrite_posts_page(path: Path, kb_db: Path) -> None:
    """Garbage over a page of the posts table itself."""
    shutil.copyfile(kb_db, path)
    page, size = _middle_page(path, "posts"), _page_size(path)
    with open(path, "r+b") as fh:
        fh.seek((page - 1) * size + 8)  # keep the page type byte, ruin the cell pointers
        fh.write(b"\xff" * 64)


def _truncated(path: Path, kb_db: Path) -> None:
    """A kb database cut in half (a copy interrupted, a full disk)."""
    data = kb_db.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _newer_schema(path: Path, kb_db: Path) -> None:
    shutil.copyfile(kb_db, path)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('kb', 'm999_future', datetime('now'))"
        )
    conn.close()


FOREIGN: dict[str, Callable[[Path, Path], None]] = {
    "random-bytes": _random_bytes,
    "text-file": _text_file,
    "sqlite-header-then-garbage": _sqlite_header_then_garbage,
    "other-app-database": _other_app,
    "other-app-with-migrations": _other_app_with_migrations,
    "kb-page-overwritten": _overwrite_page,
    "kb-posts-page-damaged": _overwrite_posts_page,
    "kb-truncated": _truncated,
    "kb-newer-schema": _newer_schema,
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "post.txt").write_text(post_text(4), encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", list(FOREIGN))
def test_every_command_refuses_a_database_it_does_not_understand(
    name: str, kb_db: Path, tmp_path: Path, corpus: Path
) -> None:
    db = tmp_path / "kb.db"
    FOREIGN[name](db, kb_db)
    before = sha256_file(db)
    for args in COMMANDS:
        result = cli(db, args, corpus)
        assert_refused(result, args)
        assert sha256_file(db) == before, f"kb {' '.join(args)} modified the {name} file"
        assert not sidecars(db), f"kb {' '.join(args)} left {sidecars(db)} next to the {name} file"


def test_messages_say_what_is_wrong(kb_db: Path, tmp_path: Path, corpus: Path) -> None:
    """Each kind of damage gets its own words: not a database, another application's, damaged, newer."""
    expect = {
        "random-bytes": "kb のデータベースではない|壊れ",
        "other-app-database": "kb のデータベースではありません",
        "kb-page-overwritten": "壊れ",
        "kb-newer-schema": "新しい版",
    }
    for name, words in expect.items():
        db = tmp_path / f"{name}.db"
        FOREIGN[name](db, kb_db)
        result = cli(db, ["search", "電子政府"], corpus)
        import re

        assert re.search(words, result.stderr), (name, result.stderr)
        assert str(db) in result.stderr, (name, result.stderr)  # which file


# Every kind is refused by every command in this process above; as real processes (three each), two
# kinds in the default tier (not a database at all, and kb's own from a newer kb), two more @slow.
@pytest.mark.parametrize(
    "name",
    [
        "random-bytes",
        pytest.param("other-app-database", marks=pytest.mark.slow),
        pytest.param("kb-page-overwritten", marks=pytest.mark.slow),
        "kb-newer-schema",
    ],
)
def test_real_process_refuses_and_leaves_the_file_alone(
    name: str, kb_db: Path, tmp_path: Path, corpus: Path
) -> None:
    db = tmp_path / "kb.db"
    FOREIGN[name](db, kb_db)
    before = sha256_file(db)
    for args in (["import", str(corpus)], ["search", "電子政府"], ["names", "add", "シンイー区役所"]):
        run: Run = run_kb(db, *args, home=tmp_path / "home")
        assert_clean_failure(run)
        assert sha256_file(db) == before


def test_damaged_full_text_index_is_reported_not_crashed_on(
    kb_db: Path, tmp_path: Path, corpus: Path
) -> None:
    """Garbage inside the word index's segments (bit rot inside the blobs: the b-tree is intact, so
    quick_check passes): a search says the database is damaged instead of an internal error."""
    db = tmp_path / "kb.db"
    shutil.copyfile(kb_db, db)
    rnd = random.Random(4)
    with sqlite3.connect(db) as conn:
        blocks = conn.execute("SELECT id, length(block) FROM passages_fts_data WHERE id > 10").fetchall()
        assert blocks, "the word index has no segment to damage"
        for block_id, length in blocks:
            conn.execute(
                "UPDATE passages_fts_data SET block = ? WHERE id = ?", (rnd.randbytes(length), block_id)
            )
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    conn.close()
    for args in (
        ["search", "電子政府"],
        ["search", "ソウル"],
        ["search", "mVoting"],
        ["facts", "--query", "電子政府"],
        ["export", "--search", "市", "-o", "-"],
    ):
        result = cli(db, args, corpus)
        where = f"kb {' '.join(args)}: exit {result.exit_code}\n{result.output}"
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"{where}\n{result.exception!r}"
        )
        assert result.exit_code in (0, 1, 2), where
        if result.exit_code == 2:
            assert result.stderr.startswith("kb:") and "内部エラー" not in result.stderr, where


# --------------------------------------------------------------------------- paths that are not files


def test_database_path_is_a_directory(tmp_path: Path, corpus: Path) -> None:
    folder = tmp_path / "kb.db"
    folder.mkdir()
    (folder / "keep.txt").write_text("x", encoding="utf-8")
    for args in COMMANDS:
        assert_refused(cli(folder, args, corpus), args)
    assert sorted(p.name for p in folder.iterdir()) == ["keep.txt"]
    run = run_kb(folder, "search", "電子政府", home=tmp_path / "home")
    assert_clean_failure(run)


def test_database_path_under_a_regular_file(tmp_path: Path, corpus: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    db = blocker / "kb.db"
    for args in (["import", "{corpus}"], ["search", "電子政府"], ["names", "add", "シンイー区役所"]):
        assert_refused(cli(db, args, corpus), args)
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_missing_database_for_reading_commands(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "nowhere" / "kb.db"
    for args in (["search", "電子政府"], ["facts"], ["posts"], ["export", "-o", "-"], ["info"]):
        assert_refused(cli(db, args, corpus), args)
    assert not (tmp_path / "nowhere").exists(), "a reading command created the database folder"


# --------------------------------------------------------------------------- read-only databases


def test_read_only_database_can_be_searched(kb_db: Path, tmp_path: Path, corpus: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    db = folder / "kb.db"
    shutil.copyfile(kb_db, db)
    before = sha256_file(db)
    db.chmod(0o444)
    try:
        for args in (
            ["search", "電子政府"],
            ["facts", "--kind", "quantity"],
            ["posts"],
            ["show", "1"],
            ["export", "-o", "-"],
            ["info"],
        ):
            result = cli(db, args, corpus)
            assert result.exit_code == 0, (args, result.output)
            assert result.exception is None or isinstance(result.exception, SystemExit)
        run = run_kb(db, "search", "電子政府", home=tmp_path / "home")
        assert run.code == 0, run.stderr
        assert sha256_file(db) == before
    finally:
        db.chmod(0o644)


@unprivileged
def test_read_only_database_refuses_writes(kb_db: Path, tmp_path: Path, corpus: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    db = folder / "kb.db"
    shutil.copyfile(kb_db, db)
    before = sha256_file(db)
    db.chmod(0o444)
    try:
        for args in (
            ["import", "{corpus}"],
            ["names", "add", "シンイー区役所"],
            ["remove", "1"],
            ["reindex"],
        ):
            result = cli(db, args, corpus)
            assert_refused(result, args)
            assert "読み取り専用" in result.stderr or "read-only" in result.stderr, result.stderr
        assert sha256_file(db) == before
    finally:
        db.chmod(0o644)


@unprivileged
def test_wal_database_in_a_read_only_folder_can_be_searched(
    seed_db: Path, tmp_path: Path, corpus: Path
) -> None:
    """A kb database as kb leaves it (WAL mode) on a read-only share: searching must still work."""
    folder = tmp_path / "share"
    folder.mkdir()
    db = folder / "kb.db"
    with sqlite3.connect(f"file:{seed_db}?mode=ro", uri=True) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = WAL")
    src.close()
    dst.close()
    db.chmod(0o444)
    folder.chmod(0o555)
    try:
        result = cli(db, ["search", "電子政府"], corpus)
        assert result.exit_code == 0, result.output
    finally:
        folder.chmod(0o755)
        db.chmod(0o644)


def test_empty_file_becomes_a_new_database(tmp_path: Path, corpus: Path) -> None:
    """A zero-byte file is what `touch kb.db` leaves: SQLite reads it as an empty database, kb may
    create its tables there (nothing to lose)."""
    db = tmp_path / "kb.db"
    db.write_bytes(b"")
    result = cli(db, ["import", "-j", "1", "{corpus}"], corpus)
    assert result.exit_code == 0, result.output
    assert cli(db, ["search", "電子政府"], corpus).exit_code in (0, 1)


def test_damaged_word_index_is_repaired_by_reindex(kb_db: Path, tmp_path: Path, corpus: Path) -> None:
    """The word index is derived data: `kb reindex` rebuilds it from the stored posts."""
    db = tmp_path / "kb.db"
    shutil.copyfile(kb_db, db)
    rnd = random.Random(5)
    with sqlite3.connect(db) as conn:
        for block_id, length in conn.execute(
            "SELECT id, length(block) FROM passages_fts_data WHERE id > 10"
        ).fetchall():
            conn.execute(
                "UPDATE passages_fts_data SET block = ? WHERE id = ?", (rnd.randbytes(length), block_id)
            )
    conn.close()
    repaired = cli(db, ["reindex"], corpus)
    assert repaired.exit_code == 0, repaired.output
    found = cli(db, ["search", "電子政府"], corpus)
    assert found.exit_code == 0, found.output
    assert "電子政府" in found.stdout


def test_reading_an_empty_database_does_not_call_it_old(tmp_path: Path, corpus: Path) -> None:
    """A database file with no tables yet (`touch kb.db`, or one that another kb is creating this very
    moment) holds nothing: reading commands say so, and do not call it an old-format database."""
    db = tmp_path / "kb.db"
    db.write_bytes(b"")
    for args in (["search", "電子政府"], ["facts"], ["posts"], ["export", "-o", "-"]):
        result = cli(db, args, corpus)
        where = f"kb {' '.join(args)}: exit {result.exit_code}\n{result.output}"
        assert result.exception is None or isinstance(result.exception, SystemExit), where
        assert result.exit_code in (1, 2), where
        assert "古い形式" not in result.stderr, where
    assert db.read_bytes() == b""

"""Reliability, part 6: databases kb may read but not write, and paths that are no database file.

A database on a read-only share (a folder or a mount nobody may write, another user's file) or on a
full disk answers every reading command; every writing command says read-only, or disk full, and
changes nothing. What makes that possible: kb leaves the database file alone as the whole database
when a writing command ends (no write-ahead log, no -shm index a reader would have to create), and a
reader that cannot write beside the file reads it as an immutable file only when no write-ahead log
holds changes the file does not (else it reads through the log, or says why it cannot).

The permission cases need a user whom permissions bind: they are marked ``unprivileged`` and skipped
as root; .ci/run runs them again as nobody. The mount and full-disk cases use a tmpfs of their own in
a private mount namespace (as any user where user namespaces are allowed).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from kb import api
from kb.cli import app
from kb.errors import ReadOnlyDatabase
from reliability_helpers import (
    FILL_DISK,
    KB,
    counts,
    integrity,
    kb_env,
    on_own_disk,
    post_text,
    sha256_file,
    unprivileged,
)

runner = CliRunner()

READS: list[list[str]] = [
    ["search", "電子政府"],
    ["search", "--json", "ソウル"],
    ["facts"],
    ["facts", "--kind", "quantity"],
    ["posts"],
    ["show", "1"],
    ["topics"],
    ["info"],
    ["export", "-o", "-"],
    ["export", "--search", "電子政府", "-o", "-"],
    ["names", "list"],
    ["synonyms", "list"],
]
WRITES: list[list[str]] = [
    ["names", "add", "シンイー区役所"],
    ["names", "remove", "シンイー区役所"],
    ["synonyms", "add", "スマホ", "スマートフォン"],
    ["remove", "1"],
    ["reindex"],
    ["import", "{corpus}"],
]


def cli(db: Path, args: list[str], corpus: Path | None = None) -> Result:
    argv = ["--db", str(db), *[a.format(corpus=corpus) for a in args]]
    result = runner.invoke(app, argv, env={"KB_DB": str(db), "COLUMNS": "200"})
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        repr(result.exception),
    )
    assert "Traceback" not in result.output and "内部エラー" not in result.output, (args, result.output)
    return result


def sidecars(db: Path) -> set[str]:
    return {p.name for p in db.parent.iterdir() if p.name.startswith(db.name) and p != db}


def journal_mode_in_header(db: Path) -> tuple[int, int]:
    """The file format's read and write versions (header bytes 18 and 19): 1 for a rollback journal,
    2 for WAL (a reader then needs the -shm index beside the file)."""
    with open(db, "rb") as fh:
        header = fh.read(20)
    return header[18], header[19]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "post.txt").write_text(post_text(4), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def made_by_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database exactly as the `kb import` command leaves it (the seed posts, a name, a synonym)."""
    root = tmp_path_factory.mktemp("made-by-kb")
    corpus = root / "posts"
    corpus.mkdir()
    shutil.copy(Path(__file__).parent / "fixtures" / "seed-blog.txt", corpus)
    db = root / "kb.db"
    for args in (["import", "-j", "1", str(corpus)], ["names", "add", "シンイー区役所"]):
        assert cli(db, args).exit_code == 0
    assert cli(db, ["synonyms", "add", "電子政府", "デジタル政府"]).exit_code == 0
    return db


def copy_files(db: Path, folder: Path) -> Path:
    """Copy a database with whatever lies beside it (a log, its index) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in db.parent.iterdir():
        if f.name == db.name or f.name.startswith(db.name + "-"):
            shutil.copy(f, folder / f.name)
    return folder / db.name


def legacy_wal(db: Path) -> None:
    """Put a database in WAL mode the way kb used to leave it: the mode in its header, no log beside it."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    assert journal_mode_in_header(db) == (2, 2) and not sidecars(db)


def commit_into_log(db: Path, name: str, *, keep_index: bool = True) -> None:
    """Add a name the way a kb killed after a commit would leave it: in the write-ahead log only (a
    process that ends without closing the database), the log's -shm index removed if asked."""
    code = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA journal_mode = WAL')\n"
        "c.execute('PRAGMA wal_checkpoint(TRUNCATE)')\n"
        "c.execute(\"INSERT INTO names (surface, kind) VALUES (?, 'org')\", (sys.argv[2],))\n"
        "os._exit(0)\n"
    )
    subprocess.run([KB[0], "-c", code, str(db), name], check=True, timeout=60)
    assert Path(f"{db}-wal").stat().st_size > 0
    if not keep_index:
        Path(f"{db}-shm").unlink()


@contextmanager
def read_only_folder(folder: Path) -> Iterator[None]:
    files = list(folder.iterdir())
    for f in files:
        f.chmod(0o444)
    folder.chmod(0o555)
    try:
        yield
    finally:
        folder.chmod(0o755)
        for f in files:
            f.chmod(0o644)


def assert_reads_work(db: Path, *, names: tuple[str, ...] = ("シンイー区役所",)) -> None:
    before = sha256_file(db)
    for args in READS:
        result = cli(db, args)
        assert result.exit_code == 0, (args, result.output)
    listed = cli(db, ["names", "list"]).stdout
    for name in names:
        assert name in listed, (name, listed)
    assert "電子政府" in cli(db, ["search", "電子政府"]).stdout
    assert sha256_file(db) == before


# --------------------------------------------------------------------------- the file as kb leaves it


def test_writing_commands_leave_the_file_alone_as_the_database(tmp_path: Path, corpus: Path) -> None:
    """After every writing command the database is one file in rollback-journal mode: nothing beside
    it that a reader on a read-only share or a full disk would have to create or read. A database an
    older kb left in WAL mode is brought back by the first write."""
    db = tmp_path / "kb.db"
    assert cli(db, ["import", "-j", "1", "{corpus}"], corpus).exit_code == 0
    assert journal_mode_in_header(db) == (1, 1) and not sidecars(db)
    legacy_wal(db)
    for args in WRITES:
        result = cli(db, args, corpus)
        assert result.exit_code == 0, (args, result.output)
        assert journal_mode_in_header(db) == (1, 1), args
        assert not sidecars(db), (args, sidecars(db))
    assert integrity(db) == "ok"


def test_a_reader_open_meanwhile_keeps_reading(tmp_path: Path, corpus: Path) -> None:
    """A reader that has the database open in WAL mode goes on reading while an import writes and
    sees its commits; the import cannot leave WAL mode while the reader is open, the next write does."""
    db = tmp_path / "kb.db"
    assert cli(db, ["names", "add", "シンイー区役所"]).exit_code == 2  # no database yet: not made
    assert cli(db, ["import", "-j", "1", "{corpus}"], corpus).exit_code == 0
    legacy_wal(db)
    more = tmp_path / "more"
    more.mkdir()
    (more / "other.txt").write_text(post_text(11), encoding="utf-8")
    with api.open_store(db) as reader:
        assert len(api.list_posts(reader)) == 1
        assert cli(db, ["import", "-j", "1", str(more)]).exit_code == 0
        assert len(api.list_posts(reader)) == 2
        assert journal_mode_in_header(db) == (2, 2)
    assert cli(db, ["names", "add", "シンイー区役所"]).exit_code == 0
    assert journal_mode_in_header(db) == (1, 1) and not sidecars(db)


# --------------------------------------------------------------------------- read-only folders and files


@unprivileged
@pytest.mark.parametrize("shape", ["as-kb-leaves-it", "legacy-wal-mode"])
def test_every_read_command_works_in_a_read_only_folder(made_by_kb: Path, tmp_path: Path, shape: str) -> None:
    db = copy_files(made_by_kb, tmp_path / "share")
    if shape == "legacy-wal-mode":
        legacy_wal(db)
    with read_only_folder(db.parent):
        assert_reads_work(db)
        assert not sidecars(db), sidecars(db)


@unprivileged
def test_changes_still_in_the_log_are_read_in_a_read_only_folder(made_by_kb: Path, tmp_path: Path) -> None:
    """A log holding a commit that the file does not (kb killed before it closed the database): read
    through the log, never as an immutable file that silently lacks the commit."""
    db = copy_files(made_by_kb, tmp_path / "share")
    commit_into_log(db, "江南区")
    with read_only_folder(db.parent):
        assert_reads_work(db, names=("シンイー区役所", "江南区"))


@unprivileged
def test_changes_in_a_log_that_cannot_be_read_are_refused_with_the_reason(
    made_by_kb: Path, tmp_path: Path
) -> None:
    """The log without its -shm index, in a folder where the index cannot be made: kb says the last
    changes are in the log and what to do, instead of answering without them."""
    db = copy_files(made_by_kb, tmp_path / "share")
    commit_into_log(db, "江南区", keep_index=False)
    with read_only_folder(db.parent):
        for args in (["names", "list"], ["search", "電子政府"], ["posts"]):
            result = cli(db, args)
            assert result.exit_code == 2, (args, result.output)
            assert result.stderr.startswith("kb:") and len(result.stderr.strip().splitlines()) == 1
            assert "kb.db-wal" in result.stderr and "コピー" in result.stderr, result.stderr
    # copied together to a writable place, the log is read and nothing is lost
    copy = copy_files(db, tmp_path / "copy")
    assert "江南区" in cli(copy, ["names", "list"]).stdout


@unprivileged
@pytest.mark.parametrize("what", ["file", "folder"])
def test_writing_commands_on_a_read_only_database_say_read_only(
    made_by_kb: Path, tmp_path: Path, corpus: Path, what: str
) -> None:
    """A read-only file, or a writable file in a read-only folder (where no journal can be made):
    every writing command says read-only, never "damaged" nor "run kb reindex"."""
    db = copy_files(made_by_kb, tmp_path / "share")
    before = sha256_file(db)
    if what == "file":
        db.chmod(0o444)
    else:
        db.parent.chmod(0o555)
    try:
        for args in WRITES:
            result = cli(db, args, corpus)
            assert result.exit_code == 2, (args, result.output)
            assert "読み取り専用" in result.stderr, (args, result.stderr)
            assert "reindex" not in result.stderr and "壊れ" not in result.stderr, (args, result.stderr)
        with pytest.raises(ReadOnlyDatabase):
            api.open_store(db, write=True)
        assert_reads_work(db)
    finally:
        db.parent.chmod(0o755)
        db.chmod(0o644)
    assert sha256_file(db) == before
    assert not sidecars(db)


@unprivileged
def test_real_process_in_a_read_only_folder(made_by_kb: Path, tmp_path: Path) -> None:
    db = copy_files(made_by_kb, tmp_path / "share")
    with read_only_folder(db.parent):
        env = kb_env(tmp_path / "home", db)
        found = subprocess.run([*KB, "--db", str(db), "search", "電子政府"], capture_output=True, env=env)
        assert found.returncode == 0, found.stderr.decode()
        refused = subprocess.run([*KB, "--db", str(db), "reindex"], capture_output=True, env=env)
        assert refused.returncode == 2
        assert "読み取り専用" in refused.stderr.decode()


# --------------------------------------------------------------------------- a read-only mount, a full disk


def _copy_in(db: Path) -> str:
    """Setup code for on_own_disk: the database's files copied onto the test's disk."""
    names = [f.name for f in db.parent.iterdir() if f.name == db.name or f.name.startswith(db.name + "-")]
    return "".join(f"shutil.copy({str(db.parent / n)!r}, os.path.join(MNT, {n!r}))\n" for n in names)


_AFTER = (
    "c = sqlite3.connect(f'file:{MNT}/kb.db?immutable=1', uri=True)\n"
    "result['integrity'] = c.execute('PRAGMA integrity_check').fetchone()[0]\n"
    "result['posts'] = c.execute('SELECT count(*) FROM posts').fetchone()[0]\n"
    "result['names'] = [r[0] for r in c.execute('SELECT surface FROM names')]\n"
    "c.close()\n"
)


@pytest.mark.parametrize("shape", ["as-kb-leaves-it", "legacy-wal-mode"])
def test_read_only_mount(made_by_kb: Path, tmp_path: Path, corpus: Path, shape: str) -> None:
    src = copy_files(made_by_kb, tmp_path / "src")
    if shape == "legacy-wal-mode":
        legacy_wal(src)
    writes = [[a.format(corpus=corpus) for a in w] for w in WRITES]
    got = on_own_disk(tmp_path, "kb.db", [*READS, *writes], setup=_copy_in(src), after=_AFTER, readonly=True)
    for args, (code, _out, err) in zip([*READS, *writes], got.runs, strict=True):
        assert "Traceback" not in err and "内部エラー" not in err, (args, err)
        if args in READS:
            assert code == 0, (args, err)
        else:
            assert code == 2 and "読み取り専用" in err, (args, err)
    assert got.after["integrity"] == "ok" and got.after["names"] == ["シンイー区役所"]


def test_changes_in_the_log_on_a_read_only_mount(made_by_kb: Path, tmp_path: Path) -> None:
    """A log holding a commit, on a mount made read-only before anyone could fold it in."""
    src = copy_files(made_by_kb, tmp_path / "src")
    commit_into_log(src, "江南区")
    got = on_own_disk(
        tmp_path, "kb.db", [["names", "list"], ["search", "電子政府"]], setup=_copy_in(src), readonly=True
    )
    (code, out, err), (found, _, _) = got.runs
    assert code == 0 and "江南区" in out, err
    assert found == 0


def test_full_disk_reads_work_and_writes_say_disk_full(made_by_kb: Path, tmp_path: Path) -> None:
    """The database as kb leaves it on a disk with no byte left: every reading command answers, every
    writing command says the disk is full, and the file is as it was."""
    src = copy_files(made_by_kb, tmp_path / "src")
    changed = tmp_path / "changed"
    changed.mkdir()
    (changed / "new.txt").write_text(post_text(9), encoding="utf-8")
    writes = [[a.format(corpus=changed) for a in w] for w in WRITES]
    runs = [*READS, *writes, *READS]
    got = on_own_disk(tmp_path, "kb.db", runs, setup=_copy_in(src) + FILL_DISK, after=_AFTER, size="2m")
    assert got.free == 0
    for args, (code, _out, err) in zip(runs, got.runs, strict=True):
        assert "Traceback" not in err and "内部エラー" not in err, (args, err)
        if args in READS:
            assert code == 0, (args, err)
        else:
            assert code == 2 and "ディスクの空きがありません" in err, (args, err)
            assert len(err.strip().splitlines()) == 1, err
    assert got.after["integrity"] == "ok"
    assert got.after["names"] == ["シンイー区役所"]
    assert got.after["posts"] == counts(made_by_kb)["posts"]
    assert got.files == ["filler", "kb.db"], got.files


# --------------------------------------------------------------------------- paths that are no database file


def _device(tmp_path: Path, name: str) -> Path:
    """A character device to give as --db: a node of our own in tmp_path where we may make one (root),
    else the system's own, which this user cannot write beside (kb must not leave a -journal there)."""
    node = tmp_path / name
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, {"null": 3, "zero": 5}[name]))
        return node
    except OSError:
        pass
    if os.access("/dev", os.W_OK):
        pytest.skip("cannot make a device node of our own, and may write to /dev: not pointing kb at it")
    return Path("/dev") / name


@pytest.mark.parametrize("name", ["null", "zero"])
def test_character_device_as_database(tmp_path: Path, corpus: Path, name: str) -> None:
    device = _device(tmp_path, name)
    for args in [*READS, *WRITES, ["import", "-j", "1", "{corpus}"]]:
        result = cli(device, args, corpus)
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.startswith("kb:") and len(result.stderr.strip().splitlines()) == 1
        assert "通常のファイルではありません" in result.stderr and "デバイス" in result.stderr, result.stderr
        assert not sidecars(device), sidecars(device)


def test_fifo_as_database_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "kb.db"
    os.mkfifo(fifo)
    proc = subprocess.run(
        [*KB, "--db", str(fifo), "search", "電子政府"],
        capture_output=True,
        env=kb_env(tmp_path / "home", fifo),
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2 and "名前付きパイプ" in err, err
    assert not sidecars(fifo)

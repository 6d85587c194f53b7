"""Reliability, part 6: databases kb may read but not write, and paths that are no database file.

A database on a read-only share (a read-only folder, another user's file) answers every reading
command; every writing command says read-only and changes nothing. A device, a FIFO or a folder
given as --db is refused before SQLite opens it.

The permission cases need a user whom permissions bind: they are marked ``unprivileged`` and skipped
as root; .ci/run runs them again as nobody.
"""

from __future__ import annotations

import os
import shutil
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
    KB,
    kb_env,
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
    ["names", "add", "ノウォン区役所"],
    ["names", "remove", "ノウォン区役所"],
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
    for args in (["import", "-j", "1", str(corpus)], ["names", "add", "ノウォン区役所"]):
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


def assert_reads_work(db: Path, *, names: tuple[str, ...] = ("ノウォン区役所",)) -> None:
    before = sha256_file(db)
    for args in READS:
        result = cli(db, args)
        assert result.exit_code == 0, (args, result.output)
    listed = cli(db, ["names", "list"]).stdout
    for name in names:
        assert name in listed, (name, listed)
    assert "電子政府" in cli(db, ["search", "電子政府"]).stdout
    assert sha256_file(db) == before


# --------------------------------------------------------------------------- read-only folders and files


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


def test_fifo_as_database_is_refused_without_waiting(tmp_path: Path, corpus: Path) -> None:
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

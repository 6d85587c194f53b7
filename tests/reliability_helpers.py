"""Shared pieces of the reliability suite (tests/test_reliability_*.py): running kb as a user would
(a subprocess with its own HOME and database), building corpora from the seed posts, and reading a
kb database back independently of kb (plain sqlite3) to prove what it holds.

Nothing here touches the user's home: every run gets HOME, XDG_CONFIG_HOME and KB_DB from the test.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed-blog.txt"
FOOTER = "政治家 ブログランキングへ"
COUNTED = ("files", "posts", "sections", "passages", "facts")
KB = [sys.executable, "-m", "kb"]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
F = TypeVar("F", bound=Callable[..., Any])


UNPRIVILEGED = (
    pytest.mark.unprivileged,
    pytest.mark.skipif(
        IS_ROOT, reason="needs a non-root user (root writes whatever the mode); .ci/run runs it as nobody"
    ),
)  # the marks of unprivileged(), for a pytest.param


def unprivileged(test: F) -> F:
    """A test that needs a user whom file permissions bind (root reads and writes whatever the mode):
    marked ``unprivileged`` so that .ci/run, which runs as root, runs it again as nobody; skipped as root."""
    for mark in reversed(UNPRIVILEGED):
        test = mark(test)
    return test


# --------------------------------------------------------------------------- running kb


def kb_env(home: Path, db: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment of a kb subprocess: a private HOME and config folder, KB_DB, no debug tracebacks."""
    env = {k: v for k, v in os.environ.items() if k not in ("KB_DEBUG", "KB_DB")}
    home.mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        PYTHONIOENCODING="utf-8",
        LC_ALL="C.UTF-8",
        LANG="C.UTF-8",
        COLUMNS="200",
    )
    if db is not None:
        env["KB_DB"] = str(db)
    env.update(extra)
    return env


@dataclass
class Run:
    """A finished kb process."""

    args: list[str]
    code: int
    stdout: str
    stderr: str
    seconds: float


def kb_cmd(db: Path, *args: str) -> list[str]:
    return [*KB, "--db", str(db), *args]


def run_kb(
    db: Path,
    *args: str,
    home: Path,
    timeout: float = 120,
    stdin: bytes | None = None,
    cwd: Path | None = None,
) -> Run:
    """Run ``kb --db DB ARGS`` to completion (KB_DB points at the same file)."""
    cmd = kb_cmd(db, *args)
    started = time.perf_counter()
    proc = subprocess.run(
        cmd,
        input=stdin if stdin is not None else b"",
        capture_output=True,
        env=kb_env(home, db),
        timeout=timeout,
        cwd=str(cwd or home),
    )
    return Run(
        cmd,
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
        time.perf_counter() - started,
    )


def kb_argv(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db: Path, *args: bytes
) -> tuple[int, str, str]:
    """kb's entry point in this process, with the arguments Python's start-up gives a process whose
    argv holds these bytes (os.fsdecode: a byte that is not UTF-8 becomes a surrogate)."""
    from kb.cli import main

    capsys.readouterr()
    monkeypatch.setattr(sys, "argv", ["kb", "--db", str(db), *(os.fsdecode(a) for a in args)])
    with pytest.raises(SystemExit) as exit_info:
        main()
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "内部エラー" not in err and "internal error" not in err, err
    return int(exit_info.value.code or 0), out, err


def start_kb(db: Path, *args: str, home: Path) -> subprocess.Popen[bytes]:
    """Start ``kb --db DB ARGS`` in its own process group (so a kill reaches its workers, as a crash would)."""
    return subprocess.Popen(
        kb_cmd(db, *args),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=kb_env(home, db),
        cwd=str(home),
        start_new_session=True,
    )


def kill_group(proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    """Send ``sig`` to the process group of a process this suite started (never anything else)."""
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass


def reap_group(proc: subprocess.Popen[bytes], timeout: float = 30) -> tuple[int, str, str]:
    """Wait for a started process; returns (exit code, stdout, stderr). Kills its group if it hangs."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        out, err = proc.communicate()
        raise AssertionError(f"kb did not finish within {timeout} s: {proc.args}") from None
    finally:
        _wait_group_gone(proc.pid)
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def living_in_group(pgid: int) -> list[int]:
    """Processes of a process group that still run. Zombies, which an init that does not reap leaves
    behind, do not count (``killpg(pgid, 0)`` does count them)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            out.append(int(stat.parent.name))
    return out


def _wait_group_gone(pgid: int, timeout: float = 10) -> None:
    """Wait until no process of the group is left (pool workers may outlive a killed parent briefly)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and living_in_group(pgid):
        time.sleep(0.02)
    try:
        os.killpg(pgid, signal.SIGKILL)  # stragglers of our own group
    except (ProcessLookupError, PermissionError):
        pass


def assert_clean_failure(run: Run, code: int = 2) -> None:
    """A refusal the user can read: exit ``code``, a message starting with "kb:", no traceback."""
    assert run.code == code, f"exit {run.code}, expected {code}\nstdout: {run.stdout}\nstderr: {run.stderr}"
    assert_no_traceback(run)
    assert run.stderr.startswith("kb:") or "\nkb:" in run.stderr, run.stderr
    assert "内部エラー" not in run.stderr and "internal error" not in run.stderr, run.stderr


def assert_no_traceback(run: Run) -> None:
    for text in (run.stdout, run.stderr):
        assert "Traceback" not in text, f"{run.args}\n{text}"
        assert "内部エラー" not in text, f"{run.args}\n{text}"
    assert "database is locked" not in run.stderr, run.stderr


# --------------------------------------------------------------------------- corpora


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def seed_posts() -> list[tuple[str, list[str]]]:
    """The posts of the seed archive as (title, body lines), footer and page chrome removed."""
    parts = seed_text().split(FOOTER)
    posts = []
    for part in parts:
        lines = [ln.rstrip() for ln in part.split("\n")]
        nonblank = [ln for ln in lines if ln.strip()]
        if len(nonblank) < 3 or "前のページ" in part:
            continue
        i = lines.index(nonblank[0])
        posts.append((nonblank[0].strip(), lines[i + 1 :]))
    return posts


def post_text(n: int, *, version: int = 1, max_lines: int = 40) -> str:
    """A small, unique post made from seed post ``n`` (mod the seed count): title and figures vary with n."""
    posts = seed_posts()
    title, body = posts[n % len(posts)]
    body = body[:max_lines]
    extra = (
        f"この視察には議員{n + 2}人が参加し、事業費は{(n + 1) * 3 + version}億円、"
        f"利用者は{(n + 1) * 1200 + version}人でした。"
    )
    return "\n".join([f"{title}（第{n + 1}報・版{version}）", "", extra, "", *body, ""])


def archive_text(ns: Sequence[int], *, version: int = 1, max_lines: int = 25) -> str:
    """Several posts in one file, each closed by the seed blog's footer (an archive page)."""
    return "".join(post_text(n, version=version, max_lines=max_lines) + f"\n\n{FOOTER}\n\n" for n in ns)


def write_corpus(
    root: Path,
    n_files: int = 30,
    *,
    version: int = 1,
    changed: Sequence[int] = (),
    max_lines: int = 40,
    first: int = 0,
) -> list[Path]:
    """``n_files`` post files under ``root`` (some holding two posts). Files whose index is in ``changed``
    get ``version``; the others stay at version 1, so a second corpus differs in a few files only.
    Posts are numbered from ``first``: corpora with distinct ``first`` share no post."""
    root.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n_files):
        v = version if i in changed else 1
        if i % 6 == 5:
            path = root / f"archive-{i:02d}.txt"
            text = archive_text([first + i, first + i + 1001], version=v, max_lines=max_lines)
        else:
            path = root / f"post-{i:02d}.txt"
            text = post_text(first + i, version=v, max_lines=max_lines)
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


# --------------------------------------------------------------------------- reading a kb database back


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def connect(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(db), timeout=60)
    conn.execute("PRAGMA busy_timeout = 60000")
    return conn


def integrity(db: Path) -> str:
    with _closing(connect(db)) as conn:
        return "\n".join(str(r[0]) for r in conn.execute("PRAGMA integrity_check"))


def counts(db: Path) -> dict[str, int]:
    if not db.exists():
        return dict.fromkeys(COUNTED, 0)
    with _closing(connect(db)) as conn:
        tables = _tables(conn)
        return {
            t: (int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) if t in tables else 0)
            for t in COUNTED
        }


def post_shapes(db: Path) -> dict[str, tuple[str, str, int, int, int]]:
    """Every post by uid: (file path, title, sections, passages, facts)."""
    if not db.exists():
        return {}
    with _closing(connect(db)) as conn:
        tables = _tables(conn)
        if "posts" not in tables:
            return {}
        rows = conn.execute(
            "SELECT po.uid, f.path, po.title, "
            "(SELECT count(*) FROM sections s WHERE s.post_id = po.id), "
            "(SELECT count(*) FROM passages p WHERE p.post_id = po.id), "
            "(SELECT count(*) FROM facts fa WHERE fa.post_id = po.id) "
            "FROM posts po JOIN post_files pf ON pf.post_id = po.id JOIN files f ON f.id = pf.file_id"
        ).fetchall()
    return {str(r[0]): (str(r[1]), str(r[2]), int(r[3]), int(r[4]), int(r[5])) for r in rows}


def file_posts(db: Path) -> dict[str, tuple[str, frozenset[str]]]:
    """Every file row: path -> (sha256, the uids of its posts)."""
    if not db.exists():
        return {}
    with _closing(connect(db)) as conn:
        tables = _tables(conn)
        if "files" not in tables:
            return {}
        out: dict[str, tuple[str, frozenset[str]]] = {}
        for fid, path, sha in conn.execute("SELECT id, path, sha256 FROM files"):
            uids = frozenset(
                str(r[0])
                for r in conn.execute(
                    "SELECT uid FROM posts JOIN post_files pf ON pf.post_id = posts.id WHERE pf.file_id = ?",
                    (fid,),
                )
            )
            out[str(path)] = (str(sha), uids)
        return out


def orphans(db: Path) -> dict[str, int]:
    """Rows that a half-written import would leave: posts without passages, rows without their parent."""
    with _closing(connect(db)) as conn:
        q = {
            "posts without passages": "SELECT count(*) FROM posts po WHERE NOT EXISTS "
            "(SELECT 1 FROM passages p WHERE p.post_id = po.id)",
            "posts without file": "SELECT count(*) FROM posts po WHERE NOT EXISTS "
            "(SELECT 1 FROM post_files pf JOIN files f ON f.id = pf.file_id WHERE pf.post_id = po.id)",
            "sections without post": "SELECT count(*) FROM sections s WHERE NOT EXISTS "
            "(SELECT 1 FROM posts po WHERE po.id = s.post_id)",
            "passages without post": "SELECT count(*) FROM passages p WHERE NOT EXISTS "
            "(SELECT 1 FROM posts po WHERE po.id = p.post_id)",
            "facts without post": "SELECT count(*) FROM facts fa WHERE NOT EXISTS "
            "(SELECT 1 FROM posts po WHERE po.id = fa.post_id)",
            # a title passage has no section; every other passage has one that exists
            "passages without section": "SELECT count(*) FROM passages p WHERE p.section_id IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM sections s WHERE s.id = p.section_id)",
        }
        tables = _tables(conn)
        if "posts" not in tables:
            return {}
        return {k: int(conn.execute(sql).fetchone()[0]) for k, sql in q.items()}


_NOT_CONTENT = {
    "id", "key", "file_id", "post_id", "section_id", "passage_id", "imported_at", "added_at", "updated_at", "ord",
}  # fmt: skip


def dump(db: Path) -> list[tuple[object, ...]]:
    """Every stored row that a bad input could change, independent of row ids and of the schema's details:
    files holding posts (by file name, so copies of a corpus in other folders compare equal), then the
    rows of posts, sections, passages and facts, each tied to its post by uid, all columns but ids."""
    with _closing(connect(db)) as conn:
        tables = _tables(conn)
        rows: list[tuple[object, ...]] = []

        def columns(table: str) -> list[str]:
            return [
                str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in _NOT_CONTENT
            ]

        cols = columns("files")
        files = conn.execute(
            f"SELECT {', '.join(_q(c) for c in cols)} FROM files WHERE id IN (SELECT file_id FROM post_files)"
        ).fetchall()
        rows += sorted(
            (
                ("files", *(os.path.basename(v) if c == "path" else v for c, v in zip(cols, r, strict=True)))
                for r in files
            ),
            key=repr,
        )
        cols = columns("posts")
        text = "(SELECT text FROM texts WHERE texts.post_id = posts.id)" if "texts" in tables else "NULL"
        rows += sorted(
            (
                ("posts", *r)
                for r in conn.execute(f"SELECT {', '.join(_q(c) for c in cols)}, {text} FROM posts")
            ),
            key=repr,
        )
        for table in ("sections", "passages", "facts"):
            if table not in tables:
                continue
            cols = columns(table)
            sql = (
                f"SELECT po.uid, {', '.join('t.' + _q(c) for c in cols)} FROM {table} t "
                "JOIN posts po ON po.id = t.post_id"
            )
            rows += sorted(((table, *r) for r in conn.execute(sql)), key=repr)
        return rows


def _q(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def checkpoint(db: Path) -> None:
    """Fold the WAL into the main file and leave rollback-journal mode, so the file alone is the database."""
    with _closing(connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")


def copy_db(src: Path, dst: Path) -> Path:
    """A consistent copy of a database (WAL included) in rollback-journal mode; the source is only read."""
    with (
        _closing(sqlite3.connect(f"file:{src}?mode=ro", uri=True)) as a,
        _closing(sqlite3.connect(str(dst))) as b,
    ):
        a.backup(b)
        b.execute("PRAGMA journal_mode = DELETE")
    return dst


class _closing:  # contextlib.closing, typed for sqlite3
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        return self.conn

    def __exit__(self, *exc: object) -> None:
        self.conn.close()


# --------------------------------------------------------------------------- a disk of our own


_MOUNT_DRIVER = r"""
import json, os, subprocess, sys
spec = json.loads(sys.argv[1])
mnt = spec["mnt"]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=" + spec["size"], "tmpfs", mnt], check=True)
exec(spec["setup"], {"MNT": mnt})
if spec["readonly"]:
    subprocess.run(["mount", "-o", "remount,ro", "-t", "tmpfs", "tmpfs", mnt], check=True)
st = os.statvfs(mnt)
out = {"free": st.f_bavail * st.f_frsize, "runs": []}
os.environ.clear()
os.environ.update(spec["env"])
from typer.testing import CliRunner
from kb.cli import app
runner = CliRunner()
for args in spec["runs"]:
    r = runner.invoke(app, ["--db", spec["db"], *args])
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise r.exception
    out["runs"].append([r.exit_code, r.stdout, r.stderr])
out["files"] = sorted(os.listdir(mnt))
after = {}
exec(spec["after"], {"MNT": mnt, "result": after})
out["after"] = after
with open(spec["out"], "w", encoding="utf-8") as fh:
    json.dump(out, fh)
"""

FILL_DISK = """
fd = os.open(os.path.join(MNT, "filler"), os.O_WRONLY | os.O_CREAT)
for size in (1 << 20, 1 << 16, 4096, 512, 1):
    try:
        while True:
            os.write(fd, b"\\0" * size)
    except OSError:
        pass
os.close(fd)
"""


def _namespace_command() -> list[str] | None:
    """How to get a private mount namespace here: as anyone through a user namespace, or as root."""
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return None
    for cmd in (["unshare", "-Urm"], ["unshare", "-m"]):
        try:
            if subprocess.run([*cmd, "true"], capture_output=True, timeout=30).returncode == 0:
                return cmd
        except (OSError, subprocess.TimeoutExpired):
            continue
    return None


@dataclass
class MountRun:
    """What happened on a small file system of the test's own (a tmpfs in a private mount namespace,
    gone when the run ends): each kb run as (exit code, stdout, stderr), the files left on it, its
    free space, and what the ``after`` code recorded in ``result``."""

    runs: list[tuple[int, str, str]]
    files: list[str]
    free: int
    after: dict[str, Any]


def on_own_disk(
    tmp: Path,
    db_name: str,
    runs: Sequence[Sequence[str]],
    *,
    setup: str,
    after: str = "",
    size: str = "4m",
    readonly: bool = False,
) -> MountRun:
    """Mount a tmpfs of ``size`` (in a private mount namespace, so nothing outlives the test and no
    privilege is needed where user namespaces are allowed), run the Python ``setup`` on it (MNT is
    its path: copy a database in, fill it up), remount it read-only if asked, then run kb with each
    of ``runs`` against MNT/``db_name`` (in one process there, as the CLI tests do) and the Python
    ``after`` (which fills ``result``). Skips the test where no mount namespace can be had."""
    ns = _namespace_command()
    if ns is None:
        pytest.skip("no private mount namespace here (unshare -Urm and unshare -m both refused)")
    mnt = tmp / "disk"
    mnt.mkdir()
    home = tmp / "home"
    db = mnt / db_name
    spec = {
        "mnt": str(mnt),
        "size": size,
        "setup": "import os, shutil, sqlite3\n" + setup,
        "after": "import os, sqlite3\n" + after,
        "readonly": readonly,
        "db": str(db),
        "env": kb_env(home, db, XDG_CACHE_HOME=str(home / ".cache")),
        "runs": [list(r) for r in runs],
        "out": str(tmp / "mount-run.json"),
    }
    proc = subprocess.run(
        [*ns, sys.executable, "-c", _MOUNT_DRIVER, json.dumps(spec)], capture_output=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    got = json.loads((tmp / "mount-run.json").read_text(encoding="utf-8"))
    return MountRun([tuple(r) for r in got["runs"]], got["files"], got["free"], got["after"])


# --------------------------------------------------------------------------- a big file


BIG_FILE_BYTES = 4 * 1024 * 1024 + 65536  # just over kb.importer.plan.STREAM_BYTES: streamed in parts


def write_big_archive(
    path: Path, n_posts: int = 400, *, version: int = 1, changed: Sequence[int] = (), max_lines: int = 14
) -> int:
    """A saved archive page over the big-file size: ``n_posts`` posts (post_text; those in
    ``changed`` at ``version``), each with an inline photo that pads the page. Returns the post count."""
    import base64
    import random

    posts = []
    for n in range(n_posts):
        text = post_text(n, version=version if n in changed else 1, max_lines=max_lines)
        title, *body = text.split("\n")
        paras = "".join(f"<p>{line}</p>\n" for line in body if line.strip())
        posts.append((title, paras))
    pad = BIG_FILE_BYTES // n_posts
    photo = base64.b64encode(random.Random(7).randbytes(pad * 3 // 4)).decode()
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("<!DOCTYPE html><html><head><meta charset='utf-8'><title>アーカイブ</title></head><body>\n")
        for title, paras in posts:
            fh.write(
                f"<article><h2>{title}</h2>\n{paras}<p><img src='data:image/jpeg;base64,{photo}'></p></article>\n"
            )
        fh.write("</body></html>\n")
    assert path.stat().st_size > BIG_FILE_BYTES, path.stat().st_size
    return n_posts

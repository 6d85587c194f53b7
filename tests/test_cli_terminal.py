"""kb on real terminals and odd ones: progress bars on stderr (a pseudo-terminal) while results go to
standard output, output to a terminal whose encoding is not UTF-8, a query typed in UTF-8 under an
ASCII locale, and every message one line. These run kb as a process, as a user's shell does."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import copy_db, seed_titles
from helpers import run_script as run

KB = [sys.executable, "-m", "kb"]


def env(tmp: Path, **extra: str) -> dict[str, str]:
    out = {
        k: v
        for k, v in os.environ.items()
        if k not in ("KB_DEBUG", "KB_DB", "PYTHONIOENCODING", "PYTHONUTF8")
    }
    out.update(HOME=str(tmp), XDG_CONFIG_HOME=str(tmp / "config"), XDG_CACHE_HOME=str(tmp / "cache"))
    out.update(LC_ALL="C.UTF-8", LANG="C.UTF-8", COLUMNS="100", TERM="xterm")
    out.update(extra)
    return out


def with_stderr_on_a_terminal(args: list[str], tmp: Path) -> tuple[int, bytes, str]:
    """Run kb with stderr on a pseudo-terminal and stdout into a pipe: (exit code, stdout, terminal)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([*KB, *args], stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL,
                            env=env(tmp), cwd=tmp)  # fmt: skip
    os.close(slave)
    screen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the process closed its end
            break
        if not chunk:
            break
        screen += chunk
    os.close(master)
    out, _ = proc.communicate(timeout=120)
    return proc.returncode, out, screen.decode("utf-8", "replace")


def test_import_and_reindex_draw_progress_on_stderr(seed_db: Path, tmp_path: Path) -> None:
    db = copy_db(seed_db, tmp_path / "kb.db")
    post = tmp_path / "post.txt"
    post.write_text("進捗の確認\n\n参加者は約30人でした。\n", encoding="utf-8")
    code, out, screen = with_stderr_on_a_terminal(["--db", str(db), "import", str(post), "-j", "1"], tmp_path)
    assert (code, out) == (0, b"")  # standard output stays clean for results
    assert "取り込み中" in screen and "1/1" in screen
    assert "投稿: 新規 1・更新 0・変更なし 0・重複 0・削除 0" in screen
    code, out, screen = with_stderr_on_a_terminal(["--db", str(db), "reindex"], tmp_path)
    assert (code, out) == (0, b"")
    assert "解析し直し中" in screen and "6/6" in screen
    assert "6 件の投稿の索引と事実を作り直しました" in screen


# cp932 (a Japanese Windows console) in the default tier; the other two, three processes each, @slow
@pytest.mark.parametrize(
    "encoding",
    ["cp932", pytest.param("euc_jp", marks=pytest.mark.slow), pytest.param("ascii", marks=pytest.mark.slow)],
)
def test_output_to_a_terminal_that_cannot_show_every_character(
    seed_db: Path, tmp_path: Path, encoding: str
) -> None:
    """◼️ (in the sample's headings) has no cp932 or EUC-JP code: kb replaces it instead of crashing."""
    for args in (["show", "1"], ["facts", "--topic", "mVoting"], ["topics"]):
        proc = subprocess.run([*KB, "--db", str(seed_db), *args], capture_output=True, timeout=120,
                              env=env(tmp_path, PYTHONIOENCODING=encoding), cwd=tmp_path)  # fmt: skip
        assert (proc.returncode, proc.stderr) == (0, b""), (args, proc.stderr.decode(encoding, "replace"))
        text = proc.stdout.decode(encoding)  # what the terminal gets is valid in its encoding
        assert "mVoting" in text and "?" in text
        if encoding != "ascii":
            assert seed_titles()[0] in text or "数量" in text or "項目" in text


def test_a_utf8_query_under_an_ascii_locale_is_not_dropped(seed_db: Path, tmp_path: Path) -> None:
    """LC_ALL=C without UTF-8 mode: Python reads argv as ASCII with escapes; kb reads the bytes as the
    UTF-8 they are, finds the posts and prints what ASCII can show."""
    proc = subprocess.run([*KB, "--db", str(seed_db), "search", "電子政府", "--json"], capture_output=True,
                          timeout=120, env=env(tmp_path, LC_ALL="C", LANG="C", PYTHONUTF8="0", PYTHONCOERCECLOCALE="0"),
                          cwd=tmp_path)  # fmt: skip
    assert (proc.returncode, proc.stderr) == (0, b""), proc.stderr
    assert b'"post_id": 1' in proc.stdout  # found: the query was read, not dropped as undecodable


# ------------------------------------------------------------------------------ messages on one line


def test_an_internal_error_is_one_line(seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("first line\nsecond line\n\tthird")

    monkeypatch.setattr("kb.api.list_posts", broken)
    monkeypatch.delenv("KB_DEBUG", raising=False)
    code, out, err = run("--db", str(seed_db), "posts")
    assert (code, out) == (2, "")
    assert err == (
        "kb: 内部エラー (internal error): RuntimeError: first line second line third"
        " — 詳細は KB_DEBUG=1 を付けて再実行\n"
    )


def test_a_missing_database_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    code, out, err = run("--db", str(missing), "search", "電子政府")
    assert (code, out) == (2, "")
    assert err == f"kb: データベースがありません: {missing} (先に取り込んでください: kb import data/)\n"

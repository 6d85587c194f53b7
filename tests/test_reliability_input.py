"""Reliability, part 1: bad input loses nothing.

A torture corpus is built in tmp_path for every case: binaries dressed as posts, broken and looping
links, unreadable files, NUL bytes, damaged UTF-8, legacy Japanese encodings, a 1 MB line, a 50 MB
file, names with spaces. In every case the good files import, the bad ones are named with their
reason, the exit code says some were skipped, and the database holds exactly what the good files
hold (compared row by row with a database that only ever saw the good files).
"""

from __future__ import annotations

import errno
import os
import re
import shlex
import shutil
import stat
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from kb.cli import app
from reliability_helpers import (
    KB,
    UNPRIVILEGED,
    assert_no_traceback,
    copy_db,
    dump,
    file_posts,
    integrity,
    kb_argv,
    kb_cmd,
    kb_env,
    kill_group,
    orphans,
    post_shapes,
    post_text,
    reap_group,
    run_kb,
    seed_text,
    start_kb,
    unprivileged,
)

runner = CliRunner()
GOOD = post_text(60)
GOOD_TITLE = GOOD.split("\n", 1)[0]


# --------------------------------------------------------------------------- helpers


def cli(db: Path, *args: str, stdin: bytes | None = None) -> Result:
    """kb in this process (CliRunner), one worker, a wide console so no path is folded."""
    result = runner.invoke(
        app, ["--db", str(db), *args], input=stdin, env={"KB_DB": str(db), "COLUMNS": "400", "KB_DEBUG": ""}
    )
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def skipped_lines(stderr: str) -> dict[str, str]:
    """The files an import reported as skipped: file name -> reason."""
    out = {}
    for line in stderr.splitlines():
        m = re.match(r"\s*(?:kb: )?スキップ: (.+?): (.+)$", line)
        if m:
            out[os.path.basename(m.group(1))] = m.group(2)
    return out


def png_bytes() -> bytes:
    """A real 4x4 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def pdf_bytes() -> bytes:
    """A small PDF 1.4 document whose text is Japanese (as a PDF of a post would be)."""
    body = "視察報告 台北市の電子行政".encode("utf-16-be")
    return (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n3 0 obj\n<FEFF"
        + body.hex().encode()
        + b">\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def zip_bytes(tmp: Path) -> bytes:
    path = tmp / "made.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("post.txt", post_text(7))
        zf.writestr("写真/IMG_0001.png", png_bytes())
    data = path.read_bytes()
    path.unlink()
    return data


def japanese_only(text: str) -> str:
    """``text`` without the characters cp932 or EUC-JP cannot hold (◼️ and the like)."""
    return "".join(ch for ch in text if _encodable(ch, "cp932") and _encodable(ch, "euc_jp"))


def _encodable(ch: str, enc: str) -> bool:
    try:
        ch.encode(enc)
        return True
    except UnicodeEncodeError:
        return False


def uid_of(db: Path, title: str) -> str:
    found = [uid for uid, shape in post_shapes(db).items() if shape[1] == title]
    assert len(found) == 1, (title, found)
    return found[0]


def assert_whole(db: Path) -> None:
    assert integrity(db) == "ok"
    assert not any(orphans(db).values()), orphans(db)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database that already holds three posts: bad input must leave them alone."""
    root = tmp_path_factory.mktemp("base")
    corpus = root / "base-posts"
    corpus.mkdir()
    for n in range(3):
        (corpus / f"base-{n}.txt").write_text(post_text(n), encoding="utf-8")
    db = root / "base.db"
    result = cli(db, "import", "-j", "1", str(corpus))
    assert result.exit_code == 0, result.output
    return copy_db(db, root / "base-clean.db")


@pytest.fixture(scope="module")
def expected(base: Path, tmp_path_factory: pytest.TempPathFactory) -> list[tuple[object, ...]]:
    """What the database holds after importing the good file alone into the base: bad files add nothing."""
    root = tmp_path_factory.mktemp("expected")
    (root / "good.txt").write_text(GOOD, encoding="utf-8")
    db = copy_db(base, root / "expected.db")
    assert cli(db, "import", "-j", "1", str(root / "good.txt")).exit_code == 0
    return dump(db)


@pytest.fixture
def case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding the good post; each test adds its bad files. The cwd is tmp_path (short paths)."""
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return folder


# --------------------------------------------------------------------------- files that must be skipped


def _png(d: Path) -> dict[str, str]:
    (d / "IMG_4417.png").write_bytes(png_bytes())
    (d / "写真.txt").write_bytes(png_bytes())  # a PNG with a text name: content decides, not the name
    return {"IMG_4417.png": "PNG", "写真.txt": "PNG"}


def _pdf(d: Path) -> dict[str, str]:
    (d / "report.pdf").write_bytes(pdf_bytes())
    return {"report.pdf": "PDF"}


def _zip(d: Path) -> dict[str, str]:
    data = zip_bytes(d)
    (d / "posts.zip").write_bytes(data)
    (d / "archive.txt").write_bytes(data)
    return {"posts.zip": "ZIP", "archive.txt": "ZIP"}


def _random_binary(d: Path) -> dict[str, str]:
    import random

    rnd = random.Random(1234)
    (d / "noise.txt").write_bytes(bytes(rnd.randrange(256) for _ in range(20_000)))
    (d / "zeros.txt").write_bytes(b"\x00" * 5000 + "視察".encode() + b"\x00" * 5000)
    return {"noise.txt": "binary|decode", "zeros.txt": "binary"}


def _symlink_loop(d: Path) -> dict[str, str]:
    os.symlink("loop-b.txt", d / "loop-a.txt")
    os.symlink("loop-a.txt", d / "loop-b.txt")
    os.symlink("missing.txt", d / "dangling.txt")
    return {
        "loop-a.txt": "symbolic link|loop",
        "loop-b.txt": "symbolic link|loop",
        "dangling.txt": "broken symbolic link",
    }


def _fifo(d: Path) -> dict[str, str]:
    os.mkfifo(d / "pipe.txt")
    return {"pipe.txt": "not a regular file"}


def _unreadable_chmod(d: Path) -> dict[str, str]:
    p = d / "secret.txt"
    p.write_text(post_text(8), encoding="utf-8")
    p.chmod(0)
    if os.access(p, os.R_OK):
        p.chmod(0o644)
        pytest.skip("chmod 000 does not stop this user from reading (root): see the /proc case")
    return {"secret.txt": "permission denied"}


def _unreadable_io_error(d: Path) -> dict[str, str]:
    """A file that every user, root included, may open but cannot read: /proc/self/mem fails with EIO
    at offset 0 (the same error a failing disk or a network drive gives)."""
    target = Path("/proc/self/mem")
    if not target.exists():
        pytest.skip("no /proc/self/mem on this system")
    try:
        with open(target, "rb") as fh:
            fh.read(16)
        pytest.skip("/proc/self/mem is readable at offset 0 here")
    except OSError:
        pass
    os.symlink(target, d / "bad-sector.txt")
    return {"bad-sector.txt": "cannot read|input/output"}


SKIPPED_CASES: dict[str, Callable[[Path], dict[str, str]]] = {
    "png": _png,
    "pdf": _pdf,
    "zip": _zip,
    "random-binary": _random_binary,
    "symlink-loop-and-dangling": _symlink_loop,
    "fifo": _fifo,
    "chmod-000": _unreadable_chmod,
    "read-error-EIO": _unreadable_io_error,
}


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=UNPRIVILEGED) if n == "chmod-000" else n for n in SKIPPED_CASES]
)
def test_bad_file_is_skipped_by_name_and_changes_nothing(
    name: str, case: Path, base: Path, expected: list[tuple[object, ...]], tmp_path: Path
) -> None:
    bad = SKIPPED_CASES[name](case)
    db = copy_db(base, tmp_path / "kb.db")

    result = cli(db, "import", "-j", "1", "case")

    assert result.exit_code == 1, result.output  # some files skipped, the good one imported
    reported = skipped_lines(result.stderr)
    assert set(reported) == set(bad), result.stderr
    for file_name, reason in bad.items():
        assert re.search(reason, reported[file_name], re.IGNORECASE), (file_name, reported[file_name])
    assert re.search(rf"kb: {len(bad)} 件のファイルをスキップしました", result.stderr), result.stderr
    assert dump(db) == expected
    assert not any(os.path.basename(p) in bad for p in file_posts(db))
    assert_whole(db)


def test_json_report_lists_each_skipped_file_with_its_reason(case: Path, base: Path, tmp_path: Path) -> None:
    import json

    bad = {**_png(case), **_pdf(case), **_symlink_loop(case)}
    db = copy_db(base, tmp_path / "kb.db")
    result = cli(db, "import", "-j", "1", "--json", "case")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["added"] == 1
    got = {os.path.basename(s["path"]): s["reason"] for s in summary["skipped"]}
    assert set(got) == set(bad)
    assert all(got[k] for k in got)


def test_directory_with_no_readable_posts_exits_2_and_changes_nothing(
    base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "nothing-here"
    folder.mkdir()
    bad = {**_png(folder), **_pdf(folder), **_zip(folder), **_symlink_loop(folder), **_fifo(folder)}
    db = copy_db(base, tmp_path / "kb.db")
    before = dump(db)
    monkeypatch.chdir(tmp_path)

    result = cli(db, "import", "-j", "1", "nothing-here")

    assert result.exit_code == 2, result.output
    assert set(skipped_lines(result.stderr)) == set(bad)
    assert dump(db) == before
    assert_whole(db)


def test_missing_path_is_reported_and_nothing_else_happens(base: Path, tmp_path: Path) -> None:
    db = copy_db(base, tmp_path / "kb.db")
    before = dump(db)
    result = cli(db, "import", "-j", "1", str(tmp_path / "no-such-folder"))
    assert result.exit_code == 2
    assert "no-such-folder" in result.stderr
    assert dump(db) == before


def test_directory_symlink_loop_terminates_without_duplicates(
    case: Path, base: Path, expected: list[tuple[object, ...]], tmp_path: Path
) -> None:
    sub = case / "sub"
    sub.mkdir()
    os.symlink("..", sub / "up")  # case/sub/up/sub/up/... : a cycle through the parent
    os.symlink(".", sub / "self")
    os.symlink(str(case), case / "again")
    db = copy_db(base, tmp_path / "kb.db")
    started = time.monotonic()
    result = cli(db, "import", "-j", "1", "case")
    assert time.monotonic() - started < 60
    assert result.exit_code == 0, result.output
    assert dump(db) == expected


# --------------------------------------------------------------------------- files that must be read, repaired


def test_empty_and_blank_files_add_no_posts_and_are_named(
    case: Path, base: Path, expected: list[tuple[object, ...]], tmp_path: Path
) -> None:
    (case / "empty.txt").write_bytes(b"")
    (case / "blank.md").write_bytes(b"\n \n\t\n\xe3\x80\x80\n")  # blank lines and an ideographic space
    db = copy_db(base, tmp_path / "kb.db")
    result = cli(db, "import", "-j", "1", "case")
    assert result.exit_code in (0, 1), result.output
    assert dump(db) == expected
    # the user is told which files gave nothing, not left to wonder
    assert "empty.txt" in result.stderr and "blank.md" in result.stderr, result.stderr


def test_nul_bytes_are_dropped_and_the_text_kept(case: Path, tmp_path: Path) -> None:
    clean = post_text(61)
    data = clean.encode("utf-8")
    # NUL bytes at character boundaries: after the title and inside the body
    cut1, cut2 = data.index(b"\n"), data.index("。".encode()) + 3
    (case / "nul.txt").write_bytes(data[:cut1] + b"\x00" + data[cut1:cut2] + b"\x00\x00" + data[cut2:])
    (tmp_path / "ref").mkdir()
    (tmp_path / "ref" / "nul.txt").write_text(clean, encoding="utf-8")
    db, ref = tmp_path / "kb.db", tmp_path / "ref.db"

    result = cli(db, "import", "-j", "1", "case")
    assert cli(ref, "import", "-j", "1", str(tmp_path / "ref")).exit_code == 0

    assert result.exit_code == 0, result.output
    assert "nul.txt" in result.stderr and "NUL" in result.stderr  # the repair is reported
    title = clean.split("\n", 1)[0]
    assert uid_of(db, title) == uid_of(ref, title)  # same title, date and text: same content hash
    assert_whole(db)


def test_invalid_utf8_bytes_are_replaced_and_the_rest_is_searchable(case: Path, tmp_path: Path) -> None:
    text = post_text(62) + "\n最後の段落では、ミツバチの養蜂事業について説明がありました。\n"
    data = text.encode("utf-8")
    mid = data.index("。".encode(), len(data) // 2)  # a character boundary in the middle of the body
    (case / "damaged.txt").write_bytes(data[:mid] + b"\xff\xfe\xc3" + data[mid:])
    db = tmp_path / "kb.db"

    result = cli(db, "import", "-j", "1", "case")

    assert result.exit_code == 0, result.output
    assert "damaged.txt" in result.stderr and "UTF-8" in result.stderr
    assert cli(db, "search", "養蜂事業").exit_code == 0
    title = text.split("\n", 1)[0]
    shapes = [s for s in post_shapes(db).values() if s[1] == title]
    assert len(shapes) == 1


@pytest.mark.parametrize(
    ("file_name", "encoding", "bom"),
    [
        ("shift_jis.txt", "cp932", b""),
        ("euc.txt", "euc_jp", b""),
        ("utf16-bom.txt", "utf-16", b""),
        ("utf16le-nobom.txt", "utf-16-le", b""),
        ("utf16be-bom.txt", "utf-16-be", b"\xfe\xff"),
        ("utf8-bom.txt", "utf-8", b"\xef\xbb\xbf"),
        ("crlf-cp932.txt", "cp932", b""),
    ],
)
def test_legacy_encodings_read_to_the_same_post(
    file_name: str, encoding: str, bom: bytes, case: Path, tmp_path: Path
) -> None:
    text = japanese_only(post_text(63))
    if file_name.startswith("crlf"):
        text = text.replace("\n", "\r\n")
    (case / file_name).write_bytes(bom + text.encode(encoding))
    (tmp_path / "ref").mkdir()
    (tmp_path / "ref" / "ref.txt").write_text(japanese_only(post_text(63)), encoding="utf-8")
    db, ref = tmp_path / "kb.db", tmp_path / "ref.db"

    result = cli(db, "import", "-j", "1", "case")
    assert cli(ref, "import", "-j", "1", str(tmp_path / "ref")).exit_code == 0

    assert result.exit_code == 0, result.output
    title = text.split("\n", 1)[0].strip()
    assert uid_of(db, title) == uid_of(ref, title)
    assert cli(db, "search", "電子政府").exit_code == 0 or "電子政府" not in text


def test_japanese_file_names_with_spaces(case: Path, tmp_path: Path) -> None:
    names = [
        "視察 報告 台北.txt",
        "全角\u3000スペース　の報告.txt",
        "it's (copy) [1].txt",
        "-leading-dash.txt",
    ]
    for i, name in enumerate(names):
        (case / name).write_text(post_text(70 + i), encoding="utf-8")
    db = tmp_path / "kb.db"

    result = cli(db, "import", "-j", "1", "case")

    assert result.exit_code == 0, result.output
    sources = {s[0] for s in post_shapes(db).values()}
    for name in names:
        assert str((case / name).resolve()) in sources or str(case.absolute() / name) in sources, sources
    # the file can be named back to kb (remove by path) with its spaces and Japanese intact
    gone = cli(db, "remove", str(case / names[0]))
    assert gone.exit_code == 0, gone.output
    assert len(post_shapes(db)) == len(names)  # good.txt and the three others remain


# names as a Windows zip leaves them: Shift_JIS bytes, which are not UTF-8 (and one Latin-1 name)
SJIS_FILE = "視察報告.txt".encode("cp932")
SJIS_FOLDER = "報告書".encode("cp932")
LATIN1_FILE = "résumé.txt".encode("latin-1")


def kb_bytes(db: Path, home: Path, *args: bytes) -> tuple[int, str, str]:
    """Run kb with arguments as the shell passes them: bytes, not necessarily UTF-8."""
    cmd = [os.fsencode(a) for a in KB] + [b"--db", os.fsencode(db), *args]
    proc = subprocess.run(
        cmd, capture_output=True, env=kb_env(home, db), timeout=120, stdin=subprocess.DEVNULL
    )
    out, err = proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err and "内部エラー" not in err and "internal error" not in err, err
    return proc.returncode, out, err


def _zip_folder(root: bytes) -> dict[str, bytes]:
    """A folder as a Windows zip unpacks: a UTF-8 name, Shift_JIS names (a file and a folder) and a
    Latin-1 one. Returns each post's title with the path of its file, as bytes."""
    os.makedirs(root + b"/" + SJIS_FOLDER)
    files = {
        b"good.txt": GOOD,
        SJIS_FILE: post_text(64),
        SJIS_FOLDER + b"/" + LATIN1_FILE: post_text(65),
    }
    titles = {}
    for name, text in files.items():
        with open(root + b"/" + name, "w", encoding="utf-8") as fh:
            fh.write(text)
        titles[text.split("\n", 1)[0]] = root + b"/" + name
    return titles


def test_file_names_that_are_not_utf8_import_search_and_remove(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17 #1: every file is imported whatever bytes its name holds, the posts are found, a
    copy of the folder is a copy (not a move of the first one), and each file or folder can be
    named back to kb remove as the shell gives it. The first import, the search and the last
    remove are real processes given the bytes; the steps between run kb's entry point here with
    the arguments such a process gets (the cost of eight start-ups saved)."""
    home, db = tmp_path / "home", tmp_path / "kb.db"
    root = os.fsencode(tmp_path / "zip")
    titles = _zip_folder(root)

    def kb_here(*args: bytes) -> tuple[int, str, str]:
        return kb_argv(capsys, monkeypatch, db, *args)

    code, _out, err = kb_bytes(db, home, b"import", b"-j", b"2", root)
    assert code == 0, err
    stored = {s[1]: s[0] for s in post_shapes(db).values()}
    assert set(stored) == set(titles), stored
    code, out, err = kb_bytes(db, home, b"search", "第65報".encode())
    assert code == 0 and "第65報" in out, err
    keys_before = set(file_posts(db))

    code, _out, err = kb_here(b"import", b"-j", b"1", root)  # nothing changed
    assert code == 0 and set(file_posts(db)) == keys_before, err

    copy = os.fsencode(tmp_path / "copy")
    shutil.copytree(root, copy)
    code, _out, err = kb_here(b"import", b"-j", b"1", copy)
    assert code == 0, err
    assert "移動" not in err, err  # the first folder is still there: its files were not moved
    assert keys_before < set(file_posts(db)), sorted(set(file_posts(db)))
    assert len(file_posts(db)) == 6

    gone = copy + b"/" + "改名.txt".encode("cp932")
    os.rename(copy + b"/" + SJIS_FILE, gone)  # a file renamed in the copy: that one did move
    code, _out, err = kb_here(b"import", b"-j", b"1", copy)
    assert code == 0 and "移動" in err, err
    assert len(file_posts(db)) == 6

    code, out, err = kb_here(b"remove", titles[post_text(64).split("\n", 1)[0]])
    assert code == 0, err
    assert len(file_posts(db)) == 5
    code, out, err = kb_here(b"remove", root + b"/" + SJIS_FOLDER)
    assert code == 0, err
    assert len(file_posts(db)) == 4
    code, out, err = kb_here(b"remove", copy)
    assert code == 0, err
    assert {s[1] for s in post_shapes(db).values()} == {GOOD_TITLE}
    assert_whole(db)
    code, out, err = kb_bytes(db, home, b"remove", copy + b"/" + SJIS_FILE)  # gone: named as kb stores it
    assert code == 1 and "\\x8e\\x8b" in err, err


# --------------------------------------------------------------------------- over-long lines, big files


MARKER = "ヤンバルクイナ保護区"


def _one_megabyte(text: str) -> str:
    out = []
    size = 0
    while size < 1_000_000:
        out.append(text)
        size += len(text.encode("utf-8"))
    return "".join(out)


def _imported_and_found(db: Path) -> str:
    """Import the folder ``case`` with one job, then search the marker: the search's output."""
    result = cli(db, "import", "-j", "1", "case")
    assert result.exit_code == 0, result.output
    found = cli(db, "search", MARKER)
    assert found.exit_code == 0, found.output
    return str(found.stdout)


@pytest.mark.slow
def test_one_megabyte_line_is_chunked_and_its_end_is_searchable(case: Path, tmp_path: Path) -> None:
    body = seed_text().replace("\n", "")
    line = _one_megabyte(body)
    cut = len(line) - 300
    line = line[:cut] + f"最後に{MARKER}を訪れました。" + line[cut:]
    (case / "one-line.txt").write_text("一行だけの報告\n\n" + line, encoding="utf-8")
    db = tmp_path / "kb.db"
    assert MARKER in _imported_and_found(db)
    stored = [s for s in post_shapes(db).values() if s[1] == "一行だけの報告"]
    assert len(stored) == 1


@pytest.mark.slow
def test_file_that_is_one_unbroken_line_without_punctuation(case: Path, tmp_path: Path) -> None:
    """No newline, no sentence end, no comma: the worst input for chunking. The text after the last
    hard cut must still be stored and searchable."""
    unit = "台北市の電子行政とスマート交通の取り組みを視察して"  # no 。、 nor spaces
    line = _one_megabyte(unit)
    line = line[: len(line) - 200] + MARKER + line[len(line) - 200 :]
    (case / "no-breaks.txt").write_text("区切りのない報告\n" + line, encoding="utf-8")
    assert MARKER in _imported_and_found(tmp_path / "kb.db")


BIG_BYTES = 50 * 1024 * 1024


def _big_import(tmp_path: Path, folder: Path, limit_s: float) -> None:
    db = tmp_path / "kb.db"
    started = time.monotonic()
    run = run_kb(db, "import", str(folder), home=tmp_path / "home", cwd=tmp_path, timeout=limit_s * 3)
    seconds = time.monotonic() - started
    assert run.code == 0, run.stderr[-2000:]
    assert_no_traceback(run)
    assert seconds < limit_s, f"{BIG_BYTES >> 20} MB took {seconds:.0f} s"
    found = run_kb(db, "search", MARKER, home=tmp_path / "home")
    assert found.code == 0, found.stderr
    assert "最終号の報告" in found.stdout
    assert integrity(db) == "ok"


@pytest.mark.slow
def test_fifty_megabyte_saved_page_with_inline_photos(tmp_path: Path) -> None:
    """A 50 MB archive page saved from a browser: the seed posts repeated, each with its photos inlined
    as data: URIs (how saved blog pages grow that big). Read, hashed and imported whole, last post
    included, in well under a minute."""
    import base64
    import random

    from reliability_helpers import seed_posts

    folder = tmp_path / "big"
    folder.mkdir()
    path = folder / "saved-archive.html"
    photo = base64.b64encode(random.Random(7).randbytes(3 * 1024 * 1024)).decode()
    posts = seed_posts()
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("<!DOCTYPE html><html><head><meta charset='utf-8'><title>アーカイブ</title></head><body>\n")
        n = 0
        while fh.tell() < BIG_BYTES:
            title, body = posts[n % len(posts)]
            paras = "".join(f"<p>{line}</p>\n" for line in body if line.strip())
            fh.write(
                f"<article><h2>{title}（第{n}号）</h2>\n{paras}<p><img src='data:image/jpeg;base64,{photo}'>"
                "</p></article>\n"
            )
            n += 1
        fh.write(
            f"<article><h2>最終号の報告</h2><p>{MARKER}の視察を最後にご報告します。</p></article>\n"
            "</body></html>\n"
        )
    assert path.stat().st_size >= BIG_BYTES
    _big_import(tmp_path, folder, limit_s=60)


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("KB_TEST_BIG"),
    reason="50 MB of Japanese text takes minutes to segment "
    "(about 150 s on 2 cores); set KB_TEST_BIG=1 to run it",
)
def test_fifty_megabyte_plain_text_archive(tmp_path: Path) -> None:
    """A 50 MB plain-text archive page: the seed blog repeated, every copy a distinct post."""
    folder = tmp_path / "big"
    folder.mkdir()
    path = folder / "huge-archive.txt"
    seed = seed_text()
    copies = 0
    with open(path, "w", encoding="utf-8") as fh:
        written = 0
        while written < BIG_BYTES:
            block = f"巨大アーカイブ 第{copies}号\n\n" + seed + "\n"
            fh.write(block)
            written += len(block.encode("utf-8"))
            copies += 1
        fh.write(f"\n最終号の報告\n\n{MARKER}の視察を最後にご報告します。\n\n政治家 ブログランキングへ\n")
    _big_import(tmp_path, folder, limit_s=600)


# --------------------------------------------------------------------------- everything at once, as a user would


def test_torture_corpus_in_one_run(tmp_path: Path) -> None:
    """All the bad inputs in one folder next to good posts, imported by the real command (a subprocess,
    several workers): exit 1, every bad file named with its reason on stderr, the good and repaired
    files stored, and a second run changes nothing."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    bad: dict[str, str] = {}
    for make in (_png, _pdf, _zip, _random_binary, _symlink_loop, _fifo):
        bad.update(make(corpus))
    if Path("/proc/self/mem").exists():
        os.symlink("/proc/self/mem", corpus / "bad-sector.txt")
        bad["bad-sector.txt"] = "cannot read|input/output"
    good = {f"good-{i}.txt": post_text(80 + i) for i in range(4)}
    for name, text in good.items():
        (corpus / name).write_text(text, encoding="utf-8")
    (corpus / "sjis.txt").write_bytes(japanese_only(post_text(90)).encode("cp932"))
    (corpus / "utf16.txt").write_bytes(japanese_only(post_text(91)).encode("utf-16"))
    (corpus / "視察 報告.txt").write_text(post_text(92), encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    bad["empty.txt"] = "empty|空"
    (corpus / "nul.txt").write_bytes(post_text(93).encode("utf-8").replace(b"\n\n", b"\n\x00\n", 1))
    sub = corpus / "2018" / "04"
    sub.mkdir(parents=True)
    (sub / "deep.md").write_text(
        "---\ntitle: 深い階層の報告\ndate: 2018-04-13\n---\n\n" + post_text(94), encoding="utf-8"
    )
    os.symlink("../..", sub / "loop")
    titles = [t.split("\n", 1)[0] for t in good.values()] + [
        japanese_only(post_text(90)).split("\n", 1)[0],
        japanese_only(post_text(91)).split("\n", 1)[0],
        post_text(92).split("\n", 1)[0],
        post_text(93).split("\n", 1)[0],
        "深い階層の報告",
    ]
    db, home = tmp_path / "kb.db", tmp_path / "home"

    first = run_kb(db, "import", "corpus", home=home, cwd=tmp_path)

    assert first.code == 1, first.stderr
    assert_no_traceback(first)
    reported = skipped_lines(first.stderr)
    assert set(reported) == set(bad), first.stderr
    for file_name, reason in bad.items():
        assert re.search(reason, reported[file_name], re.IGNORECASE), (file_name, reported[file_name])
    stored = sorted(s[1] for s in post_shapes(db).values())
    assert stored == sorted(titles)
    assert_whole(db)
    before = dump(db)

    second = run_kb(db, "import", "corpus", home=home, cwd=tmp_path)

    assert second.code == 1
    assert set(skipped_lines(second.stderr)) == set(bad)
    assert dump(db) == before


def test_explicit_bad_file_arguments(tmp_path: Path, base: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Bad files named on the command line (not found by walking a folder) are refused the same way."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.png").write_bytes(png_bytes())
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    db = copy_db(base, tmp_path / "kb.db")
    result = cli(db, "import", "-j", "1", "a.png", "good.txt", "missing.txt")
    assert result.exit_code == 1, result.output
    assert set(skipped_lines(result.stderr)) == {"a.png", "missing.txt"}


def test_stdin_binary_is_refused(tmp_path: Path, base: Path) -> None:
    db = copy_db(base, tmp_path / "kb.db")
    before = dump(db)
    result = cli(db, "import", "-j", "1", "-", stdin=png_bytes())
    assert result.exit_code == 2, result.output
    assert "PNG" in result.stderr
    assert dump(db) == before


@pytest.mark.skipif(sys.platform != "linux", reason="Linux permissions")
@unprivileged
def test_unreadable_directory_is_named(
    case: Path, base: Path, expected: list[tuple[object, ...]], tmp_path: Path
) -> None:
    locked = case / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text(post_text(9), encoding="utf-8")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("this user reads directories whatever their mode (root)")
        db = copy_db(base, tmp_path / "kb.db")
        result = cli(db, "import", "-j", "1", "case")
        assert result.exit_code == 1
        assert "locked" in skipped_lines(result.stderr)
        assert dump(db) == expected
    finally:
        locked.chmod(stat.S_IRWXU)
        shutil.rmtree(locked)


# ------------------------------------------------- pipes and devices named on the command line, real processes


def test_process_substitution_is_read_once_and_imported(tmp_path: Path) -> None:
    """Issue 17 #3: `kb import <(cmd)` reported an empty file (the pipe was read twice)."""
    db, home = tmp_path / "kb.db", tmp_path / "home"
    src = tmp_path / "post.txt"
    src.write_text(GOOD, encoding="utf-8")
    kb = " ".join(shlex.quote(a) for a in kb_cmd(db, "import", "--json"))
    proc = subprocess.run(
        ["bash", "-c", f"{kb} <(cat {shlex.quote(str(src))})"],
        capture_output=True,
        text=True,
        env=kb_env(home, db),
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert [title for _path, title, *_ in post_shapes(db).values()] == [GOOD_TITLE]


def test_a_named_pipe_with_a_writer_is_imported(tmp_path: Path) -> None:
    """Issue 17 #3: a FIFO with a writer hung forever."""
    db, home = tmp_path / "kb.db", tmp_path / "home"
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    proc = start_kb(db, "import", str(fifo), home=home)
    try:
        fd = _open_fifo_writer(fifo, proc)
        with os.fdopen(fd, "wb") as fh:
            fh.write(GOOD.encode("utf-8"))
    except BaseException:
        kill_group(proc)
        proc.communicate()
        raise
    code, _out, err = reap_group(proc, timeout=120)
    assert code == 0 and "Traceback" not in err, err
    assert [title for _path, title, *_ in post_shapes(db).values()] == [GOOD_TITLE]


def _open_fifo_writer(fifo: Path, proc: subprocess.Popen[bytes], timeout: float = 60) -> int:
    """The write end of a FIFO, opened once kb has opened its read end (ENXIO until then)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as err:
            if err.errno != errno.ENXIO or proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"kb did not open the FIFO (exit {proc.poll()})") from err
            time.sleep(0.01)
            continue
        os.set_blocking(fd, True)
        return fd


@pytest.mark.slow
def test_a_named_pipe_nobody_writes_to_is_skipped_after_a_wait(tmp_path: Path) -> None:
    """A FIFO that no program writes to: kb waits FIFO_WAIT seconds, then names it and goes on."""
    db, home = tmp_path / "kb.db", tmp_path / "home"
    (tmp_path / "in").mkdir()
    good = tmp_path / "in" / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    fifo = tmp_path / "nobody.txt"
    os.mkfifo(fifo)
    run = run_kb(db, "import", str(fifo), str(good), home=home, timeout=120)
    assert run.code == 1 and "Traceback" not in run.stderr, run.stderr  # 1: some file was skipped
    assert "nobody.txt" in run.stderr
    assert [title for _path, title, *_ in post_shapes(db).values()] == [GOOD_TITLE]


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_device_named_as_input_is_refused_at_the_cap(device: str, tmp_path: Path) -> None:
    """Issue 17 #7: `/dev/zero` named as input was read until memory ran out. kb reads it up to its
    size cap (64 MB), names it as skipped, and imports the other files."""
    db, home = tmp_path / "kb.db", tmp_path / "home"
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    run = run_kb(db, "import", device, str(good), home=home, timeout=120)
    assert "Traceback" not in run.stderr and "内部エラー" not in run.stderr, run.stderr
    assert run.code == 1, run.stderr  # some file was skipped, the others imported
    assert f"{device}: 64 MB" in run.stderr
    assert [title for _path, title, *_ in post_shapes(db).values()] == [GOOD_TITLE]

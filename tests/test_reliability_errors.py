"""Reliability, part 7: no error reaches a user as an internal error.

Every store method that runs SQL turns SQLite's errors into a kb DatabaseError (kb.store.connection
.guarded), and values SQLite cannot hold (bytes that were not UTF-8, integers beyond 64 bits) into a
QueryError; arguments that are no text (bytes from a Shift_JIS terminal), post numbers that are not
ASCII digits, codecs that are no text encoding, and a reader that closes the pipe early each get a
one-line `kb:` message or a quiet exit, never a traceback.
"""

from __future__ import annotations

import inspect
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kb import api
from kb.cli import app
from kb.errors import DatabaseError, QueryError
from kb.store import FactFilter, IndexFilter, PostHead, Store
from kb.store.connection import Connection
from reliability_helpers import KB, copy_db, counts, kb_argv, kb_env, sha256_file

runner = CliRunner()

# Methods that run SQL without the guard because they handle SQLite's errors themselves.
SELF_HANDLED = {
    "Connection.begin",  # raises the translated error
    "Connection.commit",
    "Connection.rollback",  # a connection that cannot roll back is gone with its transaction
    "Connection.close",
    "Connection.use_wal",  # stays in rollback-journal mode when WAL cannot be had
    "Connection.transaction",  # begin/commit/rollback
    "Connection.reader",  # opens like any connection: its errors are the open's
}


def _public_methods(cls: type) -> list[tuple[str, Callable[..., Any]]]:
    return [
        (f"{cls.__name__}.{name}", fn)
        for name, fn in vars(cls).items()
        if not name.startswith("_") and inspect.isfunction(fn)
    ]


def test_every_store_method_that_runs_sql_is_guarded(seed_db: Path) -> None:
    with Store(seed_db, readonly=True) as store:
        parts = [store.posts, store.writes, store.index, store.facts, store.names, store.synonyms]
        classes = [Connection, Store, *(type(p) for p in parts)]
    unguarded = [
        name
        for cls in classes
        for name, fn in _public_methods(cls)
        if not getattr(fn, "__kb_guarded__", False)
        and name not in SELF_HANDLED
        and not name.startswith("Store.")
    ]
    assert not unguarded, f"store methods that run SQL without kb.store.connection.guarded: {unguarded}"


_HEAD = PostHead(id=1, first=1, passages=3, title="t", title_from="line", date=None, url=None, length=10)


def _calls(store: Store) -> dict[str, Callable[[], object]]:
    """One call of every public store method, with arguments it accepts."""
    return {
        "get_meta": lambda: store.get_meta("segmenter"),
        "set_meta": lambda: store.set_meta("x", "y"),
        "schema_version": store.schema_version,
        "release_free_pages": store.release_free_pages,
        "begin": store.begin,
        "commit": store.commit,
        "posts.summaries": lambda: store.posts.summaries(limit=3),
        "posts.get": lambda: store.posts.get(1),
        "posts.ids": store.posts.ids,
        "posts.existing": lambda: store.posts.existing([1, 2]),
        "posts.files_under": lambda: store.posts.files_under("/"),
        "posts.counts": store.posts.counts,
        "posts.sources": lambda: store.posts.sources([1]),
        "writes.file": lambda: store.writes.file("/x"),
        "writes.held": lambda: store.writes.held(1),
        "writes.moved_from": lambda: store.writes.moved_from("0", 1, lambda _p: False),
        "writes.post_for": lambda: store.writes.post_for("x"),
        "writes.remove_posts": lambda: store.writes.remove_posts([1]),
        "writes.held_by": lambda: store.writes.held_by([1]),
        "writes.forget_files": lambda: store.writes.forget_files([1]),
        "writes.clear_index": store.writes.clear_index,
        "index.word_window": lambda: store.index.word_window('"電子"', IndexFilter(), 10),
        "index.heads": lambda: store.index.heads([1]),
        "index.post_count": store.index.post_count,
        "index.passages": lambda: store.index.passages([1]),
        "index.trigram_posts": lambda: store.index.trigram_posts('"電子政"'),
        "index.word_in_post": lambda: store.index.word_in_post('"電子"', _HEAD),
        "index.last_post": store.index.last_post,
        "index.post_texts": lambda: store.index.post_texts([1]),
        "index.post_text": lambda: store.index.post_text(1),
        "index.passage_spans_of": lambda: store.index.passage_spans_of([_HEAD]),
        "index.passage_spans": lambda: store.index.passage_spans(_HEAD),
        "index.newest_posts": lambda: store.index.newest_posts(3),
        "index.texts": lambda: list(store.index.texts([1], IndexFilter(), ["電子"])),
        "index.sections_of": lambda: store.index.sections_of(1),
        "index.posts_matching": lambda: store.index.posts_matching('"電子"', [_HEAD]),
        "index.posts_holding": lambda: store.index.posts_holding([1], "電子"),
        "index.surfaces_of": lambda: store.index.surfaces_of(["電子"]),
        "index.units_of": lambda: store.index.units_of(["電子"]),
        "facts.find": lambda: store.facts.find(FactFilter()),
        "facts.topics": store.facts.topics,
        "names.all": store.names.all,
        "names.add": lambda: store.names.add("区役所", "org"),
        "synonyms.all": store.synonyms.all,
        "synonyms.remove": lambda: store.synonyms.remove("a"),
    }


def test_a_connection_that_fails_gives_kb_errors_only(seed_db: Path, tmp_path: Path) -> None:
    """Every store method, called on a connection SQLite can no longer use (closed under it, as a
    lost file or a failing disk leaves it), raises a DatabaseError with a message: never sqlite3's."""
    db = copy_db(seed_db, tmp_path / "kb.db")
    store = Store(db)
    readers = {"posts": store.posts, "index": store.index, "facts": store.facts}
    public = {
        f"{key}.{n.split('.', 1)[1]}" for key, part in readers.items() for n, _ in _public_methods(type(part))
    }
    missing = public - set(_calls(store))
    assert not missing, f"read methods this test does not call: {sorted(missing)}"  # a new one is added here
    store.conn.close()
    for name, call in _calls(store).items():
        try:
            call()
        except DatabaseError as err:
            assert str(err) and "\n" not in str(err), (name, str(err))
        except Exception as err:  # noqa: BLE001 - what the test is about
            pytest.fail(f"{name} raised {type(err).__name__}: {err}")
        else:
            if name not in ("commit",):  # nothing to commit is no error
                pytest.fail(f"{name} answered on a closed connection")
    store.close()  # closing twice is no error either


def test_values_sqlite_cannot_hold_are_the_callers_mistake(seed_db: Path, tmp_path: Path) -> None:
    db = copy_db(seed_db, tmp_path / "kb.db")
    with Store(db) as store:
        with pytest.raises(QueryError, match="UTF-8"):
            store.names.add("ノウォン\udc82区", "org")
        with pytest.raises(QueryError, match="64"):
            store.posts.existing([2**70])
        with pytest.raises(QueryError, match="UTF-8"):
            store.posts.files_under("/posts/\udc8e.txt")
        # through the library, bytes that were not UTF-8 are dropped from a name
        assert api.add_name(store, "シンイー\udc82区役所", "org") == "シンイー区役所"


def _run_bytes(db: Path, home: Path, *args: bytes) -> subprocess.CompletedProcess[bytes]:
    cmd = [os.fsencode(a) for a in KB] + [b"--db", os.fsencode(db), *args]
    return subprocess.run(
        cmd, capture_output=True, env=kb_env(home, db), timeout=60, stdin=subprocess.DEVNULL
    )


def test_names_and_synonyms_with_bytes_that_are_not_utf8(
    seed_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17 #11: `kb names add` with Shift_JIS bytes from a terminal was an internal error. The
    first case is a real process given the bytes; the others run kb's entry point here with the
    arguments such a process gets (kb_argv), which is what reached the store."""
    db = copy_db(seed_db, tmp_path / "kb.db")
    home = tmp_path / "home"
    sjis = "シンイー区役所".encode("cp932")
    proc = _run_bytes(db, home, b"names", b"add", sjis)
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode in (0, 2) and "Traceback" not in err and "内部エラー" not in err, err
    for args in (
        [b"names", b"add", sjis],
        [b"names", b"add", b"\xff\xfe"],
        [b"names", b"add", b"--kind", b"place", "江南".encode() + b"\x82\xa0" + "区".encode()],
        [b"names", b"remove", sjis],
        [b"names", b"remove", b"\xff"],
        [b"synonyms", b"add", sjis, "電子政府".encode("cp932")],
        [b"synonyms", b"add", "電子政府".encode(), b"\x82\xa0"],
        [b"synonyms", b"remove", sjis],
        [b"remove", sjis],
    ):
        code, _out, err = kb_argv(capsys, monkeypatch, db, *args)
        assert code in (0, 1, 2), (args, code, err)
        if code:
            assert err.startswith("kb:") and len(err.strip().splitlines()) == 1, (args, err)
    with Store(db, readonly=True) as store:
        for surface, _kind in store.names.all():
            surface.encode("utf-8")  # whatever was stored is text


@pytest.mark.parametrize("target", ["①", "٣", "０１", "#①", "1\u200b"])
def test_post_numbers_are_ascii_digits_only(seed_db: Path, tmp_path: Path, target: str) -> None:
    """`kb remove ٣` deleted post #3 (str.isdigit accepts Arabic-Indic and full-width digits, and
    NFKC turns ① into 1): a post number is ASCII digits only; anything else is a path, not found."""
    db = copy_db(seed_db, tmp_path / "kb.db")
    before = counts(db)
    result = runner.invoke(app, ["--db", str(db), "remove", "--yes", target])
    assert result.exit_code == 1, result.output
    assert "投稿はありません" in result.stderr
    assert counts(db) == before


@pytest.mark.parametrize("codec", ["rot13", "base64", "idna", "hex", "zlib", "punycode", "undefined"])
@pytest.mark.parametrize("command", ["import", "export"])
def test_codecs_that_are_no_text_encoding_are_refused(
    seed_db: Path, tmp_path: Path, command: str, codec: str
) -> None:
    """Issue 17 #11: `export --encoding rot13` (base64, idna) was an internal error."""
    db = copy_db(seed_db, tmp_path / "kb.db")
    post = tmp_path / "post.txt"
    post.write_text("視察の報告\n\n区の図書館を訪ねました。\n", encoding="utf-8")
    args = (
        ["import", "--encoding", codec, str(post)]
        if command == "import"
        else ["export", "--encoding", codec, "-o", "-"]
    )
    before = sha256_file(db)
    result = runner.invoke(app, ["--db", str(db), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, (args, result.output)
    assert result.stderr.startswith("kb:") and "エンコーディング" in result.stderr, result.stderr
    assert "内部エラー" not in result.stderr
    assert sha256_file(db) == before


@pytest.mark.parametrize(
    "args",
    [["show", "1"], ["posts"], ["search", "電子政府"], ["facts"], ["export", "-o", "-"], ["topics"]],
    ids=lambda a: " ".join(a),
)
def test_a_reader_that_closes_the_pipe_early(seed_db: Path, tmp_path: Path, args: list[str]) -> None:
    """`kb show 1 | head -1`: the rest of the output has nowhere to go; kb ends quietly."""
    db = copy_db(seed_db, tmp_path / "kb.db")
    proc = subprocess.Popen(
        [*KB, "--db", str(db), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=kb_env(tmp_path / "home", db),
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.read(16)
    proc.stdout.close()  # what head does after its first line
    err = proc.stderr.read().decode("utf-8", "replace")
    code = proc.wait(timeout=60)
    assert first, err
    assert "Traceback" not in err and "内部エラー" not in err and "Broken pipe" not in err, err
    assert code in (0, 1), (code, err)


@pytest.mark.parametrize("arg", [b"abc", b"\xff"])
def test_a_usage_error_of_the_real_command_is_one_kb_line(seed_db: Path, tmp_path: Path, arg: bytes) -> None:
    """`kb show abc` (or bytes that are not UTF-8 where a number is expected): a usage error, exit 2."""
    proc = _run_bytes(copy_db(seed_db, tmp_path / "kb.db"), tmp_path / "home", b"show", arg)
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2 and err.startswith("kb:") and "内部エラー" not in err, err


def test_a_bug_in_analysing_a_big_files_post_skips_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected error while a big file's posts are analysed costs that file (named, with the
    reason), as it does for any other file: the other files are imported and the import goes on."""
    from kb.importer import import_paths, plan, writer
    from reliability_helpers import archive_text, post_text

    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "a-archive.txt").write_text(archive_text(range(6)), encoding="utf-8")
    (folder / "b-post.txt").write_text(post_text(40), encoding="utf-8")
    monkeypatch.setattr(plan, "STREAM_BYTES", 5000)  # the archive is a big file, the post is not
    real = writer.analyse_posts

    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        for i, item in enumerate(real(*args, **kwargs)):
            if i == 3:
                raise ValueError("a bug")
            yield item

    monkeypatch.setattr(writer, "analyse_posts", failing)
    with Store(tmp_path / "kb.db") as store:
        report = import_paths(store, [str(folder)], jobs=1)
        titles = [p.title for p in store.posts.summaries()]
    (skipped,) = report.skipped
    assert skipped.path.endswith("a-archive.txt") and "ValueError: a bug" in skipped.reason
    assert post_text(40).split("\n", 1)[0] in titles

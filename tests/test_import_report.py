"""The import report counts every file but keeps only the outcomes worth naming, so a 100k-file import
does not hold 100k outcome objects."""

from __future__ import annotations

import time
from contextlib import closing
from pathlib import Path

import pytest

from conftest import SEED
from helpers import write_posts
from kb.errors import DatabaseError
from kb.importer import import_paths
from kb.store import Store


def seed_post_files(folder: Path, n: int) -> list[str]:
    """The first ``n`` posts of the sample archive page, one file each (post0.txt …); their texts."""
    folder.mkdir()
    chunks = SEED.read_text(encoding="utf-8").split("政治家 ブログランキングへ")[:n]
    assert len(chunks) == n
    for i, chunk in enumerate(chunks):
        (folder / f"post{i}.txt").write_text(chunk, encoding="utf-8")
    return chunks


def test_report_counts_every_file_and_names_only_the_notable_ones(tmp_path: Path) -> None:
    folder = tmp_path / "posts"
    seed_post_files(folder, 5)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02" * 200)
    with Store(tmp_path / "kb.db") as store:
        report = import_paths(store, [str(folder)], jobs=1)
        counts = store.posts.counts()
    assert report.file_count == 7
    assert report.total("added") == counts.posts >= 5
    assert report.total("passages") == counts.passages
    assert report.total("facts") == counts.facts
    notable = {Path(f.path).name: f.status for f in report.files}
    assert notable == {"empty.txt": "skipped", "broken.txt": "skipped"}
    # the five imported posts left their counts, not their outcomes
    assert len(report.files) == 2


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_failing_midway_is_undone_and_the_batch_before_it_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    from kb.importer import writer
    from kb.store.writes import Writes

    folder = tmp_path / "posts"
    seed_post_files(folder, 4)
    real_add = Writes.add_post
    calls = {"n": 0}

    def failing_add(self: Writes, post: object) -> int:
        pid = real_add(self, post)  # type: ignore[arg-type]  # the post lands, then the disk "fills"
        calls["n"] += 1
        if calls["n"] == 3:
            raise DatabaseError("ディスクの空きがありません (database or disk is full)")
        return pid

    monkeypatch.setattr(Writes, "add_post", failing_add)
    monkeypatch.setattr(writer, "BATCH_SECONDS", 3600.0)  # all four files in one batch
    db = tmp_path / "kb.db"
    with Store(db) as store, pytest.raises(DatabaseError):
        import_paths(store, [str(folder)], jobs=jobs)
    with Store(db, readonly=True) as store:
        files = [Path(p.source).name for p in store.posts.summaries()]
        counts = store.posts.counts()
    # the two files written before the failure are whole and committed; the third left nothing
    assert files == ["post0.txt", "post1.txt"]
    assert counts.files == 2 and counts.posts == 2
    assert calls["n"] == 5  # three writes, then the two files before the failure written again
    monkeypatch.setattr(Writes, "add_post", real_add)
    with Store(db) as store:
        report = import_paths(store, [str(folder)], jobs=jobs)
        assert store.posts.counts().posts == 4
    assert report.total("unchanged") == 2 and report.total("added") == 2


def test_import_and_remove_give_free_pages_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both release the pages their deletions and index merges freed (what the release does is
    the next test's); new databases are made to allow it (incremental auto-vacuum)."""
    import sqlite3

    from typer.testing import CliRunner

    from kb.cli import app

    released: list[str] = []
    real = Store.release_free_pages

    def release(self: Store) -> None:
        released.append(self.path)
        real(self)

    monkeypatch.setattr(Store, "release_free_pages", release)
    db = tmp_path / "kb.db"
    with Store(db) as store:
        import_paths(store, [str(SEED)], jobs=1)
    assert released == [str(db)]
    with closing(sqlite3.connect(db)) as con:
        assert con.execute("PRAGMA auto_vacuum").fetchone()[0] == 2  # incremental
    result = CliRunner().invoke(app, ["--db", str(db), "remove", "1", "2", "3"])
    assert result.exit_code == 0, result.output
    assert released == [str(db)] * 2
    with closing(sqlite3.connect(db)) as con:
        assert con.execute("SELECT count(*) FROM posts").fetchone()[0] == 2


def test_release_free_pages_empties_the_free_list(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "kb.db"
    with Store(db) as store:
        import_paths(store, [str(SEED)], jobs=1)
        with store.transaction():  # rows of plain tables: their pages become free
            store.conn.execute("DELETE FROM facts")
            store.conn.execute("DELETE FROM passages")
        free = store.conn.execute("PRAGMA freelist_count").fetchone()[0]
        assert free >= 4
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.release_free_pages()
        assert store.conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
        assert store.conn.execute("PRAGMA page_count").fetchone()[0] <= pages - free
    with closing(sqlite3.connect(db)) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_an_import_leaves_its_index_segments_merged(tmp_path: Path) -> None:
    """The segments FTS5 wrote during an import (one per transaction) are merged at its end: nothing
    is left for a merge to do, and searching finds what it found before the merge."""
    import sqlite3

    from kb import api
    from kb.importer import writer

    folder = write_posts(
        tmp_path / "posts",
        {
            f"p{i}.txt": f"図書館の視察{i}\n\n{i}番目の市立図書館では電子書籍の貸出を{i}年前に始めた。\n"
            for i in range(40)
        },
    )
    db = tmp_path / "kb.db"
    with Store(db) as store:
        real = writer.BATCH_FILES
        writer.BATCH_FILES = 3  # a transaction, and a segment, every 3 files
        try:
            import_paths(store, [str(folder)], jobs=1)
        finally:
            writer.BATCH_FILES = real
        assert len(api.search(store, "電子書籍", limit=100).hits) == 40
    with closing(sqlite3.connect(db, isolation_level=None)) as con:
        for table in ("passages_fts", "posts_tri"):
            before = con.total_changes
            con.execute(f"INSERT INTO {table}({table}, rank) VALUES('merge', 200)")
            assert con.total_changes - before < 2, table  # FTS5's sign that there was no work left
        assert con.execute("PRAGMA freelist_count").fetchone()[0] == 0


@pytest.mark.parametrize("jobs", [1, 2])
def test_mixed_import_streams_big_files_and_plans_the_rest_as_it_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    from kb.importer import plan, writer

    folder = tmp_path / "posts"
    chunks = seed_post_files(folder, 5)
    sizes = sorted(len(c.encode("utf-8")) for c in chunks)
    db = tmp_path / "kb.db"
    with Store(db) as store:
        first = import_paths(store, [str(folder / "post0.txt")], jobs=jobs)
    assert first.total("added") == 1
    (folder / "bad.txt").write_bytes(b"\x00\x01" * 300)
    # files above the median size are "big": analysed and written post by post by the writer
    monkeypatch.setattr(plan, "STREAM_BYTES", sizes[2])
    streamed: list[str] = []
    real_stream = writer.stream_big

    def stream(store, big, *args):  # type: ignore[no-untyped-def]
        streamed.append(Path(big.key).name)
        return real_stream(store, big, *args)

    monkeypatch.setattr(writer, "stream_big", stream)
    seen: list[tuple[str, int, int]] = []
    with Store(db) as store:
        report = import_paths(
            store,
            [str(folder)],
            jobs=jobs,
            progress=lambda p: seen.append((Path(p.path).name, p.done, p.total)),
        )
        counts = store.posts.counts()
    assert report.file_count == 6 and len(seen) == 6
    assert [d for _, d, _ in seen] == [1, 2, 3, 4, 5, 6] and {t for _, _, t in seen} == {6}
    assert [n for n, _, _ in seen] == ["bad.txt", *(f"post{i}.txt" for i in range(5))]  # input order
    assert report.total("unchanged") == 1 and report.total("added") == 4
    assert counts.posts == 5 and counts.files == 5
    assert [(Path(f.path).name, f.status) for f in report.files] == [("bad.txt", "skipped")]
    big = [f"post{i}.txt" for i, c in enumerate(chunks) if len(c.encode("utf-8")) > sizes[2]]
    # the big files that changed were streamed; an unchanged big file is not even analysed
    assert len(big) == 2 and streamed == [n for n in big if n != "post0.txt"]


def test_ctrl_c_while_the_pool_starts_is_reported_as_a_ctrl_c(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Ctrl-C that cuts the start of the pool's manager thread left a thread shutdown() cannot
    join: kb reported an internal error instead of the interruption."""
    from concurrent.futures import process

    def interrupted(_self: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(process._ExecutorManagerThread, "start", interrupted)
    folder = tmp_path / "posts"
    seed_post_files(folder, 3)
    db = tmp_path / "kb.db"
    with Store(db) as store, pytest.raises(KeyboardInterrupt):
        import_paths(store, [str(folder)], jobs=2)
    with Store(db, readonly=True) as store:
        assert store.posts.counts().posts == 0  # the first file waited for the pool: nothing half-written


def test_ctrl_c_while_a_big_file_is_written_waits_for_the_writer_and_undoes_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Ctrl-C that cut the importing thread's wait for the writer let the import return while the
    writer still streamed a big file through the connection (CPython marks a thread whose join()
    was interrupted as finished): kb could exit mid-transaction, or crash."""
    import signal
    import threading

    from kb.importer import plan
    from kb.store.writes import Writes

    monkeypatch.setattr(plan, "STREAM_BYTES", 1000)  # the sample archive is now a big file
    real_add = Writes.add_post
    writes: list[int] = []

    def write(self: Writes, post: object) -> int:
        got = real_add(self, post)  # type: ignore[arg-type]
        writes.append(got)
        if len(writes) == 1:  # Ctrl-C in the importing thread while this file is half written
            signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)
            time.sleep(0.5)  # the importing thread handles it meanwhile
        return got

    monkeypatch.setattr(Writes, "add_post", write)
    db = tmp_path / "kb.db"
    with Store(db) as store:
        with pytest.raises(KeyboardInterrupt):
            import_paths(store, [str(SEED)], jobs=1)
        # the writer was waited for: it stopped at the next post and undid the file
        assert not [t for t in threading.enumerate() if t.name == "kb-writer"]
        assert not store.conn.in_transaction
        assert len(writes) == 1 and store.posts.counts().posts == 0

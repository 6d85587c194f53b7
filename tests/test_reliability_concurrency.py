"""Reliability, part 4: concurrent use loses nothing.

Two (or three) `kb import` processes write the same database at once, over different and
overlapping folders, while `kb search`, `kb facts` and `kb posts` run in a loop. Afterwards every
post is present exactly once, the counts equal a sequential import into a fresh database, no
"database is locked" (nor any traceback) reached a user, and every exit code is the documented one.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from reliability_helpers import (
    Run,
    counts,
    integrity,
    orphans,
    post_shapes,
    reap_group,
    run_kb,
    sha256_file,
    start_kb,
    write_corpus,
)

FILES_PER_FOLDER = 25


@dataclass
class World:
    root: Path
    folders: dict[str, Path]
    expected_counts: dict[str, int]
    expected_titles: list[str]
    home: Path


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """Four folders of distinct posts and what a sequential import of all of them gives."""
    root = tmp_path_factory.mktemp("concurrency")
    folders = {}
    for k, name in enumerate(("d0", "d1", "d2", "d3")):
        folders[name] = root / name
        write_corpus(folders[name], 5 if name == "d0" else FILES_PER_FOLDER, first=100 * k)
    ref = root / "ref.db"
    home = root / "home"
    run = run_kb(ref, "import", "-q", *map(str, folders.values()), home=home)
    assert run.code == 0, run.stderr
    titles = sorted(s[1] for s in post_shapes(ref).values())
    assert len(titles) == len(set(titles)), "the corpus must hold distinct titles"
    return World(root, folders, counts(ref), titles, home)


class Searcher(threading.Thread):
    """Runs read commands one after another until told to stop; keeps every outcome."""

    COMMANDS = (
        ("search", "電子政府"),
        ("search", "参加"),
        ("search", "存在しない語句"),
        ("facts", "--kind", "quantity", "--limit", "5"),
        ("posts", "--limit", "3"),
        ("search", "--json", "ソウル"),
    )

    def __init__(self, db: Path, home: Path, offset: int) -> None:
        super().__init__(daemon=True)
        self.db, self.home, self.offset = db, home, offset
        self.stop = threading.Event()
        self.runs: list[Run] = []

    def run(self) -> None:
        i = self.offset
        while not self.stop.is_set():
            args = self.COMMANDS[i % len(self.COMMANDS)]
            self.runs.append(run_kb(self.db, *args, home=self.home, timeout=120))
            i += 1


def _scenario(
    world: World, tmp_path: Path, plans: list[list[str]], *, stagger: float, preseed: bool, searchers: int = 2
) -> tuple[list[tuple[int, str, str]], list[Run]]:
    db = tmp_path / "kb.db"
    home = world.home
    if preseed:
        first = run_kb(db, "import", "-q", str(world.folders["d0"]), home=home)
        assert first.code == 0, first.stderr
    readers = [Searcher(db, home, k * 2) for k in range(searchers if preseed else 0)]
    for r in readers:
        r.start()
    procs = []
    for k, plan in enumerate(plans):
        if k:
            time.sleep(stagger)
        procs.append(start_kb(db, "import", *[str(world.folders[name]) for name in plan], home=home))
    results = [reap_group(p, timeout=180) for p in procs]
    time.sleep(0.2)
    for r in readers:
        r.stop.set()
    for r in readers:
        r.join(timeout=120)
    print(f"\nconcurrency: {len(plans)} imports at once, {sum(len(r.runs) for r in readers)} reads meanwhile")
    return results, [run for r in readers for run in r.runs]


def _assert_outcome(world: World, db: Path, imports: list[tuple[int, str, str]], reads: list[Run]) -> None:
    for code, _out, err in imports:
        assert code == 0, f"import exit {code}\n{err}"
        assert "locked" not in err and "使用中" not in err, err
        assert "Traceback" not in err and "内部エラー" not in err, err
    for run in reads:
        assert run.code in (0, 1), f"{run.args}: exit {run.code}\n{run.stderr}"
        assert "locked" not in run.stderr and "使用中" not in run.stderr, run.stderr
        assert "Traceback" not in run.stderr and "内部エラー" not in run.stderr, run.stderr
    assert integrity(db) == "ok"
    assert not any(orphans(db).values()), orphans(db)
    shapes = post_shapes(db)
    by_title = Counter(s[1] for s in shapes.values())
    twice = {t: n for t, n in by_title.items() if n > 1}
    assert not twice, f"posts stored more than once: {twice}"
    assert sorted(by_title) == world.expected_titles
    assert counts(db) == world.expected_counts


@pytest.mark.slow
def test_two_imports_of_overlapping_folders_while_searching(world: World, tmp_path: Path) -> None:
    imports, reads = _scenario(world, tmp_path, [["d1", "d2"], ["d2", "d3"]], stagger=0.0, preseed=True)
    assert reads, "no search ran while the imports did"
    _assert_outcome(world, tmp_path / "kb.db", imports, reads)


@pytest.mark.slow
def test_three_imports_of_the_same_folders_in_different_orders(world: World, tmp_path: Path) -> None:
    imports, reads = _scenario(
        world,
        tmp_path,
        [["d1", "d2", "d3"], ["d3", "d2", "d1"], ["d2", "d1", "d3"]],
        stagger=0.15,
        preseed=True,
    )
    _assert_outcome(world, tmp_path / "kb.db", imports, reads)


@pytest.mark.slow
def test_two_imports_creating_the_database_at_the_same_moment(world: World, tmp_path: Path) -> None:
    """Neither process finds a database: both create the schema, one must wait for the other."""
    imports, _ = _scenario(
        world, tmp_path, [["d0", "d1", "d2"], ["d3", "d2", "d0"]], stagger=0.0, preseed=False
    )
    db = tmp_path / "kb.db"
    _assert_outcome(world, db, imports, [])
    import sqlite3

    with sqlite3.connect(db) as conn:
        applied = conn.execute(
            "SELECT migration_set, name, count(*) FROM _sqlite_migrations GROUP BY 1, 2"
        ).fetchall()
    assert all(n == 1 for _, _, n in applied), applied


@pytest.mark.slow
def test_searches_while_the_first_import_creates_the_database(world: World, tmp_path: Path) -> None:
    """A search started while another process is still creating the database says there is nothing
    yet (exit 1 or 2 with a kb: message), never a traceback nor a wrong "old database" verdict."""
    db = tmp_path / "kb.db"
    proc = start_kb(db, "import", "-q", *[str(p) for p in world.folders.values()], home=world.home)
    runs = []
    while proc.poll() is None:
        runs.append(run_kb(db, "search", "電子政府", home=world.home))
    code, _out, err = reap_group(proc)
    assert code == 0, err
    for run in runs:
        assert run.code in (0, 1, 2), run.stderr
        assert "Traceback" not in run.stderr and "内部エラー" not in run.stderr, run.stderr
        if run.code == 2:
            assert run.stderr.startswith("kb:"), run.stderr
            assert "古い形式" not in run.stderr, (
                f"a database being created is not an old database:\n{run.stderr}"
            )
    assert counts(db) == world.expected_counts


@pytest.mark.slow
def test_reimport_and_remove_at_once(world: World, tmp_path: Path) -> None:
    """`kb remove` of a folder while another process re-imports everything: both finish with their
    documented exit code, and a final import restores exactly the full corpus."""
    db = tmp_path / "kb.db"
    home = world.home
    assert run_kb(db, "import", "-q", *[str(p) for p in world.folders.values()], home=home).code == 0
    # change every other one-post file of d2 so that the re-import has work to do (a line after an
    # archive's last footer would be a post of its own)
    for i, path in enumerate(sorted(world.folders["d2"].glob("post-*.txt"))):
        if i % 2 == 0:
            path.write_text(
                path.read_text(encoding="utf-8") + "\n追記: 再訪問の予定です。\n", encoding="utf-8"
            )
    try:
        proc = start_kb(db, "import", "-q", *[str(p) for p in world.folders.values()], home=home)
        time.sleep(0.3)
        removal = run_kb(db, "remove", str(world.folders["d2"]), home=home)
        code, _out, err = reap_group(proc)
        assert code in (0, 1), err
        assert "Traceback" not in err and "locked" not in err and "内部エラー" not in err, err
        assert removal.code in (0, 1, 2), removal.stderr
        assert "Traceback" not in removal.stderr and "locked" not in removal.stderr, removal.stderr
        assert integrity(db) == "ok"
        assert not any(orphans(db).values())
        final = run_kb(db, "import", "-q", *[str(p) for p in world.folders.values()], home=home)
        assert final.code == 0, final.stderr
        by_title = Counter(s[1] for s in post_shapes(db).values())
        assert max(by_title.values()) == 1
        assert len(by_title) == len(world.expected_titles)
    finally:
        write_corpus(world.folders["d2"], FILES_PER_FOLDER, first=200)  # restore for the other tests


# --------------------------------------------------------------------------- a big file and a second writer


def _second_writer(db: Path) -> str:
    """`kb names add` from another connection, waiting 0.3 s at most for the write lock."""
    from kb import api
    from kb.errors import DatabaseError

    with api.open_store(db, write=True) as other:
        other.conn.execute("PRAGMA busy_timeout = 300")
        try:
            api.add_name(other, "シンイー区役所", "org")
        except DatabaseError as err:
            return str(err)
    return "written"


def _committed(db: Path) -> tuple[int, list[str]]:
    """What another reader sees: the number of posts, and each file's recorded checksum."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        posts = int(conn.execute("SELECT count(*) FROM posts").fetchone()[0])
        return posts, [str(r[0]) for r in conn.execute("SELECT sha256 FROM files")]


def test_a_second_writer_is_not_kept_waiting_by_a_big_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17 #9: a big file is analysed outside any transaction and written part by part, so a
    second writer gets in while it is analysed (before, the whole file was one transaction that
    included its segmentation: a second writer waited for all of it, or gave up after 60 s)."""
    from kb.importer import import_paths, plan, writer
    from kb.store import Store
    from reliability_helpers import archive_text

    archive = tmp_path / "archive.txt"
    archive.write_text(archive_text(range(8)), encoding="utf-8")
    monkeypatch.setattr(plan, "STREAM_BYTES", 1000)  # the archive is a big file
    monkeypatch.setattr(writer, "PART_POSTS", 2, raising=False)  # (no parts before: the test fails there)
    db = tmp_path / "kb.db"
    real = writer.analyse_posts
    seen: list[object] = []

    def analysed(*args, **kwargs):  # type: ignore[no-untyped-def]
        for i, item in enumerate(real(*args, **kwargs)):
            if i == 5:  # analysing the sixth post: two parts of two posts are written
                seen.append(_second_writer(db))
                seen.append(_committed(db))
            yield item

    monkeypatch.setattr(writer, "analyse_posts", analysed)
    with Store(db) as store:
        report = import_paths(store, [str(archive)], jobs=1)
    assert seen[0] == "written", seen[0]
    assert seen[1] == (4, [""]), seen[1]  # four posts committed; the file marked unfinished
    posts, shas = _committed(db)
    assert posts == 8 and shas == [sha256_file(archive)]
    assert report.total("added") == 8
    with Store(db, readonly=True) as store:
        assert ("シンイー区役所", "org") in store.names.all()
    assert integrity(db) == "ok" and not any(orphans(db).values())


def test_an_idle_batch_is_committed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch of files is committed once the writer has waited BATCH_SECONDS for the next file (a
    slow file to analyse), not held open until the next file comes."""
    from kb.importer import import_paths, pool, writer
    from kb.store import Store
    from reliability_helpers import post_text

    folder = tmp_path / "posts"
    folder.mkdir()
    for i in range(2):  # two quick files: the batch holding them is still young when the third comes
        (folder / f"post{i}.txt").write_text(f"視察の報告{i}\n\n区の図書館を訪ねました。\n", encoding="utf-8")
    (folder / "post2.txt").write_text(post_text(2), encoding="utf-8")
    monkeypatch.setattr(writer, "BATCH_SECONDS", 0.5)
    db = tmp_path / "kb.db"
    real = pool.analyse_chunk
    seen: list[object] = []

    def analyse_chunk(items, *args):  # type: ignore[no-untyped-def]
        if any(item.key.endswith("post2.txt") for item in items):  # the third file is slow to analyse
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and (not db.exists() or _committed(db)[0] < 2):
                time.sleep(0.02)
            seen.append(_committed(db)[0])
            seen.append(_second_writer(db))
        return real(items, *args)

    monkeypatch.setattr(pool, "CHUNK_FILES", 1)  # one file per chunk: the first two reach the writer first
    monkeypatch.setattr(pool, "analyse_chunk", analyse_chunk)
    with Store(db) as store:
        import_paths(store, [str(folder)], jobs=1)
    assert seen == [2, "written"]
    assert _committed(db)[0] == 3


@pytest.mark.slow
def test_other_writers_get_in_while_a_big_file_imports(tmp_path: Path) -> None:
    """The real commands: while `kb import` writes a big file (over 4 MB, written in parts), a
    `kb names add` and a second `kb import` each complete, and the big import completes too."""
    from reliability_helpers import write_big_archive

    big, small = tmp_path / "big", tmp_path / "small"
    big.mkdir()
    n_big = write_big_archive(big / "archive.html", 800, max_lines=40)
    write_corpus(small, 5, first=5000)  # five one-post files, none of the big file's posts
    db, home = tmp_path / "kb.db", tmp_path / "home"
    proc = start_kb(db, "import", "-q", str(big), home=home)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline and counts(db)["posts"] == 0:
        time.sleep(0.05)  # until the first part of the big file is committed
    names = run_kb(db, "names", "add", "シンイー区役所", home=home)
    other = run_kb(db, "import", "-q", str(small), home=home)
    still_running = proc.poll() is None
    code, _out, err = reap_group(proc, timeout=300)
    assert code == 0, err
    for run in (names, other):
        assert run.code == 0, run.stderr
        assert "使用中" not in run.stderr and "locked" not in run.stderr, run.stderr
    assert still_running, "the big import ended before the other writers did: they waited for it"
    titles = [s[1] for s in post_shapes(db).values()]
    assert len(titles) == len(set(titles)) == n_big + 5  # every post, once
    assert integrity(db) == "ok" and not any(orphans(db).values())

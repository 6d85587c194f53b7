"""Reliability, part 3: interruptions and crashes lose nothing.

The model is SQLite's own crash testing: run the real `kb import` as a subprocess and kill it
(SIGKILL, no chance to clean up, the whole process group as a power cut would) at seeded random
moments between 0 and the import's measured duration, many times, on fresh databases and while a
changed corpus replaces stored posts. After every kill the database passes PRAGMA integrity_check,
holds only whole files (each file's posts exactly as a clean import of that file version gives them,
every post with its sections, passages and facts), and the next import completes with the same counts
as an uninterrupted import into a fresh database. Ctrl-C ends an import with a short message,
exit code 130 and the same guarantees.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import import_folder
from reliability_helpers import (
    counts,
    file_posts,
    integrity,
    kb_cmd,
    kb_env,
    kill_group,
    living_in_group,
    orphans,
    post_shapes,
    reap_group,
    run_kb,
    start_kb,
    write_corpus,
)

N_FILES = 240  # more than one commit batch: kb commits every 200 files or every second
# files that differ in version 2 of the corpus (every third; every sixth file is an archive of two posts)
CHANGED = tuple(range(0, N_FILES, 3))
KILLS = 25
BUDGET_SECONDS = 40  # the loop stops at KILLS kills or after this long (a loaded machine)
MIN_KILLS = 10
RANDOM_SEED = 20180413


@dataclass
class Reference:
    """What an uninterrupted import of one corpus version gives: counts, each file's posts, each post."""

    counts: dict[str, int]
    files: dict[str, tuple[str, frozenset[str]]]  # file name -> (sha256, post uids)
    posts: dict[str, tuple[str, int, int, int]]  # uid -> (title, sections, passages, facts)
    seconds: float
    switch_seconds: float = 0.0  # re-importing the corpus after the other version was imported


def _by_name(files: dict[str, tuple[str, frozenset[str]]]) -> dict[str, tuple[str, frozenset[str]]]:
    return {os.path.basename(p): v for p, v in files.items()}


def _reference(root: Path, version: int, changed: tuple[int, ...]) -> Reference:
    corpus = root / "corpus"
    write_corpus(corpus, N_FILES, version=version, changed=changed)
    db = root / "ref.db"
    run = run_kb(db, "import", "-q", str(corpus), home=root / "home")
    assert run.code == 0, run.stderr
    shapes = {uid: s[1:] for uid, s in post_shapes(db).items()}
    ref = Reference(counts(db), _by_name(file_posts(db)), shapes, run.seconds)
    write_corpus(corpus, N_FILES, version=3 - version, changed=CHANGED)
    switch = run_kb(db, "import", "-q", str(corpus), home=root / "home")
    assert switch.code == 0, switch.stderr
    ref.switch_seconds = switch.seconds
    return ref


@pytest.fixture(scope="module")
def refs(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Reference]:
    """Clean imports of version 1 and version 2 of the corpus, each into a fresh database."""
    return {v: _reference(tmp_path_factory.mktemp(f"ref-v{v}"), v, CHANGED if v == 2 else ()) for v in (1, 2)}


def assert_whole(db: Path, refs: dict[int, Reference], context: str) -> None:
    """The database is sound and every file in it is whole: one of the known versions, all of its posts,
    each post with all of its rows."""
    if not db.exists():
        return
    assert integrity(db) == "ok", context
    bad = {k: v for k, v in orphans(db).items() if v}
    assert not bad, f"{context}: {bad}"
    versions: dict[str, frozenset[str]] = {}
    for ref in refs.values():
        for sha, uids in ref.files.values():
            versions[sha] = uids
    for name, (sha, uids) in _by_name(file_posts(db)).items():
        assert sha in versions, f"{context}: {name} stored with an unknown sha {sha}"
        assert uids == versions[sha], (
            f"{context}: {name} is not whole ({len(uids)} of {len(versions[sha])} posts)"
        )
    known = {uid: shape for ref in refs.values() for uid, shape in ref.posts.items()}
    for uid, shape in post_shapes(db).items():
        assert shape[1:] == known[uid], (
            f"{context}: post {shape[1]} is {shape[2:]}, expected {known[uid][1:]}"
        )


def assert_complete(db: Path, ref: Reference, context: str) -> None:
    got = counts(db)
    assert got == ref.counts, f"{context}: {got} != {ref.counts}"
    assert _by_name(file_posts(db)) == ref.files, context
    assert {uid: s[1:] for uid, s in post_shapes(db).items()} == ref.posts, context


def _import_to_completion(db: Path, corpus: Path, home: Path, context: str) -> None:
    run = run_kb(db, "import", "-q", str(corpus), home=home)
    assert run.code == 0, f"{context}: exit {run.code}\n{run.stderr}"
    assert "Traceback" not in run.stderr and "locked" not in run.stderr, run.stderr


@pytest.mark.slow
def test_sigkill_at_random_moments_never_leaves_a_half_written_file(
    refs: dict[int, Reference], tmp_path: Path
) -> None:
    rnd = random.Random(RANDOM_SEED)
    corpus, home, db = tmp_path / "corpus", tmp_path / "home", tmp_path / "kb.db"
    started = time.monotonic()
    kills = completed = rounds = mid_write = 0
    version = 1
    log: list[str] = []
    while kills < KILLS and time.monotonic() - started < BUDGET_SECONDS:
        rounds += 1
        fresh = rounds % 2 == 1
        if fresh:  # a fresh database: kills land in creation, migration and first inserts
            for p in tmp_path.glob("kb.db*"):
                p.unlink()
            version = 1
            write_corpus(corpus, N_FILES, version=1)
            duration = refs[1].seconds
        else:  # a changed corpus over a full database: kills land while posts are replaced
            version = 3 - version
            write_corpus(corpus, N_FILES, version=version, changed=CHANGED)
            duration = refs[3 - version].switch_seconds
        for attempt in range(4):
            jobs = rnd.choice(["1", "2"])
            stored_before = _by_name(file_posts(db))
            proc = start_kb(db, "import", "-q", "-j", jobs, str(corpus), home=home)
            delay = rnd.uniform(0, duration)
            if fresh and attempt == 0:
                # start-up takes most of a short import: one kill per fresh database is aimed at the
                # writing itself, a moment after the first batch of files was committed
                t0 = time.monotonic()
                _wait_for_first_file(db, proc, timeout=duration * 3)
                delay = rnd.uniform(0, 0.1)
                time.sleep(delay)
                delay += time.monotonic() - t0
            else:
                time.sleep(delay)
            finished_first = proc.poll() is not None
            if not finished_first:
                kill_group(proc, signal.SIGKILL)
            code, _out, err = reap_group(proc)
            context = f"round {rounds} attempt {attempt} (v{version}, -j {jobs}, kill at {delay:.2f}s)"
            if finished_first:
                assert code == 0, f"{context}: {err}"
                completed += 1
                log.append(f"{context}: finished before the kill")
                break
            kills += 1
            assert_whole(db, refs, context)
            wrote = _by_name(file_posts(db)) != stored_before
            mid_write += wrote
            log.append(f"{context}: killed (exit {code}){' after committing files' if wrote else ''}")
        _import_to_completion(db, corpus, home, f"round {rounds}: import after the kills")
        assert_complete(db, refs[version], f"round {rounds} (v{version})")
    print(
        f"\nSIGKILL harness: {kills} kills survived ({mid_write} after some files were committed), "
        f"{completed} imports finished first, {rounds} rounds, {time.monotonic() - started:.1f}s\n"
        + "\n".join(log)
    )
    assert kills >= MIN_KILLS, f"only {kills} kills landed while kb was running:\n" + "\n".join(log)
    assert mid_write >= 2, f"only {mid_write} kills landed while kb was writing:\n" + "\n".join(log)


def _wait_for_first_file(db: Path, proc: subprocess.Popen[bytes], timeout: float) -> bool:
    """Wait until the running import has committed at least one file (and is still running)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                if counts(db)["files"] > 0:
                    return True
            except Exception:  # the schema may be mid-creation: look again
                pass
        time.sleep(0.01)
    return False


INTERRUPTED = (130, -signal.SIGINT)  # kb's own exit code, or death by SIGINT (the shell shows both as 130)


def _is_complete(db: Path, ref: Reference) -> bool:
    return db.exists() and counts(db) == ref.counts and _by_name(file_posts(db)) == ref.files


@pytest.mark.slow
@pytest.mark.parametrize("target", ["group", "parent"])
def test_ctrl_c_during_import_exits_130_with_a_short_message(
    target: str, refs: dict[int, Reference], tmp_path: Path
) -> None:
    """Ctrl-C in a terminal signals the whole foreground group; `kill -INT pid` only the parent. Sent once
    the import has committed its first file, it stops the import with a short message and exit 130,
    and the database holds whole files only."""
    corpus, home = tmp_path / "corpus", tmp_path / "home"
    write_corpus(corpus, N_FILES)
    rnd = random.Random(RANDOM_SEED + (target == "parent"))
    interrupted = 0
    for attempt in range(8):
        db = tmp_path / f"kb-{attempt}.db"
        proc = start_kb(db, "import", str(corpus), home=home)
        if _wait_for_first_file(db, proc, timeout=refs[1].seconds * 3):
            time.sleep(rnd.uniform(0, 0.05))
            if target == "group":
                kill_group(proc, signal.SIGINT)
            else:
                proc.send_signal(signal.SIGINT)
        code, out, err = reap_group(proc, timeout=60)
        context = f"attempt {attempt}: exit {code}\n{err}"
        assert "Traceback" not in err and "Traceback" not in out, context
        assert_whole(db, refs, context)
        if _is_complete(db, refs[1]):
            assert code in (0, *INTERRUPTED), context  # the signal came after the last file
            continue
        interrupted += 1
        assert code == 130, context
        assert "中断" in err or "interrupted" in err, context
        assert len(err.strip().splitlines()) <= 3, context
        _import_to_completion(db, corpus, home, context)
        assert_complete(db, refs[1], context)
        if interrupted >= (2 if target == "group" else 1):
            break
    assert interrupted >= 1, "no Ctrl-C landed while the import was running"


@pytest.mark.slow
def test_ctrl_c_at_any_moment_never_shows_a_traceback(refs: dict[int, Reference], tmp_path: Path) -> None:
    """Ctrl-C pressed right after Enter (interpreter start-up, imports, database creation, worker
    start-up) or later: never a traceback, exit 0 or 130, and the database sound."""
    corpus, home = tmp_path / "corpus", tmp_path / "home"
    write_corpus(corpus, 12)
    rnd = random.Random(RANDOM_SEED + 1)
    for attempt in range(8):
        db = tmp_path / f"kb-{attempt}.db"
        proc = start_kb(db, "import", "-q", str(corpus), home=home)
        delay = rnd.uniform(0, refs[1].seconds * 0.6)
        time.sleep(delay)
        kill_group(proc, signal.SIGINT)
        code, out, err = reap_group(proc, timeout=60)
        context = f"Ctrl-C at {delay:.2f}s: exit {code}\n{err}"
        assert "Traceback" not in err and "Traceback" not in out, context
        assert code in (0, *INTERRUPTED), context
        if db.exists():
            assert integrity(db) == "ok", context
            assert not any(orphans(db).values()), context


def _forkserver_child(pid: int) -> bool:
    """Whether the process ``pid`` has a child running multiprocessing's fork server."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return False
    for child in children:
        try:
            if b"forkserver" in Path(f"/proc/{child}/cmdline").read_bytes():
                return True
        except OSError:
            continue
    return False


@pytest.mark.slow
@pytest.mark.skipif(
    not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists(),
    reason="needs /proc to watch the worker start-up",
)
def test_ctrl_c_while_workers_start_shows_no_traceback(tmp_path: Path) -> None:
    """The worker pool's helper processes are in the terminal's process group too: a Ctrl-C that
    reaches them while they start must not print their tracebacks over kb's message."""
    corpus, home = tmp_path / "corpus", tmp_path / "home"
    write_corpus(corpus, N_FILES)
    hits = 0
    # the helper's own start-up (interpreter, then imports) lasts a few tens of milliseconds after it
    # appears: signal it at several moments of that window
    for attempt, delay in enumerate((0.005, 0.01, 0.015, 0.02, 0.03, 0.05)):
        db = tmp_path / f"kb-{attempt}.db"
        proc = start_kb(db, "import", "-j", "2", str(corpus), home=home)
        deadline = time.monotonic() + 20
        seen = False
        while proc.poll() is None and time.monotonic() < deadline:
            if _forkserver_child(proc.pid):
                seen = True
                break
            time.sleep(0.001)
        if seen:
            time.sleep(delay)
            kill_group(proc, signal.SIGINT)
            hits += 1
        code, out, err = reap_group(proc, timeout=60)
        context = f"Ctrl-C {delay * 1000:.0f} ms after the pool's fork server appeared: exit {code}\n{err}"
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, context
        assert code in (0, *INTERRUPTED), context
    if not hits:
        pytest.skip("the worker pool never started (import too quick)")


def test_ctrl_c_outside_the_import_loop_still_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C while kb prints its summary (after the import, outside its error handling) still ends
    with the short message and exit 130, not a silent exit."""
    import sys

    import kb.views.plain
    from kb.cli import main

    corpus = tmp_path / "corpus"
    write_corpus(corpus, 2)

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(kb.views.plain, "format_import", interrupted)
    monkeypatch.setattr(
        sys, "argv", ["kb", "--db", str(tmp_path / "kb.db"), "import", "-j", "1", str(corpus)]
    )
    with pytest.raises(SystemExit) as exit_info:
        main()
    err = capsys.readouterr().err
    assert exit_info.value.code == 130
    assert "中断" in err or "interrupted" in err, err
    assert "Traceback" not in err


@pytest.mark.slow
def test_sigterm_is_a_crash_like_any_other(refs: dict[int, Reference], tmp_path: Path) -> None:
    """A service manager's SIGTERM (or a closed terminal's SIGHUP) mid-import: whole files only."""
    corpus, home = tmp_path / "corpus", tmp_path / "home"
    write_corpus(corpus, N_FILES)
    for attempt, sig in enumerate((signal.SIGTERM, signal.SIGHUP)):
        db = tmp_path / f"kb-{attempt}.db"
        proc = start_kb(db, "import", "-q", str(corpus), home=home)
        if _wait_for_first_file(db, proc, timeout=refs[1].seconds * 3):
            kill_group(proc, sig)
        code, out, err = reap_group(proc, timeout=60)
        assert "Traceback" not in err, err
        assert_whole(db, refs, f"{sig!r}: exit {code}")
        _import_to_completion(db, corpus, home, f"after {sig!r}")
        assert_complete(db, refs[1], f"after {sig!r}")


def _clean_import(root: Path, n_files: int) -> Reference:
    """What an uninterrupted import of the first ``n_files`` of version 1 gives, imported in this
    process (the same analysis and writer as a `kb import`, without a process start-up)."""
    corpus = root / "corpus"
    write_corpus(corpus, n_files)
    db = import_folder(corpus, root / "ref.db")
    shapes = {uid: s[1:] for uid, s in post_shapes(db).items()}
    return Reference(counts(db), _by_name(file_posts(db)), shapes, seconds=0.0)


def test_disk_full_midway_keeps_whole_files(tmp_path: Path) -> None:
    """Writes that fail midway (here: the database's size capped with max_page_count, as a full disk
    would) are rolled back whole, the user is told the disk is full, and a later import completes."""
    n_files = 60
    ref = _clean_import(tmp_path / "ref", n_files)
    refs = {1: ref}
    corpus, home = tmp_path / "corpus", tmp_path / "home"
    write_corpus(corpus, n_files)  # the first files of the reference corpus, byte for byte
    db = tmp_path / "kb.db"
    first = run_kb(db, "import", "-q", str(corpus / "post-00.txt"), home=home)
    assert first.code == 0, first.stderr
    with closing(sqlite3.connect(db)) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    # max_page_count is per connection: the subprocess applies it through a sitecustomize on its path
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(
        "import sqlite3\n"
        "_connect = sqlite3.connect\n"
        "def connect(*a, **k):\n"
        "    conn = _connect(*a, **k)\n"
        f"    conn.execute('PRAGMA max_page_count = {pages + 60}')\n"
        "    return conn\n"
        "sqlite3.connect = connect\n",
        encoding="utf-8",
    )
    env = kb_env(home, db, PYTHONPATH=str(site))
    proc = subprocess.run(
        kb_cmd(db, "import", "-j", "1", str(corpus)), capture_output=True, env=env, timeout=120
    )
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2, err
    assert "Traceback" not in err and "内部エラー" not in err, err
    assert err.strip().startswith("kb:") or "\nkb:" in err, err
    # the message names the cause, so the user knows to free some space (SQLite: "database or disk is full")
    assert re.search(r"full|いっぱい|容量|空き", err.replace(str(tmp_path), "")), err
    assert_whole(db, refs, "disk full")
    assert counts(db)["files"] < n_files
    _import_to_completion(db, corpus, home, "after disk full")
    assert_whole(db, refs, "after disk full")
    assert_complete(db, ref, "after disk full")


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killing_the_importer_alone_leaves_no_worker_behind(tmp_path: Path, sig: int) -> None:
    """`kill PID` reaches only kb's own process, not its process group. Its pool's fork server and
    workers must end with it rather than wait forever, each holding the Sudachi dictionary's memory."""
    corpus, home = tmp_path / "corpus", tmp_path / "home"
    write_corpus(corpus, N_FILES)
    db = tmp_path / "kb.db"
    proc = start_kb(db, "import", "-j", "2", str(corpus), home=home)
    try:
        deadline = time.monotonic() + 20
        while proc.poll() is None and not _forkserver_child(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.005)
        if proc.poll() is not None:
            pytest.skip("the import ended before its worker pool started")
        time.sleep(0.3)  # workers forked and analysing
        proc.send_signal(sig)  # the importer only, as `kill PID` does
        # wait for the importer alone: workers that outlive it would hold its output pipes open
        assert proc.wait(timeout=30) == -sig, "the importer ended before the signal reached it"
        deadline = time.monotonic() + 10
        while living_in_group(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not living_in_group(proc.pid), "pool processes outlived the killed importer"
    finally:
        kill_group(proc)
        proc.communicate(timeout=30)
    assert integrity(db) == "ok"


# --------------------------------------------------------------------------- a big file cut short between parts


class Crash(BaseException):
    """A kill, as far as the database can tell: the import stops where it is, nothing is cleaned up."""


def _import_big(
    db: Path, archive: Path, monkeypatch: pytest.MonkeyPatch, crash_at: int | None = None
) -> None:
    """Import ``archive`` as a big file written in parts of two posts; stop dead while the post
    ``crash_at`` of it is analysed (outside any transaction: between two parts)."""
    from kb.importer import import_paths, plan, writer
    from kb.store import Store

    monkeypatch.setattr(plan, "STREAM_BYTES", 1000)
    monkeypatch.setattr(writer, "PART_POSTS", 2, raising=False)
    real = writer.analyse_posts

    def analysed(*args, **kwargs):  # type: ignore[no-untyped-def]
        for i, item in enumerate(real(*args, **kwargs)):
            if i == crash_at:
                raise Crash
            yield item

    monkeypatch.setattr(writer, "analyse_posts", analysed)
    with Store(db) as store:
        if crash_at is None:
            import_paths(store, [str(archive)], jobs=1)
        else:
            with pytest.raises(Crash):
                import_paths(store, [str(archive)], jobs=1)
    monkeypatch.setattr(writer, "analyse_posts", real)


def test_a_big_file_cut_short_keeps_whole_posts_and_the_next_import_completes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17 #9, what a big file written in parts guarantees: cut short between two parts (a
    kill, Ctrl-C, a full disk), the database holds every post written whole and linked to the file,
    every post the file held before, and the file marked unfinished (an empty checksum); the next
    import completes it, and the database is then exactly what an uninterrupted import gives."""
    from reliability_helpers import archive_text, dump, sha256_file

    archive = tmp_path / "archive.txt"
    v1 = archive_text(range(8))
    v2 = archive_text([*range(6), 30, 31], version=2)  # six posts edited, two gone, two new
    ref, db = tmp_path / "ref.db", tmp_path / "kb.db"
    for target in (ref, db):
        archive.write_text(v1, encoding="utf-8")
        _import_big(target, archive, monkeypatch)
    archive.write_text(v2, encoding="utf-8")
    _import_big(ref, archive, monkeypatch)
    v1_titles = {s[1] for s in post_shapes(db).values()}

    _import_big(db, archive, monkeypatch, crash_at=5)  # two parts of v2 (four posts) were written

    assert integrity(db) == "ok" and not any(orphans(db).values()), orphans(db)
    (path, (sha, uids)), *others = file_posts(db).items()
    assert not others and sha == ""  # unfinished: the next import reads the file again
    shapes = post_shapes(db)
    assert set(shapes) == uids and len(shapes) == 8  # four posts edited in place, four as they were
    titles = {s[1] for s in shapes.values()}
    assert len(titles & v1_titles) == 4 and len(titles - v1_titles) == 4
    ref_shapes = post_shapes(ref)
    for uid, shape in shapes.items():  # each post of v2 written is whole: as the reference holds it
        if shape[1] not in v1_titles:
            assert shape[1:] == ref_shapes[uid][1:], shape

    _import_big(db, archive, monkeypatch)
    assert dump(db) == dump(ref)
    assert file_posts(db)[path][0] == sha256_file(archive)


def _writing_a_big_file(db: Path, proc: subprocess.Popen[bytes], timeout: float) -> bool:
    """Wait until the running import has committed a part of the big file (it is then recorded with
    an empty checksum) and is still running."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if "" in {sha for sha, _ in file_posts(db).values()}:
                return proc.poll() is None
        except sqlite3.Error:  # the schema may be mid-creation: look again
            pass
        time.sleep(0.01)
    return False


@pytest.mark.slow
def test_sigkill_during_a_big_file_keeps_whole_posts_and_loses_nothing(tmp_path: Path) -> None:
    """The real command killed (SIGKILL) at random moments while it writes a big file (over 4 MB,
    written in parts), into a fresh database and over the file's previous version: after every kill
    the database is sound, every post whole and held by the file, the file either whole or marked
    unfinished; the next import completes it to exactly what an uninterrupted import gives."""
    from reliability_helpers import dump, write_big_archive

    n_posts, changed = 400, tuple(range(400))  # v2 edits every post: all of it is analysed again
    home, big = tmp_path / "home", tmp_path / "big"
    big.mkdir()
    archive = big / "archive.html"

    def version(v: int) -> None:
        write_big_archive(archive, n_posts, version=v, changed=changed if v == 2 else (), max_lines=40)

    refs: dict[str, Path] = {}
    seconds: dict[str, float] = {}
    for name, versions in (("v1", (1,)), ("v1-then-v2", (1, 2))):
        refs[name] = tmp_path / f"ref-{name}.db"
        for v in versions:
            version(v)
            started = time.monotonic()
            _import_to_completion(refs[name], big, home, f"reference {name}")
            seconds[name] = time.monotonic() - started  # the last import of the sequence
    known: dict[str, tuple[str, int, int, int]] = {}
    for ref in refs.values():
        known.update({uid: s[1:] for uid, s in post_shapes(ref).items()})
    rnd = random.Random(RANDOM_SEED + 2)
    kills = unfinished = 0
    started = time.monotonic()
    for attempt in range(10):
        if time.monotonic() - started > BUDGET_SECONDS * 2 and kills >= 4:
            break
        over = attempt % 2 == 1  # every other round: v2 over a database holding v1
        db = tmp_path / f"kb-{attempt}.db"
        if over:
            version(1)
            _import_to_completion(db, big, home, "v1 before the kill")
        version(2 if over else 1)
        proc = start_kb(db, "import", "-q", str(big), home=home)
        t0 = time.monotonic()
        delay = 0.0
        if _writing_a_big_file(db, proc, timeout=60):  # then kill it before it would have finished
            left = seconds["v1-then-v2" if over else "v1"] - (time.monotonic() - t0)
            delay = rnd.uniform(0, max(0.0, left) * 0.7)
            time.sleep(delay)
        if proc.poll() is None:
            kill_group(proc, signal.SIGKILL)
            kills += 1
        reap_group(proc)
        context = (
            f"attempt {attempt} ({'v2 over v1' if over else 'fresh'}), kill {delay:.2f}s into the big file"
        )
        if db.exists():
            assert integrity(db) == "ok", context
            assert not any(orphans(db).values()), (context, orphans(db))
            shapes = post_shapes(db)
            for _path, (sha, uids) in file_posts(db).items():
                unfinished += sha == ""
                for uid in uids:  # every post stored is whole: as one of the references holds it
                    assert shapes[uid][1:] == known[uid], context
            if over:  # nothing of v1 is lost before v2 is complete: every post is still there
                assert len(shapes) >= n_posts, context
        _import_to_completion(db, big, home, context)
        assert dump(db) == dump(refs["v1-then-v2" if over else "v1"]), context
    assert kills >= 4, f"only {kills} kills landed while kb was running"
    assert unfinished >= 2, f"only {unfinished} kills landed between two parts of the big file"

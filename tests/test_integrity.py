"""The integrity stamp: a database that passed SQLite's check is not checked again until it changes,
and a change made behind kb's back (a damaged page) is still refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kb.errors import DatabaseError
from kb.store import Store, integrity


def _checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The databases whose integrity check ran (and passed) from now on: a passed check is stamped."""
    ran: list[str] = []
    real = integrity.mark_verified

    def mark(db_path: str, sig: str) -> None:
        ran.append(db_path)
        real(db_path, sig)

    monkeypatch.setattr(integrity, "mark_verified", mark)
    return ran


def test_a_checked_database_is_not_checked_again_until_it_changes(
    seed_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "copy.db"
    db.write_bytes(seed_db.read_bytes())
    ran = _checks(monkeypatch)
    assert not integrity.is_verified(str(db), integrity.signature(str(db)))
    with Store(db, readonly=True) as store:
        assert store.posts.counts().posts == 5
    assert ran == [str(db)] and integrity.is_verified(str(db), integrity.signature(str(db)))
    # reading again skips the check (a read changes neither file), and the stamp stays valid
    with Store(db, readonly=True) as store:
        assert store.posts.counts().posts == 5
    assert ran == [str(db)] and integrity.is_verified(str(db), integrity.signature(str(db)))
    # a write by kb invalidates it: the next open checks again
    with Store(db) as store:
        store.set_meta("touched", "1")
    assert not integrity.is_verified(str(db), integrity.signature(str(db)))
    with Store(db, readonly=True):
        pass
    assert len(ran) >= 2


def test_a_page_damaged_after_the_stamp_is_refused(seed_db: Path, tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "copy.db"
    db.write_bytes(seed_db.read_bytes())
    with Store(db, readonly=True):
        pass
    assert integrity.is_verified(str(db), integrity.signature(str(db)))
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        # a page of the facts table: opening the database never reads it, only the check does
        pageno = con.execute("SELECT max(pageno) FROM dbstat WHERE name = 'facts'").fetchone()[0]
    finally:
        con.close()
    data = bytearray(db.read_bytes())
    stat = db.stat()
    data[(pageno - 1) * page_size : pageno * page_size] = b"\xa5" * page_size
    db.write_bytes(bytes(data))
    os.utime(db, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even with the old modification time
    # what kb reads to open a database is intact: only the integrity check can see the damage
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        assert con.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] > 0
        assert con.execute("SELECT count(*) FROM meta").fetchone()[0] > 0
    finally:
        con.close()
    with pytest.raises(DatabaseError, match="壊れて"):
        Store(db, readonly=True)


def test_stamps_stay_in_the_cache_folder(seed_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    db.write_bytes(seed_db.read_bytes())
    with Store(db, readonly=True):
        pass
    stamps = list((tmp_path / "home" / ".cache" / "kb" / "verified").iterdir())
    assert len(stamps) == 1 and stamps[0].read_text(encoding="ascii") == integrity.signature(str(db))
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("copy.db")) in (
        ["copy.db"],
        ["copy.db", "copy.db-shm", "copy.db-wal"],
    )


def test_an_unwritable_cache_only_means_checking_again(
    seed_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    ran = _checks(monkeypatch)
    for _ in range(2):
        with Store(seed_db, readonly=True) as store:
            assert store.posts.counts().posts == 5
    assert ran == [str(seed_db)] * 2  # no stamp could be kept: checked at each open, no error


def test_new_databases_keep_text_as_utf16_and_read_back_exactly(seed_db: Path) -> None:
    import sqlite3

    from helpers import SEED
    from kb.reading.archive import read_plain
    from kb.structure import build_post

    con = sqlite3.connect(f"file:{seed_db}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA encoding").fetchone()[0] == "UTF-16le"
        stored = [r[0] for r in con.execute("SELECT text FROM texts ORDER BY post_id")]
    finally:
        con.close()
    read = [build_post(r).text for r in read_plain(SEED.read_text(encoding="utf-8"), "seed")]
    assert stored == read and len(stored) == 5

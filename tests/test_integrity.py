"""The integrity stamp: a database that passed SQLite's check is not checked again until it changes,
and a change made behind kb's back (a damaged page) is still refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kb import integrity
from kb.errors import DatabaseError
from kb.store import Store


def test_a_checked_database_is_stamped_until_it_changes(seed_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    db.write_bytes(seed_db.read_bytes())
    assert not integrity.is_verified(str(db), integrity.signature(str(db)))
    with Store(db, readonly=True) as store:
        assert store.counts()["posts"] == 5
    sig = integrity.signature(str(db))
    assert integrity.is_verified(str(db), sig)
    # reading again leaves the stamp valid (a read changes neither file)
    with Store(db, readonly=True) as store:
        assert store.counts()["posts"] == 5
    assert integrity.is_verified(str(db), integrity.signature(str(db)))
    # a write by kb invalidates it
    with Store(db) as store:
        store.set_meta("touched", "1")
    assert not integrity.is_verified(str(db), integrity.signature(str(db)))


def test_a_page_damaged_after_the_stamp_is_refused(seed_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    db.write_bytes(seed_db.read_bytes())
    with Store(db, readonly=True):
        pass
    assert integrity.is_verified(str(db), integrity.signature(str(db)))
    page = 4096  # kb's page size
    data = bytearray(db.read_bytes())
    assert len(data) > 4 * page
    stat = db.stat()
    data[3 * page : 4 * page] = b"\xa5" * page  # the fourth page (one of kb's tables) overwritten
    db.write_bytes(bytes(data))
    os.utime(db, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even with the old modification time
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
    with Store(seed_db, readonly=True) as store:
        assert store.counts()["posts"] == 5
    assert not integrity.is_verified(str(seed_db), integrity.signature(str(seed_db)))


def test_new_databases_keep_text_as_utf16_and_read_back_exactly(seed_db: Path) -> None:
    import sqlite3

    from conftest import SEED
    from kb.reading.archive import read_plain
    from kb.structure import build_post

    con = sqlite3.connect(f"file:{seed_db}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA encoding").fetchone()[0] == "UTF-16le"
        stored = [r[0] for r in con.execute("SELECT text FROM posts ORDER BY id")]
    finally:
        con.close()
    read = [build_post(r).text for r in read_plain(SEED.read_text(encoding="utf-8"), "seed")]
    assert stored == read and len(stored) == 5

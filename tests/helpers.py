"""Builders the tests share: fixture paths, posts written to a folder, a folder imported into a
database. Tests import these instead of importing each other."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

from kb.importer import import_paths
from kb.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed-blog.txt"


def write_posts(folder: Path, posts: Mapping[str, str | bytes]) -> Path:
    """Write each post (relative path → text or bytes) under ``folder``; returns the folder."""
    for name, content in posts.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def import_folder(folder: Path, db: Path, *, jobs: int = 1) -> Path:
    """Import a folder (or a file) into a new or existing database; returns the database path."""
    with Store(db) as store:
        import_paths(store, [str(folder)], jobs=jobs)
    return db


def copy_db(src: Path, dst: Path) -> Path:
    """A private copy of a built database (cheaper than importing again)."""
    shutil.copy(src, dst)
    for suffix in ("-wal", "-shm"):
        if Path(str(src) + suffix).exists():
            shutil.copy(str(src) + suffix, str(dst) + suffix)
    return dst

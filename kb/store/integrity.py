"""Remembering that a database file passed SQLite's integrity check, so that every command does not
pay for the check again (``PRAGMA quick_check`` reads every page, which takes longer the larger the
database: figures in bench/README.md).

A stamp records the identity of the database file and of its write-ahead log: device, inode, size
and modification time of both, and the change time of the database file (which no program can set
back). Any write to either file, by kb or by another program, changes them, and the next open checks
the file again: a damaged file is refused as before. Stamps live in the user's cache folder
(``$XDG_CACHE_HOME/kb/verified``), one small file per database path, so nothing is written beside
the database and a read-only database folder works the same.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kb" / "verified"


def _stat_sig(path: str, *, ctime: bool) -> str:
    try:
        st = os.stat(path)
    except (OSError, ValueError):  # missing, under a regular file, unreadable, NUL in the name
        return "-"
    sig = f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"
    return f"{sig}:{st.st_ctime_ns}" if ctime else sig


def signature(db_path: str) -> str:
    """The identity of a database file and its write-ahead log, as they are now. The log's change
    time is left out: SQLite changes it (fchown) each time a connection opens the log, even to read."""
    return f"{_stat_sig(db_path, ctime=True)}|{_stat_sig(db_path + '-wal', ctime=False)}"


def same_file(before: str, after: str) -> bool:
    """Whether two signatures show the same, unchanged database file (its log may differ: opening a
    database can create an empty log)."""
    return before.split("|", 1)[0] == after.split("|", 1)[0]


def _stamp_path(db_path: str) -> Path:
    """The stamp file of a database path: a 64-bit checksum of the real path. zlib, not hashlib: this
    is on the start-up path of every command, and hashlib's import loads OpenSSL (bench/README.md).
    Two paths that share a name only check each other's file again (a stamp holds the file's
    identity)."""
    path = os.path.realpath(db_path).encode("utf-8", "surrogateescape")
    return _cache_dir() / f"{zlib.crc32(path):08x}{zlib.adler32(path):08x}"


def is_verified(db_path: str, sig: str) -> bool:
    """True when ``sig`` is the signature recorded when this file last passed the check."""
    try:
        return _stamp_path(db_path).read_text(encoding="ascii") == sig
    except (OSError, UnicodeDecodeError):
        return False


def mark_verified(db_path: str, sig: str) -> None:
    """Record that the file with signature ``sig`` (taken before the check) passed it. Best effort:
    a cache folder that cannot be written only means the next open checks again."""
    target = _stamp_path(db_path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        tmp.write_text(sig, encoding="ascii")
        os.replace(tmp, target)
    except OSError:
        pass

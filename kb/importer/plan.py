"""Planning an import: each file in order is read once and checked against what the database holds,
giving what to analyse, a big file to stream, a moved file to record, or an outcome with nothing to
do (unreadable, unchanged since the last import). Nothing is held per file of the corpus."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator

from kb.errors import KbError, UnreadableFile
from kb.importer.report import SKIPPED, UNCHANGED, FileOutcome
from kb.reading import STDIN, Source, os_reason
from kb.record import record
from kb.store import Store

STREAM_BYTES = 4 * 1024 * 1024  # a file larger than this is analysed and written post by post


@record(frozen=True, slots=True)
class ToAnalyse:
    """A file to read and analyse; ``known`` are the uids of the posts it held at its last import."""

    key: str  # the file's path as the database records it
    data: bytes
    sha: str
    known: frozenset[str]


@record(frozen=True, slots=True)
class Big:
    """A file too big to analyse at once (an archive of thousands of posts): the writer analyses and
    writes it post by post, so its records are never all held at once."""

    key: str
    data: bytes
    sha: str


@record(frozen=True, slots=True)
class Moved:
    """A file the database knows under a path that is gone: same content, new path."""

    key: str
    file_id: int
    old_path: str


Planned = ToAnalyse | Big | Moved | FileOutcome


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def storable(path: str) -> str:
    """A path as the database can hold it: bytes that were not UTF-8 in a file name (a Shift_JIS name
    from a Windows zip) are kept as backslash escapes (\\x8e) instead of the lone surrogates the
    file system gives and SQLite refuses. Each name in the path is escaped alone, so the key of a
    folder is a prefix of the keys of the files in it, whatever bytes either name holds."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = path.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # surrogates that stand for no byte (a caller's, not the system's)
            raw = path.encode("utf-8", "surrogatepass")
        return raw.decode("utf-8", "backslashreplace")
    return path


def recorded_file_exists(key: str) -> bool:
    """Whether a file the database recorded under ``key`` is still there. A key with escapes names a
    file whose name is not UTF-8: it is found by escaping the names in each folder on its way."""
    if key.startswith("<"):  # standard input: never taken for a moved file
        return True
    if os.path.exists(key):
        return True
    if "\\" not in key or not key.startswith("/"):
        return False
    here = b"/"
    for part in key.split("/")[1:]:
        if not part:
            continue
        direct = os.path.join(here, part.encode("utf-8"))
        if os.path.lexists(direct):
            here = direct
            continue
        if "\\" not in part:
            return False
        try:
            names = os.listdir(here)
        except OSError:
            return False
        match = next((n for n in names if storable(os.fsdecode(n)) == part), None)
        if match is None:
            return False
        here = os.path.join(here, match)
    return os.path.exists(here)


def file_key(path: str) -> str:
    """The key of a named file: its absolute path, storable."""
    return storable(os.path.abspath(path))


def plan_files(sources: Iterable[Source | UnreadableFile], reader: Store) -> Iterator[Planned]:
    """What to do with each file, in order. ``reader`` is a second connection: the writer thread owns
    the store's. A problem with one file is that file's outcome, never the end of the import."""
    for src in sources:
        if isinstance(src, UnreadableFile):
            yield FileOutcome(storable(src.path), SKIPPED, reason=src.reason)
            continue
        try:
            yield _plan_one(src, reader)
        except OSError as err:
            yield FileOutcome(storable(src.path), SKIPPED, reason=os_reason(err))
        except KbError as err:
            yield FileOutcome(storable(src.path), SKIPPED, reason=str(err))


def _plan_one(src: Source, reader: Store) -> Planned:
    data = src.read_bytes()
    sha = sha256(data)
    key = f"{STDIN}:{sha[:12]}" if src.path == STDIN else file_key(src.path)
    known = reader.writes.file(key)
    if known is not None and known.sha == sha:
        return FileOutcome(key, UNCHANGED, unchanged=len(reader.writes.held(known.id)))
    if known is None and src.path != STDIN:
        moved = reader.writes.moved_from(sha, len(data), recorded_file_exists)
        if moved is not None:
            return Moved(key, moved.id, moved.path)
    if len(data) > STREAM_BYTES:
        return Big(key, data, sha)
    held = frozenset(h.uid for h in reader.writes.held(known.id)) if known is not None else frozenset()
    return ToAnalyse(key, data, sha, held)

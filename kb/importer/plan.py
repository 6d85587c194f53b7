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
    from a Windows zip) are kept as backslash escapes instead of lone surrogates SQLite refuses."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return path


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
        moved = reader.writes.moved_from(sha, len(data), _exists)
        if moved is not None:
            return Moved(key, moved.id, moved.path)
    if len(data) > STREAM_BYTES:
        return Big(key, data, sha)
    held = frozenset(h.uid for h in reader.writes.held(known.id)) if known is not None else frozenset()
    return ToAnalyse(key, data, sha, held)


def _exists(path: str) -> bool:
    """Whether a recorded path still names a file (a stdin key is never taken for a moved file)."""
    return path.startswith("<") or os.path.exists(path)

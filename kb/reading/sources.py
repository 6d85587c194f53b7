"""Files to read: paths, directories (recursive, sorted) and standard input, one file at a time."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from kb.errors import UnreadableFile

STDIN = "<stdin>"


@dataclass(frozen=True, slots=True)
class Source:
    """A file to read; its bytes are read only when asked for."""

    path: str
    size: int
    data: bytes | None = field(default=None, repr=False, compare=False)  # standard input, already read

    def read_bytes(self) -> bytes:
        """The file's bytes; OSError when the file went away or became unreadable since it was listed."""
        if self.data is not None:
            return self.data
        with open(self.path, "rb") as fh:
            return fh.read()


def iter_sources(paths: Sequence[str]) -> Iterator[Source | UnreadableFile]:
    """Every file under ``paths`` in a deterministic order; problems are yielded, not raised.

    Directories are walked recursively in name order, skipping hidden names and symlink loops;
    a file named explicitly is read even when hidden. ``-`` is standard input.
    """
    seen_dirs: set[str] = set()
    seen_files: set[int] = set()  # (device, inode) of the files listed: small, and no realpath calls
    stdin_done = False
    for path in paths:
        if path == "-":
            if not stdin_done:
                stdin_done = True
                data = sys.stdin.buffer.read()
                yield Source(STDIN, len(data), data)
            continue
        try:
            st = os.stat(path)
        except OSError as err:
            yield UnreadableFile(path, _reason(err))
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(path, seen_dirs, seen_files)
        else:
            yield from _file(path, st, seen_files, explicit=True)


def _walk(root: str, seen_dirs: set[str], seen_files: set[int]) -> Iterator[Source | UnreadableFile]:
    """Depth-first in name order; a stack of listings keeps deep trees off the call stack."""
    stack: list[Iterator[str]] = []
    listing = _list(root, seen_dirs)
    if isinstance(listing, UnreadableFile):
        yield listing
        return
    stack.append(iter(listing))
    while stack:
        path = next(stack[-1], None)
        if path is None:
            stack.pop()
            continue
        try:
            st = os.stat(path)
        except OSError as err:
            broken = os.path.islink(path) and isinstance(err, FileNotFoundError)
            yield UnreadableFile(path, "broken symbolic link" if broken else _reason(err))
            continue
        if not stat.S_ISDIR(st.st_mode):
            yield from _file(path, st, seen_files, explicit=False)
            continue
        listing = _list(path, seen_dirs)
        if isinstance(listing, UnreadableFile):
            yield listing
        else:
            stack.append(iter(listing))


def _list(directory: str, seen_dirs: set[str]) -> list[str] | UnreadableFile:
    """The visible entries of a directory in name order; none when it was visited already (a loop)."""
    real = os.path.realpath(directory)
    if real in seen_dirs:
        return []
    seen_dirs.add(real)
    try:
        names = sorted(os.listdir(directory))
    except OSError as err:
        return UnreadableFile(
            directory, f"cannot read directory: {_reason(err).removeprefix('cannot read: ')}"
        )
    return [os.path.join(directory, name) for name in names if not name.startswith(".")]


def _file(
    path: str, st: os.stat_result, seen: set[int], *, explicit: bool
) -> Iterator[Source | UnreadableFile]:
    regular = stat.S_ISREG(st.st_mode)
    if not regular and not explicit:
        yield UnreadableFile(path, "not a regular file, skipped")
        return
    # the same file reached twice (a symlink, a hard link, overlapping arguments) is read once
    identity = st.st_dev << 64 | st.st_ino
    if regular and identity in seen:
        return
    seen.add(identity)
    if not os.access(path, os.R_OK):
        yield UnreadableFile(path, "cannot read: permission denied")
        return
    yield Source(path, st.st_size if regular else 0)


def _reason(err: OSError) -> str:
    if isinstance(err, PermissionError):
        return "cannot read: permission denied"
    if isinstance(err, FileNotFoundError):
        return "no such file or directory"
    if isinstance(err, IsADirectoryError):
        return "is a directory"
    return f"cannot read: {err.strerror or err}"

"""Atomic file output: a temporary file in the target directory, fsync, then os.replace."""

from __future__ import annotations

import contextlib
import os
import tempfile

from kb.errors import ExportError
from kb.export import messages


def check_target(path: str, force: bool) -> None:
    """Raise ExportError unless `path` can be written: its directory exists, and it is new or force."""
    if not path.strip():
        raise ExportError(messages.write_failed(repr(path), "no file name"))
    parent = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise ExportError(messages.is_directory(path))
    if not os.path.isdir(parent):
        raise ExportError(messages.parent_missing(path, parent))
    if os.path.lexists(path) and not force:
        raise ExportError(messages.file_exists(path))


def _default_mode() -> int:
    """The mode a plain open() would give a new file (0666 minus the umask)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: str, data: bytes, *, force: bool = False) -> None:
    """Write `data` to `path` so that readers see either the old file or the whole new one."""
    check_target(path, force)
    parent = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    except OSError as err:
        raise ExportError(messages.write_failed(path, err.strerror or str(err))) from err
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        try:
            mode = os.stat(path).st_mode & 0o7777 if os.path.exists(path) else _default_mode()
            os.chmod(tmp, mode)
        except OSError:
            pass  # keep mkstemp's private mode rather than fail the export
        if not force and os.path.lexists(path):  # appeared while we were writing
            raise ExportError(messages.file_exists(path))
        os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, OSError):
            raise ExportError(messages.write_failed(path, err.strerror or str(err))) from err
        raise
    _fsync_dir(parent)


def _fsync_dir(directory: str) -> None:
    """Make the rename durable; not every platform can open a directory, which is fine."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

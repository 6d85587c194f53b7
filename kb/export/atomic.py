"""Atomic file output: a temporary file next to the target, fsync, then os.replace.

Only a regular file is ever replaced. A symlink is written through: its target is replaced and the
link stays a link. A FIFO, a socket, a device node or a directory is refused, with --force or
without: replacing /dev/null (as root) or a pipe another program reads with a regular file breaks
the machine or that program.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile

from kb.errors import ExportError
from kb.export import messages
from kb.filekind import SPECIAL_KINDS, file_kind


def resolve_target(path: str) -> str:
    """The file an export to `path` replaces: `path`, or the file a symlink (chain) points to."""
    if os.path.islink(path):
        return os.path.realpath(path)
    return path


def _target_stat(path: str, target: str) -> os.stat_result | None:
    """The target's status (None when it does not exist yet); ExportError when it cannot be known."""
    try:
        return os.stat(target)
    except FileNotFoundError:
        return None
    except OSError as err:
        raise ExportError(messages.write_failed(path, messages.reason(err))) from err


def _check_kind(path: str, st: os.stat_result | None) -> None:
    """ExportError when the target is there and is a folder or a special file."""
    if st is None:
        return
    kind = file_kind(st.st_mode)
    if kind == "directory":
        raise ExportError(messages.is_directory(path))
    if kind in SPECIAL_KINDS:
        raise ExportError(messages.special_file(path, kind))


def check_target(path: str, force: bool) -> str:
    """The regular file an export to `path` writes (`path`, or a symlink's target); ExportError
    unless it can be written: its folder exists, it is new or `force`, and it is no special file."""
    if not path.strip():
        raise ExportError(messages.NO_FILE_NAME)
    target = resolve_target(path)
    _check_kind(path, _target_stat(path, target))
    parent = os.path.dirname(os.path.abspath(target))
    if not os.path.isdir(parent):
        raise ExportError(messages.parent_missing(path, parent))
    if os.path.lexists(path) and not force:
        raise ExportError(messages.file_exists(path))
    return target


def _default_mode() -> int:
    """The mode a plain open() would give a new file (0666 minus the umask)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _keep_mode_and_owner(tmp: str, old: os.stat_result | None) -> None:
    """Give the new file the old one's permissions (and owner, where we may), or a new file's mode."""
    try:
        os.chmod(tmp, stat.S_IMODE(old.st_mode) if old is not None else _default_mode())
    except OSError:
        pass  # keep mkstemp's private mode rather than fail the export
    if old is not None and hasattr(os, "chown"):
        mine = os.stat(tmp)
        if (mine.st_uid, mine.st_gid) != (old.st_uid, old.st_gid):
            with contextlib.suppress(OSError):  # only root may give a file away
                os.chown(tmp, old.st_uid, old.st_gid)


def write_atomic(path: str, data: bytes, *, force: bool = False) -> None:
    """Write `data` to `path` so that readers see either the old file or the whole new one."""
    target = check_target(path, force)
    parent = os.path.dirname(os.path.abspath(target))
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{os.path.basename(target)}.", suffix=".tmp")
    except OSError as err:
        raise ExportError(messages.write_failed(path, messages.reason(err))) from err
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        old = _target_stat(path, target)
        _check_kind(path, old)  # it may have become a pipe or a device while we were writing
        _keep_mode_and_owner(tmp, old)
        if not force and os.path.lexists(path):  # appeared while we were writing
            raise ExportError(messages.file_exists(path))
        os.replace(tmp, target)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, OSError):
            raise ExportError(messages.write_failed(path, messages.reason(err))) from err
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

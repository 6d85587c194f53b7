"""What kind of file a path is: kb writes (kb export) and opens (the database) regular files only, and
each refuses the others with a message that names their kind."""

from __future__ import annotations

import stat

# Kinds that are neither a regular file nor a folder, and that writing or opening must never replace or
# read as one: a pipe another program reads, a socket, a device node.
SPECIAL_KINDS = ("fifo", "socket", "char", "block")
_BY_TYPE = {
    stat.S_IFREG: "file",
    stat.S_IFDIR: "directory",
    stat.S_IFIFO: "fifo",
    stat.S_IFSOCK: "socket",
    stat.S_IFCHR: "char",
    stat.S_IFBLK: "block",
}


def file_kind(mode: int) -> str:
    """The kind of file a status mode names: "file", "directory", one of SPECIAL_KINDS, or "other"
    (a kind this platform has beyond those: a door, an event port)."""
    return _BY_TYPE.get(stat.S_IFMT(mode), "other")

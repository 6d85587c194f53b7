"""Named exceptions: the library raises these, the CLI turns them into messages and exit codes."""

from __future__ import annotations


class KbError(Exception):
    """Base class: a condition the user can act on. ``str(err)`` is the message shown to them."""

    exit_code = 2


class UnreadableFile(KbError):
    """A file kb cannot read or decode; the import skips it and goes on."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[type[UnreadableFile], tuple[str, str]]:
        # keep both arguments when the error crosses a process boundary (import --jobs)
        return (UnreadableFile, (self.path, self.reason))


class QueryError(KbError):
    """A search, filter or option value the user typed that kb cannot run."""


class NotFound(KbError):
    """What the user named is not there (a post number, a path, a name): exit status 1."""

    exit_code = 1


class DatabaseError(KbError):
    """The database is not a kb database, is damaged, newer than this kb, or cannot be written."""


class ReadOnlyDatabase(DatabaseError):
    """A command that writes was given a database it cannot write (a read-only file, folder or mount)."""


class ExportError(KbError):
    """An export that cannot be written as asked."""

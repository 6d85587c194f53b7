"""The storage failure type, importable without loading the store (the CLI catches it)."""

from sqlite3 import DatabaseError as StoreFailure

__all__ = ["StoreFailure"]

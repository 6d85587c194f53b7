"""The user's own entries: names of organisations and places, and synonyms for search."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kb.store.connection import guarded

if TYPE_CHECKING:
    from kb.store.connection import Connection


class _UserTable:
    """A table of the user's own pairs, on the store's connection."""

    def __init__(self, store: Connection) -> None:
        self.path = store.path
        self._c = store.conn

    def _pairs(self, sql: str) -> list[tuple[str, str]]:
        return [(str(r[0]), str(r[1])) for r in self._c.execute(sql)]


class Names(_UserTable):
    """`kb names`: surfaces tagged as organisations or places on import and reindex."""

    @guarded
    def all(self) -> list[tuple[str, str]]:
        """(surface, kind) pairs in order of surface."""
        return self._pairs("SELECT surface, kind FROM names ORDER BY surface")

    @guarded
    def add(self, surface: str, kind: str) -> None:
        self._c.execute("INSERT OR REPLACE INTO names (surface, kind) VALUES (?, ?)", (surface, kind))

    @guarded
    def remove(self, surface: str) -> bool:
        return self._c.execute("DELETE FROM names WHERE surface = ?", (surface,)).rowcount > 0


class Synonyms(_UserTable):
    """`kb synonyms`: words the user wants found together (both directions)."""

    @guarded
    def all(self) -> list[tuple[str, str]]:
        """(word, other) pairs as added, in order of word."""
        return self._pairs("SELECT word, other FROM synonyms ORDER BY word, other")

    @guarded
    def add(self, word: str, other: str) -> None:
        self._c.execute("INSERT OR IGNORE INTO synonyms (word, other) VALUES (?, ?)", (word, other))

    @guarded
    def remove(self, word: str, other: str | None = None) -> int:
        """Remove a pair, or every pair of a word; returns how many were removed."""
        if other is None:
            cur = self._c.execute("DELETE FROM synonyms WHERE word = ? OR other = ?", (word, word))
        else:
            cur = self._c.execute(
                "DELETE FROM synonyms WHERE (word = ? AND other = ?) OR (word = ? AND other = ?)",
                (word, other, other, word),
            )
        return int(cur.rowcount)

"""The storage layer: the only package that knows SQL. A kb database is a plain SQLite file (its
layout is in kb.store.schema); ``Store`` opens and checks one and reaches its parts by concern."""

from __future__ import annotations

from pathlib import Path

from kb.store.connection import Connection
from kb.store.facts_sql import FactFilter, FactReads
from kb.store.names import Names, Synonyms
from kb.store.posts import PostReads
from kb.store.schema import MIGRATION_SET, MIGRATIONS
from kb.store.search_sql import IndexFilter, PassageRow, PostHead, SearchIndex
from kb.store.writes import FileRecord, HeldPost, Writes

__all__ = [
    "MIGRATIONS",
    "MIGRATION_SET",
    "FactFilter",
    "FileRecord",
    "HeldPost",
    "IndexFilter",
    "PassageRow",
    "PostHead",
    "Store",
    "Writes",
]


class Store(Connection):
    """A kb database: posts, writes, the search index, facts, names and synonyms, each a part."""

    posts: PostReads
    writes: Writes
    index: SearchIndex
    facts: FactReads
    names: Names
    synonyms: Synonyms

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        super().__init__(path, readonly=readonly)
        self._bind()

    def _bind(self) -> None:
        self.posts = PostReads(self)
        self.writes = Writes(self)
        self.index = SearchIndex(self)
        self.facts = FactReads(self)
        self.names = Names(self)
        self.synonyms = Synonyms(self)

    def reader(self) -> Store:
        other = super().reader()
        assert isinstance(other, Store)
        return other

    def __enter__(self) -> Store:
        return self

"""A database made by kb 0.1 (schema m001) is converted in place, loses nothing, and asks for
`kb reindex`, after which titles are searchable and every post keeps its number."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from helpers import FIXTURES
from kb import api
from kb.store import MIGRATIONS, Store

M001 = FIXTURES / "m001.db"  # two posts imported by kb 0.1 (a.txt with a heading, b.txt)


def test_an_m001_database_is_converted_and_reindexed(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    shutil.copy(M001, db)
    with closing(sqlite3.connect(db)) as con:
        before = con.execute("SELECT id, title, text FROM posts ORDER BY id").fetchall()
        facts_before = con.execute(
            'SELECT post_id, kind, substr(p.text, f.start + 1, f."end" - f.start) FROM facts f '
            "JOIN posts p ON p.id = f.post_id ORDER BY f.id"
        ).fetchall()
    with Store(db) as store:  # a writable open migrates
        assert store.schema_version() == MIGRATIONS[-1][0]
        assert any("kb reindex" in n for n in api.notices(store))
        posts = store.posts.summaries()
        assert [(p.id, p.title) for p in posts] == [(i, t) for i, t, _ in before]
        for pid, title, text in before:
            stored = api.get_post(store, pid)
            # the text gains its title line; the body and every fact stay where they were
            assert stored.text == f"{title}\n{text}" and stored.body_start == len(title) + 1
            assert stored.passages[0].section is None and stored.text[: stored.passages[0].end] == title
            assert all(stored.text[q.start : q.end].strip() for q in stored.passages)
        facts_after = [(f.post_id, f.kind, f.written) for f in api.find_facts(store, api.FactQuery()).facts]
        # figures and dates one by one, names once per post: every one still points at its words
        figures = [f for f in facts_before if f[1] in ("quantity", "date")]
        names = {f for f in facts_before if f[1] in ("org", "place")}
        assert [f for f in facts_after if f[1] in ("quantity", "date")] == figures and figures
        assert {f for f in facts_after if f[1] in ("org", "place")} == names
        assert api.reindex(store) == 2
        assert api.notices(store) == []
        found = api.search(store, "二つ目")
        assert [h.post_id for h in found.hits] == [2]
        assert api.search(store, "図書館").total == 2


def test_read_only_commands_refuse_an_unmigrated_database_clearly(tmp_path: Path) -> None:
    import pytest

    from kb.errors import DatabaseError

    db = tmp_path / "old.db"
    shutil.copy(M001, db)
    with pytest.raises(DatabaseError, match="古い形式"):
        Store(db, readonly=True)

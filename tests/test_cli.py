"""The CLI end to end on the sample corpus, with a temporary database (CliRunner)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SEED
from kb.cli import app

runner = CliRunner()


def kb(*args: str, db: Path, input: str | bytes | None = None):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["--db", str(db), *args], input=input)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "posts"
    folder.mkdir()
    shutil.copy(SEED, folder / "seed-blog.txt")
    return folder


def test_import_then_reimport_changes_nothing(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "a.db"
    first = kb("import", str(corpus), "--json", db=db)
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert (summary["added"], summary["sections"], summary["skipped"]) == (5, 28, [])
    again = kb("import", str(corpus), "--json", db=db)
    assert json.loads(again.stdout)["unchanged"] == 5
    assert json.loads(again.stdout)["added"] == 0
    posts = json.loads(kb("posts", "--json", db=db).stdout)
    assert len(posts) == 5


def test_plain_summary_names_the_database(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "a.db"
    result = kb("import", str(corpus), db=db)
    assert result.exit_code == 0
    assert str(db) in result.output
    assert "変更なし 5" in kb("import", str(corpus), db=db).output


def test_changed_file_replaces_its_posts(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "a.db"
    kb("import", str(corpus), db=db)
    path = corpus / "seed-blog.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("78名の園児", "80名の園児"), encoding="utf-8")
    summary = json.loads(kb("import", str(corpus), "--json", db=db).stdout)
    assert (summary["added"], summary["updated"], summary["unchanged"], summary["removed"]) == (0, 1, 4, 0)
    posts = json.loads(kb("posts", "--json", db=db).stdout)
    assert len(posts) == 5
    # the edited post kept its number: a #4 written in a draft still points at it
    assert [p["id"] for p in posts] == [1, 2, 3, 4, 5]
    shown = json.loads(kb("show", "4", "--json", db=db).stdout)
    assert shown["title"] == "豊洲幼稚園入園式" and "80名の園児" in shown["text"]
    assert kb("search", "78名", db=db).exit_code == 1


def test_posts_json_contract(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "a.db"
    kb("import", str(corpus), db=db)
    posts = json.loads(kb("posts", "--json", db=db).stdout)
    first = posts[0]
    assert set(first) >= {"id", "title", "date", "author", "url", "source", "categories", "sections"}
    assert first["title"] == "韓国視察③ソウル市の電子政府の取り組み"
    assert first["sections"][6] == "◼️mVoting"
    assert first["source"].endswith("seed-blog.txt")


def test_undecodable_file_amid_good_ones(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "a.db"
    (corpus / "broken.txt").write_bytes(bytes(range(128, 256)) * 40)
    (corpus / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    result = kb("import", str(corpus), db=db)
    assert result.exit_code == 1
    assert "broken.txt" in result.output and "--encoding" in result.output
    assert "photo.png" in result.output
    assert len(json.loads(kb("posts", "--json", db=db).stdout)) == 5


def test_stdin_import(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    text = "那覇市の視察\n\n那覇市役所で子育て支援について伺いました。\n待機児童は約120人です。\n"
    result = kb("import", "-", "--json", db=db, input=text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["added"] == 1
    hits = json.loads(kb("search", "待機児童", "--json", db=db).stdout)
    assert hits[0]["title"] == "那覇市の視察"


def test_search_json_contract_and_exit_codes(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "a.db"
    kb("import", str(corpus), db=db)
    result = kb("search", "電子政府", "--json", "--limit", "1000", db=db)
    assert result.exit_code == 0
    hits = json.loads(result.stdout)
    keys = {"post_id", "title", "date", "section", "text", "highlights", "score", "match", "source"}
    assert hits and all(keys <= set(h) for h in hits)
    for h in hits:
        assert all(h["text"][a:b] == "電子政府" for a, b in h["highlights"])
    none = kb("search", "存在しない語句です", db=db)
    assert none.exit_code == 1 and "存在しない語句です" in none.output
    bad = kb("search", "-カジノ", db=db)
    assert bad.exit_code == 2 and bad.output.startswith("kb:")
    assert kb("search", "投票", "--since", "2018-13-45", db=db).exit_code == 2
    assert kb("search", "投票", "--limit", "0", db=db).exit_code == 2


def test_piped_search_is_plain_text_with_marks(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "a.db"
    kb("import", str(corpus), db=db)
    out = kb("search", "mVoting", db=db).stdout
    assert "【mVoting】" in out and "韓国視察③ソウル市の電子政府の取り組み" in out
    assert "\x1b[" not in out


def test_piped_posts_are_tab_separated(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "a.db"
    kb("import", str(corpus), db=db)
    lines = kb("posts", db=db).stdout.splitlines()
    assert lines[0].split("\t") == ["ID", "日付", "タイトル", "見出し", "写真", "ファイル"]
    rows = [line.split("\t") for line in lines[1:]]
    assert len(rows) == 5 and all(len(r) == 6 for r in rows)
    as_json = json.loads(kb("posts", "--json", db=db).stdout)
    assert [[int(r[0]), r[1] or None, r[2], int(r[3]), int(r[4])] for r in rows] == [
        [p["id"], p["date"], p["title"], len(p["sections"]), p["photos"]] for p in as_json
    ]
    seoul = next(r for r in rows if r[2] == "韓国視察③ソウル市の電子政府の取り組み")
    assert int(seoul[3]) == 17 and seoul[5].endswith("seed-blog.txt")


def test_show_and_remove(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "a.db"
    kb("import", str(corpus), db=db)
    shown = kb("show", "4", db=db)
    assert shown.exit_code == 0 and "78名の園児" in shown.stdout and "IMG_8660" not in shown.stdout
    assert kb("show", "999", db=db).exit_code == 1
    removed = kb("remove", "4", db=db)
    assert removed.exit_code == 0 and str(db) in removed.output
    assert len(json.loads(kb("posts", "--json", db=db).stdout)) == 4
    assert kb("remove", str(corpus), db=db).exit_code == 0
    assert json.loads(kb("posts", "--json", db=db).stdout) == []


def test_missing_database_is_explained(tmp_path: Path) -> None:
    result = kb("search", "電子政府", db=tmp_path / "none.db")
    assert result.exit_code == 2 and "kb import" in result.output
    assert not (tmp_path / "none.db").exists()


def test_database_from_environment(tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "env.db"
    monkeypatch.setenv("KB_DB", str(db))
    result = runner.invoke(app, ["import", str(corpus)])
    assert result.exit_code == 0 and db.exists()


def test_migrations_are_readable_by_sqlite_utils(tmp_path: Path, corpus: Path) -> None:
    """kb records its schema in sqlite-utils' own migrations table: that library sees it applied."""
    from sqlite_utils import Database, Migrations

    from kb.store import MIGRATION_SET, MIGRATIONS

    db = tmp_path / "a.db"
    kb("import", str(corpus), db=db)
    migrations = Migrations(MIGRATION_SET)
    for name, fn in MIGRATIONS:
        migrations(name=name)(fn)
    assert [m.name for m in migrations.applied(Database(db))] == [name for name, _ in MIGRATIONS]
    assert migrations.pending(Database(db)) == []


def test_posts_list_every_heading_of_every_post(tmp_path: Path, corpus: Path) -> None:
    import sqlite3
    from contextlib import closing

    db = tmp_path / "a.db"
    data = Path(__file__).parent.parent / "data"  # the sample corpus: Markdown, HTML, Movable Type too
    assert kb("import", str(corpus), str(data), db=db).exit_code == 0
    listed = {p["id"]: p["sections"] for p in json.loads(kb("posts", "--json", db=db).stdout)}
    with closing(sqlite3.connect(db)) as con:
        stored = {
            pid: [
                h
                for (h,) in con.execute(
                    "SELECT heading FROM sections WHERE post_id = ? AND heading IS NOT NULL ORDER BY ord",
                    (pid,),
                )
            ]
            for pid in listed
        }
    assert listed == stored and sum(len(v) for v in listed.values()) >= 20


def test_piped_facts_are_tab_separated_like_the_json(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "a.db"
    kb("import", str(corpus), db=db)
    lines = kb("facts", "--topic", "mVoting", db=db).stdout.splitlines()
    header = [
        "種別",
        "数値",
        "値",
        "単位",
        "補足",
        "項目",
        "投稿",
        "日付",
        "行",
        "ファイル",
        "タイトル",
        "原文",
    ]
    assert lines[0].split("\t") == header
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    as_json = json.loads(kb("facts", "--topic", "mVoting", "--json", db=db).stdout)
    assert len(rows) == len(as_json) > 3
    assert [(r["数値"], r["タイトル"], r["投稿"], r["行"]) for r in rows] == [
        (f["figure"], f["title"], f"#{f['post_id']}", str(f["line"])) for f in as_json
    ]
    assert all(r["ファイル"] == "seed-blog.txt" or r["ファイル"].endswith("/seed-blog.txt") for r in rows)
    assert all(f"【{f['written']}】" in r["原文"] for r, f in zip(rows, as_json, strict=True))


@pytest.mark.parametrize(
    "args",
    [
        ["search", "電子政府", "--limit", "1"],
        ["search", "電子政府", "--json"],
        ["posts"],
        ["posts", "--json"],
        ["facts"],
        ["facts", "--json"],
        ["topics", "--json"],
    ],
    ids=" ".join,
)
def test_a_closed_pipe_ends_quietly_with_0(tmp_path: Path, args: list[str]) -> None:
    """`kb … | head` closes the pipe early: kb must not report "nothing found" (1), an error or a
    Python message. Small output stays in Python's buffer until it is flushed, so this runs with
    buffered output (PYTHONUNBUFFERED unset) into a pipe whose reader is already gone."""
    import os
    import subprocess

    from reliability_helpers import kb_cmd, kb_env, run_kb

    db = tmp_path / "a.db"
    assert run_kb(db, "import", str(SEED), home=tmp_path).code == 0
    env = {k: v for k, v in kb_env(tmp_path, db).items() if k != "PYTHONUNBUFFERED"}
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run(kb_cmd(db, *args), stdout=write, stderr=subprocess.PIPE, env=env, timeout=60)
    finally:
        os.close(write)
    assert (proc.returncode, proc.stderr.decode()) == (0, "")

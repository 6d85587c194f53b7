"""The CLI end to end on the sample corpus, with a temporary database (CliRunner)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import SEED, copy_db, seed_facts, seed_posts, seed_titles, write_posts
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


@pytest.fixture
def mine(seed_db: Path, tmp_path: Path) -> Path:
    """A private copy of the sample database, for a test that changes it (0.4 ms instead of an import)."""
    return copy_db(seed_db, tmp_path / "mine.db")


SEED_CORPUS = "corpus"  # the folder the session database was imported from, beside it
TITLES = seed_titles()
POST4_FIGURE = seed_facts()[3]["quantities"][0]["surface"]  # the one figure of post 4


def test_import_then_reimport_changes_nothing(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "a.db"
    first = kb("import", str(corpus), "--json", db=db)
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert (summary["added"], summary["sections"], summary["skipped"]) == (5, 28, [])
    again = kb("import", str(corpus), db=db)
    assert again.exit_code == 0 and str(db) in again.stderr
    assert "投稿: 新規 0・更新 0・変更なし 5・重複 0・削除 0 (ファイル 1," in again.stderr
    assert len(json.loads(kb("posts", "--json", db=db).stdout)) == 5


def test_import_summary_counts_duplicates_in_the_words_of_the_json(mine: Path, tmp_path: Path) -> None:
    """A copy of an imported file holds the same posts: duplicates, not new and not unchanged."""
    folder = tmp_path / "copies"
    folder.mkdir()
    shutil.copy(SEED, folder / "again.txt")
    write_posts(folder, {"new.txt": "新しい視察\n\n那覇市役所で子育て支援について伺いました。\n"})
    as_json = json.loads(
        kb("import", str(folder), "--json", "-j", "1", db=copy_db(mine, tmp_path / "b.db")).stdout
    )
    plain = kb("import", str(folder), "-j", "1", db=mine).stderr
    counts = {k: as_json[k] for k in ("added", "updated", "unchanged", "duplicate", "removed")}
    assert counts == {"added": 1, "updated": 0, "unchanged": 0, "duplicate": 5, "removed": 0}
    assert plain.startswith("投稿: 新規 1・更新 0・変更なし 0・重複 5・削除 0 (ファイル 2,")


def test_changed_file_replaces_its_posts(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "a.db"
    kb("import", str(corpus), db=db)
    path = corpus / "seed-blog.txt"
    text = path.read_text(encoding="utf-8")
    assert text.count(POST4_FIGURE) == 1 and POST4_FIGURE != "9999名"
    path.write_text(text.replace(POST4_FIGURE, "9999名"), encoding="utf-8")
    summary = json.loads(kb("import", str(corpus), "--json", db=db).stdout)
    assert (summary["added"], summary["updated"], summary["unchanged"], summary["removed"]) == (0, 1, 4, 0)
    posts = json.loads(kb("posts", "--json", db=db).stdout)
    assert len(posts) == 5
    # the edited post kept its number: a #4 written in a draft still points at it
    assert [p["id"] for p in posts] == [1, 2, 3, 4, 5]
    shown = json.loads(kb("show", "4", "--json", db=db).stdout)
    assert shown["title"] == TITLES[3] and "9999名" in shown["text"]
    assert kb("search", POST4_FIGURE, db=db).exit_code == 1


def test_posts_json_contract(seed_db: Path) -> None:
    posts = json.loads(kb("posts", "--json", db=seed_db).stdout)
    first = posts[0]
    assert set(first) >= {"id", "title", "date", "author", "url", "source", "categories", "sections"}
    assert first["title"] == TITLES[0]
    assert first["sections"][6] == seed_posts()[0]["sections"][6]
    assert first["source"].endswith("seed-blog.txt")


def test_undecodable_file_amid_good_ones(mine: Path, tmp_path: Path) -> None:
    folder = write_posts(tmp_path / "mixed", {"good.txt": "良い投稿\n\n松江市の視察でした。\n"})
    (folder / "broken.txt").write_bytes(bytes(range(128, 256)) * 40)
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    result = kb("import", str(folder), "-j", "1", db=mine)
    assert result.exit_code == 1
    assert "broken.txt" in result.stderr and "--encoding" in result.stderr
    assert "photo.png" in result.stderr
    assert len(json.loads(kb("posts", "--json", db=mine).stdout)) == 6


def test_stdin_import(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    text = "那覇市の視察\n\n那覇市役所で子育て支援について伺いました。\n待機児童は約120人です。\n"
    result = kb("import", "-", "--json", db=db, input=text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["added"] == 1
    hits = json.loads(kb("search", "待機児童", "--json", db=db).stdout)
    assert hits[0]["title"] == "那覇市の視察"


def test_search_json_contract_and_exit_codes(seed_db: Path) -> None:
    db = seed_db
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


def test_piped_search_is_plain_text_with_marks(seed_db: Path) -> None:
    db = seed_db
    out = kb("search", "mVoting", db=db).stdout
    assert "【mVoting】" in out and TITLES[0] in out
    assert "\x1b[" not in out


def test_piped_posts_are_tab_separated(seed_db: Path) -> None:
    db = seed_db
    lines = kb("posts", db=db).stdout.splitlines()
    assert lines[0].split("\t") == ["ID", "日付", "タイトル", "見出し", "写真", "ファイル"]
    rows = [line.split("\t") for line in lines[1:]]
    assert len(rows) == 5 and all(len(r) == 6 for r in rows)
    as_json = json.loads(kb("posts", "--json", db=db).stdout)
    assert [[int(r[0]), r[1] or None, r[2], int(r[3]), int(r[4])] for r in rows] == [
        [p["id"], p["date"], p["title"], len(p["sections"]), p["photos"]] for p in as_json
    ]
    first = next(r for r in rows if r[2] == TITLES[0])
    assert int(first[3]) == len(seed_posts()[0]["sections"]) and first[5].endswith("seed-blog.txt")


def test_show_and_remove(mine: Path, seed_db: Path) -> None:
    db = mine
    corpus = seed_db.parent / SEED_CORPUS
    shown = kb("show", "4", db=db)
    photo = re.compile(r"IMG_\d+")
    sample = SEED.read_text(encoding="utf-8")
    assert photo.search(sample[sample.index(TITLES[3]) : sample.index(TITLES[4])])  # the post has one
    assert shown.exit_code == 0 and POST4_FIGURE in shown.stdout and not photo.search(shown.stdout)
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


def test_database_from_environment(tmp_path: Path, mine: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_DB", str(mine))
    result = runner.invoke(app, ["posts", "--json"])
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == 5
    new = tmp_path / "env.db"
    monkeypatch.setenv("KB_DB", str(new))
    post = write_posts(tmp_path / "one", {"a.txt": "環境変数の視察\n\n本文です。\n"})
    assert runner.invoke(app, ["import", str(post)]).exit_code == 0 and new.exists()


def test_migrations_are_readable_by_sqlite_utils(seed_db: Path) -> None:
    """kb records its schema in sqlite-utils' own migrations table: that library sees it applied."""
    from sqlite_utils import Database, Migrations

    from kb.store import MIGRATION_SET, MIGRATIONS

    db = seed_db
    migrations = Migrations(MIGRATION_SET)
    for name, fn in MIGRATIONS:  # sqlite-utils hands a migration its Database, kb's take the connection
        migrations(name=name)(lambda database, fn=fn: fn(database.conn))
    assert [m.name for m in migrations.applied(Database(db))] == [name for name, _ in MIGRATIONS]
    assert migrations.pending(Database(db)) == []


def test_posts_list_every_heading_of_every_post(mine: Path) -> None:
    import sqlite3
    from contextlib import closing

    db = mine
    data = Path(__file__).parent.parent / "data" / "samples"  # Markdown, HTML, Movable Type too
    assert kb("import", str(data), "-j", "1", db=db).exit_code == 0
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


def test_piped_facts_are_tab_separated_like_the_json(seed_db: Path) -> None:
    db = seed_db
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


# ------------------------------------------------------------------------------------------- remove


def post_ids(db: Path) -> list[int]:
    return [p["id"] for p in json.loads(kb("posts", "--json", db=db).stdout)]


@pytest.fixture
def at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if kb ran at a terminal where someone can answer (CliRunner's streams are not terminals)."""
    monkeypatch.setattr("kb.cli.commands.interactive", lambda: True)


def test_remove_dry_run_lists_what_would_go_and_removes_nothing(mine: Path, seed_db: Path) -> None:
    result = kb("remove", str(seed_db.parent / SEED_CORPUS), "--dry-run", db=mine)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["#1", "#2", "#3", "#4", "#5"]
    assert lines[3].split("\t")[2] == TITLES[3]
    assert result.stderr == "5 件の投稿を削除します (--dry-run: まだ削除していません)\n"
    assert post_ids(mine) == [1, 2, 3, 4, 5]


@pytest.mark.usefixtures("at_a_terminal")
def test_remove_asks_at_a_terminal_before_removing_several(mine: Path) -> None:
    no = kb("remove", "1", "2", db=mine, input="n\n")
    assert no.exit_code == 1 and "2 件の投稿を削除しますか? [y/N]" in no.stdout
    assert "#1\t" in no.stdout and "#2\t" in no.stdout  # what would go, before the question
    assert no.stderr == "kb: 削除を取りやめました\n" and post_ids(mine) == [1, 2, 3, 4, 5]
    yes = kb("remove", "1", "2", db=mine, input="y\n")
    assert yes.exit_code == 0 and post_ids(mine) == [3, 4, 5]
    assert yes.stderr.startswith("2 件の投稿を削除しました")


def test_remove_yes_one_post_or_a_script_does_not_ask(mine: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kb.cli.commands.interactive", lambda: True)
    assert "削除しますか" not in kb("remove", "1", "2", "--yes", db=mine).stdout
    assert "削除しますか" not in kb("remove", "3", db=mine).stdout
    monkeypatch.setattr("kb.cli.commands.interactive", lambda: False)
    assert kb("remove", "4", "5", db=mine).exit_code == 0 and post_ids(mine) == []


@pytest.mark.parametrize("target", ["①", "０１", "٣", "1.0", "#1x"])
def test_remove_takes_only_ascii_post_numbers(mine: Path, target: str) -> None:
    result = kb("remove", target, "--yes", db=mine)
    assert result.exit_code != 0 and result.stderr.startswith("kb: ") and result.stderr.count("\n") == 1
    assert post_ids(mine) == [1, 2, 3, 4, 5]

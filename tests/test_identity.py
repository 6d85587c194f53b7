"""A post belongs to every file that holds it: copies share it, edits keep its number, moves keep its
files, and removing one file takes only what that file alone holds (issue: identity that loses nothing)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from helpers import import_folder, write_posts
from kb import api
from kb.store import Store

POST = "図書館の視察\n\n開架の蔵書は12万冊です。\n\n自習室は80席あります。\n"


def _import(store: Store, *paths: Path) -> dict[str, int]:
    return api.import_paths(store, [str(p) for p in paths], jobs=1).totals


def test_two_copies_are_one_post_and_editing_one_keeps_the_other(tmp_path: Path) -> None:
    folder = write_posts(tmp_path / "posts", {"a.txt": POST, "copy/a-sjis.txt": POST.encode("cp932")})
    with Store(tmp_path / "kb.db") as store:
        first = _import(store, folder)
        assert (first["added"], first["duplicate"]) == (1, 1)
        assert len(store.posts.summaries()) == 1
        assert len(store.posts.summaries()[0].sources) == 2
        # the copy is edited: the post it held stays for the other file, the edit is a post too
        (folder / "copy" / "a-sjis.txt").write_bytes(POST.replace("12万冊", "15万冊").encode("cp932"))
        again = _import(store, folder)
        assert again["unchanged"] == 1 and again["added"] == 1 and again["removed"] == 0
        assert api.search(store, "12万冊").total == 1 and api.search(store, "15万冊").total == 1
        # the original is removed: the post only it held goes, the copy's stays
        api.remove(store, api.plan_removal(store, [str(folder / "a.txt")]))
        left = store.posts.summaries()
        assert len(left) == 1 and Path(left[0].source).name == "a-sjis.txt"
        assert api.search(store, "15万冊").total == 1 and api.search(store, "12万冊").total == 0


def test_removing_a_file_keeps_a_post_another_file_holds(tmp_path: Path) -> None:
    folder = write_posts(tmp_path / "posts", {"a.txt": POST, "b.txt": POST})
    with Store(tmp_path / "kb.db") as store:
        _import(store, folder)
        removal = api.plan_removal(store, [str(folder / "a.txt")])
        assert removal.posts == () and [p.title for p in removal.kept] == ["図書館の視察"]
        assert api.remove(store, removal) == 0
        (post,) = store.posts.summaries()
        assert [Path(s).name for s in post.sources] == ["b.txt"]


def test_a_moved_folder_keeps_its_posts_and_their_numbers(tmp_path: Path) -> None:
    folder = write_posts(tmp_path / "posts", {"a.txt": POST, "b.txt": "二つ目\n\n本文です。\n"})
    with Store(tmp_path / "kb.db") as store:
        _import(store, folder)
        numbers = {Path(p.source).name: p.id for p in store.posts.summaries()}
        moved = tmp_path / "archive" / "2024"
        moved.parent.mkdir()
        os.rename(folder, moved)
        report = api.import_paths(store, [str(moved)], jobs=1)
        assert (report.total("added"), report.total("removed"), len(report.moved)) == (0, 0, 2)
        after = {Path(p.source).name: (p.id, p.source) for p in store.posts.summaries()}
        assert {name: pid for name, (pid, _) in after.items()} == numbers
        assert all(source.startswith(str(moved)) for _, source in after.values())


def test_an_edited_figure_keeps_the_post_number(tmp_path: Path) -> None:
    folder = write_posts(tmp_path / "posts", {"a.txt": POST, "b.txt": "別の投稿\n\n本文です。\n"})
    db = import_folder(folder, tmp_path / "kb.db")
    with Store(db) as store:
        number = next(p.id for p in store.posts.summaries() if p.title == "図書館の視察")
        (folder / "a.txt").write_text(POST.replace("80席", "96席"), encoding="utf-8")
        report = api.import_paths(store, [str(folder)], jobs=1)
        assert (report.total("updated"), report.total("added"), report.total("removed")) == (1, 0, 0)
        stored = api.get_post(store, number)
        assert "96席" in stored.text
        figures = [
            f.written for f in api.find_facts(store, api.FactQuery(post=number, kind="quantity")).facts
        ]
        assert "96席" in figures and "80席" not in figures
        assert [h.post_id for h in api.search(store, "自習室").hits] == [number]


def test_a_new_post_in_a_file_is_added_beside_the_others(tmp_path: Path) -> None:
    """An archive page that gains a post: the old posts are unchanged, the new one is added."""
    footer = "政治家ランキング\n\n"
    first = "一つ目の報告\n\n議会で質問しました。\n\n" + footer
    second = "二つ目の報告\n\n委員会で視察しました。\n\n" + footer
    folder = write_posts(tmp_path / "posts", {"page.txt": first + second})
    with Store(tmp_path / "kb.db") as store:
        _import(store, folder)
        assert len(store.posts.summaries()) == 2
        (folder / "page.txt").write_text(
            "三つ目の報告\n\n図書館を見学しました。\n\n" + footer + first + second
        )
        again = api.import_paths(
            store,
            [str(folder)],
            jobs=1,
        )
        assert (again.total("added"), again.total("unchanged"), again.total("updated")) == (1, 2, 0)


def test_the_import_summary_counts_duplicates_apart(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kb.cli import app

    folder = write_posts(tmp_path / "posts", {"a.txt": POST, "b.txt": POST})
    out = CliRunner().invoke(app, ["--db", str(tmp_path / "kb.db"), "import", str(folder), "--json"])
    summary = json.loads(out.stdout)
    assert (summary["added"], summary["duplicate"], summary["unchanged"]) == (1, 1, 0)

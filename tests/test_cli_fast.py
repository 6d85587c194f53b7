"""A plain `kb search` runs without typer (kb.cli.core.fast_search); for every search option and
form of argument it answers exactly as the typer command does — or hands the arguments to typer."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kb.cli.core import fast_search
from kb.cli.usage import run

ARGS = [
    ["電子政府"],
    ["電子", "政府"],
    ["電子政府", "--limit", "2"],
    ["電子政府", "-n", "1"],
    ["電子政府", "-n1"],
    ["電子政府", "--limit=3"],
    ["投票", "--topic", "mVoting"],
    ["投票", "-t", "mvoting"],
    ["投票", "-tmVoting"],
    ["投票", "--topic=ｍＶｏｔｉｎｇ"],
    ["オリンピック", "--post", "3"],
    ["オリンピック", "--post=999"],
    ["投票", "--since", "2018"],
    ["投票", "--since", "2018", "--include-undated"],
    ["投票", "--until", "令和5年度"],
    ["投票", "--since", "平成30年2月30日"],
    ["ごみ", "--no-synonyms"],
    ["スマホ", "--synonyms"],
    ["投票", "--sort", "date"],
    ["投票", "--sort", "bogus"],
    ["投票", "--passages"],
    ["投票", "--json"],
    ["投票", "--json", "--passages", "-n", "2"],
    ["監視カメラ", "-CCTV"],
    ["カジノ", '-"依存症対策"'],
    ["ノウォン", "OR", "平昌"],
    ['"電子 政府"'],
    ["--", "-電子政府"],
    ["見つからない語です"],
    ["電子政府", "--limit", "0"],
    ["電子政府", "--limit", "x"],
    ["電子政府", "--post", "0"],
    ["電子政府", "--bogus"],
    ["電子政府", "-h"],
    ["電子政府", "--limit"],
]


def _run(capsys: pytest.CaptureFixture[str], argv: list[str], fast: bool) -> tuple[int | None, str, str]:
    saved = sys.argv
    sys.argv = ["kb", *argv]
    try:
        if fast:
            code = fast_search(argv)
        else:
            from kb.cli import _app

            code = run(_app())
    finally:
        sys.argv = saved
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("args", ARGS, ids=lambda a: " ".join(a))
@pytest.mark.parametrize("where", ["before", "after"])
def test_every_search_option_both_ways(
    seed_db: Path, capsys: pytest.CaptureFixture[str], args: list[str], where: str
) -> None:
    db = ["--db", str(seed_db)]
    argv = [*db, "search", *args] if where == "before" else ["search", *args, *db]
    fast = _run(capsys, argv, fast=True)
    slow = _run(capsys, argv, fast=False)
    if fast[0] is None:  # handed to typer: it answers (help, or a value it refuses)
        assert fast[1:] == ("", "")
        return
    assert fast == slow


def test_the_fast_path_takes_the_plain_searches(seed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["電子政府"], ["投票", "-t", "mVoting", "-n", "2", "--json"], ["--", "-電子政府"]):
        assert fast_search(["--db", str(seed_db), "search", *args]) is not None
    capsys.readouterr()
    for args in (["-h"], ["電子政府", "--bogus"], ["電子政府", "--limit", "0"]):
        assert fast_search(["search", *args]) is None
    assert fast_search(["posts"]) is None and fast_search(["--version"]) is None


def test_a_search_does_not_import_typer_or_rich(seed_db: Path) -> None:
    import subprocess

    code = (
        "import sys, kb.cli; sys.argv = ['kb', '--db', sys.argv[1], 'search', '電子政府']\n"
        "try:\n    kb.cli.main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('typer', 'click', 'rich', 'sudachipy', 'bs4', 'openpyxl', 'yaml') if m in sys.modules), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(seed_db)], capture_output=True, text=True, check=False
    )
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr


def test_known_words_are_segmented_by_lookup_exactly_as_sudachi_would(tmp_path: Path) -> None:
    """The lexicon filled at import gives a query word the units Sudachi gives it, for every word of
    the sample and the devset posts (and the compounds of adjacent nouns people type)."""
    from helpers import FIXTURES, SEED, import_folder
    from kb.segment import segment
    from kb.store import Store
    from kb.terms import index_terms

    import_folder(SEED, tmp_path / "kb.db")
    db = import_folder(FIXTURES / "devset" / "posts", tmp_path / "kb.db")
    with Store(db, readonly=True) as store:
        entries = store.conn.execute("SELECT surface, units FROM lexicon").fetchall()
    assert len(entries) > 3000
    assert [(s, u) for s, u in entries if index_terms(segment(s)) != u] == []
    found = {s for s, _ in entries}
    assert {"電子政府", "監視カメラ"} <= found

"""One language for users: every command and option has Japanese help, usage errors are one `kb:`
line with a hint, `kb --version` and `-h`, `--db` before or after the command, and commands that
only read or change a database refuse a path that does not exist instead of creating it."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import copy_db, seed_titles
from helpers import run_script as run
from kb import __version__
from kb.cli import app
from kb.cli.helptext import HELP_OPTION
from kb.cli.reference import help_page, tree

runner = CliRunner()
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
ENGLISH_CLICK = (
    "Usage:",
    "Options:",
    "Arguments:",
    "Commands:",
    "Show this message",
    "[default",
    "[required]",
)
GOLDEN = Path(__file__).parent / "golden"
COMMANDS = [words for words, _ in tree()]


def kb(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, list(args), input=input, terminal_width=78, prog_name="kb")
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("words", COMMANDS, ids=lambda w: " ".join(["kb", *w]))
def test_every_command_and_option_has_japanese_help(words: list[str]) -> None:
    cmd = {" ".join(w): c for w, c in tree()}[" ".join(words)]
    assert cmd.help and JAPANESE.search(cmd.help), f"kb {' '.join(words)} has no Japanese help"
    for param in cmd.params:
        text = getattr(param, "help", None) or ""
        assert JAPANESE.search(text), f"kb {' '.join(words)}: {param.opts or param.name} has no Japanese help"
    page = kb(*words, "-h")
    assert page.exit_code == 0 and page.stdout.startswith("使い方: kb")
    assert page.stdout == kb(*words, "--help").stdout == help_page(words)
    assert HELP_OPTION in page.stdout
    for english in ENGLISH_CLICK:
        assert english not in page.stdout, (english, page.stdout)


def test_help_pages_fit_80_columns() -> None:
    from kb.text.wrap import width

    for words in COMMANDS:
        for line in help_page(words).splitlines():
            assert width(line) <= 78, line


def test_kb_help_matches_its_golden_file() -> None:
    path = GOLDEN / "help.txt"
    text = kb("--help").stdout
    if os.environ.get("KB_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_kb_alone_prints_help_and_ends_with_0(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert run() == (0, help_page([]), "")
    code, out, _ = run("names")
    assert code == 0 and out.startswith("使い方: kb names")


def test_version() -> None:
    result = kb("--version")
    assert (result.exit_code, result.stdout) == (0, f"kb {__version__}\n")


# -------------------------------------------------------------------------------------- usage errors


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["search", "x", "--bogus"], "kb: 不明なオプションです: --bogus (kb search -h で使い方を表示)"),
        (
            ["facts", "--lim", "3"],
            "kb: 不明なオプションです: --lim (もしかして: --limit, --max, --min) (kb facts -h で使い方を表示)",
        ),
        (["show"], "kb: ID を指定してください (kb show -h で使い方を表示)"),
        (["search"], "kb: 検索語 を指定してください (kb search -h で使い方を表示)"),
        (
            ["show", "abc"],
            "kb: ID の値が正しくありません: 'abc' は整数ではありません (kb show -h で使い方を表示)",
        ),
        (
            ["facts", "--limit", "0"],
            "kb: --limit の値が正しくありません: 0 は範囲外です (1<=x<=10000000) (kb facts -h で使い方を表示)",
        ),
        (
            ["facts", "--post", "0"],
            "kb: --post の値が正しくありません: 投稿の ID は 1 以上の整数です (0) (kb facts -h で使い方を表示)",
        ),
        (
            ["import", "-j", "x", "a.txt"],
            "kb: --jobs の値が正しくありません: 'x' は整数ではありません (kb import -h で使い方を表示)",
        ),
        (["sear", "x"], "kb: 不明なコマンドです: sear (もしかして: search) (kb -h で使い方を表示)"),
        (["names", "frob"], "kb: 不明なコマンドです: frob (kb names -h で使い方を表示)"),
        (["show", "1", "2"], "kb: 余分な引数があります: 2 (kb show -h で使い方を表示)"),
        (["info", "extra", "more"], "kb: 余分な引数があります: extra more (kb info -h で使い方を表示)"),
        (["facts", "--kind"], "kb: --kind には値が必要です (kb facts -h で使い方を表示)"),
        (
            ["--db", "x.db", "names", "add", "--kind"],
            "kb: --kind には値が必要です (kb names add -h で使い方を表示)",
        ),
        (["posts", "--json=yes"], "kb: --json には値を付けません (kb posts -h で使い方を表示)"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else "",
)
def test_usage_errors_are_one_japanese_line_with_a_hint(args: list[str], expected: str) -> None:
    code, out, err = run(*args)
    assert (code, out, err) == (2, "", expected + "\n")
    for english in ("Usage:", "Error", "Try ", "Did you mean"):
        assert english not in err


# ------------------------------------------------------------------------------------ where the db is


def test_db_before_or_after_the_command(seed_db: Path, tmp_path: Path) -> None:
    db = copy_db(seed_db, tmp_path / "mine.db")
    before = kb("--db", str(db), "posts", "--json")
    after = kb("posts", "--json", "--db", str(db))
    assert before.exit_code == after.exit_code == 0 and before.stdout == after.stdout
    assert json.dumps(seed_titles()[0], ensure_ascii=False) in before.stdout
    assert kb("names", "add", "テスト協議会", "--db", str(db)).exit_code == 0
    assert "テスト協議会" in kb("--db", str(db), "names", "list").stdout


@pytest.mark.parametrize(
    "args",
    [
        ["remove", "1"],
        ["remove", "1", "--dry-run"],
        ["reindex"],
        ["names", "add", "テスト協議会"],
        ["names", "remove", "テスト協議会"],
        ["names", "list"],
        ["synonyms", "add", "電子政府", "eガバメント"],
        ["synonyms", "remove", "電子政府"],
        ["synonyms", "list"],
        ["search", "電子政府"],
        ["facts"],
        ["topics"],
        ["posts"],
        ["show", "1"],
        ["info"],
        ["export", "-f", "csv"],
    ],
    ids=" ".join,
)
def test_a_mistyped_db_is_refused_not_created(tmp_path: Path, args: list[str]) -> None:
    missing = tmp_path / "typo" / "kb.db"
    for where in (["--db", str(missing), *args], [*args, "--db", str(missing)]):
        result = kb(*where)
        assert result.exit_code == 2
        assert (
            result.stderr
            == f"kb: データベースがありません: {missing} (先に取り込んでください: kb import data/)\n"
        )
        assert not missing.exists() and not missing.parent.exists()

"""Every command into a pipe: plain text (no rich boxes, no escape codes), tab-separated with a header
where it is a list, and a pipe whose reader is gone (`kb … | head`) ends the command with 0 and
nothing on stderr.

The closed-pipe cases run as a user's shell runs them: a real process whose standard output is a pipe
with its reader closed, output buffered as Python buffers a pipe (small outputs stay in the buffer
until the interpreter flushes it at exit, which is where an unhandled BrokenPipeError shows up). One
driver process imports kb, typer and the dictionary once and forks a child per case, so the ~25 cases
cost one start-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import copy_db, seed_line, seed_lines, seed_posts, seed_quantities, seed_sentence, seed_titles
from kb.cli import app

runner = CliRunner()

# Every command that writes to standard output, with a small output (it stays in Python's buffer).
CLOSED_PIPE_CASES: list[list[str]] = [
    ["search", "電子政府", "--limit", "1"],
    ["search", "電子政府", "--json"],
    ["search", "mVoting", "--passages"],
    ["posts"],
    ["posts", "--json"],
    ["show", "4"],
    ["show", "1"],
    ["show", "4", "--json"],
    ["facts", "--topic", "mVoting"],
    ["facts", "--json", "--limit", "2"],
    ["topics", "--limit", "3"],
    ["topics", "--json"],
    ["info"],
    ["info", "--json"],
    ["names", "list"],
    ["names", "list", "--json"],
    ["synonyms", "list"],
    ["synonyms", "list", "--json"],
    ["remove", "4", "--dry-run"],
    ["export", "--topic", "mVoting", "--format", "csv"],
    ["export", "--topic", "mVoting", "--format", "md"],
    ["export", "--topic", "mVoting", "--format", "json"],
    ["import", "NEWPOST", "--json", "-j", "1"],
    ["--help"],
    ["facts", "--help"],
    ["--version"],
    ["names"],
]

_DRIVER = r"""
import json, os, sys
import kb.api, kb.cli, kb.views.plain, kb.views.contract, kb.search, kb.export  # noqa: F401  once, before the forks
from kb.cli import _app, main
from kb.segment import segment

_app()  # typer and the command tree, and Sudachi's dictionary (for the import): loaded once, not per case
segment("準備")

cases = json.loads(sys.argv[1])
results = []
for i, case in enumerate(cases):
    read, write = os.pipe()
    os.close(read)  # the reader is gone before kb writes a byte
    err_path = os.path.join(os.environ["PIPE_TMP"], f"err{i}")
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        os.dup2(write, 1)
        err = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(err, 2)
        sys.argv = ["kb", *case]
        main()  # SystemExit unwinds to the top: the interpreter exits and flushes stdout as it would
    os.close(write)
    _, status = os.waitpid(pid, 0)
    with open(err_path, encoding="utf-8", errors="replace") as f:
        results.append({"case": case, "code": os.waitstatus_to_exitcode(status), "stderr": f.read()})
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def piped_db(seed_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the seed database with a name and a synonym, so their lists have rows."""
    db = copy_db(seed_db, tmp_path_factory.mktemp("pipes") / "kb.db")
    for args in (
        ["names", "add", "ハコニワ協議会", "--kind", "org"],
        ["synonyms", "add", "電子政府", "eガバメント"],
    ):
        assert runner.invoke(app, ["--db", str(db), *args]).exit_code == 0
    return db


@pytest.fixture(scope="module")
def closed_pipe_runs(
    piped_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, object]]:
    tmp = tmp_path_factory.mktemp("closed")
    post = tmp / "post.txt"
    post.write_text("閉じたパイプの検証\n\n参加者は約30人でした。\n", encoding="utf-8")
    import_db = copy_db(piped_db, tmp / "import.db")
    cases = []
    for case in CLOSED_PIPE_CASES:
        db = import_db if case[0] == "import" else piped_db
        cases.append(["--db", str(db), *(str(post) if a == "NEWPOST" else a for a in case)])
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONUNBUFFERED", "KB_DEBUG")}
    env.update(
        PIPE_TMP=str(tmp), PYTHONIOENCODING="utf-8", HOME=str(tmp), XDG_CONFIG_HOME=str(tmp / "config")
    )
    proc = subprocess.run(
        [sys.executable, "-c", _DRIVER, json.dumps(cases)], capture_output=True, env=env, timeout=300, cwd=tmp
    )
    assert proc.returncode == 0, proc.stderr.decode()
    return {" ".join(r["case"][2:]): r for r in json.loads(proc.stdout)}


@pytest.mark.parametrize("case", CLOSED_PIPE_CASES, ids=" ".join)
def test_a_closed_pipe_ends_the_command_with_0(
    closed_pipe_runs: dict[str, dict[str, object]], case: list[str]
) -> None:
    key = next(k for k in closed_pipe_runs if k.split()[0] == case[0] and len(k.split()) == len(case)
               and all(a == b or a == "NEWPOST" for a, b in zip(case, k.split(), strict=True)))  # fmt: skip
    run = closed_pipe_runs[key]
    assert (run["code"], run["stderr"]) == (0, ""), run


# ------------------------------------------------------------------------------ plain text in a pipe


def kb(db: Path, *args: str) -> str:
    result = runner.invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.stdout and "─" not in result.stdout and "│" not in result.stdout
    return result.stdout


def table(text: str) -> list[list[str]]:
    rows = [line.split("\t") for line in text.splitlines()]
    assert len({len(r) for r in rows}) == 1, "every line has the header's number of columns"
    return rows


def test_show_prints_the_posts_own_lines_never_wrapped(piped_db: Path) -> None:
    out = kb(piped_db, "show", "1")
    lines = out.splitlines()
    assert lines[0] == f"#1 {seed_titles()[0]}"
    stored = json.loads(kb(piped_db, "show", "1", "--json"))["text"]
    assert out.endswith(stored + "\n")  # the text as stored, line for line
    longest = max(stored.splitlines(), key=len)
    assert len(longest) > 40 and longest in lines  # a long line stays one line (80 columns = 40 kanji)


def test_topics_group_headings_across_posts_tab_separated(piped_db: Path) -> None:
    rows = table(kb(piped_db, "topics"))
    assert rows[0] == ["項目", "投稿数", "数量", "日付", "組織", "地名", "最新の投稿"]
    headings = [r[0] for r in rows[1:]]
    assert len(headings) == len(set(headings))  # one row per topic, not per section
    stars = next(r for r in rows[1:] if r[0] == "☆☆☆")
    assert stars[1] == "2"  # closes two posts
    counts = [int(r[1]) for r in rows[1:]]
    assert counts == sorted(counts, reverse=True)  # --sort count is the default


def test_topics_limit_and_sort(piped_db: Path) -> None:
    assert len(table(kb(piped_db, "topics", "--limit", "3"))) == 4
    by_name = [r[0] for r in table(kb(piped_db, "topics", "--sort", "name"))[1:]]
    as_json = json.loads(kb(piped_db, "topics", "--sort", "name", "--json"))
    assert by_name == [t["heading"] for t in as_json] and sorted(by_name) != by_name[::-1]
    assert kb(piped_db, "topics", "--sort", "date")
    bad = runner.invoke(app, ["--db", str(piped_db), "topics", "--sort", "size"])
    assert bad.exit_code == 2 and bad.stderr.startswith("kb:") and "count" in bad.stderr


def test_info_names_and_synonyms_are_tab_separated_with_a_header(piped_db: Path) -> None:
    info = table(kb(piped_db, "info"))
    assert info[0] == ["項目", "値"]
    assert dict(info[1:])["投稿"] == "5" and dict(info[1:])["データベース"] == str(piped_db)
    assert table(kb(piped_db, "names", "list")) == [["名前", "種別"], ["ハコニワ協議会", "組織"]]
    synonyms = table(kb(piped_db, "synonyms", "list"))
    assert synonyms[0] == ["語", "同義語"] and ["電子政府", "eガバメント"] in synonyms[1:]


def test_posts_and_facts_are_tab_separated_with_their_citation(piped_db: Path) -> None:
    posts = table(kb(piped_db, "posts"))
    assert posts[0] == ["ID", "日付", "タイトル", "見出し", "写真", "ファイル"] and len(posts) == 6
    facts = table(kb(piped_db, "facts", "--topic", "mVoting"))
    header = facts[0]
    by_name = [dict(zip(header, r, strict=True)) for r in facts[1:]]
    gold = seed_quantities(section=seed_posts()[0]["sections"][6])[0]  # the first figure under ◼️mVoting
    surface, lineno = gold["surface"], seed_lines().index(seed_line(gold["surface"])) + 1
    million = next(r for r in by_name if r["数値"] == surface)
    assert (million["投稿"], million["行"]) == ("#1", str(lineno)) and million["ファイル"].endswith(
        "/seed-blog.txt"
    )
    assert million["原文"] == seed_sentence(surface).replace(surface, f"【{surface}】")


# ------------------------------------------------------------------------------------ plain goldens

GOLDEN = Path(__file__).parent / "golden" / "plain"


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("search", ["search", "電子政府"]),
        ("search-passages", ["search", "mVoting", "--passages"]),
        ("facts-mvoting", ["facts", "--topic", "mVoting"]),
        ("facts-people", ["facts", "--unit", "万人", "--min", "1"]),
        ("topics", ["topics"]),
        ("posts", ["posts"]),
    ],
)
def test_plain_output_matches_its_golden_file(
    seed_db: Path, monkeypatch: pytest.MonkeyPatch, name: str, args: list[str]
) -> None:
    """What a pipe gets, byte for byte (from the corpus folder, so sources are relative). Accept a
    deliberate change with KB_UPDATE_GOLDEN=1 and read the diff."""
    monkeypatch.chdir(seed_db.parent / "corpus")
    text = kb(seed_db, *args)
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("KB_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")

"""Reliability, part 2: hostile queries and options.

Property-based (hypothesis): arbitrary Unicode, FTS5 syntax, emoji, control characters and nonsense
option values go to `kb search`, `kb facts` and `kb export`. Every answer is results or a clear
message with the documented exit code (0 found, 1 nothing, 2 error), never a traceback, and no user
text ever reaches the database as SQL: the posts are all still there afterwards.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from kb import api
from kb.errors import KbError
from kb.store import Store
from reliability_helpers import KB, copy_db, counts, kb_argv, kb_env, sha256_file

runner = CliRunner()
# Each sweep runs twice: a short run in the default tier, and its twin `…_long` @slow with the full
# count (.ci/run runs both). A CLI example costs about 20 ms, a library one about 5 ms.
_SWEEP = settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
SETTINGS = settings(_SWEEP, max_examples=50)
SETTINGS_LONG = settings(_SWEEP, max_examples=250)
CLI_SETTINGS = settings(_SWEEP, max_examples=25)
CLI_SETTINGS_LONG = settings(_SWEEP, max_examples=150)

INJECTIONS = [
    "x'); DROP TABLE posts; --",
    "'; DELETE FROM posts; --",
    '" OR 1=1 --',
    "passages_fts MATCH '*'",
    "1; ATTACH DATABASE '/tmp/pwn.db' AS pwn; --",
    "') UNION SELECT sql FROM sqlite_master --",
    "x\" ; INSERT INTO posts(uid) VALUES('evil'); --",
    "short : NEAR(電子 政府, 2)",
    "{short norm long} : ソウル",
    "- NOT * ^",
]
FTS_BITS = [
    "AND",
    "OR",
    "NOT",
    "NEAR(",
    "NEAR/2",
    "NEAR",
    ")",
    "(",
    "*",
    "^",
    ":",
    '"',
    "'",
    "[",
    "]",
    "{",
    "}",
    "-",
    "+",
    "|",
    "｜",
    "－",
    "＂",
    "“",
    "”",
    ";",
    "--",
    "/*",
    "*/",
    "\\",
    "%",
    "_",
    "short:",
    "norm :",
    "long:",
    "rowid",
    "passages_fts",
    "電子政府",
    "ソウル",
    "ソウル市",
    "mVoting",
    "10786AP",
    "2割",
    "シンイー区役所",
    "サーバ",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\r\n",
    "\t",
    "\u200b",
    "\u200d",
    "\ufe0f",
    "\u3000",
    "🇯🇵",
    "👨\u200d👩\u200d👧",
    "🍣",
    "\U0010ffff",
    "\ud800",
    "\udcff",
    "Ａ",
    "ＡＮＤ",
    "ｿｳﾙ",
    "㍻",
    "①",
    "x" * 300,
    "あ" * 50,
    *INJECTIONS,
]
bits = st.sampled_from(FTS_BITS)
queries = st.one_of(
    st.text(max_size=40),
    st.lists(st.one_of(bits, st.text(max_size=6)), max_size=8).map(" ".join),
    st.lists(bits, min_size=1, max_size=8).map("".join),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "So", "Sk", "Mn", "Co"]), max_size=20),
)


def cli(db: Path, *args: str) -> Result:
    result = runner.invoke(app_(), ["--db", str(db), *args], env={"KB_DB": str(db), "COLUMNS": "200"})
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    if result.exit_code == 2:
        # a clear message: kb's own ("kb: ...") or the option parser's ("Error: Invalid value ...")
        assert result.stderr.strip(), (args, result.output)
        assert "kb:" in result.stderr or "Error" in result.stderr, (args, result.stderr)
        assert "内部エラー" not in result.stderr, (args, result.stderr)
    return result


def app_():  # type: ignore[no-untyped-def]
    from kb.cli import app

    return app


@pytest.fixture(scope="module")
def db(seed_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A writable copy of the session's seed database: if any user text ran as SQL it could do harm here."""
    return copy_db(seed_db, tmp_path_factory.mktemp("queries") / "kb.db")


@pytest.fixture(scope="module")
def posts_before(db: Path) -> dict[str, int]:
    return counts(db)


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("exports")


# --------------------------------------------------------------------------- the library, in bulk


def check_library_search(db: Path, posts_before: dict[str, int], text: str, limit: int) -> None:
    with Store(db) as store:  # writable on purpose
        try:
            result = api.search(store, text, limit=limit)
        except KbError as err:
            assert str(err)  # a message for the user, not an empty error
            assert err.exit_code == 2
        else:
            assert len(result.hits) <= limit and result.total >= len(result.hits)
            for h in result.hits:
                for a, b in h.title_highlights:
                    assert 0 <= a < b <= len(h.title)
                for p in h.passages:
                    assert p.passage_id >= 0 and p.text is not None
                    for a, b in p.highlights:
                        assert 0 <= a < b <= len(p.text)
    assert counts(db) == posts_before


LIBRARY_SEARCH = {"text": queries, "limit": st.integers(min_value=1, max_value=50)}


@SETTINGS
@given(**LIBRARY_SEARCH)
@example(text="x'); DROP TABLE posts; --", limit=5)
@example(text='"電子政府', limit=5)
@example(text="NEAR(電子 政府", limit=5)
@example(text="-電子政府", limit=5)
@example(text="", limit=5)
@example(text="OR", limit=5)
@example(text="電子政府 OR", limit=5)
def test_library_search_answers_or_refuses(
    db: Path, posts_before: dict[str, int], text: str, limit: int
) -> None:
    check_library_search(db, posts_before, text, limit)


@pytest.mark.slow
@SETTINGS_LONG
@given(**LIBRARY_SEARCH)
def test_library_search_answers_or_refuses_long(
    db: Path, posts_before: dict[str, int], text: str, limit: int
) -> None:
    check_library_search(db, posts_before, text, limit)


def check_library_filters(
    db: Path, posts_before: dict[str, int], text: str, since: str | None, topic: str | None, post: int | None
) -> None:
    with Store(db) as store:
        try:
            api.search(store, text, since=since, topic=topic, post=post, limit=10)
        except KbError as err:
            assert str(err)
    assert counts(db) == posts_before


LIBRARY_FILTERS = {
    "text": queries,
    "since": st.one_of(st.none(), st.sampled_from(["2018-04-01", "2018", "0000-00-00", "9999-12-31"])),
    "topic": st.one_of(st.none(), queries),
    "post": st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1)),
}


@SETTINGS
@given(**LIBRARY_FILTERS)
def test_library_search_with_filters(
    db: Path, posts_before: dict[str, int], text: str, since: str | None, topic: str | None, post: int | None
) -> None:
    check_library_filters(db, posts_before, text, since, topic, post)


@pytest.mark.slow
@SETTINGS_LONG
@given(**LIBRARY_FILTERS)
def test_library_search_with_filters_long(
    db: Path, posts_before: dict[str, int], text: str, since: str | None, topic: str | None, post: int | None
) -> None:
    check_library_filters(db, posts_before, text, since, topic, post)


# --------------------------------------------------------------------------- the command line, a sample


def check_cli_search(db: Path, posts_before: dict[str, int], text: str, as_json: bool) -> None:
    args = ["search", *(["--json"] if as_json else []), "--", text]
    result = cli(db, *args)
    if result.exit_code == 0 and not as_json:
        assert result.stdout.strip()
    if result.exit_code == 1:
        assert "kb:" in result.stderr
    assert counts(db) == posts_before


@CLI_SETTINGS
@given(text=queries, as_json=st.booleans())
@example(text="x'); DROP TABLE posts; --", as_json=False)
@example(text="電子政府", as_json=True)
def test_cli_search_never_tracebacks(
    db: Path, posts_before: dict[str, int], text: str, as_json: bool
) -> None:
    check_cli_search(db, posts_before, text, as_json)


@pytest.mark.slow
@CLI_SETTINGS_LONG
@given(text=queries, as_json=st.booleans())
def test_cli_search_never_tracebacks_long(
    db: Path, posts_before: dict[str, int], text: str, as_json: bool
) -> None:
    check_cli_search(db, posts_before, text, as_json)


def _opt_values() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(
            [
                "abc",
                "",
                " ",
                "-1",
                "0",
                "1",
                "1e400",
                "-1e400",
                "nan",
                "inf",
                "1_000",
                "１０",
                "99999999999999999999999",
                "-99999999999999999999999",
                "0x10",
                "2018-13-45",
                "2018-02-30",
                "2018-4-1",
                "２０１８-０４-１３",
                "2018/04/13",
                "平成30年",
                "--",
                "-",
                *INJECTIONS,
            ]
        ),
        st.text(max_size=12),
    )


SEARCH_OPTS = ["--since", "--until", "--topic", "--post", "--limit"]
FACT_OPTS = [
    "--since",
    "--until",
    "--topic",
    "--post",
    "--limit",
    "--kind",
    "--unit",
    "--min",
    "--max",
    "--query",
]
EXPORT_OPTS = [*FACT_OPTS, "--format", "--headers", "--sheet-per", "--encoding", "--search"]


def _options(names: list[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
    return st.lists(st.tuples(st.sampled_from(names), _opt_values()), max_size=4)


def check_cli_options(db: Path, posts_before: dict[str, int], *args: str) -> None:
    cli(db, *args)
    assert counts(db) == posts_before


def _pairs(opts: list[tuple[str, str]]) -> list[str]:
    return [f"{k}={v}" for k, v in opts]


SEARCH_WORDS = st.sampled_from(["電子政府", "ソウル", "zzzz", "OR"])


@CLI_SETTINGS
@given(opts=_options(SEARCH_OPTS), text=SEARCH_WORDS)
def test_cli_search_options(
    db: Path, posts_before: dict[str, int], opts: list[tuple[str, str]], text: str
) -> None:
    check_cli_options(db, posts_before, "search", *_pairs(opts), "--", text)


@pytest.mark.slow
@CLI_SETTINGS_LONG
@given(opts=_options(SEARCH_OPTS), text=SEARCH_WORDS)
def test_cli_search_options_long(
    db: Path, posts_before: dict[str, int], opts: list[tuple[str, str]], text: str
) -> None:
    check_cli_options(db, posts_before, "search", *_pairs(opts), "--", text)


@CLI_SETTINGS
@given(opts=_options(FACT_OPTS), as_json=st.booleans())
def test_cli_facts_options(
    db: Path, posts_before: dict[str, int], opts: list[tuple[str, str]], as_json: bool
) -> None:
    check_cli_options(db, posts_before, "facts", *(["--json"] if as_json else []), *_pairs(opts))


@pytest.mark.slow
@CLI_SETTINGS_LONG
@given(opts=_options(FACT_OPTS), as_json=st.booleans())
def test_cli_facts_options_long(
    db: Path, posts_before: dict[str, int], opts: list[tuple[str, str]], as_json: bool
) -> None:
    check_cli_options(db, posts_before, "facts", *(["--json"] if as_json else []), *_pairs(opts))


def export_args(out_dir: Path, opts: list[tuple[str, str]], fmt: str, name: str | None) -> list[str]:
    target = ["-o", str(out_dir / f"{name}.{fmt or 'csv'}"), "--force"] if name else ["-o", "-"]
    if fmt == "xlsx" and not name:
        target = ["-o", str(out_dir / "x.xlsx"), "--force"]
    return ["export", *_pairs(opts), "--format", fmt, *target]


EXPORT_SWEEP = {
    "opts": _options(EXPORT_OPTS),
    "fmt": st.sampled_from(["csv", "tsv", "md", "json", "jsonl", "xlsx", "bogus", ""]),
    "name": st.one_of(
        st.none(), st.text(alphabet=st.characters(categories=["L", "N", "Zs"]), min_size=1, max_size=10)
    ),
}


@CLI_SETTINGS
@given(**EXPORT_SWEEP)
def test_cli_export_options(
    db: Path,
    posts_before: dict[str, int],
    out_dir: Path,
    opts: list[tuple[str, str]],
    fmt: str,
    name: str | None,
) -> None:
    check_cli_options(db, posts_before, *export_args(out_dir, opts, fmt, name))


@pytest.mark.slow
@CLI_SETTINGS_LONG
@given(**EXPORT_SWEEP)
def test_cli_export_options_long(
    db: Path,
    posts_before: dict[str, int],
    out_dir: Path,
    opts: list[tuple[str, str]],
    fmt: str,
    name: str | None,
) -> None:
    check_cli_options(db, posts_before, *export_args(out_dir, opts, fmt, name))


# --------------------------------------------------------------------------- the documented refusals


@pytest.mark.parametrize(
    "args",
    [
        ["search", "--since", "2018-13-45", "電子政府"],
        ["search", "--until", "not-a-date", "電子政府"],
        ["search", "--limit", "-1", "電子政府"],
        ["search", "--limit", "0", "電子政府"],
        ["search", "--limit", "abc", "電子政府"],
        ["search", "--post", "abc", "電子政府"],
        ["search", "--kind", "bogus", "電子政府"],
        ["search", "--format", "bogus", "電子政府"],
        ["search", "-電子政府"],
        ["search", "--", "-電子政府"],
        ["search", "--", "x" * 5000],
        ["search", "--", " ".join(["語"] * 100)],
        ["facts", "--min", "abc"],
        ["facts", "--max", "1e"],
        ["facts", "--since", "2018-13-45"],
        ["facts", "--limit", "-1"],
        ["facts", "--limit", "0"],
        ["facts", "--kind", "bogus"],
        ["facts", "--format", "bogus"],
        ["export", "--min", "abc", "-o", "-"],
        ["export", "--since", "2018-13-45", "-o", "-"],
        ["export", "--limit", "-1", "-o", "-"],
        ["export", "--limit", "0", "-o", "-"],
        ["export", "--kind", "bogus", "-o", "-"],
        ["export", "--format", "bogus", "-o", "-"],
        ["export", "--headers", "fr", "-o", "-"],
        ["export", "--sheet-per", "month", "-o", "-"],
        ["export", "--encoding", "klingon", "-o", "-"],
        ["export", "--encoding", "utf\x00-8", "-o", "-"],  # codecs raise ValueError, not LookupError
        ["import", "--encoding", "utf\x00-8", "-"],
    ],
    ids=lambda a: " ".join(a)[:40],
)
def test_bad_options_get_a_message_and_exit_2(
    db: Path, posts_before: dict[str, int], args: list[str]
) -> None:
    result = cli(db, *args)
    assert result.exit_code == 2, (args, result.exit_code, result.output)
    assert counts(db) == posts_before


@pytest.mark.parametrize(
    "args",
    [
        ["search", "--limit", "99999999999999999999", "電子政府"],
        ["search", "--post", "99999999999999999999", "電子政府"],
        ["search", "--post", "-99999999999999999999", "電子政府"],
        ["facts", "--post", "99999999999999999999"],
        ["facts", "--limit", "99999999999999999999"],
        ["facts", "--min", "1e400"],
        ["facts", "--min", "nan"],
        ["export", "--post", "99999999999999999999", "-o", "-"],
        ["show", "99999999999999999999"],
        ["remove", "99999999999999999999"],
        ["posts", "--limit", "99999999999999999999"],
    ],
    ids=lambda a: " ".join(a)[:40],
)
def test_huge_numbers_are_answered_not_crashed_on(
    db: Path, posts_before: dict[str, int], args: list[str]
) -> None:
    """A number beyond SQLite's 64-bit integers is a value like any other: found nothing, or refused."""
    cli(db, *args)
    assert counts(db) == posts_before


# Four shapes in the default tier (a closed quote, SQL after a statement, FTS5 syntax, FTS5 column
# filters), every one @slow: ten commands each.
FAST_INJECTIONS = (INJECTIONS[0], INJECTIONS[4], INJECTIONS[3], INJECTIONS[7])


@pytest.mark.parametrize(
    "text",
    [t if t in FAST_INJECTIONS else pytest.param(t, marks=pytest.mark.slow) for t in INJECTIONS],
    ids=[f"injection-{i}" for i in range(len(INJECTIONS))],
)
def test_sql_in_every_text_option_reaches_no_database(db: Path, text: str) -> None:
    """User text is a value, never SQL: after every injection attempt the file's tables are all there."""
    before = counts(db)
    with sqlite3.connect(db) as conn:
        schema = sorted(conn.execute("SELECT type, name FROM sqlite_master").fetchall())
    cli(db, "search", "--", text)
    cli(db, "search", "--topic", text, "電子政府")
    cli(db, "facts", "--topic", text)
    cli(db, "facts", "--unit", text)
    cli(db, "facts", "--query", text)
    cli(db, "export", "--search", text, "-o", "-")
    cli(db, "export", "--unit", text, "--topic", text, "-o", "-")
    cli(db, "show", text)
    cli(db, "remove", text)
    cli(db, "names", "remove", text)
    assert counts(db) == before
    with sqlite3.connect(db) as conn:
        assert sorted(conn.execute("SELECT type, name FROM sqlite_master").fetchall()) == schema
    assert not Path("/tmp/pwn.db").exists()


def test_invalid_utf8_in_arguments_from_a_real_shell(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """argv bytes that are not UTF-8 (a Shift_JIS terminal, a mangled paste) reach kb as surrogates.
    Three shapes are real processes given the bytes; the others run kb's entry point here with the
    argv such a process gets (kb_argv)."""
    sjis = "電子政府".encode("cp932")
    home = tmp_path / "home"
    snapshot = sha256_file(db)
    real = ([b"search", sjis], [b"facts", b"--unit", sjis], [b"export", b"--search", sjis, b"-o", b"-"])
    here = ([b"search", b"\xff\xfe"], [b"search", b"--topic", b"\xff", "電子政府".encode()],
            [b"facts", b"--query", b"\x80abc"])  # fmt: skip
    for args in real:
        cmd = [os.fsencode(a) for a in KB] + [b"--db", os.fsencode(db), *args]
        proc = subprocess.run(
            cmd, capture_output=True, env=kb_env(home, db), timeout=60, stdin=subprocess.DEVNULL
        )
        err = proc.stderr.decode("utf-8", "replace")
        assert proc.returncode in (0, 1, 2), (args, proc.returncode, err)
        assert "Traceback" not in err and "内部エラー" not in err, (args, err)
    for args in here:
        code, _out, err = kb_argv(capsys, monkeypatch, db, *args)
        assert code in (0, 1, 2), (args, code, err)
    assert sha256_file(db) == snapshot


def test_searches_leave_the_database_file_untouched(seed_db: Path) -> None:
    """Read-only commands open the database read-only: not one byte of the file changes."""
    with tempfile.TemporaryDirectory() as tmp:
        db = copy_db(seed_db, Path(tmp) / "kb.db")
        snapshot = sha256_file(db)
        for args in (
            ["search", "電子政府"],
            ["facts", "--kind", "quantity"],
            ["posts"],
            ["topics"],
            ["info"],
            ["export", "-o", "-"],
            ["show", "1"],
            ["names", "list"],
        ):
            cli(db, *args)
        assert sha256_file(db) == snapshot
        assert not Path(str(db) + "-wal").exists() or Path(str(db) + "-wal").stat().st_size == 0


@pytest.mark.parametrize(
    ("option", "value", "found"),
    [
        ("--until", "2018", True),  # the whole of 2018 is on or before "2018"
        ("--until", "2018-04", True),
        ("--until", "2018-4-20", True),
        ("--since", "2018-4-1", True),
        ("--since", "2018", True),
        ("--since", "2018-05", False),
        ("--until", "2018-03", False),
        ("--until", "2017", False),
    ],
)
def test_accepted_date_forms_filter_by_the_day_they_mean(
    tmp_path: Path, option: str, value: str, found: bool
) -> None:
    """Every date form --since/--until accepts (2018, 2018-04, 2018-4-1) filters by the days it names,
    not by comparing strings: a date kb accepts and then applies wrongly loses posts silently."""
    post = tmp_path / "dated.md"
    post.write_text(
        "---\ntitle: 日付の確認\ndate: 2018-04-13\n---\n\n台北市の電子行政を視察しました。\n",
        encoding="utf-8",
    )
    db = tmp_path / "kb.db"
    assert cli(db, "import", "-j", "1", str(post)).exit_code == 0
    result = cli(db, "search", option, value, "電子行政")
    assert result.exit_code == (0 if found else 1), (option, value, result.output)


# --------------------------------------------------------------------------- fuzzing the query parser


PARSE_FAST = settings(max_examples=500, deadline=None)  # about 1 s: the default tier
PARSE_LONG = settings(max_examples=30_000, deadline=None)  # about a minute: @slow
long_queries = st.one_of(
    queries,
    st.text(max_size=1200),
    st.lists(st.one_of(bits, st.text(max_size=12)), max_size=60).map(" ".join),
)


def check_parse(text: str) -> None:
    """parse() answers a Query or a QueryError with a message, nothing else; every term it gives is
    text FTS5 can take as a string literal: not empty, no control or unassigned characters, no
    quote, a word without spaces, a phrase with single spaces; within the term limit."""
    from kb.errors import QueryError
    from kb.search.query import MAX_TERMS, describe, parse

    try:
        query = parse(text)
    except QueryError as err:
        assert str(err) and "\n" not in str(err)
        return
    assert query.groups and all(query.groups)
    assert len(query.terms()) + len(query.excluded) <= MAX_TERMS
    for term in [*query.terms(), *query.excluded]:
        assert term.text and term.text == term.text.strip(), term
        assert '"' not in term.text, term
        assert not any(unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") for ch in term.text), term
        if term.phrase:
            assert "  " not in term.text, term
        else:
            assert not any(ch.isspace() for ch in term.text), term
    assert isinstance(describe(query), str)


@PARSE_FAST
@given(text=queries)
@example(text='"電子 -政府')
@example(text="--)--^)“--^")
@example(text="\x00OR\x00")
def test_query_parser_fuzz(text: str) -> None:
    check_parse(text)


@pytest.mark.slow
@PARSE_LONG
@given(text=long_queries)
def test_query_parser_fuzz_long(text: str) -> None:
    check_parse(text)


@PARSE_FAST
@given(text=queries)
@example(text='"電子 -政府')
@example(text="--)--^)“--^")
def test_the_query_shown_reads_back_as_the_same_query(text: str) -> None:
    """What kb shows as the query it understood (describe) is a query that reads back the same."""
    from kb.errors import QueryError
    from kb.search.query import describe, parse

    try:
        query = parse(text)
    except QueryError:
        return
    again = parse(describe(query))
    assert (again.groups, again.excluded) == (query.groups, query.excluded), describe(query)


@pytest.mark.slow
@settings(max_examples=5_000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=long_queries, sort=st.sampled_from(["relevance", "date"]), synonyms=st.booleans())
def test_library_search_fuzz_long(seed_store: Store, text: str, sort: str, synonyms: bool) -> None:
    """api.search over the seed posts, many more queries than the default tier's: results or a
    QueryError, every highlight inside its text."""
    try:
        result = api.search(seed_store, text, limit=5, sort=sort, synonyms=synonyms)
    except KbError as err:
        assert str(err) and err.exit_code == 2
        return
    for h in result.hits:
        for p in h.passages:
            assert all(0 <= a < b <= len(p.text) for a, b in p.highlights)

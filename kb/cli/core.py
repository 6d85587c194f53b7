"""What the command line does without typer: where the database is, the environment a run needs, and
`kb search` itself — shared by the typer command and by a fast path that reads a plain search's
arguments directly, so that the most frequent command does not pay for typer's import and command
tree (half of a plain search's time: bench/README.md). Anything the fast path does not recognise goes
to typer."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

EXIT_FOUND, EXIT_NONE, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
MAX_LIMIT = 10_000_000
MAX_POST = 2**62
interrupts: list[str] = []  # the Ctrl-Cs a command has reported already


# --------------------------------------------------------------------------------------- database


def app_dir(name: str = "kb") -> Path:
    """The user's folder for an application, as click.get_app_dir gives it (typer's default)."""
    if sys.platform.startswith("win"):
        base = os.environ.get("APPDATA") or os.path.expanduser("~")
        return Path(base) / name.title()
    if sys.platform == "darwin":
        return Path(os.path.expanduser("~/Library/Application Support")) / name.title()
    base = os.environ.get("XDG_CONFIG_HOME", os.path.expanduser("~/.config"))
    return Path(base) / "-".join(name.lower().split())


def db_path(chosen: Path | None) -> Path:
    """--db, else $KB_DB, else kb.db in the user's kb folder."""
    if chosen is not None:
        return chosen
    env = os.environ.get("KB_DB")
    return Path(env) if env else app_dir() / "kb.db"


def prepare() -> None:
    """Arguments and output that survive any locale: a query typed in UTF-8 under an ASCII or Latin-1
    locale is read as UTF-8 (not dropped as undecodable), and characters the terminal's encoding
    cannot show are replaced instead of ending kb with an error."""
    fixed = []
    for arg in sys.argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            try:
                arg = os.fsencode(arg).decode("utf-8")
            except UnicodeDecodeError:
                pass
        fixed.append(arg)
    sys.argv = fixed
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):  # a closed or unusual stream: leave it as it is
                pass


def note(message: str) -> None:
    """A line for the user on stderr (standard output stays for results)."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def silence_stdout() -> None:
    """Standard output to /dev/null once its reader is gone, so the flush at exit cannot fail again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError:
        pass


def guarded(run: Callable[[], int]) -> int:
    """Run a command body: library errors, Ctrl-C and a closed pipe become a message and the
    documented exit code, never a traceback."""
    from kb.errors import KbError

    try:
        return run()
    except KbError as err:
        note(f"kb: {err}")
        return err.exit_code
    except KeyboardInterrupt:
        note("\nkb: 中断しました (interrupted); 書きかけのファイルは取り消されました")
        interrupts.append("reported")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        silence_stdout()
        return EXIT_FOUND


# ------------------------------------------------------------------------------------------ search


def search_command(
    db: Path | None,
    words: Sequence[str],
    *,
    since: str | None = None,
    until: str | None = None,
    topic: str | None = None,
    post: int | None = None,
    limit: int | None = None,
    synonyms: bool = True,
    include_undated: bool = False,
    sort: str = "relevance",
    passages: bool = False,
    as_json: bool = False,
) -> int:
    """`kb search`: the results on standard output, the exit code returned (0 found, 1 none, 2 error)."""

    def run() -> int:
        from kb import api
        from kb.views import plain, show

        unknown = [w for w in words if w.startswith("--")]
        if unknown:
            note(f"kb: 不明なオプションです: {api.clean(unknown[0])} (kb search -h で使い方を表示)")
            return EXIT_ERROR
        n = limit or (20 if sys.stdout.isatty() or not as_json else 1000)
        store = api.open_store(db_path(db))
        try:
            for message in api.notices(store):
                note(f"kb: {message}")
            result = api.search(
                store, " ".join(words), since=since, until=until, topic=topic, post=post, limit=n,
                synonyms=synonyms, include_undated=include_undated, sort=sort,
                passages=MAX_LIMIT if passages or as_json else 3,
            )  # fmt: skip
            if result.hits or as_json:
                show(result, as_json, plain=plain.format_passages if passages else plain.format_search,
                     term="print_search", contract=lambda r: _contract().search(r, passages=passages))  # fmt: skip
        finally:
            store.close()
        if not result.hits:
            note(f"kb: 見つかりませんでした: {result.query}")
            return EXIT_NONE
        return EXIT_FOUND

    return guarded(run)


def _contract() -> Any:
    from kb.views import contract  # json and its helpers, for --json only

    return contract


_VALUED = {"--since": "since", "--until": "until", "--topic": "topic", "-t": "topic", "--post": "post",
           "--limit": "limit", "-n": "limit", "--sort": "sort", "--db": "db"}  # fmt: skip
_FLAGS = {"--synonyms": ("synonyms", True), "--no-synonyms": ("synonyms", False),
          "--include-undated": ("include_undated", True), "--passages": ("passages", True),
          "--json": ("as_json", True)}  # fmt: skip


def fast_search(argv: Sequence[str]) -> int | None:
    """Run `kb [--db F] search …` without typer when every argument reads plainly; None when typer
    should (help, a value it would refuse, anything unusual), which then says what is wrong."""
    opts: dict[str, object] = {}
    args = _kb_options(argv, opts)
    if not args:
        return None
    words = _search_args(args[1:], opts)
    if not words:
        return None
    numbers = _limit_and_post(opts)
    if numbers is None:
        return None
    limit, post = numbers
    db = opts.get("db")
    return search_command(
        Path(str(db)) if db is not None else None, words,
        since=_text(opts.get("since")), until=_text(opts.get("until")), topic=_text(opts.get("topic")),
        post=post, limit=limit, synonyms=bool(opts.get("synonyms", True)),
        include_undated=bool(opts.get("include_undated", False)), sort=str(opts.get("sort", "relevance")),
        passages=bool(opts.get("passages", False)), as_json=bool(opts.get("as_json", False)),
    )  # fmt: skip


def _kb_options(argv: Sequence[str], opts: dict[str, object]) -> list[str] | None:
    """The options of kb itself before the command (only --db, into ``opts``); the arguments from the
    command on, or None when there is anything else."""
    args = list(argv)
    while args and args[0] != "search":
        head = args.pop(0)
        if head == "--db" and args:
            opts["db"] = args.pop(0)
        elif head.startswith("--db="):
            opts["db"] = head[5:]
        else:
            return None
    return args


def _search_args(args: Sequence[str], opts: dict[str, object]) -> list[str] | None:
    """The search's words, its options read into ``opts``; None for anything typer must read."""
    words: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            words.extend(rest)
            break
        if arg.startswith("--"):
            name, eq, value = arg.partition("=")
            if name in _FLAGS and not eq:
                key, flag = _FLAGS[name]
                opts[key] = flag
                continue
            if name not in _VALUED:
                return None  # help, or an option typer must refuse
            found = value if eq else next(rest, None)
            if found is None:
                return None
            opts[_VALUED[name]] = found
            continue
        if arg.startswith("-") and len(arg) > 1:
            if arg[:2] in _VALUED:  # -n5, -n 5, -tMaaS
                found = arg[2:] or next(rest, None)
                if found is None:
                    return None
                opts[_VALUED[arg[:2]]] = found
                continue
            if any(c.isascii() and c.isalpha() for c in arg):
                return None  # -h, or letters click would read as short options
        words.append(arg)  # a word, an excluded word (-電子政府), a phrase
    return words


def _limit_and_post(opts: dict[str, object]) -> tuple[int | None, int | None] | None:
    """--limit and --post as numbers; None when either is one typer would refuse."""
    try:
        limit = None if "limit" not in opts else int(str(opts["limit"]))
        post = None if "post" not in opts else int(str(opts["post"]))
    except ValueError:
        return None
    if (limit is not None and not 1 <= limit <= MAX_LIMIT) or (post is not None and not 1 <= post < MAX_POST):
        return None
    return limit, post


def _text(value: object) -> str | None:
    return None if value is None else str(value)

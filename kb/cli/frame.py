"""The command line's frame: the typer app, the options commands share, where the database is, and how
errors, Ctrl-C and closed pipes end a command."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer._click.core import Context as ClickContext
from typer.core import TyperCommand, TyperGroup

from kb import __version__
from kb.cli.helptext import Context
from kb.errors import KbError

if TYPE_CHECKING:
    from kb.store import Store
    from kb.views.term import ProgressBar

from kb.cli.core import EXIT_ERROR, EXIT_FOUND, EXIT_INTERRUPTED, MAX_LIMIT, interrupts, silence_stdout
from kb.cli.core import db_path as resolve_db

HELP = {"help_option_names": ["-h", "--help"]}


class Command(TyperCommand):
    """A kb command: its help page in Japanese (kb.cli.helptext)."""

    context_class = Context


class Group(TyperGroup):
    """kb and its groups of commands: help in Japanese, and a pipe closed early (`kb … | head`) ends
    any command quietly with 0, whatever it was writing when the reader went away."""

    context_class = Context

    def make_context(
        self, info_name: str | None, args: list[str], parent: ClickContext | None = None, **extra: Any
    ) -> ClickContext:
        with _closed_pipe_ends_well():  # kb --help | head: help is printed while parsing
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: ClickContext) -> Any:
        with _closed_pipe_ends_well():
            return super().invoke(ctx)


@contextmanager
def _closed_pipe_ends_well() -> Iterator[None]:
    try:
        yield
    except BrokenPipeError:
        silence_stdout()
        raise typer.Exit(EXIT_FOUND) from None


app = typer.Typer(
    cls=Group,
    help="kb — 視察報告のナレッジベース: ブログの投稿を取り込み、検索し、数値・日付・組織・地名を一覧し、表に書き出します。",
    rich_markup_mode=None,
    context_settings=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
names_app = typer.Typer(
    cls=Group, help="組織名・地名の辞書 (取り込みと kb reindex で使われます)。", no_args_is_help=True
)
synonyms_app = typer.Typer(
    cls=Group, help="検索の同義語 (登録した語は互いに検索されます)。", no_args_is_help=True
)
app.add_typer(names_app, name="names")
app.add_typer(synonyms_app, name="synonyms")
_state: dict[str, Path | None] = {"db": None}

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        metavar="ファイル",
        help="データベースのファイル (既定: $KB_DB、なければ利用者の kb フォルダの kb.db)。",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON (UTF-8) で出力します。")]
LimitOption = Annotated[
    int | None,
    typer.Option("--limit", "-n", metavar="N", min=1, max=MAX_LIMIT, help="最大 N 件を表示します。"),
]
SinceOption = Annotated[
    str | None,
    typer.Option(
        "--since", metavar="期間", help="この日・年・年度以降 (例: 2018-04-13, 2018, 令和5年, 平成30年度)。"
    ),
]
UntilOption = Annotated[
    str | None,
    typer.Option("--until", metavar="期間", help="この日・年・年度まで (例: 2018, R5.3, 令和5年度)。"),
]
TopicOption = Annotated[
    str | None, typer.Option("--topic", "-t", metavar="見出し", help="この項目 (見出し) だけ。")
]
PostOption = Annotated[
    int | None,
    typer.Option(
        "--post", metavar="ID", callback=lambda v: _post_id(v), help="この投稿だけ (ID は kb posts で)。"
    ),
]


def _post_id(value: int | None) -> int | None:
    if value is not None and not 1 <= value < 2**62:
        raise typer.BadParameter(f"投稿の ID は 1 以上の整数です ({value})")
    return value


QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="エラーのほかは何も表示しません。")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kb {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    db: DbOption = None,
    version: Annotated[  # noqa: ARG001  (typer makes --version of it; its callback does the work)
        bool, typer.Option("--version", callback=_version, is_eager=True, help="版を表示して終了します。")
    ] = False,
) -> None:
    _state["db"] = db


def db_path(db: Path | None = None) -> Path:
    """--db (after or before the command), else $KB_DB, else kb.db in the user's kb folder."""
    return resolve_db(db or _state["db"])


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    typer.echo(f"kb: {message}", err=True)
    raise typer.Exit(code)


def note(message: str) -> None:
    """A line for the user on stderr (standard output stays for results)."""
    typer.echo(message, err=True)


@contextmanager
def handled() -> Iterator[None]:
    """Library errors, Ctrl-C and a closed pipe become a message and the documented exit code."""
    try:
        yield
    except KbError as err:
        fail(str(err), err.exit_code)
    except KeyboardInterrupt:
        note("\nkb: 中断しました (interrupted); 書きかけのファイルは取り消されました")
        interrupts.append("reported")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except BrokenPipeError:
        silence_stdout()
        raise typer.Exit(EXIT_FOUND) from None


@contextmanager
def store(db: Path | None, *, write: bool = False, create: bool = False) -> Iterator[Store]:
    """The database of this command, its notices on stderr, errors handled."""
    from kb import api

    with handled():
        opened = api.open_store(db_path(db), write=write, create=create)
        try:
            for message in api.notices(opened):
                note(f"kb: {message}")
            yield opened
        finally:
            opened.close()


def is_terminal() -> bool:
    return sys.stdout.isatty()


def interactive() -> bool:
    """Someone at a terminal who can answer a question (standard input and output both terminals)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


@contextmanager
def progress(show: bool, label: str) -> Iterator[ProgressBar | None]:
    """A progress bar on stderr when it is a terminal."""
    if not (show and sys.stderr.isatty()):
        yield None
        return
    from kb.views.term import ProgressBar

    with ProgressBar(label) as bar:
        yield bar

"""Running the command line: arguments decoded as the user typed them, output that any terminal can
show, and every usage error (click's, in English) as one Japanese `kb:` line with a hint."""

from __future__ import annotations

import os
import re
import sys
from typing import Any

import typer
from typer._click.core import Parameter

from kb.cli.core import EXIT_ERROR, EXIT_FOUND, EXIT_INTERRUPTED, interrupts, silence_stdout
from kb.cli.helptext import exceptions as errors

_BAD_VALUE = (
    (re.compile(r"'?(.*?)'? is not a valid int(?:eger)?"), "{0!r} は整数ではありません"),
    (re.compile(r"'?(.*?)'? is not a valid float"), "{0!r} は数ではありません"),
    (re.compile(r"'?(.*?)'? is not a valid boolean"), "{0!r} は真偽値ではありません"),
    (re.compile(r"(.*?) is not in the range (.*?)\.?$"), "{0} は範囲外です ({1})"),
    (re.compile(r"'?(.*?)'? is not one of (.*?)\.?$"), "{0!r} は指定できません (指定できる値: {1})"),
)
_USAGE = (
    (re.compile(r"No such command '(.+?)'\.(?: Did you mean (.+)\?)?"), "不明なコマンドです: {0}"),
    (re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((.+)\)"), "余分な引数があります: {0}"),
    (re.compile(r"Option '(.+)' requires an argument"), "{0} には値が必要です"),
    (re.compile(r"Option '(.+)' does not take a value"), "{0} には値を付けません"),
    (re.compile(r"Missing command"), "コマンドを指定してください"),
)
_SUGGESTION = re.compile(r"Did you mean (.+)\?")


def run(app: Any) -> int:
    """Run the app; return the exit code. Nothing but a `kb:` line reaches stderr on an error, and a
    pipe closed early ends kb with 0 (also while it prints a help page or an error)."""
    try:
        return _run(app)
    except BrokenPipeError:
        silence_stdout()
        return EXIT_FOUND


def _run(app: Any) -> int:
    try:
        code = app(prog_name="kb", standalone_mode=False)
        if (
            code == EXIT_INTERRUPTED and not interrupts
        ):  # typer's silent exit for a Ctrl-C outside a command's handling
            typer.echo("\nkb: 中断しました (interrupted)", err=True)
        return code if isinstance(code, int) else EXIT_FOUND
    except errors.NoArgsIsHelpError as err:
        typer.echo(err.ctx.get_help() if err.ctx else "kb -h")
        return EXIT_FOUND
    except errors.UsageError as err:
        typer.echo(f"kb: {usage_message(err, _command_path(app, sys.argv[1:]))}", err=True)
        return EXIT_ERROR
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("\nkb: 中断しました (interrupted)", err=True)
        return EXIT_INTERRUPTED
    except Exception as err:  # a bug in kb: say so in one line, the details are for KB_DEBUG=1
        if os.environ.get("KB_DEBUG"):
            raise
        detail = " ".join(f"{type(err).__name__}: {err}".split())[:300]
        typer.echo(f"kb: 内部エラー (internal error): {detail} — 詳細は KB_DEBUG=1 を付けて再実行", err=True)
        return EXIT_ERROR


def usage_message(err: errors.UsageError, typed: str = "kb") -> str:
    """A usage error in the user's language, on one line, with where to look: the help of the command
    the error is in (click's parser errors carry no context: then the command that was typed)."""
    command = err.ctx.command_path if err.ctx is not None else typed
    if isinstance(err, errors.NoSuchOption):
        text = f"不明なオプションです: {err.option_name}"
        if err.possibilities:
            text += f" (もしかして: {', '.join(sorted(err.possibilities))})"
    elif isinstance(err, errors.MissingParameter):
        text = f"{_name(err.param)} を指定してください"
    elif isinstance(err, errors.BadParameter):
        text = f"{_name(err.param)} の値が正しくありません: {_translated(err.message, _BAD_VALUE)}"
    else:
        text = _translated(err.message, _USAGE)
        suggestion = _SUGGESTION.search(err.message)
        if suggestion:
            text += f" (もしかして: {suggestion.group(1).replace(chr(39), '')})"
    return " ".join(f"{text} ({command} -h で使い方を表示)".split())


def _command_path(app: Any, args: list[str]) -> str:
    """`kb names add` for `kb --db x names add …`: the commands named in the arguments."""
    from typer.main import get_command

    group: Any = get_command(app)
    path = ["kb"]
    skip = False
    for arg in args:
        if skip or arg.startswith("-"):
            skip = arg == "--db"
            continue
        sub = getattr(group, "commands", {}).get(arg)
        if sub is None:
            break
        path.append(arg)
        group = sub
    return " ".join(path)


def _name(param: Parameter | None) -> str:
    """An option by its long name (--limit), an argument by its name in the usage line (検索語)."""
    if param is None:
        return "引数"
    longs = [o for o in param.opts if o.startswith("--")]
    if longs:
        return longs[0]
    if param.metavar:
        return param.metavar.strip("[]{}").rstrip(".")
    return (param.name or param.human_readable_name).upper()


def _translated(message: str, table: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    for pattern, template in table:
        m = pattern.search(message)
        if m:
            return template.format(*m.groups())
    return message

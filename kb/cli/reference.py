"""The CLI reference: every command's help page, walked from the command tree. The README's
reference section is generated from it (cog), and tests check every command and option has
Japanese help."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from typer._click.core import Command as ClickCommand
from typer.main import get_command

WIDTH = 78  # click: the terminal width less 2, at most 78: an 80-column terminal's help page


def tree() -> Iterator[tuple[list[str], ClickCommand]]:
    """Every command as (its words after `kb`, its click command), kb itself first, depth first."""
    from kb.cli import _app

    app = _app()

    def walk(words: list[str], cmd: ClickCommand) -> Iterator[tuple[list[str], ClickCommand]]:
        yield words, cmd
        subs: dict[str, Any] = getattr(cmd, "commands", {})
        for name, sub in subs.items():
            yield from walk([*words, name], sub)

    yield from walk([], get_command(app))


def help_page(words: list[str], width: int = WIDTH) -> str:
    """`kb WORDS -h` as it prints on a terminal of ``width`` columns."""
    from kb.cli import _app

    app = _app()

    cmd: ClickCommand = get_command(app)
    ctx = cmd.make_context("kb", [], resilient_parsing=True, terminal_width=width, max_content_width=width)
    for word in words:
        cmd = getattr(cmd, "commands", {})[word]
        ctx = cmd.make_context(word, [], parent=ctx, resilient_parsing=True)
    return cmd.get_help(ctx) + "\n"


def markdown(width: int = WIDTH) -> str:
    """The reference for the README: one fenced help page per command."""
    parts = []
    for words, _ in tree():
        title = " ".join(["kb", *words])
        parts.append(f"#### `{title}`\n\n```text\n{help_page(words, width).rstrip()}\n```\n")
    return "\n".join(parts)

"""Help pages in the user's language: click's fixed English words (Usage, Options, [default: …],
"Show this message and exit.") said in Japanese, and help text wrapped by display width with
Japanese line breaking (click counts a kanji as one column and breaks anywhere).

typer 0.28 ships its own copy of click (``typer._click``); the classes here derive from that copy,
which is the one whose exceptions and contexts a kb command sees (kb.cli.app's Command and Group
use this Context)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from typer._click import exceptions
from typer._click.core import Context as _Context
from typer._click.formatting import HelpFormatter

from kb.text.wrap import width, wrap

HELP_OPTION = "この使い方を表示して終了します。"
HEADINGS = {"Options": "オプション", "Arguments": "引数", "Commands": "コマンド"}
_EXTRAS = (
    (re.compile(r"\[default: (.*?)\]"), r"[既定: \1]"),
    (re.compile(r"\[required\]"), "[必須]"),
    (re.compile(r"\[(.*?); required\]"), r"[\1; 必須]"),
)
_COL_MAX, _COL_SPACING = 30, 2


def japanese(text: str) -> str:
    """click's English fragments in a help line, in Japanese."""
    if text.strip() == "Show this message and exit.":
        return HELP_OPTION
    for pattern, repl in _EXTRAS:
        text = pattern.sub(repl, text)
    return text


def _fill(text: str, columns: int) -> list[str]:
    """A help paragraph as lines of at most ``columns`` display columns (kinsoku, words whole)."""
    out: list[str] = []
    for para in text.split("\n"):
        para = " ".join(para.split())
        out.extend(wrap(para, max(columns, 10)) if para else [""])
    return out


class Formatter(HelpFormatter):
    """click's help formatter, measuring and wrapping by display width, its headings in Japanese."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        lead = f"{'':>{self.current_indent}}{prefix or '使い方: '}{prog} "
        lines = _fill(args, self.width - width(lead))
        self.write(lead + (lines[0] if lines else "") + "\n")
        for line in lines[1:]:
            self.write(" " * width(lead) + line + "\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{HEADINGS.get(heading, heading)}:\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
        for i, para in enumerate(paragraphs):
            if i:
                self.write("\n")
            for line in _fill(para, self.width - len(indent)):
                self.write(indent + line + "\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = _COL_MAX, col_spacing: int = _COL_SPACING
    ) -> None:
        rows = [(first, japanese(second)) for first, second in rows]
        first_col = min(max((width(first) for first, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            self.write(indent + first)
            if not second:
                self.write("\n")
                continue
            if width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = _fill(second, max(self.width - first_col - self.current_indent, 10))
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * (first_col + self.current_indent) + line + "\n")


class Context(_Context):
    formatter_class = Formatter


__all__ = ["Context", "Formatter", "exceptions", "japanese"]

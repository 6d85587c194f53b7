"""How results reach the user: one decision for every command — JSON when asked (kb.views.contract),
rich tables and highlights on a terminal (kb.views.term, the only module that imports rich), plain
tab-separated text in a pipe (kb.views.plain) — and one way to write it."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

JSON, TERMINAL, PLAIN = "json", "terminal", "plain"


def mode(as_json: bool = False) -> str:
    """JSON when asked for, else a terminal view when standard output is one, else plain text."""
    if as_json:
        return JSON
    return TERMINAL if sys.stdout.isatty() else PLAIN


def write(text: str) -> None:
    """Write to standard output and flush now, so a closed pipe (kb … | head) shows up here, where
    the CLI handles it, and never in the interpreter's flush at exit."""
    sys.stdout.write(text)
    sys.stdout.flush()


def show(
    data: Any,
    as_json: bool,
    *,
    plain: Callable[[Any], str],
    term: str,
    contract: Callable[[Any], Any],
) -> None:
    """Show a result in the mode of this output: ``contract`` gives its JSON, ``plain`` its text for
    a pipe, and ``term`` names the function of kb.views.term that prints it on a rich console (rich
    is imported only then: its import is a large share of a whole `kb search`, bench/README.md)."""
    m = mode(as_json)
    if m == JSON:
        from kb.views.contract import dumps

        write(dumps(contract(data)))
    elif m == PLAIN:
        write(plain(data))
    else:
        from kb.views import term as views

        getattr(views, term)(views.console(), data)

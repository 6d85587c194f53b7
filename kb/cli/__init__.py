"""The command line (the only package that knows typer): kb.cli.frame is its frame, kb.cli.commands the
commands, kb.cli.usage how it runs and how usage errors read, kb.cli.core what runs without typer
(a plain `kb search` does not import it)."""

from __future__ import annotations

import os
import sys
from typing import Any

__all__ = ["app", "main"]


def main() -> None:
    """Entry point: one `kb:` line for every error, no traceback unless KB_DEBUG is set."""
    from kb.cli.core import fast_search, prepare

    prepare()
    code = None if os.environ.get("KB_NO_FAST_PATH") else fast_search(sys.argv[1:])
    if code is None:
        from kb.cli.usage import run

        code = run(_app())
    sys.exit(code)


def _app() -> Any:
    from kb.cli import commands as _commands  # noqa: F401  (registers the commands on the app)
    from kb.cli.frame import app

    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        return _app()
    raise AttributeError(name)

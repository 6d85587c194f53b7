"""The command line (the only package that knows typer): kb.cli.app is its frame, kb.cli.commands the
commands, kb.cli.usage how it runs and how usage errors read."""

from __future__ import annotations

import sys

from kb.cli import commands as _commands  # noqa: F401  (registers the commands on the app)
from kb.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point: one `kb:` line for every error, no traceback unless KB_DEBUG is set."""
    from kb.cli.usage import prepare, run

    prepare()
    sys.exit(run(app))

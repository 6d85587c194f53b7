"""The README says what kb does: its CLI reference is the current `--help` (cog), and every command
its tables and examples name exists."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from kb.cli.reference import tree

README = Path(__file__).parent.parent / "README.md"


def test_the_readme_cli_reference_is_generated_from_the_current_help() -> None:
    from cogapp import Cog

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        status = Cog().main(["cog", "--check", str(README)])
    assert status == 0, f"README.md is stale: run `cog -r README.md`\n{out.getvalue()}"


def test_every_command_the_readme_names_exists() -> None:
    commands = {" ".join(words) for words, _ in tree()}
    text = README.read_text(encoding="utf-8")
    named = set(re.findall(r"`kb ((?:names |synonyms )?[a-z]+)\b", text))
    assert named, "the README names commands"
    assert named - {"COMMAND"} <= commands, named - commands


def test_version_has_one_source() -> None:
    """pyproject reads the version from kb/__init__.py (dynamic); no second copy to drift."""
    import tomllib

    project = tomllib.loads((README.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]

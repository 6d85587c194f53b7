"""General knowledge the fact rules need where Sudachi's analysis has no suffix or tag to go by.

Each list is a data file in kb/facts/data (one name per line, ``#`` comments saying where it comes
from), read once when first asked for."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def words(name: str) -> frozenset[str]:
    """The names listed in kb/facts/data/<name>.txt."""
    text = resources.files("kb.facts").joinpath("data", f"{name}.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    )

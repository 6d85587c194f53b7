"""The layers hold: only kb/cli imports typer, only kb/views imports rich, only kb/store
imports sqlite3, only kb/segment.py imports SudachiPy; and no test module imports another (shared
test code lives in helpers.py, reliability_helpers.py and export_rows.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OWNERS = {
    "typer": "kb/cli/",
    "rich": "kb/views/",
    "sqlite3": "kb/store/",
    "sudachipy": "kb/segment.py",
}


def _imports(path: Path) -> set[str]:
    """The top-level names of the modules a file imports (absolute imports only)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out


@pytest.mark.parametrize("module", sorted(OWNERS))
def test_only_its_layer_imports(module: str) -> None:
    owner = OWNERS[module]
    importers = {str(p.relative_to(ROOT)) for p in (ROOT / "kb").rglob("*.py") if module in _imports(p)}
    assert importers, f"nothing imports {module}: the rule is stale"
    assert {p for p in importers if not p.startswith(owner)} == set(), f"{module} belongs to {owner}"


def test_no_test_module_imports_another() -> None:
    offenders = {
        p.name: sorted(m for m in _imports(p) if m.startswith("test_")) for p in (ROOT / "tests").glob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}

"""Shared fixtures: every test gets its own database; the sample corpus is imported once per session."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Bytecode for kb and the tests is cached even where the environment says not to
# (PYTHONDONTWRITEBYTECODE=1, as on the team's machines): without it every kb process the suite starts
# compiles kb's modules again (0.23 s instead of 0.14 s for a `kb facts`), and pytest rewrites the
# asserts of every test module at every run. The kb processes still write nothing: they read the
# cache this process wrote. Nothing kb does depends on it; __pycache__ is ignored by git.
sys.dont_write_bytecode = False

from kb.importer import import_paths  # noqa: E402  (after the line above, so kb is cached too)
from kb.store import Store  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed-blog.txt"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the real user folder: KB_DB and the config and cache homes point into tmp_path."""
    monkeypatch.setenv("KB_DB", str(tmp_path / "kb.db"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home" / ".cache"))


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the sample archive page (five posts), built once."""
    folder = tmp_path_factory.mktemp("seed")
    corpus = folder / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / "seed-blog.txt")
    db = folder / "seed.db"
    with Store(db) as store:
        report = import_paths(store, [str(corpus)], jobs=1)
    assert not report.skipped
    return db


@pytest.fixture
def seed_store(seed_db: Path) -> Iterator[Store]:
    with Store(seed_db, readonly=True) as store:
        yield store

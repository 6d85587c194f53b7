"""Builders the tests share: fixture paths, posts written to a folder, a folder imported into a
database. Tests import these instead of importing each other."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from kb.facts import extract_facts
from kb.importer import import_paths
from kb.models import Fact, Line, RawPost
from kb.segment import segment
from kb.store import Store
from kb.structure import build_post

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed-blog.txt"


# The sample's expected values come from its gold files (fixtures/GOLD-README.md), never retyped here.
@cache
def seed_posts() -> tuple[dict[str, Any], ...]:
    """The gold structure of the sample's five posts, in order: title, sections (heading lines as
    written), first_body_line, last_body_line."""
    return tuple(json.loads((FIXTURES / "seed-structure.json").read_text(encoding="utf-8"))["posts"])


@cache
def seed_facts() -> tuple[dict[str, Any], ...]:
    """The gold facts of the sample's five posts, in order: quantities, dates, organizations, places."""
    lines = (FIXTURES / "seed.jsonl").read_text(encoding="utf-8").splitlines()
    return tuple(json.loads(line) for line in lines if line.strip())


def seed_titles() -> list[str]:
    return [p["title"] for p in seed_posts()]


def seed_lines() -> list[str]:
    """The sample's lines (index 0 is line 1)."""
    return SEED.read_text(encoding="utf-8").splitlines()


def seed_line(*words: str) -> str:
    """The one line of the sample that holds every word (an error unless exactly one does)."""
    (line,) = [line for line in seed_lines() if all(w in line for w in words)]
    return line


def seed_sentences(*words: str) -> list[str]:
    """The sample's sentences (its lines cut after 。！？!?) that hold every word, in text order."""
    cut = re.compile(r"(?<=[。！？!?])")
    every = [s.strip() for line in seed_lines() for s in cut.split(line) if s.strip()]
    return [s for s in every if all(w in s for w in words)]


def seed_sentence(*words: str) -> str:
    """The one sentence of the sample that holds every word (an error unless exactly one does)."""
    (sentence,) = seed_sentences(*words)
    return sentence


def seed_quantities(**match: object) -> list[dict[str, Any]]:
    """The gold quantities of every post in text order, each with its post number added ("post", from
    1), that have every key of ``match`` equal to its value (a missing key reads as None)."""
    return [
        {**q, "post": n}
        for n, post in enumerate(seed_facts(), 1)
        for q in post["quantities"]
        if all(q.get(k) == v for k, v in match.items())
    ]


def write_posts(folder: Path, posts: Mapping[str, str | bytes]) -> Path:
    """Write each post (relative path → text or bytes) under ``folder``; returns the folder."""
    for name, content in posts.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def import_folder(folder: Path, db: Path, *, jobs: int = 1) -> Path:
    """Import a folder (or a file) into a new or existing database; returns the database path."""
    with Store(db) as store:
        import_paths(store, [str(folder)], jobs=jobs)
    return db


def copy_db(src: Path, dst: Path) -> Path:
    """A private copy of a built database (cheaper than importing again)."""
    shutil.copy(src, dst)
    for suffix in ("-wal", "-shm"):
        if Path(str(src) + suffix).exists():
            shutil.copy(str(src) + suffix, str(dst) + suffix)
    return dst


def score_fact_set(name: str) -> dict[str, Any]:
    """bench/facts_score.py's scores of one fixture set ("seed", "devset", "heldout"), with errors:
    strict and lenient P/R/F1 per kind, as the judge scores (distinct facts, doubtful gold optional)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        f"kb_facts_bench_{name}", Path(__file__).resolve().parent.parent / "bench" / "facts_score.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    res, _report = module.run_set(name, errors=True)
    return res  # type: ignore[no-any-return]


def facts_of(text: str, *, date: str | None = None, names: Sequence[tuple[str, str]] = ()) -> list[Fact]:
    """The facts kb finds in a post of these body lines (titled 視察報告, which holds none), each
    checked to be the slice of the post's text it says it is."""
    lines = [Line(ln, i + 2) for i, ln in enumerate(text.split("\n"))]
    post = build_post(RawPost(title="視察報告", lines=lines, source="t", date=date))
    facts = extract_facts(post, [segment(p.text) for p in post.passages], names)
    for f in facts:
        assert post.text[f.start : f.end] == f.surface
    return facts


Row = tuple[str, float, float | None, str, str | None]  # surface, value, value_max, unit, qualifier


def quantities(text: str) -> list[Row]:
    """(surface, value, value_max, unit, qualifier) of each quantity kb finds in the text."""
    return [
        (f.surface, f.value, f.value_max, f.unit, f.qualifier)  # type: ignore[misc]
        for f in facts_of(text)
        if f.kind == "quantity"
    ]


def run_script(*args: str) -> tuple[int, str, str]:
    """kb run in this process as the `kb` script runs it (kb.cli.usage.run, which turns click's own
    English errors into one Japanese line): exit code, stdout, stderr."""
    import contextlib
    import io
    import sys

    from kb.cli import app
    from kb.cli.usage import run as run_app

    out, err = io.StringIO(), io.StringIO()
    old = sys.argv
    sys.argv = ["kb", *args]
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            code = run_app(app)
    finally:
        sys.argv = old
    return code, out.getvalue(), err.getvalue()

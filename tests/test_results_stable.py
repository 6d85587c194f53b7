"""What kb finds on the sample and the development posts stays what it was: speed work must not move
a fact or a search hit.

The sample (tests/fixtures/seed-blog.txt) and the 40 development posts (tests/fixtures/devset/posts)
are imported once; every fact (`kb facts --json`) and the hits of a set of searches (`kb search
--json`) are compared with tests/golden/results/*.json. The searches are drawn from the posts
themselves: every section heading the posts have (as `kb topics` lists them), searched as written,
plus each heading's first word ANDed with the next heading's, so the query set follows the corpus
rather than a list typed here. To accept a deliberate change of what kb finds:
KB_UPDATE_GOLDEN=1 pytest tests/test_results_stable.py, and say why in the commit.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from helpers import FIXTURES, SEED
from kb import api
from kb.store import Store
from kb.views import contract

GOLDEN = Path(__file__).parent / "golden" / "results"


_FOLDER: list[str] = []  # the corpus folder of this run, written as <corpus> in the golden files


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("stable")
    _FOLDER[:] = [str(folder)]
    (folder / "seed-blog.txt").write_bytes(SEED.read_bytes())
    for post in sorted((FIXTURES / "devset" / "posts").glob("*.txt")):
        (folder / post.name).write_bytes(post.read_bytes())
    db = folder / "kb.db"
    store = api.open_store(db, write=True, create=True)
    api.import_paths(store, [str(folder)], jobs=1)
    store.close()
    return api.open_store(db)


def _queries(store: Store) -> list[str]:
    headings = [t.heading for t in api.topics(store, sort="name") if t.heading.strip()]
    firsts = [h.split()[0] for h in headings if h.split()]
    pairs = [f"{a} {b}" for a, b in zip(firsts, firsts[1:], strict=False)][:20]
    return headings + pairs


def _check(name: str, data: Any) -> None:
    path = GOLDEN / f"{name}.json"
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    for folder in _FOLDER:
        text = text.replace(json.dumps(folder, ensure_ascii=False)[1:-1], "<corpus>")
    if os.environ.get("KB_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with KB_UPDATE_GOLDEN=1"
    want = json.loads(path.read_text(encoding="utf-8"))
    got = json.loads(text)
    if isinstance(want, dict):
        assert sorted(got) == sorted(want)
        for key in want:  # one query or post at a time: a failure names what moved
            assert got[key] == want[key], key
    else:
        assert got == want


def test_posts_are_read_as_before(corpus_store: Store) -> None:
    posts = contract.posts(api.list_posts(corpus_store))
    assert len(posts) == 45  # the sample's five posts and the forty development posts
    _check("posts", posts)


def test_facts_are_found_as_before(corpus_store: Store) -> None:
    found = contract.facts(api.find_facts(corpus_store, api.FactQuery()))
    assert len(found) > 1000
    by_post: dict[str, list[Any]] = {}
    for f in found:
        by_post.setdefault(str(f["post_id"]), []).append(f)
    _check("facts", by_post)


def test_searches_find_as_before(corpus_store: Store) -> None:
    queries = _queries(corpus_store)
    assert len(queries) > 50
    results = {}
    for q in queries:
        hits = contract.search(api.search(corpus_store, q, limit=10), passages=True)
        for h in hits:
            if "score" in h:
                h["score"] = round(h["score"], 4)
        results[q] = hits
    assert sum(1 for hits in results.values() if hits) >= len(queries) * 0.9  # headings find their posts
    _check("searches", results)

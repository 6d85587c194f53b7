"""The graded information needs (tests/fixtures/needs.json) are well-formed: they score nothing here,
they are the measuring stick of bench/bench_needs.py and must stay consistent with the fixtures."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from kb.reading.archive import read_plain

FIXTURES = Path(__file__).parent / "fixtures"
NEEDS = FIXTURES / "needs.json"
SEED = FIXTURES / "seed-blog.txt"
DEVSET = FIXTURES / "devset" / "posts"
_DEVSET_KEY = re.compile(r"d\d{3}")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(NEEDS.read_text(encoding="utf-8"))
    return doc


def _needs() -> list[dict[str, Any]]:
    needs: list[dict[str, Any]] = _doc()["needs"]
    return needs


@lru_cache(maxsize=1)
def _seed_titles() -> frozenset[str]:
    return frozenset(p.title for p in read_plain(SEED.read_text(encoding="utf-8"), str(SEED)))


def test_enough_needs_with_unique_ids() -> None:
    ids = [n["id"] for n in _needs()]
    assert len(ids) >= 25
    assert len(set(ids)) == len(ids)


def test_devset_copy_is_complete() -> None:
    assert sorted(p.name for p in DEVSET.glob("*.txt")) == [f"d{i:03d}.txt" for i in range(1, 41)]


@pytest.mark.parametrize("need", _needs(), ids=lambda n: str(n["id"]))
def test_need_is_well_formed(need: dict[str, Any]) -> None:
    assert set(need) <= {"id", "need", "queries", "judgments", "traps", "note"}
    assert isinstance(need["need"], str) and _JAPANESE.search(need["need"])
    queries = need["queries"]
    assert 1 <= len(queries) <= 3
    for q in queries:
        assert isinstance(q, str) and q.strip() and q == q.strip()
        assert q.count('"') % 2 == 0, f"unbalanced quote in {q!r}"
    assert len(set(queries)) == len(queries)
    grades = need["judgments"]
    assert grades and all(
        isinstance(g, int) and not isinstance(g, bool) and 0 <= g <= 3 for g in grades.values()
    )
    assert any(g >= 1 for g in grades.values()), "a need without a relevant post cannot be scored"


@pytest.mark.parametrize("need", _needs(), ids=lambda n: str(n["id"]))
def test_judged_posts_exist_in_the_fixtures(need: dict[str, Any]) -> None:
    titles = _seed_titles()
    for key in need["judgments"]:
        if _DEVSET_KEY.fullmatch(key):
            assert (DEVSET / f"{key}.txt").is_file(), key
        else:
            assert key in titles, f"{key!r} is neither a devset stem nor the title of a seed post"


def test_traps_are_from_the_legend_and_hold_where_countable() -> None:
    legend = set(_doc()["traps"])
    for need in _needs():
        assert set(need["traps"]) <= legend, need["id"]
        relevant = sum(1 for g in need["judgments"].values() if g >= 1)
        assert ("many-relevant" in need["traps"]) == (relevant >= 5), need["id"]
        has_or = any(" OR " in q for q in need["queries"])
        assert ("or" in need["traps"]) == has_or, need["id"]
        has_minus = any(re.search(r"(^|\s)-\S", q) for q in need["queries"])
        assert ("exclusion" in need["traps"]) == has_minus, need["id"]


def test_false_friends_are_judged_not_relevant() -> None:
    """A need tagged false-friend names the post holding the word inside a longer word, graded 0."""
    for need in _needs():
        if "false-friend" in need["traps"]:
            assert 0 in need["judgments"].values(), need["id"]

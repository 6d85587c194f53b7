"""The extractor against the seed gold (tests/fixtures/seed.jsonl), scored as bench/score.py scores it."""

from __future__ import annotations

import importlib.util
import json
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.facts import extract_facts
from kb.models import Fact, Line, Post, RawPost, Token
from kb.reading.archive import read_plain
from kb.segment import segment
from kb.structure import build_post
from kb.vocab import KINDS

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# strict F1 per mention on the seed: figures and dates all found, names nearly all
THRESHOLDS = {"quantities": 1.0, "dates": 1.0, "organizations": 0.95, "places": 0.95}


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@lru_cache(maxsize=1)
def seed() -> tuple[list[Post], list[list[list[Token]]]]:
    text = (FIXTURES / "seed-blog.txt").read_text(encoding="utf-8")
    posts = [build_post(raw) for raw in read_plain(text, "seed-blog.txt")]
    return posts, [[segment(p.text) for p in post.passages] for post in posts]


@lru_cache(maxsize=1)
def scored() -> dict[str, Any]:
    bench = _load("kb_facts_bench", ROOT / "bench" / "facts_score.py")
    res, _report = bench.run(errors=True)
    return res  # type: ignore[no-any-return]


@pytest.mark.parametrize("kind", list(THRESHOLDS))
def test_seed_scores_reach_the_targets(kind: str) -> None:
    strict = scored()["kinds"][kind]["strict"]
    errors = {doc: e[kind]["strict"] for doc, e in scored().get("errors", {}).items() if kind in e}
    assert strict["f1"] >= THRESHOLDS[kind], errors


def _section_of(post: Post, fact: Fact) -> str | None:
    """The heading of the section a fact is in, None before the first heading (as the seed gold says)."""
    for section in post.sections:
        if section.start <= fact.start < section.end:
            return section.heading
    return None


def test_every_section_holds_exactly_its_gold_figures() -> None:
    posts, tokens = seed()
    gold = [json.loads(line) for line in (FIXTURES / "seed.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [g["title"] for g in gold] == [p.title for p in posts]
    for post, toks, expected in zip(posts, tokens, gold, strict=True):
        facts = [f for f in extract_facts(post, toks) if f.kind == "quantity"]
        got = [(f.surface, f.value, f.unit, f.qualifier, _section_of(post, f)) for f in facts]
        want = [
            (q["surface"], q["value"], q["unit"], q.get("qualifier"), q["section"])
            for q in expected["quantities"]
        ]
        assert got == want, expected["doc"]


def test_quantity_surfaces_match_the_gold_spans() -> None:
    bench = _load("kb_facts_bench_spans", ROOT / "bench" / "facts_score.py")
    scorer = bench.load_scorer()
    gold = scorer.load_jsonl(str(FIXTURES / "seed.jsonl"))
    pred = {row["doc"]: row for row in scored()["predictions"]}
    res = scorer.score(gold, pred, kinds=("quantities",), qsurface=True)
    strict = res["kinds"]["quantities"]["strict"]
    assert strict["precision"] >= 0.95 and strict["recall"] >= 0.95


def test_passages_are_slices_of_the_post_text() -> None:
    posts, _tokens = seed()
    for post in posts:
        for p in post.passages:
            assert post.text[p.start : p.end] == p.text


def test_facts_index_the_post_text_in_order() -> None:
    posts, tokens = seed()
    for post, toks in zip(posts, tokens, strict=True):
        facts = extract_facts(post, toks)
        assert facts
        for f in facts:
            assert f.kind in KINDS
            assert post.text[f.start : f.end] == f.surface
        assert [f.start for f in facts] == sorted(f.start for f in facts)


def test_token_count_must_match_passages() -> None:
    posts, tokens = seed()
    with pytest.raises(ValueError):
        extract_facts(posts[0], tokens[0][:-1])


_ALPHABET = "0123456789０１２３一二三十百千万億年月日人件円%％〜-、。のはで市区役所駅約以上①⑴(（)）ベルリン東京第番目 "


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_ALPHABET, min_size=1, max_size=40))
def test_any_text_gives_exact_spans(text: str) -> None:
    post = build_post(RawPost(title="t", lines=[Line(text, 1)], source="h"))
    facts: list[Fact] = extract_facts(post, [segment(p.text) for p in post.passages])
    for f in facts:
        assert 0 <= f.start < f.end <= len(post.text)
        assert post.text[f.start : f.end] == f.surface
        if f.kind == "quantity":
            assert isinstance(f.value, int | float)

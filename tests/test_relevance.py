"""The judged query set: kb's search finds what a councillor means, and little else."""

from __future__ import annotations

import json

from conftest import FIXTURES
from kb.search import search
from kb.store import Store

JUDGED = json.loads((FIXTURES / "judged-queries.json").read_text(encoding="utf-8"))


def test_recall_and_precision_on_the_judged_queries(seed_store: Store) -> None:
    tp = fp = fn = 0
    for q in JUDGED:
        relevant = set(q["relevant"])
        found = {h.text for h in search(seed_store, q["query"], limit=1000)}
        tp += len(found & relevant)
        fp += len(found - relevant)
        fn += len(relevant - found)
    assert tp / (tp + fp) >= 0.98
    assert tp / (tp + fn) >= 0.98


def test_word_index_alone_misses_what_substrings_find(seed_store: Store) -> None:
    # 江東区政 is segmented 江東/区政: only the substring fallback finds it for 江東区
    words_only = {h.text for h in search(seed_store, "江東区", limit=100, substrings=False)}
    full = {h.text for h in search(seed_store, "江東区", limit=100)}
    assert not any(t.startswith("私自身 江東区政") for t in words_only)
    assert any(t.startswith("私自身 江東区政") for t in full)

"""The judged Ctrl-F set: every passage a councillor would find with Ctrl-F (or through a spelling
variant) is among the passages kb shows for the posts it finds, and little else is."""

from __future__ import annotations

import json

from helpers import FIXTURES
from kb import api
from kb.store import Store

JUDGED = json.loads((FIXTURES / "judged-queries.json").read_text(encoding="utf-8"))


def shown(store: Store, query: str) -> set[str]:
    result = api.search(store, query, limit=1000, passages=1000)
    return {p.text for h in result.hits for p in h.passages} | {
        h.title for h in result.hits if h.title_highlights
    }


def test_recall_and_precision_on_the_judged_queries(seed_store: Store) -> None:
    tp = fp = fn = 0
    for q in JUDGED:
        relevant = set(q["relevant"])
        found = shown(seed_store, q["query"])
        tp += len(found & relevant)
        fp += len(found - relevant)
        fn += len(relevant - found)
    assert tp / (tp + fp) >= 0.98
    assert tp / (tp + fn) >= 0.99

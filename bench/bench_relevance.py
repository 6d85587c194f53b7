"""Recall and precision of `kb search` on the judged query set, and of alternative word-index layouts.

    python bench/bench_relevance.py [--misses]

The judged set (tests/fixtures/judged-queries.json) lists, for each query, the passages of the
sample corpus (data/seed-blog.txt) a councillor means by it. Two parts:

1. Index layouts, built side by side in memory from the same segmentation: Sudachi short units
   (surface), their normalized forms, long units, and combinations; a passage matches when the
   query's units occur as a phrase in any indexed column.
2. kb itself (post-level search; every passage it shows for the posts it finds, titles and
   headings whose words it marks included), through kb.api.search on a temporary database, with
   its latency per query.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from kb import api
from kb.importer import import_paths
from kb.reading.archive import read_plain
from kb.segment import segment, short_units
from kb.store import Store
from kb.structure import build_post
from kb.text.fold import fold

ROOT = Path(__file__).resolve().parent.parent
JUDGED = ROOT / "tests" / "fixtures" / "judged-queries.json"
SAMPLE = ROOT / "data" / "seed-blog.txt"
COLUMNS = ("short", "norm", "long")
LAYOUTS = [("short",), ("norm",), ("long",), ("short", "norm"), ("short", "norm", "long")]


def units(text: str) -> dict[str, str]:
    tokens = segment(text)
    keep = [t for t in short_units(tokens) if any(c.isalnum() for c in t.surface)]
    return {
        "short": fold(" ".join(t.surface for t in keep)),
        "norm": fold(" ".join(t.normalized for t in keep)),
        "long": fold(" ".join(t.surface for t in tokens if any(c.isalnum() for c in t.surface))),
    }


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def layouts(judged: list[dict[str, object]]) -> None:
    posts = [build_post(r) for r in read_plain(SAMPLE.read_text(encoding="utf-8"), str(SAMPLE))]
    texts = [p.text for post in posts for p in post.passages]
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE ix USING fts5({', '.join(COLUMNS)}, tokenize='unicode61')")
    for i, text in enumerate(texts):
        cols = units(text)
        db.execute(
            "INSERT INTO ix (rowid, short, norm, long) VALUES (?, ?, ?, ?)", (i, *[cols[c] for c in COLUMNS])
        )
    print(f"{'word-index layout':34} {'precision':>9} {'recall':>7} {'F1':>6}")
    for layout in LAYOUTS:
        tp = fp = fn = 0
        for q in judged:
            cols = units(str(q["query"]))
            expr = " OR ".join(f'{c} : "{cols[c]}"' for c in layout if cols[c])
            found = (
                {texts[r[0]] for r in db.execute("SELECT rowid FROM ix WHERE ix MATCH ?", (expr,))}
                if expr
                else set()
            )
            relevant = set(q["relevant"])  # type: ignore[call-overload]
            tp, fp, fn = tp + len(found & relevant), fp + len(found - relevant), fn + len(relevant - found)
        p, r, f = prf(tp, fp, fn)
        print(f"{'+'.join(layout):34} {p:9.3f} {r:7.3f} {f:6.3f}")


def kb_itself(judged: list[dict[str, object]], misses: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        with Store(db) as store:
            import_paths(store, [str(SAMPLE)], jobs=1)
        with Store(db, readonly=True) as store:
            print(f"\n{'kb search':34} {'precision':>9} {'recall':>7} {'F1':>6} {'p50 ms':>7} {'p95 ms':>7}")
            tp = fp = fn = 0
            times: list[float] = []
            for q in judged:
                relevant = set(q["relevant"])  # type: ignore[call-overload]
                t0 = time.perf_counter()
                result = api.search(store, str(q["query"]), limit=1000, passages=1000)
                times.append((time.perf_counter() - t0) * 1000)
                found = {p.text for h in result.hits for p in h.passages}
                found |= {h.title for h in result.hits if h.title_highlights}
                tp, fp, fn = (
                    tp + len(found & relevant),
                    fp + len(found - relevant),
                    fn + len(relevant - found),
                )
                if misses and found != relevant:
                    print(
                        f"  {q['query']}: missed {sorted(relevant - found)} extra {sorted(found - relevant)}"
                    )
            p, r, f = prf(tp, fp, fn)
            times.sort()
            p95 = times[int(0.95 * (len(times) - 1))]
            print(
                f"{'kb (posts, every passage shown)':34} {p:9.3f} {r:7.3f} {f:6.3f} {statistics.median(times):7.2f} {p95:7.2f}"
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--misses", action="store_true", help="list missed and extra passages of kb's search")
    args = ap.parse_args()
    judged = json.loads(JUDGED.read_text(encoding="utf-8"))
    print(f"{len(judged)} judged queries on {SAMPLE.name}\n")
    layouts(judged)
    kb_itself(judged, args.misses)


if __name__ == "__main__":
    main()

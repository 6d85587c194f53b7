"""Recall and precision of `kb search` on the judged query set, per index layout, plus latency.

    python bench/bench_relevance.py [--limit 1000]

The judged set (tests/fixtures/judged-queries.json) lists, for each query, the passages of the
sample corpus (data/seed-blog.txt) a councillor means by it. The sample is imported into a
temporary database once; each layout queries a different subset of the word-index columns
(short units, normalized forms, long units), with or without the substring fallback.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from kb.importer import import_paths
from kb.search import search
from kb.store import Store

ROOT = Path(__file__).resolve().parent.parent
JUDGED = ROOT / "tests" / "fixtures" / "judged-queries.json"
SAMPLE = ROOT / "data" / "seed-blog.txt"

LAYOUTS = [
    ("short", ("short",), False),
    ("norm", ("norm",), False),
    ("long", ("long",), False),
    ("short+norm", ("short", "norm"), False),
    ("short+norm+long", ("short", "norm", "long"), False),
    ("short+norm+long +substring (kb)", ("short", "norm", "long"), True),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=1000)
    ap.add_argument("--misses", action="store_true", help="list missed and extra passages for kb's layout")
    args = ap.parse_args()
    judged = json.loads(JUDGED.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        with Store(db) as store:
            import_paths(store, [str(SAMPLE)], jobs=1)
        with Store(db, readonly=True) as store:
            print(f"{len(judged)} judged queries on {SAMPLE.name}; limit {args.limit}\n")
            print(f"{'layout':34} {'precision':>9} {'recall':>7} {'F1':>6} {'p50 ms':>7} {'p95 ms':>7}")
            for name, columns, substrings in LAYOUTS:
                tp = fp = fn = 0
                times: list[float] = []
                for q in judged:
                    relevant = set(q["relevant"])
                    t0 = time.perf_counter()
                    hits = search(store, q["query"], limit=args.limit, columns=columns, substrings=substrings)
                    times.append((time.perf_counter() - t0) * 1000)
                    found = {h.text for h in hits}
                    tp += len(found & relevant)
                    fp += len(found - relevant)
                    fn += len(relevant - found)
                    if args.misses and substrings and (relevant - found or found - relevant):
                        print(
                            f"  {q['query']}: missed {sorted(relevant - found)} extra {sorted(found - relevant)}"
                        )
                p = tp / (tp + fp) if tp + fp else 0.0
                r = tp / (tp + fn) if tp + fn else 0.0
                f1 = 2 * p * r / (p + r) if p + r else 0.0
                times.sort()
                p95 = times[int(0.95 * (len(times) - 1))]
                print(f"{name:34} {p:9.3f} {r:7.3f} {f1:6.3f} {statistics.median(times):7.2f} {p95:7.2f}")


if __name__ == "__main__":
    main()

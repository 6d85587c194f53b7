#!/usr/bin/env python3
"""Score kb's fact extractor on the seed sample against its gold (tests/fixtures/seed.jsonl).

  python bench/facts_score.py [--errors] [--json] [--keep PRED.jsonl]

Builds the five posts of tests/fixtures/seed-blog.txt the way kb imports them (read_plain, build_post,
segment per passage, extract_facts), writes predictions in the gold's shape and scores them with
bench/score.py: quantities and dates per mention, organisations and places as the distinct names of
each post (the first mention kept, keyed by the gloss-free name when there is one).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
GOLD = FIXTURES / "seed.jsonl"
BLOG = FIXTURES / "seed-blog.txt"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kb.facts import extract_facts  # noqa: E402
from kb.models import Fact, Post  # noqa: E402
from kb.reading.archive import read_plain  # noqa: E402
from kb.segment import segment  # noqa: E402
from kb.structure import build_post  # noqa: E402


def load_scorer() -> ModuleType:
    """bench/score.py as a module (it is a script, not part of the kb package)."""
    spec = importlib.util.spec_from_file_location("kb_bench_score", ROOT / "bench" / "score.py")
    if spec is None or spec.loader is None:
        raise RuntimeError("cannot load bench/score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def seed_posts() -> list[Post]:
    """The posts of the seed sample, built as kb builds them."""
    return [build_post(raw) for raw in read_plain(BLOG.read_text(encoding="utf-8"), BLOG.name)]


def name_key(fact: Fact) -> str:
    """The name a listing shows once per post: the gloss-free form when there is one."""
    return fact.note or fact.surface


def prediction(doc: str, facts: list[Fact]) -> dict[str, Any]:
    """One post's facts in the gold's shape."""
    row: dict[str, Any] = {"doc": doc, "quantities": [], "dates": [], "organizations": [], "places": []}
    seen: dict[str, set[str]] = {"org": set(), "place": set()}
    for f in facts:
        if f.kind == "quantity":
            item: dict[str, Any] = {"surface": f.surface, "value": f.value, "unit": f.unit}
            if f.value_max is not None:
                item["value_max"] = f.value_max
            if f.qualifier:
                item["qualifier"] = f.qualifier
            row["quantities"].append(item)
        elif f.kind == "date":
            row["dates"].append({"surface": f.surface, "kind": f.unit, "value": f.value})
        elif f.kind in seen:
            key = name_key(f)
            if key not in seen[f.kind]:
                seen[f.kind].add(key)
                row["organizations" if f.kind == "org" else "places"].append({"surface": key})
    return row


def predict(posts: list[Post], gold_titles: dict[str, str]) -> tuple[list[dict[str, Any]], float, float]:
    """Predictions for the posts matched to gold docs by title, with segmentation and extraction times."""
    rows = []
    seg_time = ext_time = 0.0
    for post in posts:
        t0 = time.perf_counter()
        tokens = [segment(p.text) for p in post.passages]
        t1 = time.perf_counter()
        facts = extract_facts(post, tokens)
        t2 = time.perf_counter()
        seg_time += t1 - t0
        ext_time += t2 - t1
        doc = gold_titles.get(post.title, post.title)
        rows.append(prediction(doc, facts))
    return rows, seg_time, ext_time


def run(errors: bool = False) -> tuple[dict[str, Any], str]:
    """Score the extractor on the seed: (scorer result, printable report)."""
    scorer = load_scorer()
    gold = scorer.load_jsonl(str(GOLD))
    titles = {obj["title"]: doc for doc, obj in gold.items()}
    rows, seg_time, ext_time = predict(seed_posts(), titles)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        pred_path = fh.name
    pred = scorer.load_jsonl(pred_path)
    Path(pred_path).unlink()
    res = scorer.score(gold, pred, keep_errors=errors)
    lines = [scorer.table(res, "kb.facts on seed-blog.txt (quantities/dates per mention, names per post)")]
    lines.append(f"time: segmentation {seg_time:.3f}s, extraction {ext_time * 1000:.1f} ms")
    if errors:
        for doc, kinds in res.get("errors", {}).items():
            for kind, modes in kinds.items():
                e = modes.get("strict")
                if e and e["missed"]:
                    lines.append(f"[{doc}] {kind} missed: {' | '.join(e['missed'])}")
                if e and e["spurious"]:
                    lines.append(f"[{doc}] {kind} spurious: {' | '.join(e['spurious'])}")
    res["predictions"] = rows
    return res, "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--errors", action="store_true", help="list missed and spurious items per post (strict)")
    ap.add_argument("--json", action="store_true", help="print the scorer's result as JSON")
    ap.add_argument("--keep", metavar="PRED", help="also write the predictions to this JSONL file")
    args = ap.parse_args(argv)
    res, report = run(args.errors)
    if args.keep:
        with open(args.keep, "w", encoding="utf-8") as fh:
            for row in res["predictions"]:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    if args.json:
        print(json.dumps({k: v for k, v in res.items() if k != "predictions"}, ensure_ascii=False, indent=1))
    else:
        print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())

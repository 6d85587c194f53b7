#!/usr/bin/env python3
"""Score kb's fact extractor on the seed sample and on the development set against their gold.

  python bench/facts_score.py [--errors] [--json] [--only seed|devset|heldout] [--keep DIR]

seed: the five posts of tests/fixtures/seed-blog.txt (read_plain, build_post, segment per passage,
extract_facts), scored against tests/fixtures/seed.jsonl per mention (as the seed gold lists them)
and as distinct facts.

devset: the 40 posts of tests/fixtures/devset/posts, each read as kb imports a file
(kb.reading.read_source → kb.structure.build_post → kb.segment.segment per passage →
kb.facts.extract_facts; the title is passage 0, so facts in titles count), scored against
tests/fixtures/devset/gold.jsonl with the devset guideline's semantics: strict, distinct facts
(``--set``), doubtful gold optional (``--doubtful ignore``).

heldout: the 18 posts of tests/fixtures/heldout, invented by the team in the devset's shapes and
annotated by its guideline before kb was run on them (kb was never tuned on them), read and
scored as the devset is. Not run by default: ask for it with ``--only heldout``.

Predictions are built the way the judge builds them from ``kb facts --json``: quantities and dates
per mention; organisations and places once per post and name (the gloss-free form groups mentions),
scored under the form as written (``written``): a mention written without its gloss when there is
one, else the first mention, glosses included.
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
DEVSET = FIXTURES / "devset"
HELDOUT = FIXTURES / "heldout"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kb.facts import extract_facts  # noqa: E402
from kb.models import Fact, Post  # noqa: E402
from kb.reading import read_source  # noqa: E402
from kb.reading.archive import read_plain  # noqa: E402
from kb.segment import segment  # noqa: E402
from kb.structure import build_post  # noqa: E402

KIND_KEYS = {"quantity": "quantities", "date": "dates", "org": "organizations", "place": "places"}


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


def devset_posts(folder: Path = DEVSET) -> list[tuple[str, Post]]:
    """(doc, post) for every post file of the development set, read as kb imports a file."""
    out: list[tuple[str, Post]] = []
    for path in sorted((folder / "posts").glob("*.txt")):
        result = read_source(str(path), path.read_bytes())
        out.extend((path.stem, build_post(raw)) for raw in result.posts)
    return out


def name_key(fact: Fact) -> str:
    """The name a listing groups mentions under: the gloss-free form when there is one."""
    return fact.note or fact.surface


def prediction(doc: str, facts: list[Fact]) -> dict[str, Any]:
    """One post's facts in the gold's shape, as the judge builds them from ``kb facts --json``."""
    row: dict[str, Any] = {"doc": doc, "quantities": [], "dates": [], "organizations": [], "places": []}
    written: dict[tuple[str, str], str] = {}  # (kind, name) -> the form as written
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
        elif f.kind in ("org", "place"):
            key = (f.kind, name_key(f))
            if key not in written or f.surface == key[1]:
                written[key] = f.surface
    for (kind, name), surface in written.items():
        row[KIND_KEYS[kind]].append({"surface": surface, "name": name})
    return row


def predict(posts: list[tuple[str, Post]]) -> tuple[list[dict[str, Any]], float, float]:
    """Predictions for (doc, post) pairs, with segmentation and extraction times."""
    rows: dict[str, dict[str, Any]] = {}
    seg_time = ext_time = 0.0
    for doc, post in posts:
        t0 = time.perf_counter()
        tokens = [segment(p.text) for p in post.passages]
        t1 = time.perf_counter()
        facts = extract_facts(post, tokens)
        t2 = time.perf_counter()
        seg_time += t1 - t0
        ext_time += t2 - t1
        row = prediction(doc, facts)
        if doc in rows:  # a file read as several posts: one doc
            for key in KIND_KEYS.values():
                rows[doc][key].extend(row[key])
        else:
            rows[doc] = row
    return list(rows.values()), seg_time, ext_time


def _score(scorer: ModuleType, gold: Any, rows: list[dict[str, Any]], **kw: Any) -> dict[str, Any]:
    """The scorer's result for predictions given as rows (through a JSONL file, as the judge reads them)."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        pred_path = fh.name
    pred = scorer.load_jsonl(pred_path)
    Path(pred_path).unlink()
    return scorer.score(gold, pred, **kw)  # type: ignore[no-any-return]


def _error_lines(res: dict[str, Any]) -> list[str]:
    """Strict misses and false positives per post."""
    lines: list[str] = []
    for doc, kinds in res.get("errors", {}).items():
        for kind, modes in kinds.items():
            e = modes.get("strict")
            if e and e["missed"]:
                lines.append(f"[{doc}] {kind} missed: {' | '.join(e['missed'])}")
            if e and e["spurious"]:
                lines.append(f"[{doc}] {kind} spurious: {' | '.join(e['spurious'])}")
    return lines


def run(errors: bool = False) -> tuple[dict[str, Any], str]:
    """Score the extractor on the seed, per mention: (scorer result, printable report)."""
    scorer = load_scorer()
    gold = scorer.load_jsonl(str(GOLD))
    titles = {obj["title"]: doc for doc, obj in gold.items()}
    rows, seg_time, ext_time = predict([(titles.get(p.title, p.title), p) for p in seed_posts()])
    res = _score(scorer, gold, rows, keep_errors=errors)
    lines = [scorer.table(res, "seed: tests/fixtures/seed-blog.txt, per mention")]
    lines.append(f"time: segmentation {seg_time:.3f}s, extraction {ext_time * 1000:.1f} ms")
    if errors:
        lines.extend(_error_lines(res))
    res["predictions"] = rows
    return res, "\n".join(lines)


def run_set(name: str, errors: bool = False) -> tuple[dict[str, Any], str]:
    """Score the seed, the devset or the held-out posts as distinct facts, doubtful gold optional:
    (result, report)."""
    scorer = load_scorer()
    if name == "seed":
        gold = scorer.load_jsonl(str(GOLD))
        titles = {obj["title"]: doc for doc, obj in gold.items()}
        posts = [(titles.get(p.title, p.title), p) for p in seed_posts()]
        title = "seed: tests/fixtures/seed-blog.txt [set] [doubtful ignored]"
    else:
        folder = HELDOUT if name == "heldout" else DEVSET
        gold = scorer.load_jsonl(str(folder / "gold.jsonl"))
        posts = devset_posts(folder)
        title = f"{name}: tests/fixtures/{folder.name} ({len(gold)} posts) [set] [doubtful ignored]"
    rows, seg_time, ext_time = predict(posts)
    res = _score(scorer, gold, rows, as_set=True, keep_errors=errors, doubtful="ignore")
    lines = [scorer.table(res, title)]
    lines.append(f"time: segmentation {seg_time:.3f}s, extraction {ext_time * 1000:.1f} ms")
    if errors:
        lines.extend(_error_lines(res))
    res["predictions"] = rows
    return res, "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--errors", action="store_true", help="list missed and spurious items per post (strict)")
    ap.add_argument("--json", action="store_true", help="print the scorer's results as JSON")
    ap.add_argument(
        "--only", choices=("seed", "devset", "heldout"), help="score one set (heldout only when asked for)"
    )
    ap.add_argument("--keep", metavar="DIR", type=Path, help="also write the predictions as DIR/<set>.jsonl")
    args = ap.parse_args(argv)
    results: dict[str, dict[str, Any]] = {}
    reports: list[str] = []
    if args.only in (None, "seed"):
        results["seed"], report = run(args.errors)
        reports.append(report)
        results["seed-set"], report = run_set("seed")
        reports.append(report)
    if args.only in (None, "devset"):
        results["devset"], report = run_set("devset", args.errors)
        reports.append(report)
    if args.only == "heldout":
        results["heldout"], report = run_set("heldout", args.errors)
        reports.append(report)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        for name, res in results.items():
            with (args.keep / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
                for row in res["predictions"]:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    if args.json:
        out = {name: {k: v for k, v in res.items() if k != "predictions"} for name, res in results.items()}
        print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        print("\n\n".join(reports))
    return 0


if __name__ == "__main__":
    sys.exit(main())

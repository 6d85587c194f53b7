#!/usr/bin/env python3
"""Time kb's fact extractor against segmentation on the seed sample and the generated corpus.

  python bench/facts_speed.py [--limit-files N] [--corpus DIR] [--repeat R] [--profile]
                              [--dump FILE] [--compare FILE]

Builds the posts of tests/fixtures/seed-blog.txt and, when it exists, of every plain-text file under
bench/out/c1k (read_plain, build_post), segments every passage once with kb.segment.segment (timed),
then times extract_facts over the same posts and tokens. Prints the characters read, both times and
their ratio. Holding every token at once makes the garbage collector slow segmentation down; --per-post
segments and extracts one post at a time instead, as kb import does. --dump writes every post's facts (all fields) as JSON lines; --compare checks the facts
against such a file and exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kb.record import asdict

ROOT = Path(__file__).resolve().parent.parent
BLOG = ROOT / "tests" / "fixtures" / "seed-blog.txt"
CORPUS = ROOT / "bench" / "out" / "c1k"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kb.facts import extract_facts  # noqa: E402
from kb.models import Fact, Post, Token  # noqa: E402
from kb.reading.archive import read_plain  # noqa: E402
from kb.segment import segment  # noqa: E402
from kb.structure import build_post  # noqa: E402


def load_posts(corpus: Path, limit: int | None) -> list[Post]:
    """The seed's posts, then those of the corpus files (sorted by path, at most limit files)."""
    sources = [BLOG]
    if corpus.is_dir():
        files = sorted(corpus.rglob("*.txt"))
        sources.extend(files if limit is None else files[:limit])
    posts: list[Post] = []
    for path in sources:
        name = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
        posts.extend(build_post(raw) for raw in read_plain(path.read_text(encoding="utf-8"), name))
    return posts


def segment_all(posts: Sequence[Post]) -> tuple[list[list[list[Token]]], float]:
    """Every passage of every post segmented once, and the time it took."""
    t0 = time.perf_counter()
    tokens = [[segment(p.text) for p in post.passages] for post in posts]
    return tokens, time.perf_counter() - t0


def extract_all(
    posts: Sequence[Post], tokens: Sequence[Sequence[Sequence[Token]]]
) -> tuple[list[list[Fact]], float]:
    """The facts of every post, and the time extraction took."""
    t0 = time.perf_counter()
    facts = [extract_facts(post, toks) for post, toks in zip(posts, tokens, strict=True)]
    return facts, time.perf_counter() - t0


def interleaved(posts: Sequence[Post]) -> tuple[list[list[Fact]], float, float]:
    """Post by post as kb import goes: segment a post, extract its facts, drop its tokens; both times."""
    facts: list[list[Fact]] = []
    seg_time = ext_time = 0.0
    for post in posts:
        t0 = time.perf_counter()
        tokens = [segment(p.text) for p in post.passages]
        t1 = time.perf_counter()
        facts.append(extract_facts(post, tokens))
        t2 = time.perf_counter()
        seg_time += t1 - t0
        ext_time += t2 - t1
    return facts, seg_time, ext_time


def records(posts: Sequence[Post], facts: Sequence[list[Fact]]) -> list[dict[str, Any]]:
    """One JSON-ready record per post: its source, title and every field of every fact."""
    return [
        {"source": post.source, "title": post.title, "facts": [asdict(f) for f in post_facts]}
        for post, post_facts in zip(posts, facts, strict=True)
    ]


def compare(rows: list[dict[str, Any]], path: Path) -> int:
    """The number of posts whose facts differ from those stored in path (printing the first few)."""
    with path.open(encoding="utf-8") as fh:
        before = [json.loads(line) for line in fh]
    if len(before) != len(rows):
        print(f"compare: {len(before)} posts in {path}, {len(rows)} now")
    # round-trip through JSON so floats and tuples compare the way they were stored
    now = [json.loads(json.dumps(r, ensure_ascii=False)) for r in rows]
    # the source names a file by a path that depends on where the corpus was read from: not compared
    diffs = [
        i
        for i, (a, b) in enumerate(zip(before, now, strict=False))
        if (a["title"], a["facts"]) != (b["title"], b["facts"])
    ]
    for i in diffs[:5]:
        old, new = before[i]["facts"], now[i]["facts"]
        print(f"compare: post {i} ({now[i]['source']}: {now[i]['title']}) differs")
        for f in [f for f in old if f not in new][:5]:
            print(f"  - {f}")
        for f in [f for f in new if f not in old][:5]:
            print(f"  + {f}")
    bad = len(diffs) + abs(len(before) - len(rows))
    print(f"compare: {len(rows) - len(diffs)}/{len(rows)} posts identical to {path}")
    return bad


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit-files", type=int, metavar="N", help="read at most N corpus files")
    ap.add_argument(
        "--corpus", type=Path, default=CORPUS, help="folder of plain-text posts (default: %(default)s)"
    )
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="R",
        help="time segmentation and extraction R times, keep the best",
    )
    ap.add_argument(
        "--profile",
        action="store_true",
        help="also run extraction under cProfile and print the top (not with --per-post)",
    )
    ap.add_argument(
        "--per-post",
        action="store_true",
        help="segment and extract post by post, dropping each post's tokens, as kb import does",
    )
    ap.add_argument("--dump", type=Path, metavar="FILE", help="write every post's facts as JSON lines")
    ap.add_argument("--compare", type=Path, metavar="FILE", help="check the facts against a --dump file")
    args = ap.parse_args(argv)

    posts = load_posts(args.corpus, args.limit_files)
    chars = sum(len(p.text) for post in posts for p in post.passages)
    print(f"posts: {len(posts)}, passages: {sum(len(p.passages) for p in posts)}, chars: {chars}")
    segment("電子政府の取り組み")  # load the dictionary outside the timings
    seg_time = ext_time = float("inf")
    tokens: list[list[list[Token]]] = []
    for _ in range(max(1, args.repeat)):  # the best of R runs, for both timings alike
        if args.per_post:
            facts, seg, ext = interleaved(posts)
        else:
            tokens, seg = segment_all(posts)
            facts, ext = extract_all(posts, tokens)
        seg_time, ext_time = min(seg_time, seg), min(ext_time, ext)
    print(f"segmentation: {seg_time:.3f} s")
    print(f"extraction:   {ext_time:.3f} s")
    print(f"ratio extraction/segmentation: {ext_time / seg_time:.1%}")

    if args.profile and tokens:
        prof = cProfile.Profile()
        prof.enable()
        extract_all(posts, tokens)
        prof.disable()
        stats = pstats.Stats(prof)
        print(f"extraction under cProfile: {stats.total_tt:.3f} s")  # type: ignore[attr-defined]
        stats.sort_stats("cumulative").print_stats(25)

    rows = records(posts, facts)
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"dump: {len(rows)} posts written to {args.dump}")
    if args.compare:
        return 1 if compare(rows, args.compare) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Post-level relevance of `kb search` and of a grep baseline on graded information needs.

    python bench/bench_needs.py [--need n03] [--show 10] [--json out.json]

tests/fixtures/needs.json holds information needs a councillor drafting a council question would
have, each with 1-3 query forms and post-level grades made by reading the posts (3 = about it at
length, 2 = discusses it, 1 = mentions it, 0 or absent = not relevant). The corpus is the sample
archive tests/fixtures/seed-blog.txt (five posts, named by their title line) and the 40 devset posts
tests/fixtures/devset/posts/dNNN.txt (named by file stem), imported into a temporary database with
kb's importer. Nothing outside tests/fixtures is read.

For every query form, at post level:

* nDCG@10 with the grades as gains (gain = grade, discount log2(rank + 1), ideal = all judged
  posts by grade);
* P@5: relevant (grade >= 1) posts among the first 5, divided by 5;
* R@20: relevant posts among the first 20, divided by all relevant posts of the need.

Two rankings are scored: kb, through ``kb_ranking`` (the one place that knows kb's search API),
and grep: the posts in which every query word occurs somewhere as a substring after width and case
folding (an OR group: any of its words; ``-x`` or ``-"x y"`` excludes posts containing x), ranked by
the total number of occurrences of the query words, ties in import order.

Means are printed over query forms (the headline figure) and over needs (each need's forms
averaged first).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kb import api
from kb.errors import QueryError
from kb.importer import import_paths
from kb.store import Store

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
NEEDS = FIXTURES / "needs.json"
SEED = FIXTURES / "seed-blog.txt"
DEVSET = FIXTURES / "devset" / "posts"
METRICS = ("nDCG@10", "P@5", "R@20")


# ----------------------------------------------------------------------------- the two rankings


def kb_ranking(store: Store, query: str) -> list[int]:
    """kb's post ranking for a query: post ids, best first (kb.api.search, as `kb search` runs it)."""
    try:
        result = api.search(store, query, limit=1000, passages=1)
    except QueryError:
        return []
    return [h.post_id for h in result.hits]


def grep_fold(text: str) -> str:
    """Width and case folding for the baseline (NFKC, then casefold), like grep -i on NFKC text."""
    return unicodedata.normalize("NFKC", text).casefold()


_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')


@dataclass(slots=True)
class GrepQuery:
    groups: list[list[str]]  # every group must match; a group is a list of alternatives (OR)
    excluded: list[str]


def grep_query(raw: str, fold: Callable[[str], str] = grep_fold) -> GrepQuery:
    """The query language as a user reads it: space-separated words, "quoted phrases", OR between
    alternatives, and -word or -"phrase" to exclude. Words are folded with ``fold``."""
    groups: list[list[str]] = []
    excluded: list[str] = []
    pending_or = False
    for m in _TOKEN.finditer(raw.replace("\u3000", " ")):
        minus, phrase, word = m.group(1), m.group(2), m.group(3)
        if word == "OR":
            pending_or = bool(groups)
            continue
        if phrase is None and word.startswith("-") and len(word) > 1:
            minus, word = "-", word[1:]
        text = fold(phrase if phrase is not None else word).strip()
        if not text:
            continue
        if minus:
            excluded.append(text)
        elif pending_or:
            groups[-1].append(text)
        else:
            groups.append([text])
        pending_or = False
    return GrepQuery(groups, excluded)


def grep_ranking(texts: dict[int, str], query: str) -> list[int]:
    """Posts holding every group's word (any alternative) and no excluded word, by occurrences."""
    q = grep_query(query)
    if not q.groups:
        return []
    scored: list[tuple[int, int]] = []
    for post_id, text in texts.items():  # import order
        if any(x in text for x in q.excluded):
            continue
        counts = [sum(text.count(w) for w in g) for g in q.groups]
        if all(counts):
            scored.append((-sum(counts), post_id))
    scored.sort()
    return [post_id for _, post_id in scored]


# ----------------------------------------------------------------------------- metrics


def ndcg(ranking: Sequence[str], grades: dict[str, int], k: int = 10) -> float:
    dcg = sum(grades.get(key, 0) / math.log2(i + 2) for i, key in enumerate(ranking[:k]))
    ideal = sorted((g for g in grades.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def precision(ranking: Sequence[str], grades: dict[str, int], k: int = 5) -> float:
    return sum(1 for key in ranking[:k] if grades.get(key, 0) >= 1) / k


def recall(ranking: Sequence[str], grades: dict[str, int], k: int = 20) -> float:
    relevant = {key for key, g in grades.items() if g >= 1}
    return len(relevant.intersection(ranking[:k])) / len(relevant) if relevant else 0.0


def scores(ranking: Sequence[str], grades: dict[str, int]) -> tuple[float, float, float]:
    return ndcg(ranking, grades), precision(ranking, grades), recall(ranking, grades)


# ----------------------------------------------------------------------------- corpus


def post_keys(store: Store) -> dict[int, str]:
    """Database post id -> the name needs.json uses: the file stem for a devset post, the title
    for a post of the seed archive."""
    out: dict[int, str] = {}
    for post in store.posts.summaries():
        source = Path(post.source)
        out[post.id] = post.title if source.name == SEED.name else source.stem
    return out


def post_texts(store: Store, ids: Sequence[int]) -> dict[int, str]:
    """Each post's whole text (title line included), folded for the grep baseline, in import order."""
    out: dict[int, str] = {}
    for post_id in sorted(ids):
        post = store.posts.get(post_id)
        if post is not None:
            out[post_id] = grep_fold(post.text)
    return out


@dataclass(slots=True)
class Need:
    id: str
    queries: list[str]
    grades: dict[str, int]  # post name -> grade


def load_needs(path: Path = NEEDS) -> list[Need]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return [Need(str(n["id"]), [str(q) for q in n["queries"]], dict(n["judgments"])) for n in doc["needs"]]


@dataclass(slots=True)
class Row:
    need: str
    query: str
    kb: tuple[float, float, float]
    grep: tuple[float, float, float]
    kb_top: list[str]
    grep_top: list[str]
    kb_ms: float


def run(needs: list[Need], db: Path) -> list[Row]:
    with Store(db) as store:
        import_paths(store, [str(SEED), str(DEVSET)], jobs=1)
    rows: list[Row] = []
    with Store(db, readonly=True) as store:
        keys = post_keys(store)
        judged = {key for n in needs for key in n.grades}
        missing = sorted(judged - set(keys.values()))
        if missing:
            sys.exit(f"bench_needs: judged posts not found in the imported corpus: {missing}")
        texts = post_texts(store, list(keys))
        for n in needs:
            for query in n.queries:
                t0 = time.perf_counter()
                kb_ids = kb_ranking(store, query)
                kb_ms = (time.perf_counter() - t0) * 1000
                kb_keys = [keys[i] for i in kb_ids if i in keys]
                grep_keys = [keys[i] for i in grep_ranking(texts, query)]
                rows.append(
                    Row(
                        n.id,
                        query,
                        scores(kb_keys, n.grades),
                        scores(grep_keys, n.grades),
                        kb_keys,
                        grep_keys,
                        kb_ms,
                    )
                )
    return rows


def _mean(values: Sequence[tuple[float, float, float]]) -> tuple[float, float, float]:
    return (
        statistics.fmean(v[0] for v in values),
        statistics.fmean(v[1] for v in values),
        statistics.fmean(v[2] for v in values),
    )


def _cells(v: tuple[float, float, float]) -> str:
    return " ".join(f"{x:7.3f}" for x in v)


def _label(key: str, grades: dict[str, int]) -> str:
    short = key if len(key) <= 8 else key[:7] + "…"
    return f"{short}:{grades[key]}" if key in grades else short


def report(rows: list[Row], needs: list[Need], show: int) -> None:
    by_id = {n.id: n for n in needs}
    head = " ".join(f"{m:>7}" for m in METRICS)
    print(f"{'need':5} {'query':34} | kb {head} | grep {head}")
    for r in rows:
        query = r.query if len(r.query) <= 24 else r.query[:23] + "…"
        pad = 34 - sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in query)
        print(f"{r.need:5} {query}{' ' * max(pad, 1)}|    {_cells(r.kb)} |      {_cells(r.grep)}")
        if show:
            grades = by_id[r.need].grades
            print("        kb:   " + " ".join(_label(k, grades) for k in r.kb_top[:show]))
            print("        grep: " + " ".join(_label(k, grades) for k in r.grep_top[:show]))
    forms_kb, forms_grep = _mean([r.kb for r in rows]), _mean([r.grep for r in rows])
    per_need: dict[str, list[Row]] = {}
    for r in rows:
        per_need.setdefault(r.need, []).append(r)
    needs_kb = _mean([_mean([r.kb for r in rs]) for rs in per_need.values()])
    needs_grep = _mean([_mean([r.grep for r in rs]) for rs in per_need.values()])
    print()
    print(f"{'mean':40} | kb {head} | grep {head}")
    print(f"{f'over {len(rows)} query forms':40} |    {_cells(forms_kb)} |      {_cells(forms_grep)}")
    print(f"{f'over {len(per_need)} needs':40} |    {_cells(needs_kb)} |      {_cells(needs_grep)}")
    times = sorted(r.kb_ms for r in rows)
    print(
        f"\nkb search per query form: median {statistics.median(times):.1f} ms, "
        f"max {times[-1]:.1f} ms (in-process, first run, limit=1000)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--need", action="append", help="score only this need id (repeatable)")
    ap.add_argument(
        "--show", type=int, default=0, metavar="N", help="print the first N posts of both rankings"
    )
    ap.add_argument("--json", type=Path, metavar="FILE", help="also write every row as JSON to FILE")
    args = ap.parse_args()
    needs = load_needs()
    if args.need:
        needs = [n for n in needs if n.id in set(args.need)]
        if not needs:
            sys.exit(f"bench_needs: no need with id {args.need}")
    forms = sum(len(n.queries) for n in needs)
    print(f"{len(needs)} needs, {forms} query forms; corpus {SEED.name} + {DEVSET.relative_to(ROOT)}\n")
    with tempfile.TemporaryDirectory() as tmp:
        rows = run(needs, Path(tmp) / "needs.db")
    report(rows, needs, args.show)
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {"need": r.need, "query": r.query, "kb": r.kb, "grep": r.grep, "kb_top": r.kb_top[:20]}
                    for r in rows
                ],
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()

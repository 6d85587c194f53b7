"""Search latency and start-up time of kb on a database built from a generated corpus.

    python bench/gen_corpus.py bench/out/c10k --posts 10000
    python bench/bench_search.py bench/out/c10k [--db bench/out/c10k.db] [--reps 20] [--runs 5]

The database defaults to CORPUS.db next to the corpus folder; when it is missing it is built first
with ``kb --db DB import CORPUS --quiet --jobs 2`` (timed, printed). Prints:

* warm in-process latency of ``kb.search.search(store, q, limit=20)`` for a fixed query list: the
  store is opened read-only once, every query runs once to warm up (dictionary, page cache), then
  ``--reps`` times; per query p50/p95/max and hit count, and p50/p95 over all calls;
* whole-process ``kb --db DB search Q`` wall time (median of ``--runs``, output read through a pipe)
  next to ``grep -r Q CORPUS`` on the same files (output through a pipe too: GNU grep stops at the first
  match when its output is /dev/null). A query of several words is run as ``grep -r -F -e W1 -e W2``
  (any of the words: at least as much work as kb's query, never less);
* start-up: ``kb --help`` (median of 10), ``kb --db DB posts --limit 20`` and the full ``kb --db DB posts``
  (median of ``--runs``), next to ``python -c pass``; ``kb search`` as the first command after the
  database changed (an empty cache folder: no integrity stamp, so the whole file is checked); the
  stages of a search process before the search (typer, kb's modules, typer's command tree, the Sudachi
  dictionary), each timed in a fresh process; and the slowest imports of ``kb --help``
  (``python -X importtime``), cumulative.

The targets of the Performance issue are printed next to the figures; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from _measure import (
    corpus_files,
    kb_command,
    kb_revision,
    percentile,
    piped,
    piped_runs,
    run_measured,
    spread,
    table,
)

TARGET_P95_MS = {20_000: 10.0, 10**9: 20.0}  # warm p95 by corpus size: ≤ 10 ms up to 10k posts, 20 ms at 100k
TARGET_HELP_S = 0.15

_KANJI = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{2,4}(?![\u4e00-\u9fff])")  # a whole run
_KATAKANA = re.compile(r"(?<![\u30a1-\u30fa\u30fc])[\u30a1-\u30fa\u30fc]{4,10}(?![\u30a1-\u30fa\u30fc])")
_PHRASE = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,4})の([\u4e00-\u9fff]{2,4})(?![\u4e00-\u9fff])")
_NUMERALS = set("一二三四五六七八九十百千万億兆")
_LATIN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]{2,11}(?![A-Za-z0-9])")
_FIGURE = re.compile(r"(?<![0-9])[0-9]{3,6}[A-Za-z]{1,3}(?![A-Za-z])")


def derive_queries(files: Sequence[Path], sample: int = 2000) -> list[str]:
    """The query set, drawn from the corpus itself (no word of any post is written here): words
    of several kinds at several frequencies (a common kanji word and a rarer one, a katakana word, a
    Latin word, a figure with its unit, a single frequent kanji), two words together, an OR, an
    exclusion, a quoted phrase, and a fragment that only substring search finds. Deterministic: the
    same corpus gives the same queries."""
    kinds = ("kanji", "kata", "latin", "figure", "single", "phrase")
    counts: dict[str, Counter[str]] = {k: Counter() for k in kinds}
    step = max(1, len(files) // sample)
    for path in files[::step]:
        text = path.read_text(encoding="utf-8", errors="replace")
        for kind, rx in (("kanji", _KANJI), ("kata", _KATAKANA), ("latin", _LATIN), ("figure", _FIGURE)):
            counts[kind].update(set(rx.findall(text)))
        counts["single"].update({ch for ch in text if "\u4e00" <= ch <= "\u9fff" and ch not in _NUMERALS})
        counts["phrase"].update({f"{a}の{b}" for a, b in _PHRASE.findall(text)})

    def ranked(kind: str, i: int) -> str:
        words = sorted(counts[kind].items(), key=lambda kv: (-kv[1], kv[0]))
        return words[min(i, len(words) - 1)][0] if words else "市"

    common, common2, mid, rare = (
        ranked("kanji", 5),
        ranked("kanji", 9),
        ranked("kanji", 60),
        ranked("kanji", 400),
    )
    kata, kata2 = ranked("kata", 3), ranked("kata", 40)
    queries = [
        common, mid, rare, kata, kata2, ranked("latin", 2), ranked("latin", 30), ranked("figure", 10),
        ranked("single", 0), f"{common} {mid}", f"{common} OR {rare}", f"{mid} -{common2}",
        f'"{ranked("phrase", 3)}"', kata[1:4],  # a fragment inside a word: found by substring search only
    ]  # fmt: skip
    seen: set[str] = set()
    return [q for q in queries if not (q in seen or seen.add(q))]  # type: ignore[func-returns-value]


def grep_argv(query: str, corpus: Path) -> list[str]:
    """``grep -rl`` over the same files: the files holding the query's words (any of them: at least as
    much work as kb's query, never less; an excluded word is not looked for)."""
    words = [w for w in query.replace('"', " ").split() if w != "OR" and not w.startswith("-")]
    if len(words) == 1:
        return ["grep", "-rl", words[0], str(corpus)]
    return ["grep", "-rl", "-F", *[a for w in words for a in ("-e", w)], str(corpus)]


def _searcher() -> Callable[[Any, str], str]:
    """One search of 20 results, described (hits/total, word matches), through kb's library; the
    first round's kb (no kb.api) is measured through its kb.search.search, for before/after figures."""
    try:
        from kb import api
    except ImportError:
        from kb.search import search as old  # type: ignore[attr-defined]

        def first_round(store: Any, q: str) -> str:
            found = old(store, q, limit=20)
            return f"{len(found)} ({sum(h.match == 'word' for h in found)} word)"

        return first_round

    def current(store: Any, q: str) -> str:
        found = api.search(store, q, limit=20)
        return f"{len(found.hits)}/{found.total} ({sum(h.match == 'word' for h in found.hits)} word)"

    return current


def warm_latency(db: Path, reps: int, queries: Sequence[str]) -> tuple[list[list[object]], list[float]]:
    from kb.errors import KbError
    from kb.store import Store

    search = _searcher()
    store = Store(db, readonly=True)
    rows: list[list[object]] = []
    every: list[float] = []
    try:
        for q in queries:  # warm-up: dictionary, statements, page cache
            try:
                search(store, q)
            except KbError:
                pass
        for q in queries:
            times: list[float] = []
            hits: object = 0
            for _ in range(reps):
                started = time.perf_counter()
                try:
                    hits = search(store, q)
                except KbError as err:
                    hits = f"error: {err}"
                times.append((time.perf_counter() - started) * 1000)
            every.extend(times)
            rows.append(
                [q, hits, f"{percentile(times, 50):.2f}", f"{percentile(times, 95):.2f}", f"{max(times):.2f}"]
            )
    finally:
        store.close()
    return rows, every


# the stages of a kb search process before any search, each timed in a fresh process
STARTUP_STAGES = [
    ("import typer (and the standard library it needs)", "import typer"),
    ("import kb.cli", "import kb.cli"),
    ("typer builds the command tree", "from typer.main import get_command; get_command(kb.cli.app)"),
    (
        "import kb.api, kb.search, kb.views.plain (the search path)",
        "import kb.api, kb.search, kb.views.plain",
    ),
    ("Sudachi dictionary load (first segment call)", "from kb.segment import segment; segment('準備')"),
]


def startup_stages(runs: int) -> list[list[object]]:
    """Median (min–max) ms of each start-up stage of `kb search`, run in order in a fresh process."""
    lines = ["import json, time", "times = []"]
    for _, code in STARTUP_STAGES:
        lines += ["t = time.perf_counter()", code, "times.append(time.perf_counter() - t)"]
    lines.append("print(json.dumps(times))")
    per_stage: list[list[float]] = [[] for _ in STARTUP_STAGES]
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", "\n".join(lines)], capture_output=True, text=True, check=True
        )
        for i, t in enumerate(json.loads(out.stdout)):
            per_stage[i].append(t * 1000)
    return [[name, spread(ms, "{:.1f}")] for (name, _), ms in zip(STARTUP_STAGES, per_stage, strict=True)]


def first_open(argv: list[str], runs: int) -> list[float]:
    """Wall times of a command run as the first after the database changed: each run with an empty
    cache folder, so kb finds no integrity stamp and checks the whole file (PRAGMA quick_check)."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="kb-bench-cache-") as cache:
            times.append(piped(argv, env={**os.environ, "XDG_CACHE_HOME": cache})[0])
    return times


def import_times(argv: list[str], top: int = 8) -> list[tuple[str, float]]:
    """The slowest imports (cumulative, ms) of a Python command run with -X importtime."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    found: list[tuple[str, float]] = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        parts = line.split("|")
        if len(parts) != 3:
            continue
        name = parts[2].rstrip()
        depth = (len(name) - len(name.lstrip()) - 1) // 2  # one space, then two per nesting level
        if depth <= 1:  # top-level imports and their direct children
            found.append(("  " * depth + name.strip(), int(parts[1].strip()) / 1000))
    found.sort(key=lambda kv: -kv[1])
    return found[:top]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "corpus", type=Path, help="a folder written by bench/gen_corpus.py (the files grep reads)"
    )
    ap.add_argument("--db", type=Path, default=None, help="database (default: CORPUS.db; built when missing)")
    ap.add_argument("--reps", type=int, default=20, help="warm in-process repetitions per query")
    ap.add_argument("--runs", type=int, default=5, help="whole-process runs per command (median)")
    ap.add_argument("--jobs", type=int, default=2, help="--jobs of the import that builds a missing database")
    args = ap.parse_args(argv)

    kb = kb_command()
    corpus = args.corpus.resolve()
    files = corpus_files(corpus)
    db = (args.db or corpus.with_name(corpus.name + ".db")).resolve()
    if not db.exists():
        print(f"building {db} from {corpus} ({len(files):,} files) …", flush=True)
        r = run_measured([kb, "--db", str(db), "import", str(corpus), "--quiet", "--jobs", str(args.jobs)])
        if r.returncode != 0:
            print(f"kb import failed (exit {r.returncode}):\n{r.stderr[-3000:]}")
            return 2
        print(f"  built in {r.seconds:.1f} s")
    print(
        f"database {db}: {db.stat().st_size:,} bytes; corpus {corpus}: {len(files):,} files; "
        f"LANG={os.environ.get('LANG', '')} LC_ALL={os.environ.get('LC_ALL', '')}; kb {kb_revision()}; "
        f"load average {os.getloadavg()[0]:.2f}"
    )

    queries = derive_queries(files)
    print(f"queries (drawn from the corpus): {' | '.join(queries)}")
    print(f"\nwarm in-process kb.search.search(limit=20), {args.reps} reps per query after one warm-up (ms):")
    rows, every = warm_latency(db, args.reps, queries)
    print(table(["query", "hits", "p50 ms", "p95 ms", "max ms"], rows))
    p95 = percentile(every, 95)
    print(f"all queries: p50 {percentile(every, 50):.2f} ms, p95 {p95:.2f} ms, max {max(every):.2f} ms")

    print(
        f"\nwhole process, piped, median of {args.runs} runs (s) (the first run stamps the integrity check):"
    )
    wrows: list[list[object]] = []
    kb_meds: list[float] = []
    grep_meds: list[float] = []
    for q in queries:
        piped([kb, "--db", str(db), "search", *q.split()])  # the stamp, the page cache
        kb_times, kb_rc, _ = piped_runs([kb, "--db", str(db), "search", *q.split()], args.runs)
        g_times, _, g_lines = piped_runs(grep_argv(q, corpus), args.runs)
        kb_med, g_med = statistics.median(kb_times), statistics.median(g_times)
        kb_meds.append(kb_med)
        grep_meds.append(g_med)
        wrows.append(
            [
                q,
                spread(kb_times, "{:.3f}"),
                f"exit {kb_rc}",
                spread(g_times, "{:.3f}"),
                g_lines,
                f"{g_med / kb_med:.2f}",
            ]
        )
    print(table(["query", "kb search s", "kb exit", "grep -rl s", "grep files", "grep / kb"], wrows))
    kb_total, grep_total = sum(kb_meds), sum(grep_meds)
    faster = sum(k < g for k, g in zip(kb_meds, grep_meds, strict=True))
    print(
        f"median over the queries: kb search {statistics.median(kb_meds):.3f} s, grep -rl "
        f"{statistics.median(grep_meds):.3f} s; sum: kb {kb_total:.2f} s, grep {grep_total:.2f} s; "
        f"kb faster on {faster} of {len(queries)}"
    )

    print("\nstart-up (s):")
    srows: list[list[object]] = []
    py = [piped([sys.executable, "-c", "pass"])[0] for _ in range(10)]
    srows.append(["python -c pass", spread(py, "{:.3f}"), "median of 10"])
    helps = [piped([kb, "--help"])[0] for _ in range(10)]
    srows.append(["kb --help", spread(helps, "{:.3f}"), "median of 10"])
    few, _, _ = piped_runs([kb, "--db", str(db), "posts", "--limit", "20"], args.runs)
    srows.append(["kb posts --limit 20", spread(few, "{:.3f}"), f"median of {args.runs}"])
    full, _, lines = piped_runs([kb, "--db", str(db), "posts"], args.runs)
    srows.append(["kb posts (all)", spread(full, "{:.3f}"), f"median of {args.runs}, {lines:,} lines"])
    first = first_open([kb, "--db", str(db), "search", queries[0]], args.runs)
    srows.append(
        [
            f"kb search {queries[0]}, first after a change",
            spread(first, "{:.3f}"),
            f"median of {args.runs}; no stamp: the integrity check reads every page",
        ]
    )
    print(table(["command", "wall s", "note"], srows))
    print("start-up stages of a kb search, each run in order in a fresh process (ms):")
    print(table(["stage", "ms"], startup_stages(10)))
    print("slowest imports of kb --help (cumulative ms, python -X importtime):")
    for name, ms in import_times(["-m", "kb", "--help"]):
        print(f"  {ms:8.1f}  {name}")

    help_med = statistics.median(helps)
    posts = len(files)
    target_p95 = next(ms for size, ms in sorted(TARGET_P95_MS.items()) if posts <= size)
    kb_cold, grep_cold = statistics.median(kb_meds), statistics.median(grep_meds)
    print("\ntargets:")
    print(
        f"  warm search p95 ≤ {target_p95:.0f} ms ({posts:,} files): {p95:.2f} ms "
        f"{'met' if p95 <= target_p95 else 'MISSED'}"
    )
    print(
        f"  cold kb search faster than grep -rl (median over the queries): kb {kb_cold:.3f} s vs grep "
        f"{grep_cold:.3f} s {'met' if kb_cold < grep_cold else 'MISSED'}"
    )
    print(
        f"  kb --help ≤ {TARGET_HELP_S} s: {help_med:.3f} s {'met' if help_med <= TARGET_HELP_S else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Import throughput, memory and database size of `kb import` on a generated corpus.

    python bench/gen_corpus.py bench/out/c10k --posts 10000
    python bench/bench_import.py bench/out/c10k [--runs 3] [--jobs 1,2] [--keep-db DIR]
        [--breakdown N] [--no-tokenizer]

Prints, in one run:

* the corpus: files, UTF-8 bytes, chars; the kb commit measured and the load average;
* tokenizer-only throughput, the baseline of the targets: SudachiPy alone (mode A, reading each
  morpheme's surface, normalized form and part of speech) over every line of every file, in one child
  process (reading the files is not timed): wall and CPU seconds, chars/s, peak memory; and next to it
  ``kb.segment.segment`` (mode C with mode A parts, as kb Tokens) over the same lines, in another;
* ``kb --db X import DIR --quiet --jobs J`` end to end for each J, each run into a fresh database in a
  temporary folder, each in its own child process: wall time, CPU time of the process tree, chars/s
  (from the same char count), the ratio to tokenizer-only by wall time and by CPU time (the CPU ratio
  holds up when other work shares the machine; with --jobs 2 it measures total work, not speed-up),
  the ratio to --jobs 1, peak RSS of the largest process of the run (``os.wait4`` ru_maxrss of that one
  child, per run, and the sampled VmHWM of its workers, with which process it was), the peak of the
  summed RSS and of the summed PSS of the whole process tree (PSS counts shared dictionary pages once);
* with ``--breakdown N``: the CPU time of a one-process import split into stages (read, structure,
  segment, index terms, facts, store and overhead), measured in-process over the first N files;
* the database: size (db + -wal + -shm) against the corpus UTF-8 size, row counts, and the largest
  tables and indexes (SQLite ``dbstat``, FTS5 shadow tables grouped).

With ``--runs K`` every figure is the median of K runs, with the min–max range. The targets of the
Performance issue are printed next to the figures; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _measure import corpus_files, corpus_size, kb_command, kb_revision, mb, run_measured, spread, table

TARGET_JOBS1 = 0.5  # import chars/s ≥ 0.5 × tokenizer-only with one job (issue 18)
TARGET_JOBS2 = 0.8  # and ≥ 0.8 × tokenizer-only with two jobs
TARGET_RSS_MB = 250  # peak RSS of each process, flat from 1k to 10k posts
TARGET_DB_RATIO = 2.5


BASELINES = {
    "sudachi": "tokenizer only (SudachiPy mode A, per line)",
    "kb": "kb.segment only (mode C + mode A parts, per line)",
}


def tokenize_only(root: Path, which: str) -> dict[str, float]:
    """Runs in a child process: segment every line of every file; time the segmentation calls only.

    ``sudachi`` is the baseline of the targets: SudachiPy alone in mode A, reading each morpheme's
    surface, normalized form and part of speech (by id, the cheapest way), as the Performance issue
    defines it. ``kb`` is kb's segmentation layer (mode C, each long unit with its mode-A parts, as kb
    Tokens), for what kb's own wrapping costs. Both are fed one line at a time: a Sudachi tokenizer
    fed whole files (8,000-char pieces) runs about a third slower, and stays slower afterwards, so a
    whole-file baseline would flatter the import (this bench used one until 2026-11-25)."""
    from kb.segment import chunks

    files = corpus_files(root)
    if which == "sudachi":
        from sudachipy import Dictionary, SplitMode

        tokenizer = Dictionary(dict="core").tokenizer(mode=SplitMode.A)

        def run(line: str) -> int:
            n = 0
            for _, piece in chunks(line):  # a line over the tokenizer's input limit, in pieces
                for m in tokenizer.tokenize(piece):
                    m.surface()
                    m.normalized_form()
                    m.part_of_speech_id()
                    n += 1
            return n
    else:
        from kb.segment import segment

        def run(line: str) -> int:
            return len(segment(line))

    run("辞書の読み込み")  # load the dictionary (not timed)
    chars = tokens = 0
    seconds = cpu = 0.0
    for f in files:
        text = f.read_text(encoding="utf-8")
        lines = [line for line in text.split("\n") if line.strip()]
        started, started_cpu = time.perf_counter(), time.process_time()
        for line in lines:
            tokens += run(line)
        seconds += time.perf_counter() - started
        cpu += time.process_time() - started_cpu
        chars += len(text)
    return {"seconds": seconds, "cpu": cpu, "chars": chars, "tokens": tokens}


def breakdown(files: list[Path], tokenizer_rate: float | None) -> None:
    """Where one process spends its import time, stage by stage, over the given files (in this process).

    Times kb's stages one after the other over chunks of files as the importer takes them (read,
    structure, segment, facts, index terms, the lexicon of new words), then the real ``import_paths``
    over the same files into a fresh database: what it costs beyond the stages is the store (SQLite,
    FTS5) and the importer's own overhead. Then the same import without the writer thread (each chunk
    analysed, then stored and committed, in this thread): the store's own CPU time, and what the
    thread costs in CPU and saves in wall time. Prints a note instead of figures when kb's internals have changed shape.
    """
    try:
        from kb.facts import extract_facts
        from kb.importer import import_paths
        from kb.importer.plan import ToAnalyse, sha256
        from kb.importer.pool import CHUNK_FILES, analyse_chunk
        from kb.importer.writer import store_analysed
        from kb.pipeline import forget_words, new_words
        from kb.reading import read_source
        from kb.segment import segment
        from kb.store import Store
        from kb.structure import build_post
        from kb.terms import index_terms
    except ImportError as err:
        print(f"breakdown unavailable: {err}")
        return
    times = dict.fromkeys(("read", "structure", "segment", "facts", "terms", "lexicon"), 0.0)
    chars = 0
    clock = time.process_time  # CPU time of this process: holds up when other work shares the machine
    segment("辞書の読み込み")  # dictionary loaded outside the timings
    forget_words()
    try:
        for first in range(0, len(files), CHUNK_FILES):  # as kb.importer.pool.analyse_chunk does
            datas = [(str(f), f.read_bytes()) for f in files[first : first + CHUNK_FILES]]
            chars += sum(len(d.decode("utf-8")) for _, d in datas)
            t0 = clock()
            results = [read_source(name, data, None) for name, data in datas]
            t1 = clock()
            posts = [build_post(raw) for result in results for raw in result.posts]
            t2 = clock()
            tokens = [[segment(p.text) for p in post.passages] for post in posts]
            t3 = clock()
            for post, toks in zip(posts, tokens, strict=True):
                extract_facts(post, toks, ())
            t4 = clock()
            for post, toks in zip(posts, tokens, strict=True):
                [index_terms(t, p.text) for p, t in zip(post.passages, toks, strict=True)]
            t5 = clock()
            for toks in tokens:
                list(new_words(toks))
            t6 = clock()
            for name, a, b in (("read", t0, t1), ("structure", t1, t2), ("segment", t2, t3), ("facts", t3, t4),
                               ("terms", t4, t5), ("lexicon", t5, t6)):  # fmt: skip
                times[name] += b - a
        with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
            store = Store(Path(tmp) / "kb.db")
            t7, w7 = clock(), time.perf_counter()
            import_paths(store, [str(f) for f in files], jobs=1)
            whole, whole_wall = clock() - t7, time.perf_counter() - w7
            store.close()
            # the same work with no writer thread: analyse a chunk of files, then store it, in this thread
            store = Store(Path(tmp) / "inline.db")
            forget_words()
            analysed = stored = 0.0
            w8 = time.perf_counter()
            for first in range(0, len(files), CHUNK_FILES):
                t8 = clock()
                chunk = [f.read_bytes() for f in files[first : first + CHUNK_FILES]]
                items = [
                    ToAnalyse(str(f.resolve()), data, sha256(data), frozenset())
                    for f, data in zip(files[first : first + CHUNK_FILES], chunk, strict=True)
                ]
                done = analyse_chunk(items, None, ())
                t9 = clock()
                store.begin()
                for one in done:
                    store_analysed(store, one)
                store.commit()
                analysed += t9 - t8
                stored += clock() - t9
            inline_wall = time.perf_counter() - w8
            store.close()
    except (TypeError, AttributeError, ValueError) as err:
        print(f"breakdown unavailable (kb internals changed): {type(err).__name__}: {err}")
        return
    seg = times["segment"]
    stages = {
        "read (decode, detect, split)": times["read"],
        "structure (build_post)": times["structure"],
        "segment": seg,
        "facts (extract_facts)": times["facts"],
        "index terms": times["terms"],
        "lexicon (new words, segmented alone)": times["lexicon"],
        "store and importer overhead (rest of import_paths)": max(0.0, whole - sum(times.values())),
    }
    rows = [
        [
            name,
            f"{secs:.2f}",
            f"{100 * secs / whole:.0f} %",
            f"{chars / secs:,.0f}" if secs else "—",
            f"{secs / seg:.2f}",
        ]
        for name, secs in stages.items()
    ]
    rows.append(
        [
            "import_paths, jobs=1 (measured)",
            f"{whole:.2f}",
            "100 %",
            f"{chars / whole:,.0f}",
            f"{whole / seg:.2f}",
        ]
    )
    print(
        f"\nbreakdown of a one-process import over {len(files):,} files ({chars:,} chars), in-process, CPU time:"
    )
    print(table(["stage", "CPU s", "share", "chars per CPU s", "× segment time"], rows))
    print(
        f"storing alone (SQLite, written inline after each file's analysis): {stored:.2f} CPU s "
        f"= {stored / seg:.2f} × segment time; the writer thread against writing inline: "
        f"CPU {whole:.2f} vs {analysed + stored:.2f} s, wall {whole_wall:.2f} vs {inline_wall:.2f} s"
    )
    if tokenizer_rate:
        print(
            f"--jobs 1 ratio to tokenizer-only (CPU) if every stage but segment cost nothing: "
            f"{(chars / seg) / tokenizer_rate:.2f}; as measured here: {(chars / whole) / tokenizer_rate:.2f}"
        )


def db_stats(db: Path) -> tuple[int, dict[str, int], list[tuple[str, int]]]:
    """Total size on disk, row counts, and the tables and indexes by bytes (FTS5 shadow tables grouped)."""
    size = sum(p.stat().st_size for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists())
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tables = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        counts: dict[str, int] = {
            t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
            for t in ("files", "posts", "sections", "passages", "facts")
            if t in tables
        }
        virtual = [
            str(r[0])
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"
            )
        ]
        try:
            rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
        except sqlite3.OperationalError:
            rows = []
    finally:
        conn.close()
    groups: dict[str, int] = {}
    for name, pages in rows:
        key = str(name)
        for v in virtual:
            if key == v or key.startswith(v + "_"):
                key = f"{v} (FTS5)"
        if key.startswith("sqlite_autoindex_"):
            key = key.removeprefix("sqlite_autoindex_").rsplit("_", 1)[0] + " (unique index)"
        groups[key] = groups.get(key, 0) + int(pages)
    return size, counts, sorted(groups.items(), key=lambda kv: -kv[1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path, help="a folder written by bench/gen_corpus.py")
    ap.add_argument("--runs", type=int, default=1, help="repeat every measurement K times (median, min–max)")
    ap.add_argument(
        "--jobs", default="1,2", help="comma-separated --jobs values to import with (default 1,2)"
    )
    ap.add_argument(
        "--keep-db",
        type=Path,
        default=None,
        help="keep the database of the last run of each --jobs value in this folder",
    )
    ap.add_argument("--no-tokenizer", action="store_true", help="skip the tokenizer-only baseline")
    ap.add_argument(
        "--breakdown",
        type=int,
        default=0,
        metavar="N",
        help="also time the import stages in-process over the first N files (read, structure, segment, "
        "index terms, facts, store)",
    )
    ap.add_argument("--tokenize-only", choices=sorted(BASELINES), help=argparse.SUPPRESS)  # the child process
    args = ap.parse_args(argv)

    if args.tokenize_only:
        print(json.dumps(tokenize_only(args.corpus, args.tokenize_only)))
        return 0

    jobs = [int(j) for j in args.jobs.split(",") if j.strip()]
    kb = kb_command()
    files = corpus_files(args.corpus)
    size = corpus_size(files)
    print(
        f"corpus {args.corpus}: {size.files:,} files, {size.bytes:,} UTF-8 bytes ({mb(size.bytes)}), "
        f"{size.chars:,} chars; runs={args.runs}; kb={kb} ({kb_revision()}); python={sys.version.split()[0]}; "
        f"load average {os.getloadavg()[0]:.2f}"
    )

    # both baselines, alternating run by run: drift of the machine's speed hits both alike
    base: dict[str, dict[str, list[float]]] = {
        w: {"rate": [], "secs": [], "cpu": [], "rss": []} for w in BASELINES
    }
    if not args.no_tokenizer:
        for _ in range(args.runs):
            for which, got in base.items():
                r = run_measured([sys.executable, __file__, "--tokenize-only", which, str(args.corpus)])
                if r.returncode != 0:
                    print(f"tokenizer-only run ({which}) failed (exit {r.returncode}):\n{r.stderr[-2000:]}")
                    return 2
                data = json.loads(r.stdout)
                got["rate"].append(data["chars"] / data["seconds"])
                got["secs"].append(data["seconds"])
                got["cpu"].append(data["cpu"])
                got["rss"].append(r.maxrss_mb)
    tok_rates, tok_cpu = base["sudachi"]["rate"], base["sudachi"]["cpu"]
    tok = statistics.median(tok_rates) if tok_rates else None

    rows: list[list[object]] = []
    if tok is not None:
        for which, got in base.items():
            rows.append(
                [
                    BASELINES[which],
                    spread(got["secs"], "{:.1f}"),
                    spread(got["cpu"], "{:.1f}"),
                    spread(got["rate"], "{:,.0f}"),
                    f"{statistics.median(got['rate']) / tok:.2f}",
                    f"{statistics.median(tok_cpu) / statistics.median(got['cpu']):.2f}",
                    "—",
                    spread(got["rss"], "{:.0f}"),
                    "—",
                    "—",
                ]
            )
    ratios: dict[int, float] = {}
    rate_med: dict[int, float] = {}
    rss: dict[int, float] = {}
    rss_tree: dict[int, float] = {}
    dbinfo: dict[int, tuple[int, dict[str, int], list[tuple[str, int]]]] = {}
    for j in jobs:
        times: list[float] = []
        maxrss: list[float] = []
        pss: list[float] = []
        tree_rss: list[float] = []
        largest: list[str] = []
        cpu: list[float] = []
        parent: list[float] = []
        for k in range(args.runs):
            with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
                db = Path(tmp) / "kb.db"
                r = run_measured(
                    [kb, "--db", str(db), "import", str(args.corpus), "--quiet", "--jobs", str(j)]
                )
                if r.returncode != 0:
                    print(f"kb import --jobs {j} failed (exit {r.returncode}):\n{r.stderr[-3000:]}")
                    return 2
                times.append(r.seconds)
                maxrss.append(r.maxrss_mb)
                largest.append(r.largest)
                cpu.append(r.cpu_seconds)
                parent.append(r.parent_cpu)
                pss.append(r.tree_pss_mb)
                tree_rss.append(r.tree_rss_mb)
                dbinfo[j] = db_stats(db)
                if args.keep_db is not None and k == args.runs - 1:
                    args.keep_db.mkdir(parents=True, exist_ok=True)
                    dest = args.keep_db / f"jobs{j}.db"
                    conn = sqlite3.connect(db)
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    conn.close()
                    dest.write_bytes(db.read_bytes())
        rates = [size.chars / t for t in times]
        rate_med[j] = statistics.median(rates)
        ratios[j] = statistics.median(rates) / tok if tok else float("nan")
        rss[j] = max(maxrss)
        rss_tree[j] = max(tree_rss)
        rows.append(
            [
                f"kb import --jobs {j}",
                spread(times, "{:.1f}"),
                spread(cpu, "{:.1f}") + f" (parent {statistics.median(parent):.1f})",
                spread(rates, "{:,.0f}"),
                f"{ratios[j]:.2f}" if tok else "—",
                f"{statistics.median(tok_cpu) / statistics.median(cpu):.2f}" if tok_cpu else "—",
                "—",
                spread(maxrss, "{:.0f}") + f" ({'/'.join(sorted(set(largest)))})",
                spread(tree_rss, "{:.0f}"),
                spread(pss, "{:.0f}"),
            ]
        )
    if 1 in rate_med:
        for row in rows[len(BASELINES) if tok else 0 :]:
            j = int(str(row[0]).rsplit(" ", 1)[1])
            row[6] = f"{rate_med[j] / rate_med[1]:.2f}"
    if rows:
        print()
        print(
            table(
                [
                    "run",
                    "wall s",
                    "CPU s (tree; parent)",
                    "chars/s",
                    "× tokenizer",
                    "× tokenizer (CPU)",
                    "× jobs 1",
                    "peak RSS MB (largest proc)",
                    "peak RSS MB (tree sum)",
                    "peak PSS MB (tree)",
                ],
                rows,
            )
        )

    if args.breakdown:
        breakdown(files[: args.breakdown], size.chars / statistics.median(tok_cpu) if tok_cpu else None)
    print()
    if not jobs:
        return 0
    j_last = jobs[-1]
    db_size, counts, parts = dbinfo[j_last]
    print(
        f"database (import --jobs {j_last}): {db_size:,} bytes ({mb(db_size)}) = "
        f"{db_size / size.bytes:.2f} × corpus UTF-8 size; rows: "
        + ", ".join(f"{k} {v:,}" for k, v in counts.items())
    )
    if parts:
        grouped = parts
        print(
            table(
                ["table / index", "bytes", "share", "× corpus"],
                [
                    [
                        n,
                        f"{s:,}",
                        f"{100 * s / max(1, sum(x for _, x in grouped)):.0f} %",
                        f"{s / size.bytes:.2f}",
                    ]
                    for n, s in grouped[:10]
                ],
            )
        )

    print()
    print(f"load average at the end: {os.getloadavg()[0]:.2f} (other work on the machine skews the figures)")
    print("targets:")
    if tok is not None and 1 in ratios:
        print(
            f"  import --jobs 1 ≥ {TARGET_JOBS1} × tokenizer-only: {ratios[1]:.2f} "
            f"{'met' if ratios[1] >= TARGET_JOBS1 else 'MISSED'}"
        )
    if tok is not None and 2 in ratios:
        print(
            f"  import --jobs 2 ≥ {TARGET_JOBS2} × tokenizer-only: {ratios[2]:.2f} "
            f"{'met' if ratios[2] >= TARGET_JOBS2 else 'MISSED'}"
        )
    for j, v in rss.items():
        print(
            f"  peak RSS of each process, --jobs {j} ≤ {TARGET_RSS_MB} MB: largest process {v:.0f} MB "
            f"{'met' if v <= TARGET_RSS_MB else 'MISSED'} (whole tree {rss_tree[j]:.0f} MB; flat from 1k "
            "to 10k: compare the two corpora's runs)"
        )
    ratio = db_size / size.bytes
    print(
        f"  database ≤ {TARGET_DB_RATIO} × corpus: {ratio:.2f} {'met' if ratio <= TARGET_DB_RATIO else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""What a synonym lookup costs in a fresh process, for the shipped table and two alternatives.

    python bench/bench_synonyms.py [--runs 15] [--words ごみ,スマホ,インバウンド]

`kb search` starts in about 0.1 s; expanding the query's words must add at most a few ms. Each
run is a new Python process that first imports what a `kb search` process has loaded anyway
(dataclasses, typing, mmap, sqlite3, kb.text.fold), then times, inside the process:

* import: importing the lookup module (kb.synonyms, or nothing for the alternatives);
* first: the first lookup (opens the table);
* next: the mean of the remaining words' lookups.

Layouts compared, all built from kb/data/synonyms.txt:

* mmap: the shipped kb.synonyms (sorted text, binary search over an mmap);
* sqlite: the same lines in a SQLite file (two WITHOUT ROWID tables), one query per line;
* parse: reading the whole text file into a dict at the first lookup (what "load a JSON/TSV
  table" would cost).

Children run with bytecode caching on (PYTHONPYCACHEPREFIX in a temporary folder, one warm-up
run first), as a regular install does; ``--no-bytecode`` measures an environment with
PYTHONDONTWRITEBYTECODE=1, where kb.synonyms is compiled at every start.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "kb" / "data" / "synonyms.txt"

PRELOAD = (
    "import dataclasses, mmap, sqlite3, threading, pathlib, json, time, typing, re\nimport kb.text.fold\n"
)

CHILD_MMAP = """
t0 = time.perf_counter()
import kb.synonyms as s
t1 = time.perf_counter()
s.expansions(WORDS[0])
t2 = time.perf_counter()
for w in WORDS[1:]:
    s.expansions(w)
t3 = time.perf_counter()
"""

CHILD_SQLITE = """
t0 = time.perf_counter()
t1 = time.perf_counter()
def look(conn, w):
    row = conn.execute("SELECT refs FROM k WHERE key = ?", (w,)).fetchone()
    for ref in (row[0].split(",") if row else []):
        conn.execute("SELECT entries FROM g WHERE gid = ?", (int(ref.split(":")[0]),)).fetchone()
conn = sqlite3.connect(f"file:{DB}?mode=ro", uri=True)
look(conn, kb.text.fold.fold(WORDS[0]))
t2 = time.perf_counter()
for w in WORDS[1:]:
    look(conn, kb.text.fold.fold(w))
t3 = time.perf_counter()
"""

CHILD_PARSE = """
t0 = time.perf_counter()
t1 = time.perf_counter()
table = {}
with open(TABLE, encoding="utf-8") as f:
    for line in f:
        key, _, rest = line.rstrip("\\n").partition("\\t")
        table[key] = rest
def look(w):
    for ref in table.get("k" + w, "").split(","):
        if ref:
            table.get("g" + ref.split(":")[0])
look(kb.text.fold.fold(WORDS[0]))
t2 = time.perf_counter()
for w in WORDS[1:]:
    look(kb.text.fold.fold(w))
t3 = time.perf_counter()
"""

REPORT = """
print(json.dumps([(t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000 / max(len(WORDS) - 1, 1)]))
"""


def build_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE k (key TEXT PRIMARY KEY, refs TEXT) WITHOUT ROWID")
    conn.execute("CREATE TABLE g (gid INTEGER PRIMARY KEY, entries TEXT) WITHOUT ROWID")
    with open(TABLE, encoding="utf-8") as f:
        next(f)
        for line in f:
            key, _, rest = line.rstrip("\n").partition("\t")
            if key[0] == "k":
                conn.execute("INSERT INTO k VALUES (?, ?)", (key[1:], rest))
            else:
                conn.execute("INSERT INTO g VALUES (?, ?)", (int(key[1:]), rest))
    conn.commit()
    conn.execute("VACUUM")
    conn.close()


def child(body: str, words: list[str], db: Path, env: dict[str, str]) -> list[float]:
    code = f"WORDS = {words!r}\nDB = {str(db)!r}\nTABLE = {str(TABLE)!r}\n" + PRELOAD + body + REPORT
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    values: list[float] = json.loads(out.stdout.strip().splitlines()[-1])
    return values


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--words", default="ごみ,スマホ,インバウンド,子育て,バス,議会,図書館,観光客")
    ap.add_argument("--no-bytecode", action="store_true", help="children run with PYTHONDONTWRITEBYTECODE=1")
    args = ap.parse_args()
    words = args.words.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "synonyms.db"
        build_sqlite(db)
        env = dict(os.environ)
        if args.no_bytecode:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        else:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        sizes = {"mmap": TABLE.stat().st_size, "sqlite": db.stat().st_size, "parse": TABLE.stat().st_size}
        print(
            f"{len(words)} words, {args.runs} fresh processes per layout, "
            f"bytecode {'off' if args.no_bytecode else 'cached'}; load {os.getloadavg()[0]:.2f}\n"
        )
        print(f"{'layout':8} {'file MB':>8} {'import ms':>10} {'first ms':>9} {'max':>7} {'next ms':>8}")
        for name, body in (("mmap", CHILD_MMAP), ("sqlite", CHILD_SQLITE), ("parse", CHILD_PARSE)):
            child(body, words, db, env)  # warm-up: bytecode and the page cache
            runs = [child(body, words, db, env) for _ in range(args.runs)]
            imp = statistics.median(r[0] for r in runs)
            first = [r[1] for r in runs]
            nxt = statistics.median(r[2] for r in runs)
            print(
                f"{name:8} {sizes[name] / 1e6:8.2f} {imp:10.2f} {statistics.median(first):9.3f} "
                f"{max(first):7.3f} {nxt:8.3f}"
            )


if __name__ == "__main__":
    main()

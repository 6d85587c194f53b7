"""Shared helpers of the benchmark scripts: corpus walking, timed child processes with their peak memory,
statistics and plain-text tables. Not a benchmark itself (imported by bench_import.py, bench_search.py)."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


def kb_command() -> str:
    """The kb executable next to this Python (the venv's), else the one on PATH."""
    here = Path(sys.executable).parent / "kb"
    if here.exists():
        return str(here)
    found = shutil.which("kb")
    if not found:
        sys.exit("bench: cannot find the kb command; install kb (pip install -e .) in this Python")
    return found


def kb_revision() -> str:
    """The git commit of the kb checkout being measured, with ``+dirty`` when kb/ has local changes."""
    import kb

    root = Path(kb.__file__).resolve().parent.parent
    installed = not (root / "pyproject.toml").exists()
    if installed:  # a regular (non-editable) install: report the checkout these scripts belong to
        root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "kb"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    rev = head + ("+dirty" if dirty else "")
    if installed:
        return (
            f"{rev} (installed copy in {Path(kb.__file__).resolve().parent.parent}; reinstall after changes)"
        )
    bytecode = "off: every run compiles kb" if sys.dont_write_bytecode else "on"
    return f"{rev} (editable source tree; bytecode cache {bytecode})"


def corpus_files(root: Path) -> list[Path]:
    """The .txt files of a generated corpus, in a stable order."""
    files = sorted(root.rglob("*.txt")) if root.is_dir() else [root]
    if not files:
        sys.exit(f"bench: no .txt files under {root}; generate one with bench/gen_corpus.py")
    return files


@dataclass
class CorpusSize:
    files: int
    bytes: int
    chars: int


def corpus_size(files: Sequence[Path]) -> CorpusSize:
    total_bytes = total_chars = 0
    for f in files:
        data = f.read_bytes()
        total_bytes += len(data)
        total_chars += len(data.decode("utf-8"))
    return CorpusSize(len(files), total_bytes, total_chars)


# --------------------------------------------------------------------------- child processes


def _tree(pid: int) -> list[int]:
    """pid and all its descendants (Linux /proc)."""
    out = [pid]
    i = 0
    while i < len(out):
        p = out[i]
        i += 1
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    out.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    return out


def _pss_kb(pid: int) -> int:
    """Proportional set size of one process in KiB (shared pages split between their users)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _rss_kb(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of one process in KiB: its resident size now and its peak so far."""
    rss = hwm = 0
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
    except OSError:
        pass
    return rss, hwm


def _cpu_ticks(pid: int) -> int:
    """utime + stime of one process (its own, children not included), in clock ticks."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return 0


def _role(pid: int, root: int) -> str:
    """A short name for a process of the tree: main, or what multiprocessing started it as."""
    if pid == root:
        return "main"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmd = fh.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return "child"
    for key in ("forkserver", "resource_tracker", "spawn_main"):
        if key in cmd:
            return "worker" if key == "forkserver" and _parent(pid) != root else key
    return "child"


def _parent(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return int(fh.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return -1


@dataclass
class RunResult:
    seconds: float
    returncode: int
    maxrss_mb: float  # peak RSS of the largest single process of the tree (wait4 ru_maxrss, VmHWM)
    tree_rss_mb: float  # peak of the summed RSS of the whole process tree (sampled)
    tree_pss_mb: float  # peak of the summed PSS of the whole process tree (sampled)
    processes: int  # most processes seen at once in the tree
    stdout: str
    stderr: str
    largest: str = "main"  # which process had the largest peak RSS: main, worker, forkserver, …
    cpu_seconds: float = 0.0  # user + system time of the whole tree (workers included)
    parent_cpu: float = (
        0.0  # user + system time of the command's own process (wait4): its workers not included
    )


def run_measured(
    argv: Sequence[str],
    *,
    sample_every: float = 0.05,
    env: dict[str, str] | None = None,
    stdin: int | None = subprocess.DEVNULL,
) -> RunResult:
    """Run a command in its own child process: wall time, exit code, peak memory of that run only.

    ``ru_maxrss`` comes from ``os.wait4`` on that one child, so it is per run (RUSAGE_CHILDREN would
    keep the maximum of every child ever waited for); it misses grandchildren that the child does not
    reap itself (the ``--jobs`` workers belong to the forkserver), so a sampler thread also reads the
    peak RSS (VmHWM) of every process of the tree, and adds up their RSS and their PSS (which counts
    shared pages, such as the memory-mapped dictionary, once).
    """
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdout=out, stderr=err, stdin=stdin, env=env)
        peak = {"pss": 0, "rss": 0, "hwm": 0, "n": 0}
        who = {"largest": "main"}
        ticks: dict[int, int] = {}
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                pids = _tree(proc.pid)
                for p in pids:
                    ticks[p] = max(ticks.get(p, 0), _cpu_ticks(p))
                sizes = [_rss_kb(p) for p in pids]
                peak["rss"] = max(peak["rss"], sum(r for r, _ in sizes))
                for p, (_, h) in zip(pids, sizes, strict=True):
                    if h > peak["hwm"]:
                        peak["hwm"] = h
                        who["largest"] = _role(p, proc.pid)
                peak["pss"] = max(peak["pss"], sum(_pss_kb(p) for p in pids))
                peak["n"] = max(peak["n"], len(pids))
                done.wait(sample_every)

        sampler = threading.Thread(target=sample, daemon=True)
        if sample_every > 0:
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        if sample_every > 0:
            sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return RunResult(
            seconds,
            proc.returncode,
            max(usage.ru_maxrss, peak["hwm"]) / 1024,
            peak["rss"] / 1024,
            peak["pss"] / 1024,
            peak["n"],
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            who["largest"] if peak["hwm"] >= usage.ru_maxrss else "main (wait4)",
            max(usage.ru_utime + usage.ru_stime, sum(ticks.values()) / os.sysconf("SC_CLK_TCK")),
            ticks.get(proc.pid, 0) / os.sysconf("SC_CLK_TCK") or usage.ru_utime + usage.ru_stime,
        )


def piped(argv: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, int, int]:
    """Wall time, exit code and output lines of a command whose output is read through a pipe (GNU
    grep stops at the first match when its output is /dev/null: never time with output thrown away)."""
    started = time.perf_counter()
    proc = subprocess.run(
        list(argv), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env
    )
    seconds = time.perf_counter() - started
    return seconds, proc.returncode, proc.stdout.count(b"\n")


def piped_runs(argv: Sequence[str], runs: int) -> tuple[list[float], int, int]:
    """``piped`` ``runs`` times: every wall time, and the last exit code and line count."""
    times = []
    rc = lines = 0
    for _ in range(runs):
        t, rc, lines = piped(argv)
        times.append(t)
    return times, rc, lines


# --------------------------------------------------------------------------- statistics and tables


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100) of a non-empty sequence."""
    xs = sorted(values)
    if len(xs) == 1:
        return xs[0]
    k = (len(xs) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def spread(values: Sequence[float], fmt: str = "{:.2f}") -> str:
    """'median (min–max)' or just the value for one run."""
    med = statistics.median(values)
    if len(values) == 1:
        return fmt.format(med)
    return f"{fmt.format(med)} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain aligned text table (Markdown-compatible pipes)."""
    cells = [[str(h) for h in headers], *[[str(c) for c in r] for r in rows]]

    def width(s: str) -> int:
        import unicodedata

        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)

    widths = [max(width(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, r in enumerate(cells):
        lines.append("| " + " | ".join(c + " " * (widths[i] - width(c)) for i, c in enumerate(r)) + " |")
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def mb(n_bytes: float) -> str:
    return f"{n_bytes / 1e6:,.1f} MB"

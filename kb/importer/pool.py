"""Analysing planned files in order, in this process or in worker processes: results come back in
input order, and what needs no analysis passes through in its place. A worker never prints and ends
when the importing process is gone."""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import wait as wait_for
from contextlib import closing, suppress
from itertools import chain
from multiprocessing.connection import wait as wait_ready
from typing import Any, TypeVar

from kb.errors import KbError, UnreadableFile
from kb.importer.interrupt import POLL_SECONDS, check, deferred
from kb.importer.plan import Planned, ToAnalyse
from kb.models import Post, Token
from kb.pipeline import AnalysedFile, ReadFile, post_record, read_file, segment_post
from kb.record import record

T = TypeVar("T")
HEAD_OUTCOMES = 1000  # outcomes held while waiting to see whether a pool is worth starting


@record(frozen=True, slots=True)
class Analysed:
    """A planned file after analysis: its posts, or why it could not be read."""

    key: str
    sha: str
    size: int
    result: AnalysedFile | UnreadableFile


Result = Analysed | Planned  # what the writer receives, in input order


CHUNK_FILES = 16  # files analysed together (read all, segment all, then facts and terms) at most
CHUNK_BYTES = 256 * 1024  # … or this many bytes of them


def analyse(item: ToAnalyse, encoding: str | None, names: Sequence[tuple[str, str]]) -> Analysed:
    """Read, structure, segment and tag one file (in a worker or here); errors cost that file only."""
    return analyse_chunk([item], encoding, names)[0]


def analyse_chunk(
    items: Sequence[ToAnalyse], encoding: str | None, names: Sequence[tuple[str, str]]
) -> list[Analysed]:
    """Several files analysed together, in a worker or here: every file read and structured, then
    every post segmented, then facts and terms. Segmenting a batch of posts before analysing them
    takes 15-20 % less CPU than post by post (the tokenizer's tables stay in the processor's caches:
    bench/README.md). Errors cost their own file only."""
    reads = [_guarded(item.key, read_file, item.key, item.data, encoding, item.known) for item in items]
    tokens = [
        _guarded(item.key, _segment_all, r.posts) if isinstance(r, ReadFile) else r
        for item, r in zip(items, reads, strict=True)
    ]
    out: list[Analysed] = []
    for item, r, toks in zip(items, reads, tokens, strict=True):
        result: AnalysedFile | UnreadableFile
        if isinstance(r, ReadFile) and not isinstance(toks, UnreadableFile):
            got = _guarded(item.key, _records, r, toks, names)
            result = got if isinstance(got, UnreadableFile) else r.analysed
        else:
            result = toks if isinstance(toks, UnreadableFile) else r  # type: ignore[assignment]
        out.append(Analysed(item.key, item.sha, len(item.data), result))
    return out


def _segment_all(posts: Sequence[Post | str]) -> list[list[list[Token]] | None]:
    return [None if isinstance(p, str) else segment_post(p) for p in posts]


def _records(
    read: ReadFile, tokens: Sequence[list[list[Token]] | None], names: Sequence[tuple[str, str]]
) -> None:
    read.analysed.posts = [
        p if isinstance(p, str) else post_record(p, t or [], names)
        for p, t in zip(read.posts, tokens, strict=True)
    ]


def _guarded(key: str, fn: Callable[..., T], *args: Any) -> T | UnreadableFile:
    """``fn(*args)``, or why it failed as this file's outcome: a bug costs one file, not the import."""
    try:
        return fn(*args)
    except UnreadableFile as err:
        return UnreadableFile(key, err.reason)
    except KbError as err:
        return UnreadableFile(key, str(err))
    except Exception as err:  # a bug must cost one file, not the whole import
        return UnreadableFile(key, f"読み込み中の内部エラー (internal error): {type(err).__name__}: {err}")


def chunked(items: Iterator[Planned]) -> Iterator[list[ToAnalyse] | Planned]:
    """Consecutive files to analyse grouped in chunks (CHUNK_FILES, CHUNK_BYTES); what needs no
    analysis passes through alone, in its place."""
    chunk: list[ToAnalyse] = []
    size = 0
    for item in items:
        if isinstance(item, ToAnalyse):
            chunk.append(item)
            size += len(item.data)
            if len(chunk) >= CHUNK_FILES or size >= CHUNK_BYTES:
                yield chunk
                chunk, size = [], 0
            continue
        if chunk:
            yield chunk
            chunk, size = [], 0
        yield item
    if chunk:
        yield chunk


def analyse_all(
    items: Iterator[Planned], encoding: str | None, names: Sequence[tuple[str, str]], jobs: int
) -> Iterator[Result]:
    """Analysed files in input order. With ``jobs`` > 1 a pool starts only when a second file needs
    analysing (starting one for a single file costs more than it saves)."""
    it = iter(items)
    if jobs <= 1:
        for entry in chunked(it):
            if isinstance(entry, list):
                yield from analyse_chunk(entry, encoding, names)
            else:
                yield entry
        return
    head: list[Planned] = []
    analysable = 0
    for item in it:
        if not head and not isinstance(item, ToAnalyse):
            yield item  # nothing to wait for yet
            continue
        head.append(item)
        analysable += isinstance(item, ToAnalyse)
        if analysable == 2 or len(head) >= HEAD_OUTCOMES:
            break
    else:
        for item in head:  # at most one file to analyse: here, no pool
            yield analyse(item, encoding, names) if isinstance(item, ToAnalyse) else item
        return
    yield from _pooled(chain(head, it), encoding, names, jobs)


def _pooled(
    items: Iterator[Planned], encoding: str | None, names: Sequence[tuple[str, str]], jobs: int
) -> Iterator[Result]:
    ctx = mp.get_context("forkserver" if os.name == "posix" else "spawn")
    _start_quietly(ctx)
    window = jobs * 2  # chunks in flight at most: memory does not grow with the corpus
    alive_r, alive_w = ctx.Pipe(duplex=False)
    with closing(alive_w), closing(alive_r):
        pool = ProcessPoolExecutor(
            max_workers=jobs, mp_context=ctx, initializer=_init_worker, initargs=(alive_r,)
        )
        pending: deque[Future[list[Analysed]] | Planned] = deque()
        try:
            for entry in chunked(items):
                if isinstance(entry, list):
                    with deferred:  # the pool's locks (kb.importer.interrupt)
                        pending.append(pool.submit(analyse_chunk, entry, encoding, names))
                else:
                    pending.append(entry)
                if len(pending) >= window:
                    yield from _ready(pending.popleft())
            while pending:
                yield from _ready(pending.popleft())
        except BaseException:
            # (another Ctrl-C meanwhile is left for the writer's wind-down: kb.importer.interrupt)
            with suppress(KeyboardInterrupt), deferred:
                _stop(pool)
            raise
        with deferred:
            pool.shutdown(wait=True)


STOP_SECONDS = 10.0  # how long a stopped import waits for a worker to finish the files it holds


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop the pool after a Ctrl-C or a failure: what no worker has taken is cancelled, and the
    workers finish the chunk in hand (a second or so) and exit. They are not terminated at once: a
    worker killed while it sends its result leaves the pool's manager thread waiting for the rest of
    that message for ever (CPython 3.11), and the import hung (the CI's Ctrl-C test, and a local
    run with a stack dump). Only a worker still busy after STOP_SECONDS (a very long file) is
    terminated. Workers ignore SIGINT, so a Ctrl-C never reaches them."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    # a Ctrl-C during submit() can cut the start of the pool's manager thread, which shutdown()
    # then cannot join: nothing is left to wait for, and the Ctrl-C is what to report
    with suppress(RuntimeError):
        pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + STOP_SECONDS
    running = {p.sentinel: p for p in procs}
    while running and time.monotonic() < deadline:
        for sentinel in wait_ready(list(running), timeout=POLL_SECONDS):
            running.pop(sentinel)
    for p in running.values():
        p.terminate()
    if manager is not None and manager.is_alive():
        manager.join(STOP_SECONDS)


def _ready(entry: Future[list[Analysed]] | Planned) -> list[Analysed] | list[Planned]:
    if not isinstance(entry, Future):
        return [entry]
    with deferred:  # a Future's wait takes its lock: short waits, a Ctrl-C taken between them
        while not wait_for([entry], timeout=POLL_SECONDS).done:
            check()
        return entry.result()


def _start_quietly(ctx: Any) -> None:
    """Start the fork server with SIGINT ignored and its stderr on /dev/null: the workers it forks
    inherit both, so a Ctrl-C reaches only the parent, which stops them in order, and a worker cut
    off while starting cannot print a traceback over kb's message. Workers report their errors
    through their results, never on stderr."""
    if ctx.get_start_method() != "forkserver":
        return
    import signal
    from multiprocessing import forkserver

    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        forkserver.ensure_running()
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
        signal.signal(signal.SIGINT, old)


def _init_worker(alive: Any) -> None:
    import gc
    import signal

    from kb.importer import GC_THRESHOLD

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool
    gc.freeze()  # a worker lives for one import: what it starts with is never garbage
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    threading.Thread(target=_exit_with_parent, args=(alive,), name="kb-parent", daemon=True).start()


def _exit_with_parent(alive: Any) -> None:
    """End this worker when the importing process is gone. Killed (kill, SIGTERM, SIGKILL), the parent
    cannot stop its pool, and a worker waiting for work would wait forever, holding the dictionary's
    memory: the read end of a pipe whose only write end the parent holds reports EOF instead."""
    try:
        alive.recv()
    except (EOFError, OSError):
        pass
    os._exit(1)

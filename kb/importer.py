"""`kb import`: read files, analyse them (in worker processes when asked) and store them from a writer
thread, whole files in batched transactions, skipping unchanged files and reporting bad ones by name.
Nothing is held per file of the corpus: files are planned as they are reached."""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import closing, suppress
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from typing import Any

from kb.errors import KbError, UnreadableFile
from kb.store import PostRecord, Store

STDIN = "-"
STREAM_BYTES = 4 * 1024 * 1024
BATCH_FILES = 200
BATCH_SECONDS = 1.0


@dataclass(slots=True)
class FileOutcome:
    """What happened to one input file."""

    path: str
    status: str  # "imported" | "unchanged" | "skipped"
    added: int = 0
    unchanged: int = 0
    removed: int = 0
    sections: int = 0
    passages: int = 0
    facts: int = 0
    photos: int = 0
    format: str = ""
    encoding: str = ""
    reason: str = ""
    warnings: list[str] = field(default_factory=list)


_COUNTED = ("added", "unchanged", "removed", "sections", "passages", "facts", "photos")


@dataclass(slots=True)
class ImportReport:
    """The summary of a `kb import` run: counters over every file, and the outcomes worth naming
    (files skipped or empty, files with warnings). Plain imported files leave only their counts,
    so the report does not grow with the corpus."""

    db: str
    files: list[FileOutcome] = field(default_factory=list)  # the notable outcomes only
    file_count: int = 0
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_COUNTED, 0))
    seconds: float = 0.0

    def add(self, outcome: FileOutcome) -> None:
        self.file_count += 1
        for attr in _COUNTED:
            self.totals[attr] += int(getattr(outcome, attr))
        if outcome.status == "skipped" or outcome.warnings:
            self.files.append(outcome)

    def total(self, attr: str) -> int:
        return self.totals[attr]

    @property
    def skipped(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "skipped"]


@dataclass(slots=True)
class _Analysed:
    path: str
    sha: str
    size: int
    format: str
    encoding: str
    warnings: list[str]
    posts: list[PostRecord | str]  # a str is the uid of a post already stored: not analysed again


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _records(
    path: str, data: bytes, encoding: str | None, names: Sequence[tuple[str, str]], known: frozenset[str]
) -> tuple[Any, Iterator[PostRecord | str]]:
    """Read a file and yield, post by post, its record (or the uid of a post already stored)."""
    from kb.pipeline import record_for
    from kb.reading import read_source
    from kb.segment import segment
    from kb.structure import build_post

    result = read_source(path, data, encoding)

    def gen() -> Iterator[PostRecord | str]:
        for raw in result.posts:
            post = build_post(raw)
            if post.uid in known:
                yield post.uid
            else:
                yield record_for(post, [segment(p.text) for p in post.passages], names)

    return result, gen()


def analyse_bytes(
    path: str,
    data: bytes,
    encoding: str | None,
    names: Sequence[tuple[str, str]],
    known: frozenset[str] = frozenset(),
) -> _Analysed:
    """Read, structure, segment and tag one file's content (runs in a worker process)."""
    result, records = _records(path, data, encoding, names, known)
    posts = list(records)
    return _Analysed(
        path,
        _sha(data),
        len(data),
        result.format,
        result.encoding,
        list(result.warnings),
        posts,
    )


def _analyse_path(
    path: str, encoding: str | None, names: Sequence[tuple[str, str]], known: frozenset[str]
) -> _Analysed:
    with open(path, "rb") as fh:
        data = fh.read()
    return analyse_bytes(path, data, encoding, names, known)


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
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool
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


def import_paths(
    store: Store,
    paths: Sequence[str],
    *,
    encoding: str | None = None,
    jobs: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
    stdin_bytes: Callable[[], bytes] | None = None,
) -> ImportReport:
    """Import files and directories into the store; ``-`` reads standard input via ``stdin_bytes``."""
    from kb.reading import iter_sources

    started = time.perf_counter()
    report = ImportReport(db=store.path)
    names = store.names()
    roots = [p for p in paths if p != STDIN]
    # the total is for the progress bar only: counting walks the folders once more, cheaply
    total = (sum(1 for _ in iter_sources(roots)) if progress else 0) + (1 if STDIN in paths else 0)
    done = 0

    def finish(outcome: FileOutcome) -> None:
        nonlocal done
        done += 1
        report.add(outcome)
        if progress:
            progress(outcome.path, done, total)

    if STDIN in paths and stdin_bytes is not None:
        data = stdin_bytes()
        key = f"<stdin>:{_sha(data)[:12]}"
        try:
            finish(_stream(store, key, data, encoding, names))
        except UnreadableFile as err:
            finish(FileOutcome(key, "skipped", reason=err.reason))

    # every file planned as it is reached: nothing is held per file of the corpus
    with closing(store.reader()) as reader:
        planned = _plan(iter_sources(roots), reader)
        stream = partial(_stream_file, store, encoding=encoding, names=names)
        _write_all(store, _analyse_all(planned, encoding, names, jobs), finish, stream)
    store.release_free_pages()
    report.seconds = time.perf_counter() - started
    return report


_ToAnalyse = tuple[str, str, frozenset[str]]  # (key, path to read, uids the file held)


@dataclass(frozen=True, slots=True)
class _Big:
    """A file too big to analyse at once (an archive of thousands of posts): the writer reads it
    again and analyses and writes it post by post, so its records are never all held at once."""

    path: str  # the key, as in FileOutcome
    source: str  # the path to read


_Passing = FileOutcome | _Big  # items the analysis passes through to the writer in their place


def _plan(sources: Iterator[Any], reader: Store) -> Iterator[_ToAnalyse | _Passing]:
    """Each file in order: what to analyse, a big file to stream, or its outcome when there is
    nothing to analyse (unreadable, unchanged since the last import). ``reader`` is a second
    connection: the writer thread owns the store's."""
    for src in sources:
        if isinstance(src, UnreadableFile):
            yield FileOutcome(src.path, "skipped", reason=src.reason)
            continue
        key = os.path.abspath(src.path)
        try:
            data = src.read_bytes()
        except OSError as err:
            yield FileOutcome(key, "skipped", reason=f"cannot read: {err.strerror or err}")
            continue
        if reader.file_sha(key) == _sha(data):
            yield FileOutcome(key, "unchanged", unchanged=reader.post_counts(key))
        elif len(data) > STREAM_BYTES:
            yield _Big(key, src.path)
        else:
            yield key, src.path, reader.known_uids(key)


WRITE_QUEUE = 8  # analysed files waiting for the writer at most: memory stays bounded


def _write_all(
    store: Store,
    results: Iterator[tuple[str, _Result]],
    finish: Callable[[FileOutcome], None],
    stream: Callable[[_Big, threading.Event], FileOutcome],
) -> None:
    """Store analysed files in a writer thread while this thread analyses (or collects from the
    workers) the next ones. SQLite releases the GIL while it writes (B-trees, and the FTS5
    tokenizers of both indexes), so part of the writing overlaps with the analysis: with one job
    the thread saved 3-10 % of the wall time and cost 7-15 % more CPU in GIL handoffs in three
    runs of ``bench/bench_import.py --breakdown``. One thread writes; whole files only."""
    pending: queue.Queue[tuple[str, _Result] | None] = queue.Queue(WRITE_QUEUE)
    stop = threading.Event()  # set by the importing thread: finish the file in hand, then stop
    done = threading.Event()  # set by the writer when it no longer uses the connection
    failure: list[BaseException] = []

    def writer() -> None:
        batch = _Batch(store)
        try:
            while not stop.is_set():
                item = pending.get()
                if item is None or stop.is_set():
                    break
                key, result = item
                if isinstance(result, FileOutcome):
                    finish(result)
                elif isinstance(result, _Big):
                    batch.close()  # a big file is written in transactions of its own
                    finish(stream(result, stop))
                elif isinstance(result, UnreadableFile):
                    finish(FileOutcome(key, "skipped", reason=result.reason))
                else:
                    finish(batch.write(partial(_store, store, result)))
        except BaseException as err:  # handed to the importing thread, which raises it
            failure.append(err)
        finally:
            try:
                batch.close()  # whole files only: a file being written when it failed was undone
            except BaseException as err:
                failure.append(err)
            done.set()

    thread = threading.Thread(target=writer, name="kb-writer", daemon=True)
    thread.start()

    def hand(item: tuple[str, _Result] | None) -> bool:
        while thread.is_alive():
            try:
                pending.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    raised: BaseException | None = None
    try:
        for item in results:
            if failure or not hand(item):
                break
    except BaseException as err:
        raised = err
    close = getattr(results, "close", None)
    while True:  # never leave while the writer still uses the connection, even on another Ctrl-C
        try:
            if raised is not None:
                stop.set()  # Ctrl-C: the writer finishes the file in hand, commits and stops
                with suppress(queue.Full):
                    pending.put_nowait(None)  # wakes a writer waiting for work
            if close is not None:
                close()  # stops the workers (after a Ctrl-C, or when the writer failed)
                close = None
            if raised is None:
                hand(None)
            # An Event can be waited on again after a Ctrl-C; a Thread.join() cut by one may mark
            # the thread finished while it still runs (CPython 3.11) and return at once next time.
            done.wait()
            break
        except BaseException as err:
            raised = raised or err
    if raised is not None:
        raise raised
    if failure:
        raise failure[0]


class _Batch:
    """Writes whole files in one transaction committed every BATCH_FILES files or BATCH_SECONDS:
    fewer commits (fsyncs), and a kill loses at most one batch of work while the database only ever
    holds whole files.

    There is no savepoint per file: FTS5 flushes its pending terms into a new index segment at every
    savepoint, so a savepoint per file made one segment per file to merge later (without them a 1k
    import took 3 % less time and made a 2 % smaller file). Instead, when writing a file fails midway (disk full, Ctrl-C), the whole open
    batch is rolled back and the files before it in the batch are written again in a transaction of
    their own (their records are kept until the batch commits: at most BATCH_FILES files)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.open = False
        self.written: list[Callable[[], FileOutcome]] = []
        self.since = 0.0

    def write(self, fn: Callable[[], FileOutcome]) -> FileOutcome:
        if not self.open:
            self.store.begin()
            self.open, self.since = True, time.monotonic()
        try:
            out = fn()
        except BaseException:
            self._undo_partial_file()
            raise
        self.written.append(fn)
        if len(self.written) >= BATCH_FILES or time.monotonic() - self.since >= BATCH_SECONDS:
            self.close()
        return out

    def _undo_partial_file(self) -> None:
        self.open = False
        self.store.rollback()
        written, self.written = self.written, []
        if not written:
            return
        try:
            with self.store.transaction():
                for fn in written:
                    fn()
        except BaseException:  # the error being raised already says what went wrong
            pass  # rolled back: the database stays whole, and these files are imported next time

    def close(self) -> None:
        if self.open:
            self.open = False
            self.written = []
            self.store.commit()


_Result = _Analysed | UnreadableFile | _Passing
HEAD_OUTCOMES = 1000


def _analyse_all(
    items: Iterator[_ToAnalyse | _Passing],
    encoding: str | None,
    names: Sequence[tuple[str, str]],
    jobs: int,
) -> Iterator[tuple[str, _Result]]:
    """Analyse files in order, in this process or in ``jobs`` workers, yielding results in input
    order; outcomes decided without analysis pass through in their place."""

    def local(item: _ToAnalyse) -> _Analysed | UnreadableFile:
        key, path, known = item
        return _safe(_analyse_path, path, key, encoding, names, known)

    it = iter(items)
    if jobs <= 1:
        for item in it:
            yield (item.path, item) if isinstance(item, _Passing) else (item[0], local(item))
        return
    # a pool only when a second file needs analysing (starting one for a single file costs more than
    # it saves); what comes between the two waits in order, a bounded number of outcomes at most
    head: list[_ToAnalyse | _Passing] = []
    analysable = 0
    for item in it:
        if not head and isinstance(item, _Passing):
            yield item.path, item  # nothing to wait for yet
            continue
        head.append(item)
        if not isinstance(item, _Passing):
            analysable += 1
        if analysable == 2 or len(head) >= HEAD_OUTCOMES:
            break
    else:
        for item in head:  # the input ended with at most one file to analyse: here, no pool
            yield (item.path, item) if isinstance(item, _Passing) else (item[0], local(item))
        return
    it = chain(head, it)
    ctx = mp.get_context("forkserver" if os.name == "posix" else "spawn")
    _start_quietly(ctx)
    window = jobs * 4  # bounded in-flight work: memory does not grow with the corpus
    alive_r, alive_w = ctx.Pipe(duplex=False)
    with closing(alive_w), closing(alive_r):
        pool = ProcessPoolExecutor(
            max_workers=jobs, mp_context=ctx, initializer=_init_worker, initargs=(alive_r,)
        )
        pending: deque[tuple[str, Future[_Analysed | UnreadableFile] | _Passing]] = deque()
        try:
            for item in it:
                if isinstance(item, _Passing):
                    pending.append((item.path, item))
                else:
                    key, path, known = item
                    pending.append(
                        (key, pool.submit(_safe, _analyse_path, path, key, encoding, names, known))
                    )
                if len(pending) >= window:
                    yield _ready(pending.popleft())
            while pending:
                yield _ready(pending.popleft())
        except BaseException:
            # stop the workers now (a Ctrl-C is the parent's to report) and wait for them, so no
            # half-started worker outlives the parent and prints its own traceback
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.terminate()
            # a Ctrl-C during submit() can cut the start of the pool's manager thread, which
            # shutdown() then cannot join: nothing is left to wait for, and the Ctrl-C is what to report
            with suppress(RuntimeError):
                pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)


def _ready(entry: tuple[str, Future[_Analysed | UnreadableFile] | _Passing]) -> tuple[str, _Result]:
    key, value = entry
    return key, value.result() if isinstance(value, Future) else value


def _safe(
    fn: Callable[..., _Analysed],
    path: str,
    key: str,
    encoding: str | None,
    names: Sequence[tuple[str, str]],
    known: frozenset[str],
) -> _Analysed | UnreadableFile:
    try:
        result = fn(path, encoding, names, known)
        result.path = key
        return result
    except UnreadableFile as err:
        return UnreadableFile(key, err.reason)
    except OSError as err:
        return UnreadableFile(key, f"cannot read: {err.strerror or err}")
    except KbError as err:
        return UnreadableFile(key, str(err))
    except Exception as err:  # a bug must cost one file, not the whole import
        return UnreadableFile(key, f"internal error while reading: {type(err).__name__}: {err}")


def _outcome(path: str, fmt: str, encoding: str, warnings: list[str]) -> FileOutcome:
    return FileOutcome(path, "imported", format=fmt, encoding=encoding, warnings=warnings)


def _write(store: Store, out: FileOutcome, file_id: int, ord_: int, item: PostRecord | str) -> str:
    """Write one post of a file; returns its uid. Counts go to ``out``."""
    if isinstance(item, str):
        if store.has_post(item):
            out.unchanged += 1
        else:  # removed meanwhile by another process: the next import of this file analyses it again
            out.warnings.append("a post changed during the import; run kb import again")
            store.mark_stale(file_id)
        return item
    if store.add_post(file_id, ord_, item):
        out.added += 1
        out.sections += sum(1 for sec in item.sections if sec[0] is not None)
        out.passages += len(item.passages)
        out.facts += len(item.facts)
        out.photos += item.photos
    else:
        out.unchanged += 1
    return item.uid


def _store(store: Store, a: _Analysed) -> FileOutcome:
    if not a.posts:
        # nothing to store; a file that used to hold posts keeps them until it is removed explicitly
        reason = "空のファイル (empty file)" if a.size == 0 else "投稿が見つかりません (no text)"
        return FileOutcome(
            a.path, "skipped", format=a.format, encoding=a.encoding, reason=reason, warnings=a.warnings
        )
    out = _outcome(a.path, a.format, a.encoding, list(a.warnings))  # a replay must not add twice
    file_id = store.begin_file(a.path, a.sha, a.size, a.format, a.encoding)
    keep = {_write(store, out, file_id, i, item) for i, item in enumerate(a.posts)}
    out.removed = store.finish_file(file_id, keep)
    return out


def _stream_file(
    store: Store,
    big: _Big,
    stop: threading.Event,
    *,
    encoding: str | None,
    names: Sequence[tuple[str, str]],
) -> FileOutcome:
    """Read a big file again and import it post by post; problems become its outcome."""
    try:
        with open(big.source, "rb") as fh:
            data = fh.read()
        return _stream(store, big.path, data, encoding, names, stop)
    except OSError as err:
        return FileOutcome(big.path, "skipped", reason=f"cannot read: {err.strerror or err}")
    except UnreadableFile as err:
        return FileOutcome(big.path, "skipped", reason=err.reason)


class _Stopped(BaseException):
    """The import was interrupted while a big file was being written: its transaction is undone."""


def _stream(
    store: Store,
    key: str,
    data: bytes,
    encoding: str | None,
    names: Sequence[tuple[str, str]],
    stop: threading.Event | None = None,
) -> FileOutcome:
    """Import one file in this process, writing each post as soon as it is analysed; when ``stop``
    is set between two posts, the file is undone (whole files only) and _Stopped is raised."""
    result, records = _records(key, data, encoding, names, store.known_uids(key))
    if not result.posts:
        reason = "空のファイル (empty file)" if not data else "投稿が見つかりません (no text)"
        return FileOutcome(
            key,
            "skipped",
            format=result.format,
            encoding=result.encoding,
            reason=reason,
            warnings=list(result.warnings),
        )
    out = _outcome(key, result.format, result.encoding, list(result.warnings))
    with store.transaction():
        file_id = store.begin_file(key, _sha(data), len(data), result.format, result.encoding)
        keep: set[str] = set()
        for i, item in enumerate(records):
            if stop is not None and stop.is_set():
                raise _Stopped
            keep.add(_write(store, out, file_id, i, item))
        out.removed = store.finish_file(file_id, keep)
    return out

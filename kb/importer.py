"""`kb import`: read files, analyse them (in worker processes when asked) and store them, one file per
transaction, skipping unchanged files and reporting bad ones by name."""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field

from kb.errors import KbError, UnreadableFile
from kb.store import PostRecord, Store

STDIN = "-"


@dataclass(slots=True)
class FileOutcome:
    """What happened to one input file."""

    path: str
    status: str  # "imported" | "unchanged" | "skipped" | "empty"
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


@dataclass(slots=True)
class ImportReport:
    """The summary of a `kb import` run."""

    db: str
    files: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0
    chars: int = 0

    def total(self, attr: str) -> int:
        return sum(int(getattr(f, attr)) for f in self.files)

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
    posts: list[PostRecord]
    chars: int


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def analyse_bytes(
    path: str, data: bytes, encoding: str | None, names: Sequence[tuple[str, str]]
) -> _Analysed:
    """Read, structure, segment and tag one file's content (runs in a worker process)."""
    from kb.pipeline import analyze_post
    from kb.reading import read_source

    result = read_source(path, data, encoding)
    posts = [analyze_post(raw, names) for raw in result.posts]
    return _Analysed(
        path,
        _sha(data),
        len(data),
        result.format,
        result.encoding,
        list(result.warnings),
        posts,
        sum(len(p.text) for p in posts),
    )


def _analyse_path(path: str, encoding: str | None, names: Sequence[tuple[str, str]]) -> _Analysed:
    with open(path, "rb") as fh:
        data = fh.read()
    return analyse_bytes(path, data, encoding, names)


def _init_worker() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool


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
    sources = list(iter_sources([p for p in paths if p != STDIN]))
    total = len(sources) + (1 if STDIN in paths else 0)
    done = 0

    def finish(outcome: FileOutcome) -> None:
        nonlocal done
        done += 1
        report.files.append(outcome)
        if progress:
            progress(outcome.path, done, total)

    if STDIN in paths and stdin_bytes is not None:
        data = stdin_bytes()
        key = f"<stdin>:{_sha(data)[:12]}"
        try:
            finish(_store(store, analyse_bytes(key, data, encoding, names)))
        except UnreadableFile as err:
            finish(FileOutcome(key, "skipped", reason=err.reason))

    todo: list[tuple[str, str]] = []  # (key, real path)
    for src in sources:
        if isinstance(src, UnreadableFile):
            finish(FileOutcome(src.path, "skipped", reason=src.reason))
            continue
        key = os.path.abspath(src.path)
        try:
            data = src.read_bytes()
        except OSError as err:
            finish(FileOutcome(key, "skipped", reason=f"cannot read: {err.strerror or err}"))
            continue
        if store.file_sha(key) == _sha(data):
            n = store.post_counts(key)
            finish(FileOutcome(key, "unchanged", unchanged=n))
            continue
        del data
        todo.append((key, src.path))

    for key, result in _analyse_all(todo, encoding, names, jobs):
        if isinstance(result, UnreadableFile):
            finish(FileOutcome(key, "skipped", reason=result.reason))
        else:
            report.chars += result.chars
            finish(_store(store, result))
    report.seconds = time.perf_counter() - started
    return report


def _analyse_all(
    todo: list[tuple[str, str]], encoding: str | None, names: Sequence[tuple[str, str]], jobs: int
) -> Iterator[tuple[str, _Analysed | UnreadableFile]]:
    """Analyse files in order, in this process or in ``jobs`` workers, yielding as they finish."""
    if jobs <= 1 or len(todo) <= 1:
        for key, path in todo:
            yield key, _safe(_analyse_path, path, key, encoding, names)
        return
    ctx = mp.get_context("forkserver" if os.name == "posix" else "spawn")
    window = jobs * 4  # bounded in-flight work: memory does not grow with the corpus
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker) as pool:
        pending: list[tuple[str, Future[_Analysed | UnreadableFile]]] = []
        it = iter(todo)
        try:
            for key, path in it:
                pending.append((key, pool.submit(_safe, _analyse_path, path, key, encoding, names)))
                if len(pending) >= window:
                    k, fut = pending.pop(0)
                    yield k, fut.result()
            for k, fut in pending:
                yield k, fut.result()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _safe(
    fn: Callable[..., _Analysed], path: str, key: str, encoding: str | None, names: Sequence[tuple[str, str]]
) -> _Analysed | UnreadableFile:
    try:
        result = fn(path, encoding, names)
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


def _store(store: Store, a: _Analysed) -> FileOutcome:
    if not a.posts:
        with store.transaction():
            added, unchanged, removed = store.replace_file(a.path, a.sha, a.size, a.format, a.encoding, [])
        return FileOutcome(
            a.path,
            "empty",
            removed=removed,
            format=a.format,
            encoding=a.encoding,
            reason="no posts found",
            warnings=a.warnings,
        )
    with store.transaction():
        added, unchanged, removed = store.replace_file(a.path, a.sha, a.size, a.format, a.encoding, a.posts)
    return FileOutcome(
        a.path,
        "imported",
        added=added,
        unchanged=unchanged,
        removed=removed,
        sections=sum(sum(1 for s in p.sections if s[0] is not None) for p in a.posts),
        passages=sum(len(p.passages) for p in a.posts),
        facts=sum(len(p.facts) for p in a.posts),
        photos=sum(p.photos for p in a.posts),
        format=a.format,
        encoding=a.encoding,
        warnings=a.warnings,
    )

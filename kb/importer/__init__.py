"""`kb import`: files are planned as they are reached (kb.importer.plan), analysed in this process or
in worker processes (kb.importer.pool) and stored by one writer thread (kb.importer.writer), whole
files in batched transactions; unchanged files are skipped, bad ones reported by name."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager

from kb.importer.interrupt import checkpoints
from kb.importer.plan import plan_files
from kb.importer.pool import analyse_all
from kb.importer.report import FileOutcome, ImportReport
from kb.importer.writer import write_all
from kb.pipeline import forget_words
from kb.reading import iter_sources
from kb.record import record
from kb.store import Store

__all__ = ["FileOutcome", "ImportProgress", "ImportReport", "import_paths"]


@record(frozen=True, slots=True)
class ImportProgress:
    """How far an import is: the file just finished, files done, files in all (0 when not counted)."""

    path: str
    done: int
    total: int


def import_paths(
    store: Store,
    paths: Sequence[str],
    *,
    encoding: str | None = None,
    jobs: int = 1,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    progress: Callable[[ImportProgress], None] | None = None,
) -> ImportReport:
    """Import files and folders (``-`` is standard input) into the store; ``include`` and ``exclude``
    are globs over the paths inside the folders (ripgrep's -g: a leading ! excludes)."""
    started = time.perf_counter()
    report = ImportReport(db=store.path)
    names = store.names.all()
    forget_words()
    total = 0
    if progress:  # for the progress bar only: counting walks the folders once more, cheaply
        total = sum(1 for _ in iter_sources([p for p in paths if p != "-"], include, exclude)) + (
            "-" in paths
        )
    done = 0

    def finish(outcome: FileOutcome) -> None:
        nonlocal done
        done += 1
        report.add(outcome)
        if progress:
            progress(ImportProgress(outcome.path, done, total))

    # checkpoints(): a Ctrl-C never lands inside a lock of the queue or the pool (kb.importer.interrupt)
    with checkpoints(), closing(store.reader()) as reader, few_collections():
        planned = plan_files(iter_sources(paths, include, exclude), reader)
        write_all(store, analyse_all(planned, encoding, names, jobs), finish, names, encoding)
    store.release_free_pages()
    report.seconds = time.perf_counter() - started
    return report


GC_THRESHOLD = 50_000  # allocations between young collections during an import (Python's default: 700)


@contextmanager
def few_collections() -> Iterator[None]:
    """Cyclic garbage collection kept out of the way of an import: what exists at its start (modules,
    the dictionary) is frozen out of every collection, and young collections run 70 times less often.
    An import's objects form few cycles; without this the collector ran about 2,500 times per 1,000
    files, walking every live object each time it reached the oldest generation."""
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, old[1], old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()

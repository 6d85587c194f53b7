"""Writing analysed files: one writer thread, whole files in batched transactions, and what a file's
posts mean for the posts already stored (kept, shared with another file, edited, added, removed).

No transaction lasts much longer than BATCH_SECONDS, so that another writer (a second import, `kb
names add`) waits seconds at most: a batch is committed once it is that old, or as soon as the
writer has waited that long for the next file; a big file is analysed part by part outside any
transaction and each part written in a transaction of its own (see stream_big for what an import cut
short leaves then)."""

from __future__ import annotations

import difflib
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from functools import partial

from kb.errors import DatabaseError, KbError, UnreadableFile
from kb.importer.interrupt import POLL_SECONDS, check, deferred
from kb.importer.plan import Big, Moved
from kb.importer.pool import Analysed, Result
from kb.importer.report import IMPORTED, MOVED, SKIPPED, FileOutcome
from kb.models import PostRecord
from kb.pipeline import AnalysedFile, analyse_posts
from kb.reading import read_source
from kb.store import HeldPost, Store, Writes
from kb.structure import build_post

BATCH_FILES = 200
BATCH_SECONDS = 1.0
PART_POSTS = 500  # a big file's posts written in one transaction at most (or BATCH_SECONDS of analysis)
WRITE_QUEUE = 8  # analysed files waiting for the writer at most: memory stays bounded
SAME_POST = 0.8  # how alike two texts must be for an edited post to keep its number (title changed)
SAME_TITLED_POST = 0.5  # … when the title is unchanged


def write_all(
    store: Store,
    results: Iterator[Result],
    finish: Callable[[FileOutcome], None],
    names: Sequence[tuple[str, str]],
    encoding: str | None,
) -> None:
    """Store analysed files in a writer thread while this thread analyses (or collects from the
    workers) the next ones. SQLite releases the GIL while it writes, so part of the writing overlaps
    with the analysis (bench/README.md has the measured gain and cost). One thread writes; whole
    files only."""
    store.use_wal()  # searches and other imports go on while this one writes
    writer = Writer(store, finish, names, encoding)
    writer.start()
    raised: BaseException | None = None
    try:
        for item in results:
            if writer.failure or not writer.hand(item):
                break
    except BaseException as err:
        raised = err
    raised = writer.wind_down(raised, getattr(results, "close", None))
    if raised is not None:
        raise raised
    if writer.failure:
        raise writer.failure[0]


class Writer:
    """The writer thread and the importing thread's side of it: files handed over a bounded queue,
    a stop that lets the file in hand finish, and the first error the thread met (``failure``),
    which the importing thread raises."""

    def __init__(
        self,
        store: Store,
        finish: Callable[[FileOutcome], None],
        names: Sequence[tuple[str, str]],
        encoding: str | None,
    ) -> None:
        self.store, self.finish, self.names, self.encoding = store, finish, names, encoding
        self.pending: queue.Queue[Result | None] = queue.Queue(WRITE_QUEUE)
        self.stop = threading.Event()  # set by the importing thread: finish the file in hand, then stop
        self.done = threading.Event()  # set by the writer when it no longer uses the connection
        self.failure: list[BaseException] = []
        self.thread = threading.Thread(target=self._run, name="kb-writer", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def hand(self, item: Result | None) -> bool:
        """Give the writer the next item; False when the writer has stopped."""
        with deferred:  # the queue's lock: short waits, a Ctrl-C taken between them
            while self.thread.is_alive():
                try:
                    self.pending.put(item, timeout=POLL_SECONDS)
                    return True
                except queue.Full:
                    check()
            return False

    def wind_down(
        self, raised: BaseException | None, close: Callable[[], None] | None
    ) -> BaseException | None:
        """End the import: after a Ctrl-C (``raised``) or a failure, stop the writer at the next file
        and the workers (``close``, the results' own close); otherwise hand the writer the end.
        Returns only once the writer no longer uses the connection, even through another Ctrl-C;
        gives what the importing thread is to raise."""
        while True:
            try:
                with deferred:  # events, the queue and the pool take locks (kb.importer.interrupt)
                    if raised is not None:
                        self.stop.set()  # Ctrl-C: the writer finishes the file in hand, commits, stops
                        with suppress(queue.Full):
                            self.pending.put_nowait(None)  # wakes a writer waiting for work
                    if close is not None:
                        close()  # stops the workers (after a Ctrl-C, or when the writer failed)
                        close = None
                    if raised is None:
                        self.hand(None)
                    # An Event, not Thread.join(): a join cut by a Ctrl-C may mark the thread
                    # finished while it still runs (CPython 3.11).
                    while not self.done.wait(POLL_SECONDS):
                        check()
                return raised
            except BaseException as err:
                raised = raised or err

    def _run(self) -> None:
        batch = Batch(self.store)
        try:
            while not self.stop.is_set():
                try:  # an open batch is committed when no file comes for the rest of its time
                    item = self.pending.get(timeout=batch.time_left()) if batch.open else self.pending.get()
                except queue.Empty:
                    batch.close()
                    continue
                if item is None or self.stop.is_set():
                    break
                self._write(item, batch)
        except BaseException as err:  # handed to the importing thread, which raises it
            self.failure.append(err)
        finally:
            try:
                batch.close()  # whole files only: a file being written when it failed was undone
            except BaseException as err:
                self.failure.append(err)
            self.done.set()

    def _write(self, item: Result, batch: Batch) -> None:
        if isinstance(item, FileOutcome):
            self.finish(item)
        elif isinstance(item, Big):
            batch.close()  # a big file is written in transactions of its own
            self.finish(stream_big(self.store, item, self.names, self.encoding, self.stop))
        elif isinstance(item, Moved):
            self.finish(batch.write(partial(record_move, self.store, item)))
        elif isinstance(item, Analysed):
            self.finish(batch.write(partial(store_analysed, self.store, item)))


class Batch:
    """Writes whole files in one transaction committed every BATCH_FILES files or BATCH_SECONDS (or
    once the writer has waited for the next file until the batch is that old): fewer commits
    (fsyncs), and a kill loses at most one batch of work while the database only ever holds whole
    files (a big file is the exception: see stream_big).

    There is no savepoint per file: FTS5 flushes its pending terms into a new index segment at every
    savepoint (a savepoint per file made one segment per file to merge later). Instead, when writing
    a file fails midway (disk full, Ctrl-C), the whole open batch is rolled back and the files before
    it in the batch are written again in a transaction of their own (their work is kept until the
    batch commits: at most BATCH_FILES files)."""

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

    def time_left(self) -> float:
        """Seconds until the open batch is BATCH_SECONDS old."""
        return max(0.0, BATCH_SECONDS - (time.monotonic() - self.since))

    def close(self) -> None:
        if self.open:
            self.open = False
            self.written = []
            self.store.commit()


def record_move(store: Store, item: Moved) -> FileOutcome:
    """A file found under a new path with the content it had: its posts follow it."""
    store.writes.move_file(item.file_id, item.key)
    return FileOutcome(
        item.key, MOVED, unchanged=len(store.writes.held(item.file_id)), moved_from=item.old_path
    )


def store_analysed(store: Store, a: Analysed) -> FileOutcome:
    if isinstance(a.result, UnreadableFile):
        return FileOutcome(a.key, SKIPPED, reason=a.result.reason)
    if not a.result.posts:
        return _empty(a.key, a.size, a.result)
    uids = [p if isinstance(p, str) else p.uid for p in a.result.posts]
    return store_file(store, a.key, a.sha, a.size, a.result, iter(a.result.posts), uids)


def _empty(key: str, size: int, analysed: AnalysedFile) -> FileOutcome:
    """A file with no post: skipped; a file that used to hold posts keeps them until it is removed."""
    reason = "空のファイル (empty file)" if size == 0 else "投稿が見つかりません (no text)"
    return FileOutcome(
        key,
        SKIPPED,
        format=analysed.format,
        encoding=analysed.encoding,
        reason=reason,
        warnings=analysed.warnings,
    )


def store_file(
    store: Store,
    key: str,
    sha: str,
    size: int,
    analysed: AnalysedFile,
    posts: Iterator[PostRecord | str],
    uids: Sequence[str],
) -> FileOutcome:
    """Write one file's posts as they come, inside the caller's transaction (``uids`` are those of all
    its posts, known before they are analysed)."""
    file = FileWrite(store, key, size, analysed, uids)
    file.begin_part(sha)
    for item in posts:
        file.add(item)
    return file.finish(sha)


class FileWrite:
    """One file's posts, written in one transaction or, for a big file, in several (a part each). A
    post already stored is linked, an edited one keeps its number, a new one is added, and the posts
    the file no longer holds are removed unless another file holds them too: that happens when the
    last part is written. Until then every part leaves the file linked to the posts written so far
    and to those it held before, so an import cut short between two parts orphans nothing."""

    def __init__(
        self,
        store: Store,
        key: str,
        size: int,
        analysed: AnalysedFile,
        uids: Sequence[str],
        stop: threading.Event | None = None,
    ) -> None:
        self.store, self.key, self.size, self.analysed, self.uids, self.stop = (
            store, key, size, analysed, uids, stop,
        )  # fmt: skip
        self.out = FileOutcome(key, IMPORTED, format=analysed.format, encoding=analysed.encoding)
        self.out.warnings = list(analysed.warnings)  # a replay must not add twice
        self.old: list[HeldPost] | None = None  # what the file held before: read by the first part
        self.editable: list[HeldPost] = []
        self.old_uids: set[str] = set()
        self.ids: list[int] = []  # the file's posts so far, in file order
        self.file_id = 0
        self.stale = False

    def begin_part(self, sha: str) -> None:
        """Inside a transaction, before a part's posts. ``sha`` is recorded for the file: the real one
        for a file written at once, "" for one written in parts until its last part is written."""
        w = self.store.writes
        if self.old is None:
            known = w.file(self.key)
            self.old = w.held(known.id) if known is not None else []
            present = set(self.uids)
            # an old post of this file that it no longer holds as it was, and no other file holds,
            # may have been edited: a new post that reads like it takes its number
            self.editable = [h for h in self.old if h.uid not in present and h.holders == 1]
            self.old_uids = {h.uid for h in self.old}
        else:  # between two parts another process may have removed posts (kb remove)
            alive = self.store.posts.existing([*self.ids, *(h.post_id for h in self.editable)])
            if any(pid not in alive for pid in self.ids):
                self._changed_meanwhile()
            self.ids = [pid for pid in self.ids if pid in alive]
            self.editable = [h for h in self.editable if h.post_id in alive]
        fmt, enc = self.analysed.format, self.analysed.encoding
        self.file_id = w.save_file(self.key, "" if self.stale else sha, self.size, fmt, enc)

    def add(self, item: PostRecord | str) -> None:
        if self.stop is not None and self.stop.is_set():
            raise Stopped
        w = self.store.writes
        uid = item if isinstance(item, str) else item.uid
        pid = w.post_for(uid)
        if pid is not None:
            self.ids.append(pid)
            if uid in self.old_uids:
                self.out.unchanged += 1
            else:
                self.out.duplicate += 1
        elif isinstance(item, str):  # removed meanwhile by another process: analysed next time
            self._changed_meanwhile()
        else:
            self.ids.append(_add_or_update(w, item, self.editable, self.out))

    def end_part(self) -> None:
        """After a part that is not the last: the file holds what is written so far, and keeps what
        it held before (whatever the file no longer holds goes when its last part is written)."""
        written = set(self.ids)
        before = [h.post_id for h in self.old or () if h.post_id not in written]
        alive = self.store.posts.existing(before)
        self.store.writes.set_links(self.file_id, [*self.ids, *(pid for pid in before if pid in alive)])

    def finish(self, sha: str) -> FileOutcome:
        """After the last part: the file holds its posts, the ones it no longer holds go, and its
        checksum says it is whole (unless a post changed meanwhile: then the next import reads it)."""
        w = self.store.writes
        w.set_links(self.file_id, self.ids)
        gone = {h.post_id for h in self.old or ()} - set(self.ids)
        self.out.removed = w.remove_posts(w.orphans(gone)) if gone else 0
        fmt, enc = self.analysed.format, self.analysed.encoding
        w.save_file(self.key, "" if self.stale else sha, self.size, fmt, enc)
        return self.out

    def _changed_meanwhile(self) -> None:
        if not self.stale:
            self.out.warnings.append("取り込み中に投稿が変わりました; もう一度 kb import を実行してください")
        self.stale = True


def _add_or_update(w: Writes, record: PostRecord, editable: list[HeldPost], out: FileOutcome) -> int:
    match = _edited(record, editable, w.body)
    if match is not None:
        editable.remove(match)
        w.replace_post(match.post_id, record)
        out.updated += 1
        pid = match.post_id
    else:
        pid = w.add_post(record)
        out.added += 1
    out.sections += sum(1 for s in record.sections if s.heading is not None)
    out.passages += len(record.passages)
    out.facts += len(record.facts)
    out.photos += record.photos
    return pid


def _edited(record: PostRecord, candidates: list[HeldPost], body: Callable[[int], str]) -> HeldPost | None:
    """The stored post a new record is an edit of: its title and most of its text unchanged, or nearly
    all of its text when the title changed."""
    new_body = record.text[record.body_start :].splitlines()
    best: tuple[float, HeldPost] | None = None
    for h in candidates:
        matcher = difflib.SequenceMatcher(None, body(h.post_id).splitlines(), new_body, autojunk=False)
        need = SAME_TITLED_POST if h.title == record.title else SAME_POST
        if matcher.real_quick_ratio() < need or matcher.quick_ratio() < need:
            continue
        ratio = matcher.ratio()
        if ratio >= need and (best is None or ratio > best[0]):
            best = (ratio, h)
    return None if best is None else best[1]


class Stopped(BaseException):
    """The import was interrupted while a big file was being written: the part in hand is undone."""


def stream_big(
    store: Store, big: Big, names: Sequence[tuple[str, str]], encoding: str | None, stop: threading.Event
) -> FileOutcome:
    """Analyse and write a big file part by part; problems become its outcome. Each part (PART_POSTS
    posts, or BATCH_SECONDS of analysis) is analysed outside any transaction, then written in one.

    What an import cut short (kill, Ctrl-C, a full disk) between two parts leaves: every post written
    whole and linked to the file, the posts the file held before still there, and the file recorded
    with an empty checksum, so the next import reads it again, finds the posts written (by their
    content) instead of analysing them again, and completes it; nothing is lost. When ``stop`` is set
    between two posts the part in hand is undone and Stopped is raised."""
    try:
        result = read_source(big.key, big.data, encoding)
    except UnreadableFile as err:
        return FileOutcome(big.key, SKIPPED, reason=err.reason)
    known = store.writes.file(big.key)
    held = frozenset(h.uid for h in store.writes.held(known.id)) if known is not None else frozenset()
    analysed = AnalysedFile(result.format, result.encoding, list(result.warnings))
    if not result.posts:
        return _empty(big.key, len(big.data), analysed)
    uids = [build_post(raw).uid for raw in result.posts]  # structure only: cheap beside analysis
    file = FileWrite(store, big.key, len(big.data), analysed, uids, stop)
    try:
        for part, last in _parts(_analysed(big.key, analyse_posts(result.posts, names, held)), stop):
            with store.transaction():
                file.begin_part(big.sha if last and file.old is None else "")
                for item in part:
                    file.add(item)
                if last:
                    return file.finish(big.sha)
                file.end_part()
    except UnreadableFile as err:  # a post kb cannot store (too long): the parts written stay unfinished
        return FileOutcome(big.key, SKIPPED, reason=err.reason)
    except KbError as err:
        if isinstance(err, DatabaseError):
            raise  # the disk or the database, not this file: the import stops and says so
        return FileOutcome(big.key, SKIPPED, reason=str(err))
    return file.out  # not reached: the last part returns


def _analysed(key: str, posts: Iterator[PostRecord | str]) -> Iterator[PostRecord | str]:
    """A big file's posts as they are analysed; a bug in the analysis costs this file only, as it
    does for any other file (kb.importer.pool.analyse)."""
    try:
        yield from posts
    except KbError:
        raise
    except Exception as err:
        raise UnreadableFile(
            key, f"読み込み中の内部エラー (internal error): {type(err).__name__}: {err}"
        ) from None


def _parts(
    posts: Iterator[PostRecord | str], stop: threading.Event
) -> Iterator[tuple[list[PostRecord | str], bool]]:
    """The analysed posts in parts of at most PART_POSTS posts or BATCH_SECONDS of analysis, each
    with whether it is the last. Analysis happens here, as the parts are taken."""
    part: list[PostRecord | str] = []
    started = time.monotonic()
    for item in posts:
        if stop.is_set():
            raise Stopped
        part.append(item)
        if len(part) >= PART_POSTS or time.monotonic() - started >= BATCH_SECONDS:
            following = next(posts, None)
            if following is None:
                break
            yield part, False
            part, started = [following], time.monotonic()
    yield part, True

"""Ctrl-C during an import, kept out of the places where it would leave a lock held.

Python raises KeyboardInterrupt wherever the main thread happens to be. Raised between a lock's
acquire and the ``try`` that releases it (inside queue.Queue, a Future, an Event or the process
pool's bookkeeping), it leaves that lock held, and the writer thread or the pool's manager thread
then waits for it forever: an import that hung after Ctrl-C instead of stopping (seen once in a CI
run of the Ctrl-C test). So while an import runs (``checkpoints``), the importing thread's waits on
such objects are ``deferred`` regions: a Ctrl-C there only sets a flag, which is raised as
KeyboardInterrupt when the region ends or at the next ``check`` between two short waits (every such
wait is bounded: POLL_SECONDS). Anywhere else (reading a file or a pipe, analysing a post) a Ctrl-C
stops the import at once, as it always did.

While the import stops, a second Ctrl-C changes nothing; a third ends the process at once (SIGINT's
default action), the way out should a stop ever hang: the database holds whole transactions only.

The handler uses no lock itself (plain module variables): it runs in the main thread, between two
bytecodes of whatever that thread was doing, possibly while it holds a lock.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType, TracebackType

POLL_SECONDS = 0.05  # the longest a deferred wait goes without looking at the flag
FORCE_AFTER = 3  # the Ctrl-C that ends the process at once

_active = False  # checkpoints() installed the handler (in the main thread)
_depth = 0  # deferred regions the main thread is in
_pending = False  # a Ctrl-C came inside a deferred region and is not yet raised
_pressed = 0  # Ctrl-Cs since the import started


def _on_sigint(_signum: int, _frame: FrameType | None) -> None:
    global _pressed, _pending
    _pressed += 1
    if _pressed >= FORCE_AFTER:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
        return
    if _depth or _pressed > 1:  # inside a wait on a lock, or already stopping: raised at a checkpoint
        _pending = True
        return
    raise KeyboardInterrupt


@contextmanager
def checkpoints() -> Iterator[None]:
    """Ctrl-C handled as this module says for the duration of the block, when this is the main
    thread and Ctrl-C has Python's own handler (a program embedding kb that handles SIGINT itself
    keeps its handler)."""
    global _active, _depth, _pending, _pressed
    if (
        _active
        or threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield
        return
    _active, _depth, _pending, _pressed = True, 0, False, 0
    signal.signal(signal.SIGINT, _on_sigint)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        _active, _depth, _pending, _pressed = False, 0, False, 0


class _Deferred:
    """The region of a wait on a lock-holding object: a Ctrl-C inside it is raised when it ends."""

    def __enter__(self) -> None:
        global _depth
        if _active and threading.current_thread() is threading.main_thread():
            _depth += 1

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        global _depth
        if _active and threading.current_thread() is threading.main_thread():
            _depth -= 1
            if exc_type is None and not _depth:
                check()


deferred = _Deferred()


def check() -> None:
    """Raise KeyboardInterrupt here if a Ctrl-C came in a deferred region and is not yet raised.
    Called by the importing thread between two short waits, where no lock is held."""
    global _pending
    if _pending and threading.current_thread() is threading.main_thread():
        _pending = False
        raise KeyboardInterrupt

"""Ctrl-C during an import, taken at kb's own checkpoints.

Python raises KeyboardInterrupt wherever the main thread happens to be. Raised between a lock's
acquire and the ``try`` that releases it (inside queue.Queue, a Future or the process pool's
bookkeeping), it leaves that lock held, and the writer thread or the pool's manager thread then
waits for it forever: an import that hung after Ctrl-C instead of stopping (seen once in a CI run
of the Ctrl-C test). So during an import SIGINT only sets a flag, and the importing thread looks at
it between its own short waits (``check``), where stopping is safe. Every wait of that thread is
bounded (at most POLL_SECONDS, or one chunk of analysis), so Ctrl-C still stops an import within a
fraction of a second.

A second Ctrl-C while the import stops changes nothing (the stop is already under way); a third
raises KeyboardInterrupt at once, the way out should a stop ever hang.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

POLL_SECONDS = 0.05  # the longest the importing thread waits without looking at the flag
FORCE_AFTER = 3  # the Ctrl-C that interrupts at once

_pressed = 0
_pending = threading.Event()


def _on_sigint(_signum: int, _frame: FrameType | None) -> None:
    global _pressed
    _pressed += 1
    if _pressed >= FORCE_AFTER:
        raise KeyboardInterrupt
    _pending.set()


@contextmanager
def checkpoints() -> Iterator[None]:
    """SIGINT as a flag for the duration of the block, when this is the main thread and Ctrl-C has
    Python's own handler (a program embedding kb that handles SIGINT itself keeps its handler; a
    Ctrl-C it lets through as KeyboardInterrupt is still handled by the import). A Ctrl-C not yet
    taken when the block ends is raised then."""
    global _pressed
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield
        return
    _pressed = 0
    _pending.clear()
    signal.signal(signal.SIGINT, _on_sigint)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    check()


def check() -> None:
    """Raise KeyboardInterrupt here if Ctrl-C was pressed and not yet taken."""
    if _pending.is_set():
        _pending.clear()
        raise KeyboardInterrupt

"""Ctrl-C during an import never lands inside a lock (kb.importer.interrupt)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import pytest

from kb.importer.interrupt import check, checkpoints, deferred


def _ctrl_c() -> None:
    os.kill(os.getpid(), signal.SIGINT)  # the handler runs before os.kill returns


def test_outside_a_deferred_region_ctrl_c_stops_at_once() -> None:
    reached = []
    with pytest.raises(KeyboardInterrupt), checkpoints():
        _ctrl_c()
        reached.append("after the signal")
    assert reached == []
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_inside_a_deferred_region_it_is_raised_when_the_region_ends() -> None:
    reached = []
    with pytest.raises(KeyboardInterrupt), checkpoints():
        with deferred:
            _ctrl_c()
            reached.append("inside, after the signal")
            with deferred:  # nested: raised only when the outermost region ends
                pass
            reached.append("after the inner region")
        reached.append("after the region")
    assert reached == ["inside, after the signal", "after the inner region"]


def test_check_takes_it_between_two_waits() -> None:
    reached = []
    with pytest.raises(KeyboardInterrupt), checkpoints(), deferred:
        _ctrl_c()
        reached.append("before the check")
        check()
        reached.append("after the check")
    assert reached == ["before the check"]


def test_a_second_ctrl_c_while_stopping_changes_nothing() -> None:
    with checkpoints():
        with pytest.raises(KeyboardInterrupt):
            _ctrl_c()
        _ctrl_c()  # the import is stopping: left for a checkpoint, not raised here
        with pytest.raises(KeyboardInterrupt):
            check()


def test_the_third_ctrl_c_ends_the_process_at_once() -> None:
    code = (
        "import os, signal\n"
        "from kb.importer.interrupt import checkpoints, deferred\n"
        "with checkpoints(), deferred:\n"
        "    for _ in range(3):\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "print('not reached')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGINT and "not reached" not in proc.stdout, proc


def test_without_ctrl_c_everything_runs_and_the_handler_is_restored() -> None:
    with checkpoints(), deferred:
        check()
    check()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_handler_of_the_embedding_program_is_left_alone() -> None:
    seen: list[int] = []
    old = signal.signal(signal.SIGINT, lambda signum, _frame: seen.append(signum))
    try:
        with checkpoints(), deferred:
            _ctrl_c()
            check()
        assert seen == [signal.SIGINT]
    finally:
        signal.signal(signal.SIGINT, old)


def test_outside_the_main_thread_nothing_is_installed() -> None:
    handlers: list[object] = []

    def run() -> None:
        with checkpoints(), deferred:
            handlers.append(signal.getsignal(signal.SIGINT))
            check()

    t = threading.Thread(target=run)
    t.start()
    t.join()
    assert handlers == [signal.default_int_handler]

"""Ctrl-C during an import is a flag taken at kb's checkpoints (kb.importer.interrupt)."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from kb.importer.interrupt import check, checkpoints


def _ctrl_c() -> None:
    os.kill(os.getpid(), signal.SIGINT)


def test_ctrl_c_waits_for_a_checkpoint_and_is_raised_there() -> None:
    reached = []
    with pytest.raises(KeyboardInterrupt), checkpoints():
        _ctrl_c()
        reached.append("after the signal")  # not raised where the signal landed
        check()
        reached.append("after the checkpoint")
    assert reached == ["after the signal"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_ctrl_c_not_taken_inside_is_raised_when_the_block_ends() -> None:
    with pytest.raises(KeyboardInterrupt), checkpoints():
        _ctrl_c()
    check()  # taken once: nothing left over


def test_second_ctrl_c_changes_nothing_the_third_interrupts_at_once() -> None:
    with pytest.raises(KeyboardInterrupt), checkpoints():
        _ctrl_c()
        _ctrl_c()
        with pytest.raises(KeyboardInterrupt):
            _ctrl_c()  # the way out should a stop hang
        check()


def test_without_ctrl_c_the_block_runs_through() -> None:
    with checkpoints():
        check()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_handler_of_the_embedding_program_is_left_alone() -> None:
    seen: list[int] = []
    old = signal.signal(signal.SIGINT, lambda signum, _frame: seen.append(signum))
    try:
        with checkpoints():
            _ctrl_c()
            check()
        assert seen == [signal.SIGINT]
    finally:
        signal.signal(signal.SIGINT, old)


def test_outside_the_main_thread_nothing_is_installed() -> None:
    handlers: list[object] = []

    def run() -> None:
        with checkpoints():
            handlers.append(signal.getsignal(signal.SIGINT))

    t = threading.Thread(target=run)
    t.start()
    t.join()
    assert handlers == [signal.default_int_handler]

"""Work in a forked process: its success, its exception and its death each reach the parent."""

from __future__ import annotations

import os
import signal

import pytest

from pipeline.forked import Forked, ForkFailed


def _write(path, text):
    path.write_text(text)


def _raise(message):
    raise LookupError(message)


def _die():
    os.kill(os.getpid(), signal.SIGKILL)


def test_the_work_is_done_in_another_process(tmp_path):
    work = Forked("writing", _write, tmp_path / "out.txt", f"from {os.getpid()}")
    work.check()
    assert (tmp_path / "out.txt").read_text() == f"from {os.getpid()}"
    assert work.join() == 0  # joining again is harmless


def test_an_exception_is_told_to_the_parent():
    work = Forked("looking up", _raise, "no such quarter: 2031-Q5")
    with pytest.raises(ForkFailed, match=r"^looking up failed: LookupError: no such quarter: 2031-Q5$"):
        work.check()
    assert work.join() == 1


def test_a_process_that_dies_is_named_with_its_signal():
    with pytest.raises(ForkFailed, match=r"^dying failed: killed by signal 9$"):
        Forked("dying", _die).check()

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


def _fork_from_a_daemon(path):
    Forked("writing", _write, path, "written").check()


def test_a_daemonic_process_may_fork_too(tmp_path):
    # a Celery pool process is daemonic: multiprocessing alone refuses it children
    import multiprocessing

    daemon = multiprocessing.get_context("fork").Process(
        target=_fork_from_a_daemon, args=(tmp_path / "out.txt",), daemon=True
    )
    daemon.start()
    daemon.join()
    assert daemon.exitcode == 0
    assert (tmp_path / "out.txt").read_text() == "written"


def _sleep_long():
    import time

    time.sleep(60)


def _fork_and_get_killed(pid_file):
    # as in a task process: a SIGTERM handler of its own (Airflow's), which the child inherits
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    work = Forked("sleeping", _sleep_long)
    pid_file.write_text(str(work._process.pid))
    os.kill(os.getpid(), signal.SIGKILL)


def test_the_child_dies_with_the_process_that_forked_it(tmp_path):
    import multiprocessing
    import time

    parent = multiprocessing.get_context("fork").Process(
        target=_fork_and_get_killed, args=(tmp_path / "pid",)
    )
    parent.start()
    parent.join()
    child = int((tmp_path / "pid").read_text())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        # an orphan is reparented; a zombie waits for a reaper: dead either way when its state is Z
        if open(f"/proc/{child}/stat").read().rsplit(")", 1)[1].split()[0] == "Z":
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the forked child outlived the process that forked it")


def test_a_process_that_dies_is_named_with_its_signal():
    with pytest.raises(ForkFailed, match=r"^dying failed: killed by signal 9$"):
        Forked("dying", _die).check()

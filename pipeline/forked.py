"""Our own work in a forked child process, beside the caller's: started now, joined later.

A fork starts at once and inherits what the parent imported (a worker preloads dbt and Great
Expectations, ctm/preload.py), so it suits trusted work of our own: dbt in a worker (its DuckDB
connection ends with the child) and the .xlsx written on the second core while the rest of a
release is. A hostile file is never read in a fork (pipeline/isolation.py starts a fresh, limited
interpreter). Fork only where the parent has no DuckDB database open: its threads do not survive a
fork, and the child would find the database in a state no thread can finish.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from typing import Any


class ForkFailed(RuntimeError):
    """The forked work raised, or its process died."""


def _die_with_parent(parent: int) -> None:
    """Linux: the child is killed when the process that forked it ends (a task killed by Airflow
    does not leave its dbt build running). SIGKILL: the child inherits its parent's handlers (the
    task runner's for SIGTERM), which must not run in it. Elsewhere the child is only joined."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it ended before the request was made: nobody is waiting
        os._exit(1)


def _run(send, function: Callable[..., Any], args: tuple, parent: int) -> None:
    _die_with_parent(parent)
    try:
        function(*args)
    except SystemExit:
        raise
    except BaseException as exc:  # noqa: BLE001 - told to the parent, which raises it as ForkFailed
        send.send(f"{type(exc).__name__}: {exc}")
        raise SystemExit(1) from None
    finally:
        send.close()


class Forked:
    """`function(*args)` in a forked process (multiprocessing's fork: the child runs its finalisers,
    and none of the parent's exit handlers). `join()` waits and returns the exit code; `check()`
    waits and raises ForkFailed unless the work succeeded."""

    def __init__(self, name: str, function: Callable[..., Any], *args: Any) -> None:
        self.name = name
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        self._receive: Any = receive
        sys.stdout.flush()
        sys.stderr.flush()
        self._process = context.Process(target=_run, args=(send, function, args, os.getpid()), name=name)
        # A Celery pool process is daemonic, and multiprocessing refuses a daemonic process children
        # lest they outlive it. Ours cannot: it is joined before the caller goes on, and dies with it.
        config = multiprocessing.current_process()._config
        daemonic = config.pop("daemon", None)
        try:
            self._process.start()
        finally:
            if daemonic is not None:
                config["daemon"] = daemonic
        send.close()
        self.error: str | None = None

    def join(self) -> int:
        if self._receive is not None:  # the first join
            self._process.join()
            try:
                if self._receive.poll():
                    self.error = self._receive.recv()
            except EOFError:
                pass
            self._receive.close()
            self._receive = None
        return self._process.exitcode

    def check(self) -> None:
        code = self.join()
        if code != 0:
            why = self.error or (f"killed by signal {-code}" if code < 0 else f"exit {code}")
            raise ForkFailed(f"{self.name} failed: {why}")

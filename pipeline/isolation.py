"""Readers run in a child process with a memory and a time limit.

The readers already refuse what they can see is too big (file size, unpacked size, repeated rows
and columns), but a file can still break one in a way nobody foresaw: a pathological layout that
takes hours, an allocation pattern the limits do not count, a crash in native code. Whatever the
file does, it does it to a child process: past the memory limit the child gets a MemoryError,
past the time limit it is killed, and if it dies the parent says how. The caller turns each into
a quarantine with a report; the files beside and after it are read as usual.

The child is a fresh interpreter (`python -m pipeline.isolation`), not a fork (pipeline/forked.py,
for our own work): a hostile file meets a process that inherits nothing but the file's path, with
limits set before it is opened, whatever state the parent is in. It costs about half a second a file.
"""

from __future__ import annotations

import importlib
import pickle
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pipeline.problems import RejectedFile, reject

_FIX = (
    "Check the file opens in a spreadsheet program and is what it should be, and send it again; if it "
    "does and is, tell the pipeline's maintainers (the limits are CTM_READER_MEMORY_BYTES and "
    "CTM_READER_SECONDS)."
)


@dataclass(frozen=True)
class ReaderLimits:
    memory_bytes: int
    seconds: float


def _child() -> None:
    """The child's side: read (function, args, kwargs, memory, sys.path) from stdin, write the outcome."""
    module, name, args, kwargs, memory_bytes, path = pickle.load(sys.stdin.buffer)
    sys.path[:] = path  # the parent's, so the reader imports as it did there
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        outcome = ("ok", getattr(importlib.import_module(module), name)(*args, **kwargs))
    except MemoryError:
        outcome = ("memory", None)
    except RejectedFile as rejection:
        outcome = ("rejected", rejection.problems)
    except Exception as exc:  # a reader that broke: reported, never a traceback across the pipe
        outcome = ("broke", f"{type(exc).__name__}: {exc}")
    try:
        payload = pickle.dumps(outcome)
    except MemoryError:
        payload = pickle.dumps(("memory", None))
    sys.stdout.buffer.write(payload)


def _unreadable(message: str) -> RejectedFile:
    return reject(rule="readable", message=message, fix=_FIX)


def run_reader(function: Callable[..., Any], *args: Any, limits: ReaderLimits, **kwargs: Any) -> Any:
    """`function(*args, **kwargs)` in a child process within `limits`; its result, or RejectedFile
    (the reader's own, or rule 'readable' saying which limit the file broke). `function` must be
    importable by name (a module-level function); its arguments and result picklable."""
    request = pickle.dumps(
        (function.__module__, function.__qualname__, args, kwargs, limits.memory_bytes, list(sys.path))
    )
    child = subprocess.Popen(
        [sys.executable, "-m", "pipeline.isolation"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        output, errors = child.communicate(request, timeout=limits.seconds)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise _unreadable(
            f"reading the file took longer than {limits.seconds:g} seconds and was stopped"
        ) from None
    if child.returncode != 0 or not output:
        code = child.returncode
        how = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"
        detail = errors.decode(errors="replace").strip().splitlines()[-1:] or [""]
        raise _unreadable(f"the reader crashed on the file ({how}) {detail[0]}".strip())
    status, value = pickle.loads(output)  # our own child's answer, never the file's bytes
    if status == "ok":
        return value
    if status == "rejected":
        raise RejectedFile(value)
    if status == "memory":
        raise _unreadable(f"reading the file needed more than {limits.memory_bytes / 2**30:g} GiB of memory")
    raise _unreadable(f"the file could not be read: {value}")


if __name__ == "__main__":
    _child()

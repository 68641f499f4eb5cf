"""Crash points for the recovery tests: with CTM_KILL_AT=<point> set, the process kills itself
there with SIGKILL, as a power cut or the OOM killer would. Unset (always, in production) each
point costs one dictionary lookup. Points: ingest, load, dbt, gate, publish."""

from __future__ import annotations

import os
import signal


def crash_point(name: str) -> None:
    if os.environ.get("CTM_KILL_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)

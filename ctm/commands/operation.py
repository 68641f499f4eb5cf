"""What `run`, `rerun` and `backfill` share: the run lock, progress on standard error, and each
known failure said in one line with its exit code."""

from __future__ import annotations

import sys

from pipeline.settings import Settings


def progress_on_stderr(command: str):
    """Each step as it starts, with the seconds since the command began, on standard error (so
    standard output stays the result); plain text, readable in a narrow terminal or a log collector."""
    import time

    started = time.monotonic()

    def say(step: str) -> None:
        print(f"{command} [{time.monotonic() - started:5.1f}s] {step}...", file=sys.stderr, flush=True)

    return say


def run_under_lock(settings: Settings, command: str, action) -> int:
    """`run`, `rerun` and `backfill`: under the run lock, each known failure one line and its exit
    code. `action(progress)` returns the lines to print and the exit code."""
    import duckdb

    from ctm.operations import NothingToRerun
    from ctm.runner import RunInProgress, run_lock
    from pipeline.warehouse import WarehouseLocked, describe_lock
    from transform.build import TransformFailed

    try:
        with run_lock(settings):
            lines, code = action(progress_on_stderr(f"ctm {command}"))
    except NothingToRerun as exc:
        print(f"ctm {command}: {exc}", file=sys.stderr)
        return 2
    except (RunInProgress, WarehouseLocked) as exc:
        print(f"ctm {command}: {exc}; nothing was done", file=sys.stderr)
        return 1
    except TransformFailed as exc:
        print(f"ctm {command}: the warehouse build failed, nothing was published:\n{exc}", file=sys.stderr)
        return 1
    except duckdb.Error as exc:
        message = describe_lock(exc, settings.warehouse_path)
        if message is None:
            raise
        print(f"ctm {command}: {message}; the next run finishes what this one could not", file=sys.stderr)
        return 1
    for line in lines:
        print(line)
    return code

"""The whole chain in one process: ingest -> transform -> quality gate -> publish.

`ctm run` calls this; the Airflow DAGs call the same stage functions one task at a time.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from expectations.validate import GateHeld, run_gate
from extract.ingest import IngestSummary, ingest_everything
from pipeline import audit
from pipeline.faults import crash_point
from pipeline.settings import Settings
from publish.release import Release, latest_release, publish_release
from transform.build import build_warehouse


class RunInProgress(RuntimeError):
    """Another `ctm run` is working on this data home."""


@contextmanager
def run_lock(settings: Settings) -> Iterator[None]:
    """One `ctm run` at a time on a data home: a second one is told who is running, at once."""
    settings.home.mkdir(parents=True, exist_ok=True)
    path = settings.home / ".run.lock"
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise RunInProgress(f"another `ctm run` (PID {holder}) is working on {settings.home}") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()


@dataclass
class RunOutcome:
    ingest: IngestSummary
    release: Release | None = None
    held: GateHeld | None = None
    messages: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.held else 0


def run_pipeline(settings: Settings, progress: Callable[[str], None] = lambda step: None) -> RunOutcome:
    """Process everything waiting in the landing zone and publish if the gate lets it through.

    With nothing new landed and a release already out, nothing is rebuilt. Raises TransformFailed
    when dbt fails (a model, a data test or a contract). `progress` hears of each step as it starts.
    """
    progress("ingesting what waits in the landing zone")
    ingest = ingest_everything(settings)
    outcome = RunOutcome(ingest, messages=list(ingest.messages))
    fingerprint = _loaded_fingerprint(settings)
    owed = fingerprint is not None and audit.read_state(settings, "settled").get("fingerprint") != fingerprint
    if not ingest.changed_warehouse and not owed and latest_release(settings) is not None:
        outcome.messages.append("nothing new to publish")
        return outcome
    if owed and not ingest.changed_warehouse:
        outcome.messages.append("finishing what an earlier run left undone: loaded files not yet published")
    if not ingest.changed_warehouse and not _has_loaded_data(settings):
        outcome.messages.append(
            f"nothing loaded yet: land an NRM workbook in {settings.landing_dir_for('nrm')} "
            f"or an agency return in {settings.landing_dir_for('returns')}"
        )
        return outcome
    progress("building the warehouse (dbt build: models, tests, contracts)")
    build_warehouse(settings)
    progress("running the quality gate (Great Expectations)")
    try:
        gate = run_gate(settings)
    except GateHeld as held:
        outcome.held = held
        outcome.messages.append(str(held))
        audit.settle(settings, "held")
        return outcome
    crash_point("gate")
    progress("publishing (disclosure control, release files)")
    outcome.release = publish_release(settings, gate.results_dir)  # and settles what was built
    verb = "published" if outcome.release.is_new else "already published (same content)"
    outcome.messages.append(f"{verb}: release {outcome.release.release_id} in {outcome.release.path}")
    return outcome


def _loaded_fingerprint(settings: Settings) -> str | None:
    from pipeline import warehouse

    if not settings.warehouse_path.exists():
        return None
    with warehouse.connect(settings.warehouse_path, read_only=True) as con:
        if not warehouse.table_exists(con, "audit", "file_log"):
            return None
        return audit.loaded_fingerprint(con)


def _has_loaded_data(settings: Settings) -> bool:
    from pipeline import warehouse

    if not settings.warehouse_path.exists():
        return False
    with warehouse.connect(settings.warehouse_path, read_only=True) as con:
        if not warehouse.table_exists(con, "audit", "file_log"):
            return False
        row = con.execute("select count(*) from audit.file_log where status = 'loaded'").fetchone()
    return bool(row and row[0])

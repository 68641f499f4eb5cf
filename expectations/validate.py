"""The quality gate: the suites of the registry on the tables read read-only from the warehouse.

A failed critical expectation holds the release; warnings are recorded in the release's quality
results. Nothing here imports Airflow.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pandas as pd

from expectations.registry import SUITE_TABLES, suite_builders
from expectations.results import (
    GateHeld,
    GateResult,
    dbt_test_warnings,
)
from expectations.runner import run_suites
from pipeline import warehouse
from pipeline.settings import Settings
from pipeline.sources import SOURCE_OF_AUDIT_KIND

log = logging.getLogger(__name__)


def validate_frames(frames: dict[str, pd.DataFrame], *, change_warning_ratio: float = 0.5) -> GateResult:
    """Validate each named DataFrame with its suite. Unknown names are an error, not a silent pass.
    The facts present say which sources the release is built from, and so which indicators it must carry."""
    sources = frozenset(
        SUITE_TABLES[name][1] for name in frames if name in SUITE_TABLES and SUITE_TABLES[name][1]
    )
    builders = suite_builders(sources, change_warning_ratio)
    unknown = set(frames) - set(builders)
    if unknown:
        raise KeyError(f"no expectation suite for {sorted(unknown)}; suites exist for {sorted(builders)}")
    return run_suites({name: (builders[name], frame) for name, frame in frames.items()})


def loaded_sources(con) -> set[str]:
    """The sources with loaded files: a release built from a source must carry all its indicators."""
    rows = con.execute("select distinct source from audit.file_log where status = 'loaded'").fetchall()
    # audit.file_log's source (la_return, ...) -> the source whose indicators a release must carry
    return {SOURCE_OF_AUDIT_KIND.get(source, source) for (source,) in rows}


def read_gate_frames(settings: Settings) -> dict[str, pd.DataFrame]:
    """The tables to validate: the marts, and the facts of every source that has data loaded."""
    with warehouse.connect(settings.warehouse_path, read_only=True) as con:
        sources = loaded_sources(con)
        return {
            name: con.sql(query).df()
            for name, (query, source) in SUITE_TABLES.items()
            if source is None or source in sources
        }


def run_gate(settings: Settings) -> GateResult:
    """Validate the marts; write the results (and their Data Docs) under quality/<run>/; raise
    GateHeld on a critical failure. The results also carry the warnings of the dbt build.
    """
    result = validate_frames(read_gate_frames(settings), change_warning_ratio=settings.change_warning_ratio)
    result.outcomes += dbt_test_warnings(settings)
    run_dir = result.write(settings.quality_dir / datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ"))
    for warning in result.warnings:
        log.warning("quality warning: %s", warning.describe())
    if not result.success:
        (run_dir / "HELD.md").write_text(str(GateHeld(result)) + "\n")
        raise GateHeld(result)
    return result

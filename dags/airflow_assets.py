"""Airflow assets and defaults shared by the DAG files (not a DAG; see .airflowignore).

Reads only CTM_HOME (cheap) at parse time: the landing watcher needs the directory it watches.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.providers.standard.triggers.file import DirectoryFileDeleteTrigger
from airflow.sdk import Asset, AssetWatcher

from pipeline.assets import (
    DUCKDB_POOL,
    PUBLISHED_RELEASE,
    WAREHOUSE_MARTS,
    WAREHOUSE_QUEUE,
    WAREHOUSE_RAW,
    AssetSpec,
    landing_asset_spec,
)
from pipeline.logs import configure_logging
from pipeline.settings import MARKER_NAME, get_settings
from pipeline.sources import SOURCES

_settings = get_settings()


def _structured_task_logs(context) -> None:
    """Before each task runs, in its own process: every line the pipeline logs carries its file id
    and release id (logfmt, to the task log). Not at import: parsing a DAG changes no logging."""
    configure_logging("logfmt")


def _asset(spec: AssetSpec, **kwargs) -> Asset:
    return Asset(name=spec.name, uri=spec.uri, group=spec.group, **kwargs)


def _landing_asset(source: str) -> Asset:
    directory = str(_settings.landing_dir_for(source))
    watcher = AssetWatcher(
        name=f"landing_{source}_marker",
        trigger=DirectoryFileDeleteTrigger(
            directory=directory, filename=MARKER_NAME, poke_interval=_settings.marker_poll_seconds
        ),
    )
    return _asset(landing_asset_spec(source, directory), watchers=[watcher])


# The landing zone of every source of the registry (pipeline/sources.py), by its name.
LANDING_ASSETS = {source.name: _landing_asset(source.name) for source in SOURCES}
warehouse_raw = _asset(WAREHOUSE_RAW)
warehouse_marts = _asset(WAREHOUSE_MARTS)
published_release = _asset(PUBLISHED_RELEASE)

DEFAULT_ARGS = {
    "owner": "ctm",
    "retries": 2,
    "retry_delay": timedelta(seconds=30),
    "retry_exponential_backoff": True,
    "pool": DUCKDB_POOL,
    "queue": WAREHOUSE_QUEUE,  # Celery: the worker beside warehouse.duckdb (ignored by LocalExecutor)
    "on_execute_callback": _structured_task_logs,
}
# What every DAG of the chain shares: event-driven (no catch-up), one run at a time (each writes).
DAG_DEFAULTS = {
    "start_date": pendulum.datetime(2026, 1, 1, tz="UTC"),
    "catchup": False,
    "max_active_runs": 1,
    "default_args": DEFAULT_ARGS,
}


def ingest_and_report(ingest) -> dict:
    """Run an ingest function of extract.ingest on the configured home, log what happened to every
    file, and skip (no warehouse_raw event, nothing downstream) when nothing new was loaded."""
    from airflow.sdk.exceptions import AirflowSkipException

    summary = ingest(get_settings())  # each file's fate is logged, with its file id
    if not summary.changed_warehouse:
        raise AirflowSkipException("nothing new was loaded (see audit.file_log)")
    return summary.as_dict()

"""The imports every task of the chain pays for (Great Expectations alone takes ~4 s), made once in
a process that forks task processes (see ctm/airflow_config/airflow_local_settings.py)."""

from __future__ import annotations

import importlib
import logging
import time

# what the tasks of the chain import: ingest (readers, GX validation), dbt (transform.build runs it
# in a fork when it is loaded), the gate, publishing
MODULES = (
    "great_expectations",
    "dbt.cli.main",
    "dbt.adapters.duckdb",
    "extract.ingest",
    "expectations.validate",
    "publish.release",
    "transform.build",
)


def preload() -> float:
    """Import MODULES; returns the seconds it took. A module that fails to import is left to the task
    that needs it, which reports the error where it belongs."""
    started = time.perf_counter()
    for module in MODULES:
        try:
            importlib.import_module(module)
        except Exception:  # noqa: BLE001 - the task will import it again and fail visibly
            logging.getLogger(__name__).warning("could not preload %s", module, exc_info=True)
    return time.perf_counter() - started

"""Airflow reads its configuration when first imported: set it up before any test imports it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_AIRFLOW_HOME = tempfile.mkdtemp(prefix="ctm-airflow-test-")
# The DAG files read CTM_HOME when parsed (the landing watcher needs its directory).
CTM_TEST_HOME = Path(tempfile.mkdtemp(prefix="ctm-dag-test-home-")) / "home"
os.environ.update(
    {
        "AIRFLOW_HOME": _AIRFLOW_HOME,
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "True",
        "AIRFLOW__CORE__DAGS_FOLDER": str(Path(__file__).resolve().parents[2] / "dags"),
        "CTM_HOME": str(CTM_TEST_HOME),
    }
)

import sys  # noqa: E402

# Airflow's components put the DAGs folder on sys.path (shared helpers import from it); so do we.
sys.path.insert(0, os.environ["AIRFLOW__CORE__DAGS_FOLDER"])

import pytest  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def airflow_db():
    from airflow.utils import db

    db.resetdb()
    yield

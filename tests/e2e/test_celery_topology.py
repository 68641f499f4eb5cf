"""The production topology, run for real: CeleryExecutor with a Postgres metadata database and a Redis
broker (started here on loopback ports), the scheduler, dag-processor, triggerer, api-server and two
Celery workers as ctm.deployment (and docker-compose.yml) describe them. A landed workbook and a return
announced through the REST API become releases; every task that writes the warehouse ran on the one
worker that serves the `warehouse` queue."""

from __future__ import annotations

import json

import pytest

from ctm.airflow_api import _call, access_token, post_asset_event
from ctm.demo import land_and_wait, wait_for_release
from ctm.deployment import CELERY_WORKERS
from ctm.embedded_airflow import CeleryBackends, EmbeddedAirflow
from pipeline.assets import DEFAULT_QUEUE, WAREHOUSE_QUEUE
from pipeline.settings import get_settings
from tests.conftest import SAMPLE_RETURNS, SAMPLE_WORKBOOK
from tests.fixtures.backends import free_port_block, postgres, redis

pytestmark = pytest.mark.scheduler


def _task_instances(base_url: str, token: str) -> list[dict]:
    """Every task instance of every DAG run, as the REST API gives them (with hostname and queue)."""
    instances = []
    for dag in _call(f"{base_url}/api/v2/dags?limit=100", token=token)["dags"]:
        listed = _call(
            f"{base_url}/api/v2/dags/{dag['dag_id']}/dagRuns/~/taskInstances?limit=100", token=token
        )
        instances += listed["task_instances"]
    return instances


def test_celery_workers_on_postgres_and_redis_turn_a_workbook_and_a_posted_return_into_releases(tmp_path):
    settings = get_settings(tmp_path / "home")
    with postgres() as database, redis() as broker:
        airflow = EmbeddedAirflow(settings, port=free_port_block(), celery=CeleryBackends(database, broker))
        with airflow:
            release, seconds = land_and_wait(airflow, {"nrm": [SAMPLE_WORKBOOK]}, timeout=600)

            returns_dir = settings.landing_dir_for("returns")
            returns_dir.mkdir(parents=True, exist_ok=True)
            (returns_dir / SAMPLE_RETURNS[1].name).write_bytes(SAMPLE_RETURNS[1].read_bytes())
            password = json.loads((settings.airflow_home / "simple_auth_manager_passwords.json").read_text())
            token = access_token(airflow.url, "admin", password["admin"])
            post_asset_event(airflow.url, "landing_returns", token, {"note": "uploaded by the portal"})
            with_returns = wait_for_release(
                settings, timeout=420, previous=release, sources=("nrm", "returns")
            )
            instances = _task_instances(airflow.url, token)

    assert "returns_on_time_share," in (with_returns / "indicators.csv").read_text(encoding="utf-8")
    ran = [i for i in instances if i["state"] == "success"]
    assert ran, instances
    warehouse_worker = next(w for w, queues in CELERY_WORKERS.items() if WAREHOUSE_QUEUE in queues)
    on_warehouse = [i for i in ran if i["queue"] == WAREHOUSE_QUEUE]
    # ingest, dbt build, quality gate and publish all write the warehouse or read it
    assert {i["dag_id"] for i in on_warehouse} >= {"ingest_nrm", "ingest_agency_returns"}
    assert {i["hostname"].split("@")[0] for i in on_warehouse} == {warehouse_worker}, [
        (i["task_id"], i["hostname"]) for i in on_warehouse
    ]
    elsewhere = [i for i in ran if i["queue"] == DEFAULT_QUEUE]
    assert {i["hostname"].split("@")[0] for i in elsewhere} <= set(CELERY_WORKERS)
    print(f"landing to release on Celery workers: {seconds:.1f}s; tasks: {len(ran)}")

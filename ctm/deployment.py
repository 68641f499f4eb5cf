"""The production topology in one description: CeleryExecutor on a Postgres metadata database and a
Redis broker, and which Celery worker serves which queue.

docker-compose.yml follows it (tests/unit/test_compose.py compares the two) and the Celery end-to-end
test runs it (ctm.embedded_airflow with `CeleryBackends`), so the deployment and the test cannot drift.

Tasks that write warehouse.duckdb run on the `warehouse` queue, which only the worker beside the
warehouse file serves (DuckDB has one writer, and its file must be on that worker's disk); every
other task runs on the `default` queue, on any worker. To scale out, add workers on `default`.
"""

from __future__ import annotations

import os
import socket

from pipeline.assets import DEFAULT_QUEUE, WAREHOUSE_QUEUE

# How quickly an event moves the chain on, in every deployment. Idle, the scheduler loops every 0.25 s
# rather than every 1 s (Airflow's default): a DAG run is created and started up to ~1.5 s sooner at
# each of the chain's four steps, for ~4% more of a core (measured idle: 2.7% -> 6.7%).
EVENT_LATENCY_SETTINGS = {"AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.25"}

# Airflow settings every component of the Celery deployment shares (beyond the connection URLs and
# secrets, which each deployment supplies).
CELERY_SETTINGS = {
    "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
    "AIRFLOW__CORE__PARALLELISM": "4",
    "AIRFLOW__CELERY__WORKER_CONCURRENCY": "2",
    "AIRFLOW__OPERATORS__DEFAULT_QUEUE": DEFAULT_QUEUE,
    "AIRFLOW__CORE__LOAD_EXAMPLES": "false",
    # asset watchers only run for unpaused DAGs
    "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "false",
    **EVENT_LATENCY_SETTINGS,
}

# Each Celery worker (its compose service) and the queues it serves, in order.
CELERY_WORKERS = {
    "airflow-worker-warehouse": (WAREHOUSE_QUEUE, DEFAULT_QUEUE),
    "airflow-worker": (DEFAULT_QUEUE,),
}


def worker_arguments(worker: str) -> list[str]:
    """`airflow celery worker` arguments for one worker of CELERY_WORKERS."""
    return ["celery", "worker", "--queues", ",".join(CELERY_WORKERS[worker])]


# Several workers on one machine (the embedded deployment) tell their tasks which worker they are, and
# the tasks record it as their host name (Airflow's [core] hostname_callable).
WORKER_NAME_VARIABLE = "CTM_WORKER_NAME"
WORKER_HOSTNAME_CALLABLE = "ctm.deployment.worker_hostname"


def worker_hostname() -> str:
    """The host name a task records: `<worker>@<host>` when its worker is named, else the host's."""
    host = socket.getfqdn()
    name = os.environ.get(WORKER_NAME_VARIABLE)
    return f"{name}@{host}" if name else host

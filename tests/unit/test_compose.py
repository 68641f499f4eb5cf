"""The production-like compose file is valid and has every component the deployment needs."""

from __future__ import annotations

import shutil
import subprocess

import yaml

from ctm.deployment import CELERY_SETTINGS, CELERY_WORKERS, worker_arguments
from pipeline.assets import WAREHOUSE_QUEUE
from pipeline.settings import REPO_ROOT

COMPOSE = REPO_ROOT / "docker-compose.yml"
SECRETS = {
    "POSTGRES_PASSWORD": "test-postgres",
    "AIRFLOW_FERNET_KEY": "test-fernet",
    "AIRFLOW_JWT_SECRET": "test-jwt",
    "AIRFLOW_API_SECRET_KEY": "test-api",
}


def _config(env: dict[str, str]) -> subprocess.CompletedProcess:
    docker_compose = shutil.which("docker-compose")
    assert docker_compose, "Debian's docker-compose lints the compose file: make test installs it"
    clean_env = {"PATH": "/usr/bin:/bin", **env}
    return subprocess.run(
        [docker_compose, "-f", str(COMPOSE), "config"],
        capture_output=True,
        text=True,
        env=clean_env,
        cwd=REPO_ROOT,
    )


def test_compose_file_lints_and_has_every_component():
    result = _config(SECRETS)
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    services = config["services"]
    assert set(services) == {
        "postgres",
        "redis",
        "airflow-init",
        "airflow-apiserver",
        "airflow-scheduler",
        "airflow-dag-processor",
        "airflow-triggerer",
        *CELERY_WORKERS,
    }
    for name, service in services.items():
        if not name.startswith("airflow-"):
            continue
        env = service["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
        assert env["AIRFLOW__API_AUTH__JWT_SECRET"] == "test-jwt"  # one secret shared by all
        assert env["AIRFLOW__CORE__FERNET_KEY"] == "test-fernet"
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith(
            "postgresql+psycopg2://airflow:test-postgres@"
        )
    assert "duckdb_writer 1" in " ".join(services["airflow-init"]["command"])


def test_compose_runs_the_deployment_the_celery_end_to_end_test_runs():
    """One description (ctm.deployment): the same settings everywhere, the same workers and queues."""
    services = yaml.safe_load(_config(SECRETS).stdout)["services"]
    for name, service in services.items():
        if name.startswith("airflow-"):
            env = service["environment"]
            assert {k: env.get(k) for k in CELERY_SETTINGS} == CELERY_SETTINGS, name
    for worker in CELERY_WORKERS:
        command = services[worker]["command"]
        assert (command.split() if isinstance(command, str) else command) == worker_arguments(worker)
    assert [w for w, queues in CELERY_WORKERS.items() if WAREHOUSE_QUEUE in queues] == [
        "airflow-worker-warehouse"
    ]


def test_compose_refuses_to_start_without_its_secrets():
    result = _config({k: v for k, v in SECRETS.items() if k != "AIRFLOW_JWT_SECRET"})
    assert result.returncode != 0
    assert "set AIRFLOW_JWT_SECRET in .env" in result.stderr


def test_no_secret_is_committed_in_the_env_example():
    for line in (REPO_ROOT / ".env.example").read_text().splitlines():
        if "=" in line and not line.startswith("#") and line.split("=", 1)[0] in SECRETS:
            assert line.split("=", 1)[1] == "", line

"""The embedded Airflow deployment: SQLite metadata DB, LocalExecutor, AIRFLOW_HOME under the data home;
or, given `CeleryBackends` (a Postgres database and a Redis broker), the production topology of
ctm.deployment: CeleryExecutor and its workers, each serving its queues.

Starts the real components (api-server, scheduler, dag-processor, triggerer, and the Celery workers)
as separate processes, each in its own process group, records their PIDs, and stops exactly those
groups. Used by `make demo`, `make airflow`, the end-to-end tests and the benchmarks.

    python -m ctm.embedded_airflow [--home DIR] [--port 8080]   # runs until Ctrl-C
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from ctm.deployment import (
    CELERY_SETTINGS,
    CELERY_WORKERS,
    EVENT_LATENCY_SETTINGS,
    WORKER_HOSTNAME_CALLABLE,
    WORKER_NAME_VARIABLE,
    worker_arguments,
)
from pipeline.assets import DUCKDB_POOL
from pipeline.settings import REPO_ROOT, Settings, get_settings

COMPONENTS = ("api-server", "scheduler", "dag-processor", "triggerer")
# Every component shares this machine's log folder, so the log servers (which Airflow binds to every
# interface, with no setting to change it) are not started: nothing listens beyond 127.0.0.1.
COMPONENT_ARGS = {"scheduler": ["--skip-serve-logs"], "triggerer": ["--skip-serve-logs"]}


class PortInUse(RuntimeError):
    """The port the api-server needs is taken: another Airflow, or another program."""


def check_port_free(port: int, host: str = "127.0.0.1") -> None:
    """Raise PortInUse, naming the port and what to do, unless `port` can be bound on `host`."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the api-server (uvicorn) binds: a port left in TIME_WAIT by an Airflow just stopped is
        # free to it, a port another program listens on is not.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise PortInUse(
                f"port {port} on {host} is already in use ({exc.strerror}): another Airflow or another "
                "program has it. Stop it, or choose another port: --port N (or CTM_AIRFLOW_PORT=N)."
            ) from exc


def port_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("CTM_AIRFLOW_PORT", "8080")),
        help="the api-server's port on 127.0.0.1 (default $CTM_AIRFLOW_PORT or 8080)",
    )


def prepare_to_run(port: int, command: str) -> bool:
    """Before starting Airflow in the foreground: stop on SIGTERM/SIGHUP as on Ctrl-C, and refuse a
    taken port with a message (False) instead of starting."""
    stop_on_signals()
    try:
        check_port_free(port)
    except PortInUse as exc:
        print(f"{command}: {exc}", file=sys.stderr)
        return False
    return True


def stop_on_signals() -> None:
    """SIGTERM (a service manager) and SIGHUP (the terminal closed) stop like Ctrl-C: every
    component this process started is stopped on the way out."""

    def leave(signum, frame) -> None:
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, leave)


def _airflow_bin() -> str:
    candidate = Path(sys.executable).with_name("airflow")
    return str(candidate) if candidate.exists() else "airflow"


def _secret(path: Path, env_name: str) -> str:
    """A secret from the environment, else one generated once and kept (mode 600) in AIRFLOW_HOME."""
    if os.environ.get(env_name):
        return os.environ[env_name]
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


@dataclass(frozen=True)
class CeleryBackends:
    """Where the Celery deployment keeps its metadata and queues its tasks."""

    database_url: str  # e.g. postgresql+psycopg2://airflow@127.0.0.1:5432/airflow
    broker_url: str  # e.g. redis://127.0.0.1:6379/0


def celery_env(backends: CeleryBackends) -> dict[str, str]:
    """The settings of ctm.deployment, with this deployment's metadata database and broker."""
    return {
        **CELERY_SETTINGS,
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": backends.database_url,
        "AIRFLOW__CELERY__RESULT_BACKEND": "db+"
        + backends.database_url,  # the driver named: SQLAlchemy 2.1 defaults to psycopg 3
        "AIRFLOW__CELERY__BROKER_URL": backends.broker_url,
    }


def airflow_env(settings: Settings, port: int) -> dict[str, str]:
    home = settings.airflow_home
    home.mkdir(parents=True, exist_ok=True)
    password_file = home / "simple_auth_manager_passwords.json"
    admin_password = os.environ.get("CTM_AIRFLOW_ADMIN_PASSWORD")
    if admin_password:
        password_file.write_text(json.dumps({"admin": admin_password}))
        password_file.chmod(0o600)
    env = dict(os.environ)
    env.update(
        {
            "AIRFLOW_HOME": str(home),
            # Airflow's local settings (ctm/airflow_config): task-running processes preload imports
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(REPO_ROOT / "ctm" / "airflow_config"), env.get("PYTHONPATH")) if p
            ),
            "CTM_HOME": str(settings.home),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
            "AIRFLOW__CORE__DAGS_FOLDER": str(REPO_ROOT / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            # Small machine: LocalExecutor pre-forks `parallelism` workers. Three, so that the chain's
            # task never waits behind a scheduled check and a notification (both seconds long).
            "AIRFLOW__CORE__PARALLELISM": "3",
            "AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG": "2",
            # Watchers only run for unpaused DAGs.
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(password_file),
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(port),
            "AIRFLOW__API__WORKERS": "1",
            # The log servers are not started (COMPONENT_ARGS); were one started, its port follows ours.
            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(port + 1),
            "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(port + 2),
            "AIRFLOW__API_AUTH__JWT_SECRET": _secret(home / ".jwt_secret", "AIRFLOW__API_AUTH__JWT_SECRET"),
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "30",
            "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "30",
            "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": "1",
            "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "False",
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
            "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
            **EVENT_LATENCY_SETTINGS,
        }
    )
    return env


@dataclass
class EmbeddedAirflow:
    settings: Settings
    port: int = 8080
    celery: CeleryBackends | None = None  # None: LocalExecutor on SQLite
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_dir(self) -> Path:
        return self.settings.airflow_home / "component-logs"

    @property
    def pid_file(self) -> Path:
        return self.settings.airflow_home / "components.pid.json"

    def _run(self, *args: str) -> None:
        completed = subprocess.run(
            [_airflow_bin(), *args], env=self.env, capture_output=True, text=True, timeout=600
        )
        if completed.returncode != 0:
            raise RuntimeError(
                f"`airflow {' '.join(args)}` failed:\n{completed.stdout[-2000:]}{completed.stderr[-3000:]}"
            )

    def start(self, *, timeout: float = 180) -> None:
        check_port_free(self.port)  # else the health check could be answered by someone else's server
        self.settings.create_dirs()
        self.env = airflow_env(self.settings, self.port)
        if self.celery is not None:
            self.env.update(celery_env(self.celery))
        self._run("db", "migrate")
        self._run("pools", "set", DUCKDB_POOL, "1", "one writer at a time on warehouse.duckdb")
        self.log_dir.mkdir(parents=True, exist_ok=True)
        commands = {c: [c, *COMPONENT_ARGS.get(c, [])] for c in COMPONENTS}
        if self.celery is not None:
            for worker in CELERY_WORKERS:  # one machine: each worker named, no log server
                commands[worker] = [
                    *worker_arguments(worker),
                    "--celery-hostname",
                    f"{worker}@%h",
                    "--skip-serve-logs",
                ]
        for component, arguments in commands.items():
            log = (self.log_dir / f"{component}.log").open("ab")
            env = self.env
            if component in CELERY_WORKERS:
                env = {
                    **env,
                    WORKER_NAME_VARIABLE: component,
                    "AIRFLOW__CORE__HOSTNAME_CALLABLE": WORKER_HOSTNAME_CALLABLE,
                }
            self.processes[component] = subprocess.Popen(
                [_airflow_bin(), *arguments],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own group: stopped as one
            )
        self.pid_file.write_text(json.dumps({c: p.pid for c, p in self.processes.items()}))
        self.wait_healthy(timeout=timeout)

    def wait_healthy(self, *, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for component, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(
                        f"airflow {component} exited ({process.returncode}); see {self.log_dir}"
                    )
            try:
                with urllib.request.urlopen(f"{self.url}/api/v2/monitor/health", timeout=5) as response:
                    healthy = response.status == 200
                if healthy:
                    # The API the tasks talk to builds itself on its first request (~3 s); made now,
                    # the first tasks do not wait for it.
                    with urllib.request.urlopen(f"{self.url}/execution/health", timeout=60) as response:
                        if response.status == 200:
                            return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(2)
        raise TimeoutError(
            f"the Airflow api-server did not answer on {self.url} within {timeout:.0f}s; see {self.log_dir}"
        )

    def stop(self) -> None:
        """Stop every process group this object started: SIGTERM, then SIGKILL what is left."""
        for process in self.processes.values():
            _signal_group(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self.processes.values():
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                pass
        for process in self.processes.values():
            _signal_group(process.pid, signal.SIGKILL)  # LocalExecutor workers can outlive their parent
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        # a killed group member lingers until whoever inherited it reaps it (seconds on a busy
        # machine): stop returns when every group is gone, so a restart finds nothing of the last run
        groups_gone_by = time.monotonic() + 15
        while (
            any(_group_exists(p.pid) for p in self.processes.values()) and time.monotonic() < groups_gone_by
        ):
            time.sleep(0.1)
        self.processes.clear()
        self.pid_file.unlink(missing_ok=True)

    def __enter__(self) -> EmbeddedAirflow:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _group_exists(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the embedded Airflow until Ctrl-C.")
    parser.add_argument("--home", type=Path, default=None)
    port_argument(parser)
    args = parser.parse_args(argv)
    if not prepare_to_run(args.port, "make airflow"):
        return 2
    airflow = EmbeddedAirflow(get_settings(args.home), port=args.port)
    with airflow:
        password_file = airflow.settings.airflow_home / "simple_auth_manager_passwords.json"
        print(f"Airflow UI: {airflow.url}  (user admin, password in {password_file})")
        print(f"Drop a workbook with: ctm submit --source nrm FILE --home {airflow.settings.home}")
        print("Ctrl-C stops every Airflow process started here.")
        try:
            while all(p.poll() is None for p in airflow.processes.values()):
                time.sleep(2)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())

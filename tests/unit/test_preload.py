"""The processes that run tasks preload the pipeline's expensive imports once (Airflow's local
settings hook); the others do not pay for them."""

from __future__ import annotations

import os
import subprocess
import sys

from pipeline.settings import REPO_ROOT

HOOK = REPO_ROOT / "ctm" / "airflow_config"


def _loads_gx(argv: list[str]) -> bool:
    code = (
        f"import sys; sys.argv = {argv!r}; import airflow_local_settings; "
        "print(all(m in sys.modules for m in ('great_expectations', 'dbt.cli.main')))"
    )
    env = {**os.environ, "PYTHONPATH": str(HOOK)}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return result.stdout.strip() == "True"


def test_the_scheduler_and_celery_workers_preload_and_the_api_server_does_not():
    assert _loads_gx(["airflow", "scheduler", "--skip-serve-logs"])
    assert _loads_gx(["airflow", "celery", "worker", "--queues", "default"])
    assert not _loads_gx(["airflow", "api-server"])
    assert not _loads_gx(["airflow", "dag-processor"])

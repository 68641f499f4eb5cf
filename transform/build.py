"""Transform: `dbt build` (models, seeds, data tests, unit tests, contracts) on the warehouse.

dbt runs in its own process so that its DuckDB connection is closed when it ends; the caller
then reopens the warehouse safely (DuckDB allows one writing process per file).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from pipeline.faults import crash_point
from pipeline.settings import Settings


class TransformFailed(RuntimeError):
    """dbt build failed: a model error, a failing data test, unit test or contract."""


@dataclass(frozen=True)
class TransformResult:
    command: list[str]
    output: str


def dbt_executable() -> str:
    # The dbt that belongs to this interpreter's environment, not whatever is first on PATH.
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def dbt_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "CTM_WAREHOUSE_PATH": str(settings.warehouse_path),
            "DBT_TARGET_PATH": str(settings.dbt_target_dir),
            "DBT_LOG_PATH": str(settings.dbt_log_dir),
            "DBT_PROFILES_DIR": str(settings.dbt_project_dir),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_USE_COLORS": "false",
            "CTM_RETURN_DEADLINE_DAYS": str(return_deadline_days(settings)),
        }
    )
    return env


def return_deadline_days(settings: Settings) -> int:
    """Days after a quarter ends by which a return is on time: the setting, else the definition's."""
    from extract.sources.returns.definition import load_definition

    return (
        settings.return_deadline_days
        if settings.return_deadline_days is not None
        else load_definition().deadline_days
    )


def run_dbt(settings: Settings, *args: str) -> TransformResult:
    command = [dbt_executable(), *args, "--project-dir", str(settings.dbt_project_dir)]
    completed = subprocess.run(
        command, env=dbt_env(settings), capture_output=True, text=True, cwd=settings.dbt_project_dir
    )
    output = completed.stdout + completed.stderr
    if completed.returncode != 0:
        failures = [
            line for line in output.splitlines() if "FAIL" in line or "ERROR" in line or "Error" in line
        ]
        summary = "\n".join(failures[-20:]) or output[-4000:]
        raise TransformFailed(f"`dbt {' '.join(args)}` failed (exit {completed.returncode}):\n{summary}")
    return TransformResult(command, output)


def build_warehouse(settings: Settings) -> TransformResult:
    """Build every model, seed and test, then publish the readers' snapshot. Raises TransformFailed
    naming what failed (the snapshot then stays the last good build's)."""
    from pipeline.warehouse import publish_snapshot

    settings.dbt_target_dir.mkdir(parents=True, exist_ok=True)
    result = run_dbt(settings, "build")
    crash_point("dbt")
    publish_snapshot(settings)
    return result

"""Transform: `dbt build` (models, seeds, data tests, unit tests, contracts) on the warehouse.

dbt runs in its own process so that its DuckDB connection is closed when it ends; the caller
then reopens the warehouse safely (DuckDB allows one writing process per file).

A build is incremental when it can be: dbt builds what the sources loaded since the last build feed
(`source:<name>+`) and, by dbt's state comparison with the last successful build's manifest,
every model, seed or test changed since then and what depends on it (`state:modified+`). With no
previous build, no record of what changed, or different settings for the models, it builds all.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from pipeline import audit
from pipeline.faults import crash_point
from pipeline.settings import Settings

# The dbt source each landing source loads into (models/staging/*/_*__sources.yml).
DBT_SOURCES = {
    "nrm": "nrm",
    "returns": "returns",
    "children_in_need": "statistics",
    "police_recorded_crime": "statistics",
}


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


def _state_dir(settings: Settings) -> Path:
    """The last successful build: its manifest (for dbt's state:modified) and the settings it used."""
    return settings.dbt_target_dir.parent / "state"


def _model_settings(settings: Settings) -> dict[str, str]:
    """What the models read from the environment: a change of it rebuilds everything."""
    return {"CTM_RETURN_DEADLINE_DAYS": str(return_deadline_days(settings))}


def incremental_selection(settings: Settings, pending: set[str]) -> str | None:
    """The dbt selector for an incremental build, or None for a full one."""
    state = _state_dir(settings)
    if not pending or not (state / "manifest.json").is_file() or not settings.warehouse_path.is_file():
        return None
    try:
        built_with = json.loads((state / "model_settings.json").read_text())
    except (OSError, ValueError):
        return None
    if built_with != _model_settings(settings) or not pending <= set(DBT_SOURCES):
        return None
    return " ".join([*sorted({f"source:{DBT_SOURCES[s]}+" for s in pending}), "state:modified+"])


def build_warehouse(settings: Settings) -> TransformResult:
    """Build what changed (or every model, seed and test), then publish the readers' snapshot.
    Raises TransformFailed naming what failed (the snapshot then stays the last good build's)."""
    from pipeline.warehouse import publish_snapshot

    settings.dbt_target_dir.mkdir(parents=True, exist_ok=True)
    pending = audit.pending_sources(settings)
    selection = incremental_selection(settings, pending)
    state = _state_dir(settings)
    if selection is None:
        result = run_dbt(settings, "build")
    else:
        result = run_dbt(settings, "build", "--select", selection, "--state", str(state))
    crash_point("dbt")
    publish_snapshot(settings)
    # the state of this build, for the next one to compare with: written whole, then swapped in
    partial = state.with_name(".state.part")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    shutil.copy2(settings.dbt_target_dir / "manifest.json", partial / "manifest.json")
    (partial / "model_settings.json").write_text(json.dumps(_model_settings(settings)))
    shutil.rmtree(state, ignore_errors=True)
    partial.replace(state)
    audit.clear_pending(settings, pending)
    return result

"""Transform: `dbt build` (models, seeds, data tests, unit tests, contracts) on the warehouse.

dbt runs in its own process so that its DuckDB connection is closed when it ends; the caller
then reopens the warehouse safely (DuckDB allows one writing process per file). Where dbt is already
imported (a worker that preloaded it, ctm/preload.py) that process is a fork running dbt's
programmatic entry point, which saves dbt's ~1.5 s import on every build; elsewhere it is the `dbt`
executable.

A build is incremental when it can be: dbt builds what the sources loaded since the last build feed
(`source:<name>+`, models and data tests) and, when the project's files changed since the last
successful build, by dbt's state comparison with that build's manifest every model, seed or test
changed and what depends on it (`state:modified+`, unit tests included). With no previous build, no
record of what changed, or different settings for the models, it builds all.
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
from pipeline.files import write_atomically
from pipeline.settings import Settings
from pipeline.sources import SOURCES

# The dbt source each landing source loads into (models/staging/*/_*__sources.yml).
DBT_SOURCES = {source.name: source.dbt_source for source in SOURCES}


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
            # relative to dbt's working directory (the warehouse's): the profile is then the same in
            # every data home, and so is dbt's parse of the project (see _parse_cache_file)
            "CTM_WAREHOUSE_PATH": settings.warehouse_path.name,
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


def _invoke_dbt(arguments: list[str], env: dict[str, str], cwd: Path, output_fd: int) -> None:
    """In the forked child: dbt's programmatic entry point, its output to `output_fd`; exit code
    0 (success), 1 (dbt failed: a model, test or contract) or 2 (dbt could not run)."""
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    # the parent's sys.stdout may not be its fd 1 (Airflow sends a task's to its log, pytest to a
    # buffer): dbt's logger writes to sys.stdout
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 - lives until exit
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    from dbt.cli.main import dbtRunner

    outcome = dbtRunner().invoke(arguments)
    if outcome.exception is not None:
        print(f"dbt could not run: {outcome.exception}")
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(0 if outcome.success else 2 if outcome.exception is not None else 1)


def _run_in_fork(arguments: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str]:
    import tempfile

    from pipeline.forked import Forked

    with tempfile.TemporaryFile() as output:
        dbt = Forked("dbt", _invoke_dbt, arguments, env, cwd, output.fileno())
        code = dbt.join()
        output.seek(0)
        text = output.read().decode("utf-8", errors="replace")
    if dbt.error:  # dbt's entry point itself raised: dbt could not run
        return 2, f"{text}\ndbt could not run: {dbt.error}"
    return code, text


def _failure_lines(output: str) -> list[str]:
    """dbt's lines that name a failure or an error, each with the indented lines that explain it."""
    kept: list[str] = []
    explaining = False
    for line in output.splitlines():
        if "FAIL" in line or "ERROR" in line or "Error" in line or "error:" in line:
            kept.append(line)
            explaining = True
        elif explaining and line[:1].isspace() and line.strip():
            kept.append(line)
        else:
            explaining = False
    return kept


# dbt's parse of the project (partial_parse.msgpack), shared by the data homes of this machine: a new
# home's first build starts from it instead of parsing every file (~2 s). dbt itself checks that it
# fits (project files, profile, variables, its version) and parses afresh if it does not.
# In settings.cache_dir (CTM_CACHE_DIR, by default ~/.cache/ctm).
_PARSE_FILE = "partial_parse.msgpack"


def _parse_cache_file(settings: Settings) -> Path:
    import hashlib

    project = hashlib.sha256(str(settings.dbt_project_dir.resolve()).encode()).hexdigest()[:16]
    return settings.cache_dir / "dbt-parse" / f"{project}-{_PARSE_FILE}"


def _start_from_cached_parse(settings: Settings) -> None:
    target = settings.dbt_target_dir / _PARSE_FILE
    cached = _parse_cache_file(settings)
    if not target.exists() and cached.is_file():
        try:
            shutil.copyfile(cached, target)
        except OSError:
            pass  # only slower


def _keep_parse(settings: Settings) -> None:
    parsed = settings.dbt_target_dir / _PARSE_FILE
    cached = _parse_cache_file(settings)
    try:
        write_atomically(cached, parsed.read_bytes())
    except OSError:
        pass  # no cache (a read-only home directory): only slower


def run_dbt(settings: Settings, *args: str) -> TransformResult:
    command = [dbt_executable(), *args, "--project-dir", str(settings.dbt_project_dir)]
    workdir = settings.warehouse_path.parent
    workdir.mkdir(parents=True, exist_ok=True)
    settings.dbt_target_dir.mkdir(parents=True, exist_ok=True)
    _start_from_cached_parse(settings)
    if "dbt.cli.main" in sys.modules:  # preloaded: no import to pay for again
        returncode, output = _run_in_fork(command[1:], dbt_env(settings), workdir)
    else:
        completed = subprocess.run(
            command, env=dbt_env(settings), capture_output=True, text=True, cwd=workdir
        )
        returncode, output = completed.returncode, completed.stdout + completed.stderr
    if (settings.dbt_target_dir / _PARSE_FILE).is_file():
        _keep_parse(settings)
    if returncode != 0:
        summary = "\n".join(_failure_lines(output)[-30:]) or output[-4000:]
        raise TransformFailed(f"`dbt {' '.join(args)}` failed (exit {returncode}):\n{summary}")
    return TransformResult(command, output)


def _state_dir(settings: Settings) -> Path:
    """The last successful build: its manifest (for dbt's state:modified) and what it was built with."""
    return settings.dbt_target_dir.parent / "state"


def _model_settings(settings: Settings) -> dict[str, str]:
    """What the models read from the environment: a change of it rebuilds everything."""
    return {"CTM_RETURN_DEADLINE_DAYS": str(return_deadline_days(settings))}


def project_fingerprint(project_dir: Path) -> str:
    """sha256 over every file of the dbt project and its seed folders (not target/, logs/): equal
    fingerprints, the same models, seeds and tests."""
    import hashlib

    import yaml

    config = yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8"))
    folders = [project_dir, *((project_dir / p).resolve() for p in config.get("seed-paths", []))]
    ignored = {project_dir / name for name in ("target", "logs", "dbt_packages")}
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not any(path.is_relative_to(i) for i in ignored):
                digest.update(f"{path.relative_to(folder)}\0".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _built_with(settings: Settings) -> dict:
    return {
        "model_settings": _model_settings(settings),
        "project": project_fingerprint(settings.dbt_project_dir),
    }


def incremental_arguments(settings: Settings, pending: set[str]) -> list[str] | None:
    """dbt's selection arguments for an incremental build, or None for a full one."""
    state = _state_dir(settings)
    if not pending or not (state / "manifest.json").is_file() or not settings.warehouse_path.is_file():
        return None
    try:
        last = json.loads((state / "built_with.json").read_text())
    except (OSError, ValueError):
        return None
    now = _built_with(settings)
    if last.get("model_settings") != now["model_settings"] or not pending <= set(DBT_SOURCES):
        return None
    reached = sorted({f"source:{DBT_SOURCES[s]}+" for s in pending})
    if last.get("project") == now["project"]:
        # only data changed: its models and data tests. The unit tests test the SQL on fixed inputs;
        # they passed on this very project in the last successful build.
        return ["--select", " ".join(reached), "--exclude", "resource_type:unit_test"]
    # the project changed too: also what changed in it, and what depends on that (tests included)
    return ["--select", " ".join([*reached, "state:modified+"]), "--state", str(state)]


def build_warehouse(settings: Settings) -> TransformResult:
    """Build what changed (or every model, seed and test), then publish the readers' snapshot.
    Raises TransformFailed naming what failed (the snapshot then stays the last good build's)."""
    from pipeline.warehouse import publish_snapshot

    settings.dbt_target_dir.mkdir(parents=True, exist_ok=True)
    pending = audit.pending_sources(settings)
    selection = incremental_arguments(settings, pending)
    state = _state_dir(settings)
    built_with = _built_with(settings)  # before dbt runs: a file changed during the build counts as changed
    result = run_dbt(settings, "build", *(selection or []))
    crash_point("dbt")
    publish_snapshot(settings)
    # the state of this build, for the next one to compare with: written whole, then swapped in
    partial = state.with_name(".state.part")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    shutil.copy2(settings.dbt_target_dir / "manifest.json", partial / "manifest.json")
    (partial / "built_with.json").write_text(json.dumps(built_with))
    shutil.rmtree(state, ignore_errors=True)
    partial.replace(state)
    audit.clear_pending(settings, pending)
    return result

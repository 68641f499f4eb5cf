"""Recovery from a crash at any point: with a release already out and two returns landed, `ctm run`
is killed (SIGKILL) at each stage; the rerun finishes the work owed: everything loaded is published,
nothing is half-written, and no staging directory is left behind."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from extract.landing import land_file
from pipeline.settings import get_settings
from tests.conftest import SAMPLE_RETURNS, SAMPLE_WORKBOOK
from tests.fixtures.cli import ctm

COUNCILS, POLICE = SAMPLE_RETURNS[:2]


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    """A data home with the NRM release published and nothing else."""
    home = tmp_path_factory.mktemp("released") / "home"
    assert ctm(home, "submit", "--source", "nrm", str(SAMPLE_WORKBOOK)).returncode == 0
    run = ctm(home, "run")
    assert run.returncode == 0, run.stderr
    return home


def _returns_in_release(release: Path) -> set[str]:
    with (release / "indicators.csv").open(encoding="utf-8") as handle:
        return {
            r["period_label"] for r in csv.DictReader(handle) if r["indicator_id"] == "returns_on_time_share"
        }


@pytest.mark.parametrize("stage", ["ingest", "load", "dbt", "gate", "publish"])
def test_a_run_killed_at_any_stage_is_finished_by_the_next(released, tmp_path, stage):
    home = tmp_path / "home"
    shutil.copytree(released, home, symlinks=True)
    first = (home / "published" / "latest").resolve()
    assert _returns_in_release(first) == set()
    settings = get_settings(home)
    for path in (COUNCILS, POLICE):
        land_file(settings, "returns", path)

    killed = subprocess.run(
        [sys.executable, "-m", "ctm.cli", "run", "--home", str(home)],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "CTM_KILL_AT": stage},
    )
    assert killed.returncode == -9, killed.stdout + killed.stderr  # it really was killed there

    rerun = ctm(home, "run")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert "nothing new to publish" not in rerun.stdout
    latest = (home / "published" / "latest").resolve()
    assert latest != first and _returns_in_release(latest)  # the returns were published
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        raw_files = con.execute("select count(distinct file_id) from raw.agency_returns").fetchone()[0]
        mart_files = con.execute("select count(distinct file_id) from marts.fct_agency_returns").fetchone()[0]
        statuses = con.execute(
            "select original_name, status from audit.file_log where source <> 'nrm' order by 1"
        ).fetchall()
    assert statuses == [(COUNCILS.name, "loaded"), (POLICE.name, "loaded")]
    assert raw_files == mart_files == 2  # everything loaded reached the marts
    assert list((home / "published").glob(".building-*")) == []
    assert list((home / "snapshot").glob(".*.part")) == []
    assert list(settings.landing_dir_for("returns").glob("*.csv")) == []
    assert list(settings.landing_dir_for("returns").glob("*.xlsx")) == []
    # and a third run has nothing owed
    again = ctm(home, "run")
    assert again.returncode == 0 and "nothing new to publish" in again.stdout

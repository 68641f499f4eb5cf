"""The real thing: api-server, scheduler, dag-processor and triggerer running; a workbook dropped in
the landing zone becomes a published release with no other action."""

from __future__ import annotations

import csv
import json
import os

import duckdb
import pytest

from ctm.airflow_api import access_token, post_asset_event
from ctm.demo import land_and_wait, wait_for_release
from ctm.embedded_airflow import EmbeddedAirflow
from pipeline.settings import get_settings
from tests.conftest import SAMPLE_RETURNS, SAMPLE_WORKBOOK
from tests.fixtures.backends import free_port_block

pytestmark = pytest.mark.scheduler


def test_a_landed_workbook_becomes_a_release_under_the_scheduler(tmp_path):
    settings = get_settings(tmp_path / "home")
    bad = tmp_path / "nrm-broken.ods"
    bad.write_text("<html>Not Found</html>")
    airflow = EmbeddedAirflow(settings, port=free_port_block())
    with airflow:
        # a bad file lands first, beside the good one: it must not stop the chain
        (settings.landing_dir_for("nrm")).mkdir(parents=True, exist_ok=True)
        (settings.landing_dir_for("nrm") / bad.name).write_bytes(bad.read_bytes())
        release, seconds = land_and_wait(airflow, {"nrm": [SAMPLE_WORKBOOK]}, timeout=420)

        # An upload portal puts a return in the landing zone without a marker and tells Airflow
        # through the REST API instead: the asset event starts ingest_agency_returns.
        returns_dir = settings.landing_dir_for("returns")
        returns_dir.mkdir(parents=True, exist_ok=True)
        (returns_dir / SAMPLE_RETURNS[1].name).write_bytes(SAMPLE_RETURNS[1].read_bytes())
        password = json.loads((settings.airflow_home / "simple_auth_manager_passwords.json").read_text())[
            "admin"
        ]
        token = access_token(airflow.url, "admin", password)
        event = post_asset_event(airflow.url, "landing_returns", token, {"note": "uploaded by the portal"})
        assert event["name"] == "landing_returns" and event["extra"]["note"] == "uploaded by the portal"
        with_returns = wait_for_release(settings, timeout=300, previous=release, sources=("nrm", "returns"))
        pids = [p.pid for p in airflow.processes.values()]

    with (release / "indicators.csv").open(encoding="utf-8") as handle:
        annual = {
            r["period_label"]: r["value"]
            for r in csv.DictReader(handle)
            if r["indicator_id"] == "child_referrals" and r["period_type"] == "year"
        }
    assert annual["2017"] == "2114" and annual["2023"] == "7432"
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        fates = dict(con.execute("select original_name, status from audit.file_log").fetchall())
    assert fates == {
        "nrm-broken.ods": "quarantined",
        SAMPLE_WORKBOOK.name: "loaded",
        SAMPLE_RETURNS[1].name: "loaded",
    }
    assert "returns_on_time_share," in (with_returns / "indicators.csv").read_text(encoding="utf-8")
    # every process group the deployment started is gone
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.killpg(pid, 0)
    print(f"landing to release under the scheduler: {seconds:.1f}s")

"""DAG integrity: they import, parse fast, are wired to the assets, and each runs with dag.test()."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import duckdb
import pytest
from airflow.dag_processing.dagbag import DagBag

from extract.landing import land_file
from pipeline.settings import MARKER_NAME, get_settings
from pipeline.sources import SOURCES
from tests.conftest import SAMPLE_RETURNS, SAMPLE_TABLES, SAMPLE_WORKBOOK

DAGS_DIR = Path(os.environ["AIRFLOW__CORE__DAGS_FOLDER"])
DAG_FILES = sorted(p for p in DAGS_DIR.glob("*.py") if p.name != "airflow_assets.py")


@pytest.fixture(scope="module")
def dagbag():
    return DagBag(dag_folder=str(DAGS_DIR))


def test_no_import_errors_and_one_dag_per_file_named_after_it_but_one_per_source_in_ingest_sources(dagbag):
    assert dagbag.import_errors == {}
    dags_of_file: dict[str, set[str]] = {}
    for dag in dagbag.dags.values():
        dags_of_file.setdefault(Path(dag.fileloc).stem, set()).add(dag.dag_id)
    # the ingest DAGs are made in one file from the registry of sources, the others one per file
    assert dags_of_file == {
        **{p.stem: {p.stem} for p in DAG_FILES if p.stem != "ingest_sources"},
        "ingest_sources": {source.dag_id for source in SOURCES},
    }
    # the public DAG ids never change; a new source of the registry adds its own
    assert set(dagbag.dag_ids) == {
        "detect_nrm_release",
        "ingest_nrm",
        "ingest_agency_returns",
        "ingest_children_in_need",
        "ingest_police_recorded_crime",
        "transform_warehouse",
        "publish_release",
        "notify_release",
        "alert_overdue_returns",
    } | {source.dag_id for source in SOURCES}


def test_every_dag_file_parses_in_under_a_second(dagbag):
    durations = {Path(stat.file).name: stat.duration.total_seconds() for stat in dagbag.dagbag_stats}
    assert set(durations) == {p.name for p in DAG_FILES}
    # Only release detection runs on a clock; every other stage waits for an asset event.
    assert "Cron" in type(dagbag.dags["detect_nrm_release"].timetable).__name__
    slow = {name: seconds for name, seconds in durations.items() if seconds >= 1.0}
    assert slow == {}


def test_writers_share_the_one_slot_pool_and_retry(dagbag):
    for dag in dagbag.dags.values():
        assert dag.max_active_runs == 1 and dag.catchup is False and dag.tags and dag.doc_md
        for task in dag.tasks:
            # only the tasks that touch warehouse.duckdb take its one-slot pool
            no_warehouse = ("detect_nrm_release", "notify_release", "alert_overdue_returns")
            expected_pool = "default_pool" if dag.dag_id in no_warehouse else "duckdb_writer"
            assert task.pool == expected_pool, (dag.dag_id, task.task_id)
            # release detection does not retry: its fetch backs off itself and the next poll is an hour away
            assert task.retries >= (0 if dag.dag_id == "detect_nrm_release" else 1), (
                dag.dag_id,
                task.task_id,
            )


def _scheduled_on(dag) -> dict[str, object]:
    return {asset.name: asset for asset in dag.timetable.asset_condition.objects}


def test_each_stage_is_scheduled_on_the_asset_the_previous_one_emits(dagbag):

    def outlets(dag_id):
        return {o.name for t in dagbag.dags[dag_id].tasks for o in t.outlets}

    assert set(_scheduled_on(dagbag.dags["ingest_nrm"])) == {"landing_nrm"}
    assert outlets("ingest_nrm") == {"warehouse_raw"}
    assert set(_scheduled_on(dagbag.dags["ingest_agency_returns"])) == {"landing_returns"}
    assert outlets("ingest_agency_returns") == {"warehouse_raw"}
    for source in ("children_in_need", "police_recorded_crime"):
        assert set(_scheduled_on(dagbag.dags[f"ingest_{source}"])) == {f"landing_{source}"}
        assert outlets(f"ingest_{source}") == {"warehouse_raw"}
    assert set(_scheduled_on(dagbag.dags["transform_warehouse"])) == {"warehouse_raw"}
    assert outlets("transform_warehouse") == {"warehouse_marts"}
    assert set(_scheduled_on(dagbag.dags["publish_release"])) == {"warehouse_marts"}
    assert outlets("publish_release") == {"published_release"}
    assert set(_scheduled_on(dagbag.dags["notify_release"])) == {"published_release"}


@pytest.mark.parametrize("source", SOURCES, ids=[source.name for source in SOURCES])
def test_every_source_of_the_registry_has_its_ingest_dag_on_its_landing_asset(dagbag, source):
    dag = dagbag.dags[source.dag_id]
    assert Path(dag.fileloc).name == "ingest_sources.py"
    assert set(dag.tags) == {source.name, "ingest"} and dag.doc_md == source.dag_doc
    assert [task.task_id for task in dag.tasks] == [source.task_id]
    [landing] = _scheduled_on(dag).values()
    landing_dir = get_settings().landing_dir_for(source.name)
    assert (landing.name, landing.uri) == (source.landing_asset, f"file://{landing_dir}")
    assert [watcher.name for watcher in landing.watchers] == [f"{source.landing_asset}_marker"]


@pytest.mark.parametrize(
    ("dag_id", "source", "file"),
    [
        ("ingest_nrm", "nrm", SAMPLE_WORKBOOK),
        ("ingest_agency_returns", "returns", SAMPLE_RETURNS[0]),
        ("ingest_children_in_need", "children_in_need", SAMPLE_TABLES["children_in_need"]),
        ("ingest_police_recorded_crime", "police_recorded_crime", SAMPLE_TABLES["police_recorded_crime"]),
    ],
)
def test_the_landing_watcher_fires_on_the_marker_and_leaves_the_data(dagbag, tmp_path, dag_id, source, file):
    landing = _scheduled_on(dagbag.dags[dag_id])[f"landing_{source}"]
    [watcher] = landing.watchers
    trigger_class = type(watcher.trigger)
    settings = get_settings(tmp_path / "home")
    trigger = trigger_class(
        directory=str(settings.landing_dir_for(source)), filename=MARKER_NAME, poke_interval=0.1
    )
    landed = land_file(settings, source, file)

    async def first_event():
        async for event in trigger.run():
            return event

    event = asyncio.run(asyncio.wait_for(first_event(), 10))
    assert event.payload == {"filepath": str(settings.landing_dir_for(source) / MARKER_NAME)}
    assert landed.exists() and not (settings.landing_dir_for(source) / MARKER_NAME).exists()


def test_dag_test_runs_the_chain_stage_by_stage(dagbag):
    from tests.dags.conftest import CTM_TEST_HOME

    settings = get_settings(CTM_TEST_HOME)
    land_file(settings, "nrm", SAMPLE_WORKBOOK)

    ingest = dagbag.dags["ingest_nrm"].test()
    assert ingest.state == "success"
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        assert con.execute("select status from audit.file_log").fetchall() == [("loaded",)]

    transform = dagbag.dags["transform_warehouse"].test()
    assert transform.state == "success"

    # an agency return lands: its own ingest DAG loads it into the same warehouse
    land_file(settings, "returns", SAMPLE_RETURNS[1])
    returns = dagbag.dags["ingest_agency_returns"].test()
    assert returns.state == "success"
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        assert con.execute("select source, status from audit.file_log where source <> 'nrm'").fetchall() == [
            ("police_return", "loaded")
        ]
    assert dagbag.dags["transform_warehouse"].test().state == "success"

    publish = dagbag.dags["publish_release"].test()
    assert publish.state == "success"
    release = (settings.published_dir / "latest").resolve()
    assert (release / "datapackage.json").exists() and (release / "indicators.csv").exists()

    # With nothing waiting, ingest skips its task: no warehouse_raw event, nothing downstream.
    again = dagbag.dags["ingest_nrm"].test()
    [task_instance] = again.get_task_instances()
    assert task_instance.state == "skipped"


def test_detect_nrm_release_lands_the_newest_workbook(dagbag, govuk, tmp_path, monkeypatch):
    govuk.serve_release(SAMPLE_WORKBOOK.read_bytes())
    home = tmp_path / "detect-home"
    monkeypatch.setenv("CTM_HOME", str(home))
    monkeypatch.setenv("CTM_GOVUK_BASE_URL", govuk.base_url)
    monkeypatch.setenv("CTM_DETECT_NRM_RELEASE", "true")

    run = dagbag.dags["detect_nrm_release"].test()

    assert run.state == "success"
    settings = get_settings(home)
    landed = [p.name for p in settings.landing_dir_for("nrm").iterdir()]
    workbook = "modern-slavery-nrm-statistics-end-of-year-summary-2023-tables.ods"
    # the workbook, what GOV.UK says about it (its publication date), and the marker that starts ingest
    assert sorted(landed) == sorted([MARKER_NAME, workbook, f".{workbook}.meta.json", ".sequence"])


def test_detect_nrm_release_is_off_until_turned_on_and_says_so(dagbag, tmp_path, monkeypatch, capfd):
    monkeypatch.setenv("CTM_HOME", str(tmp_path / "off-home"))
    monkeypatch.delenv("CTM_DETECT_NRM_RELEASE", raising=False)
    run = dagbag.dags["detect_nrm_release"].test()
    [task_instance] = run.get_task_instances()
    assert task_instance.state == "skipped"
    shown = capfd.readouterr()
    assert "set CTM_DETECT_NRM_RELEASE=true" in shown.out + shown.err
    assert not (tmp_path / "off-home" / "landing" / "nrm").exists() or not any(
        (tmp_path / "off-home" / "landing" / "nrm").iterdir()
    )


def test_detect_nrm_release_offline_fails_at_once_with_one_clear_line(dagbag, tmp_path, monkeypatch, capfd):
    """Nothing listens on the port: one failure saying GOV.UK could not be read, no task retries."""
    import socket

    with socket.socket() as probe:  # a free port, closed again: connections are refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("CTM_HOME", str(tmp_path / "offline-home"))
    monkeypatch.setenv("CTM_DETECT_NRM_RELEASE", "true")
    monkeypatch.setenv("CTM_GOVUK_BASE_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("CTM_FETCH_BACKOFF_SECONDS", "0")
    run = dagbag.dags["detect_nrm_release"].test()
    [task_instance] = run.get_task_instances()
    shown = capfd.readouterr()
    assert task_instance.state == "failed" and task_instance.try_number == 1, shown.out[-2000:]
    assert "GOV.UK could not be read, nothing was landed" in shown.out + shown.err


def test_notify_release_posts_the_release_to_every_webhook(dagbag, tmp_path, monkeypatch):
    """A real HTTP server on 127.0.0.1 stands in for a Slack/Teams webhook."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from publish.feed import RELEASES_FILE

    received = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (the http.server API)
            received.append((self.path, json.loads(self.rfile.read(int(self.headers["Content-Length"])))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    home = tmp_path / "notify-home"
    published = home / "published"
    published.mkdir(parents=True)
    entry = {
        "release_id": "2023-q4-abc",
        "published_at": "2026-11-29T10:00:00Z",
        "period": "2009-Q2 to 2023-Q4",
        "key_findings": ["7,432 children were referred to the NRM in 2023."],
        "links": {"report": "2023-q4-abc/report.html"},
    }
    (published / RELEASES_FILE).write_text(json.dumps({"releases": [entry]}))
    port = server.server_address[1]
    monkeypatch.setenv("CTM_HOME", str(home))
    monkeypatch.setenv(
        "CTM_RELEASE_WEBHOOKS", f"http://127.0.0.1:{port}/hook/secret-one, http://127.0.0.1:{port}/hook/two"
    )
    try:
        run = dagbag.dags["notify_release"].test()
    finally:
        server.shutdown()
    assert run.state == "success"
    assert [path for path, _ in received] == ["/hook/secret-one", "/hook/two"]
    body = received[0][1]
    assert body["release_id"] == "2023-q4-abc" and "7,432 children" in body["text"]


def test_alert_overdue_returns_names_the_late_agencies(dagbag, tmp_path, monkeypatch, capfd):
    from datetime import date

    from tests.unit.test_overdue import _snapshot

    home = tmp_path / "overdue-home"
    settings = get_settings(home)
    _snapshot(
        settings, [("2024-Q3", "E06000001", "Hartlepool", "children_services", False, date(2024, 10, 30))]
    )
    monkeypatch.setenv("CTM_HOME", str(home))
    monkeypatch.delenv("CTM_RELEASE_WEBHOOKS", raising=False)
    run = dagbag.dags["alert_overdue_returns"].test()
    assert run.state == "success"
    shown = capfd.readouterr()
    assert (
        "1 agency has not sent their return for 2024-Q3 (deadline 30 October 2024): Hartlepool (E06000001)."
        in (shown.out + shown.err)
    )

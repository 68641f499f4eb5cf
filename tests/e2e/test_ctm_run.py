"""`ctm` end to end, as a user runs it on a fresh data home: the CLI's own entry point in this process
(tests/fixtures/cli.py), and the real executable where the process itself is what is tested."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb

from extract.ingest import ingest_nrm
from extract.landing import land_file
from pipeline.ods import write_ods
from pipeline.settings import get_settings
from tests.conftest import SAMPLE_WORKBOOK, catalogue_indicator_ids
from tests.fixtures.cli import ctm, ctm_process
from tools.generate_nrm_sample import workbook_sheets


def _annual_child_referrals(release: Path) -> dict[str, str]:
    with (release / "indicators.csv").open(encoding="utf-8") as handle:
        return {
            r["period_label"]: r["value"]
            for r in csv.DictReader(handle)
            if r["indicator_id"] == "child_referrals" and r["period_type"] == "year"
        }


def test_run_publishes_the_real_figures_and_quarantines_bad_files_beside_them(tmp_path, referrals):
    home = tmp_path / "home"
    not_found = tmp_path / "nrm-2024-q1.ods"
    not_found.write_text("<!DOCTYPE html><html><body>404 Not Found</body></html>")
    no_table = tmp_path / "contents-only.ods"
    write_ods(no_table, workbook_sheets(referrals)[:3])
    for path in (not_found, SAMPLE_WORKBOOK, no_table):
        assert ctm(home, "submit", "--source", "nrm", str(path)).returncode == 0

    run = ctm(home, "run")

    assert run.returncode == 0, run.stderr
    assert "published: release 2023-q4-" in run.stdout
    # each long step says it has started, on standard error, with the time so far
    steps = [line for line in run.stderr.splitlines() if line.startswith("ctm run [")]
    assert [line.split("] ", 1)[1].split()[0] for line in steps] == [
        "ingesting",
        "building",
        "running",
        "publishing",
    ]
    release = (home / "published" / "latest").resolve()
    annual = _annual_child_referrals(release)
    assert annual["2017"] == "2114" and annual["2023"] == "7432"
    assert len(list((home / "quarantine").glob("*/rejection.json"))) == 2

    status = ctm(home, "status")
    assert status.returncode == 0
    assert "files received: 3" in status.stdout
    assert status.stdout.count("quarantined") == 2 and "loaded      nrm-2023-q4" in status.stdout
    assert f"latest release: {release.name}" in status.stdout

    # Nothing new: exit 0, no rebuild. The same workbook again: a duplicate, same release.
    again = ctm(home, "run")
    assert again.returncode == 0 and "nothing new to publish" in again.stdout
    assert ctm(home, "submit", "--source", "nrm", str(SAMPLE_WORKBOOK)).returncode == 0
    duplicate = ctm(home, "run")
    assert duplicate.returncode == 0 and "duplicate of" in duplicate.stdout
    assert sorted(p.name for p in (home / "published").iterdir()) == sorted(
        ["latest", release.name, "releases.json", "feed.xml", "index.html"]
    )


def test_published_totals_that_do_not_add_up_are_reported_in_the_release(tmp_path, referrals):
    home = tmp_path / "home"
    wrong = {k: dict(v) for k, v in referrals.items()}
    wrong[(2021, 2)][("Child (17 or under)", "Total")] += 10
    workbook = tmp_path / "nrm-2023-q4-tables.ods"
    write_ods(workbook, workbook_sheets(wrong))
    ctm(home, "submit", "--source", "nrm", str(workbook))

    run = ctm(home, "run")

    assert run.returncode == 0, run.stderr
    release = (home / "published" / "latest").resolve()
    quality = json.loads((release / "quality" / "validation_summary.json").read_text())
    warnings = [e for e in quality["expectations"] if not e["success"]]
    # the edited quarter, the year row whose locations no longer sum to its Total, and the real
    # 2023 Q4 first-responder tables (one child referral short of Table 2)
    assert [(w["suite"], w["expectation"], w["severity"], w["unexpected_count"]) for w in warnings] == [
        ("nrm_published_totals", "expect_column_values_to_be_in_set", "warning", 3)
    ]
    assert any("2021-Q2 child: published" in example for example in warnings[0]["examples"])
    docs = (release / "quality" / "data_docs" / "index.html").read_text()
    assert (
        "<td>nrm_published_totals</td>" not in docs
        and "nrm_published_totals.html'>nrm_published_totals" in docs
    )
    assert "<tr class='warnings'><td><a href='nrm_published_totals.html'>" in docs
    report = (release / "report.html").read_text()
    assert "<tr><td>nrm_published_totals</td><td>warnings</td>" in report
    assert "referrals: total of locations, nrm-2023-q4 2021-Q2 child: published" in report
    assert _annual_child_referrals(release)["2021"] == "5447"  # from the detail cells, not the wrong total


def test_run_exits_1_and_publishes_nothing_when_the_gate_holds(tmp_path):
    home = tmp_path / "home"
    settings = get_settings(home)
    land_file(settings, "nrm", SAMPLE_WORKBOOK)
    ingest_nrm(settings)
    with duckdb.connect(str(settings.warehouse_path)) as con:  # a release without its Duty to Notify figures
        con.execute("delete from raw.nrm_cells where table_key = 'nrm_duty_to_notify'")

    run = ctm(home, "run")

    assert run.returncode == 1
    assert "quality gate held the release" in run.stdout
    assert "expect_column_distinct_values_to_contain_set" in run.stdout
    assert "HELD.md" in run.stderr
    # the held run's results, with GX's Data Docs, are where the message says
    index = Path(run.stderr.split("Data Docs of every suite: ")[1].split()[0])
    assert "<tr class='held'><td><a href='mart_prevention_indicators.html'>" in index.read_text()
    assert (index.parent / "mart_prevention_indicators.html").exists()
    assert not (home / "published" / "latest").exists()
    assert [p.name for p in (home / "published").iterdir()] == []


def test_bad_usage_exits_2(tmp_path):
    """The executable itself: its exit codes are what a script or scheduler sees."""
    assert ctm_process(tmp_path, "submit", str(tmp_path / "missing.csv")).returncode == 2
    assert ctm_process(tmp_path, "no-such-command").returncode == 2
    # the in-process runner the other tests use says what the executable says
    for args in (("no-such-command",), ("status",), ("submit", str(tmp_path / "missing.csv"))):
        process, in_process = ctm_process(tmp_path / "home", *args), ctm(tmp_path / "home", *args)
        assert (in_process.returncode, in_process.stdout, in_process.stderr) == (
            process.returncode,
            process.stdout,
            process.stderr,
        ), args


def test_sql_is_read_only_and_answers_queries(built_home):
    home = built_home.home
    answer = ctm(
        home,
        "sql",
        "--csv",
        "select period_label, numerator from marts.mart_prevention_indicators "
        "where indicator_id = 'child_referrals' and period_label in ('2017', '2023') order by 1",
    )
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.splitlines() == ["period_label,numerator", "2017,2114", "2023,7432"]
    write = ctm(home, "sql", "delete from marts.dim_indicator")
    assert write.returncode == 1 and "read-only" in write.stderr
    count = ctm(home, "sql", "--csv", "select count(*) as n from marts.dim_indicator")
    assert count.stdout.splitlines()[1] == str(len(catalogue_indicator_ids()))


def test_fetch_nrm_lands_the_release_that_run_then_publishes(tmp_path, govuk):
    govuk.serve_release(SAMPLE_WORKBOOK.read_bytes())
    home = tmp_path / "home"

    fetched = ctm(home, "fetch-nrm", "--base-url", govuk.base_url)
    assert fetched.returncode == 0, fetched.stderr
    assert "landed " in fetched.stdout and "end of year summary 2023" in fetched.stdout
    assert ctm(home, "run").returncode == 0
    again = ctm(home, "fetch-nrm", "--base-url", govuk.base_url)
    assert again.returncode == 0 and "nothing new" in again.stdout


def test_fetch_nrm_failure_exits_1_and_lands_nothing(tmp_path, govuk):
    home = tmp_path / "home"
    failed = ctm(home, "fetch-nrm", "--base-url", govuk.base_url)
    assert failed.returncode == 1
    assert "answered 404" in failed.stderr and "nothing was landed" in failed.stderr
    landing = home / "landing" / "nrm"
    assert not landing.exists() or list(landing.iterdir()) == []


def test_a_new_vintage_gives_a_new_release_with_its_revisions_and_leaves_the_old_one(tmp_path, referrals):
    home = tmp_path / "home"
    earlier = {k: dict(v) for k, v in referrals.items() if k != (2023, 4)}  # the Q3 2023 release
    for cell in (("Child (17 or under)", "UK"), ("Child (17 or under)", "Total")):
        earlier[(2023, 1)][cell] -= 7  # Q4 2023 revised 2023 Q1 up by 7
    q3 = tmp_path / "nrm-2023-q3-tables.ods"
    write_ods(q3, workbook_sheets(earlier))
    ctm(home, "submit", "--source", "nrm", str(q3))
    assert ctm(home, "run").returncode == 0
    first = (home / "published" / "latest").resolve()
    first_files = {p.name: p.read_bytes() for p in first.rglob("*") if p.is_file()}
    assert first.name.startswith("2023-q3-")

    ctm(home, "submit", "--source", "nrm", str(SAMPLE_WORKBOOK))
    assert ctm(home, "run").returncode == 0

    second = (home / "published" / "latest").resolve()
    assert second.name.startswith("2023-q4-") and second != first
    assert {p.name: p.read_bytes() for p in first.rglob("*") if p.is_file()} == first_files  # never changed
    with (second / "revisions.csv").open(encoding="utf-8") as handle:
        revisions = [
            (r["period_label"], r["column_label"], r["previous_value"], r["value"], r["change"])
            for r in csv.DictReader(handle)
        ]
    # the child cells, and the all-ages Total column they add to
    assert sorted(revisions) == [
        ("2023-Q1", "Total", "1887", "1894", "7"),
        ("2023-Q1", "Total", "4731", "4738", "7"),
        ("2023-Q1", "UK", "1197", "1204", "7"),
    ]
    annual = _annual_child_referrals(second)
    assert annual["2023"] == "7432"  # the facts follow the latest vintage
    with (second / "indicators.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["source_vintage"] for r in rows if r["indicator_id"] == "child_referrals"} == {"nrm-2023-q4"}
    # first-responder tables cover only their release's quarter: 2023-Q3 stays from the Q3 release
    shares = {
        (r["period_label"], r["source_vintage"])
        for r in rows
        if r["indicator_id"] == "uk_national_share_of_child_referrals"
    }
    assert shares == {("2023-Q3", "nrm-2023-q3"), ("2023-Q4", "nrm-2023-q4")}

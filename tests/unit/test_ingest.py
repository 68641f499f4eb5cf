"""Ingest: archive first, then load or quarantine; every file gets an audit row; nothing is lost."""

from __future__ import annotations

import json

import duckdb

from extract.ingest import ingest_nrm
from extract.landing import land_file, waiting_files
from pipeline.ods import write_ods
from tools.generate_nrm_sample import workbook_sheets


def _file_log(settings):
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.execute(
            "select original_name, status, reason, release_id, rows_loaded, archive_path from audit.file_log order by original_name"
        ).fetchall()


def test_bad_files_are_quarantined_and_the_good_one_beside_them_is_loaded(
    home, make_workbook, tmp_path, referrals
):
    html = tmp_path / "release-not-found.ods"
    html.write_text("<!DOCTYPE html><html><title>Page not found - GOV.UK</title></html>")
    no_table = tmp_path / "no-table.ods"
    write_ods(no_table, workbook_sheets(referrals)[:3])  # cover, contents and notes only
    for path in (html, make_workbook("good.ods"), no_table):
        land_file(home, "nrm", path)

    summary = ingest_nrm(home)

    assert summary.loaded == ["good.ods"]
    assert sorted(summary.quarantined) == ["no-table.ods", "release-not-found.ods"]
    log = {row[0]: row for row in _file_log(home)}
    assert log["good.ods"][1:5] == ("loaded", None, "nrm-2023-q4", 158343)
    assert log["release-not-found.ods"][1] == "quarantined"
    assert "the file is an HTML page" in log["release-not-found.ods"][2]
    assert "no table 'NRM referrals by quarter" in log["no-table.ods"][2]
    # every file, good or bad, is in the archive; the landing zone is empty
    assert all((home.archive_dir / row[5].rsplit("/", 1)[-1]).exists() for row in log.values())
    assert waiting_files(home, "nrm") == []
    # each rejected file sits in quarantine with a report for a program and one for a person
    reports = {p.parent.name: p for p in home.quarantine_dir.glob("*/rejection.json")}
    assert len(reports) == 2
    for directory in home.quarantine_dir.iterdir():
        report = json.loads((directory / "rejection.json").read_text())
        assert (directory / report["original_name"]).exists()
        assert report["problems"][0]["rule"] in {"is_ods_workbook", "required_table"}
        assert report["problems"][0]["fix"]
        assert "# Rejected: " + report["original_name"] in (directory / "rejection.md").read_text()
    with duckdb.connect(str(home.warehouse_path), read_only=True) as con:
        assert con.execute("select count(*) from raw.nrm_cells").fetchone() == (2325,)


def test_the_same_workbook_twice_is_a_duplicate_and_changes_nothing(home, make_workbook):
    workbook = make_workbook("release.ods")
    land_file(home, "nrm", workbook)
    assert ingest_nrm(home).loaded == ["release.ods"]
    land_file(home, "nrm", workbook, name="release-again.ods")

    summary = ingest_nrm(home)

    assert summary.loaded == [] and summary.duplicates == ["release-again.ods"]
    statuses = [(row[0], row[1]) for row in _file_log(home)]
    assert statuses == [("release-again.ods", "duplicate"), ("release.ods", "loaded")]
    with duckdb.connect(str(home.warehouse_path), read_only=True) as con:
        assert con.execute("select count(*) from raw.nrm_cells").fetchone() == (2325,)


def test_a_corrected_reupload_of_a_release_supersedes_the_earlier_file(home, make_workbook, referrals):
    land_file(home, "nrm", make_workbook("first.ods"))
    ingest_nrm(home)
    corrected = {k: dict(v) for k, v in referrals.items()}
    corrected[(2023, 4)][("Child (17 or under)", "UK")] += 1
    corrected[(2023, 4)][("Child (17 or under)", "Total")] += 1
    land_file(home, "nrm", make_workbook("corrected.ods", table_referrals=corrected))

    summary = ingest_nrm(home)

    assert summary.loaded == ["corrected.ods"] and summary.superseded == ["nrm-2023-q4"]
    statuses = dict((row[0], row[1]) for row in _file_log(home))
    assert statuses == {"corrected.ods": "loaded", "first.ods": "superseded"}


def test_a_landed_file_is_never_overwritten_while_waiting(home, make_workbook):
    workbook = make_workbook("release.ods")
    land_file(home, "nrm", workbook)
    try:
        land_file(home, "nrm", workbook)
    except FileExistsError as exc:
        assert "already waiting" in str(exc)
    else:
        raise AssertionError("a second landing under the same name must be refused")
    assert (home.landing_dir_for("nrm") / ".ready").exists()


def test_a_workbook_that_reads_but_cannot_be_right_is_rejected_by_its_gx_suite_naming_the_rows(
    home, make_workbook, tmp_path, referrals
):
    sheets = [(name, [list(row) for row in rows]) for name, rows in workbook_sheets(referrals)]
    table_2 = dict(sheets)["Table_2"]
    first_year = next(i for i, row in enumerate(table_2) if row[:2] == [2009, ""])
    table_2.insert(first_year, [2008, "Q4", *table_2[first_year + 1][2:]])  # before the NRM began
    table_2.append([2024, "Q1", *table_2[-1][2:]])  # a quarter after the release's own (2023 Q4)
    broken = tmp_path / "nrm-2023-q4-impossible-periods.ods"
    write_ods(broken, sheets)
    for path in (broken, make_workbook("good.ods")):
        land_file(home, "nrm", path)

    summary = ingest_nrm(home)

    assert summary.loaded == ["good.ods"] and summary.quarantined == [broken.name]
    [directory] = list(home.quarantine_dir.iterdir())
    problems = json.loads((directory / "rejection.json").read_text())["problems"]
    rules = {(p["rule"], p["sheet"], p["row"], p["value"]) for p in problems}
    # each impossible row is named, once per column
    assert {(rule, sheet, value) for rule, sheet, _, value in rules} == {
        ("period_in_release", "Table_2", "2008-Q4"),
        ("period_in_release", "Table_2", "2024-Q1"),
    }
    assert {row for _, _, row, value in rules} == {first_year + 1, len(table_2)}
    first = problems[0]
    assert first["field"] == "Adult (18 or over) / Overseas"
    assert "after the quarter the release covers" in first["message"] and first["fix"]
    report = (directory / "rejection.md").read_text()
    assert "sheet 'Table_2', row" in report
    # nothing of the broken workbook reached raw; the good one is all there
    with duckdb.connect(str(home.warehouse_path), read_only=True) as con:
        assert con.execute("select count(*) from raw.nrm_cells").fetchone() == (2325,)

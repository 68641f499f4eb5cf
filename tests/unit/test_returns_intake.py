"""Agency returns: every kind of real-world file the intake must survive, each with a report that
names the row, column, value and rule, and never at the cost of the good files landed beside it."""

from __future__ import annotations

import json
import random
import zipfile
from datetime import date
from pathlib import Path

import duckdb
import pytest

from extract.ingest import ingest_returns
from extract.landing import land_file
from extract.sources.returns.definition import load_agencies, load_definition
from pipeline.xlsx import make_reproducible
from tools.generate_returns_sample import csv_text, synthetic_return

TODAY = date(2026, 11, 23)
DEFINITION = load_definition()


def council_rows(code: str = "E06000001", period: str = "2024-Q3", seed: int = 1) -> list[list[str]]:
    return synthetic_return(load_agencies()[code], period, DEFINITION, random.Random(seed))


def police_rows(code: str = "E23000001", period: str = "2024-Q3") -> list[list[str]]:
    return synthetic_return(load_agencies()[code], period, DEFINITION, random.Random(2))


def write(tmp_path: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def ingest(home, *files: Path, names: dict[Path, str] | None = None):
    for file in files:
        land_file(home, "returns", file, name=(names or {}).get(file))
    return ingest_returns(home, today=TODAY)


def loaded_values(home, file_name: str) -> dict[tuple[str, str, str], object]:
    with duckdb.connect(str(home.warehouse_path), read_only=True) as con:
        rows = con.execute(
            "select r.agency_code, r.period, r.measure, r.value from raw.agency_returns r "
            "join audit.file_log f using (file_id) where f.original_name = ?",
            [file_name],
        ).fetchall()
    return {(a, p, m): v for a, p, m, v in rows}


def rejection(home, file_name: str) -> dict:
    with duckdb.connect(str(home.warehouse_path), read_only=True) as con:
        (file_id,) = con.execute(
            "select file_id from audit.file_log where original_name = ? and status = 'quarantined'",
            [file_name],
        ).fetchone()
    return json.loads((home.quarantine_dir / file_id / "rejection.json").read_text())


def good_file(tmp_path: Path) -> Path:
    return write(tmp_path, "good.csv", csv_text(council_rows("E09000001")))


def test_messy_but_valid_files_are_loaded(tmp_path, home):
    rows = council_rows()
    rows[0][3] = "1,234"  # thousands separator
    rows[1][0] = "  e06000001 "  # stray spaces, lower case
    rows[2][1] = "2024-q3"
    text = csv_text(rows, note="Council return - notes above the header") + ",,,1,240\nTotal,,,99999\n"
    messy = write(tmp_path, "messy.csv", "\ufeff" + text)  # UTF-8 BOM
    semicolons = write(
        tmp_path,
        "semicolons.csv",
        csv_text(council_rows("E06000002"), delimiter=";", note="Spend in £"),
        "cp1252",
    )
    fake_xlsx = write(tmp_path, "really-a-csv.xlsx", csv_text(council_rows("E06000003")))

    summary = ingest(home, messy, semicolons, fake_xlsx)

    assert sorted(summary.loaded) == ["messy.csv", "really-a-csv.xlsx", "semicolons.csv"], summary.messages
    values = loaded_values(home, "messy.csv")
    assert values[("E06000001", "2024-Q3", "children_assessed_trafficking_concern")] == 1234
    assert len(values) == 11  # the totals rows were left out
    assert len(loaded_values(home, "semicolons.csv")) == 11


def test_every_problem_in_a_return_is_reported_at_once_and_nothing_of_it_loads(tmp_path, home):
    rows = council_rows("E10000016") + council_rows("E06000001", seed=5)
    rows[0][0] = "E07000105"  # a shire district
    rows[4][3], rows[5][3] = "50", "20"  # children_missing > missing_episodes
    rows[6][3] = "twelve"
    rows[7][3] = "3.5"  # a count with decimals
    rows.append(["E06000001", "2024-Q3", "county_lines_closed", "2"])  # a police measure
    rows.append(["E06000001", "2024-Q3", "children_missing", "7"])  # a second children_missing
    bad = write(tmp_path, "bad.csv", csv_text(rows))

    summary = ingest(home, bad, good_file(tmp_path))

    assert summary.quarantined == ["bad.csv"] and summary.loaded == ["good.csv"]
    report = rejection(home, "bad.csv")
    found = {(p["rule"], p["row"], p["column"], p["value"]) for p in report["problems"]}
    assert ("agency_code", 4, "A", "E07000105") in found
    assert ("missing_children_within_episodes", 8, "D", "50") in found
    assert ("value", 10, "D", "twelve") in found
    assert ("whole_number", 11, "D", "3.5") in found
    assert ("measure_for_agency", 26, "C", "county_lines_closed") in found
    assert {
        ("measure_once", 19, "C", "children_missing"),
        ("measure_once", 27, "C", "children_missing"),
    } <= found
    assert any(
        p["rule"] == "measure_present" and "children_assessed_trafficking_concern" in p["message"]
        for p in report["problems"]
    )
    ashford = next(p for p in report["problems"] if p["rule"] == "agency_code")
    assert "Ashford" in ashford["message"] and "county council (E10)" in ashford["message"] and ashford["fix"]
    assert loaded_values(home, "bad.csv") == {}  # atomic: not even its good return
    markdown = (home.quarantine_dir / report["file_id"] / "rejection.md").read_text()
    assert "| row 4, column A ('agency_code') | `E07000105` | agency_code |" in markdown


@pytest.mark.parametrize(
    ("period", "rule", "message"),
    [
        ("2026-Q4", "period_finished", "2026-Q4 has not finished yet"),
        ("2014-Q4", "period_range", "2014-Q4 is before 2015-Q1"),
        ("Q3 2024", "period_format", "not a calendar quarter written YYYY-QN"),
    ],
)
def test_periods(tmp_path, home, period, rule, message):
    bad = write(tmp_path, "period.csv", csv_text(council_rows(period=period)))
    summary = ingest(home, bad, good_file(tmp_path))
    assert summary.loaded == ["good.csv"]
    problems = rejection(home, "period.csv")["problems"]
    assert {p["rule"] for p in problems} == {rule} and message in problems[0]["message"]
    assert problems[0]["column"] == "B" and problems[0]["row"] == 4


def test_a_file_mixing_councils_and_police_is_rejected(tmp_path, home):
    mixed = write(tmp_path, "mixed.csv", csv_text(council_rows() + police_rows()))
    ingest(home, mixed)
    assert [p["rule"] for p in rejection(home, "mixed.csv")["problems"]] == ["one_kind_of_agency"]


def test_a_2025_successor_code_is_accepted_as_the_2023_code(tmp_path, home):
    rows = council_rows("E08000016")
    for row in rows:
        row[0] = "E08000038"  # Barnsley's code from 2025
    ingest(home, write(tmp_path, "barnsley.csv", csv_text(rows)))
    assert {a for a, _, _ in loaded_values(home, "barnsley.csv")} == {"E08000016"}


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Return"
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    make_reproducible(path)
    return path


def test_xlsx_returns_are_read_and_formulas_refused(tmp_path, home):
    header = list(DEFINITION.column_names)
    good = _xlsx(tmp_path / "good.xlsx", [["Notes first"], header, *council_rows("E06000004")])
    rows = council_rows("E06000005")
    rows[3][3] = "=SUM(1,2)"
    with_formula = _xlsx(tmp_path / "formula.xlsx", [header, *rows])

    summary = ingest(home, good, with_formula)

    assert summary.loaded == ["good.xlsx"] and summary.quarantined == ["formula.xlsx"]
    (problem,) = rejection(home, "formula.xlsx")["problems"]
    assert (problem["rule"], problem["sheet"], problem["row"], problem["column"]) == (
        "no_formulas",
        "Return",
        5,
        "D",
    )
    assert "=SUM(1,2)" in problem["message"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "the file is empty"),
        ("scan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "the file is a PDF"),
        ("page.csv", b"<!DOCTYPE html><html>Not found</html>", "the file is an HTML page"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old-style Excel .xls"),
        ("blob.csv", b"\x00\x01\x02binary", "the file is binary"),
        ("notes.csv", b"just some notes\nno header here\n", "no header row with the columns agency_code"),
        ("truncated.xlsx", b"PK\x03\x04" + b"\x00" * 40, "damaged or truncated"),
    ],
)
def test_files_that_are_not_returns(tmp_path, home, name, content, message):
    summary = ingest(home, write(tmp_path, name, content), good_file(tmp_path))
    assert summary.loaded == ["good.csv"] and summary.quarantined == [name]
    assert message in rejection(home, name)["problems"][0]["message"]


def test_size_limits_refuse_a_huge_file_and_a_zip_bomb_before_opening_them(tmp_path, home):
    settings = home.model_copy(update={"return_max_bytes": 50_000, "return_max_unpacked_bytes": 1_000_000})
    huge = write(tmp_path, "huge.csv", csv_text(council_rows()) + "# padding\n" * 10_000)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * 5_000_000)  # 5 MB of zeros, ~5 KB packed
    assert bomb.stat().st_size < 50_000

    summary = ingest(settings, huge, bomb, good_file(tmp_path))

    assert summary.loaded == ["good.csv"] and sorted(summary.quarantined) == ["bomb.xlsx", "huge.csv"]
    assert "at most 50,000 are accepted" in rejection(settings, "huge.csv")["problems"][0]["message"]
    assert "decompresses to 5,000,011 bytes" in rejection(settings, "bomb.xlsx")["problems"][0]["message"]


def test_a_name_with_a_path_in_it_lands_inside_the_landing_zone(tmp_path, home):
    landed = land_file(home, "returns", good_file(tmp_path), name="../../etc/evil.csv")
    assert landed.parent == home.landing_dir_for("returns") and landed.name == "evil.csv"


def test_resubmission_supersedes_and_an_identical_file_is_a_duplicate(tmp_path, home):
    first = write(tmp_path, "first.csv", csv_text(council_rows("E06000001") + council_rows("E06000002")))
    ingest(home, first)
    corrected_rows = council_rows("E06000001", seed=9)
    corrected = write(tmp_path, "corrected.csv", csv_text(corrected_rows))
    ingest(home, corrected)
    with duckdb.connect(str(home.warehouse_path), read_only=True) as con:
        status = dict(con.execute("select original_name, status from audit.file_log").fetchall())
    assert status == {
        "first.csv": "loaded",
        "corrected.csv": "loaded",
    }  # first.csv still has E06000002's return

    again = write(tmp_path, "E06000002-again.csv", csv_text(council_rows("E06000002", seed=7)))
    ingest(home, again)
    duplicate = ingest(home, write(tmp_path, "corrected-copy.csv", csv_text(corrected_rows)))
    with duckdb.connect(str(home.warehouse_path), read_only=True) as con:
        status = dict(con.execute("select original_name, status from audit.file_log").fetchall())
        raw_rows = con.execute("select count(*) from raw.agency_returns").fetchone()[0]
    assert status["first.csv"] == "superseded"  # both of its returns have been replaced
    assert status["corrected-copy.csv"] == "duplicate" and duplicate.duplicates == ["corrected-copy.csv"]
    assert raw_rows == 4 * 11  # full history kept; the duplicate added nothing
    assert ingest_returns(home, today=TODAY).loaded == []  # nothing waiting: nothing changes

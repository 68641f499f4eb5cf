"""NRM workbooks as the Home Office really publishes them, and as office suites save them.

Periods as published (Year only on the year's total row; a year that repeats or goes backwards is
a publisher error), the office-suite ODS form, hostile repeats, the 2025 county table, and
`ctm inspect`, the dry run that writes nothing.
"""

from __future__ import annotations

import csv
import json
import re
import zipfile
from pathlib import Path

import duckdb
import pytest

from extract.ingest import ingest_nrm
from extract.landing import land_file
from extract.sources.nrm.parse import parse_workbook
from pipeline.ods import NotAWorkbookError, read_ods, read_ods_streaming, write_ods
from pipeline.ods.writing import _MANIFEST
from pipeline.problems import RejectedFile
from tests.conftest import SAMPLE_RELEASES, SAMPLE_WORKBOOK
from tests.fixtures.cli import ctm
from tools.generate_nrm_sample import REFERENCE_DIR, workbook_sheets

CHILD = "Child (17 or under)"


def _with_table_2(referrals, edit) -> list:
    sheets = [(name, [list(row) for row in rows]) for name, rows in workbook_sheets(referrals)]
    edit(dict(sheets)["Table_2"])
    return sheets


def _year_row(table: list, year: int) -> int:
    return next(i for i, row in enumerate(table) if row[:2] == [year, ""])


def test_the_year_is_filled_down_from_the_years_total_row(make_workbook):
    cells = parse_workbook(make_workbook()).tables["nrm_referrals_age_location"]
    quarters_2023 = {c.quarter for c in cells if c.year == 2023}
    assert quarters_2023 == {None, 1, 2, 3, 4}  # the total row (quarter None) and its four quarters
    total = next(
        c.value for c in cells if (c.year, c.quarter, c.group, c.label) == (2023, None, CHILD, "Total")
    )
    quarters = sum(
        c.value for c in cells if c.year == 2023 and c.quarter and c.group == CHILD and c.label == "Total"
    )
    assert total == quarters == 7432  # reconciles, and is never summed with them


@pytest.mark.slow
def test_2023_labelled_as_2022_stops_the_workbook_naming_the_cell_and_the_good_one_loads(
    home, tmp_path, referrals, make_workbook
):
    """Table_2 of the Q1-Q3 2023 releases labelled 2023's quarters as 2022."""
    rows_seen = {}

    def relabel(table):
        rows_seen["2022"] = _year_row(table, 2022) + 1
        rows_seen["2023"] = _year_row(table, 2023) + 1
        table[rows_seen["2023"] - 1][0] = 2022

    broken = tmp_path / "nrm-2023-q4-year-repeated.ods"
    write_ods(broken, _with_table_2(referrals, relabel))
    with pytest.raises(RejectedFile) as caught:
        parse_workbook(broken)
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.row, problem.column, problem.field) == (
        "Table_2",
        rows_seen["2023"],
        "A",
        "Year",
    )
    assert (
        f"year 2022 in cell A{rows_seen['2023']} repeats the year stated in row {rows_seen['2022']}"
        in problem.message
    )
    assert "publisher error" in problem.message

    for path in (broken, make_workbook("good.ods")):
        land_file(home, "nrm", path)
    summary = ingest_nrm(home)
    assert summary.loaded == ["good.ods"] and summary.quarantined == [broken.name]
    with duckdb.connect(str(home.warehouse_path), read_only=True) as con:
        assert con.execute(
            "select count(distinct source_vintage), count(*) > 0 from raw.nrm_cells"
        ).fetchone() == (
            1,
            True,
        )


def test_a_year_that_goes_backwards_is_named(tmp_path, referrals):
    def backwards(table):
        table[_year_row(table, 2016)][0] = 2014

    path = tmp_path / "backwards.ods"
    write_ods(path, _with_table_2(referrals, backwards))
    with pytest.raises(RejectedFile) as caught:
        parse_workbook(path)
    assert "year 2014 in cell A" in caught.value.problems[0].message
    assert (
        "comes after 2015" in caught.value.problems[0].message
        or "repeats" in caught.value.problems[0].message
    )


def test_a_two_row_header_may_carry_year_and_quarter_on_its_upper_row(tmp_path, referrals):
    """'Year' and 'Quarter' merged down over both header rows sit on the upper row."""

    def move_up(table):
        header = next(i for i, row in enumerate(table) if row[:2] == ["Year", "Quarter"])
        table[header - 1][:2] = ["Year", "Quarter"]
        table[header][:2] = ["", ""]

    path = tmp_path / "merged-down.ods"
    write_ods(path, _with_table_2(referrals, move_up))
    cells = parse_workbook(path).tables["nrm_referrals_age_location"]
    assert (
        sum(
            c.value for c in cells if c.year == 2023 and c.quarter and c.group == CHILD and c.label == "Total"
        )
        == 7432
    )


OFFICE_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">
<office:body><office:spreadsheet>
<table:table table:name="Cover_sheet"><table:table-row><table:table-cell office:value-type="string">
<text:p>Modern Slavery: NRM statistics, October to December 2023</text:p></table:table-cell></table:table-row>
</table:table>
<table:table table:name="Table_of_contents"><table:table-row><table:table-cell office:value-type="string">
<text:p>Table of contents</text:p></table:table-cell></table:table-row></table:table>
<table:table table:name="Table_40">
<table:table-column table:number-columns-repeated="16384"/>
<table:table-row><table:table-cell office:value-type="string"><text:p>Table 40: Duty to Notify reports by year and quarter <text:span>[note 3]</text:span></text:p></table:table-cell>
<table:table-cell table:number-columns-repeated="16383"/></table:table-row>
<table:table-row table:number-rows-repeated="4"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
<table:table-row>
<table:table-cell office:value-type="string"><text:p>Year</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>Quarter</text:p></table:table-cell>
<table:table-cell office:value-type="string" table:number-columns-spanned="2"><text:p>DtN<text:s text:c="2"/>reports<text:line-break/>[note 5]</text:p></table:table-cell>
<table:covered-table-cell/>
<table:table-cell table:number-columns-repeated="16380"/></table:table-row>
<table:table-row>
<table:table-cell office:value-type="float" office:value="2023"><text:p>2023</text:p></table:table-cell>
<table:table-cell/>
<table:table-cell office:value-type="float" office:value="4746"><text:p>4,746</text:p></table:table-cell>
<table:covered-table-cell/></table:table-row>
<table:table-row>
<table:table-cell/>
<table:table-cell office:value-type="string"><text:p>Q1</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>1,234</text:p></table:table-cell></table:table-row>
<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
</table:table>
</office:spreadsheet></office:body></office:document-content>
"""


def _ods(path: Path, content: str, *, as_saved: bool = False) -> Path:
    """A workbook with this content.xml. `as_saved`: with its manifest and without whitespace
    between elements, as office suites save it (what python-calamine reads); otherwise as a
    hand-made file (pretty-printed, no manifest), which only the streaming reader reads."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        if as_saved:
            zf.writestr("META-INF/manifest.xml", _MANIFEST)
            content = re.sub(r">\s+<", "><", content)
        zf.writestr("content.xml", content)
    return path


@pytest.mark.parametrize("as_saved", [True, False], ids=["calamine", "streaming"])
def test_an_office_suite_sheet_reads_as_it_displays(tmp_path, as_saved):
    """Merged cells, text:s and line breaks in labels, thousands separators, a million repeated rows
    and 16,384 repeated columns (which cost nothing: only what has content is expanded)."""
    sheets = read_ods(_ods(tmp_path / "office.ods", OFFICE_CONTENT, as_saved=as_saved))
    assert list(sheets) == ["Cover_sheet", "Table_of_contents", "Table_40"]
    table = sheets["Table_40"]
    assert len(table) == 8 and len(table[0]) == 3  # the trailing million rows and 16k columns are gone
    assert table[5] == ["Year", "Quarter", "DtN  reports\n[note 5]"]  # the covered cell after it is empty
    assert table[6] == [2023, None, 4746]  # the number as stored, not as displayed
    assert table[7] == [None, "Q1", "1,234"]


def test_an_office_suite_table_parses_with_its_shorthand_of_thousands(tmp_path):
    from extract.sources.nrm.period_tables import parse_table
    from extract.sources.nrm.tables import DUTY_TO_NOTIFY

    sheets = read_ods(_ods(tmp_path / "office.ods", OFFICE_CONTENT))
    cells = parse_table(DUTY_TO_NOTIFY, "Table_40", sheets["Table_40"])
    assert [(c.year, c.quarter, c.label, c.value) for c in cells] == [
        (2023, None, "Total", 4746),
        (2023, 1, "Total", 1234),
    ]


@pytest.mark.parametrize("as_saved", [True, False], ids=["calamine", "streaming"])
@pytest.mark.parametrize(
    ("repeat", "expected"),
    [
        (
            'table:number-columns-repeated="2000000000"',
            "row 8 of sheet 'Table_40' has figures beyond column 16384",
        ),
        ('table:number-columns-repeated="1"', None),
    ],
)
def test_a_cell_with_content_repeated_two_billion_times_is_refused_at_once(
    tmp_path, repeat, expected, as_saved
):
    content = OFFICE_CONTENT.replace(
        '<table:table-cell office:value-type="string"><text:p>Q1</text:p></table:table-cell>',
        f'<table:table-cell office:value-type="string" {repeat}><text:p>Q1</text:p></table:table-cell>',
    )
    path = _ods(tmp_path / "hostile.ods", content, as_saved=as_saved)
    if expected is None:
        assert read_ods(path)["Table_40"][7][1] == "Q1"
        return
    with pytest.raises(NotAWorkbookError, match=expected):
        read_ods(path)
    with pytest.raises(RejectedFile, match=expected):
        parse_workbook(path)


@pytest.mark.parametrize("as_saved", [True, False], ids=["calamine", "streaming"])
def test_a_row_with_content_repeated_two_billion_times_is_refused_at_once(tmp_path, as_saved):
    content = OFFICE_CONTENT.replace(
        '<table:table-row>\n<table:table-cell/>\n<table:table-cell office:value-type="string"><text:p>Q1',
        '<table:table-row table:number-rows-repeated="2000000000">\n<table:table-cell/>\n'
        '<table:table-cell office:value-type="string"><text:p>Q1',
    )
    assert 'number-rows-repeated="2000000000"' in content
    with pytest.raises(NotAWorkbookError, match="sheet 'Table_40' has figures beyond row 1048576"):
        read_ods(_ods(tmp_path / "hostile-rows.ods", content, as_saved=as_saved))


@pytest.mark.slow
def test_both_readers_give_the_same_grid_on_every_sample():
    """python-calamine (fast) and the streaming reader (any valid ODF) must agree cell for cell."""
    for path in SAMPLE_RELEASES:
        assert read_ods(path) == read_ods_streaming(path), path.name


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    path = tmp_path / "bomb.ods"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        with zf.open("content.xml", "w", force_zip64=True) as member:
            block = b" " * (1 << 20)
            for _ in range(600):  # 600 MiB of spaces: a few hundred KB packed
                member.write(block)
    assert path.stat().st_size < 2_000_000
    with pytest.raises(RejectedFile, match="unpacks to 629,145,6.. bytes, more than the 536,870,912"):
        parse_workbook(path)


@pytest.mark.slow
def test_every_shipped_sample_loads_each_in_its_eras_layout():
    """2022 Q2/Q3 (3 rows above, 2022 titles and headers, a header-less column), 2022 Q4-2023 Q3,
    2023 Q4 as an office suite saves it, 2025 Q3 with the county table."""
    eras = {}
    for path in SAMPLE_RELEASES:
        workbook = parse_workbook(path)
        eras[workbook.release_id] = workbook
        if workbook.responder_tables:
            assert set(workbook.responder_tables) == {
                "nrm_referrals_government",
                "nrm_referrals_ngo",
                "nrm_referrals_police",
                "nrm_referrals_local_authority",
            }
    assert eras["nrm-2022-q2"].report.tables[
        "NRM referrals from police first responders"
    ].ignored_columns == ["E"]
    assert eras["nrm-2022-q2"].table_sheets["NRM referrals from police first responders"] == "Table_12"
    assert eras["nrm-2023-q1"].table_sheets["NRM referrals from police first responders"] == "Table_13"
    assert "nrm-2025-q3" in eras


def _police_child_referrals(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum(
            int(r["People"])
            for r in csv.DictReader(handle)
            if r["Age at exploitation"] == CHILD
            and "Total" not in (r["Exploitation type"], r["Gender"], r["Nationality"])
            and not r["First responder"].endswith("total")
        )


def test_the_police_table_loads_every_force_block_as_published():
    workbook = parse_workbook(SAMPLE_WORKBOOK)
    cells = workbook.responder_tables["nrm_referrals_police"]
    forces = {c.first_responder for c in cells}
    assert len(forces) == 48 and "Police total" in forces and "British Transport Police" in forces
    child = sum(
        c.value
        for c in cells
        if c.age_at_exploitation == CHILD
        and "Total" not in (c.exploitation_type, c.gender, c.nationality)
        and not c.first_responder.endswith("total")
    )
    assert child == _police_child_referrals(REFERENCE_DIR / "nrm_referrals_police_2023_q4.csv") == 427


def test_the_2025_county_table_loads_with_its_counties():
    (path,) = [p for p in SAMPLE_RELEASES if "2025-q3" in p.name]
    cells = parse_workbook(path).tables["nrm_referrals_by_county"]
    assert len(cells) == 74 and sum(c.value for c in cells) == 2575  # no total row: counties only
    assert cells[0].group == "Greater London" and cells[0].value == 618
    assert {(c.year, c.quarter) for c in cells} == {(2025, 3)}


@pytest.mark.slow
def test_ctm_inspect_reports_each_table_and_would_load_writing_nothing(tmp_path):
    home = tmp_path / "home"
    before = (SAMPLE_WORKBOOK.stat().st_mtime_ns, SAMPLE_WORKBOOK.read_bytes())
    result = ctm(home, "inspect", str(SAMPLE_WORKBOOK))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "found on sheet 'Table_2', title in row 1, header in row 7" in out
    assert "'Adult (18 or over) / Negative reasonable grounds' -> Adult (18 or over) / Negative" in out
    assert "'Police first responder' -> First responder" in out
    assert (
        "first-responder tables: child referrals 2023 Q4 against Table 2: published 1,945, parts sum to 1,944"
        in out
    )
    assert "verdict: would LOAD" in out
    assert not home.exists()  # nothing written: no data home, no warehouse
    assert (SAMPLE_WORKBOOK.stat().st_mtime_ns, SAMPLE_WORKBOOK.read_bytes()) == before


@pytest.mark.slow
def test_ctm_inspect_names_new_labels_and_the_reason_a_file_would_be_quarantined(tmp_path, referrals):
    sheets = [(name, [list(row) for row in rows]) for name, rows in workbook_sheets(referrals)]
    police = dict(sheets)["Table_13"]
    header = next(i for i, row in enumerate(police) if "Gender" in row)
    police[header][police[header].index("Total") - 1] = "Martian"  # a new nationality: data
    police[header + 3][1] = "Space piracy"  # a new exploitation type: data
    table_2 = dict(sheets)["Table_2"]
    table_2[next(i for i, row in enumerate(table_2) if "Year" in row)][3] = "Britain"  # a closed dimension
    path = tmp_path / "new-labels.ods"
    write_ods(path, sheets)
    result = ctm(tmp_path / "home", "inspect", str(path))
    assert result.returncode == 1, result.stdout
    assert "new nationality labels (1), loaded as published: 'Martian'" in result.stdout
    assert "new exploitation type labels (1), loaded as published: 'Space piracy'" in result.stdout
    assert "verdict: would be QUARANTINED" in result.stdout
    assert "'Britain' in 'NRM referrals by quarter" in result.stdout
    assert (
        "known: ['Overseas', 'UK', 'UK and Overseas', 'Not specified or unknown', 'Total']" in result.stdout
    )


def test_ctm_inspect_of_a_missing_file_is_a_usage_error(tmp_path):
    result = ctm(tmp_path / "home", "inspect", str(tmp_path / "nope.ods"))
    assert result.returncode == 2 and "no such file" in result.stderr


def test_a_new_open_label_loads_as_itself(tmp_path, referrals):
    sheets = [(name, [list(row) for row in rows]) for name, rows in workbook_sheets(referrals)]
    police = dict(sheets)["Table_13"]
    header = next(i for i, row in enumerate(police) if "Gender" in row)
    police[header + 3][1] = "Space piracy"
    path = tmp_path / "new-exploitation.ods"
    write_ods(path, sheets)
    workbook = parse_workbook(path)
    labels = {c.exploitation_type for c in workbook.responder_tables["nrm_referrals_police"]}
    assert "Space piracy" in labels
    report = workbook.report.tables["NRM referrals from police first responders"]
    assert report.new_labels == {"exploitation type": ["Space piracy"]}
    assert json.dumps(report.new_labels)  # plain data, for a machine to read too

"""The NRM parser finds tables by title and headers by content, and says exactly what is wrong."""

from __future__ import annotations

import zipfile
from datetime import date

import pytest

from extract.sources.nrm.parse import parse_workbook
from pipeline.ods import read_ods, write_ods
from pipeline.problems import RejectedFile
from tests.conftest import SAMPLE_RELEASES
from tools.generate_nrm_sample import Layout, table_2_rows, workbook_sheets


def _referrals(workbook):
    return workbook.tables["nrm_referrals_age_location"]


def _child_total(workbook, year: int) -> int:
    return sum(
        c.value
        for c in _referrals(workbook)
        if c.year == year and c.quarter is not None and c.group.startswith("Child") and c.label != "Total"
    )


def _quarter_cells(workbook):
    """The detail cells: quarters (not the year-total rows) by age group (not the grand total)."""
    return [c for c in _referrals(workbook) if c.quarter is not None and c.group != "Total"]


def test_parses_the_real_figures(make_workbook):
    workbook = parse_workbook(make_workbook())
    assert workbook.release_id == "nrm-2023-q4"
    assert len(_quarter_cells(workbook)) == 59 * 15  # 2009 Q2 to 2023 Q4, 3 ages x 5 locations
    year_totals = {
        (c.group, c.label): c.value for c in _referrals(workbook) if c.year == 2023 and c.quarter is None
    }
    assert (
        year_totals[("Child (17 or under)", "Total")] == 7432
    )  # the year's row, kept apart from its quarters
    assert _child_total(workbook, 2017) == 2114
    assert _child_total(workbook, 2023) == 7432


@pytest.mark.parametrize("rows_above", [3, 5, 6])
def test_header_found_by_content_whatever_rows_sit_above_it(make_workbook, rows_above):
    workbook = parse_workbook(make_workbook(rows_above_header=rows_above))
    assert _child_total(workbook, 2023) == 7432


def test_table_found_by_title_when_renumbered(make_workbook):
    workbook = parse_workbook(make_workbook(table_number=7))
    assert (
        workbook.table_sheets["NRM referrals by quarter, age at exploitation and location of exploitation"]
        == "Table_7"
    )


def _rewrite_table(tmp_path, referrals, edit):
    sheets = workbook_sheets(referrals)
    index = next(i for i, (name, _) in enumerate(sheets) if name == "Table_2")
    name, rows = sheets[index]
    rows = [list(r) for r in rows]
    edit(rows)
    sheets[index] = (name, rows)
    path = tmp_path / "edited.ods"
    write_ods(path, sheets)
    return path


def test_labels_with_line_breaks_and_spaces_are_normalised(tmp_path, referrals):
    def edit(rows):
        # rows[5] is the age row, rows[6] the header (5 rows above it by default)
        rows[5][7] = "Child (17\n or  under)"
        rows[5][2] = "Adult (18 or over) "
        rows[6][4] = "UK and\nOverseas"

    workbook = parse_workbook(_rewrite_table(tmp_path, referrals, edit))
    assert _child_total(workbook, 2023) == 7432
    assert {c.label for c in _referrals(workbook)} >= {"UK and Overseas"}


def test_shorthand_markers_are_missing_with_a_flag_never_zero(tmp_path, referrals):
    def edit(rows):
        rows[8][3] = "[x]"  # 2009 Q2, adult, UK (row 7 is 2009's total row)
        rows[9][3] = "[r][e]"  # 2009 Q3

    workbook = parse_workbook(_rewrite_table(tmp_path, referrals, edit))
    flagged = [c for c in _referrals(workbook) if c.value_flag]
    assert [(c.year, c.quarter, c.value, c.value_flag) for c in flagged] == [
        (2009, 2, None, "[x]"),
        (2009, 3, None, "[r][e]"),
    ]


def test_notes_under_the_table_end_it(tmp_path, referrals):
    workbook = parse_workbook(
        _rewrite_table(tmp_path, referrals, lambda rows: rows.append(["Source: Home Office"]))
    )
    assert len(_quarter_cells(workbook)) == 59 * 15


def test_text_where_a_count_belongs_names_sheet_row_and_column(tmp_path, referrals):
    def edit(rows):
        rows[10][4] = "twelve"
        rows[20][9] = "n/a"

    with pytest.raises(RejectedFile) as caught:
        parse_workbook(_rewrite_table(tmp_path, referrals, edit))
    problems = caught.value.problems
    assert [(p.sheet, p.row, p.column, p.field) for p in problems] == [
        ("Table_2", 11, "E", "Adult (18 or over) / UK and Overseas"),
        ("Table_2", 21, "J", "Child (17 or under) / UK and Overseas"),
    ]
    assert "'twelve' is not a count" in problems[0].message


def test_renamed_header_is_rejected_with_its_column(tmp_path, referrals):
    with pytest.raises(RejectedFile) as caught:
        parse_workbook(_rewrite_table(tmp_path, referrals, lambda rows: rows[6].__setitem__(3, "Britain")))
    messages = [p.describe() for p in caught.value.problems]
    assert "sheet 'Table_2', row 7, column D ('Britain'): 'Britain' in 'NRM referrals" in messages[0]
    assert (
        "is not a known location of exploitation; known: ['Overseas', 'UK', 'UK and Overseas'" in messages[0]
    )
    assert any(
        "the column 'Adult (18 or over) / UK' of 'NRM referrals" in m and "is missing" in m for m in messages
    )


def test_workbook_without_the_table_names_the_table(tmp_path, referrals):
    path = tmp_path / "no-table.ods"
    write_ods(path, workbook_sheets(referrals)[:3])
    with pytest.raises(RejectedFile) as caught:
        parse_workbook(path)
    assert "no table 'NRM referrals by quarter, age at exploitation and location of exploitation'" in str(
        caught.value
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"<!DOCTYPE html><html><body>Not found</body></html>", "the file is an HTML page"),
        (b"Year,Quarter\n2023,Q4\n", "the file is not a zip archive"),
    ],
)
def test_not_a_workbook(tmp_path, content, expected):
    path = tmp_path / "release.ods"
    path.write_bytes(content)
    with pytest.raises(RejectedFile, match=expected):
        parse_workbook(path)


def test_truncated_workbook(tmp_path, make_workbook):
    whole = make_workbook().read_bytes()
    path = tmp_path / "truncated.ods"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(RejectedFile, match="not an OpenDocument spreadsheet"):
        parse_workbook(path)


def test_zip_that_is_not_a_spreadsheet(tmp_path):
    path = tmp_path / "document.ods"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    with pytest.raises(RejectedFile, match="its mimetype is 'application/vnd.oasis.opendocument.text'"):
        parse_workbook(path)


def test_table_2_states_each_year_once_on_its_total_row(referrals):
    rows = table_2_rows(referrals, layout=Layout(rows_above_header=3))
    assert [r[:2] for r in rows[5:10]] == [[2009, ""], ["", "Q2"], ["", "Q3"], ["", "Q4"], [2010, ""]]


def test_decision_tables_reconcile_with_the_real_figures(make_workbook):
    workbook = parse_workbook(make_workbook())
    rg = workbook.tables["nrm_reasonable_grounds"]
    child_2023 = {
        c.label: c.value
        for c in rg
        if c.year == 2023 and c.quarter is None and c.group == "Child (17 or under)"
    }
    assert child_2023 == {"Negative": 1631, "Positive": 4610, "Total": 6241}
    quarters = [
        c.value
        for c in rg
        if c.year == 2023 and c.quarter and c.group == "Child (17 or under)" and c.label == "Positive"
    ]
    assert len(quarters) == 4 and sum(quarters) == 4610  # the year's row is its total, kept apart
    grand = [c for c in rg if c.year == 2023 and c.quarter is None and c.group == "Total"]
    assert [(c.label, c.value) for c in grand] == [("Total", 15247)]


def test_duty_to_notify_table_has_year_totals_and_quarters(make_workbook):
    dtn = parse_workbook(make_workbook()).tables["nrm_duty_to_notify"]
    assert [(c.year, c.quarter, c.value) for c in dtn if c.year == 2015] == [(2015, None, 65), (2015, 4, 65)]
    assert {c.quarter for c in dtn if c.year == 2023} == {None, 1, 2, 3, 4}


def test_every_missing_table_is_named_at_once(tmp_path, referrals):
    path = tmp_path / "only-table-2.ods"
    write_ods(path, [s for s in workbook_sheets(referrals) if s[0] in ("Cover_sheet", "Table_2")])
    with pytest.raises(RejectedFile) as caught:
        parse_workbook(path)
    assert [p.rule for p in caught.value.problems] == ["required_table"] * 8


def test_duty_to_notify_by_nationality_covers_the_release_quarter(make_workbook):
    cells = parse_workbook(make_workbook()).tables["nrm_duty_to_notify_by_nationality"]
    assert {(c.year, c.quarter) for c in cells} == {(2023, 4)}
    by_nationality = {c.group: c.value for c in cells}
    assert by_nationality["Total"] == 1044 == sum(v for k, v in by_nationality.items() if k != "Total")
    assert by_nationality["Afghan Italian"] == 1  # dual nationalities kept as published


def test_an_earlier_release_publishes_only_the_tables_its_contents_lists():
    workbook = parse_workbook(SAMPLE_RELEASES[0])
    assert workbook.release_id == "nrm-2022-q2"  # from the cover: no quarterly table to read it from
    assert workbook.tables_not_published == [
        "NRM referrals by quarter, age at exploitation and location of exploitation",
        "Reasonable grounds decisions by quarter, age at exploitation and outcome",
        "Conclusive grounds decisions by quarter, age at exploitation and outcome",
        "Duty to Notify reports by quarter",
    ]
    assert set(workbook.responder_tables) == {
        "nrm_referrals_government",
        "nrm_referrals_ngo",
        "nrm_referrals_police",
        "nrm_referrals_local_authority",
    }
    cells = workbook.tables["nrm_duty_to_notify_by_nationality"]
    assert {(c.year, c.quarter) for c in cells} == {(2022, 2)}


def test_a_table_the_contents_lists_but_no_sheet_holds_is_named(tmp_path):
    sheets = [s for s in read_ods_sheets(SAMPLE_RELEASES[0]) if s[0] != "Table_13"]  # 2022 Q2: the LA table
    path = tmp_path / "no-table-13.ods"
    write_ods(path, sheets)
    with pytest.raises(RejectedFile) as caught:
        parse_workbook(path)
    (problem,) = caught.value.problems
    assert problem.rule == "required_table"
    assert "'NRM referrals from local authority first responders'" in problem.message
    assert "(the Contents sheet lists it)" in problem.message


def test_a_workbook_with_none_of_the_tables_is_rejected(tmp_path, referrals):
    sheets = workbook_sheets(referrals)
    contents = [("Contents", [["Contents"], ["Worksheet", "Title"], ["Table_1", "Table 1: Summary"]])]
    path = tmp_path / "summary-only.ods"
    write_ods(path, [sheets[0], *contents])
    with pytest.raises(RejectedFile, match="none of the NRM tables the indicators need is listed"):
        parse_workbook(path)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published: 7 March 2024", date(2024, 3, 7)),
        ("Release date 2 November 2023", date(2023, 11, 2)),
        ("", None),
    ],
)
def test_publication_date_read_from_the_cover(tmp_path, referrals, line, expected):
    sheets = workbook_sheets(referrals)
    name, rows = sheets[0]
    sheets[0] = (name, [*rows, [line]])
    path = tmp_path / "dated.ods"
    write_ods(path, sheets)
    assert parse_workbook(path).publication_date == expected


def read_ods_sheets(path):
    return list(read_ods(path).items())

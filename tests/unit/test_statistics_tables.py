"""The official statistics tables (the DfE's Children in Need, the Home Office's police recorded
crime): the real published files, every layout they could arrive in, and hostile ones."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctm.demo import SAMPLE_TABLES
from extract.sources.statistics import TABLES
from extract.sources.statistics.periods import financial_quarter, year_ending_march
from extract.sources.statistics.table import parse_statistics_table, read_count, read_statistics_file
from pipeline.ods import write_ods
from pipeline.problems import RejectedFile
from pipeline.sources import sources_read_by
from pipeline.tabular import read_tabular_file

LIMITS = {"max_bytes": 200 * 1024 * 1024, "max_unpacked_bytes": 2 * 1024**3}
CIN = SAMPLE_TABLES["children_in_need"]
CRIME = SAMPLE_TABLES["police_recorded_crime"]


def _read(path: Path, source: str):
    return read_statistics_file(path, source, **LIMITS)


def _figure(table, period, area_code, measure):
    [figure] = [
        f for f in table.figures if (f.period, f.area_code, f.measure) == (period, area_code, measure)
    ]
    return figure


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


# --- the real published files -----------------------------------------------------------------


def test_the_real_children_in_need_table_gives_the_dfe_s_england_totals():
    table = _read(CIN, "children_in_need")
    assert table.edition == "children_in_need-2024-25"
    # England totals the DfE publishes (data/samples/children_in_need/SOURCES.md)
    trafficking = {"2017-18": 2070, "2019-20": 3010, "2021-22": 2470, "2023-24": 2590, "2024-25": 2250}
    for period, total in trafficking.items():
        assert _figure(table, period, "E92000001", "trafficking").value == total
    cce = {"2021-22": 10140, "2023-24": 15750, "2024-25": 16250}
    for period, total in cce.items():
        assert _figure(table, period, "E92000001", "child_criminal_exploitation").value == total


def test_shorthand_is_missing_with_its_flag_never_zero():
    table = _read(CIN, "children_in_need")
    # CCE was not collected before 2021-22: 'x', not 0
    before = _figure(table, "2017-18", "E92000001", "child_criminal_exploitation")
    assert (before.value, before.flag) == (None, "x")
    suppressed = [f for f in table.figures if f.flag == "c"]
    assert suppressed and all(f.value is None for f in suppressed)
    assert {f.area_level for f in suppressed} == {"utla"}  # the DfE suppresses councils, not England


def test_the_real_police_recorded_crime_table_gives_the_home_office_totals():
    table = _read(CRIME, "police_recorded_crime")
    assert table.edition == "police_recorded_crime-2023-Q2"
    # 2022/23 is 2022-Q2 to 2023-Q1; 10,196 offences in the 43 forces (SOURCES.md)
    year = {"2022-Q2", "2022-Q3", "2022-Q4", "2023-Q1"}
    assert sum(f.value for f in table.figures if f.period in year and f.area_level == "pfa") == 10196
    assert len({f.area_code for f in table.figures if f.area_level == "pfa"}) == 43
    btp = {f.area_name for f in table.figures if f.area_level == "force"}
    assert btp == {"British Transport Police"}
    assert all(f.area_code is None for f in table.figures if f.area_level == "force")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234", (1234, None)),
        ("0", (0, None)),
        ("c", (None, "c")),
        ("[x]", (None, "x")),
        (" Z ", (None, "z")),
        ("low", (None, "low")),
        ("..", (None, "x")),
        ("12u", (12, "u")),
        ("12.0", (12, None)),
    ],
)
def test_counts_and_shorthand_are_read_as_published(text, expected):
    assert read_count(text) == expected


@pytest.mark.parametrize("text", ["", "12a", "-3", "1.5", "n/a"])
def test_anything_else_is_not_a_count(text):
    with pytest.raises(ValueError):
        read_count(text)


def test_periods_are_read_in_every_spelling():
    assert year_ending_march("2025") == "2024-25"
    assert year_ending_march("202425") == "2024-25"
    assert year_ending_march("2024/25") == "2024-25"
    assert financial_quarter("2023/24", "1") == "2023-Q2"
    assert financial_quarter("2023-24", "Q4") == "2024-Q1"
    assert financial_quarter("2023 to 2024", "3") == "2023-Q4"
    with pytest.raises(ValueError, match="not a financial year"):
        financial_quarter("2023/25", "1")


# --- every layout the same table could arrive in ----------------------------------------------

SYNONYMS = {
    "time_period": ["time_period", "Time period", "Year ending 31 March"],
    "geographic_level": ["geographic_level", "Geographic level"],
    "new_la_code": ["new_la_code", "LA code", "Local authority code"],
    "la_name": ["la_name", "LA name", "Local authority"],
    "Trafficking": ["Trafficking", "trafficking (12A)", "TRAFFICKING"],
    "Going_missing": ["Going_missing", "Going missing", "Going missing (10A)"],
    "Child_criminal_exploitation": ["Child_criminal_exploitation", "Child criminal exploitation (24A)"],
}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.data(),
    notes=st.lists(st.text(alphabet="Notes: abc.", min_size=1, max_size=20), max_size=3),
    file_format=st.sampled_from(["csv", "csv-bom", "csv-cp1252", "csv-semicolon", "xlsx", "ods"]),
)
def test_any_layout_of_the_real_table_gives_the_same_figures(tmp_path, data, notes, file_format):
    """Columns in any order, labels in any of the publisher's spellings, notes above the header,
    saved as CSV (any encoding and delimiter), .xlsx or .ods: the same figures."""
    rows = _rows(CIN)
    header, body = rows[0], [r for r in rows[1:] if r[0] in ("2024", "2022")]
    order = data.draw(st.permutations(range(len(header))))
    relabelled = [data.draw(st.sampled_from(SYNONYMS.get(label, [label]))) for label in header]
    table_rows = [[relabelled[i] for i in order]] + [[row[i] for i in order] for row in body]
    table_rows = [[note] for note in notes] + table_rows
    path = tmp_path / f"table.{file_format.split('-')[0]}"
    if file_format == "xlsx":
        import openpyxl

        workbook = openpyxl.Workbook()
        for row in table_rows:
            workbook.active.append([int(v) if v.isdigit() else v for v in row])
        workbook.save(path)
    elif file_format == "ods":
        write_ods(path, [("C3", [[int(v) if v.isdigit() else v for v in row] for row in table_rows])])
    else:
        encoding = {"csv-bom": "utf-8-sig", "csv-cp1252": "cp1252"}.get(file_format, "utf-8")
        _write_csv(path, table_rows, encoding, ";" if file_format == "csv-semicolon" else ",")
    expected = {
        (f.period, f.area_code, f.measure, f.value, f.flag)
        for f in _read(CIN, "children_in_need").figures
        if f.period in ("2023-24", "2021-22")
    }
    got = {
        (f.period, f.area_code, f.measure, f.value, f.flag) for f in _read(path, "children_in_need").figures
    }
    assert got == expected


def test_the_whole_all_offences_table_keeps_modern_slavery_and_matches_forces_by_name(tmp_path):
    """The Home Office's own open-data layout: every offence, forces named without codes."""
    header = [
        "Financial Year", "Financial Quarter", "Force Name", "Offence Description", "Offence Group",
        "Offence Subgroup", "Offence Code", "Number of Offences",
    ]  # fmt: skip
    rows = [
        header,
        [
            "2022/23",
            "1",
            "Devon & Cornwall",
            "Modern slavery",
            "Violence against the person",
            "x",
            "106",
            "21",
        ],
        ["2022/23", "1", "Devon & Cornwall", "Murder", "Violence against the person", "Homicide", "1", "3"],
        ["2022/23", "1", "London, City of", "Modern slavery", "Violence against the person", "x", "106", "0"],
        ["2022/23", "1", "British Transport Police", "Modern slavery", "Violence", "x", "106", "4"],
        ["2022/23", "2", "Dyfed-Powys", "Modern Slavery", "Violence", "x", "106", "1,002"],
    ]
    table = _read(_write_csv(tmp_path / "prc-pfa.csv", rows), "police_recorded_crime")
    got = {(f.period, f.area_level, f.area_code, f.value) for f in table.figures}
    assert got == {
        ("2022-Q2", "pfa", "E23000035", 21),
        ("2022-Q2", "pfa", "E23000034", 0),
        ("2022-Q2", "force", None, 4),
        ("2022-Q3", "pfa", "W15000004", 1002),
    }


# --- hostile and broken files -----------------------------------------------------------------


def _rejection(path: Path, source: str) -> RejectedFile:
    with pytest.raises(RejectedFile) as caught:
        _read(path, source)
    return caught.value


def test_a_bad_cell_is_named_by_row_column_and_field(tmp_path):
    rows = _rows(CIN)[:6]
    column = rows[0].index("Trafficking")
    rows[4][column] = "12a"
    problems = _rejection(_write_csv(tmp_path / "c3.csv", rows), "children_in_need").problems
    [problem] = problems
    assert (problem.row, problem.field, problem.value) == (5, "trafficking", "12a")
    assert problem.column == "AJ"
    assert "is not a count" in problem.message


def test_a_truncated_file_is_rejected_not_read_as_missing(tmp_path):
    text = CIN.read_text(encoding="utf-8")
    cut = text[: text.index("\n", 5000) + 160]  # stops among the figures of a row
    path = tmp_path / "c3.csv"
    path.write_text(cut, encoding="utf-8")
    rejection = _rejection(path, "children_in_need")
    assert any("the cell is empty" in p.message for p in rejection.problems)
    assert {p.row for p in rejection.problems} == {len(cut.splitlines())}


def test_a_repeated_row_is_rejected_naming_both_rows(tmp_path):
    rows = _rows(CIN)[:5]
    rows.append(rows[3])
    problems = _rejection(_write_csv(tmp_path / "c3.csv", rows), "children_in_need").problems
    assert problems[0].row == 6 and "also on row 4" in problems[0].message


def test_an_unknown_force_is_rejected(tmp_path):
    rows = _rows(CRIME)[:3]
    rows[2][1] = "Gotham City Police"
    rows[2][0] = ""
    rejection = _rejection(_write_csv(tmp_path / "prc.csv", rows), "police_recorded_crime")
    assert "'Gotham City Police' is not a police force of England and Wales" in str(rejection)
    assert rejection.problems[0].row == 3


def test_a_table_of_years_is_told_what_it_lacks(tmp_path):
    rows = [
        ["pfa22cd", "force_name", "financial_year", "offences"],
        ["E23000001", "Metropolitan Police", "2022/23", "9"],
    ]
    rejection = _rejection(_write_csv(tmp_path / "annual.csv", rows), "police_recorded_crime")
    assert "but not Financial Quarter" in str(rejection)
    assert rejection.problems[0].row == 1


def test_a_table_of_another_kind_is_rejected_with_what_was_expected(tmp_path):
    rows = [["name", "address"], ["a", "b"]]
    rejection = _rejection(_write_csv(tmp_path / "other.csv", rows), "children_in_need")
    assert "no row in the first 50 of any sheet has the columns of Children in Need table C3" in str(
        rejection
    )


def test_a_crime_table_without_offence_columns_is_rejected(tmp_path):
    rows = [
        ["Financial Year", "Financial Quarter", "Force Name", "Number of Offences"],
        ["2022/23", "1", "Kent", "5"],
    ]
    rejection = _rejection(_write_csv(tmp_path / "prc.csv", rows), "police_recorded_crime")
    assert "none of the columns offence_code, offence_description" in str(rejection)


def test_every_source_has_a_definition_and_the_tables_parse_in_memory():
    assert set(TABLES) == {source.name for source in sources_read_by("statistics")}
    assert {"children_in_need", "police_recorded_crime"} <= set(TABLES)
    sheets = read_tabular_file(CRIME, **LIMITS)
    assert parse_statistics_table(sheets, TABLES["police_recorded_crime"]).figures


COUNCIL_ROW = 16  # Gateshead, 2024-25, in the real table


def _cin_with(tmp_path: Path, column: str, value: str, row: int = COUNCIL_ROW) -> RejectedFile:
    """The real table with one cell of a council's row changed."""
    rows = _rows(CIN)[:20]
    rows[row - 1][rows[0].index(column)] = value
    return _rejection(_write_csv(tmp_path / "c3.csv", rows), "children_in_need")


def test_a_council_code_the_ons_lists_do_not_know_is_rejected(tmp_path):
    [problem] = _cin_with(tmp_path, "new_la_code", "E06999999").problems
    assert (problem.row, problem.field, problem.value) == (COUNCIL_ROW, "new_la_code", "E06999999")
    assert "is not a children's services authority in the ONS lists" in problem.message


def test_a_row_for_a_council_in_a_year_after_it_was_abolished_is_rejected(tmp_path):
    rows = _rows(CIN)
    header = rows[0]
    [north_yorkshire] = [r for r in rows if r[header.index("new_la_code")] == "E10000023" and r[0] == "2023"]
    late = list(north_yorkshire)
    late[0] = "2024"  # the year ending March 2024: the county council was abolished on 1 April 2023
    table = [header, north_yorkshire, late]
    problems = _rejection(_write_csv(tmp_path / "c3.csv", table), "children_in_need").problems
    assert [(p.row, p.field) for p in problems] == [(3, "new_la_code")]
    assert "was abolished on 01 April 2023, before the year 2023-24" in problems[0].message


@pytest.mark.parametrize(
    ("column", "field", "says"),
    [
        ("time_period", "time_period", "is not a financial year"),
        ("geographic_level", "geographic_level", "is not a geographic level"),
        ("new_la_code", "new_la_code", "is not the ONS code of a council"),
        ("Trafficking", None, None),  # in a figure: read as missing with its flag, as published
    ],
)
def test_the_publishers_shorthand_in_every_position(tmp_path, column, field, says):
    if field is None:
        rows = _rows(CIN)[:20]
        rows[COUNCIL_ROW - 1][rows[0].index(column)] = "c"
        table = _read(_write_csv(tmp_path / "c3.csv", rows), "children_in_need")
        [figure] = [f for f in table.figures if f.row == COUNCIL_ROW and f.measure == "trafficking"]
        assert (figure.value, figure.flag) == (None, "c")
        return
    [problem] = _cin_with(tmp_path, column, "c").problems
    assert (problem.row, problem.field) == (COUNCIL_ROW, field) and says in problem.message

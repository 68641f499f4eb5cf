"""First-responder tables: outline rows resolved, nationality columns unpivoted, the real figures kept."""

from __future__ import annotations

import csv

import pytest

from extract.labels import display_label
from extract.sources.nrm.parse import parse_workbook
from extract.sources.nrm.responder_tables import parse_responder_table
from extract.sources.nrm.tables import RESPONDER_TABLES, ROW_DIMENSIONS
from extract.sources.nrm.vocabulary import RESPONDER_AGES
from pipeline.ods import write_ods
from pipeline.problems import RejectedFile
from tools.generate_nrm_sample import REFERENCE_DIR, workbook_sheets

LOCAL_AUTHORITY = next(s for s in RESPONDER_TABLES if s.key == "nrm_referrals_local_authority")


@pytest.mark.parametrize(
    ("key", "csv_name"),
    [
        ("nrm_referrals_government", "nrm_referrals_government_2023_q4.csv"),
        ("nrm_referrals_ngo", "nrm_referrals_ngo_2023_q4.csv"),
        ("nrm_referrals_police", "nrm_referrals_police_2023_q4.csv"),
        ("nrm_referrals_local_authority", "nrm_referrals_local-authority_2023_q4.csv"),
    ],
)
def test_every_published_cell_comes_back_from_the_outline_layout(make_workbook, key, csv_name):
    cells = parse_workbook(make_workbook()).responder_tables[key]
    with (REFERENCE_DIR / csv_name).open(encoding="utf-8") as handle:
        # labels as the parser gives them: tidied, ages in the vocabulary's words
        published = {
            (
                display_label(r["First responder"]),
                display_label(r["Exploitation type"]),
                RESPONDER_AGES.canonical(r["Age at exploitation"]),
                display_label(r["Gender"]),
                display_label(r["Nationality"]),
            ): int(r["People"])
            for r in csv.DictReader(handle)
        }
    parsed = {
        (c.first_responder, c.exploitation_type, c.age_at_exploitation, c.gender, c.nationality): c.value
        for c in cells
    }
    if key == "nrm_referrals_police":  # the extract lists only the non-zero cells
        assert {k: v for k, v in parsed.items() if v} == published
        assert len(parsed) > 10 * len(published) // 2
    elif key == "nrm_referrals_local_authority":  # one block, published without a responder column
        assert parsed == {k: v for k, v in published.items() if k[0] == "Local Authority"}
    else:
        assert parsed == published


def _table(rows):
    header = [*ROW_DIMENSIONS, "Albanian UK", "Vietnamese", "Total"]
    return [["Table 14: NRM referrals from local authority first responders"], header, *rows]


def test_blanks_mean_total_under_a_label_and_the_row_above_otherwise():
    rows = _table(
        [
            ["Local Authority total", "", "", "", 3, 5, 8],
            ["Local Authority", "Labour\n & Criminal", "", "", 3, 4, 7],  # line break as published
            ["", "", "Child (17 or under)", "", 3, 4, 7],
            ["", "", "", "Male", 3, 4, 7],
            ["", "Sexual", "", "", "[x]", 1, 1],
            ["Note: figures are provisional."],
        ]
    )
    cells = parse_responder_table(LOCAL_AUTHORITY, "Table_14", rows)
    keys = sorted({(c.first_responder, c.exploitation_type, c.age_at_exploitation, c.gender) for c in cells})
    assert keys == [
        ("Local Authority", "Labour & Criminal", "Child (17 or under)", "Male"),
        ("Local Authority", "Labour & Criminal", "Child (17 or under)", "Total"),
        ("Local Authority", "Labour & Criminal", "Total", "Total"),
        ("Local Authority", "Sexual", "Total", "Total"),
        ("Local Authority total", "Total", "Total", "Total"),
    ]
    flagged = [(c.nationality, c.value, c.value_flag) for c in cells if c.value_flag]
    assert flagged == [("Albanian UK", None, "[x]")]


def test_text_in_a_nationality_column_names_row_and_nationality():
    rows = _table([["Local Authority", "Sexual", "", "", 1, "two", 3]])
    with pytest.raises(RejectedFile) as caught:
        parse_responder_table(LOCAL_AUTHORITY, "Table_14", rows)
    [problem] = caught.value.problems
    assert (problem.sheet, problem.row, problem.column, problem.field) == ("Table_14", 3, "F", "Vietnamese")


def test_a_missing_first_responder_table_is_named(tmp_path, referrals):
    path = tmp_path / "no-la.ods"
    write_ods(path, [s for s in workbook_sheets(referrals) if s[0] != "Table_14"])
    with pytest.raises(RejectedFile, match="no table 'NRM referrals from local authority first responders'"):
        parse_workbook(path)

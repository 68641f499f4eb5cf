"""The sample generator writes the real figures in the published layout, deterministically."""

from __future__ import annotations

import hashlib

import pytest

from pipeline.ods import read_ods
from tests.conftest import SAMPLE_RELEASES, SAMPLE_WORKBOOK
from tools.generate_nrm_sample import (
    KNOWN_LABELS,
    LAYOUT_OFFICE,
    load_referrals,
    write_known_labels,
    write_release_samples,
    write_sample_workbook,
)


def test_reference_data_matches_published_annual_child_totals(referrals):
    child_2017 = sum(
        v
        for (y, _), cells in referrals.items()
        if y == 2017
        for (age, loc), v in cells.items()
        if age.startswith("Child") and loc != "Total"
    )
    assert child_2017 == 2114


def test_generated_workbook_has_the_published_layout(make_workbook):
    sheets = read_ods(make_workbook(rows_above_header=5))
    assert list(sheets) == [
        "Cover_sheet",
        "Contents",
        "Notes",
        "Table_2",
        "Table_11",
        "Table_12",
        "Table_13",
        "Table_14",
        "Table_16",
        "Table_28",
        "Table_40",
        "Table_41",
    ]
    table = sheets["Table_2"]
    assert table[0][0].startswith("Table 2: NRM referrals by year, quarter, age at exploitation")
    assert table[6][:3] == ["Year", "Quarter", "Overseas"]  # header after 5 rows above + age row
    assert table[5][2] == "Adult (18 or over)" and table[5][3] is None  # age label spans its columns
    # Year only on the year's total row (no quarter), then its quarters with a blank Year.
    assert table[7][:2] == [2009, None] and table[8][:2] == [None, "Q2"]
    assert table[5][-1] == "Total" and table[6][-1] == "Total"  # the grand total column


def test_generator_is_deterministic(tmp_path, referrals):
    first = write_sample_workbook(tmp_path / "a.ods", referrals)
    second = write_sample_workbook(tmp_path / "b.ods", referrals)
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.slow
def test_shipped_samples_are_what_the_generator_writes(tmp_path):
    regenerated = write_release_samples(tmp_path)
    digest = lambda p: hashlib.sha256(p.read_bytes()).hexdigest()  # noqa: E731
    assert [p.name for p in regenerated] == [p.name for p in SAMPLE_RELEASES]
    for fresh, shipped in zip(regenerated, SAMPLE_RELEASES, strict=True):
        assert digest(fresh) == digest(shipped), f"{shipped.name}: run python -m tools.generate_nrm_sample"
    office = write_sample_workbook(tmp_path / "q4.ods", load_referrals(), layout=LAYOUT_OFFICE)
    assert digest(office) == digest(SAMPLE_WORKBOOK)


def test_earlier_releases_carry_only_the_tables_the_data_has_for_them():
    sheets = read_ods(SAMPLE_RELEASES[0])  # 2022 Q2
    assert list(sheets) == [
        "Cover_sheet",
        "Contents",
        "Notes",
        "Table_10",
        "Table_11",
        "Table_12",
        "Table_13",
        "Table_25",
    ]
    assert sheets["Cover_sheet"][0][0].endswith("April to June 2022")
    contents = [row[1] for row in sheets["Contents"][3:]]
    assert len(contents) == 5 and all("Table_2" not in title for title in contents)
    # 3 rows above the header in the 2022 Q2 and Q3 releases, as published then, with the 2022
    # titles, headers and header-less column
    assert sheets["Table_25"][3][:3] == ["Nationality", None, "Total"]
    assert sheets["Table_10"][0][0].startswith(
        "Table 10 - Details of NRM referrals by governmental first responder"
    )
    assert sheets["Table_10"][3][:5] == [
        "First responder (government agencies)",
        "Claimed exploitation type",
        "Age group at exploitation",
        "Gender",
        None,
    ]


@pytest.mark.slow
def test_the_known_labels_are_those_of_the_real_releases(tmp_path):
    fresh = write_known_labels(tmp_path / "known_labels.csv")
    assert fresh.read_bytes() == KNOWN_LABELS.read_bytes(), "run python -m tools.generate_nrm_sample"
    dimensions = {line.split(",", 1)[0] for line in fresh.read_text().splitlines()[1:]}
    assert dimensions == {"exploitation type", "first responder", "gender", "nationality", "UK county"}
    assert "first responder,Police total" in fresh.read_text()

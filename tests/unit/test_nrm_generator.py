"""The sample generator writes the real figures in the published layout, deterministically."""

from __future__ import annotations

import hashlib

from extract.ods import read_ods
from extract.sources.nrm.generate_sample import load_referrals, write_sample_workbook
from tests.conftest import SAMPLE_WORKBOOK


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
    # Year only on the first row of each year: 2009 Q2 has it, 2009 Q3 does not.
    assert table[7][:2] == [2009, "Q2"] and table[8][:2] == [None, "Q3"]


def test_generator_is_deterministic(tmp_path, referrals):
    first = write_sample_workbook(tmp_path / "a.ods", referrals)
    second = write_sample_workbook(tmp_path / "b.ods", referrals)
    assert first.read_bytes() == second.read_bytes()


def test_shipped_sample_is_what_the_generator_writes(tmp_path):
    regenerated = write_sample_workbook(tmp_path / "sample.ods", load_referrals())
    digest = lambda p: hashlib.sha256(p.read_bytes()).hexdigest()  # noqa: E731
    assert digest(regenerated) == digest(SAMPLE_WORKBOOK), (
        "run: python -m extract.sources.nrm.generate_sample"
    )

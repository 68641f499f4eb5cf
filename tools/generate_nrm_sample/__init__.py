"""Write NRM workbooks in the published layout from the real figures shipped in `data/nrm/`.

The Home Office publishes ODS workbooks in the Analysis Function layout: cover, contents and notes
sheets, then one table per `Table_N` sheet with title and note rows above a (sometimes two-row)
header. This generator writes the real Table_2 figures back into that layout so the parser is
exercised on the shape real releases have: one workbook per release in data/nrm (2022 Q2 to 2023 Q4),
each with only the tables that data holds for it, in the layout of its era (`Layout`):
- 2022 Q2/Q3: 3 rows above the header, 'Table 10 - Details of NRM referrals by governmental first
  responder' titles, 'First responder (government agencies)' / 'Claimed exploitation type' / 'Age
  group at exploitation' headers and a header-less empty column;
- 2022 Q4 onwards: 5 rows above the header, Tables 11-14 (police Table_13), the local authority
  table without a responder column, decision outcomes as 'Negative reasonable grounds', Table_2 with
  the Year written only on the year's total row and a grand Total column;
- the office-suite form (the newest release): merged header cells, [note N] markers, line breaks
  and runs of spaces as office suites save them, thousands separators, a million trailing empty rows;
- 2025: the county table ('UK County', 'Total'; sorted by count, no total row), the only 2025
  table data/nrm holds.
The year-total rows of Table_2 and its grand Total column are the sums of the published quarters
and age groups (the tidy extract does not carry them); every other figure is as published.

    python -m tools.generate_nrm_sample [--out data/samples/nrm]
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from .layouts import (
    ATTRIBUTION,
    LAYOUT_2022,
    LAYOUT_2023,
    LAYOUT_OFFICE,
    LOCAL_AUTHORITY_RESPONDER,
    RESPONDER_CSVS,
    Layout,
    ResponderTable,
    period_table_rows,
    responder_table_rows,
    table_2_rows,
)
from .reference import (
    REFERENCE_CSV,
    REFERENCE_DIR,
    PeriodTable,
    Referrals,
    ResponderRows,
    load_period_table,
    load_referrals,
    load_responder_table,
)
from .releases import (
    COUNTY_RELEASES,
    COUNTY_TABLE,
    DTN_BY_NATIONALITY_LATEST,
    DTN_BY_NATIONALITY_TABLE,
    LATEST_RELEASE,
    PUBLICATION,
    RELEASES,
    Sheet,
    _release_workbook,
    county_tables,
    longitudinal_tables,
    quarter_tables,
    release_layout,
    release_sheets,
    workbook_sheets,
)
from .writer import (
    KNOWN_LABELS,
    SAMPLE_DIR,
    sample_workbook_name,
    write_known_labels,
    write_release_samples,
    write_sample_workbook,
)

# what other code imports from tools.generate_nrm_sample, as when it was one module
__all__ = [
    "ATTRIBUTION",
    "COUNTY_RELEASES",
    "COUNTY_TABLE",
    "DTN_BY_NATIONALITY_LATEST",
    "DTN_BY_NATIONALITY_TABLE",
    "KNOWN_LABELS",
    "LATEST_RELEASE",
    "LAYOUT_2022",
    "LAYOUT_2023",
    "LAYOUT_OFFICE",
    "LOCAL_AUTHORITY_RESPONDER",
    "Layout",
    "PUBLICATION",
    "PeriodTable",
    "REFERENCE_CSV",
    "REFERENCE_DIR",
    "RELEASES",
    "RESPONDER_CSVS",
    "Referrals",
    "ResponderRows",
    "ResponderTable",
    "SAMPLE_DIR",
    "Sheet",
    "_release_workbook",
    "county_tables",
    "load_period_table",
    "load_referrals",
    "load_responder_table",
    "longitudinal_tables",
    "main",
    "period_table_rows",
    "quarter_tables",
    "release_layout",
    "release_sheets",
    "responder_table_rows",
    "sample_workbook_name",
    "table_2_rows",
    "workbook_sheets",
    "write_known_labels",
    "write_release_samples",
    "write_sample_workbook",
]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tools.generate_nrm_sample", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR, help="directory to write into")
    args = parser.parse_args(argv)
    for path in write_release_samples(args.out):
        print(f"wrote {path}")
    print(f"wrote {write_known_labels()}")

"""Write NRM workbooks in the published layout from the real figures shipped in `data/nrm/`.

The Home Office publishes ODS workbooks in the Analysis Function layout: cover, contents and notes
sheets, then one table per `Table_N` sheet with title and note rows above a (sometimes two-row)
header. This generator writes the real Table_2 figures back into that layout so the parser is
exercised on the shape real releases have. Options reproduce the variations seen between releases
(rows above the header, table numbering).

    python -m extract.sources.nrm.generate_sample [--out data/samples/nrm]
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from extract.ods import Cell, write_ods
from extract.sources.nrm.tables import AGE_GROUPS, LOCATIONS
from pipeline.settings import REPO_ROOT

REFERENCE_CSV = REPO_ROOT / "data" / "nrm" / "nrm_referrals_longitudinal.csv"
SAMPLE_DIR = REPO_ROOT / "data" / "samples" / "nrm"

PUBLICATION = "Modern Slavery: National Referral Mechanism and Duty to Notify statistics UK"
ATTRIBUTION = (
    "Source: Home Office, Modern Slavery: NRM and DtN statistics UK, October to December 2023. "
    "Contains public sector information licensed under the Open Government Licence v3.0."
)
_QUARTER_SPAN = {1: "January to March", 2: "April to June", 3: "July to September", 4: "October to December"}

Referrals = dict[tuple[int, int], dict[tuple[str, str], int]]


def load_referrals(path: Path = REFERENCE_CSV) -> Referrals:
    """(year, quarter) -> (age label, location label) -> referrals, from the tidy Table_2 extract."""
    table: Referrals = defaultdict(dict)
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (int(row["Year"]), int(row["Quarter"].removeprefix("Q")))
            table[key][(row["Age at exploitation"], row["Location of exploitation"])] = int(
                row["NRM referrals"]
            )
    return dict(table)


def table_2_rows(
    referrals: Referrals, *, table_number: int = 2, rows_above_header: int = 5
) -> list[list[Cell]]:
    """Title and note rows, a two-row header (age over location), then one row per quarter.

    Year is filled only on the first row of each year, as in the published tables.
    """
    periods = sorted(referrals)
    first, last = periods[0], periods[-1]
    title = (
        f"Table {table_number}: NRM referrals by year, quarter, age at exploitation and location of "
        f"exploitation, {first[0]} Q{first[1]} to {last[0]} Q{last[1]}"
    )
    notes = [
        "This worksheet contains one table. Some cells refer to notes which can be found in the notes worksheet.",
        "Figures for earlier quarters are revised in every release.",
        ATTRIBUTION,
        "Age is the age at the time of exploitation. Location is where the exploitation took place.",
        "Freeze panes are turned on; the header is in two rows.",
    ]
    rows: list[list[Cell]] = [[title]]
    rows += [[note] for note in notes[: max(rows_above_header - 1, 0)]]
    top: list[Cell] = ["", ""]
    header: list[Cell] = ["Year", "Quarter"]
    for age in AGE_GROUPS:
        for i, location in enumerate(LOCATIONS):
            top.append(age if i == 0 else "")
            header.append(location)
    rows += [top, header]
    previous_year = None
    for year, quarter in periods:
        cells = referrals[(year, quarter)]
        row: list[Cell] = [year if year != previous_year else "", f"Q{quarter}"]
        row += [cells[(age, location)] for age in AGE_GROUPS for location in LOCATIONS]
        rows.append(row)
        previous_year = year
    return rows


def workbook_sheets(
    referrals: Referrals, *, table_number: int = 2, rows_above_header: int = 5
) -> list[tuple[str, Sequence[Sequence[Cell]]]]:
    last_year, last_quarter = max(referrals)
    period = f"{_QUARTER_SPAN[last_quarter]} {last_year}"
    table_sheet = f"Table_{table_number}"
    cover = [
        [f"{PUBLICATION}, {period}"],
        [
            "Sample workbook written by child-trafficking-monitor in the published layout, from the published figures."
        ],
        [ATTRIBUTION],
    ]
    contents = [
        ["Contents"],
        ["Worksheet", "Title"],
        ["Notes", "Notes referred to in the tables"],
        [table_sheet, "NRM referrals by year, quarter, age at exploitation and location of exploitation"],
    ]
    notes = [
        ["Notes"],
        ["Note number", "Note text"],
        ["Note 1", "Shorthand: [x] not available, [z] not applicable, [c] confidential."],
    ]
    table = table_2_rows(referrals, table_number=table_number, rows_above_header=rows_above_header)
    return [("Cover_sheet", cover), ("Contents", contents), ("Notes", notes), (table_sheet, table)]


def write_sample_workbook(
    out: Path, referrals: Referrals | None = None, *, table_number: int = 2, rows_above_header: int = 5
) -> Path:
    referrals = referrals if referrals is not None else load_referrals()
    write_ods(out, workbook_sheets(referrals, table_number=table_number, rows_above_header=rows_above_header))
    return out


def sample_workbook_name(referrals: Referrals) -> str:
    year, quarter = max(referrals)
    return f"nrm-{year}-q{quarter}-tables.ods"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR, help="directory to write into")
    args = parser.parse_args(argv)
    referrals = load_referrals()
    args.out.mkdir(parents=True, exist_ok=True)
    path = write_sample_workbook(args.out / sample_workbook_name(referrals), referrals)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()

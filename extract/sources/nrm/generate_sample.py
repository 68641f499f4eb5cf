"""Write NRM workbooks in the published layout from the real figures shipped in `data/nrm/`.

The Home Office publishes ODS workbooks in the Analysis Function layout: cover, contents and notes
sheets, then one table per `Table_N` sheet with title and note rows above a (sometimes two-row)
header. This generator writes the real Table_2 figures back into that layout so the parser is
exercised on the shape real releases have: one workbook per release in data/nrm (2022 Q2 to 2023 Q4),
each with only the tables that data holds for it. Options reproduce the variations seen between
releases (rows above the header, table numbering).

    python -m extract.sources.nrm.generate_sample [--out data/samples/nrm]
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from extract.ods import Cell, write_ods
from extract.sources.nrm.tables import (
    AGE_GROUPS,
    ALL_AGES,
    CONCLUSIVE_GROUNDS,
    DUTY_TO_NOTIFY,
    LOCATIONS,
    REASONABLE_GROUNDS,
    ROW_DIMENSIONS,
    TableSpec,
)
from pipeline.settings import REPO_ROOT

REFERENCE_DIR = REPO_ROOT / "data" / "nrm"
REFERENCE_CSV = REFERENCE_DIR / "nrm_referrals_longitudinal.csv"
SAMPLE_DIR = REPO_ROOT / "data" / "samples" / "nrm"

PUBLICATION = "Modern Slavery: National Referral Mechanism and Duty to Notify statistics UK"
ATTRIBUTION = (
    "Source: Home Office, Modern Slavery: NRM and DtN statistics UK, October to December 2023. "
    "Contains public sector information licensed under the Open Government Licence v3.0."
)
_QUARTER_SPAN = {1: "January to March", 2: "April to June", 3: "July to September", 4: "October to December"}
_NOTES = [
    "This worksheet contains one table. Some cells refer to notes which can be found in the notes worksheet.",
    "Figures for earlier quarters are revised in every release.",
    ATTRIBUTION,
    "Age is the age at the time of exploitation.",
    "Freeze panes are turned on.",
]

Referrals = dict[tuple[int, int], dict[tuple[str, str], int]]
# (year, quarter or None for the year's total) -> (group or None, column label) -> value
PeriodTable = dict[tuple[int, int | None], dict[tuple[str | None, str], int]]


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


def load_period_table(path: Path) -> PeriodTable:
    """A decision or Duty to Notify extract: columns 'Age - Outcome ...' (or just 'Total') per period."""
    table: PeriodTable = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            quarter = None if row["Quarter"] == "Total" else int(row["Quarter"].removeprefix("Q"))
            cells: dict[tuple[str | None, str], int] = {}
            for column, value in row.items():
                if column in ("Year", "Quarter"):
                    continue
                if " - " in column:
                    group, outcome = column.split(" - ", 1)
                    cells[(group, outcome.split()[0])] = int(
                        value
                    )  # 'Negative reasonable grounds' -> 'Negative'
                elif "Adult (18 or over) - Total" in row:
                    cells[(ALL_AGES, column)] = int(value)  # the decision table's grand total
                else:
                    cells[(None, column)] = int(value)
            table[(int(row["Year"]), quarter)] = cells
    return table


def _table_rows(
    title: str, rows_above_header: int, top: list[Cell] | None, header: list[Cell]
) -> list[list[Cell]]:
    """Title and note rows, then the header (two rows when `top` is given)."""
    rows: list[list[Cell]] = [[title]]
    rows += [[note] for note in _NOTES[: max(rows_above_header - 1, 0)]]
    return [*rows, *([top] if top is not None else []), header]


def table_2_rows(
    referrals: Referrals, *, table_number: int = 2, rows_above_header: int = 5
) -> list[list[Cell]]:
    """Referrals by age (upper header) x location, one row per quarter; Year only on a year's first row."""
    periods = sorted(referrals)
    first, last = periods[0], periods[-1]
    title = (
        f"Table {table_number}: NRM referrals by year, quarter, age at exploitation and location of "
        f"exploitation, {first[0]} Q{first[1]} to {last[0]} Q{last[1]}"
    )
    top: list[Cell] = ["", ""]
    header: list[Cell] = ["Year", "Quarter"]
    for age in AGE_GROUPS:
        for i, location in enumerate(LOCATIONS):
            top.append(age if i == 0 else "")
            header.append(location)
    rows = _table_rows(title, rows_above_header, top, header)
    previous_year = None
    for year, quarter in periods:
        cells = referrals[(year, quarter)]
        row: list[Cell] = [year if year != previous_year else "", f"Q{quarter}"]
        row += [cells[(age, location)] for age in AGE_GROUPS for location in LOCATIONS]
        rows.append(row)
        previous_year = year
    return rows


def period_table_rows(
    title: str, spec: TableSpec, table: PeriodTable, *, rows_above_header: int = 5
) -> list[list[Cell]]:
    """Decision and Duty to Notify tables: the year's total row (Year, no Quarter), then its quarters."""
    keys = [(g, c) for g, c in sorted(spec.expected_cells(), key=_column_order(spec))]
    top: list[Cell] | None = None
    if spec.groups is not None:
        top = ["", ""] + [g if i == 0 or keys[i - 1][0] != g else "" for i, (g, _) in enumerate(keys)]
    header: list[Cell] = ["Year", "Quarter"] + [c for _, c in keys]
    rows = _table_rows(title, rows_above_header, top, header)
    years = sorted({y for y, _ in table})
    for year in years:
        quarters = sorted(q for y, q in table if y == year and q is not None)
        if (year, None) in table:
            rows.append([year, ""] + [table[(year, None)][k] for k in keys])
        for i, quarter in enumerate(quarters):
            label_year = year if (year, None) not in table and i == 0 else ""
            rows.append([label_year, f"Q{quarter}"] + [table[(year, quarter)][k] for k in keys])
    return rows


def _column_order(spec: TableSpec):
    groups = list(spec.groups or [None])
    columns = list(spec.columns)
    return lambda key: (groups.index(key[0]), columns.index(key[1]))


# table key -> (extract name in data/nrm, table number in the Q4 2023 release, who the responders are)
RESPONDER_CSVS = {
    "nrm_referrals_government": ("nrm_referrals_government", 11, "government agency"),
    "nrm_referrals_ngo": ("nrm_referrals_ngo", 12, "NGO and third sector"),
    "nrm_referrals_local_authority": ("nrm_referrals_local-authority", 14, "local authority"),
}
DTN_BY_NATIONALITY_TABLE = 41
# Every release data/nrm carries, oldest first; only the newest has the longitudinal tables.
RELEASES = ((2022, 2), (2022, 3), (2022, 4), (2023, 1), (2023, 2), (2023, 3), (2023, 4))
LATEST_RELEASE = RELEASES[-1]
# row key (first responder, exploitation type, age, gender) -> nationality -> people
ResponderTable = dict[tuple[str, str, str, str], dict[str, int]]


def load_responder_table(path: Path) -> tuple[ResponderTable, list[str]]:
    """A long first-responder extract as wide rows, and its nationality columns in published order."""
    table: ResponderTable = defaultdict(dict)
    nationalities: list[str] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (
                row["First responder"],
                row["Exploitation type"],
                row["Age at exploitation"],
                row["Gender"],
            )
            table[key][row["Nationality"]] = int(row["People"])
            if row["Nationality"] not in nationalities:
                nationalities.append(row["Nationality"])
    # 'Total' is the last column, as published
    nationalities = [n for n in nationalities if n != "Total"] + (
        ["Total"] if "Total" in nationalities else []
    )
    return dict(table), nationalities


def _outline_order(table: ResponderTable) -> list[tuple[str, str, str, str]]:
    """Blocks in order of first appearance, each block's total row first."""
    first_seen: list[dict[str, int]] = [{} for _ in ROW_DIMENSIONS]
    for key in table:
        for level, label in enumerate(key):
            first_seen[level].setdefault(label, len(first_seen[level]))

    def rank(key):
        return tuple(
            (0 if label == "Total" or label.endswith(" total") else 1, first_seen[level][label])
            for level, label in enumerate(key)
        )

    return sorted(table, key=rank)


def responder_table_rows(
    title: str, table: ResponderTable, nationalities: list[str], *, rows_above_header: int = 5
) -> list[list[Cell]]:
    """The outline layout: a level's label is written where its block starts; a blank below a written
    label means 'Total'; a blank with nothing written to its left means 'as the row above'."""
    rows = _table_rows(title, rows_above_header, None, [*ROW_DIMENSIONS, *nationalities])
    previous: tuple[str, ...] = ("",) * len(ROW_DIMENSIONS)
    for key in _outline_order(table):
        labels: list[Cell] = []
        written = False
        for level, label in enumerate(key):
            show = label != "Total" and (label != previous[level] or written)
            labels.append(label if show else "")
            written = written or show
        rows.append([*labels, *(table[key].get(n, 0) for n in nationalities)])
        previous = key
    return rows


Sheet = tuple[str, Sequence[Sequence[Cell]]]


def longitudinal_tables(
    referrals: Referrals,
    *,
    table_number: int = 2,
    rows_above_header: int = 5,
    until: tuple[int, int] = (9999, 4),
) -> list[Sheet]:
    """Table_2 and the decision and Duty to Notify tables, every quarter up to `until` (a release
    cannot publish a quarter after its own; a year's total row only once the year is complete)."""
    tables: list[Sheet] = [
        (
            f"Table_{table_number}",
            table_2_rows(referrals, table_number=table_number, rows_above_header=rows_above_header),
        ),
    ]
    for number, spec, csv_name, title in (
        (
            16,
            REASONABLE_GROUNDS,
            "nrm_reasonable_grounds.csv",
            "Reasonable grounds decisions by year, quarter, age at exploitation and outcome",
        ),
        (
            28,
            CONCLUSIVE_GROUNDS,
            "nrm_conclusive_grounds.csv",
            "Conclusive grounds decisions by year, quarter, age at exploitation and outcome",
        ),
        (
            40,
            DUTY_TO_NOTIFY,
            "nrm_duty_to_notify_longitudinal.csv",
            "Duty to Notify reports by year and quarter",
        ),
    ):
        table = {
            (y, q): cells
            for (y, q), cells in load_period_table(REFERENCE_DIR / csv_name).items()
            if (y, q or 4) <= until
        }
        span = f"{min(y for y, _ in table)} to {max(y for y, _ in table)}"
        rows = period_table_rows(
            f"Table {number}: {title}, {span}", spec, table, rows_above_header=rows_above_header
        )
        tables.append((f"Table_{number}", rows))
    return tables


def quarter_tables(year: int, quarter: int, *, rows_above_header: int = 5) -> list[Sheet]:
    """The tables a release publishes for its own quarter only: first responders, DtN by nationality."""
    period = f"{_QUARTER_SPAN[quarter]} {year}"
    tables: list[Sheet] = []
    for extract, number, who in RESPONDER_CSVS.values():
        table, nationalities = load_responder_table(REFERENCE_DIR / f"{extract}_{year}_q{quarter}.csv")
        title = (
            f"Table {number}: NRM referrals from {who} first responders, by first responder, exploitation type, "
            f"age at exploitation, gender and nationality, {period}"
        )
        tables.append(
            (
                f"Table_{number}",
                responder_table_rows(title, table, nationalities, rows_above_header=rows_above_header),
            )
        )
    extract = REFERENCE_DIR / f"nrm_duty_to_notify_by_nationality_{year}_q{quarter}.csv"
    with extract.open(encoding="utf-8") as handle:
        dtn_rows = [[r["Nationality"], int(r["Total"])] for r in csv.DictReader(handle)]
    title = f"Table {DTN_BY_NATIONALITY_TABLE}: Duty to Notify reports by nationality, {period}"
    header = _table_rows(title, rows_above_header, None, ["Nationality", "Total"])
    tables.append((f"Table_{DTN_BY_NATIONALITY_TABLE}", header + dtn_rows))
    return tables


def _release_workbook(year: int, quarter: int, tables: list[Sheet]) -> list[Sheet]:
    """Cover, contents (listing exactly the tables present) and notes, then the tables in number order."""
    period = f"{_QUARTER_SPAN[quarter]} {year}"
    tables = sorted(tables, key=lambda sheet: int(sheet[0].removeprefix("Table_")))
    cover = [
        [f"{PUBLICATION}, {period}"],
        [
            "Sample workbook written by child-trafficking-monitor in the published layout, from the published figures."
        ],
        [ATTRIBUTION.replace("October to December 2023", period)],
    ]
    contents = [["Contents"], ["Worksheet", "Title"], ["Notes", "Notes referred to in the tables"]]
    contents += [[name, rows[0][0]] for name, rows in tables]
    notes = [
        ["Notes"],
        ["Note number", "Note text"],
        ["Note 1", "Shorthand: [x] not available, [z] not applicable, [c] confidential."],
    ]
    return [("Cover_sheet", cover), ("Contents", contents), ("Notes", notes), *tables]


def workbook_sheets(
    referrals: Referrals, *, table_number: int = 2, rows_above_header: int = 5
) -> list[Sheet]:
    """A release's workbook with every table, its period the last quarter of `referrals`: the
    longitudinal tables up to that quarter, and that quarter's first-responder and nationality
    tables (the newest release's when data/nrm has none for it)."""
    year, quarter = max(referrals)
    tables = longitudinal_tables(
        referrals, table_number=table_number, rows_above_header=rows_above_header, until=(year, quarter)
    )
    own_quarter = (year, quarter) if (year, quarter) in RELEASES else LATEST_RELEASE
    tables += quarter_tables(*own_quarter, rows_above_header=rows_above_header)
    return _release_workbook(year, quarter, tables)


def release_sheets(year: int, quarter: int) -> list[Sheet]:
    """One release as shipped: the newest with every table; earlier ones with only the tables data/nrm
    holds for them (not invented), 3 rows above the header in 2022 Q2 and Q3 as published then."""
    if (year, quarter) == LATEST_RELEASE:
        return workbook_sheets(load_referrals())
    rows_above_header = 3 if (year, quarter) <= (2022, 3) else 5
    return _release_workbook(
        year, quarter, quarter_tables(year, quarter, rows_above_header=rows_above_header)
    )


def write_sample_workbook(
    out: Path, referrals: Referrals | None = None, *, table_number: int = 2, rows_above_header: int = 5
) -> Path:
    referrals = referrals if referrals is not None else load_referrals()
    write_ods(out, workbook_sheets(referrals, table_number=table_number, rows_above_header=rows_above_header))
    return out


def sample_workbook_name(year: int, quarter: int) -> str:
    return f"nrm-{year}-q{quarter}-tables.ods"


def write_release_samples(out: Path = SAMPLE_DIR) -> list[Path]:
    """Every release in RELEASES, as shipped in data/samples/nrm/."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for year, quarter in RELEASES:
        path = out / sample_workbook_name(year, quarter)
        write_ods(path, release_sheets(year, quarter))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR, help="directory to write into")
    args = parser.parse_args(argv)
    for path in write_release_samples(args.out):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()

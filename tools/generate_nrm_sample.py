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
import csv
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from extract.sources.nrm.tables import (
    ALL_AGES,
    CONCLUSIVE_GROUNDS,
    DUTY_TO_NOTIFY,
    REASONABLE_GROUNDS,
    TableSpec,
)
from extract.sources.nrm.vocabulary import AGE_GROUPS, LOCATIONS
from pipeline.ods import Cell, Merged, write_ods
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
Sheet = tuple[str, Sequence[Sequence[Cell | Merged]]]


@dataclass(frozen=True)
class Layout:
    """How one era of releases lays its tables out (see the module docstring)."""

    rows_above_header: int = 5
    era: str = "2023"  # '2022': the 2022 Q2/Q3 titles, headers and header-less column
    office_suite: bool = False  # merged cells, note markers, as an office suite saves it


LAYOUT_2022 = Layout(rows_above_header=3, era="2022")
LAYOUT_2023 = Layout()
LAYOUT_OFFICE = Layout(office_suite=True)


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
    """A decision or Duty to Notify extract: columns 'Age - Outcome' as published ('Adult (18 or
    over) - Negative reasonable grounds'), the grand 'Total', or just 'Total', per period."""
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
                    cells[(group, outcome)] = int(value)
                elif "Adult (18 or over) - Total" in row:
                    cells[(ALL_AGES, column)] = int(value)  # the decision table's grand total
                else:
                    cells[(None, column)] = int(value)
            table[(int(row["Year"]), quarter)] = cells
    return table


def _noted(label: str, note: int, layout: Layout) -> str:
    """An office-suite workbook carries [note N] markers in titles and headers, as published."""
    return f"{label} [note {note}]" if layout.office_suite else label


def _wrapped(label: str, layout: Layout) -> str:
    """Long labels wrapped as a person types them in an office suite: a line break in the cell, and
    a run of spaces left behind ('UK and\nOverseas', 'Labour\n & Criminal', 'Not specified  or unknown')."""
    if not layout.office_suite:
        return label
    return (
        label.replace(" & ", "\n & ")
        .replace("UK and Overseas", "UK and\nOverseas")
        .replace(" or unknown", "  or unknown")
    )


def _group_row(groups: list[str | None], layout: Layout) -> list[Cell | Merged]:
    """The upper header row: each group label over the columns it spans; merged in an office suite."""
    row: list[Cell | Merged] = []
    index = 0
    while index < len(groups):
        span = 1
        while index + span < len(groups) and groups[index + span] == groups[index]:
            span += 1
        label = groups[index] or ""
        if layout.office_suite and label and span > 1:
            row.append(Merged(_noted(label, 4, layout) if label != ALL_AGES else label, span))
        else:
            row += [label] + [""] * (span - 1)
        index += span
    return row


def _table_rows(
    title: str, layout: Layout, top: list[Cell | Merged] | None, header: list[Cell]
) -> list[list[Cell | Merged]]:
    """Title and note rows, then the header (two rows when `top` is given)."""
    rows: list[list[Cell | Merged]] = [[_noted(title, 1, layout)]]
    rows += [[note] for note in _NOTES[: max(layout.rows_above_header - 1, 0)]]
    return [*rows, *([top] if top is not None else []), header]


def table_2_rows(
    referrals: Referrals, *, table_number: int = 2, layout: Layout = LAYOUT_2023
) -> list[list[Cell | Merged]]:
    """Referrals by age (upper header) x location and a grand Total, the Year only on each year's
    total row, then that year's quarters; a year not yet complete has no total row (as the decision
    tables), its Year on its first quarter."""
    periods = sorted(referrals)
    first, last = periods[0], periods[-1]
    title = (
        f"Table {table_number}: NRM referrals by year, quarter, age at exploitation and location of "
        f"exploitation, {first[0]} Q{first[1]} to {last[0]} Q{last[1]}"
    )
    ages, locations = AGE_GROUPS.known(), LOCATIONS.known()
    groups = [None, None] + [age for age in ages for _ in locations] + [ALL_AGES]
    header: list[Cell] = [
        "Year",
        "Quarter",
        *(_wrapped(loc, layout) for _ in ages for loc in locations),
        "Total",
    ]
    rows = _table_rows(title, layout, _group_row(groups, layout), header)

    def figures(cells: dict[tuple[str, str], int]) -> list[Cell]:
        values = [cells[(age, loc)] for age in ages for loc in locations]
        return [*values, sum(cells[(age, "Total")] for age in ages)]

    for year in sorted({y for y, _ in periods}):
        quarters = [q for y, q in periods if y == year]
        year_total = {
            key: sum(referrals[(year, q)][key] for q in quarters) for key in referrals[(year, quarters[0])]
        }
        if year == last[0] and quarters[-1] != 4:
            # the release's own year is not complete: no total row; the Year is on its first quarter
            rows += [
                [year if i == 0 else "", f"Q{q}", *figures(referrals[(year, q)])]
                for i, q in enumerate(quarters)
            ]
            continue
        rows.append([year, "", *figures(year_total)])
        rows += [["", f"Q{q}", *figures(referrals[(year, q)])] for q in quarters]
    return rows


def period_table_rows(
    title: str, spec: TableSpec, table: PeriodTable, *, layout: Layout = LAYOUT_2023
) -> list[list[Cell | Merged]]:
    """Decision and Duty to Notify tables: the year's total row (Year, no Quarter), then its quarters."""
    keys = sorted(next(iter(table.values())), key=_column_order(spec))
    top = _group_row([None, None, *(g for g, _ in keys)], layout) if spec.groups is not None else None
    header: list[Cell] = ["Year", "Quarter"] + [c for _, c in keys]
    rows = _table_rows(title, layout, top, header)
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
    groups = [*(spec.groups.known() if spec.groups else []), None]

    def order(key: tuple[str | None, str]) -> tuple[int, int]:
        group, label = key
        outcome = spec.columns.canonical(label)
        return (
            groups.index(spec.groups.canonical(group) if spec.groups and group else None),
            spec.columns.known().index(outcome),
        )

    return order


@dataclass(frozen=True)
class ResponderTable:
    """How one first-responder table is published: its extract, number and headers per era."""

    extract: str  # name in data/nrm
    number_2022: int
    number: int
    who_2022: str  # the 2022 titles' wording
    who: str
    responder_header_2022: str | None  # None: the table has no responder column
    responder_header: str | None


# table key -> how it is published (numbers and titles as in the public parsers of each release)
RESPONDER_CSVS = {
    "nrm_referrals_government": ResponderTable(
        "nrm_referrals_government",
        10,
        11,
        "governmental first responder",
        "government agency first responder",
        "First responder (government agencies)",
        "Government agency first responder",
    ),
    "nrm_referrals_ngo": ResponderTable(
        "nrm_referrals_ngo",
        11,
        12,
        "NGO first responders",
        "NGO and third sector organisation first responder",
        "First Responder (NGO and Third Sector)",
        "NGO and third sector first responder",
    ),
    "nrm_referrals_police": ResponderTable(
        "nrm_referrals_police",
        12,
        13,
        "police first responders",
        "police first responder",
        "First responder (Police)",
        "Police first responder",
    ),
    "nrm_referrals_local_authority": ResponderTable(
        "nrm_referrals_local-authority",
        13,
        14,
        "local authorities",
        "local authority first responder",
        None,
        None,
    ),
}
LOCAL_AUTHORITY_RESPONDER = "Local Authority"  # the one block the local authority table has
# Every release data/nrm carries, oldest first; only the newest has the longitudinal tables.
RELEASES = ((2022, 2), (2022, 3), (2022, 4), (2023, 1), (2023, 2), (2023, 3), (2023, 4))
LATEST_RELEASE = RELEASES[-1]
# DtN by nationality moved between releases (Table_25, 26, 35, then 41).
DTN_BY_NATIONALITY_TABLE = {
    (2022, 2): 25,
    (2022, 3): 25,
    (2022, 4): 26,
    (2023, 1): 26,
    (2023, 2): 35,
    (2023, 3): 35,
}
DTN_BY_NATIONALITY_LATEST = 41
# row key (first responder, exploitation type, age, gender) -> nationality -> people
ResponderRows = dict[tuple[str, str, str, str], dict[str, int]]


def load_responder_table(path: Path) -> tuple[ResponderRows, list[str]]:
    """A long first-responder extract as wide rows, and its nationality columns in published order.
    The police extracts list only non-zero cells: a missing cell of a listed row is 0."""
    table: ResponderRows = defaultdict(dict)
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


def _outline_order(table: ResponderRows) -> list[tuple[str, str, str, str]]:
    """Blocks in order of first appearance, each block's total row first."""
    first_seen: list[dict[str, int]] = [{} for _ in range(4)]
    for key in table:
        for level, label in enumerate(key):
            first_seen[level].setdefault(label, len(first_seen[level]))

    def rank(key):
        return tuple(
            (0 if label == "Total" or label.endswith(" total") else 1, first_seen[level][label])
            for level, label in enumerate(key)
        )

    return sorted(table, key=rank)


def _row_headers(published: ResponderTable, layout: Layout) -> list[str]:
    if layout.era == "2022":
        return [
            *([published.responder_header_2022] if published.responder_header_2022 else []),
            "Claimed exploitation type",
            "Age group at exploitation",
            "Gender",
        ]
    responder = [published.responder_header] if published.responder_header else []
    return [*responder, "Exploitation type", _noted("Age at exploitation", 3, layout), "Gender"]


def responder_table_rows(
    title: str,
    table: ResponderRows,
    nationalities: list[str],
    *,
    published: ResponderTable,
    layout: Layout = LAYOUT_2023,
) -> list[list[Cell | Merged]]:
    """The outline layout: a level's label is written where its block starts; a blank below a written
    label means 'Total'; a blank with nothing written to its left means 'as the row above'. A table
    without a responder column (local authorities) is the one responder's block."""
    with_responder = (
        published.responder_header_2022 if layout.era == "2022" else published.responder_header
    ) is not None
    if not with_responder:
        table = {k: v for k, v in table.items() if k[0] == LOCAL_AUTHORITY_RESPONDER}
    spacer = [""] if layout.era == "2022" else []  # the 2022 tables' header-less, empty column
    header = [*_row_headers(published, layout), *spacer, *nationalities]
    rows = _table_rows(title, layout, None, header)
    previous: tuple[str, ...] = ("",) * 4
    for key in _outline_order(table):
        labels: list[Cell] = []
        written = False
        for level, label in enumerate(key):
            show = label != "Total" and (label != previous[level] or written)
            labels.append(_wrapped(label, layout) if show else "")
            written = written or show
        if not with_responder:
            labels = labels[1:]
        rows.append([*labels, *spacer, *(table[key].get(n, 0) for n in nationalities)])
        previous = key
    return rows


def longitudinal_tables(
    referrals: Referrals,
    *,
    table_number: int = 2,
    layout: Layout = LAYOUT_2023,
    until: tuple[int, int] = (9999, 4),
) -> list[Sheet]:
    """Table_2 and the decision and Duty to Notify tables, every quarter up to `until` (a release
    cannot publish a quarter after its own; a year's total row only once the year is complete)."""
    tables: list[Sheet] = [
        (f"Table_{table_number}", table_2_rows(referrals, table_number=table_number, layout=layout)),
    ]
    for number, spec, csv_name, title in (
        (
            16,
            REASONABLE_GROUNDS,
            "nrm_reasonable_grounds.csv",
            "NRM reasonable grounds decisions made by both competent authorities by year, quarter, outcome and age at exploitation",
        ),
        (
            28,
            CONCLUSIVE_GROUNDS,
            "nrm_conclusive_grounds.csv",
            "NRM conclusive grounds decisions made by both competent authorities by year, quarter, outcome and age at exploitation",
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
        rows = period_table_rows(f"Table {number}: {title}, {span}", spec, table, layout=layout)
        tables.append((f"Table_{number}", rows))
    return tables


def quarter_tables(
    year: int, quarter: int, *, layout: Layout = LAYOUT_2023, dtn_table: int | None = None
) -> list[Sheet]:
    """The tables a release publishes for its own quarter only: first responders, DtN by nationality."""
    period = f"{_QUARTER_SPAN[quarter]} {year}"
    tables: list[Sheet] = []
    for published in RESPONDER_CSVS.values():
        table, nationalities = load_responder_table(
            REFERENCE_DIR / f"{published.extract}_{year}_q{quarter}.csv"
        )
        if layout.era == "2022":
            number = published.number_2022
            title = f"Table {number} - Details of NRM referrals by {published.who_2022}, {period}"
        else:
            number = published.number
            title = (
                f"Table {number}: NRM referrals by {published.who}, exploitation type, age at exploitation, "
                f"gender and nationality, {period}"
            )
        rows = responder_table_rows(title, table, nationalities, published=published, layout=layout)
        tables.append((f"Table_{number}", rows))
    extract = REFERENCE_DIR / f"nrm_duty_to_notify_by_nationality_{year}_q{quarter}.csv"
    with extract.open(encoding="utf-8") as handle:
        dtn_rows: list[list[Cell | Merged]] = [
            [r["Nationality"], int(r["Total"])] for r in csv.DictReader(handle)
        ]
    number = dtn_table or DTN_BY_NATIONALITY_TABLE.get((year, quarter), DTN_BY_NATIONALITY_LATEST)
    title = f"Table {number}: Duty to Notify reports by nationality, {period}"
    header = ["Nationality", *([""] if layout.era == "2022" else []), "Total"]
    if layout.era == "2022":
        dtn_rows = [[nationality, "", total] for nationality, total in dtn_rows]
    tables.append((f"Table_{number}", _table_rows(title, layout, None, header) + dtn_rows))
    return tables


# Releases data/nrm holds only the county table of (2025: referrals by the referral form's 'UK County').
COUNTY_RELEASES = ((2025, 3),)
COUNTY_TABLE = 12


def county_tables(year: int, quarter: int, *, layout: Layout = LAYOUT_2023) -> list[Sheet]:
    """The 2025 county table as published: 'UK County', 'Total', counties sorted by count, no total row."""
    extract = REFERENCE_DIR / f"nrm_referrals_by_uk_county_{year}_q{quarter}.csv"
    with extract.open(encoding="utf-8") as handle:
        rows: list[list[Cell | Merged]] = [[r["UK County"], int(r["Total"])] for r in csv.DictReader(handle)]
    title = f"Table {COUNTY_TABLE}: NRM referrals by UK county, {_QUARTER_SPAN[quarter]} {year}"
    return [(f"Table_{COUNTY_TABLE}", _table_rows(title, layout, None, ["UK County", "Total"]) + rows)]


def _release_workbook(
    year: int, quarter: int, tables: list[Sheet], layout: Layout = LAYOUT_2023
) -> list[Sheet]:
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
    contents_name = "Table_of_contents" if layout.office_suite else "Contents"
    return [("Cover_sheet", cover), (contents_name, contents), ("Notes", notes), *tables]


def workbook_sheets(
    referrals: Referrals,
    *,
    table_number: int = 2,
    layout: Layout = LAYOUT_2023,
    rows_above_header: int | None = None,
) -> list[Sheet]:
    """A release's workbook with every table, its period the last quarter of `referrals`: the
    longitudinal tables up to that quarter, and that quarter's first-responder and nationality
    tables (the newest release's when data/nrm has none for it)."""
    if rows_above_header is not None:
        layout = replace(layout, rows_above_header=rows_above_header)
    year, quarter = max(referrals)
    tables = longitudinal_tables(referrals, table_number=table_number, layout=layout, until=(year, quarter))
    own_quarter = (year, quarter) if (year, quarter) in RELEASES else LATEST_RELEASE
    tables += quarter_tables(*own_quarter, layout=layout, dtn_table=DTN_BY_NATIONALITY_LATEST)
    return _release_workbook(year, quarter, tables, layout)


def release_layout(year: int, quarter: int) -> Layout:
    """The era each shipped release is written in; the newest as an office suite saves it."""
    if (year, quarter) == LATEST_RELEASE:
        return LAYOUT_OFFICE
    return LAYOUT_2022 if (year, quarter) <= (2022, 3) else LAYOUT_2023


def release_sheets(year: int, quarter: int) -> list[Sheet]:
    """One release as shipped: the newest with every table; earlier ones with only the tables data/nrm
    holds for them (not invented), each in the layout of its era."""
    layout = release_layout(year, quarter)
    if (year, quarter) == LATEST_RELEASE:
        return workbook_sheets(load_referrals(), layout=layout)
    return _release_workbook(year, quarter, quarter_tables(year, quarter, layout=layout), layout)


def write_sample_workbook(
    out: Path,
    referrals: Referrals | None = None,
    *,
    table_number: int = 2,
    rows_above_header: int = 5,
    layout: Layout = LAYOUT_2023,
) -> Path:
    referrals = referrals if referrals is not None else load_referrals()
    layout = replace(layout, rows_above_header=rows_above_header)
    write_ods(
        out,
        workbook_sheets(referrals, table_number=table_number, layout=layout),
        office_suite=layout.office_suite,
    )
    return out


def sample_workbook_name(year: int, quarter: int) -> str:
    return f"nrm-{year}-q{quarter}-tables.ods"


def write_release_samples(out: Path = SAMPLE_DIR) -> list[Path]:
    """Every release in RELEASES and COUNTY_RELEASES, as shipped in data/samples/nrm/."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for year, quarter in RELEASES:
        path = out / sample_workbook_name(year, quarter)
        write_ods(
            path, release_sheets(year, quarter), office_suite=release_layout(year, quarter).office_suite
        )
        written.append(path)
    for year, quarter in COUNTY_RELEASES:
        path = out / sample_workbook_name(year, quarter)
        write_ods(path, _release_workbook(year, quarter, county_tables(year, quarter)))
        written.append(path)
    return written


KNOWN_LABELS = REPO_ROOT / "extract" / "sources" / "nrm" / "known_labels.csv"


def write_known_labels(out: Path = KNOWN_LABELS) -> Path:
    """The labels of the open dimensions the real releases in data/nrm used (and the referral
    form's counties): what `ctm inspect` does not call new."""
    from extract.labels import display_label

    known: dict[str, set[str]] = defaultdict(set)
    for path in sorted(REFERENCE_DIR.glob("nrm_referrals_*_20*_q*.csv")):
        if "county" in path.name:
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for dimension, column in (
                    ("first responder", "First responder"),
                    ("exploitation type", "Exploitation type"),
                    ("gender", "Gender"),
                    ("nationality", "Nationality"),
                ):
                    known[dimension].add(display_label(row[column]))
    for path in sorted(REFERENCE_DIR.glob("nrm_duty_to_notify_by_nationality_*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            known["nationality"].update(display_label(row["Nationality"]) for row in csv.DictReader(handle))
    with (REPO_ROOT / "data" / "geography" / "nrm_county_lookup.csv").open(
        encoding="utf-8", newline=""
    ) as handle:
        known["UK county"].update(display_label(row["nrm_county"]) for row in csv.DictReader(handle))
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["dimension", "label"])
        writer.writerows(
            (dimension, label) for dimension in sorted(known) for label in sorted(known[dimension])
        )
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR, help="directory to write into")
    args = parser.parse_args(argv)
    for path in write_release_samples(args.out):
        print(f"wrote {path}")
    print(f"wrote {write_known_labels()}")


if __name__ == "__main__":
    main()

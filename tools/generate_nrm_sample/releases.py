"""Each release's workbook: which tables it publishes for which quarters, their numbers and
titles, and the cover, contents and notes sheets around them."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import replace

from extract.sources.nrm.tables import CONCLUSIVE_GROUNDS, DUTY_TO_NOTIFY, REASONABLE_GROUNDS
from pipeline.ods import Cell, Merged

from .layouts import (
    ATTRIBUTION,
    LAYOUT_2022,
    LAYOUT_2023,
    LAYOUT_OFFICE,
    RESPONDER_CSVS,
    Layout,
    _table_rows,
    period_table_rows,
    responder_table_rows,
    table_2_rows,
)
from .reference import REFERENCE_DIR, Referrals, load_period_table, load_referrals, load_responder_table

PUBLICATION = "Modern Slavery: National Referral Mechanism and Duty to Notify statistics UK"
_QUARTER_SPAN = {1: "January to March", 2: "April to June", 3: "July to September", 4: "October to December"}
Sheet = tuple[str, Sequence[Sequence[Cell | Merged]]]
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

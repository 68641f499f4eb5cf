"""The sheet layouts of each era (`Layout`): title and note rows, one- or two-row headers, and the
rows of Table_2, the decision and Duty to Notify tables and the first-responder outline tables."""

from __future__ import annotations

from dataclasses import dataclass

from extract.sources.nrm.tables import ALL_AGES, TableSpec
from extract.sources.nrm.vocabulary import AGE_GROUPS, LOCATIONS
from pipeline.ods import Cell, Merged

from .reference import PeriodTable, Referrals, ResponderRows

ATTRIBUTION = (
    "Source: Home Office, Modern Slavery: NRM and DtN statistics UK, October to December 2023. "
    "Contains public sector information licensed under the Open Government Licence v3.0."
)
_NOTES = [
    "This worksheet contains one table. Some cells refer to notes which can be found in the notes worksheet.",
    "Figures for earlier quarters are revised in every release.",
    ATTRIBUTION,
    "Age is the age at the time of exploitation.",
    "Freeze panes are turned on.",
]


@dataclass(frozen=True)
class Layout:
    """How one era of releases lays its tables out (see the module docstring)."""

    rows_above_header: int = 5
    era: str = "2023"  # '2022': the 2022 Q2/Q3 titles, headers and header-less column
    office_suite: bool = False  # merged cells, note markers, as an office suite saves it


LAYOUT_2022 = Layout(rows_above_header=3, era="2022")
LAYOUT_2023 = Layout()
LAYOUT_OFFICE = Layout(office_suite=True)


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

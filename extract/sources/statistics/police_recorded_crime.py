"""The Home Office's police recorded crime open data, police force area tables: modern slavery.

One row per financial year x financial quarter x force x offence, in the layout of the open data
tables (`Financial Year, Financial Quarter, Force Name, Offence Description, Offence Group, Offence
Subgroup, Offence Code, Number of Offences`), whole (every offence: only code 106, modern slavery,
is kept) or filtered to modern slavery, with or without the ONS code of the police force area.
Offences are of victims of all ages. Police in Scotland and Northern Ireland publish separately.
"""

from __future__ import annotations

import re

from extract.labels import match_key
from extract.sources.statistics.periods import financial_quarter
from extract.sources.statistics.police_forces import police_force_area
from extract.sources.statistics.table import Column, Figure, RowCells, TableDefinition, count_figures

SOURCE = "police_recorded_crime"
MODERN_SLAVERY_CODE = "106"
MODERN_SLAVERY = "modern slavery"
PFA_CODE = re.compile(r"E23\d{6}|W15\d{6}")

COLUMNS = (
    Column("financial_year", ("Financial Year", "year")),
    Column("financial_quarter", ("Financial Quarter", "quarter")),
    Column("force_name", ("Force Name", "Force", "Police force", "Police force area", "PFA name", "pfa22nm")),
    Column(
        "area_code",
        ("pfa22cd", "pfa23cd", "pfa code", "police force area code", "force code"),
        required=False,
    ),
    Column("offence_code", ("Offence Code", "Home Office offence code"), required=False),
    Column("offence_description", ("Offence Description", "Offence"), required=False),
    Column("offences", ("Number of Offences", "Number of offences recorded", "Offences", "Count")),
)
OFFENCE_COLUMNS = ("offence_code", "offence_description")


def _is_modern_slavery(cells: RowCells) -> bool:
    if "offence_code" in cells.letters:
        return cells.text("offence_code").removesuffix(".0").strip() == MODERN_SLAVERY_CODE
    return match_key(cells.text("offence_description")) == MODERN_SLAVERY


def figures_of_row(cells: RowCells) -> list[Figure]:
    if not _is_modern_slavery(cells):
        return []  # another offence of the all-offences table
    force = cells.text("force_name")
    area = police_force_area(force)
    code = cells.text("area_code").upper()
    if code and not PFA_CODE.fullmatch(code):
        raise cells.problem(
            "area_code",
            f"{code!r} is not the ONS code of a police force area",
            "Use e.g. E23000001.",
            "area_code",
        )
    if area is None and not code:
        raise cells.problem(
            "force_name",
            f"{force!r} is not a police force of England and Wales",
            "Name the force as the Home Office does (e.g. 'Devon & Cornwall'), or add its area code.",
            "police_force",
        )
    if area is not None and code and area[0] != code:
        raise cells.problem(
            "area_code",
            f"{code} is not the area of {force!r} ({area[0] or 'a force without an area'})",
            "Check the force name and the area code on this row.",
            "police_force",
        )
    area_code, area_name = area if area is not None else (code, force)
    try:
        period = financial_quarter(cells.text("financial_year"), cells.text("financial_quarter"))
    except ValueError as exc:
        field = "financial_quarter" if "quarter" in str(exc) else "financial_year"
        raise cells.problem(
            field, str(exc), "Write the year as 2023/24 and the quarter as 1 to 4.", "period"
        ) from exc

    def make(measure: str, value: int | None, flag: str | None, column: str) -> Figure:
        level = "pfa" if area_code else "force"
        return Figure(cells.row, period, level, area_code or None, area_name, measure, value, flag, column)

    return count_figures(cells, {"offences": "modern_slavery_offences"}, make)


def edition_of(figures: list[Figure]) -> str:
    return f"police_recorded_crime-{max(f.period for f in figures)}"


DEFINITION = TableDefinition(
    SOURCE,
    "police recorded crime by police force area (open data table)",
    COLUMNS,
    ("modern_slavery_offences",),
    figures_of_row,
    edition_of,
    one_of=OFFENCE_COLUMNS,
)

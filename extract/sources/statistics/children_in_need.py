"""The DfE's Children in Need table C3, factors identified at the end of assessment, by council.

One row per year ending 31 March x geography (National, Regional, Local authority) in the layout of
explore-education-statistics (EES): `time_period, geographic_level, country_code, region_code,
new_la_code, la_name, category, <one column per factor>`. The figures count assessment episodes
with the factor, not children. The DfE's own suppression (`c`) and rounding are already applied.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from functools import cache

from extract.labels import match_key
from extract.sources.statistics.periods import year_ending_march
from extract.sources.statistics.table import Column, Figure, RowCells, TableDefinition, count_figures
from pipeline.settings import GEOGRAPHY_DIR

SOURCE = "children_in_need"
CATEGORY = "Factors identified at the end of assessment"

# factor column -> measure id; the census codes are in brackets in some editions' labels
FACTORS = {
    "trafficking": "trafficking",
    "child_criminal_exploitation": "child_criminal_exploitation",
    "going_missing": "going_missing",
    "child_sexual_exploitation": "child_sexual_exploitation",
    "gangs": "gangs",
    "episodes_with_assessment_factor": "episodes_with_any_factor",
}

COLUMNS = (
    Column("time_period", ("time period", "year", "year ending 31 march")),
    Column("geographic_level", ("geographic level", "level")),
    Column("country_code", ("country code",), required=False),
    Column("country_name", ("country name",), required=False),
    Column("region_code", ("region code",), required=False),
    Column("region_name", ("region name",), required=False),
    Column("new_la_code", ("la code", "local authority code", "new la code", "ons code")),
    Column("la_name", ("la name", "local authority", "local authority name")),
    Column("category", ("factor category",), required=False),
    Column("trafficking", ("Trafficking", "trafficking (12a)", "12a trafficking")),
    Column(
        "child_criminal_exploitation",
        ("Child criminal exploitation", "child criminal exploitation (24a)", "cce"),
        required=False,  # collected from 2021-22; an older edition has no column
    ),
    Column("going_missing", ("Going missing", "going missing (10a)")),
    Column("child_sexual_exploitation", ("Child sexual exploitation", "cse"), required=False),
    Column("gangs", ("Gangs", "gangs (9a)"), required=False),
    Column(
        "episodes_with_assessment_factor",
        ("Episodes with assessment factor", "episodes with assessment factors", "episodes"),
        required=False,
    ),
)

# geographic level -> (area level, the column holding its code, the column holding its name)
LEVELS = {
    "national": ("country", "country_code", "country_name"),
    "regional": ("region", "region_code", "region_name"),
    "local authority": ("utla", "new_la_code", "la_name"),
}
CODE_PATTERNS = {
    "country": re.compile(r"[EKWSN]9\d{7}"),
    "region": re.compile(r"E1[23]\d{6}"),  # E13: Inner and Outer London, the DfE's sub-regions
    "utla": re.compile(r"E(?:06|08|09|10)\d{6}"),
}
DEFAULT_CODES = {"country": ("E92000001", "England")}  # a National row of an EES file is England


@cache
def known_councils() -> dict[str, date | None]:
    """Every children's services authority of England the ONS lists (2023), and those abolished
    since 2019 with the day they were (the DfE publishes their earlier years under their codes)."""
    councils: dict[str, date | None] = {}
    with (GEOGRAPHY_DIR / "upper_tier_authorities.csv").open(encoding="utf-8") as handle:
        councils.update({row["code"]: None for row in csv.DictReader(handle) if row["code"].startswith("E")})
    with (GEOGRAPHY_DIR / "former_childrens_services_authorities.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            councils[row["code"]] = date.fromisoformat(row["abolished_on"])
    return councils


def _check_council(cells: RowCells, code: str, name: str, period: str) -> None:
    councils = known_councils()
    if code not in councils:
        raise cells.problem(
            "new_la_code",
            f"{code} ({name}) is not a children's services authority in the ONS lists",
            "Check the council's code: the ONS code of an upper-tier authority (E06, E08, E09, E10).",
            "council_code",
        )
    abolished = councils[code]
    if abolished is not None and date(int(period[:4]), 4, 1) >= abolished:
        raise cells.problem(
            "new_la_code",
            f"{code} ({name}) was abolished on {abolished:%d %B %Y}, before the year {period}",
            "Send that year's figures under the code of the council that replaced it.",
            "council_code",
        )


def figures_of_row(cells: RowCells) -> list[Figure]:
    category = cells.text("category")
    if category and match_key(category) != match_key(CATEGORY):
        return []  # another category of the same download (none in C3 so far)
    level_text = match_key(cells.text("geographic_level"))
    if level_text not in LEVELS:
        raise cells.problem(
            "geographic_level",
            f"{cells.text('geographic_level')!r} is not a geographic level of the table",
            "Use National, Regional or Local authority.",
            "geographic_level",
        )
    area_level, code_field, name_field = LEVELS[level_text]
    code = cells.text(code_field).upper() or DEFAULT_CODES.get(area_level, ("", ""))[0]
    if code.startswith("E13"):
        area_level = "subregion"  # inside London (E12000007): never summed with the regions
    name = cells.text(name_field) or DEFAULT_CODES.get(area_level, ("", ""))[1] or code
    if not CODE_PATTERNS[LEVELS[level_text][0]].fullmatch(code):
        raise cells.problem(
            code_field if code_field in cells.letters else "geographic_level",
            f"{code!r} is not the ONS code of a {area_level.replace('utla', 'council')} "
            f"({cells.text('geographic_level')} row)",
            "Give each row its ONS code (e.g. E09000001 for a council, E12000001 for a region).",
            "area_code",
        )
    try:
        period = year_ending_march(cells.text("time_period"))
    except ValueError as exc:
        raise cells.problem(
            "time_period", str(exc), "Write the year ending 31 March, e.g. 2025.", "period"
        ) from exc
    if area_level == "utla":
        _check_council(cells, code, name, period)

    def make(measure: str, value: int | None, flag: str | None, column: str) -> Figure:
        return Figure(cells.row, period, area_level, code, name, measure, value, flag, column)

    return count_figures(cells, FACTORS, make)


def edition_of(figures: list[Figure]) -> str:
    return f"children_in_need-{max(f.period for f in figures)}"


DEFINITION = TableDefinition(
    SOURCE,
    "Children in Need table C3 (factors at the end of assessment)",
    COLUMNS,
    tuple(FACTORS.values()),
    figures_of_row,
    edition_of,
)

"""What the NRM tables the pipeline reads look like: titles, header labels, and their codes.

Shared by the parser (to recognise a table) and the sample generator (to write one), so the two
cannot drift apart. Tables are recognised by title and header content, never by sheet number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Published header label -> code used in the warehouse. Matching is on normalised text.
AGE_GROUPS = {
    "Adult (18 or over)": "adult",
    "Child (17 or under)": "child",
    "Age not specified or unknown": "unknown",
}
LOCATIONS = {
    "Overseas": "overseas",
    "UK": "uk",
    "UK and Overseas": "uk_and_overseas",
    "Not specified or unknown": "unknown",
    "Total": "total",
}
OUTCOMES = {"Negative": "negative", "Positive": "positive", "Total": "total"}
ALL_AGES = "Total"  # the top-header label of a decision table's grand-total column


@dataclass(frozen=True)
class TableSpec:
    """How to recognise one published table and read its header.

    A two-row header has `groups` (the upper row, each label spanning the columns under it) over
    `columns`; a one-row header has only `columns`. `year_totals`: a row with a Year and no Quarter
    is that year's published total (decision and Duty to Notify tables).
    """

    key: str  # the raw table's name
    name: str  # how people call it; used in messages
    title: re.Pattern[str]
    columns: dict[str, str]
    groups: dict[str, str] | None = None
    year_totals: bool = False

    def expected_cells(self) -> set[tuple[str | None, str]]:
        if self.groups is None:
            return {(None, c) for c in self.columns}
        cells = {(g, c) for g in self.groups if g != ALL_AGES for c in self.columns}
        if ALL_AGES in self.groups:
            cells.add((ALL_AGES, "Total"))
        return cells


REFERRALS_AGE_LOCATION = TableSpec(
    key="nrm_referrals_age_location",
    name="NRM referrals by quarter, age at exploitation and location of exploitation",
    title=re.compile(r"referrals\b.*\bage at exploitation\b.*\blocation of exploitation", re.I),
    columns=LOCATIONS,
    groups=AGE_GROUPS,
)
REASONABLE_GROUNDS = TableSpec(
    key="nrm_reasonable_grounds",
    name="Reasonable grounds decisions by quarter, age at exploitation and outcome",
    title=re.compile(r"reasonable grounds decisions\b.*\bage\b", re.I),
    columns=OUTCOMES,
    groups={**AGE_GROUPS, ALL_AGES: "all"},
    year_totals=True,
)
CONCLUSIVE_GROUNDS = TableSpec(
    key="nrm_conclusive_grounds",
    name="Conclusive grounds decisions by quarter, age at exploitation and outcome",
    title=re.compile(r"conclusive grounds decisions\b.*\bage\b", re.I),
    columns=OUTCOMES,
    groups={**AGE_GROUPS, ALL_AGES: "all"},
    year_totals=True,
)
DUTY_TO_NOTIFY = TableSpec(
    key="nrm_duty_to_notify",
    name="Duty to Notify reports by quarter",
    title=re.compile(r"duty to notify\b.*\breports\b.*\bquarter\b", re.I),
    columns={"Total": "total"},
    year_totals=True,
)
# Every table the indicators need; a release workbook without one of them is rejected.
REQUIRED_TABLES = (REFERRALS_AGE_LOCATION, REASONABLE_GROUNDS, CONCLUSIVE_GROUNDS, DUTY_TO_NOTIFY)

SHORTHAND = re.compile(r"^(\[(?:c|x|z|low|u|p|r|e|w|d)\])+$", re.IGNORECASE)
_QUARTER_MONTHS = {"january": 1, "april": 2, "july": 3, "october": 4}


def normalise_label(value: object) -> str:
    """Collapse line breaks, non-breaking and repeated spaces: 'Labour\\n & Criminal' -> 'Labour & Criminal'."""
    return re.sub(r"\s+", " ", str(value).replace("\u00a0", " ")).strip()


def release_id_for(year: int, quarter: int) -> str:
    return f"nrm-{year}-q{quarter}"


def release_id_from_title(text: str) -> str | None:
    """'... October to December 2023' -> 'nrm-2023-q4' (the period a release covers, as in its title)."""
    match = re.search(
        r"(January|April|July|October)\s+to\s+(?:March|June|September|December)\s+(\d{4})", text, re.I
    )
    if not match:
        return None
    return release_id_for(int(match.group(2)), _QUARTER_MONTHS[match.group(1).lower()])


@dataclass(frozen=True)
class ResponderTableSpec:
    """A referrals-by-first-responder table: outline rows (first responder > exploitation type > age
    > gender, each block's first row its total with the lower levels blank) by one column per
    nationality (dual nationalities as their own columns) plus 'Total'."""

    key: str
    name: str
    title: re.Pattern[str]
    responder_type: str


ROW_DIMENSIONS = ("First responder", "Exploitation type", "Age at exploitation", "Gender")
RESPONDER_TABLES = (
    ResponderTableSpec(
        "nrm_referrals_government",
        "NRM referrals from government agency first responders",
        re.compile(r"referrals\b.*\bgovernment agenc(y|ies)\b.*\bfirst responders?\b", re.I),
        "government_agency",
    ),
    ResponderTableSpec(
        "nrm_referrals_ngo",
        "NRM referrals from NGO and third sector first responders",
        re.compile(r"referrals\b.*\bNGO\b.*\bfirst responders?\b", re.I),
        "ngo",
    ),
    ResponderTableSpec(
        "nrm_referrals_local_authority",
        "NRM referrals from local authority first responders",
        re.compile(r"referrals\b.*\blocal authorit(y|ies)\b.*\bfirst responders?\b", re.I),
        "local_authority",
    ),
)


@dataclass(frozen=True)
class CategoryTableSpec:
    """A one-quarter table of categories (rows) by one value column, e.g. Duty to Notify reports by
    nationality in the release's quarter; its 'Total' row is the published total."""

    key: str
    name: str
    title: re.Pattern[str]
    category: str  # the header label of the category column
    value: str  # the header label of the value column


DTN_BY_NATIONALITY = CategoryTableSpec(
    key="nrm_duty_to_notify_by_nationality",
    name="Duty to Notify reports by nationality",
    title=re.compile(r"duty to notify\b.*\breports\b.*\bnationality", re.I),
    category="Nationality",
    value="Total",
)

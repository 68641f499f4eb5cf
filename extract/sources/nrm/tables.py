"""What the NRM tables the pipeline reads look like: titles, header labels, and their codes.

Shared by the parser (to recognise a table) and the sample generator (to write one), so the two
cannot drift apart. Tables are recognised by title and header content, never by sheet number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.labels import display_label
from extract.sources.nrm.vocabulary import (
    AGE,
    AGE_GROUPS,
    AGE_GROUPS_AND_TOTAL,
    COUNTY,
    DTN_COLUMNS,
    EXPLOITATION,
    GENDER,
    LOCATIONS,
    NATIONALITY,
    OUTCOMES,
    RESPONDER,
    TITLES,
    TOTAL,
    TitleRule,
    Vocabulary,
)

ALL_AGES = TOTAL  # the upper-header label of a table's all-ages total column


@dataclass(frozen=True)
class TableSpec:
    """How to recognise one published period table (rows: Year, Quarter) and read its header.

    A two-row header has `groups` (the upper row, each label spanning the columns under it) over
    `columns`; a one-row header has only `columns`. A row with a Year and no Quarter is that year's
    published total. `required`: the (group, column) cells a release must publish; any other cell
    the vocabularies know (e.g. Table_2's all-ages total) is read too.
    """

    key: str  # the raw table's name
    name: str  # how people call it; used in messages
    columns: Vocabulary
    groups: Vocabulary | None = None
    required: frozenset[tuple[str | None, str]] = frozenset()

    @property
    def title(self) -> TitleRule:
        return TITLES[self.key]

    def expected_cells(self) -> set[tuple[str | None, str]]:
        return set(self.required)


def _grid(groups: Vocabulary, columns: Vocabulary, *, with_all_ages: bool) -> frozenset:
    cells = {(g, c) for g in groups.known() for c in columns.known()}
    return frozenset(cells | ({(ALL_AGES, TOTAL)} if with_all_ages else set()))


REFERRALS_AGE_LOCATION = TableSpec(
    key="nrm_referrals_age_location",
    name="NRM referrals by quarter, age at exploitation and location of exploitation",
    columns=LOCATIONS,
    groups=AGE_GROUPS_AND_TOTAL,
    required=_grid(AGE_GROUPS, LOCATIONS, with_all_ages=False),
)
REASONABLE_GROUNDS = TableSpec(
    key="nrm_reasonable_grounds",
    name="Reasonable grounds decisions by quarter, age at exploitation and outcome",
    columns=OUTCOMES,
    groups=AGE_GROUPS_AND_TOTAL,
    required=_grid(AGE_GROUPS, OUTCOMES, with_all_ages=True),
)
CONCLUSIVE_GROUNDS = TableSpec(
    key="nrm_conclusive_grounds",
    name="Conclusive grounds decisions by quarter, age at exploitation and outcome",
    columns=OUTCOMES,
    groups=AGE_GROUPS_AND_TOTAL,
    required=_grid(AGE_GROUPS, OUTCOMES, with_all_ages=True),
)
DUTY_TO_NOTIFY = TableSpec(
    key="nrm_duty_to_notify",
    name="Duty to Notify reports by quarter",
    columns=DTN_COLUMNS,
    required=frozenset({(None, TOTAL)}),
)
# Every table the indicators need; a release workbook without one of them is rejected.
REQUIRED_TABLES = (REFERRALS_AGE_LOCATION, REASONABLE_GROUNDS, CONCLUSIVE_GROUNDS, DUTY_TO_NOTIFY)

SHORTHAND = re.compile(r"^(\[(?:c|x|z|low|u|p|r|e|w|d)\])+$", re.IGNORECASE)
_QUARTER_MONTHS = {"january": 1, "april": 2, "july": 3, "october": 4}


normalise_label = display_label  # tidy a published label: line breaks, spaces and [note N] markers


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
    nationality (dual nationalities as their own columns) plus 'Total'. The local authority table
    has no first-responder column: all councils are one responder, `single_responder`."""

    key: str
    name: str
    responder_type: str
    single_responder: str | None = None

    @property
    def title(self) -> TitleRule:
        return TITLES[self.key]


ROW_DIMENSIONS = (RESPONDER, EXPLOITATION, AGE, GENDER)
RESPONDER_TABLES = (
    ResponderTableSpec(
        "nrm_referrals_government",
        "NRM referrals from government agency first responders",
        "government_agency",
    ),
    ResponderTableSpec(
        "nrm_referrals_ngo", "NRM referrals from NGO and third sector first responders", "ngo"
    ),
    ResponderTableSpec("nrm_referrals_police", "NRM referrals from police first responders", "police"),
    ResponderTableSpec(
        "nrm_referrals_local_authority",
        "NRM referrals from local authority first responders",
        "local_authority",
        single_responder="Local Authority",
    ),
)


@dataclass(frozen=True)
class CategoryTableSpec:
    """A one-quarter table of categories (rows) by one value column, e.g. Duty to Notify reports by
    nationality in the release's quarter. `has_total_row`: its 'Total' row is the published total
    (the 2025 county table has none). `optional`: a release may not carry it at all."""

    key: str
    name: str
    category: str  # the canonical header label of the category column
    value: str  # the canonical header label of the value column
    has_total_row: bool = True
    optional: bool = False

    @property
    def title(self) -> TitleRule:
        return TITLES[self.key]


DTN_BY_NATIONALITY = CategoryTableSpec(
    key="nrm_duty_to_notify_by_nationality",
    name="Duty to Notify reports by nationality",
    category=NATIONALITY,
    value=TOTAL,
)
# From 2025: referrals by the referral form's 'UK County' (74 counties, sorted by count, no total row).
REFERRALS_BY_COUNTY = CategoryTableSpec(
    key="nrm_referrals_by_county",
    name="NRM referrals by UK county",
    category=COUNTY,
    value=TOTAL,
    has_total_row=False,
    optional=True,
)
CATEGORY_TABLES = (DTN_BY_NATIONALITY, REFERRALS_BY_COUNTY)

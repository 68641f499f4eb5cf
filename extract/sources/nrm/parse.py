"""Parse NRM workbooks in the published layout into tidy records.

Tables are found by their title text and their header row by its content, never by sheet number
or row offset: both move between releases. Shorthand markers ([x], [c], [r][e]...) become missing
values with a flag, never zero. Every problem found is reported with its sheet, row and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from extract.ods import Cell, NotAWorkbookError, read_ods
from extract.problems import Problem, RejectedFile, column_letter
from extract.sources.nrm.tables import (
    AGE_GROUPS,
    LOCATIONS,
    REFERRALS_AGE_LOCATION_NAME,
    REFERRALS_AGE_LOCATION_TITLE,
    SHORTHAND,
    normalise_label,
    release_id_for,
    release_id_from_title,
)

_TITLE_SEARCH_ROWS = 12  # titles sit in the first rows of a sheet
_YEAR = re.compile(r"^(19|20)\d{2}$")
_QUARTER = re.compile(r"^Q([1-4])$", re.IGNORECASE)
_AGE_BY_KEY = {normalise_label(k).lower(): k for k in AGE_GROUPS}
_LOCATION_BY_KEY = {normalise_label(k).lower(): k for k in LOCATIONS}


@dataclass(frozen=True)
class ReferralCell:
    year: int
    quarter: int
    age_at_exploitation: str  # as published
    location_of_exploitation: str  # as published
    referrals: int | None
    value_flag: str | None  # the shorthand marker when the value is missing
    sheet: str
    row: int


@dataclass
class NrmWorkbook:
    release_id: str
    referrals_by_age_location: list[ReferralCell] = field(default_factory=list)
    table_sheets: dict[str, str] = field(default_factory=dict)  # table name -> sheet it was found on


def _text(value: Cell) -> str:
    return "" if value is None else normalise_label(value)


def _find_header_row(rows: list[list[Cell]]) -> int | None:
    for index, row in enumerate(rows[:40]):
        labels = {_text(v).lower() for v in row}
        if {"year", "quarter"} <= labels:
            return index
    return None


def _title_of(rows: list[list[Cell]]) -> str | None:
    for row in rows[:_TITLE_SEARCH_ROWS]:
        for value in row[:3]:
            if isinstance(value, str) and REFERRALS_AGE_LOCATION_TITLE.search(_text(value)):
                return _text(value)
    return None


def _as_count(value: Cell) -> tuple[int | None, str | None, str | None]:
    """(count, shorthand flag, error) for one data cell."""
    if isinstance(value, bool) or value is None or (isinstance(value, str) and not value.strip()):
        return None, None, "the cell is empty; a count or a shorthand marker such as [x] is expected"
    if isinstance(value, int | float):
        if float(value) != int(value) or value < 0:
            return None, None, f"{value!r} is not a whole, non-negative count"
        return int(value), None, None
    text = _text(value)
    if SHORTHAND.match(text):
        return None, text.lower(), None
    digits = text.replace(",", "")
    if digits.isdigit():
        return int(digits), None, None
    return None, None, f"{text!r} is not a count (expected a whole number or a shorthand marker such as [x])"


def parse_referrals_by_age_location(sheet: str, rows: list[list[Cell]]) -> list[ReferralCell]:
    """Table_2: referrals by year, quarter, age at exploitation (top header) x location (header)."""
    header_index = _find_header_row(rows)
    if header_index is None or header_index == 0:
        raise RejectedFile(
            [
                Problem(
                    rule="header_row_found",
                    sheet=sheet,
                    message=f"the table {REFERRALS_AGE_LOCATION_NAME!r} has no header row with 'Year' and 'Quarter'",
                    fix="Keep the published header: 'Year', 'Quarter', then one column per location, under a row of age groups.",
                )
            ]
        )
    header, top = rows[header_index], rows[header_index - 1]
    labels = [_text(v) for v in header]
    year_col = next(i for i, v in enumerate(labels) if v.lower() == "year")
    quarter_col = next(i for i, v in enumerate(labels) if v.lower() == "quarter")

    problems: list[Problem] = []
    columns: dict[int, tuple[str, str]] = {}
    age: str | None = None
    for col, label in enumerate(labels):
        if col in (year_col, quarter_col):
            continue
        top_label = _text(top[col]) if col < len(top) else ""
        if top_label:
            age = _AGE_BY_KEY.get(top_label.lower())
            if age is None:
                problems.append(
                    Problem(
                        rule="known_header",
                        sheet=sheet,
                        row=header_index,
                        column=column_letter(col),
                        field=top_label,
                        value=top_label,
                        message=f"unexpected age group {top_label!r}; expected one of {sorted(AGE_GROUPS)}",
                        fix="Use the published age-group labels.",
                    )
                )
        if not label:
            continue
        location = _LOCATION_BY_KEY.get(label.lower())
        if location is None or age is None:
            if location is None:
                problems.append(
                    Problem(
                        rule="known_header",
                        sheet=sheet,
                        row=header_index + 1,
                        column=column_letter(col),
                        field=label,
                        value=label,
                        message=f"unexpected location {label!r}; expected one of {sorted(LOCATIONS)}",
                        fix="Use the published location-of-exploitation labels.",
                    )
                )
            continue
        columns[col] = (age, location)
    expected = {(a, loc) for a in AGE_GROUPS for loc in LOCATIONS}
    for a, loc in sorted(expected - set(columns.values())):
        problems.append(
            Problem(
                rule="required_column",
                sheet=sheet,
                row=header_index + 1,
                field=f"{a} / {loc}",
                message=f"the column for age {a!r} and location {loc!r} is missing",
                fix="Restore the column: every age group has one column per location, including 'Total'.",
            )
        )
    if problems:
        raise RejectedFile(problems)

    cells: list[ReferralCell] = []
    year: int | None = None
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        row_number = index + 1
        values = [_text(v) for v in row]
        if not any(values):
            break  # the table ends at the first empty row; notes may follow
        year_text = values[year_col] if year_col < len(values) else ""
        quarter_text = values[quarter_col] if quarter_col < len(values) else ""
        if year_text and not _YEAR.match(year_text.removesuffix(".0")) and not quarter_text:
            break  # a note row under the table ('Source: ...', 'Note 3: ...')
        if year_text:
            if not _YEAR.match(year_text.removesuffix(".0")):
                problems.append(
                    Problem(
                        rule="year",
                        sheet=sheet,
                        row=row_number,
                        column=column_letter(year_col),
                        field="Year",
                        value=year_text,
                        message=f"{year_text!r} is not a year",
                        fix="Write the year as four digits.",
                    )
                )
                continue
            year = int(float(year_text))
        quarter_match = _QUARTER.match(quarter_text)
        if year is None or not quarter_match:
            problems.append(
                Problem(
                    rule="quarter",
                    sheet=sheet,
                    row=row_number,
                    column=column_letter(quarter_col),
                    field="Quarter",
                    value=quarter_text,
                    message=f"{quarter_text!r} is not a quarter (Q1 to Q4)"
                    if year is not None
                    else "the first data row has no year",
                    fix="Write the quarter as Q1, Q2, Q3 or Q4 under a row that gives the year.",
                )
            )
            continue
        quarter = int(quarter_match.group(1))
        for col, (age_label, location) in columns.items():
            raw = row[col] if col < len(row) else None
            count, flag, error = _as_count(raw)
            if error:
                problems.append(
                    Problem(
                        rule="count",
                        sheet=sheet,
                        row=row_number,
                        column=column_letter(col),
                        field=f"{age_label} / {location}",
                        value=None if raw is None else str(raw),
                        message=error,
                        fix="Enter a whole number, or a shorthand marker ([x] not available, [c] confidential...).",
                    )
                )
                continue
            cells.append(ReferralCell(year, quarter, age_label, location, count, flag, sheet, row_number))
    if problems:
        raise RejectedFile(problems)
    if not cells:
        raise RejectedFile(
            [
                Problem(
                    rule="has_rows",
                    sheet=sheet,
                    row=header_index + 2,
                    message=f"the table {REFERRALS_AGE_LOCATION_NAME!r} has a header but no data rows",
                    fix="Check that the workbook is complete.",
                )
            ]
        )
    return cells


def _release_id_from_cover(sheets: dict[str, list[list[Cell]]]) -> str | None:
    """The period the release covers, as its cover sheet states it ('... October to December 2023')."""
    for rows in sheets.values():
        for row in rows[:5]:
            for value in row[:2]:
                if isinstance(value, str) and (release_id := release_id_from_title(_text(value))):
                    return release_id
    return None


def parse_workbook(path: Path) -> NrmWorkbook:
    """Parse an NRM release workbook. Raises RejectedFile naming what is wrong and where."""
    try:
        sheets = read_ods(path)
    except NotAWorkbookError as exc:
        raise RejectedFile(
            [
                Problem(
                    rule="is_ods_workbook",
                    message=str(exc),
                    fix="Send the release's .ods workbook as downloaded from GOV.UK (not a web page or a partial download).",
                )
            ]
        ) from exc

    # Tables are found by title; the contents sheet names tables too, so a match also needs a header.
    candidates = [(name, rows) for name, rows in sheets.items() if _title_of(rows)]
    table_sheets = [(name, rows) for name, rows in candidates if _find_header_row(rows) is not None]
    if not table_sheets:
        where = (
            f"; a title matched on sheet(s) {[n for n, _ in candidates]} but no header row"
            if candidates
            else ""
        )
        raise RejectedFile(
            [
                Problem(
                    rule="required_table",
                    message=f"no table {REFERRALS_AGE_LOCATION_NAME!r} found in sheets {list(sheets)}{where}",
                    fix="Send the full release workbook; it must contain the referrals by age and location of exploitation table.",
                )
            ]
        )
    sheet, rows = table_sheets[0]
    cells = parse_referrals_by_age_location(sheet, rows)

    release_id = _release_id_from_cover(sheets) or release_id_for(*max((c.year, c.quarter) for c in cells))
    return NrmWorkbook(release_id, cells, {REFERRALS_AGE_LOCATION_NAME: sheet})

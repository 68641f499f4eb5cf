"""Parse NRM workbooks, in every layout the Home Office has published, into tidy cells.

Tables are found by the meaning of their title and their header row by its content, never by sheet
number or row offset: both move between releases. Every label is compared through the vocabularies
in `vocabulary.py`. Periods are read as published: `Year` written once, on the year's total row,
and filled down to its quarters. Shorthand markers ([x], [c], [r][e]...) become missing values with
a flag, never zero. Every problem found is reported with its sheet, row and column, and what the
parser understood is kept in a `WorkbookReport` (what `ctm inspect` prints).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from extract.labels import Vocabulary, display_label, match_key
from extract.sources.nrm.tables import (
    ALL_AGES,
    CATEGORY_TABLES,
    REQUIRED_TABLES,
    RESPONDER_TABLES,
    ROW_DIMENSIONS,
    SHORTHAND,
    CategoryTableSpec,
    ResponderTableSpec,
    TableSpec,
    release_id_for,
    release_id_from_title,
)
from extract.sources.nrm.vocabulary import (
    AGE,
    CATEGORY_HEADERS,
    COUNTIES,
    EXPLOITATION,
    EXPLOITATION_TYPES,
    FIRST_RESPONDERS,
    GENDER,
    GENDERS,
    NATIONALITIES,
    PERIOD_COLUMNS,
    QUARTERS,
    RESPONDER,
    RESPONDER_AGES,
    RESPONDER_ROW_HEADERS,
    TOTAL,
)
from pipeline.ods import Cell, NotAWorkbookError, cell_text, read_ods
from pipeline.problems import Problem, RejectedFile, column_letter, reject

_TITLE_SEARCH_ROWS = 12  # titles sit in the first rows of a sheet
_HEADER_SEARCH_ROWS = 60
_YEAR = re.compile(r"^((?:19|20)\d{2})\b")
Spec = TableSpec | ResponderTableSpec | CategoryTableSpec


class TableCell(NamedTuple):
    """One published cell: a period (quarter None = the year's published total), a column, a value."""

    year: int
    quarter: int | None
    group: str | None  # upper header label (e.g. the age group), canonical; None for one-row headers
    label: str  # column header label (e.g. the location or outcome), canonical
    value: int | None
    value_flag: str | None  # the shorthand marker when the value is missing
    sheet: str
    row: int


class ResponderCell(NamedTuple):
    """One cell of a first-responder table: its outline row (totals as 'Total') and nationality column."""

    first_responder: str
    exploitation_type: str
    age_at_exploitation: str
    gender: str
    nationality: str
    value: int | None
    value_flag: str | None
    sheet: str
    row: int


@dataclass
class TableReport:
    """Where a table was found and how it was understood: what `ctm inspect` shows."""

    name: str
    sheet: str
    title_row: int | None = None
    header_row: int | None = None  # the (lower) header row, 1-based
    columns: list[tuple[str, str, str]] = field(default_factory=list)  # (column, as published, understood as)
    new_labels: dict[str, list[str]] = field(
        default_factory=dict
    )  # open dimension -> labels not in its vocabulary
    ignored_columns: list[str] = field(default_factory=list)  # header-less columns with no figures
    cells: int = 0


@dataclass
class WorkbookReport:
    tables: dict[str, TableReport] = field(default_factory=dict)  # table name -> report
    not_published: list[str] = field(default_factory=list)


@dataclass
class NrmWorkbook:
    release_id: str
    publication_date: date | None = None  # as the cover states it; None when it does not
    tables_not_published: list[str] = field(default_factory=list)  # absent from the Contents sheet
    tables: dict[str, list[TableCell]] = field(default_factory=dict)  # TableSpec.key -> cells
    responder_tables: dict[str, list[ResponderCell]] = field(default_factory=dict)
    table_sheets: dict[str, str] = field(default_factory=dict)  # table name -> sheet it was found on
    report: WorkbookReport = field(default_factory=WorkbookReport)


def _text(value: Cell) -> str:
    """A cell as tidy text, note markers gone."""
    return display_label(cell_text(value))


def _is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell(row: list[Cell], col: int) -> Cell:
    return row[col] if col < len(row) else None


def _as_count(value: Cell) -> tuple[int | None, str | None, str | None]:
    """(count, shorthand flag, error) for one data cell."""
    if type(value) is int and value >= 0:  # the common case, first
        return value, None, None
    if isinstance(value, bool) or _is_blank(value):
        return None, None, "the cell is empty; a count or a shorthand marker such as [x] is expected"
    if isinstance(value, int | float):
        if float(value) != int(value) or value < 0:
            return None, None, f"{value!r} is not a whole, non-negative count"
        return int(value), None, None
    text = str(value).strip()
    if SHORTHAND.match(text.replace(" ", "")):
        return None, text.replace(" ", "").lower(), None
    digits = display_label(text).replace(",", "").replace(" ", "")
    if digits.isdigit():
        return int(digits), None, None
    return (
        None,
        None,
        f"{display_label(text)!r} is not a count (expected a whole number or a shorthand marker such as [x])",
    )


def _count_problem(sheet: str, row_number: int, col: int, field: str, raw: Cell, error: str) -> Problem:
    return Problem(
        rule="count",
        sheet=sheet,
        row=row_number,
        column=column_letter(col),
        field=field,
        value=None if raw is None else str(raw),
        message=error,
        fix="Enter a whole number, or a shorthand marker ([x] not available, [c] confidential...).",
    )


def _unknown_label(vocabulary: Vocabulary, label: str, sheet: str, row: int, col: int, table: str) -> Problem:
    return Problem(
        rule="known_label",
        sheet=sheet,
        row=row,
        column=column_letter(col),
        field=label,
        value=label,
        message=f"{label!r} in {table!r} is not a known {vocabulary.name}; known: {vocabulary.known()}",
        fix=f"Check the label; if the publisher has a new name for a known {vocabulary.name}, add it as a "
        "synonym in extract/sources/nrm/vocabulary.py.",
    )


def _no_header(sheet: str, message: str, fix: str) -> RejectedFile:
    return reject(rule="header_row_found", sheet=sheet, message=message, fix=fix)


def _column_twice(sheet: str, header_index: int, col: int, published: str, what: str, table: str) -> Problem:
    return Problem(
        rule="column_header",
        sheet=sheet,
        row=header_index + 1,
        column=column_letter(col),
        field=published,
        message=f"the column {what!r} of {table!r} appears twice",
        fix="Keep one column per header label, as published.",
    )


def _column_missing(sheet: str, header_index: int, what: str, table: str) -> Problem:
    return Problem(
        rule="required_column",
        sheet=sheet,
        row=header_index + 1,
        field=what,
        message=f"the column {what!r} of {table!r} is missing",
        fix="Restore the column as published.",
    )


def _note_new(report: TableReport, vocabulary: Vocabulary, label: str) -> None:
    if label and not vocabulary.is_known(label):
        seen = report.new_labels.setdefault(vocabulary.name, [])
        if label not in seen:
            seen.append(label)


def _ends_table(row: list[Cell], figure_cols) -> bool:
    """The table ends at an empty row, or at a note under it: a label and no figures."""
    return all(_is_blank(v) for v in row) or all(_is_blank(_cell(row, c)) for c in figure_cols)


def _figureless_blank_columns(
    rows: list[list[Cell]], header_index: int, blank_cols: list[int], sheet: str, table: str
) -> tuple[list[str], list[Problem]]:
    """Header-less columns: ignored when they hold no figures (the 2022 tables have one), an error
    when they do (figures nobody can name)."""
    ignored, problems = [], []
    for col in blank_cols:
        filled = next(
            (i for i in range(header_index + 1, len(rows)) if not _is_blank(_cell(rows[i], col))), None
        )
        if filled is None or not any(
            isinstance(_cell(rows[i], col), int | float) for i in range(filled, len(rows))
        ):
            ignored.append(column_letter(col))
            continue
        problems.append(
            Problem(
                rule="column_header",
                sheet=sheet,
                row=header_index + 1,
                column=column_letter(col),
                message=f"column {column_letter(col)} of {table!r} has figures but no header",
                fix="Restore the column's header as published.",
            )
        )
    return ignored, problems


def _table_read(name: str, sheet: str, header_index: int, cells: list, problems: list[Problem]) -> list:
    """The cells of a table, or every problem found in it; a header with no rows is a problem too."""
    if problems:
        raise RejectedFile(problems)
    if not cells:
        raise reject(
            rule="has_rows",
            sheet=sheet,
            row=header_index + 2,
            message=f"the table {name!r} has a header but no data rows",
            fix="Check that the workbook is complete.",
        )
    return cells


# --- period tables -------------------------------------------------------------------------------


def _find_period_header(rows: list[list[Cell]]) -> int | None:
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        found = {PERIOD_COLUMNS.canonical(v) for v in row if isinstance(v, str)}
        if {"Year", "Quarter"} <= found:
            return index
    return None


def _header_rows(
    spec: TableSpec, rows: list[list[Cell]], period_index: int, skip: set[int]
) -> tuple[int | None, int]:
    """(group row, label row) of the header. 'Year' and 'Quarter' sit on the label row, or on the
    group row spanning both (merged down); whichever reading knows more labels wins."""
    if spec.groups is None:
        return None, period_index

    def known(index: int, vocabulary: Vocabulary) -> int:
        if not 0 <= index < len(rows):
            return -1
        return sum(
            1
            for c, v in enumerate(rows[index])
            if c not in skip and isinstance(v, str) and vocabulary.is_known(v)
        )

    above = known(period_index - 1, spec.groups) + known(period_index, spec.columns)
    below = known(period_index, spec.groups) + known(period_index + 1, spec.columns)
    return (period_index, period_index + 1) if below > above else (period_index - 1, period_index)


def _period_columns(
    spec: TableSpec,
    sheet: str,
    rows: list[list[Cell]],
    group_index: int | None,
    label_index: int,
    skip: set[int],
    report: TableReport,
) -> tuple[dict[int, tuple[str | None, str]], list[Problem]]:
    """Map column index -> (group, label), each recognised by meaning; a spanning (merged) group
    label covers the columns after it until the next one."""
    top = rows[group_index] if group_index is not None and group_index >= 0 else []
    labels = rows[label_index]
    problems: list[Problem] = []
    columns: dict[int, tuple[str | None, str]] = {}
    blank: list[int] = []
    group: str | None = None
    for col in range(max(len(top), len(labels))):
        if col in skip:
            continue
        top_text = _text(_cell(top, col))
        if spec.groups is not None and top_text:
            group = spec.groups.canonical(top_text)
            if group is None:
                problems.append(_unknown_label(spec.groups, top_text, sheet, group_index + 1, col, spec.name))
        label_text = _text(_cell(labels, col))
        if not label_text and top_text and group == ALL_AGES:
            label_text = TOTAL  # a grand-total column merged down over both header rows
        if not label_text:
            blank.append(col)
            continue
        label = spec.columns.canonical(label_text)
        if label is None:
            problems.append(_unknown_label(spec.columns, label_text, sheet, label_index + 1, col, spec.name))
            continue
        if spec.groups is not None and group is None:
            continue  # under an unknown group, already reported
        key = (group, label)
        if key in columns.values():
            problems.append(
                _column_twice(sheet, label_index, col, label_text, " / ".join(filter(None, key)), spec.name)
            )
            continue
        columns[col] = key
        published = " / ".join(filter(None, [_text(_cell(top, col)) if spec.groups else None, label_text]))
        report.columns.append((column_letter(col), published, " / ".join(filter(None, key))))
    ignored, blank_problems = _figureless_blank_columns(rows, label_index, blank, sheet, spec.name)
    report.ignored_columns += ignored
    problems += blank_problems
    for group_label, label in sorted(spec.expected_cells() - set(columns.values()), key=str):
        what = f"{group_label} / {label}" if group_label else label
        problems.append(_column_missing(sheet, label_index, what, spec.name))
    return columns, problems


def _period_problem(
    sheet: str, row: int, col: int, field: str, value: str, message: str, fix: str
) -> Problem:
    return Problem(
        rule="period",
        sheet=sheet,
        row=row,
        column=column_letter(col),
        field=field,
        value=value,
        message=message,
        fix=fix,
    )


def parse_table(
    spec: TableSpec, sheet: str, rows: list[list[Cell]], report: TableReport | None = None
) -> list[TableCell]:
    """Read one period table whose title has been found on `sheet`. Raises RejectedFile with every problem.

    `Year` is filled down from the row that states it (the year's total row, or its first quarter);
    a year that repeats or goes backwards is a publisher error, never loaded."""
    report = report or TableReport(spec.name, sheet)
    period_index = _find_period_header(rows)
    if period_index is None:
        raise _no_header(
            sheet,
            f"the table {spec.name!r} has no header row with 'Year' and 'Quarter'",
            "Keep the published header: 'Year', 'Quarter', then the table's columns.",
        )
    period_labels = [PERIOD_COLUMNS.canonical(v) if isinstance(v, str) else None for v in rows[period_index]]
    year_col, quarter_col = period_labels.index("Year"), period_labels.index("Quarter")
    skip = {year_col, quarter_col}
    group_index, label_index = _header_rows(spec, rows, period_index, skip)
    report.header_row = label_index + 1
    columns, problems = _period_columns(spec, sheet, rows, group_index, label_index, skip, report)
    if problems:
        raise RejectedFile(problems)

    cells: list[TableCell] = []
    year: int | None = None
    years_stated: dict[int, int] = {}  # year -> the row that stated it
    year_totals: set[int] = set()
    quarters_seen: set[tuple[int, int]] = set()
    for index in range(label_index + 1, len(rows)):
        row, row_number = rows[index], index + 1
        if _ends_table(row, columns):
            break
        year_text, quarter_text = _text(_cell(row, year_col)), _text(_cell(row, quarter_col))
        quarter = QUARTERS.canonical(quarter_text) if quarter_text else None
        year_match = _YEAR.match(match_key(year_text)) if year_text else None
        if year_text and not year_match and not quarter_text:
            break  # a note row under the table ('Source: ...', 'Note 3: ...')
        if year_text:
            if not year_match:
                problems.append(
                    _period_problem(
                        sheet,
                        row_number,
                        year_col,
                        "Year",
                        year_text,
                        f"{year_text!r} is not a year",
                        "Write the year as four digits.",
                    )
                )
                year = None
                continue
            stated = int(year_match.group(1))
            is_late_total = stated == year and quarter in (None, TOTAL) and stated not in year_totals
            if year is not None and stated <= year and not is_late_total:
                first = years_stated.get(stated)
                problems.append(
                    _period_problem(
                        sheet,
                        row_number,
                        year_col,
                        "Year",
                        year_text,
                        f"year {stated} in cell {column_letter(year_col)}{row_number} "
                        + (f"repeats the year stated in row {first}" if first else f"comes after {year}")
                        + ": a year that repeats or goes backwards is a publisher error (the Q1-Q3 2023 releases "
                        "labelled 2023 as 2022); the table is not loaded",
                        "Ask the publisher for a corrected table, or correct the year and send it again.",
                    )
                )
                year = None
                continue
            year = stated
            years_stated.setdefault(stated, row_number)
        if quarter_text and quarter is None:
            problems.append(
                _period_problem(
                    sheet,
                    row_number,
                    quarter_col,
                    "Quarter",
                    quarter_text,
                    f"{quarter_text!r} is not a quarter (Q1 to Q4)",
                    "Write the quarter as Q1, Q2, Q3 or Q4 under a row that gives the year.",
                )
            )
            continue
        if year is None:
            if not problems:
                problems.append(
                    _period_problem(
                        sheet,
                        row_number,
                        year_col,
                        "Year",
                        year_text,
                        "the first data row has no year",
                        "Write the year on the first row of each year (its total row).",
                    )
                )
            continue
        if quarter in (None, TOTAL):
            if not year_text:
                problems.append(
                    _period_problem(
                        sheet,
                        row_number,
                        quarter_col,
                        "Quarter",
                        quarter_text,
                        "a total row without a year",
                        "Write the year on the year's total row.",
                    )
                )
                continue
            year_totals.add(year)
            quarter_number = None
        else:
            quarter_number = int(quarter[1])
            if (year, quarter_number) in quarters_seen:
                problems.append(
                    _period_problem(
                        sheet,
                        row_number,
                        quarter_col,
                        "Quarter",
                        quarter_text,
                        f"{year} {quarter} appears twice",
                        "One row per quarter.",
                    )
                )
                continue
            quarters_seen.add((year, quarter_number))
        for col, (group, label) in columns.items():
            raw = _cell(row, col)
            count, flag, error = _as_count(raw)
            if error:
                problems.append(
                    _count_problem(
                        sheet, row_number, col, f"{group} / {label}" if group else label, raw, error
                    )
                )
                continue
            cells.append(TableCell(year, quarter_number, group, label, count, flag, sheet, row_number))
    report.cells = len(cells)
    return _table_read(spec.name, sheet, label_index, cells, problems)


# --- first-responder tables ----------------------------------------------------------------------


def _find_responder_header(rows: list[list[Cell]], spec: ResponderTableSpec | None = None) -> int | None:
    needed = {EXPLOITATION, AGE, GENDER} | (set() if spec is None or spec.single_responder else {RESPONDER})
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        if needed <= {RESPONDER_ROW_HEADERS.canonical(v) for v in row if isinstance(v, str)}:
            return index
    return None


def parse_responder_table(
    spec: ResponderTableSpec, sheet: str, rows: list[list[Cell]], report: TableReport | None = None
) -> list[ResponderCell]:
    """Read an outline table: forward-fill each level within its block, unpivot the nationality columns.

    A level's label stands where its block starts. A blank under a label written further left in
    the same row is that block's total ('Total'); a blank with nothing written to its left repeats
    the row above. The local authority table has no first-responder column: one responder.
    """
    report = report or TableReport(spec.name, sheet)
    header_index = _find_responder_header(rows, spec)
    if header_index is None:
        raise _no_header(
            sheet,
            f"the table {spec.name!r} has no header row with {list(ROW_DIMENSIONS)}",
            "Keep the published header: the row labels, then one column per nationality and 'Total'.",
        )
    report.header_row = header_index + 1
    header = rows[header_index]
    canonical = [RESPONDER_ROW_HEADERS.canonical(v) if isinstance(v, str) else None for v in header]
    dimension_cols = {d: canonical.index(d) for d in ROW_DIMENSIONS if d in canonical}
    problems: list[Problem] = []
    nationality_cols: dict[int, str] = {}
    blank: list[int] = []
    for col, raw in enumerate(header):
        if col in dimension_cols.values():
            report.columns.append((column_letter(col), _text(raw), canonical[col]))
            continue
        text = _text(raw)
        if not text:
            blank.append(col)
            continue
        nationality = NATIONALITIES.canonical(text)
        if nationality in nationality_cols.values():
            problems.append(_column_twice(sheet, header_index, col, text, nationality, spec.name))
            continue
        nationality_cols[col] = nationality
        _note_new(report, NATIONALITIES, text)
    report.columns.append(("…", f"{len(nationality_cols) - 1} nationality columns", "nationality"))
    ignored, blank_problems = _figureless_blank_columns(rows, header_index, blank, sheet, spec.name)
    report.ignored_columns += ignored
    problems += blank_problems
    if TOTAL not in nationality_cols.values():
        problems.append(_column_missing(sheet, header_index, TOTAL, spec.name))
    if problems:
        raise RejectedFile(problems)
    levels = [(d, dimension_cols.get(d)) for d in ROW_DIMENSIONS]
    vocabularies = {
        RESPONDER: FIRST_RESPONDERS,
        EXPLOITATION: EXPLOITATION_TYPES,
        AGE: RESPONDER_AGES,
        GENDER: GENDERS,
    }
    cells: list[ResponderCell] = []
    current = [spec.single_responder or "", "", "", ""]
    for index in range(header_index + 1, len(rows)):
        row, row_number = rows[index], index + 1
        if _ends_table(row, nationality_cols):
            break
        written = False
        row_ok = True
        for level, (dimension, col) in enumerate(levels):
            if col is None:
                continue  # the one responder of a table without the column
            text = _text(_cell(row, col))
            if text:
                label = vocabularies[dimension].canonical(text)
                if label is None:
                    problems.append(
                        _unknown_label(vocabularies[dimension], text, sheet, row_number, col, spec.name)
                    )
                    row_ok = False
                    continue
                _note_new(report, vocabularies[dimension], text)
                current[level], written = label, True
            elif written:
                current[level] = TOTAL
        if not row_ok:
            continue
        if not current[0]:
            problems.append(
                Problem(
                    rule="first_responder",
                    sheet=sheet,
                    row=row_number,
                    column=column_letter(dimension_cols[RESPONDER]),
                    field=RESPONDER,
                    message="the first data row names no first responder",
                    fix="Write the first responder on the first row of its block.",
                )
            )
            continue
        if spec.single_responder and not written:
            current[1:] = [TOTAL, TOTAL, TOTAL]  # the table's first row, its total, names nothing
        for col, nationality in nationality_cols.items():
            raw = _cell(row, col)
            count, flag, error = _as_count(raw)
            if error:
                problems.append(_count_problem(sheet, row_number, col, nationality, raw, error))
                continue
            cells.append(ResponderCell(*current, nationality, count, flag, sheet, row_number))
    report.cells = len(cells)
    return _table_read(spec.name, sheet, header_index, cells, problems)


# --- one-column category tables ------------------------------------------------------------------


def _find_category_header(rows: list[list[Cell]], spec: CategoryTableSpec) -> int | None:
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        labels = [CATEGORY_HEADERS.canonical(v) if isinstance(v, str) else None for v in row]
        if spec.category in labels and spec.value in labels:
            return index
    return None


def parse_category_table(
    spec: CategoryTableSpec, sheet: str, rows: list[list[Cell]], report: TableReport | None = None
) -> list[tuple]:
    """(category, value, flag, row) for every row of a one-column table, its 'Total' row included."""
    report = report or TableReport(spec.name, sheet)
    header_index = _find_category_header(rows, spec)
    if header_index is None:
        raise _no_header(
            sheet,
            f"the table {spec.name!r} has no header row with {spec.category!r} and {spec.value!r}",
            "Keep the published header.",
        )
    report.header_row = header_index + 1
    labels = [CATEGORY_HEADERS.canonical(v) if isinstance(v, str) else None for v in rows[header_index]]
    category_col, value_col = labels.index(spec.category), labels.index(spec.value)
    for col in (category_col, value_col):
        report.columns.append((column_letter(col), _text(rows[header_index][col]), labels[col]))
    vocabulary = NATIONALITIES if spec.category == "Nationality" else COUNTIES
    cells, problems, seen = [], [], set()
    for index in range(header_index + 1, len(rows)):
        row, row_number = rows[index], index + 1
        if all(_is_blank(v) for v in row):
            break
        text = _text(_cell(row, category_col))
        raw = _cell(row, value_col)
        if text and _is_blank(raw):
            break  # a note under the table
        category = vocabulary.canonical(text) if text else ""
        count, flag, error = _as_count(raw)
        if error or not category or category in seen:
            problems.append(
                Problem(
                    rule="count" if error else "category",
                    sheet=sheet,
                    row=row_number,
                    column=column_letter(value_col if error else category_col),
                    field=spec.value if error else spec.category,
                    value=None if raw is None else str(raw),
                    message=error or (f"{category!r} appears twice" if category else "the row has no label"),
                    fix="One row per category, each with a whole number or a shorthand marker.",
                )
            )
            continue
        _note_new(report, vocabulary, text)
        seen.add(category)
        cells.append((category, count, flag, row_number))
    if problems:
        raise RejectedFile(problems)
    report.cells = len(cells)
    return cells


# --- the workbook --------------------------------------------------------------------------------


def _title_row(rows: list[list[Cell]], spec: Spec) -> int | None:
    for index, row in enumerate(rows[:_TITLE_SEARCH_ROWS]):
        if any(isinstance(v, str) and spec.title.matches(v) for v in row[:3]):
            return index
    return None


def _header_finder(spec: Spec) -> Callable[[list[list[Cell]]], int | None]:
    if isinstance(spec, CategoryTableSpec):
        return lambda rows: _find_category_header(rows, spec)
    if isinstance(spec, ResponderTableSpec):
        return lambda rows: _find_responder_header(rows, spec)
    return _find_period_header


def _read_table(
    spec: Spec, read: Callable, sheets: dict[str, list[list[Cell]]], listed_in_contents: bool
) -> tuple[str, list, TableReport] | list[Problem]:
    """Find and read one table. Its title must be on the sheet and a header row under it (the
    contents sheet names the tables too); when several sheets qualify, the first that reads wins."""
    titled = [(name, row) for name, rows in sheets.items() if (row := _title_row(rows, spec)) is not None]
    candidates = [(name, row) for name, row in titled if _header_finder(spec)(sheets[name]) is not None]
    first_problems: list[Problem] | None = None
    for name, title_row in candidates:
        report = TableReport(spec.name, name, title_row=title_row + 1)
        try:
            return name, read(spec, name, sheets[name], report), report
        except RejectedFile as rejection:
            first_problems = first_problems or rejection.problems
    if first_problems:
        return first_problems
    where = f"; its title is on sheet(s) {[n for n, _ in titled]} but no header row is" if titled else ""
    listed = " (the Contents sheet lists it)" if listed_in_contents else ""
    return [
        Problem(
            rule="required_table",
            message=f"no table {spec.name!r} found in sheets {list(sheets)}{listed}{where}",
            fix="Send the full release workbook as published; the indicators need this table.",
        )
    ]


def _release_id_from_cover(sheets: dict[str, list[list[Cell]]]) -> str | None:
    """The period the release covers, as its cover sheet states it ('... October to December 2023')."""
    for rows in sheets.values():
        for row in rows[:5]:
            for value in row[:2]:
                if isinstance(value, str) and (release_id := release_id_from_title(_text(value))):
                    return release_id
    return None


_PUBLISHED_ON = re.compile(r"\b(?:published|release date)\b\D{0,20}?(\d{1,2} [A-Z][a-z]+ \d{4})", re.I)


def _publication_date_from_cover(sheets: dict[str, list[list[Cell]]]) -> date | None:
    """'Published: 7 March 2024' (or 'Release date ...') on the first sheet, when the cover says it."""
    for rows in list(sheets.values())[:1]:
        for row in rows[:30]:
            for value in row[:3]:
                if isinstance(value, str) and (match := _PUBLISHED_ON.search(_text(value))):
                    try:
                        return datetime.strptime(match.group(1), "%d %B %Y").date()
                    except ValueError:
                        continue
    return None


_CONTENTS = {"contents", "table of contents", "contents sheet", "list of tables"}


def _contents_titles(sheets: dict[str, list[list[Cell]]]) -> list[str] | None:
    """The table titles the workbook's Contents sheet lists, or None when it has no Contents sheet.

    A release publishes the tables its Contents lists: a needed table listed there but not found is
    an error; one not listed is simply not in that release (early samples carry only some tables)."""
    for name, rows in sheets.items():
        first = match_key(rows[0][0]) if rows and rows[0] and isinstance(rows[0][0], str) else ""
        if match_key(name) in _CONTENTS or first in _CONTENTS:
            return [_text(v) for row in rows for v in row[:3] if isinstance(v, str)]
    return None


def _readers(specs, responder_specs, category_specs) -> list[tuple[Spec, Callable]]:
    return [
        *((spec, parse_table) for spec in specs),
        *((spec, parse_responder_table) for spec in responder_specs),
        *((spec, parse_category_table) for spec in category_specs),
    ]


def read_workbook(
    path: Path,
    specs: tuple[TableSpec, ...] = REQUIRED_TABLES,
    responder_specs: tuple[ResponderTableSpec, ...] = RESPONDER_TABLES,
    category_specs: tuple[CategoryTableSpec, ...] = CATEGORY_TABLES,
) -> tuple[NrmWorkbook | None, WorkbookReport, list[Problem]]:
    """Every needed table the workbook publishes, what was understood of it, and every problem."""
    report = WorkbookReport()
    try:
        sheets = read_ods(path)
    except NotAWorkbookError as exc:
        problem = Problem(
            rule="is_ods_workbook",
            message=str(exc),
            fix="Send the release's .ods workbook as downloaded from GOV.UK (not a web page or a partial download).",
        )
        return None, report, [problem]

    # Every table is looked for and read, so a rejection lists every problem at once.
    listed = _contents_titles(sheets)
    parsed: dict[str, tuple[str, list]] = {}
    problems: list[Problem] = []
    readers = _readers(specs, responder_specs, category_specs)
    for spec, read_table in readers:
        optional = getattr(spec, "optional", False)
        is_listed = listed is not None and any(spec.title.matches(title) for title in listed)
        if listed is not None and not is_listed:
            report.not_published.append(spec.name)
            continue
        found = _read_table(spec, read_table, sheets, is_listed)
        if isinstance(found, list):
            if optional and listed is None and found[0].rule == "required_table":
                continue  # an optional table the release does not carry
            problems += found
            continue
        sheet, cells, table_report = found
        parsed[spec.key] = (sheet, cells)
        report.tables[spec.name] = table_report
    if not problems and not parsed:
        problems.append(
            Problem(
                rule="required_table",
                message=f"none of the NRM tables the indicators need is listed in the Contents sheet ({[s.name for s, _ in readers]})",
                fix="Send the release's data tables workbook, not another document.",
            )
        )
    release_id = _release_id_from_cover(sheets)
    quarters = [
        (c.year, c.quarter)
        for _, cells in parsed.values()
        for c in cells
        if isinstance(c, TableCell) and c.quarter
    ]
    if release_id is None and not quarters and not problems:
        problems.append(
            Problem(
                rule="release_period",
                message="the workbook does not say which quarter it covers (no 'January to March 2024'-style period on its cover, and no quarterly table)",
                fix="Send the workbook with its cover sheet as published.",
            )
        )
    if problems:
        return None, report, problems
    workbook = NrmWorkbook(
        release_id=release_id or release_id_for(*max(quarters)),
        publication_date=_publication_date_from_cover(sheets),
        tables_not_published=[n for n in report.not_published if n not in _optional_names(category_specs)],
        report=report,
    )
    # One-quarter tables cover the release's own quarter.
    year, quarter = (int(part) for part in re.findall(r"\d+", workbook.release_id))
    for spec, _ in readers:
        if spec.key not in parsed:
            continue
        sheet, cells = parsed[spec.key]
        workbook.table_sheets[spec.name] = sheet
        if isinstance(spec, TableSpec):
            workbook.tables[spec.key] = cells
        elif isinstance(spec, ResponderTableSpec):
            workbook.responder_tables[spec.key] = cells
        else:
            workbook.tables[spec.key] = [
                TableCell(year, quarter, category, TOTAL, value, flag, sheet, row)
                for category, value, flag, row in cells
            ]
    return workbook, report, []


def _optional_names(category_specs) -> set[str]:
    return {s.name for s in category_specs if s.optional}


def parse_workbook(path: Path, **tables) -> NrmWorkbook:
    """Parse an NRM release workbook: every needed table it publishes. Raises RejectedFile naming
    every problem."""
    workbook, _, problems = read_workbook(path, **tables)
    if problems:
        raise RejectedFile(problems)
    assert workbook is not None
    return workbook

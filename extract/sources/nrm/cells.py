"""What every NRM table reader shares: the cells they give, how a table was understood (its
report), reading a count or a shorthand marker, and the problems they name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from extract.labels import Vocabulary, display_label
from extract.sources.nrm.tables import (
    SHORTHAND,
    CategoryTableSpec,
    ResponderTableSpec,
    TableSpec,
)
from pipeline.ods import Cell, cell_text
from pipeline.problems import Problem, RejectedFile, column_letter, reject

TITLE_SEARCH_ROWS = 12  # titles sit in the first rows of a sheet
HEADER_SEARCH_ROWS = 60
YEAR_LABEL = re.compile(r"^((?:19|20)\d{2})\b")
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


def label_text(value: Cell) -> str:
    """A cell as tidy text, note markers gone."""
    return display_label(cell_text(value))


def is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_at(row: list[Cell], col: int) -> Cell:
    return row[col] if col < len(row) else None


def as_count(value: Cell) -> tuple[int | None, str | None, str | None]:
    """(count, shorthand flag, error) for one data cell."""
    if type(value) is int and value >= 0:  # the common case, first
        return value, None, None
    if isinstance(value, bool) or is_blank(value):
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


def count_problem(sheet: str, row_number: int, col: int, field: str, raw: Cell, error: str) -> Problem:
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


def unknown_label(vocabulary: Vocabulary, label: str, sheet: str, row: int, col: int, table: str) -> Problem:
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


def no_header(sheet: str, message: str, fix: str) -> RejectedFile:
    return reject(rule="header_row_found", sheet=sheet, message=message, fix=fix)


def column_twice(sheet: str, header_index: int, col: int, published: str, what: str, table: str) -> Problem:
    return Problem(
        rule="column_header",
        sheet=sheet,
        row=header_index + 1,
        column=column_letter(col),
        field=published,
        message=f"the column {what!r} of {table!r} appears twice",
        fix="Keep one column per header label, as published.",
    )


def column_missing(sheet: str, header_index: int, what: str, table: str) -> Problem:
    return Problem(
        rule="required_column",
        sheet=sheet,
        row=header_index + 1,
        field=what,
        message=f"the column {what!r} of {table!r} is missing",
        fix="Restore the column as published.",
    )


def note_new(report: TableReport, vocabulary: Vocabulary, label: str) -> None:
    if label and not vocabulary.is_known(label):
        seen = report.new_labels.setdefault(vocabulary.name, [])
        if label not in seen:
            seen.append(label)


def ends_table(row: list[Cell], figure_cols) -> bool:
    """The table ends at an empty row, or at a note under it: a label and no figures."""
    return all(is_blank(v) for v in row) or all(is_blank(cell_at(row, c)) for c in figure_cols)


def figureless_blank_columns(
    rows: list[list[Cell]], header_index: int, blank_cols: list[int], sheet: str, table: str
) -> tuple[list[str], list[Problem]]:
    """Header-less columns: ignored when they hold no figures (the 2022 tables have one), an error
    when they do (figures nobody can name)."""
    ignored, problems = [], []
    for col in blank_cols:
        filled = next(
            (i for i in range(header_index + 1, len(rows)) if not is_blank(cell_at(rows[i], col))), None
        )
        if filled is None or not any(
            isinstance(cell_at(rows[i], col), int | float) for i in range(filled, len(rows))
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


def table_read(name: str, sheet: str, header_index: int, cells: list, problems: list[Problem]) -> list:
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

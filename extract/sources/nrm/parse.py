"""Parse NRM workbooks in the published layout into tidy cells.

Tables are found by their title text and their header row by its content, never by sheet number
or row offset: both move between releases. Shorthand markers ([x], [c], [r][e]...) become missing
values with a flag, never zero. Every problem found is reported with its sheet, row and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from extract.ods import Cell, NotAWorkbookError, read_ods
from extract.problems import Problem, RejectedFile, column_letter
from extract.sources.nrm.tables import (
    DTN_BY_NATIONALITY,
    REQUIRED_TABLES,
    RESPONDER_TABLES,
    ROW_DIMENSIONS,
    SHORTHAND,
    CategoryTableSpec,
    ResponderTableSpec,
    TableSpec,
    normalise_label,
    release_id_for,
    release_id_from_title,
)

_TITLE_SEARCH_ROWS = 12  # titles sit in the first rows of a sheet
_YEAR = re.compile(r"^(19|20)\d{2}$")
_QUARTER = re.compile(r"^Q([1-4])$", re.IGNORECASE)


@dataclass(frozen=True)
class TableCell:
    """One published cell: a period (quarter None = the year's published total), a column, a value."""

    year: int
    quarter: int | None
    group: str | None  # upper header label (e.g. the age group) as published; None for one-row headers
    label: str  # column header label as published (e.g. the location or outcome)
    value: int | None
    value_flag: str | None  # the shorthand marker when the value is missing
    sheet: str
    row: int


@dataclass(frozen=True)
class ResponderCell:
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
class NrmWorkbook:
    release_id: str
    publication_date: date | None = None  # as the cover states it; None when it does not
    tables_not_published: list[str] = field(default_factory=list)  # absent from the Contents sheet
    tables: dict[str, list[TableCell]] = field(default_factory=dict)  # TableSpec.key -> cells
    responder_tables: dict[str, list[ResponderCell]] = field(default_factory=dict)
    table_sheets: dict[str, str] = field(default_factory=dict)  # table name -> sheet it was found on


def _text(value: Cell) -> str:
    if value is None:
        return ""
    return normalise_label(value) if isinstance(value, str) else str(value)


def _is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _year_text(value: Cell) -> str:
    text = _text(value)
    return text[:-2] if text.endswith(".0") else text


def _find_header_row(rows: list[list[Cell]]) -> int | None:
    for index, row in enumerate(rows[:40]):
        labels = {_text(v).lower() for v in row}
        if {"year", "quarter"} <= labels:
            return index
    return None


def _has_title(rows: list[list[Cell]], spec: TableSpec | ResponderTableSpec | CategoryTableSpec) -> bool:
    return any(
        isinstance(value, str) and spec.title.search(_text(value))
        for row in rows[:_TITLE_SEARCH_ROWS]
        for value in row[:3]
    )


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
    text = _text(value)
    if SHORTHAND.match(text):
        return None, text.lower(), None
    digits = text.replace(",", "")
    if digits.isdigit():
        return int(digits), None, None
    return None, None, f"{text!r} is not a count (expected a whole number or a shorthand marker such as [x])"


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


def _table_read(name: str, sheet: str, header_index: int, cells: list, problems: list[Problem]) -> list:
    """The cells of a table, or every problem found in it; a header with no rows is a problem too."""
    if problems:
        raise RejectedFile(problems)
    if not cells:
        raise RejectedFile(
            [
                Problem(
                    rule="has_rows",
                    sheet=sheet,
                    row=header_index + 2,
                    message=f"the table {name!r} has a header but no data rows",
                    fix="Check that the workbook is complete.",
                )
            ]
        )
    return cells


def _header_columns(
    spec: TableSpec, sheet: str, rows: list[list[Cell]], header_index: int, skip: set[int]
) -> tuple[dict[int, tuple[str | None, str]], list[Problem]]:
    """Map column index -> (group, label), recognising labels by normalised content."""
    columns_by_key = {normalise_label(k).lower(): k for k in spec.columns}
    groups_by_key = {normalise_label(k).lower(): k for k in spec.groups or {}}
    header = rows[header_index]
    top = rows[header_index - 1] if spec.groups is not None else []
    problems: list[Problem] = []
    columns: dict[int, tuple[str | None, str]] = {}
    group: str | None = None
    for col, raw in enumerate(header):
        if col in skip:
            continue
        top_label = _text(top[col]) if col < len(top) else ""
        if spec.groups is not None and top_label:
            group = groups_by_key.get(top_label.lower())
            if group is None:
                problems.append(
                    Problem(
                        rule="known_header",
                        sheet=sheet,
                        row=header_index,
                        column=column_letter(col),
                        field=top_label,
                        value=top_label,
                        message=f"unexpected group {top_label!r} in {spec.name!r}; expected one of {sorted(spec.groups)}",
                        fix="Use the published header labels.",
                    )
                )
        label = _text(raw)
        if not label:
            continue
        known = columns_by_key.get(label.lower())
        if known is None:
            problems.append(
                Problem(
                    rule="known_header",
                    sheet=sheet,
                    row=header_index + 1,
                    column=column_letter(col),
                    field=label,
                    value=label,
                    message=f"unexpected column {label!r} in {spec.name!r}; expected one of {sorted(spec.columns)}",
                    fix="Use the published header labels.",
                )
            )
            continue
        if spec.groups is None or group is not None:
            columns[col] = (group, known)
    for group_label, label in sorted(spec.expected_cells() - set(columns.values()), key=str):
        what = f"{group_label} / {label}" if group_label else label
        problems.append(
            Problem(
                rule="required_column",
                sheet=sheet,
                row=header_index + 1,
                field=what,
                message=f"the column {what!r} of {spec.name!r} is missing",
                fix="Restore the column as published.",
            )
        )
    return columns, problems


def parse_table(spec: TableSpec, sheet: str, rows: list[list[Cell]]) -> list[TableCell]:
    """Read one table whose title has been found on `sheet`. Raises RejectedFile with every problem."""
    header_index = _find_header_row(rows)
    if header_index is None or (spec.groups is not None and header_index == 0):
        raise RejectedFile(
            [
                Problem(
                    rule="header_row_found",
                    sheet=sheet,
                    message=f"the table {spec.name!r} has no header row with 'Year' and 'Quarter'",
                    fix="Keep the published header: 'Year', 'Quarter', then the table's columns.",
                )
            ]
        )
    labels = [_text(v).lower() for v in rows[header_index]]
    year_col, quarter_col = labels.index("year"), labels.index("quarter")
    columns, problems = _header_columns(spec, sheet, rows, header_index, {year_col, quarter_col})
    if problems:
        raise RejectedFile(problems)

    cells: list[TableCell] = []
    year: int | None = None
    for index in range(header_index + 1, len(rows)):
        row, row_number = rows[index], index + 1
        if all(_is_blank(v) for v in row):
            break  # the table ends at the first empty row; notes may follow
        year_text = _year_text(row[year_col]) if year_col < len(row) else ""
        quarter_text = _text(row[quarter_col]) if quarter_col < len(row) else ""
        if year_text and not _YEAR.match(year_text) and not quarter_text:
            break  # a note row under the table ('Source: ...', 'Note 3: ...')
        if year_text:
            if not _YEAR.match(year_text):
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
            year = int(year_text)
        quarter_match = _QUARTER.match(quarter_text)
        is_year_total = spec.year_totals and year_text and quarter_text.lower() in ("", "total")
        if year is None or not (quarter_match or is_year_total):
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
        quarter = int(quarter_match.group(1)) if quarter_match else None
        for col, (group, label) in columns.items():
            raw = row[col] if col < len(row) else None
            count, flag, error = _as_count(raw)
            if error:
                problems.append(
                    _count_problem(
                        sheet, row_number, col, f"{group} / {label}" if group else label, raw, error
                    )
                )
                continue
            cells.append(TableCell(year, quarter, group, label, count, flag, sheet, row_number))
    return _table_read(spec.name, sheet, header_index, cells, problems)


def _find_responder_header(rows: list[list[Cell]]) -> int | None:
    wanted = {d.lower() for d in ROW_DIMENSIONS}
    for index, row in enumerate(rows[:40]):
        if wanted <= {_text(v).lower() for v in row}:
            return index
    return None


def parse_responder_table(
    spec: ResponderTableSpec, sheet: str, rows: list[list[Cell]]
) -> list[ResponderCell]:
    """Read an outline table: forward-fill each level within its block, unpivot the nationality columns.

    A level's label stands where its block starts. A blank under a label written further left in
    the same row is that block's total ('Total'); a blank with nothing written to its left repeats
    the row above.
    """
    header_index = _find_responder_header(rows)
    if header_index is None:
        raise RejectedFile(
            [
                Problem(
                    rule="header_row_found",
                    sheet=sheet,
                    message=f"the table {spec.name!r} has no header row with {list(ROW_DIMENSIONS)}",
                    fix="Keep the published header: the four row labels, then one column per nationality and 'Total'.",
                )
            ]
        )
    header = [_text(v) for v in rows[header_index]]
    lowered = [h.lower() for h in header]
    dimension_cols = [lowered.index(d.lower()) for d in ROW_DIMENSIONS]
    nationality_cols = {c: h for c, h in enumerate(header) if h and c not in dimension_cols}
    problems: list[Problem] = []
    if "Total" not in nationality_cols.values():
        problems.append(
            Problem(
                rule="required_column",
                sheet=sheet,
                row=header_index + 1,
                field="Total",
                message=f"the 'Total' column of {spec.name!r} is missing",
                fix="Restore the column as published.",
            )
        )
    cells: list[ResponderCell] = []
    current = ["", "", "", ""]
    for index in range(header_index + 1, len(rows)):
        row, row_number = rows[index], index + 1
        if all(_is_blank(v) for v in row):
            break  # the table ends at the first empty row; notes may follow
        if all(_is_blank(row[c]) for c in nationality_cols if c < len(row)):
            break  # a note under the table: a label and no figures
        labels = [_text(row[c]) if c < len(row) else "" for c in dimension_cols]
        written = False
        for level, label in enumerate(labels):
            if label:
                current[level], written = label, True
            elif written:
                current[level] = "Total"
        if not current[0]:
            problems.append(
                Problem(
                    rule="first_responder",
                    sheet=sheet,
                    row=row_number,
                    column=column_letter(dimension_cols[0]),
                    field=ROW_DIMENSIONS[0],
                    message="the first data row names no first responder",
                    fix="Write the first responder on the first row of its block.",
                )
            )
            continue
        for col, nationality in nationality_cols.items():
            raw = row[col] if col < len(row) else None
            count, flag, error = _as_count(raw)
            if error:
                problems.append(_count_problem(sheet, row_number, col, nationality, raw, error))
                continue
            cells.append(ResponderCell(*current, nationality, count, flag, sheet, row_number))
    return _table_read(spec.name, sheet, header_index, cells, problems)


def _find_category_header(rows: list[list[Cell]], spec: CategoryTableSpec) -> int | None:
    for index, row in enumerate(rows[:40]):
        labels = [_text(v).lower() for v in row]
        if spec.category.lower() in labels and spec.value.lower() in labels:
            return index
    return None


def parse_category_table(spec: CategoryTableSpec, sheet: str, rows: list[list[Cell]]) -> list[tuple]:
    """(category, value, flag, row) for every row of a one-column table, its 'Total' row included."""
    header_index = _find_category_header(rows, spec)
    if header_index is None:
        raise RejectedFile(
            [
                Problem(
                    rule="header_row_found",
                    sheet=sheet,
                    message=f"the table {spec.name!r} has no header row with {spec.category!r} and {spec.value!r}",
                    fix="Keep the published header.",
                )
            ]
        )
    labels = [_text(v).lower() for v in rows[header_index]]
    category_col, value_col = labels.index(spec.category.lower()), labels.index(spec.value.lower())
    cells, problems, seen = [], [], set()
    for index in range(header_index + 1, len(rows)):
        row, row_number = rows[index], index + 1
        if all(_is_blank(v) for v in row):
            break
        category = _text(row[category_col]) if category_col < len(row) else ""
        raw = row[value_col] if value_col < len(row) else None
        if category and _is_blank(raw):
            break  # a note under the table
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
        seen.add(category)
        cells.append((category, count, flag, row_number))
    if problems:
        raise RejectedFile(problems)
    return cells


def _find_table(
    spec: TableSpec | ResponderTableSpec | CategoryTableSpec,
    sheets: dict[str, list[list[Cell]]],
    listed_in_contents: bool,
) -> tuple[str, list[list[Cell]]] | Problem:
    # The contents sheet names tables too, so a title match also needs a header row under it.
    if isinstance(spec, CategoryTableSpec):
        find_header = lambda rows: _find_category_header(rows, spec)  # noqa: E731
    elif isinstance(spec, ResponderTableSpec):
        find_header = _find_responder_header
    else:
        find_header = _find_header_row
    titled = [name for name, rows in sheets.items() if _has_title(rows, spec)]
    with_header = [name for name in titled if find_header(sheets[name]) is not None]
    if with_header:
        return with_header[0], sheets[with_header[0]]
    where = f"; its title is on sheet(s) {titled} but no header row is" if titled else ""
    listed = " (the Contents sheet lists it)" if listed_in_contents else ""
    return Problem(
        rule="required_table",
        message=f"no table {spec.name!r} found in sheets {list(sheets)}{listed}{where}",
        fix="Send the full release workbook as published; the indicators need this table.",
    )


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


def _contents_titles(sheets: dict[str, list[list[Cell]]]) -> list[str] | None:
    """The table titles the workbook's Contents sheet lists, or None when it has no Contents sheet.

    A release publishes the tables its Contents lists: a needed table listed there but not found is
    an error; one not listed is simply not in that release (early samples carry only some tables)."""
    for name, rows in sheets.items():
        first = _text(rows[0][0]).lower() if rows and rows[0] else ""
        if name.strip().lower() in ("contents", "table_of_contents") or first in (
            "contents",
            "table of contents",
        ):
            return [_text(v) for row in rows for v in row[:3] if isinstance(v, str)]
    return None


def parse_workbook(
    path: Path,
    specs: tuple[TableSpec, ...] = REQUIRED_TABLES,
    responder_specs: tuple[ResponderTableSpec, ...] = RESPONDER_TABLES,
    category_specs: tuple[CategoryTableSpec, ...] = (DTN_BY_NATIONALITY,),
) -> NrmWorkbook:
    """Parse an NRM release workbook: every needed table it publishes. Raises RejectedFile naming
    every problem."""
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

    # Every table is looked for and read, so a rejection lists every problem at once.
    listed = _contents_titles(sheets)
    parsed: dict[str, tuple[str, list]] = {}
    problems: list[Problem] = []
    not_published: list[str] = []
    readers = [
        *((spec, parse_table) for spec in specs),
        *((spec, parse_responder_table) for spec in responder_specs),
        *((spec, parse_category_table) for spec in category_specs),
    ]
    for spec, read_table in readers:
        if listed is not None and not any(spec.title.search(title) for title in listed):
            not_published.append(spec.name)
            continue
        found = _find_table(spec, sheets, listed is not None)
        if isinstance(found, Problem):
            problems.append(found)
            continue
        sheet, rows = found
        try:
            parsed[spec.key] = (sheet, read_table(spec, sheet, rows))
        except RejectedFile as rejection:
            problems += rejection.problems
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
        for key, (_, cells) in parsed.items()
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
        raise RejectedFile(problems)
    workbook = NrmWorkbook(
        release_id=release_id or release_id_for(*max(quarters)),
        publication_date=_publication_date_from_cover(sheets),
        tables_not_published=not_published,
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
                TableCell(year, quarter, category, "Total", value, flag, sheet, row)
                for category, value, flag, row in cells
            ]
    return workbook

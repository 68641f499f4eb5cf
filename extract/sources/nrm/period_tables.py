"""Period tables (Year, Quarter, then figures): referrals by age and location, decisions, Duty to
Notify. Periods are read as published: `Year` written once, on the year's total row, and filled
down to its quarters.
"""

from __future__ import annotations

from extract.labels import Vocabulary, match_key
from extract.sources.nrm.cells import (
    HEADER_SEARCH_ROWS,
    YEAR_LABEL,
    TableCell,
    TableReport,
    as_count,
    cell_at,
    column_missing,
    column_twice,
    count_problem,
    ends_table,
    figureless_blank_columns,
    label_text,
    no_header,
    table_read,
    unknown_label,
)
from extract.sources.nrm.tables import (
    ALL_AGES,
    TableSpec,
)
from extract.sources.nrm.vocabulary import (
    PERIOD_COLUMNS,
    QUARTERS,
    TOTAL,
)
from pipeline.ods import Cell
from pipeline.problems import Problem, RejectedFile, column_letter


def find_period_header(rows: list[list[Cell]]) -> int | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
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
        top_text = label_text(cell_at(top, col))
        if spec.groups is not None and top_text:
            group = spec.groups.canonical(top_text)
            if group is None:
                problems.append(unknown_label(spec.groups, top_text, sheet, group_index + 1, col, spec.name))
        column_text = label_text(cell_at(labels, col))
        if not column_text and top_text and group == ALL_AGES:
            column_text = TOTAL  # a grand-total column merged down over both header rows
        if not column_text:
            blank.append(col)
            continue
        label = spec.columns.canonical(column_text)
        if label is None:
            problems.append(unknown_label(spec.columns, column_text, sheet, label_index + 1, col, spec.name))
            continue
        if spec.groups is not None and group is None:
            continue  # under an unknown group, already reported
        key = (group, label)
        if key in columns.values():
            problems.append(
                column_twice(sheet, label_index, col, column_text, " / ".join(filter(None, key)), spec.name)
            )
            continue
        columns[col] = key
        published = " / ".join(
            filter(None, [label_text(cell_at(top, col)) if spec.groups else None, column_text])
        )
        report.columns.append((column_letter(col), published, " / ".join(filter(None, key))))
    ignored, blank_problems = figureless_blank_columns(rows, label_index, blank, sheet, spec.name)
    report.ignored_columns += ignored
    problems += blank_problems
    for group_label, label in sorted(spec.expected_cells() - set(columns.values()), key=str):
        what = f"{group_label} / {label}" if group_label else label
        problems.append(column_missing(sheet, label_index, what, spec.name))
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
    period_index = find_period_header(rows)
    if period_index is None:
        raise no_header(
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
        if ends_table(row, columns):
            break
        year_text, quarter_text = label_text(cell_at(row, year_col)), label_text(cell_at(row, quarter_col))
        quarter = QUARTERS.canonical(quarter_text) if quarter_text else None
        year_match = YEAR_LABEL.match(match_key(year_text)) if year_text else None
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
            raw = cell_at(row, col)
            count, flag, error = as_count(raw)
            if error:
                problems.append(
                    count_problem(
                        sheet, row_number, col, f"{group} / {label}" if group else label, raw, error
                    )
                )
                continue
            cells.append(TableCell(year, quarter_number, group, label, count, flag, sheet, row_number))
    report.cells = len(cells)
    return table_read(spec.name, sheet, label_index, cells, problems)

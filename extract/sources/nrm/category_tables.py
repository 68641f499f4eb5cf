"""One-column category tables: a count per category (e.g. Duty to Notify by nationality, referrals
by county).
"""

from __future__ import annotations

from extract.sources.nrm.cells import (
    HEADER_SEARCH_ROWS,
    TableReport,
    as_count,
    cell_at,
    is_blank,
    label_text,
    no_header,
    note_new,
)
from extract.sources.nrm.tables import (
    CategoryTableSpec,
)
from extract.sources.nrm.vocabulary import (
    CATEGORY_HEADERS,
    COUNTIES,
    NATIONALITIES,
)
from pipeline.ods import Cell
from pipeline.problems import Problem, RejectedFile, column_letter


def find_category_header(rows: list[list[Cell]], spec: CategoryTableSpec) -> int | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        labels = [CATEGORY_HEADERS.canonical(v) if isinstance(v, str) else None for v in row]
        if spec.category in labels and spec.value in labels:
            return index
    return None


def parse_category_table(
    spec: CategoryTableSpec, sheet: str, rows: list[list[Cell]], report: TableReport | None = None
) -> list[tuple]:
    """(category, value, flag, row) for every row of a one-column table, its 'Total' row included."""
    report = report or TableReport(spec.name, sheet)
    header_index = find_category_header(rows, spec)
    if header_index is None:
        raise no_header(
            sheet,
            f"the table {spec.name!r} has no header row with {spec.category!r} and {spec.value!r}",
            "Keep the published header.",
        )
    report.header_row = header_index + 1
    labels = [CATEGORY_HEADERS.canonical(v) if isinstance(v, str) else None for v in rows[header_index]]
    category_col, value_col = labels.index(spec.category), labels.index(spec.value)
    for col in (category_col, value_col):
        report.columns.append((column_letter(col), label_text(rows[header_index][col]), labels[col]))
    vocabulary = NATIONALITIES if spec.category == "Nationality" else COUNTIES
    cells, problems, seen = [], [], set()
    for index in range(header_index + 1, len(rows)):
        row, row_number = rows[index], index + 1
        if all(is_blank(v) for v in row):
            break
        text = label_text(cell_at(row, category_col))
        raw = cell_at(row, value_col)
        if text and is_blank(raw):
            break  # a note under the table
        category = vocabulary.canonical(text) if text else ""
        count, flag, error = as_count(raw)
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
        note_new(report, vocabulary, text)
        seen.add(category)
        cells.append((category, count, flag, row_number))
    if problems:
        raise RejectedFile(problems)
    report.cells = len(cells)
    return cells

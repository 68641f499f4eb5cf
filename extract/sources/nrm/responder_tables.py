"""First-responder tables: blocks of rows per first responder, broken down by exploitation type,
age, gender and nationality.
"""

from __future__ import annotations

from extract.sources.nrm.cells import (
    HEADER_SEARCH_ROWS,
    ResponderCell,
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
    note_new,
    table_read,
    unknown_label,
)
from extract.sources.nrm.tables import (
    ROW_DIMENSIONS,
    ResponderTableSpec,
)
from extract.sources.nrm.vocabulary import (
    AGE,
    EXPLOITATION,
    EXPLOITATION_TYPES,
    FIRST_RESPONDERS,
    GENDER,
    GENDERS,
    NATIONALITIES,
    RESPONDER,
    RESPONDER_AGES,
    RESPONDER_ROW_HEADERS,
    TOTAL,
)
from pipeline.ods import Cell
from pipeline.problems import Problem, RejectedFile, column_letter


def find_responder_header(rows: list[list[Cell]], spec: ResponderTableSpec | None = None) -> int | None:
    needed = {EXPLOITATION, AGE, GENDER} | (set() if spec is None or spec.single_responder else {RESPONDER})
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
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
    header_index = find_responder_header(rows, spec)
    if header_index is None:
        raise no_header(
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
            report.columns.append((column_letter(col), label_text(raw), canonical[col]))
            continue
        text = label_text(raw)
        if not text:
            blank.append(col)
            continue
        nationality = NATIONALITIES.canonical(text)
        if nationality in nationality_cols.values():
            problems.append(column_twice(sheet, header_index, col, text, nationality, spec.name))
            continue
        nationality_cols[col] = nationality
        note_new(report, NATIONALITIES, text)
    report.columns.append(("…", f"{len(nationality_cols) - 1} nationality columns", "nationality"))
    ignored, blank_problems = figureless_blank_columns(rows, header_index, blank, sheet, spec.name)
    report.ignored_columns += ignored
    problems += blank_problems
    if TOTAL not in nationality_cols.values():
        problems.append(column_missing(sheet, header_index, TOTAL, spec.name))
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
        if ends_table(row, nationality_cols):
            break
        written = False
        row_ok = True
        for level, (dimension, col) in enumerate(levels):
            if col is None:
                continue  # the one responder of a table without the column
            text = label_text(cell_at(row, col))
            if text:
                label = vocabularies[dimension].canonical(text)
                if label is None:
                    problems.append(
                        unknown_label(vocabularies[dimension], text, sheet, row_number, col, spec.name)
                    )
                    row_ok = False
                    continue
                note_new(report, vocabularies[dimension], text)
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
            raw = cell_at(row, col)
            count, flag, error = as_count(raw)
            if error:
                problems.append(count_problem(sheet, row_number, col, nationality, raw, error))
                continue
            cells.append(ResponderCell(*current, nationality, count, flag, sheet, row_number))
    report.cells = len(cells)
    return table_read(spec.name, sheet, header_index, cells, problems)

"""The Great Expectations check of a parsed NRM workbook, before anything is loaded: every problem
is named by sheet, row and column label, and the workbook is rejected as a whole."""

from __future__ import annotations

import re

from extract.sources.nrm.cells import ResponderCell, TableCell
from extract.sources.nrm.parse import NrmWorkbook
from pipeline.problems import Problem


def workbook_problems(workbook: NrmWorkbook) -> list[Problem]:
    import pandas as pd

    from expectations.runner import failing_rows
    from expectations.suites.nrm_cells import build_nrm_responder_cells_suite, build_nrm_table_cells_suite

    year, quarter = (int(part) for part in re.findall(r"\d+", workbook.release_id))
    table_cells = [(key, cell) for key, cells in workbook.tables.items() for cell in cells]
    responder_cells = [(key, cell) for key, cells in workbook.responder_tables.items() for cell in cells]
    checks = [
        (
            lambda: build_nrm_table_cells_suite(year * 10 + quarter),
            table_cells,
            lambda key, c: {
                "table": key,
                "year": c.year,
                "quarter": c.quarter,
                "period_key": c.year * 10 + (c.quarter or 0),
                "group": c.group,
                "label": c.label,
                "value": c.value,
            },
        ),
        (
            build_nrm_responder_cells_suite,
            responder_cells,
            lambda key, c: {
                "table": key,
                "first_responder": c.first_responder,
                "exploitation_type": c.exploitation_type,
                "age_at_exploitation": c.age_at_exploitation,
                "gender": c.gender,
                "nationality": c.nationality,
                "value": c.value,
            },
        ),
    ]
    problems = []
    for build_suite, cells, as_row in checks:
        if not cells:
            continue
        frame = pd.DataFrame([as_row(key, cell) for key, cell in cells])
        for failure in failing_rows(build_suite, frame):
            for index in failure.index:
                problems.append(_problem(cells[index][1], failure.meta))
    return sorted(problems, key=lambda p: (p.sheet or "", p.row or 0))  # stable: columns in table order


def _problem(cell: TableCell | ResponderCell, meta: dict) -> Problem:
    field = cell.label if isinstance(cell, TableCell) else cell.nationality
    value = cell.value
    if isinstance(cell, TableCell):
        field = f"{cell.group} / {field}" if cell.group else field
        if meta["rule"].startswith("period"):
            value = f"{cell.year}-Q{cell.quarter}" if cell.quarter else str(cell.year)
    return Problem(
        rule=meta["rule"],
        message=meta["message"],
        fix=meta["fix"],
        sheet=cell.sheet,
        row=cell.row,
        field=field,
        value=None if value is None else str(value),
    )

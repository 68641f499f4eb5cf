"""The Great Expectations check of a parsed statistics table, before anything is loaded: every
problem is named by row, column and field, and the file is rejected as a whole."""

from __future__ import annotations

from extract.sources.statistics.table import ParsedTable
from pipeline.problems import Problem


def table_problems(table: ParsedTable, measures: list[str]) -> list[Problem]:
    import pandas as pd

    from expectations.runner import failing_rows
    from expectations.suites.published_statistics import build_published_statistics_suite

    frame = pd.DataFrame(
        [
            {
                "period": f.period,
                "area_level": f.area_level,
                "area_code": f.area_code,
                "area_key": f.area_code or f.area_name,
                "measure": f.measure,
                "value": f.value,
                "value_flag": f.flag,
                "missing_without_flag": f.value is None and f.flag is None,
            }
            for f in table.figures
        ]
    )
    problems = []
    for failure in failing_rows(lambda: build_published_statistics_suite(measures), frame):
        for index in failure.index:
            figure = table.figures[index]
            problems.append(
                Problem(
                    rule=failure.meta["rule"],
                    message=failure.meta["message"],
                    fix=failure.meta["fix"],
                    sheet=table.sheet,
                    row=figure.row,
                    column=figure.column,
                    field=figure.measure,
                    value=None if figure.value is None else str(figure.value),
                )
            )
    return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))

"""Validate the rows of a return file: the Great Expectations suite built from the definition,
then the checks GX cannot express. Every problem is collected, so the agency sees them all at once;
one bad row rejects the whole file (a return is atomic).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from extract.sources.returns.definition import (
    SUCCESSOR_CODES,
    Agency,
    ReturnDefinition,
    district_codes,
    quarter_end,
)
from extract.sources.returns.parse import ParsedReturnFile, ReturnRow
from pipeline.problems import Problem, RejectedFile


@dataclass(frozen=True)
class ReturnValue:
    measure: str
    value: Decimal | None  # None: not available, see flag
    value_flag: str | None
    row: int


@dataclass(frozen=True)
class AgencyReturn:
    """One agency's return for one quarter: every measure of its kind, exactly once."""

    agency_code: str  # canonical ONS 2023 code
    submitted_code: str  # as written in the file (after trimming and upper-casing)
    agency_type: str
    period: str  # 2024-Q3
    values: tuple[ReturnValue, ...]


def _problem(
    parsed: ParsedReturnFile, row: ReturnRow | None, column: str | None, rule: str, message: str, fix: str
) -> Problem:
    value = None if row is None or column is None else getattr(row, column)
    return Problem(
        rule=rule,
        message=message,
        fix=fix,
        sheet=parsed.sheet,
        row=None if row is None else row.row,
        column=parsed.columns.get(column) if column else None,
        field=column,
        value=value,
    )


def _gx_problems(
    files: list[ParsedReturnFile], definition: ReturnDefinition, agencies: dict[str, Agency]
) -> list[list[Problem]]:
    """Run the suite once over the rows of every file (one GX validation per batch, not per file:
    it costs about 0.3 s a run), and give each file its own problems."""
    import pandas as pd

    from expectations.runner import failing_rows
    from expectations.suites.agency_returns import build_agency_returns_suite

    positions = [(f, i) for f, parsed in enumerate(files) for i in range(len(parsed.rows))]
    frame = pd.DataFrame(
        [
            {"file": f, **{c: (getattr(files[f].rows[i], c) or None) for c in definition.column_names}}
            for f, i in positions
        ],
        columns=["file", *definition.column_names],
    )
    problems: list[list[Problem]] = [[] for _ in files]
    if frame.empty:
        return problems
    for failure in failing_rows(
        lambda: build_agency_returns_suite(definition, agencies, SUCCESSOR_CODES), frame
    ):
        for index in failure.index:
            f, i = positions[index]
            parsed, row = files[f], files[f].rows[i]
            message, fix = failure.meta["message"], failure.meta["fix"]
            if failure.meta["rule"] == "agency_code":
                message, fix = _explain_code(row.agency_code, definition, message, fix)
            column = failure.column or ("measure" if failure.meta["rule"] == "measure_once" else None)
            problems[f].append(_problem(parsed, row, column, failure.meta["rule"], message, fix))
    return problems


def _explain_code(code: str, definition: ReturnDefinition, message: str, fix: str) -> tuple[str, str]:
    """A more helpful message for the codes people most often send by mistake."""
    if reason := definition.rejected_prefix_reason(code):
        name = district_codes().get(code)
        return (
            f"{code}{f' ({name})' if name else ''}: {reason}",
            "Send the return under your county council's code (E10...).",
        )
    if definition.type_for_code(code) is not None:
        return (f"{code} has the form of a valid code but is not in the ONS 2023 lists", fix)
    return message, fix


def _period_problems(parsed: ParsedReturnFile, definition: ReturnDefinition, today: date) -> list[Problem]:
    problems = []
    earliest = definition.period_pattern.match(definition.earliest_period)
    earliest_key = (int(earliest.group(1)), int(earliest.group(2)))
    for row in parsed.rows:
        match = definition.period_pattern.match(row.period)
        if not match:
            continue  # reported by the suite
        year, quarter = int(match.group(1)), int(match.group(2))
        if (year, quarter) < earliest_key:
            problems.append(
                _problem(
                    parsed,
                    row,
                    "period",
                    "period_range",
                    f"{row.period} is before {definition.earliest_period}, when the return starts",
                    "Send returns for 2015-Q1 onwards.",
                )
            )
        elif quarter_end(year, quarter) >= today:
            problems.append(
                _problem(
                    parsed,
                    row,
                    "period",
                    "period_finished",
                    f"{row.period} has not finished yet (it ends on {quarter_end(year, quarter):%d %B %Y})",
                    "Send the return once the quarter has ended; check the period.",
                )
            )
    return problems


def validate_return_files(
    files: list[ParsedReturnFile], definition: ReturnDefinition, agencies: dict[str, Agency], *, today: date
) -> list[list[AgencyReturn] | RejectedFile]:
    """For each file, its returns, or a RejectedFile listing every problem in it (sorted by row)."""
    outcomes: list[list[AgencyReturn] | RejectedFile] = []
    for parsed, gx_problems in zip(files, _gx_problems(files, definition, agencies), strict=True):
        try:
            outcomes.append(_checked_returns(parsed, gx_problems, definition, agencies, today))
        except RejectedFile as rejection:
            outcomes.append(rejection)
    return outcomes


def _checked_returns(
    parsed: ParsedReturnFile,
    gx_problems: list[Problem],
    definition: ReturnDefinition,
    agencies: dict[str, Agency],
    today: date,
) -> list[AgencyReturn]:
    """The checks GX cannot express, on top of the suite's problems; raises RejectedFile."""
    problems = gx_problems + _period_problems(parsed, definition, today)
    grouped: dict[tuple[str, str], list[ReturnRow]] = defaultdict(list)
    for row in parsed.rows:
        grouped[(SUCCESSOR_CODES.get(row.agency_code, row.agency_code), row.period)].append(row)

    returns = []
    kinds = set()
    for (code, period), rows in grouped.items():
        agency = agencies.get(code)
        if agency is None:
            continue  # the code is reported by the suite
        kind = definition.agency_types[agency.agency_type]
        kinds.add(kind.id)
        by_measure = {r.measure: r for r in rows}
        for row in rows:
            if row.measure in definition.all_measure_ids() and row.measure not in kind.measure_ids:
                problems.append(
                    _problem(
                        parsed,
                        row,
                        "measure",
                        "measure_for_agency",
                        f"{row.measure} is not a measure of the {kind.label.lower()} return",
                        f"A {kind.label.lower()} return has: {', '.join(kind.measure_ids)}.",
                    )
                )
        for measure in kind.measures:
            row = by_measure.get(measure.id)
            if row is None:
                problems.append(
                    _problem(
                        parsed,
                        None,
                        "measure",
                        "measure_present",
                        f"the return of {code} for {period} has no row for {measure.id}",
                        f"Add a row for {measure.id} (write {definition.not_available_marker} if the figure is not available).",
                    )
                )
            elif (
                measure.type == "count" and "." in row.value and row.value != definition.not_available_marker
            ):
                problems.append(
                    _problem(
                        parsed,
                        row,
                        "value",
                        "whole_number",
                        f"{measure.id} counts {measure.unit}: {row.value} is not a whole number",
                        "Enter a whole number.",
                    )
                )
        for rule in definition.consistency_rules:
            lesser, greater = by_measure.get(rule.lesser), by_measure.get(rule.greater)
            if (
                rule.agency_type == kind.id
                and lesser
                and greater
                and _number(lesser.value) is not None
                and _number(greater.value) is not None
            ):
                if _number(lesser.value) > _number(greater.value):
                    problems.append(
                        _problem(
                            parsed,
                            lesser,
                            "value",
                            rule.id,
                            f"{rule.message}: {rule.lesser} is {lesser.value} but {rule.greater} (row {greater.row}) is {greater.value}",
                            f"Check both figures for {code} in {period}.",
                        )
                    )
        values = tuple(
            ReturnValue(
                r.measure,
                _number(r.value),
                definition.not_available_marker if r.value == definition.not_available_marker else None,
                r.row,
            )
            for r in rows
        )
        returns.append(AgencyReturn(code, rows[0].agency_code, kind.id, period, values))
    if len(kinds) > 1:
        problems.append(
            Problem(
                rule="one_kind_of_agency",
                message="the file mixes council children's services and police force returns",
                fix="Send council and police returns in separate files (each has its own template).",
                sheet=parsed.sheet,
            )
        )
    if problems:
        raise RejectedFile(sorted(problems, key=lambda p: (p.row is None, p.row or 0, p.column or "")))
    return returns


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except ArithmeticError:
        return None

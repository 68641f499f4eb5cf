"""Read an official statistics table (the DfE's and the Home Office's open data: one row per period x
area, figures in columns) into tidy figures, whatever spelling and layout the publisher used.

What every such table shares is here: the header found by meaning (notes may sit above it; columns
in any order, labels matched with the publisher's synonyms), figures read as whole numbers with
thousands separators, and the publishers' shorthand read as missing with its flag, never as 0:
`c` (confidential: suppressed), `x` (not available), `z` (not applicable), `u` (low reliability),
`low` (fewer than 0.5), `..` and `:` (older spellings of "not available"), `[c]` in brackets.
What differs (which columns, what a row means) is a `TableDefinition` of each source.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from extract.labels import match_key
from pipeline.ods import Cell, cell_text
from pipeline.problems import Problem, RejectedFile, column_letter
from pipeline.tabular import Sheet, read_tabular_file

_HEADER_SEARCH_ROWS = 50

# The shorthand of the Government Statistical Service (and older spellings) -> the flag kept.
SHORTHAND = {
    "c": "c",  # confidential: suppressed by the publisher
    "x": "x",  # not available
    "z": "z",  # not applicable
    "u": "u",  # low reliability: a figure may follow ('12u'), kept with the flag
    "low": "low",  # rounds to 0 but is not 0
    "..": "x",
    ":": "x",
    "-": "z",
}
_NUMBER = re.compile(r"-?\d{1,3}(?:,\d{3})+|-?\d+")
_FLAGGED_NUMBER = re.compile(r"(\d[\d,]*)\s*\[?\s*(u)\s*\]?", re.IGNORECASE)


@dataclass(frozen=True)
class Column:
    """A column of the table: its field name, what publishers have called it, whether it must be there."""

    field: str
    labels: tuple[str, ...]
    required: bool = True


@dataclass(frozen=True)
class Figure:
    """One published figure, tidy: `value` None means missing, and `flag` says why (or qualifies it)."""

    row: int  # 1-based, as a spreadsheet shows it
    period: str  # '2025' (year ending March) or '2023-Q2' (calendar quarter)
    area_level: str  # country | region | utla | pfa | force (a force without an area)
    area_code: str | None
    area_name: str
    measure: str
    value: int | None
    flag: str | None
    column: str  # spreadsheet letter of the figure, for messages


@dataclass(frozen=True)
class TableDefinition:
    """One source's table: its columns, and how a row of cells becomes figures (or problems)."""

    source: str  # the landing source and the audit source: children_in_need | police_recorded_crime
    title: str  # as a sender knows it, for messages
    columns: tuple[Column, ...]
    measures: tuple[str, ...]  # the measure ids its figures carry
    figures_of_row: Callable[[RowCells], list[Figure]]  # raises RowProblem
    edition_of: Callable[[list[Figure]], str]  # the newest period the file covers: its edition
    one_of: tuple[str, ...] = ()  # optional columns of which the table must have at least one


@dataclass
class RowCells:
    """One data row: the text of each defined column (None where the table has no such column)."""

    row: int
    cells: dict[str, str | None]
    letters: Mapping[str, str]  # field -> spreadsheet letter

    def text(self, name: str) -> str:
        return self.cells.get(name) or ""

    def problem(self, name: str, message: str, fix: str, rule: str) -> RowProblem:
        return RowProblem(
            Problem(
                rule=rule,
                message=message,
                fix=fix,
                row=self.row,
                column=self.letters.get(name),
                field=name,
                value=self.cells.get(name),
            )
        )


class RowProblem(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.describe())
        self.problem = problem


@dataclass
class ParsedTable:
    source: str
    sheet: str | None
    figures: list[Figure]
    edition: str
    notes: list[str] = field(default_factory=list)


def read_count(text: str) -> tuple[int | None, str | None]:
    """A published count as (value, flag): '1,234' -> (1234, None); 'c' -> (None, 'c');
    '[x]' -> (None, 'x'); '12u' -> (12, 'u'). Raises ValueError otherwise: an empty cell too, since
    publishers write shorthand where there is no figure, and a blank is how a truncated file ends."""
    cleaned = text.strip().strip("[]").strip()
    if not cleaned:
        raise ValueError("the cell is empty; a count or the publisher's shorthand (c, x, z) is expected")
    if (flag := SHORTHAND.get(cleaned.casefold())) is not None:
        return None, flag
    if _NUMBER.fullmatch(cleaned):
        value = int(cleaned.replace(",", ""))
        if value < 0:
            raise ValueError(f"{text!r} is negative; a count is 0 or more")
        return value, None
    if flagged := _FLAGGED_NUMBER.fullmatch(cleaned):
        return int(flagged.group(1).replace(",", "")), "u"
    if re.fullmatch(r"-?\d+\.0+", cleaned):  # 12.0: a spreadsheet's float of a whole number
        return read_count(cleaned.split(".")[0])
    raise ValueError(f"{text!r} is not a count (a whole number, or c, x, z, u or low)")


def _header_candidates(
    rows: list[list[Cell]], columns: tuple[Column, ...]
) -> list[tuple[int, dict[str, int]]]:
    """For each of the first rows, the defined columns it has (field -> position)."""
    wanted = {
        match_key(label): column.field for column in columns for label in (column.field, *column.labels)
    }
    candidates = []
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for position, value in enumerate(row):
            name = wanted.get(match_key(cell_text(value)))
            if name is not None and name not in found:
                found[name] = position
        candidates.append((index, found))
    return candidates


def parse_statistics_table(sheets: list[Sheet], definition: TableDefinition) -> ParsedTable:
    """The figures of the first sheet that holds the table. Raises RejectedFile listing every
    problem (row, column, field, value), so the sender sees them all at once."""
    required = [c for c in definition.columns if c.required]
    closest: tuple[int, str | None, int, dict[str, int]] | None = None
    for sheet in sheets:
        for index, found in _header_candidates(sheet.rows, definition.columns):
            if all(column.field in found for column in required):
                return _parse_sheet(sheet, definition, index, found)
            matched = sum(column.field in found for column in required)
            if matched and (closest is None or matched > closest[0]):
                closest = (matched, sheet.name, index, found)

    def named(column: Column) -> str:
        return column.labels[0] if column.labels else column.field

    if closest is None:
        message = (
            f"no row in the first {_HEADER_SEARCH_ROWS} of any sheet has the columns of {definition.title}: "
            f"{', '.join(named(c) for c in required)}"
        )
        where: dict[str, object] = {}
    else:
        _, sheet_name, index, found = closest
        missing = [named(c) for c in required if c.field not in found]
        message = (
            f"the header has {', '.join(named(c) for c in required if c.field in found)} "
            f"but not {', '.join(missing)}, which {definition.title} needs"
        )
        where = {"sheet": sheet_name, "row": index + 1}
    raise RejectedFile(
        [
            Problem(
                rule="header",
                message=message,
                fix="Send the table as the publisher released it (its open-data CSV), with its header row.",
                **where,
            )
        ]
    )


def _parse_sheet(
    sheet: Sheet, definition: TableDefinition, header: int, positions: dict[str, int]
) -> ParsedTable:
    letters = {name: column_letter(index) for name, index in positions.items()}
    if definition.one_of and not any(name in positions for name in definition.one_of):
        raise RejectedFile(
            [
                Problem(
                    rule="header",
                    message=f"the header (row {header + 1}) has none of the columns {', '.join(definition.one_of)}",
                    fix=f"Send {definition.title} with its {' or '.join(definition.one_of)} column.",
                    sheet=sheet.name,
                    row=header + 1,
                )
            ]
        )
    figures: list[Figure] = []
    problems: list[Problem] = []
    for offset, row in enumerate(sheet.rows[header + 1 :], start=header + 2):
        cells = {
            name: (cell_text(row[index]) if index < len(row) else "") for name, index in positions.items()
        }
        if not any(cells.values()):
            continue  # a blank row (or the end of the table)
        try:
            figures += definition.figures_of_row(RowCells(offset, cells, letters))
        except RowProblem as problem:
            problems.append(problem.problem)
    problems += _repeated_figures(figures, letters)
    if not figures and not problems:
        problems.append(
            Problem(
                rule="not_empty",
                message=f"the table has a header but no rows of {definition.title}",
                fix="Send the table with its figures.",
                sheet=sheet.name,
            )
        )
    if problems:
        sheet_name = sheet.name
        raise RejectedFile(
            [Problem(**{**p.to_dict(), "sheet": p.sheet or sheet_name}) for p in problems[:200]]
        )
    return ParsedTable(
        definition.source, sheet.name, figures, definition.edition_of(figures), list(sheet.notes)
    )


def read_statistics_file(path: Path, source: str, *, max_bytes: int, max_unpacked_bytes: int) -> ParsedTable:
    """Read and parse one file of `source` (the reader that runs in a child process)."""
    from extract.sources.statistics import TABLES

    sheets = read_tabular_file(path, max_bytes=max_bytes, max_unpacked_bytes=max_unpacked_bytes)
    return parse_statistics_table(sheets, TABLES[source])


def _repeated_figures(figures: list[Figure], letters: Mapping[str, str]) -> list[Problem]:
    """One figure per period, area and measure: a repeated row could be counted twice."""
    first: dict[tuple, Figure] = {}
    problems = []
    for figure in figures:
        key = (figure.period, figure.area_level, figure.area_code or figure.area_name, figure.measure)
        if key in first:
            earlier = first[key]
            problems.append(
                Problem(
                    rule="one_row_per_area",
                    message=f"{figure.area_name} ({figure.area_code or 'no code'}) in {figure.period} is "
                    f"also on row {earlier.row}",
                    fix="Send each area once per period (remove the repeated row).",
                    row=figure.row,
                    column=figure.column,
                    field=figure.measure,
                )
            )
        else:
            first[key] = figure
    return problems


def count_figures(
    cells: RowCells, measures: Mapping[str, str], make: Callable[[str, int | None, str | None, str], Figure]
) -> list[Figure]:
    """The figures of the measure columns of a row (field -> measure id), each read with read_count."""
    figures = []
    for name, measure in measures.items():
        if name not in cells.letters:
            continue  # an optional column the table does not have
        try:
            value, flag = read_count(cells.text(name))
        except ValueError as exc:
            raise cells.problem(
                name, str(exc), "Enter a whole number, or the publisher's shorthand.", "count"
            ) from exc
        figures.append(make(measure, value, flag, cells.letters[name]))
    return figures

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

from extract.labels import match_key
from extract.sources.nrm.category_tables import find_category_header, parse_category_table
from extract.sources.nrm.cells import (
    TITLE_SEARCH_ROWS,
    ResponderCell,
    Spec,
    TableCell,
    TableReport,
    label_text,
)
from extract.sources.nrm.period_tables import find_period_header, parse_table
from extract.sources.nrm.responder_tables import find_responder_header, parse_responder_table
from extract.sources.nrm.tables import (
    CATEGORY_TABLES,
    REQUIRED_TABLES,
    RESPONDER_TABLES,
    CategoryTableSpec,
    ResponderTableSpec,
    TableSpec,
    release_id_for,
    release_id_from_title,
)
from extract.sources.nrm.vocabulary import (
    TOTAL,
)
from pipeline.ods import Cell, NotAWorkbookError, read_ods
from pipeline.problems import Problem, RejectedFile


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


def _title_row(rows: list[list[Cell]], spec: Spec) -> int | None:
    for index, row in enumerate(rows[:TITLE_SEARCH_ROWS]):
        if any(isinstance(v, str) and spec.title.matches(v) for v in row[:3]):
            return index
    return None


def _header_finder(spec: Spec) -> Callable[[list[list[Cell]]], int | None]:
    if isinstance(spec, CategoryTableSpec):
        return lambda rows: find_category_header(rows, spec)
    if isinstance(spec, ResponderTableSpec):
        return lambda rows: find_responder_header(rows, spec)
    return find_period_header


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
                if isinstance(value, str) and (release_id := release_id_from_title(label_text(value))):
                    return release_id
    return None


def release_id_of(path: Path) -> str | None:
    """The release a workbook is, from its cover ('nrm-2023-q4'), without reading its tables."""
    try:
        return _release_id_from_cover(read_ods(path))
    except NotAWorkbookError:
        return None


_PUBLISHED_ON = re.compile(r"\b(?:published|release date)\b\D{0,20}?(\d{1,2} [A-Z][a-z]+ \d{4})", re.I)


def _publication_date_from_cover(sheets: dict[str, list[list[Cell]]]) -> date | None:
    """'Published: 7 March 2024' (or 'Release date ...') on the first sheet, when the cover says it."""
    for rows in list(sheets.values())[:1]:
        for row in rows[:30]:
            for value in row[:3]:
                if isinstance(value, str) and (match := _PUBLISHED_ON.search(label_text(value))):
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
            return [label_text(v) for row in rows for v in row[:3] if isinstance(v, str)]
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

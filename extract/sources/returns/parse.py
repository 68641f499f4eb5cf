"""Turn the rows of a return file into candidate return rows, and say exactly what is wrong.

The header row is found by its content (notes may sit above it; names are matched case-blind, in
any order, extra columns are ignored). Cells are cleaned the way people type them: stray spaces,
lower-case codes, numbers stored as text or with thousands separators. A trailing totals row is
recognised and left out. Validation of the values is in validate.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.sources.returns.definition import ReturnDefinition
from pipeline.ods import Cell, cell_text
from pipeline.problems import RejectedFile, column_letter, reject
from pipeline.tabular import Sheet

_HEADER_SEARCH_ROWS = 50


@dataclass(frozen=True)
class ReturnRow:
    """One data row, cleaned but not yet validated; `row` is its number in the file (1-based)."""

    row: int
    agency_code: str
    period: str
    measure: str
    value: str  # cleaned text: '12', '1234.50', '[x]', or whatever was there


@dataclass
class ParsedReturnFile:
    sheet: str | None
    rows: list[ReturnRow]
    columns: dict[str, str]  # column name -> spreadsheet letter, for messages
    notes: list[str] = field(default_factory=list)


def _header_index(rows: list[list[Cell]], names: tuple[str, ...]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        labels = {cell_text(v).lower(): i for i, v in enumerate(row) if cell_text(v)}
        if all(name in labels for name in names):
            return index, {name: labels[name] for name in names}
    return None


def clean_value(value: Cell) -> str:
    """'1,234' -> '1234'; ' 12 ' -> '12'; 12.0 -> '12'; '[X]' -> '[x]'."""
    text = cell_text(value)
    if re.fullmatch(r"\[\s*[xX]\s*\]", text):
        return "[x]"
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", text):
        text = text.replace(",", "")
    return text.removeprefix("£").strip() if text.startswith("£") else text


def parse_return_sheets(sheets: list[Sheet], definition: ReturnDefinition) -> ParsedReturnFile:
    names = definition.column_names
    for sheet in sheets:
        found = _header_index(sheet.rows, names)
        if found is None:
            continue
        if sheet.formulas:
            raise RejectedFile(sheet.formulas)
        header_index, positions = found
        columns = {name: column_letter(i) for name, i in positions.items()}
        parsed = ParsedReturnFile(sheet.name, [], columns, list(sheet.notes))
        if header_index:
            parsed.notes.append(f"{header_index} row(s) above the header were skipped")
        for offset, raw in enumerate(sheet.rows[header_index + 1 :], start=header_index + 2):
            cells = {name: cell_text(raw[i]) if i < len(raw) else "" for name, i in positions.items()}
            if not any(cells.values()):
                continue  # blank row
            if _is_totals_row(cells):
                parsed.notes.append(f"row {offset} is a totals row and was left out")
                continue
            parsed.rows.append(
                ReturnRow(
                    row=offset,
                    agency_code=cells["agency_code"].replace(" ", "").upper(),
                    period=cells["period"].replace(" ", "").upper(),
                    measure=cells["measure"].lower(),
                    value=clean_value(raw[positions["value"]] if positions["value"] < len(raw) else None),
                )
            )
        if not parsed.rows:
            raise reject(
                rule="has_rows",
                message="the header is there but no return rows follow it",
                fix="Fill in one row per measure under the header.",
                sheet=sheet.name,
                row=header_index + 1,
            )
        return parsed
    first = next((row for sheet in sheets for row in sheet.rows if any(cell_text(v) for v in row)), [])
    seen = ", ".join(repr(cell_text(v)) for v in first if cell_text(v))[:200] or "nothing"
    raise reject(
        rule="header_row",
        message=f"no header row with the columns {', '.join(names)} in the first {_HEADER_SEARCH_ROWS} rows "
        f"(the first non-empty row holds {seen})",
        fix="Start from the template: keep its header row (agency_code, period, measure, value).",
    )


def _is_totals_row(cells: dict[str, str]) -> bool:
    labels = (cells["agency_code"], cells["period"], cells["measure"])
    return any(label.lower() in ("total", "totals", "grand total") for label in labels) or (
        not cells["agency_code"] and not cells["measure"] and bool(cells["value"])
    )

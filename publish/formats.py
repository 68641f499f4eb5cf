"""The release's tables in the other formats people open them in, from the same disclosure-controlled
rows as the CSVs (so no format can show what another hides):

- a spreadsheet in the Analysis Function layout (cover, contents, notes, one table per sheet, the
  shorthand explained), written as .ods, the format the standard recommends, by the project's
  deterministic writer;
- Parquet, typed, with a suppressed or missing figure as null and its shorthand in `<field>_flag`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.ods import Cell, write_ods

SHORTHAND = {
    "[c]": "confidential: suppressed to protect children's identities (disclosure control)",
    "[x]": "not available",
    "[z]": "not applicable",
}


@dataclass(frozen=True)
class Table:
    sheet: str  # e.g. Table_1
    title: str
    fields: Sequence[tuple[str, str, str]]  # (name, frictionless type, description)
    rows: list[list[str]]  # as published in the CSV


def _typed(text: str, kind: str) -> Cell:
    """A CSV cell as a spreadsheet cell: numbers as numbers, shorthand and text as text."""
    if text == "" or text in SHORTHAND:
        return text or None
    if kind == "integer":
        return int(text)
    if kind == "number":
        return float(text)
    return text.lstrip("'") if text.startswith("'") else text  # the CSV's formula guard is not needed here


def analysis_function_sheets(title: str, release_id: str, notes: list[str], tables: list[Table]) -> list:
    cover = [
        [title],
        [f"Release {release_id}."],
        ["This workbook holds the tables of the release; each table is also published as CSV and Parquet."],
        ["Shorthand used in the tables:"],
        *([symbol, meaning] for symbol, meaning in SHORTHAND.items()),
        ["Source: Home Office NRM statistics and agency returns; see the Notes sheet and datapackage.json."],
    ]
    contents = [["Contents"], ["Worksheet name", "Title"], ["Notes", "Notes"]]
    contents += [[t.sheet, t.title] for t in tables]
    notes_sheet = [
        ["Notes"],
        ["Note number", "Note text"],
        *([f"Note {i}", n] for i, n in enumerate(notes, 1)),
    ]
    sheets = [("Cover_sheet", cover), ("Contents", contents), ("Notes", notes_sheet)]
    for table in tables:
        rows: list[list[Cell]] = [
            [table.title],
            ["This worksheet contains one table. Shorthand is explained on the cover sheet."],
            [name for name, _, _ in table.fields],
        ]
        rows += [
            [_typed(v, kind) for v, (_, kind, _) in zip(row, table.fields, strict=True)] for row in table.rows
        ]
        sheets.append((table.sheet, rows))
    return sheets


def write_workbook(path: Path, title: str, release_id: str, notes: list[str], tables: list[Table]) -> None:
    write_ods(path, analysis_function_sheets(title, release_id, notes, tables))


def parquet_bytes(table: Table) -> bytes:
    """The table typed for code: integers, numbers, dates and booleans as such; a shorthand cell as
    null, with the shorthand in `<field>_flag` beside every numeric field."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow_types = {"integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(), "date": pa.date32()}
    columns, names = [], []
    for index, (name, kind, _) in enumerate(table.fields):
        raw = [row[index] for row in table.rows]
        if kind in ("integer", "number"):
            values = [
                None if v in SHORTHAND or v == "" else (int(v) if kind == "integer" else float(v))
                for v in raw
            ]
            columns += [
                pa.array(values, type=arrow_types[kind]),
                pa.array([v if v in SHORTHAND else None for v in raw], type=pa.string()),
            ]
            names += [name, f"{name}_flag"]
        elif kind == "boolean":
            columns.append(pa.array([None if v == "" else v == "true" for v in raw], type=pa.bool_()))
            names.append(name)
        elif kind == "date":
            import datetime

            columns.append(
                pa.array([None if v == "" else datetime.date.fromisoformat(v) for v in raw], type=pa.date32())
            )
            names.append(name)
        else:
            columns.append(
                pa.array([v.lstrip("'") if v.startswith("'") else v for v in raw], type=pa.string())
            )
            names.append(name)
    buffer = io.BytesIO()
    # no creation time or writer version beyond pyarrow's own: the same rows give the same bytes
    pq.write_table(pa.table(columns, names=names), buffer, compression="zstd", write_statistics=False)
    return buffer.getvalue()


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")

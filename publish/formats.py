"""The release's tables in the other formats people open them in, from the same disclosure-controlled
rows as the CSVs (so no format can show what another hides):

- the spreadsheets (publish/spreadsheet.py);
- Parquet, typed, with a suppressed or missing figure as null and its shorthand in `<field>_flag`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

SHORTHAND = {
    "[c]": "confidential: suppressed to protect children's identities (disclosure control)",
    "[x]": "not available",
    "[z]": "not applicable",
}


def published_number(text: str | None) -> float | None:
    """A published cell as a number; None for a shorthand ([c], [x], [z]) or no cell."""
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Table:
    sheet: str  # e.g. Table_1
    title: str
    fields: Sequence[tuple[str, str, str]]  # (name, frictionless type, description)
    rows: list[list[str]]  # as published in the CSV


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

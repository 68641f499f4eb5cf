"""The release's spreadsheet in the Analysis Function's standard for releasing statistics in
spreadsheets: a cover (title, period, dates, source, contact, shorthand), a contents sheet with a
link to every sheet, a notes sheet, then one table per sheet with a title, a line saying what the
sheet holds, headers with their units, numbers stored as numbers, Yes/No for booleans and an
explicit note where a table has no rows.

One description of the workbook (`Workbook`) is written twice, from the same disclosure-controlled
rows as the CSVs:
- `.xlsx` by `gptables`, the Analysis Function's own library (column widths, contents links and the
  accessible table layout are its work);
- `.ods`, the format the standard recommends, by the project's deterministic writer, with the same
  sheets, widths and links.
Both are byte-reproducible: no clock is read, so the cover names the NRM release (and its date where
the source states it), and the moment the release was published is recorded in the releases feed.
"""

from __future__ import annotations

import re
import textwrap
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipeline.ods import Cell, Link, Styled, write_ods
from publish.formats import SHORTHAND, Table

TITLE_ROWS = 2  # above every table: its title, then what the sheet holds
_HEADINGS = {
    "indicator_id": "Indicator id",
    "period_label": "Period",
    "is_provisional": "Provisional (Yes or No)",
    "field": "Suppressed column",
    "null_reason": "Why the value is not shown",
    "councils_straddling": "Councils straddling the boundary",
}
# the unit a numeric column is in, by its name
_UNITS = {
    "numerator": "count",
    "denominator": "count of children or people",
    "value": "in the unit of the Unit column",
    "previous_value": "count",
    "change": "count",
}


def column_heading(name: str, kind: str, description: str) -> str:
    """A header a person reads, with its unit for a number: `cin_trafficking_rate` becomes 'CIN
    trafficking rate (per 10,000 children aged 0-17)', from the unit its description states."""
    if name in _HEADINGS:
        return _HEADINGS[name]
    numeric = kind in ("integer", "number")
    words = name.removesuffix("_count") if numeric else name
    heading = words.replace("_", " ")
    heading = re.sub(
        r"\b(nrm|cin)\b", lambda m: m.group().upper(), heading[:1].upper() + heading[1:], flags=re.I
    )
    if not numeric:
        return heading
    if name == "value" and kind == "integer":
        return heading + " (count)"  # a published NRM figure, where revised
    if name in _UNITS:
        return f"{heading} ({_UNITS[name]})"
    if name.endswith("_count"):
        return heading + " (count)"
    if name.endswith("_rank"):
        return heading + " (1 = highest)"
    per = re.search(r"\b(per [\d,]+ [^,;()]+)$", description)
    return f"{heading} ({per.group(1)})" if per else heading


def cell_value(text: str, kind: str) -> Cell:
    """A CSV cell as a spreadsheet cell: numbers as numbers, booleans as Yes/No, shorthand and text
    as text (without the CSV's formula guard, which a typed text cell does not need)."""
    if text == "" or text in SHORTHAND:
        return text or None
    if kind == "integer":
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "boolean":
        return {"true": "Yes", "false": "No"}.get(text, text)
    return text[1:] if text.startswith("'") else text


@dataclass(frozen=True)
class Sheet:
    name: str  # e.g. Table_1
    title: str
    about: str  # what the sheet holds, the line under its title
    headings: list[str]
    rows: list[list[Cell]]


@dataclass(frozen=True)
class Workbook:
    title: str
    cover: list[tuple[str, str]]  # (heading, text), in order
    notes: list[str]
    sheets: list[Sheet]


def workbook(
    title: str,
    *,
    release_id: str,
    period: str,
    nrm_release: str,
    source: str,
    contact: str,
    notes: list[str],
    tables: list[Table],
    empty_notes: dict[str, str],
) -> Workbook:
    """The workbook's content, from the published tables. `empty_notes`: per sheet, what to say
    when it has no rows (a table with no rows still has its sheet, saying so)."""
    shorthand = "; ".join(f"{symbol} {meaning}" for symbol, meaning in SHORTHAND.items())
    cover = [
        ("Period covered", period),
        ("NRM statistics used", nrm_release),
        (
            "Release",
            f"{release_id}, named after its newest quarter and a hash of its content. The day it was "
            "published is listed in the releases feed (releases.json, feed.xml) beside the release, not "
            "here: the same figures always give the same file.",
        ),
        ("Sources", source.removeprefix("Sources: ")),
        ("Shorthand", f"Where a figure is not shown, its cell holds: {shorthand}."),
        (
            "About this workbook",
            "One table per sheet; the Contents sheet links to each. Every table is also published "
            "as CSV (and the indicators and revisions as Parquet) with a data package describing them.",
        ),
        ("Contact", contact),
    ]
    sheets = []
    for table in tables:
        rows = [
            [cell_value(v, kind) for v, (_, kind, _) in zip(row, table.fields, strict=True)]
            for row in table.rows
        ]
        about = "This worksheet contains one table. Shorthand ([c], [x], [z]) is explained on the cover."
        if not rows:
            about = f"This worksheet contains one table, with no rows: {empty_notes.get(table.sheet, 'it is empty in this release.')}"
        sheets.append(
            Sheet(table.sheet, table.title, about, [column_heading(*field) for field in table.fields], rows)
        )
    return Workbook(title, cover, notes, sheets)


# --- .ods, by the project's writer --------------------------------------------------------------

_CM_PER_CHAR, _MIN_CM, _MAX_CM = 0.21, 1.5, 12.0


def _width_cm(texts: list[str]) -> float:
    """A column as wide as its longest line at 10 pt, within bounds; longer text wraps."""
    longest = max((len(line) for t in texts for line in t.split("\n")), default=0)
    return round(min(max(longest * _CM_PER_CHAR + 0.4, _MIN_CM), _MAX_CM), 2)


def _texts(column: list[Cell]) -> list[str]:
    return ["" if v is None else (f"{v:,}" if isinstance(v, int | float) else str(v)) for v in column]


def ods_sheets(book: Workbook) -> list[tuple[str, list[list], list[float]]]:
    """Every sheet as (name, rows of cells, column widths in cm)."""

    def table(title: str, about: str, headings: list[str], rows: list[list]) -> list[list]:
        return [
            [Styled(title, "title")],
            [Styled(about, "line")],
            [Styled(h, "heading") for h in headings],
            *rows,
        ]

    cover = [
        [Styled(book.title, "title")],
        [],
        *([Styled(heading, "heading"), text] for heading, text in book.cover),
    ]
    contents = table(
        "Contents",
        "This worksheet contains one table. Select a sheet name to go to it.",
        ["Sheet name", "Table description"],
        [[Link("Notes", "Notes"), "Notes"], *([Link(s.name, s.name), s.title] for s in book.sheets)],
    )
    notes = table(
        "Notes",
        "This worksheet contains one table.",
        ["Note number", "Note text"],
        [[f"note {i}", text] for i, text in enumerate(book.notes, 1)],
    )
    out = [
        ("Cover_sheet", cover, [4.5, 12.0]),
        ("Contents", contents, [3.0, 14.0]),
        ("Notes", notes, [2.5, 14.0]),
    ]
    for sheet in book.sheets:
        columns = list(zip(*sheet.rows, strict=True)) if sheet.rows else [()] * len(sheet.headings)
        widths = [_width_cm([h, *_texts(list(c))]) for h, c in zip(sheet.headings, columns, strict=True)]
        out.append((sheet.name, table(sheet.title, sheet.about, sheet.headings, sheet.rows), widths))
    return out


def write_ods_workbook(path: Path, book: Workbook) -> None:
    sheets = ods_sheets(book)
    write_ods(path, [(name, rows) for name, rows, _ in sheets], widths={n: w for n, _, w in sheets})


# --- .xlsx, by gptables ----------------------------------------------------------------------------

_FIXED_CREATED = datetime(2000, 1, 1)
_COVER_CHARS = 85  # the cover's column width, in characters


def _lines(text: str) -> int:
    return (
        len(textwrap.wrap(text, int(_COVER_CHARS * 0.95))) or 1
    )  # xlsxwriter stamps the file with this, so the bytes repeat


def write_xlsx_workbook(path: Path, book: Workbook) -> None:
    """The same workbook written by gptables; written beside `path` and renamed into place."""
    import gptables as gpt
    import pandas as pd

    sheets = {}
    for sheet in book.sheets:
        if sheet.rows:
            frame = pd.DataFrame(sheet.rows, columns=sheet.headings, dtype=object)
        else:  # gptables needs a row: the table says in words that it has none
            frame = pd.DataFrame([[sheet.about.split(": ", 1)[-1]]], columns=["Note"], dtype=object)
        sheets[sheet.name] = gpt.GPTable(
            table=frame,
            table_name=sheet.name.lower(),
            title=sheet.title,
            instructions=sheet.about,
            source="Source: " + dict(book.cover)["Sources"],
        )
    intro = [f"{heading}: {text}" for heading, text in book.cover if heading != "Contact"]
    contact = [dict(book.cover)["Contact"]]
    cover = gpt.Cover(
        title=book.title, intro=intro, contact=contact, cover_label="Cover_sheet", width=_COVER_CHARS
    )
    notes = pd.DataFrame(
        {"Note number": [f"note {i}" for i in range(1, len(book.notes) + 1)], "Note text": book.notes}
    )
    tmp = path.with_name(f".{path.name}.part")
    with warnings.catch_warnings():  # the notes are general, not referenced from a table: gptables warns
        warnings.simplefilter("ignore", UserWarning)
        wb = gpt.produce_workbook(str(tmp), sheets=sheets, cover=cover, notes_table=notes)
    # The cover's paragraphs wrap; a row's height is set for its lines, as LibreOffice does not grow
    # it when it opens the file (rows: title, heading, the intro, heading, the contact).
    cover_sheet = wb.worksheets()[0]
    for row, text in enumerate(intro, start=2):
        cover_sheet.set_row(row, 15 * _lines(text))
    for row, text in enumerate(contact, start=3 + len(intro)):
        cover_sheet.set_row(row, 15 * _lines(text))
    wb.set_properties({"title": book.title, "created": _FIXED_CREATED})
    wb.close()
    tmp.replace(path)

"""Read a tabular file sent by people (an agency return, a population workbook), whatever shape it
arrives in, into rows of cells.

The content decides the format, never the file name: CSV (UTF-8 with or without a BOM, or
Windows-1252; comma, semicolon, tab or pipe delimited), .xlsx, or .ods. A file that is none of
these (empty, a PDF, a web page, an old .xls, a zip of something else) is rejected with the reason.
Size limits apply to the file and to what a workbook decompresses to, so a zip bomb is refused
before it is opened.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.ods import Cell, NotAWorkbookError, read_ods
from pipeline.problems import Problem, RejectedFile, column_letter, reject

_SAVE_AS = "Save the file as CSV (UTF-8) or .xlsx and send it again."


@dataclass
class Sheet:
    """The rows of one sheet (or of a CSV), with what was noticed reading it."""

    name: str | None  # the worksheet's name; None for CSV
    rows: list[list[Cell]]
    file_format: str  # csv | xlsx | ods
    notes: list[str] = field(default_factory=list)
    formulas: list[Problem] = field(default_factory=list)  # cells holding a formula, not a value


def _reject(message: str, fix: str = _SAVE_AS, rule: str = "file_format") -> RejectedFile:
    return reject(rule=rule, message=message, fix=fix)


def read_tabular_file(path: Path, *, max_bytes: int, max_unpacked_bytes: int) -> list[Sheet]:
    """Every sheet of the file as rows (one for a CSV). Raises RejectedFile with the reason."""
    size = path.stat().st_size
    if size == 0:
        raise _reject("the file is empty", rule="not_empty")
    if size > max_bytes:
        raise _reject(
            f"the file is {size:,} bytes; at most {max_bytes:,} are accepted",
            "Send the table alone, without embedded images or other sheets.",
            rule="size_limit",
        )
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith(b"PK\x03\x04"):
        return _read_workbook(path, max_unpacked_bytes)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _reject("the file is an old-style Excel .xls workbook, which is not accepted")
    if head.startswith(b"%PDF"):
        raise _reject("the file is a PDF, not a spreadsheet")
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        raise _reject("the file is an HTML page, not a spreadsheet")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # a UTF-16 CSV, as Excel's "Unicode text" saves it
        return [_read_csv(path.read_bytes())]
    if b"\x00" in head:
        raise _reject("the file is binary and not a spreadsheet format that is accepted (CSV, .xlsx, .ods)")
    return [_read_csv(path.read_bytes())]


def _read_csv(data: bytes) -> Sheet:
    notes = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _reject(f"the file says it is UTF-16 text but is not ({exc})", rule="encoding") from exc
        notes.append("the file is UTF-16 text")
    elif data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="strict")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            notes.append("the file is not UTF-8; it was read as Windows-1252")
    delimiter = _delimiter("\n".join(text.splitlines()[:50]))
    if delimiter != ",":
        notes.append(f"values are separated by {delimiter!r}")
    rows: list[list[Cell]] = [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return Sheet(None, rows, "csv", notes)


def _delimiter(sample: str) -> str:
    """The delimiter that splits some row of the sample into the most fields (the header row, where
    notes sit above it); a comma when none does better. csv.Sniffer is misled by notes."""

    def widest(delimiter: str) -> int:
        rows = csv.reader(io.StringIO(sample), delimiter=delimiter)
        return max((sum(1 for v in row if v.strip()) for row in rows), default=0)

    return max(",;\t|", key=widest)  # max keeps the first of equals: the comma


def _read_workbook(path: Path, max_unpacked_bytes: int) -> list[Sheet]:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            unpacked = sum(m.file_size for m in members)
            mimetype = archive.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
    except (zipfile.BadZipFile, EOFError) as exc:
        raise _reject(
            f"the file looks like a workbook but cannot be opened: it is damaged or truncated ({exc})"
        ) from exc
    if unpacked > max_unpacked_bytes:
        raise _reject(
            f"the workbook decompresses to {unpacked:,} bytes; at most {max_unpacked_bytes:,} are accepted",
            "Send the table alone, without other sheets, images or embedded files.",
            rule="size_limit",
        )
    if "xl/workbook.xml" in names:
        return _read_xlsx(path)
    if mimetype == "application/vnd.oasis.opendocument.spreadsheet":
        try:
            sheets = read_ods(path)
        except NotAWorkbookError as exc:
            raise _reject(f"the .ods workbook cannot be read: {exc}") from exc
        return [Sheet(name, rows, "ods") for name, rows in sheets.items()]
    raise _reject("the file is a zip archive that is not an .xlsx or .ods workbook")


MAX_XLSX_CELLS = 2_000_000


def _read_xlsx(path: Path) -> list[Sheet]:
    import openpyxl  # only needed for .xlsx files

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise _reject(f"the .xlsx workbook cannot be read: {exc}") from exc
    sheets = []
    cells_read = 0
    try:
        for worksheet in workbook.worksheets:
            rows: list[list[Cell]] = []
            formulas: list[Problem] = []
            for row_number, row in enumerate(worksheet.iter_rows(), start=1):
                values: list[Cell] = []
                cells_read += len(row)
                if cells_read > MAX_XLSX_CELLS:  # counted as read: a sheet can claim a billion cells
                    raise _reject(
                        f"sheet {worksheet.title!r} holds more than {MAX_XLSX_CELLS:,} cells by row {row_number}; "
                        "a return has a few hundred",
                        "Send the table alone, without other sheets or formatting to the end of the sheet.",
                        rule="size_limit",
                    )
                for index, cell in enumerate(row):
                    if getattr(cell, "data_type", None) == "f":
                        formulas.append(
                            Problem(
                                rule="no_formulas",
                                message=f"the cell holds a formula ({cell.value}); send values only",
                                fix="Copy the cells and paste them as values, then send the file again.",
                                sheet=worksheet.title,
                                row=row_number,
                                column=column_letter(index),
                                value=str(cell.value),
                            )
                        )
                    values.append(cell.value)
                rows.append(values)
            sheets.append(Sheet(worksheet.title, rows, "xlsx", formulas=formulas))
    finally:
        workbook.close()
    return sheets

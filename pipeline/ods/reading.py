"""Reading OpenDocument spreadsheets (.ods), the format the Home Office publishes in.

The reader returns every sheet as a grid of raw cell values, leaving all interpretation to the
parsers. It checks a file is a complete, bounded workbook before it reads a cell of it.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

Cell = str | int | float | None

ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"


def cell_text(value: Cell) -> str:
    """A cell as the text a reader sees, for every reader: nothing is '', a whole number stored as
    a float is the number ('12', never '12.0'), 0 stays '0', and text loses its byte-order mark,
    non-breaking spaces and runs of whitespace."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).replace("\ufeff", "").replace("\u00a0", " ")
    return " ".join(text.split())


class NotAWorkbookError(ValueError):
    """The file is not an OpenDocument spreadsheet at all (HTML error page, truncated download...)."""


def check_is_ods(path: Path) -> None:
    """Raise NotAWorkbookError unless `path` is a complete zip whose mimetype says spreadsheet."""
    if path.stat().st_size > MAX_CONTENT_BYTES:
        raise NotAWorkbookError(
            f"the file is {path.stat().st_size:,} bytes, more than the {MAX_CONTENT_BYTES:,} a release workbook "
            "could need: refused unread"
        )
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            mimetype = zf.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else None
            unpacked = sum(info.file_size for info in zf.infolist())
            if unpacked > MAX_CONTENT_BYTES:
                raise NotAWorkbookError(
                    f"the workbook unpacks to {unpacked:,} bytes, more than the {MAX_CONTENT_BYTES:,} a "
                    "release workbook could need: refused unread (a zip bomb?)"
                )
            bad_member = zf.testzip()
    except zipfile.BadZipFile as exc:
        head = path.read_bytes()[:200].decode("utf-8", "replace").strip().lower()
        kind = "an HTML page" if head.startswith(("<!doctype html", "<html")) else "not a zip archive"
        raise NotAWorkbookError(f"not an OpenDocument spreadsheet: the file is {kind} ({exc})") from exc
    except (EOFError, OSError, zipfile.LargeZipFile) as exc:
        raise NotAWorkbookError(f"not a readable OpenDocument spreadsheet: {exc}") from exc
    if mimetype != ODS_MIMETYPE:
        raise NotAWorkbookError(f"not an OpenDocument spreadsheet: its mimetype is {mimetype!r}")
    if bad_member is not None:
        raise NotAWorkbookError(
            f"the workbook is damaged or truncated: member {bad_member!r} fails its CRC check"
        )
    if "content.xml" not in names:
        raise NotAWorkbookError("the workbook has no content.xml: it is truncated or damaged")


_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_T = {
    name: f"{{{_TABLE}}}{name}"
    for name in (
        "table",
        "table-row",
        "table-cell",
        "covered-table-cell",
        "name",
        "number-rows-repeated",
        "number-columns-repeated",
    )
}
_NUMERIC_TYPES = {"float", "percentage", "currency"}
# The largest sheet LibreOffice and Excel save; repeated cells with content beyond it are hostile.
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384


def _paragraph_text(element) -> str:
    """Text of a text:p, with text:s (spaces), text:tab and text:line-break as they display."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "s":
            parts.append(" " * int(child.get(f"{{{_TEXT}}}c", "1")))
        elif tag == "tab":
            parts.append("\t")
        elif tag == "line-break":
            parts.append("\n")
        else:
            parts.append(_paragraph_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _cell_value(cell) -> Cell:
    value_type = cell.get(f"{{{_OFFICE}}}value-type")
    if value_type in _NUMERIC_TYPES:
        number = float(cell.get(f"{{{_OFFICE}}}value"))
        return int(number) if number.is_integer() else number
    paragraphs = [_paragraph_text(p) for p in cell.iter(f"{{{_TEXT}}}p")]
    if value_type is None and not paragraphs:
        return None
    return "\n".join(paragraphs)


# An NRM release's content.xml is tens of MB unpacked; more than this is a zip bomb, not a workbook.
MAX_CONTENT_BYTES = 512 * 1024 * 1024


def read_ods(path: Path) -> dict[str, list[list[Cell]]]:
    """Every sheet of an .ods workbook as rows of raw cell values (None for an empty cell; integral
    numbers as int, text as displayed, line breaks as '\\n').

    Read with python-calamine (Rust; several times faster than the streaming reader below on a real
    release, see `make bench`); a file calamine cannot read (e.g. pretty-printed XML, no manifest)
    goes through the streaming reader, which reads any valid ODF."""
    check_is_ods(path)
    try:
        from python_calamine import CalamineError
    except ImportError:  # pragma: no cover - the lock installs it
        return read_ods_streaming(path)
    try:
        workbook = _calamine_workbook(path)
        sheets = {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}
    except (CalamineError, ValueError, OSError):
        return read_ods_streaming(path)
    return {name: [[_from_calamine(v) for v in row] for row in rows] for name, rows in sheets.items()}


_LINE_BREAK = re.compile(rb"<[\w.-]+:line-break\s*/>")


def _calamine_workbook(path: Path):
    """Calamine drops text:line-break, gluing the words beside it ('Age at<br/>exploitation'): a
    workbook with line breaks is read from a copy whose breaks are newline characters."""
    from python_calamine import CalamineWorkbook

    with zipfile.ZipFile(path) as zf:
        content = zf.read("content.xml")  # its size was bounded by check_is_ods
        if _repeats_content(content):
            raise ValueError("content repeated thousands of times: the streaming reader refuses or bounds it")
        if not _LINE_BREAK.search(content):
            return CalamineWorkbook.from_path(str(path))
        copy = io.BytesIO()
        with zipfile.ZipFile(copy, "w") as out:
            for info in zf.infolist():
                data = _LINE_BREAK.sub(b"&#10;", content) if info.filename == "content.xml" else zf.read(info)
                out.writestr(info, data, compress_type=zipfile.ZIP_STORED)
    copy.seek(0)
    return CalamineWorkbook.from_filelike(copy)


_BIG_REPEAT = re.compile(rb'number-(rows|columns)-repeated="(\d{4,})"')


def _repeats_content(content: bytes) -> bool:
    """A row or cell with content repeated thousands of times (calamine would expand it to the
    sheet's limits: a 1 KB file costing seconds and most of a GB). Office suites repeat empty ones."""
    for match in _BIG_REPEAT.finditer(content):
        start = content.rfind(b"<", 0, match.start())
        end_tag = b"</table:table-row>" if match.group(1) == b"rows" else b"</table:table-cell>"
        tag_end = content.find(b">", match.end())
        if content[tag_end - 1 : tag_end] == b"/":
            continue  # an empty, self-closed cell or row
        end = content.find(end_tag, tag_end)
        body = content[start : end if end != -1 else len(content)]
        if b"value-type" in body or b"<text:p" in body:
            return True
    return False


def _from_calamine(value) -> Cell:
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_ods_streaming(path: Path) -> dict[str, list[list[Cell]]]:
    """Every sheet of an .ods workbook as rows of raw cell values (None for an empty cell).

    Streams content.xml (no DOM of the whole workbook): integral numbers come back as int, text
    with its line breaks. Repeated empty rows and columns (spreadsheets pad sheets with a million
    of them) are only expanded when something follows them.
    """
    from xml.etree.ElementTree import ParseError, iterparse

    check_is_ods(path)
    sheets: dict[str, list[list[Cell]]] = {}
    try:
        with zipfile.ZipFile(path) as zf, zf.open("content.xml") as content:
            rows: list[list[Cell]] = []
            pending_empty_rows = 0
            sheet_name = ""
            for event, element in iterparse(content, events=("start", "end")):
                tag = element.tag
                if event == "start":
                    if tag == _T["table"]:
                        sheet_name = element.get(_T["name"])
                    continue
                if tag == _T["table-row"]:
                    row: list[Cell] = []
                    pending_empty_cells = 0
                    for cell in element:
                        if cell.tag not in (_T["table-cell"], _T["covered-table-cell"]):
                            continue
                        repeat = int(cell.get(_T["number-columns-repeated"], "1"))
                        value = _cell_value(cell) if cell.tag == _T["table-cell"] else None
                        if value is None:
                            pending_empty_cells += repeat
                            continue
                        if len(row) + pending_empty_cells + repeat > MAX_COLUMNS:
                            raise NotAWorkbookError(
                                f"row {len(rows) + pending_empty_rows + 1} of sheet {sheet_name!r} has figures beyond "
                                f"column {MAX_COLUMNS}: "
                                "not a spreadsheet an office suite saves"
                            )
                        row.extend([None] * pending_empty_cells)
                        pending_empty_cells = 0
                        row.extend([value] * repeat)
                    repeat = int(element.get(_T["number-rows-repeated"], "1"))
                    if not row:
                        pending_empty_rows += repeat
                    else:
                        if len(rows) + pending_empty_rows + repeat > MAX_ROWS:
                            raise NotAWorkbookError(
                                f"sheet {sheet_name!r} has figures beyond row {MAX_ROWS}: "
                                "not a spreadsheet an office suite saves"
                            )
                        rows.extend([[] for _ in range(pending_empty_rows)])
                        pending_empty_rows = 0
                        rows.extend([list(row) for _ in range(repeat)])
                    element.clear()
                elif tag == _T["table"]:
                    width = max((len(r) for r in rows), default=0)
                    sheets[element.get(_T["name"])] = [r + [None] * (width - len(r)) for r in rows]
                    element.clear()
                    rows, pending_empty_rows = [], 0
    except NotAWorkbookError:
        raise
    except (ParseError, zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise NotAWorkbookError(f"the workbook could not be read: {type(exc).__name__}: {exc}") from exc
    return sheets


def read_ods_with_pandas(path: Path) -> dict[str, list[list[Cell]]]:
    """The same grid through pandas.read_excel(engine='odf'): the common way, kept as a benchmark baseline."""
    import pandas as pd

    frames = pd.read_excel(path, sheet_name=None, header=None, engine="odf", dtype=object)
    return {
        str(name): [[None if pd.isna(v) else v for v in row] for row in frame.itertuples(index=False)]
        for name, frame in frames.items()
    }

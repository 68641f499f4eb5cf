"""Reading and writing OpenDocument spreadsheets (.ods), the format the Home Office publishes in.

The writer is deliberately small and deterministic (fixed zip timestamps, no metadata dates) so
the same data always gives a byte-identical workbook. The reader returns every sheet as a grid of
raw cell values, leaving all interpretation to the parsers.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

Cell = str | int | float | None
Sheet = tuple[str, Sequence[Sequence[Cell]]]

ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)

_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
_MANIFEST = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="{ODS_MIMETYPE}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""


def _cell_xml(value: Cell) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, bool):
        raise TypeError("booleans are not written to workbooks")
    if isinstance(value, int | float):
        return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
    # A line break inside a label is a paragraph break in ODS, as in the published workbooks.
    paragraphs = "".join(f"<text:p>{escape(part)}</text:p>" for part in str(value).split("\n"))
    return f'<table:table-cell office:value-type="string">{paragraphs}</table:table-cell>'


def _content_xml(sheets: Iterable[Sheet]) -> str:
    parts = [f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_NS} office:version="1.2">']
    parts.append("<office:body><office:spreadsheet>")
    for name, rows in sheets:
        parts.append(f'<table:table table:name="{escape(name)}">')
        for row in rows:
            parts.append("<table:table-row>" + "".join(_cell_xml(v) for v in row) + "</table:table-row>")
        parts.append("</table:table>")
    parts.append("</office:spreadsheet></office:body></office:document-content>\n")
    return "".join(parts)


def write_ods(path: Path, sheets: Iterable[Sheet]) -> None:
    """Write sheets (name, rows of cells) to `path` as an .ods workbook, atomically."""
    tmp = path.with_name(f".{path.name}.part")
    with zipfile.ZipFile(tmp, "w") as zf:
        # The mimetype entry must come first and be stored uncompressed (ODF 1.2, section 3.3).
        entries = [
            ("mimetype", ODS_MIMETYPE, zipfile.ZIP_STORED),
            ("META-INF/manifest.xml", _MANIFEST, zipfile.ZIP_DEFLATED),
            ("content.xml", _content_xml(sheets), zipfile.ZIP_DEFLATED),
        ]
        for name, data, compression in entries:
            info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
            info.compress_type = compression
            zf.writestr(info, data)
    tmp.replace(path)


class NotAWorkbookError(ValueError):
    """The file is not an OpenDocument spreadsheet at all (HTML error page, truncated download...)."""


def check_is_ods(path: Path) -> None:
    """Raise NotAWorkbookError unless `path` is a complete zip whose mimetype says spreadsheet."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            mimetype = zf.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else None
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


def read_ods(path: Path) -> dict[str, list[list[Cell]]]:
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
            for _, element in iterparse(content, events=("end",)):
                tag = element.tag
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
                        row.extend([None] * pending_empty_cells)
                        pending_empty_cells = 0
                        row.extend([value] * repeat)
                    repeat = int(element.get(_T["number-rows-repeated"], "1"))
                    if not row:
                        pending_empty_rows += repeat
                    else:
                        rows.extend([[] for _ in range(pending_empty_rows)])
                        pending_empty_rows = 0
                        rows.extend([list(row) for _ in range(repeat)])
                    element.clear()
                elif tag == _T["table"]:
                    width = max((len(r) for r in rows), default=0)
                    sheets[element.get(_T["name"])] = [r + [None] * (width - len(r)) for r in rows]
                    element.clear()
                    rows, pending_empty_rows = [], 0
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

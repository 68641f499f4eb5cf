"""Reading and writing OpenDocument spreadsheets (.ods), the format the Home Office publishes in.

The writer is deliberately small and deterministic (fixed zip timestamps, no metadata dates) so
the same data always gives a byte-identical workbook. The reader returns every sheet as a grid of
raw cell values, leaving all interpretation to the parsers.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

Cell = str | int | float | None


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


@dataclass(frozen=True)
class Merged:
    """A cell merged across `columns` columns, as office suites save a spanning header label: the
    cell itself, then covered cells. Only the writer knows it; the reader gives the value then blanks."""

    value: Cell
    columns: int


@dataclass(frozen=True)
class Styled:
    """A cell in one of the workbook styles the project publishes with (`CELL_STYLES`)."""

    value: Cell
    style: str


@dataclass(frozen=True)
class Link:
    """Text that links to the top of another sheet of the same workbook (a contents entry)."""

    text: str
    sheet: str


Sheet = tuple[str, Sequence[Sequence["Cell | Merged | Styled | Link"]]]

ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)

_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
# what a styled workbook (widths, bold headers, links) needs beside them
_STYLE_NS = (
    ' xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
    ' xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"'
    ' xmlns:xlink="http://www.w3.org/1999/xlink"'
)
# Cell styles of the published workbooks: a sheet's title (bold, larger, never wrapped), a line that
# runs on across empty cells, a column header (bold, wrapped), and text wrapped within its column.
CELL_STYLES = {
    "title": '<style:table-cell-properties fo:wrap-option="no-wrap"/>'
    '<style:text-properties fo:font-weight="bold" fo:font-size="13pt"/>',
    "line": '<style:table-cell-properties fo:wrap-option="no-wrap"/>',
    "heading": '<style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top"/>'
    '<style:text-properties fo:font-weight="bold"/>',
    "wrap": '<style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top"/>',
}
_CELL_STYLES_XML = "".join(
    f'<style:style style:name="{name}" style:family="table-cell">{properties}</style:style>'
    for name, properties in CELL_STYLES.items()
)
_MANIFEST = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="{ODS_MIMETYPE}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""


def _text_xml(text: str, office_suite: bool) -> str:
    """A label's paragraphs. An office suite writes a line break inside one paragraph and runs of
    spaces as text:s; the plain form writes one paragraph per line."""
    if not office_suite:
        return "".join(f"<text:p>{escape(part)}</text:p>" for part in text.split("\n"))
    body = escape(text).replace("\n", "<text:line-break/>")
    body = re.sub(r"  +", lambda m: f' <text:s text:c="{len(m.group()) - 1}"/>', body)
    return f"<text:p>{body}</text:p>"


def _cell_xml(value: Cell | Merged | Styled | Link, office_suite: bool = False) -> str:
    if isinstance(value, Styled):
        if value.style not in CELL_STYLES:
            raise ValueError(f"no cell style {value.style!r}; the styles are {', '.join(CELL_STYLES)}")
        return _cell_xml(value.value, office_suite).replace(
            "<table:table-cell", f'<table:table-cell table:style-name="{value.style}"', 1
        )
    if isinstance(value, Link):
        target = escape(f"#{value.sheet}.A1", {'"': "&quot;"})
        return (
            '<table:table-cell office:value-type="string"><text:p>'
            f'<text:a xlink:type="simple" xlink:href="{target}">{escape(value.text)}</text:a></text:p></table:table-cell>'
        )
    if isinstance(value, Merged):
        first = _cell_xml(value.value, office_suite)
        spanned = first.replace(
            "<table:table-cell", f'<table:table-cell table:number-columns-spanned="{value.columns}"', 1
        )
        covered = "<table:covered-table-cell/>" * (value.columns - 1)
        if value.columns > 2 and office_suite:
            covered = f'<table:covered-table-cell table:number-columns-repeated="{value.columns - 1}"/>'
        return spanned + covered
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, bool):
        raise TypeError("booleans are not written to workbooks")
    if isinstance(value, int | float):
        shown = f"{value:,}" if office_suite else f"{value}"  # an office suite shows 1,234
        return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{shown}</text:p></table:table-cell>'
    # A line break inside a label is a paragraph break in ODS, as in the published workbooks.
    return f'<table:table-cell office:value-type="string">{_text_xml(str(value), office_suite)}</table:table-cell>'


# What an office suite appends to every sheet: the rest of the grid as repeated empty cells and rows.
_OFFICE_ROW_END = '<table:table-cell table:number-columns-repeated="1000"/>'
_OFFICE_SHEET_END = '<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>'


def _content_xml(
    sheets: Iterable[Sheet], office_suite: bool = False, widths: Mapping[str, Sequence[float]] | None = None
) -> str:
    sheets = list(sheets)
    widths = widths or {}
    # one column style per distinct width (in cm), named in order of first use
    column_styles = {
        w: f"co{i}" for i, w in enumerate(dict.fromkeys(w for ws in widths.values() for w in ws))
    }
    styles = "".join(
        f'<style:style style:name="{n}" style:family="table-column">'
        f'<style:table-column-properties style:column-width="{w}cm"/></style:style>'
        for w, n in column_styles.items()
    )
    namespaces = _NS + (_STYLE_NS if widths else "")
    parts = [
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {namespaces} office:version="1.2">'
    ]
    if widths:  # a published workbook; the Home Office layouts the tests write carry no styles
        parts.append(f"<office:automatic-styles>{_CELL_STYLES_XML}{styles}</office:automatic-styles>")
    parts.append("<office:body><office:spreadsheet>")
    row_end = _OFFICE_ROW_END if office_suite else ""
    for name, rows in sheets:
        parts.append(f'<table:table table:name="{escape(name)}">')
        parts += [
            f'<table:table-column table:style-name="{column_styles[w]}" table:default-cell-style-name="wrap"/>'
            for w in widths.get(name, ())
        ]
        for row in rows:
            cells = "".join(_cell_xml(v, office_suite) for v in row)
            parts.append(f"<table:table-row>{cells}{row_end}</table:table-row>")
        if office_suite:
            parts.append(_OFFICE_SHEET_END)
        parts.append("</table:table>")
    parts.append("</office:spreadsheet></office:body></office:document-content>\n")
    return "".join(parts)


def write_ods(
    path: Path,
    sheets: Iterable[Sheet],
    *,
    office_suite: bool = False,
    widths: Mapping[str, Sequence[float]] | None = None,
) -> None:
    """Write sheets (name, rows of cells) to `path` as an .ods workbook, atomically. `widths`: per
    sheet, the width in cm of its first columns (their text wraps within it).

    `office_suite`: as LibreOffice saves it (merged cells kept, text:s and text:line-break in labels,
    numbers shown with thousands separators, the sheet padded with a million repeated empty rows)."""
    tmp = path.with_name(f".{path.name}.part")
    with zipfile.ZipFile(tmp, "w") as zf:
        # The mimetype entry must come first and be stored uncompressed (ODF 1.2, section 3.3).
        entries = [
            ("mimetype", ODS_MIMETYPE, zipfile.ZIP_STORED),
            ("META-INF/manifest.xml", _MANIFEST, zipfile.ZIP_DEFLATED),
            ("content.xml", _content_xml(sheets, office_suite, widths), zipfile.ZIP_DEFLATED),
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

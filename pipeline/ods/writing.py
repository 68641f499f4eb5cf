"""Writing OpenDocument spreadsheets (.ods), as the Home Office publishes them and as the project does.

The writer is deliberately small and deterministic (fixed zip timestamps, no metadata dates) so
the same data always gives a byte-identical workbook.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from pipeline.ods.reading import ODS_MIMETYPE, Cell


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

"""OpenDocument spreadsheets (.ods), the format the Home Office publishes in: reading (`reading`)
and writing (`writing`) are separate concerns; the names both sides use are imported from here."""

from pipeline.ods.reading import (
    MAX_COLUMNS,
    MAX_CONTENT_BYTES,
    MAX_ROWS,
    ODS_MIMETYPE,
    Cell,
    NotAWorkbookError,
    cell_text,
    check_is_ods,
    read_ods,
    read_ods_streaming,
    read_ods_with_pandas,
)
from pipeline.ods.writing import CELL_STYLES, Link, Merged, Sheet, Styled, write_ods

__all__ = [
    "CELL_STYLES",
    "MAX_COLUMNS",
    "MAX_CONTENT_BYTES",
    "MAX_ROWS",
    "ODS_MIMETYPE",
    "Cell",
    "Link",
    "Merged",
    "NotAWorkbookError",
    "Sheet",
    "Styled",
    "cell_text",
    "check_is_ods",
    "read_ods",
    "read_ods_streaming",
    "read_ods_with_pandas",
    "write_ods",
]

"""The release's spreadsheets: one description of the workbook (publish/spreadsheet.py), written as
.ods here and as .xlsx in a forked process on the other core (gptables takes ~2 s) while the rest of
the release is written."""

from __future__ import annotations

from pathlib import Path

from pipeline.forked import Forked, ForkFailed
from pipeline.settings import Settings
from publish.checks import PublishError
from publish.marts import ReleaseMarts
from publish.package import SOURCE_ATTRIBUTION, Resource, add_file
from publish.spreadsheet import Workbook, workbook, write_ods_workbook, write_xlsx_workbook
from publish.tables import PublishedTable

WORKBOOK_TITLE = "UK child trafficking prevention indicators"
ODS_FILE, XLSX_FILE = "child-trafficking-indicators.ods", "child-trafficking-indicators.xlsx"
_MEDIA_TYPES = {
    ODS_FILE: "application/vnd.oasis.opendocument.spreadsheet",
    XLSX_FILE: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# what a sheet with no rows says instead
_EMPTY_NOTES = {
    "Table_3": "no published NRM figure was revised since the previous release vintage.",
    "Table_4": "no cell needed to be suppressed.",
}


def describe_workbook(
    settings: Settings, release_id: str, tables: list[PublishedTable], marts: ReleaseMarts, notes: list[str]
) -> dict[str, Workbook]:
    """Step: what both spreadsheets hold: the cover, the notes and one sheet per table."""
    indicators = next(t.table for t in tables if t.table.sheet == "Table_1")
    quarters = sorted({r[2] for r in indicators.rows if r[1] == "quarter"})
    book = workbook(
        WORKBOOK_TITLE,
        release_id=release_id,
        period=f"{quarters[0]} to {quarters[-1]}" if quarters else "no quarter",
        nrm_release=marts.source_publication(),
        source=SOURCE_ATTRIBUTION,
        contact=settings.publisher_contact,
        notes=notes,
        tables=sorted((t.table for t in tables), key=lambda table: table.sheet),
        empty_notes=_EMPTY_NOTES,
    )
    return {"book": book}


def write_ods(directory: Path, book: Workbook) -> dict[str, Resource]:
    """Step: the .ods, the format the Analysis Function recommends."""
    write_ods_workbook(directory / ODS_FILE, book)
    return {"ods_file": _spreadsheet_resource(directory, ODS_FILE)}


class _XlsxBeingWritten:
    def __init__(self, directory: Path, book: Workbook):
        self.directory = directory
        self.fork = Forked(f"writing {XLSX_FILE}", write_xlsx_workbook, directory / XLSX_FILE, book)

    def finish(self) -> dict[str, Resource]:
        try:
            self.fork.check()
        except ForkFailed as exc:
            raise PublishError(str(exc)) from exc
        return {"xlsx_file": _spreadsheet_resource(self.directory, XLSX_FILE)}

    def abandon(self) -> None:
        self.fork.join()


def start_xlsx(directory: Path, book: Workbook) -> _XlsxBeingWritten:
    """Step, in the background: the .xlsx, by gptables (the Analysis Function's own library)."""
    return _XlsxBeingWritten(directory, book)


def _spreadsheet_resource(directory: Path, name: str) -> Resource:
    suffix = Path(name).suffix.removeprefix(".")
    return add_file(
        directory,
        name,
        (directory / name).read_bytes(),
        f"Every table in one spreadsheet, .{suffix} (Analysis Function standard: cover, contents, "
        "notes, one table per sheet)",
        suffix,
        _MEDIA_TYPES[name],
        type="file",
        name=f"spreadsheet-{suffix}" if suffix != "ods" else "spreadsheet",
    )

"""How each reader kind of the registry of sources (pipeline/sources.py) parses, attributes and
loads a file: a SourceHandler per kind (nrm, returns, statistics); extract/ingest.py does the rest.

A published-statistics source needs no handler of its own: the statistics handler reads any table
with its definition (extract/sources/statistics/<name>.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from extract.sources.nrm import load as nrm_load
from extract.sources.nrm.parse import NrmWorkbook, parse_workbook
from extract.sources.nrm.validate import workbook_problems
from extract.sources.returns import load as returns_load
from extract.sources.returns.definition import load_agencies, load_definition
from extract.sources.returns.parse import ParsedReturnFile, parse_return_sheets
from extract.sources.returns.validate import AgencyReturn, validate_return_files
from extract.sources.statistics import TABLES
from extract.sources.statistics import load as statistics_load
from extract.sources.statistics.table import ParsedTable, read_statistics_file
from extract.sources.statistics.validate import table_problems
from pipeline import audit
from pipeline.audit import FileSource
from pipeline.isolation import ReaderLimits, run_reader
from pipeline.problems import RejectedFile
from pipeline.settings import Settings, Source
from pipeline.sources import SOURCES_BY_NAME, ReaderKind
from pipeline.tabular import read_tabular_file


@dataclass(frozen=True)
class Loaded:
    rows: int
    release_id: str | None  # what the file is: an NRM release, or the quarters of the returns in it
    superseded: list[str]  # what it replaced (file ids, or the release id)
    note: str = ""


@dataclass(frozen=True)
class SourceHandler:
    """How one kind of file is parsed, attributed and loaded; the rest of ingest is shared."""

    landing: Source
    parse: Callable[[Path], object]  # raises RejectedFile
    audit_source: Callable[[Path, object | None], FileSource]
    load: Callable[[object, str, object, dict], Loaded]  # (con, file_id, parsed, landing metadata)
    prepare: Callable[[list[Path]], None] | None = None  # read the batch at once, when that is cheaper


# --- NRM release workbooks -------------------------------------------------------------------


def _load_nrm(con, file_id: str, workbook, metadata: dict) -> Loaded:
    rows = nrm_load.load_workbook(con, file_id, workbook, metadata)
    superseded = audit.supersede_earlier(con, "nrm", workbook.release_id, file_id)
    absent = workbook.tables_not_published
    note = f" (tables not in this release: {', '.join(absent)})" if absent else ""
    return Loaded(rows, workbook.release_id, [workbook.release_id] if superseded else [], note)


def reader_limits(settings: Settings) -> ReaderLimits:
    return ReaderLimits(settings.reader_memory_bytes, settings.reader_seconds)


def nrm_handler(settings: Settings) -> SourceHandler:
    def parse(path: Path) -> NrmWorkbook:
        """Read the workbook (in a child process, within the limits), then check its cells with
        Great Expectations before anything is loaded."""
        workbook = run_reader(parse_workbook, path, limits=reader_limits(settings))
        if problems := workbook_problems(workbook):
            raise RejectedFile(problems)
        return workbook

    return SourceHandler("nrm", parse, lambda path, parsed: "nrm", _load_nrm)


# --- agency returns --------------------------------------------------------------------------


def returns_handler(settings: Settings, *, today: date | None = None) -> SourceHandler:
    definition = load_definition()
    agencies = load_agencies()

    outcomes: dict[Path, list[AgencyReturn] | RejectedFile] = {}

    def read(path: Path) -> ParsedReturnFile:
        sheets = run_reader(
            read_tabular_file,
            path,
            max_bytes=settings.return_max_bytes,
            max_unpacked_bytes=settings.return_max_unpacked_bytes,
            limits=reader_limits(settings),
        )
        return parse_return_sheets(sheets, definition)

    def prepare(paths: list[Path]) -> None:
        """Read every waiting file, then validate them all in one GX run."""
        parsed: dict[Path, ParsedReturnFile] = {}
        for path in paths:
            try:
                parsed[path] = read(path)
            except RejectedFile as rejection:
                outcomes[path] = rejection
        validated = validate_return_files(
            list(parsed.values()), definition, agencies, today=today or date.today()
        )
        outcomes.update(zip(parsed, validated, strict=True))

    def parse(path: Path) -> list[AgencyReturn]:
        if path not in outcomes:
            prepare([path])
        outcome = outcomes.pop(path)
        if isinstance(outcome, RejectedFile):
            raise outcome
        return outcome

    def audit_source(path: Path, returns: list[AgencyReturn] | None) -> FileSource:
        if returns:
            return definition.agency_types[returns[0].agency_type].audit_source  # one kind per file
        return "la_return"  # unknown before parsing: councils send most returns

    def load(con, file_id: str, returns: list[AgencyReturn], metadata: dict) -> Loaded:
        rows = returns_load.load_returns(con, file_id, returns)
        superseded = returns_load.supersede_replaced_files(con, file_id)
        periods = sorted({r.period for r in returns})
        agencies_in_file = sorted({r.agency_code for r in returns})
        what = f"{len(returns)} return(s) ({len(agencies_in_file)} agencies, {', '.join(periods)})"
        return Loaded(rows, ", ".join(periods), superseded, f": {what}")

    return SourceHandler("returns", parse, audit_source, load, prepare)


# --- official statistics tables (Children in Need, police recorded crime) ---------------------


def statistics_handler(settings: Settings, source: Source) -> SourceHandler:
    definition = TABLES[source]

    def parse(path: Path) -> ParsedTable:
        """Read the table (in a child process, within the limits), then check its figures with
        Great Expectations before anything is loaded."""
        table = run_reader(
            read_statistics_file,
            path,
            source,
            max_bytes=settings.statistics_max_bytes,
            max_unpacked_bytes=settings.statistics_max_unpacked_bytes,
            limits=reader_limits(settings),
        )
        if problems := table_problems(table, list(definition.measures)):
            raise RejectedFile(problems)
        return table

    def load(con, file_id: str, table: ParsedTable, metadata: dict) -> Loaded:
        rows = statistics_load.load_table(con, file_id, table)
        superseded = audit.supersede_earlier(con, source, table.edition, file_id)
        periods = sorted({f.period for f in table.figures})
        note = f": {definition.title}, {periods[0]} to {periods[-1]}"
        return Loaded(rows, table.edition, [table.edition] if superseded else [], note)

    return SourceHandler(source, parse, lambda path, parsed: source, load)


# Each reader kind of the registry -> the handler of a source it reads.
HANDLERS: dict[ReaderKind, Callable[[Settings, Source], SourceHandler]] = {
    "nrm": lambda settings, source: nrm_handler(settings),
    "returns": lambda settings, source: returns_handler(settings),
    "statistics": statistics_handler,
}


def handler_for(settings: Settings, source: Source) -> SourceHandler:
    """The handler of a source of the registry, by its reader kind."""
    return HANDLERS[SOURCES_BY_NAME[source].reader](settings, source)

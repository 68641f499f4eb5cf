"""Ingest what waits in the landing zone (NRM workbooks, agency returns): archive, parse, load raw
or quarantine, audit. One skeleton serves every source; a SourceHandler says how to parse and load.

Per file, in this order, so nothing received is ever lost:
1. hash it and copy it into the immutable archive;
2. if identical content was received before, record a `duplicate` and stop;
3. parse it; a rejected file is copied to quarantine/<file_id>/ with its report;
4. load its rows and write its audit row in one transaction (all or nothing);
5. only then remove it from the landing zone.
A crash between 1 and 5 leaves the file in landing, and the next run picks it up again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from extract.archive import archive_file, sha256_of
from extract.landing import landed_at, landed_metadata, not_files, remove_from_landing, waiting_files
from extract.quarantine import quarantine_file
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
from pipeline import audit, warehouse
from pipeline.audit import FileRecord, FileSource
from pipeline.faults import crash_point
from pipeline.isolation import ReaderLimits, run_reader
from pipeline.logs import log_context
from pipeline.problems import Problem, RejectedFile, reject
from pipeline.settings import Settings, Source
from pipeline.tabular import read_tabular_file

log = logging.getLogger(__name__)


@dataclass
class IngestSummary:
    loaded: list[str] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    superseded: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def changed_warehouse(self) -> bool:
        return bool(self.loaded)

    def merged(self, other: IngestSummary) -> IngestSummary:
        return IngestSummary(
            *(
                getattr(self, name) + getattr(other, name)
                for name in ("loaded", "quarantined", "duplicates", "superseded", "messages")
            )
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "loaded": self.loaded,
            "quarantined": self.quarantined,
            "duplicates": self.duplicates,
            "superseded": self.superseded,
        }


def _new_file_id(received_at: datetime, sha256: str) -> str:
    return f"{received_at:%Y%m%dT%H%M%S%fZ}-{sha256[:12]}"


def initialise_warehouse(con) -> None:
    warehouse.ensure_schemas(con)
    audit.ensure_file_log(con)
    nrm_load.ensure_raw_tables(con)
    returns_load.ensure_raw_tables(con)
    statistics_load.ensure_raw_tables(con)


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


def ingest(settings: Settings, handler: SourceHandler) -> IngestSummary:
    """Ingest every file waiting in landing/<source>/, oldest first; one file's fate never affects another's."""
    settings.create_dirs()
    summary = IngestSummary()
    files = waiting_files(settings, handler.landing)
    if files:  # before anything is loaded: the next dbt build must rebuild what this source feeds
        audit.mark_pending(settings, handler.landing)
    if handler.prepare is not None and files:
        handler.prepare(files)
    with warehouse.connect_writer(settings.warehouse_path) as con:
        initialise_warehouse(con)
        crash_point("ingest")
        for path, kind in not_files(settings, handler.landing):
            _reject_entry(settings, con, path, kind, handler, summary)
        for path in files:
            _ingest_one(settings, con, path, handler, summary)
    return summary


def _reject_entry(settings: Settings, con, path: Path, kind: str, handler: SourceHandler, summary) -> None:
    """Something in landing that is not a file: quarantined as it is, with a report and an audit row,
    never followed or read."""
    received_at = datetime.fromtimestamp(path.lstat().st_ctime, UTC).replace(tzinfo=None)
    identity = hashlib.sha256(f"{handler.landing}/{path.name}: {kind}".encode()).hexdigest()
    file_id = _new_file_id(received_at, identity)
    problem = Problem(
        rule="is_a_file",
        message=f"{path.name!r} is {kind}, not a file: it was not read",
        fix="Send the file itself (a regular file), not a link to it or a folder.",
    )
    source = handler.audit_source(path, None)
    where = quarantine_file(
        settings.quarantine_dir,
        file_id,
        path,
        sha256=identity,
        source=source,
        problems=[problem],
        move_entry=True,
    )
    audit.record_file(
        con,
        FileRecord(
            file_id,
            identity,
            source,
            path.name,
            received_at,
            "quarantined",
            problem.describe(),
            None,
            "(not a file: not archived)",
            None,
        ),
    )
    summary.quarantined.append(path.name)
    with log_context(file_id=file_id, source=handler.landing):
        _say(summary, f"{path.name}: quarantined in {where}: {problem.describe()}", logging.WARNING)


def _say(summary: IngestSummary, message: str, level: int = logging.INFO) -> None:
    """What happened to a file: in the run's summary, and logged with its file id."""
    summary.messages.append(message)
    log.log(level, "%s", message)


def _ingest_one(settings: Settings, con, path: Path, handler: SourceHandler, summary: IngestSummary) -> None:
    received_at = landed_at(path)  # when it arrived, not when it was ingested
    sha256 = sha256_of(path)
    archived = archive_file(settings.archive_dir, path, sha256)
    file_id = _new_file_id(received_at, sha256)
    with log_context(file_id=file_id, source=handler.landing):

        def record(source, status, reason=None, release_id=None, rows=None) -> None:
            audit.record_file(
                con,
                FileRecord(
                    file_id,
                    sha256,
                    source,
                    path.name,
                    received_at,
                    status,
                    reason,
                    release_id,
                    str(archived),
                    rows,
                ),
            )

        earlier = audit.find_by_sha256(con, sha256)
        if earlier is not None:
            record(handler.audit_source(path, None), "duplicate", f"identical to {earlier[0]} ({earlier[1]})")
            remove_from_landing(path)
            summary.duplicates.append(path.name)
            _say(summary, f"{path.name}: duplicate of {earlier[0]}, nothing changed")
            return

        try:
            try:
                parsed = handler.parse(path)
            except (RejectedFile, KeyboardInterrupt):
                raise
            # a reader that broke (a bug, memory): the file's fault or ours, never the batch's
            except Exception as exc:
                log.exception("reading %s failed", path.name)
                raise reject(
                    rule="readable",
                    message=f"the file could not be read: {type(exc).__name__}: {exc}",
                    fix="Check the file opens in a spreadsheet program and send it again; if it does, "
                    "tell the pipeline's maintainers (this is logged).",
                ) from exc
        except RejectedFile as rejection:
            source = handler.audit_source(path, None)
            where = quarantine_file(
                settings.quarantine_dir,
                file_id,
                path,
                sha256=sha256,
                source=source,
                problems=rejection.problems,
            )
            record(source, "quarantined", str(rejection))
            remove_from_landing(path)
            summary.quarantined.append(path.name)
            summary.messages.append(f"{path.name}: quarantined in {where}: {rejection}")
            log.warning("quarantined %s: %s", path.name, rejection)
            return

        con.execute("begin transaction")
        try:
            # the audit row first: a loader may look for the file among the loaded ones
            source = handler.audit_source(path, parsed)
            record(source, "loaded")
            loaded = handler.load(con, file_id, parsed, landed_metadata(path))
            crash_point("load")
            con.execute(
                "update audit.file_log set release_id = ?, rows_loaded = ? where file_id = ?",
                [loaded.release_id, loaded.rows, file_id],
            )
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        remove_from_landing(path)
        summary.loaded.append(path.name)
        summary.superseded += loaded.superseded
        _say(summary, f"{path.name}: loaded {loaded.rows} rows of {loaded.release_id}{loaded.note}")


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


def ingest_nrm(settings: Settings) -> IngestSummary:
    """Ingest every NRM workbook waiting in landing/nrm/."""
    return ingest(settings, nrm_handler(settings))


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


def ingest_returns(settings: Settings, *, today: date | None = None) -> IngestSummary:
    """Ingest every agency return waiting in landing/returns/."""
    return ingest(settings, returns_handler(settings, today=today))


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


def ingest_source(settings: Settings, source: Source) -> IngestSummary:
    """Ingest every table waiting in landing/<source>/ (children_in_need, police_recorded_crime)."""
    return ingest(settings, statistics_handler(settings, source))


def ingest_statistics(settings: Settings) -> IngestSummary:
    """Ingest every official statistics table waiting in its landing folder, source by source."""
    summary = IngestSummary()
    for source in TABLES:
        summary = summary.merged(ingest_source(settings, source))
    return summary


def ingest_everything(settings: Settings) -> IngestSummary:
    """Every source's landing folder, in turn (what `ctm run` does)."""
    return ingest_nrm(settings).merged(ingest_returns(settings)).merged(ingest_statistics(settings))

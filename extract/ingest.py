"""Ingest what waits in the landing zone (every source of pipeline/sources.py): archive, parse, load
raw or quarantine, audit. One skeleton serves every source; a SourceHandler says how to parse and
load, one handler per reader kind of the registry (nrm, returns, statistics).

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
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from extract.archive import archive_file, sha256_of
from extract.handlers import SourceHandler, handler_for, nrm_handler, returns_handler
from extract.landing import landed_at, landed_metadata, not_files, remove_from_landing, waiting_files
from extract.quarantine import quarantine_file
from extract.sources.nrm import load as nrm_load
from extract.sources.returns import load as returns_load
from extract.sources.statistics import load as statistics_load
from pipeline import audit, warehouse
from pipeline.audit import FileRecord
from pipeline.faults import crash_point
from pipeline.logs import log_context
from pipeline.problems import Problem, RejectedFile, reject
from pipeline.settings import Settings, Source
from pipeline.sources import SOURCES, sources_read_by

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


def ingest_nrm(settings: Settings) -> IngestSummary:
    """Ingest every NRM workbook waiting in landing/nrm/."""
    return ingest(settings, nrm_handler(settings))


def ingest_returns(settings: Settings, *, today: date | None = None) -> IngestSummary:
    """Ingest every agency return waiting in landing/returns/."""
    return ingest(settings, returns_handler(settings, today=today))


def ingest_source(settings: Settings, source: Source) -> IngestSummary:
    """Ingest every file waiting in landing/<source>/, read by its reader (the registry says which)."""
    return ingest(settings, handler_for(settings, source))


def _ingest_each(settings: Settings, sources) -> IngestSummary:
    summary = IngestSummary()
    for source in sources:
        summary = summary.merged(ingest_source(settings, source.name))
    return summary


def ingest_statistics(settings: Settings) -> IngestSummary:
    """Ingest every official statistics table waiting in its landing folder, source by source."""
    return _ingest_each(settings, sources_read_by("statistics"))


def ingest_everything(settings: Settings) -> IngestSummary:
    """Every source's landing folder, in the registry's order (what `ctm run` does)."""
    return _ingest_each(settings, SOURCES)

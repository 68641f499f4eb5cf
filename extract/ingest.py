"""Ingest what waits in the landing zone: archive, parse, load raw or quarantine, audit.

Per file, in this order, so nothing received is ever lost:
1. hash it and copy it into the immutable archive;
2. if identical content was received before, record a `duplicate` and stop;
3. parse it; a rejected file is copied to quarantine/<file_id>/ with its report;
4. load its rows and write its audit row in one transaction (all or nothing);
5. only then remove it from the landing zone.
A crash between 1 and 5 leaves the file in landing, and the next run picks it up again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from extract.archive import archive_file, sha256_of
from extract.landing import landed_metadata, remove_from_landing, waiting_files
from extract.problems import RejectedFile
from extract.quarantine import quarantine_file
from extract.sources.nrm import load as nrm_load
from extract.sources.nrm.parse import parse_workbook
from pipeline import audit, warehouse
from pipeline.audit import FileRecord
from pipeline.settings import Settings

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


def ingest_nrm(settings: Settings) -> IngestSummary:
    """Ingest every NRM workbook waiting in landing/nrm/."""
    settings.create_dirs()
    summary = IngestSummary()
    files = waiting_files(settings, "nrm")
    with warehouse.connect(settings.warehouse_path) as con:
        initialise_warehouse(con)
        for path in files:
            _ingest_one_nrm(settings, con, path, summary)
    return summary


def _ingest_one_nrm(settings: Settings, con, path: Path, summary: IngestSummary) -> None:
    received_at = datetime.now(UTC).replace(tzinfo=None)
    sha256 = sha256_of(path)
    archived = archive_file(settings.archive_dir, path, sha256)
    file_id = _new_file_id(received_at, sha256)

    def record(status, reason=None, release_id=None, rows=None) -> None:
        audit.record_file(
            con,
            FileRecord(
                file_id,
                sha256,
                "nrm",
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
        record("duplicate", f"identical to {earlier[0]} ({earlier[1]})")
        remove_from_landing(path)
        summary.duplicates.append(path.name)
        summary.messages.append(f"{path.name}: duplicate of {earlier[0]}, nothing changed")
        return

    try:
        workbook = parse_workbook(path)
    except RejectedFile as rejection:
        where = quarantine_file(
            settings.quarantine_dir, file_id, path, sha256=sha256, source="nrm", problems=rejection.problems
        )
        record("quarantined", str(rejection))
        remove_from_landing(path)
        summary.quarantined.append(path.name)
        summary.messages.append(f"{path.name}: quarantined in {where}: {rejection}")
        log.warning("quarantined %s: %s", path.name, rejection)
        return

    con.execute("begin transaction")
    try:
        rows = nrm_load.load_workbook(con, file_id, workbook, landed_metadata(path))
        superseded = audit.supersede_earlier(con, "nrm", workbook.release_id, file_id)
        record("loaded", None, workbook.release_id, rows)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    remove_from_landing(path)
    summary.loaded.append(path.name)
    if superseded:
        summary.superseded.append(workbook.release_id)
    absent = (
        f" (tables not in this release: {', '.join(workbook.tables_not_published)})"
        if workbook.tables_not_published
        else ""
    )
    summary.messages.append(f"{path.name}: loaded {rows} rows of release {workbook.release_id}{absent}")

"""`audit.file_log`: one row per file received, and its fate. Nothing received goes unrecorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import duckdb

FileSource = Literal["nrm", "la_return", "police_return"]
FileStatus = Literal["loaded", "quarantined", "superseded", "duplicate"]

FILE_LOG_DDL = """
create table if not exists audit.file_log (
    file_id        varchar primary key,
    sha256         varchar not null,
    source         varchar not null,
    original_name  varchar not null,
    received_at    timestamp not null,
    status         varchar not null check (status in ('loaded', 'quarantined', 'superseded', 'duplicate')),
    reason         varchar,
    release_id     varchar,
    archive_path   varchar not null,
    rows_loaded    bigint
)
"""


@dataclass(frozen=True)
class FileRecord:
    file_id: str
    sha256: str
    source: FileSource
    original_name: str
    received_at: datetime
    status: FileStatus
    reason: str | None
    release_id: str | None
    archive_path: str
    rows_loaded: int | None = None


def ensure_file_log(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists audit")
    con.execute(FILE_LOG_DDL)


def record_file(con: duckdb.DuckDBPyConnection, record: FileRecord) -> None:
    con.execute(
        "insert into audit.file_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            record.file_id,
            record.sha256,
            record.source,
            record.original_name,
            record.received_at,
            record.status,
            record.reason,
            record.release_id,
            record.archive_path,
            record.rows_loaded,
        ],
    )


def find_by_sha256(con: duckdb.DuckDBPyConnection, sha256: str) -> tuple[str, str] | None:
    """The first receipt of identical content that was loaded (or since superseded), as (file_id,
    status), if any. A quarantined file sent again is read again: its reason may have passed (a
    quarter that had not finished)."""
    row = con.execute(
        "select file_id, status from audit.file_log where sha256 = ? "
        "and status not in ('duplicate', 'quarantined') order by received_at limit 1",
        [sha256],
    ).fetchone()
    return (row[0], row[1]) if row else None


def supersede_earlier(
    con: duckdb.DuckDBPyConnection, source: FileSource, release_id: str, file_id: str
) -> int:
    """Mark earlier loaded files of the same release superseded by `file_id`; returns how many."""
    rows = con.execute(
        "update audit.file_log set status = 'superseded', reason = 'superseded by ' || ? "
        "where source = ? and release_id = ? and status = 'loaded' and file_id <> ? returning file_id",
        [file_id, source, release_id, file_id],
    ).fetchall()
    return len(rows)

"""`audit.file_log`: one row per file received, and its fate. Nothing received goes unrecorded.

Beside it, `state/built.json` and `state/settled.json` record which loaded files the last build
was made from and which the last finished run dealt with (published, or held by the gate): loaded
but not yet settled is work owed, which a rerun after a crash finishes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import duckdb

from pipeline.files import write_atomically
from pipeline.sources import AUDIT_KINDS

if TYPE_CHECKING:
    from pipeline.settings import Settings

# What a file was, as the registry of sources (pipeline/sources.py) names it; a type checker sees a str.
FileSource = Literal[AUDIT_KINDS]  # type: ignore[valid-type]
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


def loaded_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """What is loaded now, as one hash of the loaded files' ids: it changes with every file loaded
    or superseded."""
    rows = con.execute(
        "select file_id from audit.file_log where status = 'loaded' order by file_id"
    ).fetchall()
    return hashlib.sha256("\n".join(file_id for (file_id,) in rows).encode()).hexdigest()


def _state_path(settings: Settings, name: str) -> Path:
    return settings.home / "state" / f"{name}.json"


def read_state(settings: Settings, name: str) -> dict:
    """`built` (the loaded files the last successful build was made from) or `settled` (those the
    last finished run published, or that the gate held)."""
    path = _state_path(settings, name)
    return json.loads(path.read_text()) if path.is_file() else {}


def write_state(settings: Settings, name: str, **state: object) -> None:
    """Record a state atomically (written whole, then renamed into place)."""
    write_atomically(_state_path(settings, name), json.dumps(state, sort_keys=True).encode())


def record_built(settings: Settings, con: duckdb.DuckDBPyConnection) -> None:
    write_state(settings, "built", fingerprint=loaded_fingerprint(con))


def settle(settings: Settings, outcome: str, release_id: str | None = None) -> None:
    """What the last build was made from has been dealt with: published, or held by the gate."""
    built = read_state(settings, "built").get("fingerprint")
    write_state(settings, "settled", fingerprint=built, outcome=outcome, release_id=release_id)


def mark_pending(settings: Settings, source: str) -> None:
    """`source` is about to change the warehouse: the next build must rebuild what it feeds. Marked
    before the files are loaded, so a crash can only make a later build do more, never less."""
    pending = pending_sources(settings)
    if source not in pending:
        write_state(settings, "pending_sources", sources=sorted(pending | {source}))


def pending_sources(settings: Settings) -> set[str]:
    """The sources loaded into the warehouse since the last successful build."""
    return set(read_state(settings, "pending_sources").get("sources", []))


def clear_pending(settings: Settings, built: set[str]) -> None:
    """A build covered `built`; a source marked while it ran stays pending."""
    write_state(settings, "pending_sources", sources=sorted(pending_sources(settings) - built))

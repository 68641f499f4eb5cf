"""The DuckDB warehouse: one file, one writer at a time, schemas raw -> staging -> intermediate -> marts.

Only the pipeline opens the warehouse file. Readers (`ctm sql`, policy teams, any DuckDB client)
open the snapshot: a copy published atomically after each successful build, so a reader held open
never blocks the pipeline (DuckDB's file lock stops a writer while any other process has the file
open, even read-only).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    from pipeline.settings import Settings

# A reader's sandbox: no file or network access beyond the database itself (no COPY, EXPORT, ATTACH,
# read_csv, INSTALL or LOAD), and no SET can lift it.
READER_CONFIG = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}

SCHEMAS = ("raw", "staging", "intermediate", "marts", "audit")


@contextmanager
def connect(path: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse. Readers pass read_only=True; DuckDB refuses any write through them."""
    if read_only and not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: nothing has been loaded into this data home yet")
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def ensure_schemas(con: duckdb.DuckDBPyConnection) -> None:
    for schema in SCHEMAS:
        con.execute(f"create schema if not exists {schema}")


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(row and row[0])


class WarehouseLocked(RuntimeError):
    """Another process holds the warehouse; the message names it."""


def describe_lock(exc: duckdb.Error, path: Path) -> str | None:
    """'the warehouse ... is in use by <process> (PID n)' for DuckDB's lock error, else None."""
    text = str(exc)
    if "Could not set lock" not in text and "Conflicting lock" not in text:
        return None
    holder = re.search(r"Conflicting lock is held in (.+?) \(PID (\d+)\)", text)
    who = f"{holder.group(1)} (PID {holder.group(2)})" if holder else "another process"
    return (
        f"the warehouse {path} is in use by {who}; wait for it to finish, or stop it. Readers should "
        "use the snapshot (`ctm sql`), which never blocks the pipeline."
    )


@contextmanager
def connect_writer(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse to write; a lock held by another process is a WarehouseLocked naming it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path))
    except duckdb.Error as exc:
        message = describe_lock(exc, path)
        if message is None:
            raise
        raise WarehouseLocked(message) from exc
    try:
        yield con
    finally:
        con.close()


def publish_snapshot(settings: Settings) -> Path:
    """Copy the warehouse, checkpointed, to the readers' snapshot and swap it in atomically. A
    reader that has the old snapshot open keeps reading it; the next one opens the new one."""
    from pipeline import audit

    with connect_writer(settings.warehouse_path) as con:
        con.execute("checkpoint")
        if table_exists(con, "audit", "file_log"):
            audit.record_built(settings, con)  # what this build, and so its snapshot, was made from
    target = settings.snapshot_path
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(f".{target.name}.*.part"):  # left by a run that was killed
        stale.unlink(missing_ok=True)
    part = target.with_name(f".{target.name}.{os.getpid()}.part")
    shutil.copyfile(settings.warehouse_path, part)
    os.replace(part, target)
    return target


@contextmanager
def connect_reader(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """The snapshot, read-only and sandboxed (READER_CONFIG)."""
    path = settings.snapshot_path
    if not path.exists():
        raise FileNotFoundError(
            f"no warehouse snapshot at {path} yet: run `ctm run` (a successful build makes one)"
        )
    con = duckdb.connect(str(path), read_only=True, config=READER_CONFIG)
    try:
        yield con
    finally:
        con.close()

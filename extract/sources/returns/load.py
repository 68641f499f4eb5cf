"""Load validated agency returns into raw.agency_returns, and supersede what they replace.

A file may carry several returns (agency x quarter). A later return for the same agency and
quarter replaces the earlier one in the marts; an earlier file is marked `superseded` in
audit.file_log once every return in it has been replaced (its rows stay: full history).
"""

from __future__ import annotations

import duckdb

from extract.sources.returns.validate import AgencyReturn

RAW_DDL = """
create table if not exists raw.agency_returns (
    file_id         varchar not null,
    agency_code     varchar not null,   -- the ONS 2023 code (a 2025 successor code is mapped to it)
    submitted_code  varchar not null,   -- as the agency wrote it, trimmed and upper-cased
    agency_type     varchar not null,   -- children_services | police
    period          varchar not null,   -- calendar quarter, 2024-Q3
    measure         varchar not null,
    value           decimal(18, 2),     -- null when the agency wrote [x]
    value_flag      varchar,            -- '[x]' when not available
    source_row      integer not null    -- the row in the file, for tracing a figure back
)
"""


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists raw")
    con.execute(RAW_DDL)


def load_returns(con: duckdb.DuckDBPyConnection, file_id: str, returns: list[AgencyReturn]) -> int:
    """Insert every value of `returns` under `file_id`; the caller owns the transaction."""
    rows = [
        (
            file_id,
            r.agency_code,
            r.submitted_code,
            r.agency_type,
            r.period,
            v.measure,
            v.value,
            v.value_flag,
            v.row,
        )
        for r in returns
        for v in r.values
    ]
    con.executemany("insert into raw.agency_returns values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def supersede_replaced_files(con: duckdb.DuckDBPyConnection, file_id: str) -> list[str]:
    """Mark `superseded` every earlier loaded file all of whose returns a later file replaces."""
    replaced = con.execute(
        """
        with current_files as (
            select file_id, received_at from audit.file_log
            where source in ('la_return', 'police_return') and status = 'loaded'
        ),
        file_returns as (
            select distinct r.file_id, f.received_at, r.agency_code, r.period
            from raw.agency_returns r join current_files f using (file_id)
        ),
        still_current as (
            select distinct earlier.file_id
            from file_returns earlier
            where not exists (
                select 1 from file_returns later
                where later.agency_code = earlier.agency_code and later.period = earlier.period
                    and later.received_at > earlier.received_at
            )
        )
        select file_id from current_files
        where file_id <> ? and file_id not in (select file_id from still_current)
        """,
        [file_id],
    ).fetchall()
    ids = [row[0] for row in replaced]
    for earlier in ids:
        con.execute(
            "update audit.file_log set status = 'superseded', reason = 'every return in it was replaced by a later file, the last being ' || ? "
            "where file_id = ?",
            [file_id, earlier],
        )
    return ids

"""Load a parsed NRM workbook into the raw schema, as published (totals included)."""

from __future__ import annotations

import duckdb

from extract.sources.nrm.parse import NrmWorkbook

RAW_DDL = """
create table if not exists raw.nrm_referrals_age_location (
    file_id                   varchar not null,
    source_vintage            varchar not null,
    sheet_name                varchar not null,
    source_row                integer not null,
    year                      integer not null,
    quarter                   integer not null,
    age_at_exploitation       varchar not null,
    location_of_exploitation  varchar not null,
    referrals                 bigint,
    value_flag                varchar
)
"""


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists raw")
    con.execute(RAW_DDL)


def load_workbook(con: duckdb.DuckDBPyConnection, file_id: str, workbook: NrmWorkbook) -> int:
    """Insert the workbook's rows under `file_id`; the caller owns the transaction. Returns rows loaded."""
    rows = [
        (
            file_id,
            workbook.release_id,
            c.sheet,
            c.row,
            c.year,
            c.quarter,
            c.age_at_exploitation,
            c.location_of_exploitation,
            c.referrals,
            c.value_flag,
        )
        for c in workbook.referrals_by_age_location
    ]
    con.executemany("insert into raw.nrm_referrals_age_location values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)

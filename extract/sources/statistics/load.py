"""Load the figures of an official statistics table into raw.published_statistics.

Every edition a publisher releases is kept (its vintage is the newest period it covers): staging
takes, for each period, area and measure, the figure of the newest edition loaded, so a later
edition's revisions win and an earlier edition still answers for the periods it alone covers. The
same edition sent again supersedes the earlier file in audit.file_log.
"""

from __future__ import annotations

import duckdb

from extract.sources.statistics.table import ParsedTable

RAW_DDL = """
create table if not exists raw.published_statistics (
    file_id         varchar not null,
    source          varchar not null,   -- children_in_need | police_recorded_crime
    source_vintage  varchar not null,   -- the edition: the newest period the file covers
    period          varchar not null,   -- financial year 2024-25, or calendar quarter 2023-Q2
    area_level      varchar not null,   -- country | region | subregion | utla | pfa | force
    area_code       varchar,            -- ONS code; null for a force without an area (BTP)
    area_name       varchar not null,
    measure         varchar not null,
    value           bigint,             -- null when the publisher gave shorthand instead
    value_flag      varchar,            -- c | x | z | u | low, as published
    source_row      integer not null,   -- the row in the file, for tracing a figure back
    source_column   varchar not null
)
"""
COLUMNS = (
    "file_id",
    "source",
    "source_vintage",
    "period",
    "area_level",
    "area_code",
    "area_name",
    "measure",
    "value",
    "value_flag",
    "source_row",
    "source_column",
)


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists raw")
    con.execute(RAW_DDL)


def load_table(con: duckdb.DuckDBPyConnection, file_id: str, table: ParsedTable) -> int:
    """Insert every figure of `table` under `file_id` (one columnar insert); the caller owns the transaction."""
    import pyarrow as pa

    rows = [
        (
            file_id,
            table.source,
            table.edition,
            f.period,
            f.area_level,
            f.area_code,
            f.area_name,
            f.measure,
            f.value,
            f.flag,
            f.row,
            f.column,
        )
        for f in table.figures
    ]
    types = [pa.string()] * 8 + [pa.int64(), pa.string(), pa.int32(), pa.string()]
    columns = list(zip(*rows, strict=True))
    batch = pa.table([pa.array(c, type=t) for c, t in zip(columns, types, strict=True)], names=list(COLUMNS))
    con.register("statistics_batch", batch)
    con.execute("insert into raw.published_statistics select * from statistics_batch")
    con.unregister("statistics_batch")
    return len(rows)

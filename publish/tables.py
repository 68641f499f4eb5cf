"""The release's tables: each written as CSV and listed with its schema, the two big ones also as
typed Parquet, and all of them checked by the publication suites as they will be published.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from expectations.results import GateResult
from pipeline.disclosure_policy import DisclosurePolicy
from publish.area_profiles import AREA_PROFILE_FIELDS, area_profile_rows
from publish.checks import check_publication
from publish.controlled import PUBLISHER_SUPPRESSED, ControlledTables, format_cell
from publish.formats import Table, csv_bytes, parquet_bytes
from publish.marts import ReleaseMarts
from publish.package import add_file
from publish.schema import (
    CATALOGUE_FIELDS,
    DISCLOSURE_FIELDS,
    INDICATOR_FIELDS,
    REVISION_FIELDS,
    table_schema,
)

PARQUET_TABLES = {"indicators.parquet": "indicators.csv", "revisions.parquet": "revisions.csv"}


@dataclass(frozen=True)
class PublishedTable:
    """One table of the release: its CSV, and its sheet in the spreadsheets."""

    file: str
    description: str  # the CSV's title in datapackage.json
    primary_key: list[str] | None
    table: Table  # its sheet, title, fields and rows as published

    @cached_property
    def content(self) -> bytes:
        return csv_bytes([n for n, _, _ in self.table.fields], self.table.rows)


def published_tables(marts: ReleaseMarts, controlled: ControlledTables) -> list[PublishedTable]:
    """The tables in the order of their CSVs in datapackage.json (their sheets are numbered apart)."""
    catalogue_rows = [
        [format_cell(r[n]) if r[n] is not None else "" for n, _, _ in CATALOGUE_FIELDS]
        for r in marts.catalogue
    ]
    profile_rows = area_profile_rows(marts.area_profiles, controlled.indicators)
    return [
        PublishedTable(
            "indicators.csv",
            "Prevention-strategy indicators by period, area and breakdown, disclosure-controlled",
            ["indicator_id", "period_type", "period_label", "area_code", "breakdown"],
            Table(
                "Table_1",
                "Prevention-strategy indicators by period, area and breakdown",
                INDICATOR_FIELDS,
                controlled.indicators,
            ),
        ),
        PublishedTable(
            "indicator_catalogue.csv",
            "Definitions of every indicator",
            ["indicator_id"],
            Table("Table_2", "Indicator definitions", CATALOGUE_FIELDS, catalogue_rows),
        ),
        PublishedTable(
            "revisions.csv",
            "Published NRM figures revised since the previous release vintage",
            ["table", "period_label", "column_group", "column_label"],
            Table(
                "Table_3",
                "NRM figures revised since the previous release vintage",
                REVISION_FIELDS,
                controlled.revisions,
            ),
        ),
        PublishedTable(
            "area_profiles.csv",
            "Police force areas side by side: NRM child referrals by the force, modern slavery offences "
            "and Children in Need factors of the councils inside, as rates and ranks, by financial year",
            ["period_label", "area_code"],
            Table(
                "Table_5",
                "Police force areas side by side: NRM, police and children's services, by financial year",
                AREA_PROFILE_FIELDS,
                profile_rows,
            ),
        ),
        PublishedTable(
            "disclosure_log.csv",
            "Every suppressed cell and why (values never shown)",
            None,
            Table(
                "Table_4", "Suppressed cells and why (values never shown)", DISCLOSURE_FIELDS, controlled.log
            ),
        ),
    ]


def write_tables(directory: Path, marts: ReleaseMarts, controlled: ControlledTables) -> dict:
    """Step: every table as CSV, with its schema."""
    tables = published_tables(marts, controlled)
    files = [
        add_file(
            directory,
            t.file,
            t.content,
            t.description,
            "csv",
            "text/csv",
            encoding="utf-8",
            schema=table_schema(t.table.fields, t.primary_key),
        )
        for t in tables
    ]
    return {"tables": tables, "table_files": files}


def write_parquet(directory: Path, tables: list[PublishedTable]) -> dict:
    """Step: the indicators and revisions typed for code. Not tabular resources: checked by hash and
    size; their types are in the CSV's schema."""
    by_file = {t.file: t.table for t in tables}
    parquet, files = {}, []
    for name, csv_file in PARQUET_TABLES.items():
        table = by_file[csv_file]
        parquet[name] = parquet_bytes(table)
        title = (
            table.title + " (typed; a suppressed or missing figure is null, its shorthand in <field>_flag)"
        )
        files.append(
            add_file(
                directory,
                name,
                parquet[name],
                title,
                "parquet",
                "application/vnd.apache.parquet",
                type="file",
            )
        )
    return {"parquet": parquet, "parquet_files": files}


def check_published_tables(
    parquet: dict[str, bytes], marts: ReleaseMarts, controlled: ControlledTables, policy: DisclosurePolicy
) -> dict[str, GateResult]:
    """Step: the last line of defence, on the tables as they are published; raises on any failure."""
    already_published = {
        (row["indicator_id"], field)
        for row in marts.catalogue
        for field in ("numerator", "denominator")
        if marts.definitions.is_public(row["indicator_id"], field)
    }
    publisher_suppressed = {
        f"{r['indicator_id']} {r['period_label']} {r['area_code']} {r['breakdown']}"
        for r in marts.indicators
        if (r["null_reason"] or "").startswith(PUBLISHER_SUPPRESSED)
    }
    return {
        "publication": check_publication(
            parquet, controlled.log, policy, already_published, publisher_suppressed
        )
    }


def name_release(tables: list[PublishedTable], quality_summary: bytes, marts: ReleaseMarts) -> dict:
    """Step: the release id, from its content, so the same marts give the same id on any machine:
    the newest quarter it covers and a hash of its tables and quality summary (2023-q4-<hash>)."""
    digest = hashlib.sha256()
    for table in sorted(tables, key=lambda t: t.file):
        digest.update(table.file.encode() + b"\0" + table.content)
    digest.update(quality_summary)
    newest_quarter = max(r["period_label"] for r in marts.indicators if "-Q" in r["period_label"])
    return {"release_id": f"{newest_quarter.lower()}-{digest.hexdigest()[:10]}"}

"""What a release is made from: the marts, read once, in one read-only connection, and nothing else
of the warehouse (schema `marts` only; the quality gate reads its `quality` views itself, and
publish receives its verdict as files, never from the warehouse).

Every query is a `select` from one mart, named in MART_QUERIES, so what publish depends on is
listed in one place; a test runs the reader on a warehouse that holds nothing but the marts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from pipeline import warehouse
from pipeline.settings import Settings
from publish.relations import Definitions

MARTS_SCHEMA = "marts"

# what a release reads: (the ReleaseMarts field, the mart, its query's order and filter)
MART_QUERIES = {
    "indicators": (
        "mart_prevention_indicators",
        "order by indicator_id, area_code, breakdown, period_type, period_start_date",
    ),
    "catalogue": ("dim_indicator", "order by indicator_id"),
    # every figure of the newest vintage: the revised ones are published, the rest are related to them
    "revisions": (
        "mart_nrm_revisions",
        f"where source_vintage = (select max(source_vintage) from {MARTS_SCHEMA}.mart_nrm_revisions) "
        "order by table_key, period_label, column_group, column_label",
    ),
    "counts": ("dim_indicator_count", 'order by "count"'),
    "breakdown_families": ("dim_breakdown_family", "order by listed_order"),
    "area_parents": ("dim_area_membership", "order by area_code, parent_area_code, membership"),
    "area_profiles": ("mart_area_profiles", "order by period_label, area_code"),
    "nrm_vintages": ("dim_nrm_vintage", "order by source_vintage desc"),
}
# a source whose mart is built only once its data arrive: the release publishes none of it till then
OPTIONAL_MARTS = {"mart_area_profiles"}


def mart_query(field: str) -> str:
    mart, clauses = MART_QUERIES[field]
    return f"select * from {MARTS_SCHEMA}.{mart} {clauses}"


@dataclass(frozen=True)
class ReleaseMarts:
    """The rows of every mart a release is made from, as the marts hold them."""

    indicators: list[dict]
    catalogue: list[dict]
    revisions: list[dict]
    counts: list[dict]
    breakdown_families: list[dict]
    area_parents: list[dict]
    area_profiles: list[dict]
    nrm_vintages: list[dict]

    @cached_property
    def definitions(self) -> Definitions:
        """The definitions disclosure control derives the relations between published cells from."""
        return Definitions.from_rows(
            self.catalogue,
            self.counts,
            self.breakdown_families,
            [
                {"area_code": r["area_code"], "parent_area_code": r["parent_area_code"]}
                for r in self.area_parents
            ],
        )

    def source_publication(self) -> str:
        """The newest NRM vintage and, where its workbook or GOV.UK states it, the day it was published."""
        if not self.nrm_vintages:
            return "no NRM release"
        newest = self.nrm_vintages[0]
        vintage, published = newest["source_vintage"], newest["publication_date"]
        return (
            f"{vintage}, published {published:%-d %B %Y}"
            if published
            else f"{vintage} (its publication date is not stated)"
        )

    def breakdown_labels(self) -> dict[str, dict[str, tuple[str, str]]]:
        """Per indicator, its breakdowns' family and name for people, in the order the families are
        listed, from the family of the indicator's source ('police' is a first responder in the NRM,
        an agency in returns)."""
        by_source: dict[str, dict[str, tuple[str, str]]] = {}
        for row in self.breakdown_families:
            by_source.setdefault(row["source"], {})[row["breakdown"]] = (row["dimension_label"], row["label"])
        return {
            entry["indicator_id"]: by_source.get((entry["numerator_count"] or "").split("_")[0], {})
            for entry in self.catalogue
        }


def read_release_marts(settings: Settings) -> ReleaseMarts:
    """Every mart a release is made from, in one read-only connection to the warehouse."""
    with warehouse.connect(settings.warehouse_path, read_only=True) as con:

        def fetch(field: str) -> list[dict]:
            mart = MART_QUERIES[field][0]
            if mart in OPTIONAL_MARTS and not warehouse.table_exists(con, MARTS_SCHEMA, mart):
                return []
            cursor = con.execute(mart_query(field))
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

        return ReleaseMarts(**{field: fetch(field) for field in MART_QUERIES})

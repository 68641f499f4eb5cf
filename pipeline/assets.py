"""The assets that link the stages, named once. Plain data: the DAGs turn these into Airflow assets.

Every arrow of the data flow is an asset event: a landing marker wakes ingest, `warehouse_raw`
wakes transform, `warehouse_marts` wakes the quality gate and publish, `published_release` tells
consumers a release is out.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AssetSpec:
    name: str
    uri: str
    group: str


WAREHOUSE_RAW = AssetSpec("warehouse_raw", "ctm://warehouse/raw", "warehouse")
WAREHOUSE_MARTS = AssetSpec("warehouse_marts", "ctm://warehouse/marts", "warehouse")
PUBLISHED_RELEASE = AssetSpec("published_release", "ctm://published/release", "publication")


def landing_asset_spec(source: str, landing_dir: str) -> AssetSpec:
    """The landing zone of a source: its events come from the marker watcher (or the REST API)."""
    return AssetSpec(f"landing_{source}", f"file://{landing_dir}", "landing")


# Every task that writes (or reads) warehouse.duckdb takes a slot of this one-slot pool, and runs on
# the Celery queue served only by the worker that owns the warehouse file; other tasks run anywhere.
DUCKDB_POOL = "duckdb_writer"
WAREHOUSE_QUEUE = "warehouse"
DEFAULT_QUEUE = "default"

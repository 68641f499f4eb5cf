"""
### Ingest Children in Need tables

Runs when a marker file appears in `landing/children_in_need/` (the asset watcher; `ctm submit --source children_in_need`
writes it) or when an asset event for `landing_children_in_need` is posted to the REST API. Every waiting file
is archived by sha256, read (CSV, .xlsx or .ods; the header found by meaning), checked with the
`published_statistics` Great Expectations suite, and loaded into `raw.published_statistics` or
quarantined with a rejection report; each gets an `audit.file_log` row. The publisher's shorthand
(c, x, z, u, low) is loaded as missing with its flag, never as 0. Every edition is kept; the same
edition sent again supersedes the earlier file. Emits `warehouse_raw` when anything new was loaded.
"""

from __future__ import annotations

from airflow.sdk import Metadata, dag, task
from airflow_assets import DAG_DEFAULTS, ingest_and_report, landing_children_in_need, warehouse_raw


@dag(
    schedule=[landing_children_in_need],
    **DAG_DEFAULTS,
    tags=["children_in_need", "ingest"],
    doc_md=__doc__,
)
def ingest_children_in_need():
    @task(outlets=[warehouse_raw])
    def ingest_landed_tables():
        from extract.ingest import ingest_source

        yield Metadata(
            warehouse_raw,
            {
                "source": "children_in_need",
                **ingest_and_report(lambda settings: ingest_source(settings, "children_in_need")),
            },
        )

    ingest_landed_tables()


ingest_children_in_need()

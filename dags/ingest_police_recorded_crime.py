"""
### Ingest police recorded crime tables

Runs when a marker file appears in `landing/police_recorded_crime/` (the asset watcher; `ctm submit --source police_recorded_crime`
writes it) or when an asset event for `landing_police_recorded_crime` is posted to the REST API. Every waiting file
is archived by sha256, read (CSV, .xlsx or .ods; the header found by meaning), checked with the
`published_statistics` Great Expectations suite, and loaded into `raw.published_statistics` or
quarantined with a rejection report; each gets an `audit.file_log` row. The publisher's shorthand
(c, x, z, u, low) is loaded as missing with its flag, never as 0. Every edition is kept; the same
edition sent again supersedes the earlier file. Emits `warehouse_raw` when anything new was loaded.
"""

from __future__ import annotations

from airflow.sdk import Metadata, dag, task
from airflow_assets import DAG_DEFAULTS, ingest_and_report, landing_police_recorded_crime, warehouse_raw


@dag(
    schedule=[landing_police_recorded_crime],
    **DAG_DEFAULTS,
    tags=["police_recorded_crime", "ingest"],
    doc_md=__doc__,
)
def ingest_police_recorded_crime():
    @task(outlets=[warehouse_raw])
    def ingest_landed_tables():
        from extract.ingest import ingest_source

        yield Metadata(
            warehouse_raw,
            {
                "source": "police_recorded_crime",
                **ingest_and_report(lambda settings: ingest_source(settings, "police_recorded_crime")),
            },
        )

    ingest_landed_tables()


ingest_police_recorded_crime()

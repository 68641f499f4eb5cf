"""
### Ingest NRM workbooks

Runs when a marker file appears in `landing/nrm/` (the asset watcher) or when an asset event
for `landing_nrm` is posted to the REST API. Every waiting workbook is archived by sha256, parsed,
and loaded into `raw` or quarantined with a rejection report; each gets an `audit.file_log` row.
Emits `warehouse_raw` when anything new was loaded (skips otherwise).
"""

from __future__ import annotations

from airflow.sdk import Metadata, dag, task
from airflow_assets import DAG_DEFAULTS, ingest_and_report, landing_nrm, warehouse_raw


@dag(
    schedule=[landing_nrm],
    **DAG_DEFAULTS,
    tags=["nrm", "ingest"],
    doc_md=__doc__,
)
def ingest_nrm():
    @task(outlets=[warehouse_raw])
    def ingest_landed_workbooks():
        from extract.ingest import ingest_nrm as ingest

        yield Metadata(warehouse_raw, {"source": "nrm", **ingest_and_report(ingest)})

    ingest_landed_workbooks()


ingest_nrm()

"""
### Ingest agency returns

Runs when a marker file appears in `landing/returns/` (the asset watcher; `ctm submit` writes it)
or when an asset event for `landing_returns` is posted to the REST API
(`POST /api/v2/assets/events`, see the README). Every waiting file is archived by sha256, read
(CSV, .xlsx or .ods), validated against the return definition (a Great Expectations suite built
from it, plus the checks GX cannot express), and loaded into `raw.agency_returns` or quarantined
with `rejection.json` and `rejection.md`; each gets an `audit.file_log` row. A later return for the
same agency and quarter supersedes the earlier one. Emits `warehouse_raw` when anything new was
loaded (skips otherwise).
"""

from __future__ import annotations

from airflow.sdk import Metadata, dag, task
from airflow_assets import DAG_DEFAULTS, ingest_and_report, landing_returns, warehouse_raw


@dag(
    schedule=[landing_returns],
    **DAG_DEFAULTS,
    tags=["returns", "ingest"],
    doc_md=__doc__,
)
def ingest_agency_returns():
    @task(outlets=[warehouse_raw])
    def ingest_landed_returns():
        from extract.ingest import ingest_returns

        yield Metadata(warehouse_raw, {"source": "returns", **ingest_and_report(ingest_returns)})

    ingest_landed_returns()


ingest_agency_returns()

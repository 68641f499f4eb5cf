"""
### Detect a new NRM release

The one clock in the chain: GOV.UK cannot push, so this polls the Content API for the NRM
collection's newest publication, downloads its ODS workbook and lands it (file, then marker).
The landing marker, not this DAG, starts `ingest_nrm`. A workbook already received (same
sha256) is not landed again, so polling often is harmless.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import dag, task
from airflow_assets import DAG_DEFAULTS


@dag(
    # Releases come out quarterly at 09:30 UK time; polling hourly on weekdays finds one the same morning.
    schedule="45 * * * 1-5",
    **DAG_DEFAULTS,
    tags=["nrm", "fetch"],
    doc_md=__doc__,
)
def detect_nrm_release():
    # No warehouse access: it only writes into the landing zone, so it needs no DuckDB pool slot.
    @task(
        pool="default_pool",
        retries=3,
        retry_delay=timedelta(minutes=5),
        execution_timeout=timedelta(minutes=15),
    )
    def fetch_latest_release() -> dict:
        from extract.sources.nrm.fetch import fetch_latest_release as fetch
        from pipeline.settings import get_settings

        result = fetch(get_settings())
        print(
            f"{'landed ' + str(result.landed) if result.is_new else 'nothing new'}: {result.publication_title}"
        )
        return {"landed": str(result.landed) if result.landed else None, "sha256": result.sha256}

    fetch_latest_release()


detect_nrm_release()

"""
### Detect a new NRM release

The one clock in the chain: GOV.UK cannot push, so this polls the Content API for the NRM
collection's newest publication, downloads its ODS workbook and lands it (file, then marker).
The landing marker, not this DAG, starts `ingest_nrm`. A workbook already received (same
sha256) is not landed again, so polling often is harmless.

It is **off until turned on** (`CTM_DETECT_NRM_RELEASE=true`; docker-compose.yml does): each run is
then skipped, saying so. When GOV.UK cannot be reached it fails at once with one line saying so
(the fetch has already retried with back-off); the next hourly poll tries again.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import dag, task
from airflow_assets import DAG_DEFAULTS

from pipeline.assets import DEFAULT_QUEUE


@dag(
    # Releases come out quarterly at 09:30 UK time; polling hourly on weekdays finds one the same morning.
    schedule="45 * * * 1-5",
    **DAG_DEFAULTS,
    tags=["nrm", "fetch"],
    doc_md=__doc__,
)
def detect_nrm_release():
    # No warehouse access: it only writes into the landing zone, so it needs no DuckDB pool slot.
    # No task retries: the fetch retries with back-off itself, and the next poll is an hour away.
    @task(pool="default_pool", queue=DEFAULT_QUEUE, retries=0, execution_timeout=timedelta(minutes=15))
    def fetch_latest_release() -> dict:
        from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

        from extract.sources.nrm.fetch import FetchError
        from extract.sources.nrm.fetch import fetch_latest_release as fetch
        from pipeline.settings import get_settings

        settings = get_settings()
        if not settings.detect_nrm_release:
            raise AirflowSkipException(
                "off: set CTM_DETECT_NRM_RELEASE=true to poll GOV.UK for new NRM releases (README, Deploying)"
            )
        try:
            result = fetch(settings)
        except FetchError as error:
            raise AirflowFailException(
                f"GOV.UK could not be read, nothing was landed ({error}); the next poll tries again"
            ) from None
        print(
            f"{'landed ' + str(result.landed) if result.is_new else 'nothing new'}: {result.publication_title}"
        )
        return {"landed": str(result.landed) if result.landed else None, "sha256": result.sha256}

    fetch_latest_release()


detect_nrm_release()

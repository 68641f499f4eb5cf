"""
### Validate the marts and publish a release

Runs when the marts are rebuilt (`warehouse_marts`). The Great Expectations gate validates the
marts and their reconciliations; a failed critical expectation fails `validate_marts` with a
message naming the expectation and the rows, and nothing is written under `published/` (the
results and their Data Docs are in `quality/<run>/`). Otherwise the disclosure-controlled bundle
is checked by the publication suites, written atomically to `published/<release_id>/` with the
GX results and Data Docs that let it through, and `published_release` is emitted.
"""

from __future__ import annotations

from airflow.sdk import Metadata, dag, task
from airflow.sdk.exceptions import AirflowFailException
from airflow_assets import DAG_DEFAULTS, published_release, warehouse_marts


@dag(
    schedule=[warehouse_marts],
    **DAG_DEFAULTS,
    tags=["quality", "publish"],
    doc_md=__doc__,
)
def publish_release():
    @task
    def validate_marts() -> str:
        from expectations.validate import GateHeld, run_gate
        from pipeline.settings import get_settings

        try:
            result = run_gate(get_settings())
        except GateHeld as held:
            raise AirflowFailException(str(held)) from held
        return str(result.results_dir)

    @task(outlets=[published_release])
    def publish_bundle(results_dir: str):
        from pathlib import Path

        from pipeline.settings import get_settings
        from publish.release import publish_release as publish

        release = publish(get_settings(), Path(results_dir))
        print(f"release {release.release_id} ({'new' if release.is_new else 'unchanged'}) at {release.path}")
        yield Metadata(
            published_release,
            {"release_id": release.release_id, "path": str(release.path), "is_new": release.is_new},
        )

    publish_bundle(validate_marts())


publish_release()

"""
### Transform the warehouse

Runs `dbt build` (staging -> marts, data tests, unit tests, contracts) whenever new raw data is
loaded (`warehouse_raw`), and emits `warehouse_marts` when the build and its tests pass. A failing
dbt test fails the task without retries: the same data would fail again.
"""

from __future__ import annotations

from airflow.sdk import Metadata, dag, task
from airflow.sdk.exceptions import AirflowFailException
from airflow_assets import DAG_DEFAULTS, warehouse_marts, warehouse_raw


@dag(
    schedule=[warehouse_raw],
    **DAG_DEFAULTS,
    tags=["dbt", "transform"],
    doc_md=__doc__,
)
def transform_warehouse():
    @task(outlets=[warehouse_marts])
    def build_warehouse():
        from pipeline.settings import get_settings
        from transform.build import TransformFailed
        from transform.build import build_warehouse as build

        try:
            result = build(get_settings())
        except TransformFailed as exc:
            raise AirflowFailException(str(exc)) from exc
        print(result.output[-3000:])
        yield Metadata(warehouse_marts, {"dbt": "build passed"})

    build_warehouse()


transform_warehouse()

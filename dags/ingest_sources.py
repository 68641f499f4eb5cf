"""
### Ingest a source

One DAG per source of the registry (pipeline/sources.py), made here from its entry: its DAG id,
description and task, scheduled on its landing asset (a marker in `landing/<source>/`, or an asset
event posted to the REST API). Its one task ingests every file waiting there (archive, read,
validate, load or quarantine, audit) and emits `warehouse_raw` with what happened to each file;
it skips (no event, nothing downstream) when nothing new was loaded.
"""

from __future__ import annotations

from airflow.sdk import Metadata, dag, task
from airflow_assets import DAG_DEFAULTS, LANDING_ASSETS, ingest_and_report, warehouse_raw

from pipeline.sources import SOURCES, SourceSpec


def ingest_dag(source: SourceSpec):
    """The thin DAG of one source: on its landing asset, ingest what waits there."""

    @dag(
        dag_id=source.dag_id,
        schedule=[LANDING_ASSETS[source.name]],
        **DAG_DEFAULTS,
        tags=[source.name, "ingest"],
        doc_md=source.dag_doc,
    )
    def ingest_landed_files():
        @task(task_id=source.task_id, outlets=[warehouse_raw])
        def ingest_waiting_files():
            from extract.ingest import ingest_source

            summary = ingest_and_report(lambda settings: ingest_source(settings, source.name))
            yield Metadata(warehouse_raw, {"source": source.name, **summary})

        ingest_waiting_files()

    return ingest_landed_files()


# Each DAG at module level, under its id, where the DAG processor looks for DAGs.
globals().update({source.dag_id: ingest_dag(source) for source in SOURCES})

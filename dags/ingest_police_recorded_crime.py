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

from airflow_assets import statistics_ingest_dag

# the DAG `ingest_police_recorded_crime` (airflow: the dag is built by the shared factory)
dag = statistics_ingest_dag("police_recorded_crime", __doc__)

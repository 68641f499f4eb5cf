"""`dbt build` on the sample warehouse and on one made N times larger, beside running the compiled
SQL of the same models straight in DuckDB: dbt's overhead, and how build time grows with size.

    python -m benchmarks.dbt_scale [--scale 100]

The larger warehouse is synthetic: every raw table's rows copied N times under earlier vintages
and quarters (NRM releases and agency returns further back in time), each copy with its own
audit.file_log row, so every model does N times the work on the same shapes of data.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from ctm.demo import SAMPLE_RELEASES, SAMPLE_RETURNS
from extract.ingest import ingest_nrm, ingest_returns
from extract.landing import land_file
from pipeline.settings import Settings, get_settings
from transform.build import TransformFailed, run_dbt


def sample_home(root: Path) -> Settings:
    settings = get_settings(root / "home")
    for workbook in SAMPLE_RELEASES:
        land_file(settings, "nrm", workbook, ring=False)
    for agency_return in SAMPLE_RETURNS[:3]:
        land_file(settings, "returns", agency_return, ring=False)
    ingest_nrm(settings)
    ingest_returns(settings)
    return settings


def scale_up(settings: Settings, factor: int) -> dict[str, int]:
    """Copy every raw row factor-1 more times, each copy `k` quarters earlier, with its own file."""
    with duckdb.connect(str(settings.warehouse_path)) as con:
        con.execute("create temp table copies as select range as k from range(1, ?)", [factor])
        # one synthetic file per original loaded file and copy, so staging keeps the rows
        con.execute(
            """
            insert into audit.file_log
            select file_id || '-copy' || k, sha256 || k, source, original_name || ' (copy ' || k || ')',
                received_at, status, reason, release_id, archive_path, rows_loaded
            from audit.file_log, copies where status = 'loaded'
            """
        )
        # each copy lies a whole span of the sample's vintages earlier, so no two copies share one
        span = con.execute("select count(distinct source_vintage) from raw.nrm_releases").fetchone()[0]
        shift = (
            "(cast(regexp_extract({v}, '(\\d{{4}})-q(\\d)', 1) as int) * 4"
            " + cast(regexp_extract({v}, '(\\d{{4}})-q(\\d)', 2) as int) - 1 - k * " + str(span) + ")"
        )
        vintage = "'nrm-' || ({s} // 4) || '-q' || ({s} % 4 + 1)".format(s=shift.format(v="source_vintage"))
        for table in ("nrm_cells", "nrm_first_responder_cells", "nrm_releases"):
            columns = [
                c
                for (c,) in con.execute(
                    f"select column_name from information_schema.columns where table_schema = 'raw' and table_name = '{table}' order by ordinal_position"
                ).fetchall()
            ]
            select = ", ".join(
                "file_id || '-copy' || k" if c == "file_id" else vintage if c == "source_vintage" else c
                for c in columns
            )
            con.execute(f"insert into raw.{table} select {select} from raw.{table}, copies")
        period_shift = "(cast(left(period, 4) as int) * 4 + cast(right(period, 1) as int) - 1 - k * 2)"
        period = f"({period_shift} // 4) || '-Q' || ({period_shift} % 4 + 1)"
        columns = [
            c
            for (c,) in con.execute(
                "select column_name from information_schema.columns where table_schema = 'raw' and table_name = 'agency_returns' order by ordinal_position"
            ).fetchall()
        ]
        select = ", ".join(
            "file_id || '-copy' || k" if c == "file_id" else period if c == "period" else c for c in columns
        )
        con.execute(f"insert into raw.agency_returns select {select} from raw.agency_returns, copies")
        return {
            table: con.execute(f"select count(*) from raw.{table}").fetchone()[0]
            for table in ("nrm_cells", "nrm_first_responder_cells", "agency_returns")
        }


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def compiled_sql_seconds(settings: Settings) -> float:
    """Every model's compiled SQL, in dependency order, run straight in DuckDB (as dbt materialises it)."""
    run_dbt(settings, "compile")
    manifest = json.loads((settings.dbt_target_dir / "manifest.json").read_text())
    models = {uid: n for uid, n in manifest["nodes"].items() if n["resource_type"] == "model"}
    order, seen = [], set()

    def visit(uid: str) -> None:
        if uid in seen or uid not in models:
            return
        seen.add(uid)
        for parent in models[uid]["depends_on"]["nodes"]:
            visit(parent)
        order.append(uid)

    for uid in sorted(models):
        visit(uid)
    with duckdb.connect(str(settings.warehouse_path)) as con:
        started = time.perf_counter()
        for uid in order:
            node = models[uid]
            kind = "view" if node["config"]["materialized"] == "view" else "table"
            con.execute(
                f"create or replace {kind} {node['schema']}.{node['alias']} as {node['compiled_code']}"
            )
        return time.perf_counter() - started


def _build(settings: Settings) -> None:
    """`dbt build`, run to the end: on the synthetic copies some data tests fail by construction
    (quarters before 2009 are not in dim_period...), which costs the same time as passing."""
    try:
        run_dbt(settings, "build")
    except TransformFailed as failed:
        print("  (data tests failing on the synthetic copies, as expected:", str(failed).count(" FAIL "), ")")


def measure(settings: Settings, label: str) -> None:
    build = timed(lambda: _build(settings))  # seeds, models, tests, unit tests, contracts
    models_only = timed(lambda: run_dbt(settings, "run"))
    direct = compiled_sql_seconds(settings)
    print(
        f"{label}: dbt build {build:.1f}s; dbt run (models only) {models_only:.1f}s; the same compiled SQL "
        f"straight in DuckDB {direct:.1f}s; dbt overhead {models_only / direct:.1f}x"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100)
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="ctm-bench-dbt-"))
    try:
        settings = sample_home(root)
        measure(settings, "sample warehouse")
        rows = scale_up(settings, args.scale)
        print(f"scaled x{args.scale}: raw rows {rows}")
        measure(settings, f"x{args.scale} warehouse")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

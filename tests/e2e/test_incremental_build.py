"""dbt builds what an event changed: after a full first build, a new agency return rebuilds what the
returns source feeds (`source:returns+`), a changed model is rebuilt with what depends on it (dbt's
`state:modified+`), and the result is the one a full build gives."""

from __future__ import annotations

import re
import shutil

import duckdb

from extract.ingest import ingest_everything, ingest_returns
from extract.landing import land_file
from pipeline import audit
from pipeline.settings import REPO_ROOT, get_settings
from tests.conftest import SAMPLE_RETURNS, SAMPLE_WORKBOOK
from transform.build import build_warehouse, incremental_arguments


def _built_models(output: str) -> set[str]:
    return set(re.findall(r"OK created sql \w+ model ([\w.]+)", output))


def _return_figures(settings) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.execute(
            "select agency_code, period_label, measure, value from marts.fct_agency_returns order by all"
        ).fetchall()


def test_an_event_rebuilds_what_it_changed_and_a_changed_model_what_depends_on_it(tmp_path):
    settings = get_settings(tmp_path / "home")
    project = tmp_path / "dbt_project"  # a copy, so that a model can be changed
    shutil.copytree(REPO_ROOT / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs"))
    for seeds in ("geography", "population"):  # the project's other seed paths, ../data/*
        shutil.copytree(REPO_ROOT / "data" / seeds, tmp_path / "data" / seeds)
    settings = settings.model_copy(update={"dbt_project_dir": project})
    land_file(settings, "nrm", SAMPLE_WORKBOOK, ring=False)
    land_file(settings, "returns", SAMPLE_RETURNS[0], ring=False)
    ingest_everything(settings)
    first = build_warehouse(settings)
    assert "--select" not in first.command  # nothing built before: everything
    assert audit.pending_sources(settings) == set()
    before = _return_figures(settings)

    land_file(settings, "returns", SAMPLE_RETURNS[1], ring=False)
    assert ingest_returns(settings).loaded
    assert audit.pending_sources(settings) == {"returns"}
    second = build_warehouse(settings)
    assert second.command[second.command.index("build") + 1 :][:4] == [
        "--select",
        "source:returns+",
        "--exclude",
        "resource_type:unit_test",
    ]
    built = _built_models(second.output)
    # the new data's data tests ran; unit tests (fixed inputs, unchanged SQL) did not
    assert "START test unique_combination_stg_returns__agency_returns" in second.output
    assert "START unit_test" not in second.output
    assert "marts.fct_agency_returns" in built and "marts.mart_prevention_indicators" in built
    assert not any("nrm" in model for model in built)  # the NRM's marts did not change
    incremental = _return_figures(settings)
    assert len(incremental) > len(before)  # the new return is in the marts

    # a model changes: it and what depends on it are rebuilt, though no source changed
    model = project / "models" / "marts" / "nrm" / "dim_nrm_vintage.sql"
    model.write_text(model.read_text() + "\n-- a comment changes the model's checksum\n")
    audit.mark_pending(settings, "children_in_need")  # an event with nothing new for the NRM
    third = build_warehouse(settings)
    assert "state:modified+" in third.command[third.command.index("--select") + 1]
    assert "marts.dim_nrm_vintage" in _built_models(third.output)
    # the changed SQL reaches models with unit tests (the indicators mart): theirs run again
    assert "START unit_test mart_prevention_indicators::" in third.output

    # the same figures as a full build from scratch
    (settings.dbt_target_dir.parent / "state" / "manifest.json").unlink()
    assert incremental_arguments(settings, {"returns"}) is None
    full = build_warehouse(settings)
    assert "--select" not in full.command
    assert _return_figures(settings) == incremental

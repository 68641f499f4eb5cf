"""When a dbt build may be incremental, and what it selects (see test_incremental_build for the builds)."""

from __future__ import annotations

import json

import yaml

from pipeline.settings import LANDING_SOURCES, REPO_ROOT, get_settings
from transform.build import DBT_SOURCES, incremental_arguments, project_fingerprint


def _home_with_a_build(tmp_path, deadline_days: str = "30", project: str | None = None):
    settings = get_settings(tmp_path / "home")
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    settings.warehouse_path.write_bytes(b"")
    state = settings.dbt_target_dir.parent / "state"
    state.mkdir(parents=True)
    (state / "manifest.json").write_text("{}")
    built_with = {
        "model_settings": {"CTM_RETURN_DEADLINE_DAYS": deadline_days},
        "project": project or project_fingerprint(settings.dbt_project_dir),
    }
    (state / "built_with.json").write_text(json.dumps(built_with))
    return settings


def test_new_data_selects_what_its_sources_feed_without_the_unit_tests(tmp_path):
    settings = _home_with_a_build(tmp_path)
    assert incremental_arguments(settings, {"returns"}) == [
        "--select",
        "source:returns+",
        "--exclude",
        "resource_type:unit_test",
    ]
    assert incremental_arguments(settings, {"children_in_need", "police_recorded_crime", "nrm"})[:2] == [
        "--select",
        "source:nrm+ source:statistics+",
    ]


def test_a_changed_project_also_selects_what_changed_in_it_with_its_unit_tests(tmp_path):
    settings = _home_with_a_build(tmp_path, project="the fingerprint of an older project")
    state = settings.dbt_target_dir.parent / "state"
    assert incremental_arguments(settings, {"returns"}) == [
        "--select",
        "source:returns+ state:modified+",
        "--state",
        str(state),
    ]


def test_the_project_fingerprint_follows_models_and_seeds_but_not_dbt_s_output(tmp_path):
    import shutil

    project = tmp_path / "dbt_project"
    shutil.copytree(REPO_ROOT / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs"))
    for seeds in ("geography", "population"):
        shutil.copytree(REPO_ROOT / "data" / seeds, tmp_path / "data" / seeds)
    original = project_fingerprint(project)
    assert original == project_fingerprint(REPO_ROOT / "dbt_project")
    (project / "target").mkdir()
    (project / "target" / "manifest.json").write_text("{}")
    assert project_fingerprint(project) == original  # dbt's output is not the project
    model = next((project / "models").rglob("*.sql"))
    model.write_text(model.read_text() + "\n-- a comment\n")
    assert project_fingerprint(project) != original
    model.write_text(model.read_text().removesuffix("\n-- a comment\n"))
    assert project_fingerprint(project) == original
    seed = next((tmp_path / "data" / "population").rglob("*.csv"))
    seed.write_text(seed.read_text() + "\n")
    assert project_fingerprint(project) != original  # a seed folder outside the project counts too


def test_a_full_build_when_nothing_is_known_to_have_changed_or_the_models_settings_did(tmp_path):
    settings = _home_with_a_build(tmp_path, deadline_days="45")
    assert incremental_arguments(settings, {"returns"}) is None  # built with another deadline
    settings = _home_with_a_build(tmp_path / "other")
    assert incremental_arguments(settings, set()) is None  # a rerun: nothing marked
    assert incremental_arguments(settings, {"a_new_source"}) is None
    (settings.dbt_target_dir.parent / "state" / "manifest.json").unlink()
    assert incremental_arguments(settings, {"returns"}) is None  # no previous build to compare with


def test_every_landing_source_names_a_dbt_source_that_exists():
    defined = set()
    for path in (REPO_ROOT / "dbt_project" / "models").rglob("_*__sources.yml"):
        defined |= {s["name"] for s in yaml.safe_load(path.read_text())["sources"]}
    assert set(DBT_SOURCES) == set(LANDING_SOURCES)
    assert set(DBT_SOURCES.values()) <= defined

"""When a dbt build may be incremental, and what it selects (see test_incremental_build for the builds)."""

from __future__ import annotations

import json

import yaml

from pipeline.settings import LANDING_SOURCES, REPO_ROOT, get_settings
from transform.build import DBT_SOURCES, incremental_selection


def _home_with_a_build(tmp_path, deadline_days: str = "30"):
    settings = get_settings(tmp_path / "home")
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    settings.warehouse_path.write_bytes(b"")
    state = settings.dbt_target_dir.parent / "state"
    state.mkdir(parents=True)
    (state / "manifest.json").write_text("{}")
    (state / "model_settings.json").write_text(json.dumps({"CTM_RETURN_DEADLINE_DAYS": deadline_days}))
    return settings


def test_the_sources_that_changed_and_every_changed_model_are_selected(tmp_path):
    settings = _home_with_a_build(tmp_path)
    assert incremental_selection(settings, {"returns"}) == "source:returns+ state:modified+"
    assert (
        incremental_selection(settings, {"children_in_need", "police_recorded_crime", "nrm"})
        == "source:nrm+ source:statistics+ state:modified+"
    )


def test_a_full_build_when_nothing_is_known_to_have_changed_or_the_models_settings_did(tmp_path):
    settings = _home_with_a_build(tmp_path, deadline_days="45")
    assert incremental_selection(settings, {"returns"}) is None  # built with another deadline
    settings = _home_with_a_build(tmp_path / "other")
    assert incremental_selection(settings, set()) is None  # a rerun: nothing marked
    assert incremental_selection(settings, {"a_new_source"}) is None
    (settings.dbt_target_dir.parent / "state" / "manifest.json").unlink()
    assert incremental_selection(settings, {"returns"}) is None  # no previous build to compare with


def test_every_landing_source_names_a_dbt_source_that_exists():
    defined = set()
    for path in (REPO_ROOT / "dbt_project" / "models").rglob("_*__sources.yml"):
        defined |= {s["name"] for s in yaml.safe_load(path.read_text())["sources"]}
    assert set(DBT_SOURCES) == set(LANDING_SOURCES)
    assert set(DBT_SOURCES.values()) <= defined

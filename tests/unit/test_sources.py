"""The registry of sources (pipeline/sources.py) is the one place a source is written: every place
that needs a source derives it from there, so a source added to the registry but forgotten in one
place fails here (the DAGs and landing assets: tests/dags/test_dags.py)."""

from __future__ import annotations

import csv
import typing

import pytest
import yaml

from ctm.cli import build_parser
from ctm.demo import SAMPLES
from extract.handlers import HANDLERS
from extract.sources.statistics import TABLES
from pipeline.audit import FileSource
from pipeline.settings import LANDING_SOURCES, REPO_ROOT, Source, get_settings
from pipeline.sources import AUDIT_KINDS, SOURCE_OF_AUDIT_KIND, SOURCES, SourceSpec, sources_read_by
from transform.build import DBT_SOURCES

SOURCE_IDS = [source.name for source in SOURCES]


def _dbt_sources_defined() -> set[str]:
    defined = set()
    for path in (REPO_ROOT / "dbt_project" / "models").rglob("_*__sources.yml"):
        defined |= {s["name"] for s in yaml.safe_load(path.read_text())["sources"]}
    return defined


def test_the_settings_and_the_audit_vocabulary_are_the_registry_s():
    assert LANDING_SOURCES == tuple(typing.get_args(Source)) == tuple(SOURCE_IDS)
    assert set(typing.get_args(FileSource)) == set(AUDIT_KINDS)
    assert len(AUDIT_KINDS) == sum(len(source.audit_kinds) for source in SOURCES)  # none shared
    assert len(set(SOURCE_IDS)) == len(SOURCES) and len({s.dag_id for s in SOURCES}) == len(SOURCES)


@pytest.mark.parametrize("source", SOURCES, ids=SOURCE_IDS)
def test_every_source_has_its_landing_folder_created(tmp_path, source: SourceSpec):
    settings = get_settings(tmp_path / "home")
    settings.create_dirs()
    assert settings.landing_dir_for(source.name) == settings.landing_dir / source.landing_folder
    assert settings.landing_dir_for(source.name).is_dir()


@pytest.mark.parametrize("source", SOURCES, ids=SOURCE_IDS)
def test_every_source_has_a_reader_a_dbt_source_and_samples(source: SourceSpec):
    assert source.reader in HANDLERS  # extract/ingest.py reads it with no code of its own
    assert DBT_SOURCES[source.name] == source.dbt_source
    assert source.dbt_source in _dbt_sources_defined()
    assert all(SOURCE_OF_AUDIT_KIND[kind] == source.name for kind in source.audit_kinds)
    assert SAMPLES[source.name] and all(path.is_file() for path in SAMPLES[source.name])


def test_every_published_statistics_source_has_its_table_definition():
    assert set(TABLES) == {source.name for source in sources_read_by("statistics")}
    assert all(definition.source == name for name, definition in TABLES.items())


@pytest.mark.parametrize("source", SOURCES, ids=SOURCE_IDS)
def test_every_source_has_its_suites_in_the_gate_and_its_indicator_in_the_catalogue(source: SourceSpec):
    from expectations.registry import SUITE_TABLES, suite_builders
    from expectations.suites.mart_prevention_indicators import EXPECTED_INDICATORS

    builders = suite_builders(frozenset(SOURCE_IDS), 0.5)
    assert source.suites
    for suite in source.suites:
        assert suite in builders and SUITE_TABLES[suite][1] == source.name, suite
    assert source.indicator in EXPECTED_INDICATORS[source.name]
    with (REPO_ROOT / "dbt_project" / "seeds" / "indicator_catalogue.csv").open(encoding="utf-8") as f:
        assert source.indicator in {row["indicator_id"] for row in csv.DictReader(f)}


def test_ctm_submit_takes_every_source_and_names_each_in_its_help(capsys):
    parser = build_parser()
    for source in SOURCES:
        assert parser.parse_args(["submit", "--source", source.name, "file.csv"]).source == source.name
    with pytest.raises(SystemExit):
        parser.parse_args(["submit", "--source", "not_a_source", "file.csv"])
    with pytest.raises(SystemExit):
        parser.parse_args(["submit", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert all(source.submitted_as in shown for source in SOURCES)


def test_the_deployment_creates_the_landing_folders_from_the_registry():
    compose = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
    init = " ".join(compose["services"]["airflow-init"]["command"])
    assert "get_settings().create_dirs()" in init
    assert not any(f"landing/{source.landing_folder}" in init for source in SOURCES)  # none by hand


def test_every_published_source_is_credited_in_every_release():
    """A release credits each publisher whose figures it carries (cover, datapackage.json): another
    publisher's source without a credit would be published unattributed."""
    from publish.package import SOURCE_ATTRIBUTION

    for source in SOURCES:
        assert source.credit or source.reader == "returns", f"{source.name} has no credit"
        if source.credit:
            assert source.credit in SOURCE_ATTRIBUTION, source.name


def test_the_catalogue_names_its_sources_by_the_registry_and_the_gate_expects_them_from_it():
    """The catalogue's `source` is the registry's key (a typo would make a series of its own that no
    check reads); each indicator the gate requires of a source is the catalogue's under that source,
    and of a publication in every release (a county table, from 2025 only, is not required)."""
    from expectations.suites.mart_prevention_indicators import EXPECTED_INDICATORS

    seeds = REPO_ROOT / "dbt_project" / "seeds"
    with (seeds / "indicator_catalogue.csv").open(encoding="utf-8") as f:
        catalogue = list(csv.DictReader(f))
    with (seeds / "source_publications.csv").open(encoding="utf-8") as f:
        in_every_release = {
            r["source_publication"]: r["is_in_every_release"] == "true" for r in csv.DictReader(f)
        }
    assert {row["source"] for row in catalogue} <= set(SOURCE_IDS)
    assert set(EXPECTED_INDICATORS) == set(SOURCE_IDS)
    for source, required in EXPECTED_INDICATORS.items():
        listed = {r["indicator_id"]: r["source_publication"] for r in catalogue if r["source"] == source}
        assert set(required) <= set(listed), (source, set(required) - set(listed))
        assert all(in_every_release[listed[indicator]] for indicator in required), source
    families = {
        p.stem for p in (REPO_ROOT / "dbt_project" / "models" / "intermediate" / "indicators").glob("*.sql")
    }
    assert {row["family_model"] for row in catalogue} <= families  # every indicator computed somewhere

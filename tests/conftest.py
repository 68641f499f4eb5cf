"""Fixtures shared by every test layer."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from ctm.demo import SAMPLE_RELEASES, SAMPLE_RETURNS, SAMPLE_TABLES, SAMPLE_WORKBOOK  # noqa: F401 (re-exported to tests)
from pipeline.settings import REPO_ROOT, Settings, get_settings
from tools.generate_nrm_sample import load_referrals, write_sample_workbook

# Tests that build the warehouse with dbt, run Airflow or the whole chain: `make test` runs them,
# `make test-fast` (pytest -m "not slow") leaves them out. Marked here, by where they live and the
# fixtures they use, so a new test is classified without anyone remembering to.
SLOW_LAYERS = {"dags", "dbt", "e2e", "expectations"}
# a data home with a warehouse (ingest runs GX), a real HTTP server, a built warehouse
SLOW_FIXTURES = {"home", "govuk", "built_home", "gate_dir", "reader_home"}

# make test-fast runs the property tests with a few examples each; make test with their own number
hypothesis_settings.register_profile("fast", max_examples=5)
if os.environ.get("HYPOTHESIS_PROFILE"):
    hypothesis_settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])


def catalogue_indicator_ids() -> list[str]:
    """Every indicator id of the catalogue seed, in its order: a test that counts indicators counts
    these, so a new catalogue row changes no test."""
    with (REPO_ROOT / "dbt_project" / "seeds" / "indicator_catalogue.csv").open(encoding="utf-8") as handle:
        return [row["indicator_id"] for row in csv.DictReader(handle)]


def pytest_collection_modifyitems(config, items):
    for item in items:
        layer = Path(str(item.fspath)).parent.name
        if layer in SLOW_LAYERS or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def referrals():
    """The real Table_2 figures shipped in data/nrm/."""
    return load_referrals()


@pytest.fixture
def home(tmp_path: Path) -> Settings:
    """A fresh, empty data home."""
    settings = get_settings(tmp_path / "home")
    settings.create_dirs()
    return settings


@pytest.fixture
def make_workbook(tmp_path: Path, referrals):
    """Write a workbook in the published layout (options as in generate_sample) and return its path."""
    counter = iter(range(1000))

    def make(name: str | None = None, table_referrals=None, **options) -> Path:
        path = tmp_path / (name or f"workbook-{next(counter)}.ods")
        return write_sample_workbook(
            path, table_referrals if table_referrals is not None else referrals, **options
        )

    return make


@pytest.fixture(scope="session")
def built_home(tmp_path_factory) -> Settings:
    """A data home with every sample release (2022 Q2 to 2023 Q4), the valid sample agency returns
    and the real Children in Need and police recorded crime tables ingested and the dbt project
    built (read-only use)."""
    from extract.ingest import ingest_nrm, ingest_returns, ingest_statistics
    from extract.landing import land_file
    from transform.build import build_warehouse

    settings = get_settings(tmp_path_factory.mktemp("built") / "home")
    for workbook in SAMPLE_RELEASES:
        land_file(settings, "nrm", workbook)
    summary = ingest_nrm(settings)
    assert sorted(summary.loaded) == [w.name for w in SAMPLE_RELEASES], summary.messages
    for agency_return in SAMPLE_RETURNS[:3]:  # the valid ones: councils, police, a correction
        land_file(settings, "returns", agency_return)
    assert len(ingest_returns(settings).loaded) == 3
    for source, table in SAMPLE_TABLES.items():
        land_file(settings, source, table)
    assert len(ingest_statistics(settings).loaded) == len(SAMPLE_TABLES)
    build_warehouse(settings)
    return settings


@pytest.fixture
def govuk():
    """A fake GOV.UK (Content API and asset host) on a real HTTP server on 127.0.0.1."""
    from tests.fixtures.govuk import FakeGovUk, start

    fake = start(FakeGovUk())
    yield fake
    fake.server.shutdown()
    fake.server.server_close()

"""Fixtures shared by every test layer."""

from __future__ import annotations

import contextlib
import csv
import fcntl
import os
import shutil
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


# The order the layers start in: the longest files first, so that pytest-xdist (make test, whole
# files to each worker) is not left waiting at the end on one worker's end-to-end test.
LAYER_ORDER = ("e2e", "dags", "dbt", "expectations", "unit")


def pytest_collection_modifyitems(config, items):
    for item in items:
        layer = Path(str(item.fspath)).parent.name
        if layer in SLOW_LAYERS or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    # stable: each file's tests keep their order (and every worker collects the same order)
    items.sort(key=lambda item: _layer_rank(Path(str(item.fspath)).parent.name))


def _layer_rank(layer: str) -> int:
    return LAYER_ORDER.index(layer) if layer in LAYER_ORDER else len(LAYER_ORDER)


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
def built_once(tmp_path_factory, worker_id) -> Path:
    """One data home with every sample release (2022 Q2 to 2023 Q4), the valid sample agency returns
    and the real Children in Need and police recorded crime tables ingested and the dbt project built,
    for the whole test run: the first pytest-xdist worker to ask builds it (~1 min), the others wait
    for it. Never used directly: each worker works on its own copy (`built_home`)."""
    # every worker's base temp is a folder of the run's; without xdist the run's own
    shared = (
        tmp_path_factory.getbasetemp().parent if worker_id != "master" else tmp_path_factory.getbasetemp()
    )
    home = shared / "built-once" / "home"
    with _exclusive(shared / "built-once.lock"):
        if not (shared / "built-once" / "complete").exists():
            shutil.rmtree(shared / "built-once", ignore_errors=True)  # a worker that failed half-way
            _build_sample_home(get_settings(home))
            (shared / "built-once" / "complete").touch()
    return home


@contextlib.contextmanager
def _exclusive(lock_path: Path):
    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _build_sample_home(settings: Settings) -> None:
    from extract.ingest import ingest_nrm, ingest_returns, ingest_statistics
    from extract.landing import land_file
    from transform.build import build_warehouse

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


def copy_home(source: Path, destination: Path) -> Settings:
    """A data home copied whole (warehouse, snapshot, dbt state, archive, releases), to change freely."""
    shutil.copytree(source, destination, symlinks=True)
    return get_settings(destination)


@pytest.fixture(scope="session")
def _sample_home(built_once, tmp_path_factory) -> Settings:
    """This worker's copy of the built sample home (`built_once`): what `built_home` gives."""
    settings = copy_home(built_once, tmp_path_factory.mktemp("built") / "home")
    before = _tree_state(settings.home)
    yield settings
    # the last line of defence: a module fixture that wrote to it before its first test ran
    changed = _changes(before, _tree_state(settings.home))
    assert not changed, f"something wrote to built_home, which is for reading: {changed}"


@pytest.fixture(scope="session")
def built_home(_sample_home) -> Settings:
    """The built sample home, for reading only: every test that asks for it fails if it changed any
    file of it (a test that writes copies it first, with copy_home). A module may override the name
    with its own copy (test_bundle does)."""
    return _sample_home


@pytest.fixture(autouse=True)
def _built_home_is_left_as_it_was(request):
    """After each test that asks for built_home: its files are as they were, or the test fails,
    named, and the home is restored from the run's one build for the tests after it."""
    if "built_home" not in request.fixturenames:
        yield
        return
    home = request.getfixturevalue("_sample_home").home
    before = _tree_state(home)
    yield
    changed = _changes(before, _tree_state(home))
    if changed:
        shutil.rmtree(home)
        shutil.copytree(request.getfixturevalue("built_once"), home, symlinks=True)
        pytest.fail(
            f"{request.node.nodeid} wrote to built_home, which is for reading: {changed}; "
            "give it its own copy (copy_home)"
        )


def _changes(before: dict, after: dict) -> list[str]:
    return sorted({path for path, _ in set(before.items()) ^ set(after.items())})


def _tree_state(root: Path) -> dict[str, tuple[int, int]]:
    """Every entry under root with its size and modification time (links not followed)."""
    return {
        str(path.relative_to(root)): (path.lstat().st_size, path.lstat().st_mtime_ns)
        for path in root.rglob("*")
        if not path.is_dir() or path.is_symlink()
    }


@pytest.fixture(scope="session")
def published_release(built_home, tmp_path_factory):
    """The built sample home, copied, through the quality gate and published: the one release the
    bundle, report, spreadsheet and reader tests look at (read-only use). Its home is
    `published_release.path.parents[1]`."""
    from expectations.validate import run_gate
    from publish.release import publish_release

    settings = copy_home(built_home.home, tmp_path_factory.mktemp("released") / "home")
    return publish_release(settings, run_gate(settings).results_dir)


@pytest.fixture
def govuk():
    """A fake GOV.UK (Content API and asset host) on a real HTTP server on 127.0.0.1."""
    from tests.fixtures.govuk import FakeGovUk, start

    fake = start(FakeGovUk())
    yield fake
    fake.server.shutdown()
    fake.server.server_close()

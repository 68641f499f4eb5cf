"""The shared fixtures keep their promises: built_home is for reading, and a test that writes to it
fails, named, while the tests after it see the home as it was built."""

from __future__ import annotations

from pipeline.settings import REPO_ROOT

pytest_plugins = ["pytester"]

# A run of its own, with the real guard over a tiny stand-in for the run's one build.
CONFTEST = """
import pytest
from tests.conftest import _built_home_is_left_as_it_was, _sample_home, built_home  # noqa: F401

@pytest.fixture(scope="session")
def built_once(tmp_path_factory):
    home = tmp_path_factory.mktemp("once") / "home"
    (home / "published").mkdir(parents=True)
    (home / "published" / "indicators.csv").write_text("indicator_id\\n")
    return home
"""

TESTS = """
def test_a_reader(built_home):
    assert (built_home.home / "published" / "indicators.csv").read_text() == "indicator_id\\n"

def test_a_writer(built_home):
    (built_home.home / "published" / "intruder.txt").write_text("x")
    (built_home.home / "published" / "indicators.csv").write_text("changed")

def test_a_reader_after_it(built_home):
    assert sorted(p.name for p in (built_home.home / "published").iterdir()) == ["indicators.csv"]
    assert (built_home.home / "published" / "indicators.csv").read_text() == "indicator_id\\n"
"""


def test_a_test_that_writes_to_built_home_fails_by_name_and_the_next_sees_it_unchanged(pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(REPO_ROOT))  # the inner run imports the guard from tests/
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_guarded=TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, errors=1)
    assert (
        "test_guarded.py::test_a_writer wrote to built_home, which is for reading: "
        "['published/indicators.csv', 'published/intruder.txt']" in result.stdout.str()
    )

"""The indicators per quarter are the families the indicator catalogue names (macros/
indicator_families.sql), and the series check's sources come from the catalogue: no list of
indicators or families of their own. A catalogue that disagrees with what indicator_quarters
declares fails the build, naming the family."""

from __future__ import annotations

import csv
import shutil

import duckdb
import pytest

from pipeline.settings import REPO_ROOT
from transform.build import TransformFailed, run_dbt

SEEDS = REPO_ROOT / "dbt_project" / "seeds"


def _seed(name: str) -> list[dict]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _quarterly(catalogue: list[dict]) -> list[dict]:
    return [row for row in catalogue if row["family_model"].startswith("indicator_quarters__")]


def test_the_quarters_are_the_catalogue_s_quarterly_families(built_home):
    catalogue = _seed("indicator_catalogue.csv")
    with duckdb.connect(str(built_home.warehouse_path), read_only=True) as con:
        unioned = {
            row[0]
            for row in con.execute(
                "select distinct indicator_id from intermediate.indicator_quarters"
            ).fetchall()
        }
        financial = {
            row[0]
            for row in con.execute(
                "select distinct indicator_id from intermediate.indicator_financial_years__children_in_need"
            ).fetchall()
        }
    assert _quarterly(catalogue) and unioned == {row["indicator_id"] for row in _quarterly(catalogue)}
    assert unioned.isdisjoint(financial)  # an indicator is in one family
    assert len(unioned | financial) == len(catalogue)


def test_a_series_must_reach_the_newest_quarter_of_its_catalogue_source(built_home):
    catalogue = _seed("indicator_catalogue.csv")
    in_every_release = {
        row["source_publication"]: row["is_in_every_release"] == "true"
        for row in _seed("source_publications.csv")
    }
    expected = {
        row["indicator_id"]: row["source"]
        if in_every_release[row["source_publication"]]
        else row["source_publication"]
        for row in _quarterly(catalogue)
    }
    assert not all(in_every_release.values())  # the county table has its own newest quarter
    with duckdb.connect(str(built_home.warehouse_path), read_only=True) as con:
        checked = dict(
            con.execute("select distinct indicator_id, source from quality.qa_indicator_series").fetchall()
        )
    assert checked == {indicator: source for indicator, source in expected.items() if indicator in checked}
    assert len(checked) == len(expected)  # every quarterly indicator has a series in the sample build


@pytest.fixture
def warehouse_copy(built_home, tmp_path):
    """A data home holding a copy of the built warehouse, to change the catalogue's table in."""
    copy = built_home.model_copy(update={"home": tmp_path / "home"})
    copy.warehouse_path.parent.mkdir(parents=True)
    shutil.copyfile(built_home.snapshot_path, copy.warehouse_path)
    return copy


def _compile_with_catalogue_change(settings, update: str) -> str:
    with duckdb.connect(str(settings.warehouse_path)) as con:
        assert con.execute(f"update staging.indicator_catalogue set {update}").fetchone()[0] == 1
    with pytest.raises(TransformFailed) as failed:
        run_dbt(settings, "compile", "--select", "indicator_quarters")
    return str(failed.value)


def test_a_declared_family_the_catalogue_does_not_name_fails_the_build(warehouse_copy):
    message = _compile_with_catalogue_change(
        warehouse_copy,
        "family_model = 'indicator_quarters__nrm_referrals' where indicator_id = 'dtn_reports'",
    )
    assert "indicator_quarters declares the families indicator_quarters__nrm_duty_to_notify" in message


def test_a_family_the_catalogue_names_but_the_model_does_not_declare_fails_the_build(warehouse_copy):
    # child_referrals' family keeps its other indicators: only the new name is not declared
    message = _compile_with_catalogue_change(
        warehouse_copy,
        "family_model = 'indicator_quarters__nrm_children' where indicator_id = 'child_referrals'",
    )
    assert "indicator_quarters__nrm_children" in message

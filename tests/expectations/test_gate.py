"""The GX gate passes the real marts and holds broken ones, naming the expectation and the rows."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from expectations.suites.mart_prevention_indicators import NATIONAL_AREAS
from expectations.validate import GateHeld, read_gate_frames, run_gate, validate_frames
from pipeline.settings import Settings
from tests.conftest import copy_home


@pytest.fixture(scope="module")
def frames(built_home):
    return read_gate_frames(built_home)


def _copy(frames):
    return {name: frame.copy() for name, frame in frames.items()}


def _broken_warehouse(built_home, tmp_path, statement: str) -> Settings:
    """A copy of the built warehouse with `statement` run on it: the views the gate reads see it."""
    broken_home = Settings(home=tmp_path / "home", dbt_project_dir=built_home.dbt_project_dir)
    broken_home.warehouse_path.parent.mkdir(parents=True)
    shutil.copy(built_home.warehouse_path, broken_home.warehouse_path)
    with duckdb.connect(str(broken_home.warehouse_path)) as con:
        con.execute(statement)
    return broken_home


def test_gate_passes_the_marts_built_from_real_data(built_home, tmp_path):
    result = run_gate(copy_home(built_home.home, tmp_path / "home"))  # the gate writes its results
    assert result.success and result.failures == []
    assert len(result.outcomes) > 20
    assert (result.results_dir / "validation_summary.json").exists()


def test_a_share_above_one_fails_and_is_named(frames):
    broken = _copy(frames)
    marts = broken["mart_prevention_indicators"]
    marts.loc[
        (marts.indicator_id == "child_share_of_referrals") & (marts.period_label == "2023-Q4"), "value"
    ] = 1.7

    result = validate_frames(broken)

    assert not result.success
    [failure] = result.failures
    assert failure.expectation == "expect_column_values_to_be_between" and "column='value'" in failure.kwargs
    assert failure.unexpected_count == 1 and failure.examples == ["1.7"]


def test_a_published_total_counted_as_detail_fails(frames):
    broken = _copy(frames)
    fct = broken["fct_nrm_referrals"]
    fct.loc[fct.index[0], "exploitation_location"] = "total"
    result = validate_frames(broken)
    assert [f.expectation for f in result.failures] == ["expect_column_values_to_be_in_set"]
    assert "exploitation_location" in result.failures[0].kwargs


def test_a_missing_indicator_and_negative_counts_fail(frames):
    broken = _copy(frames)
    marts = broken["mart_prevention_indicators"]
    marts = marts[marts.indicator_id != "referrals_age_unknown_share"].copy()
    marts.loc[marts.index[0], "numerator"] = -3
    broken["mart_prevention_indicators"] = marts
    failed = {f.expectation for f in validate_frames(broken).failures}
    assert "expect_column_distinct_values_to_contain_set" in failed
    assert "expect_column_values_to_be_between" in failed


def test_warnings_do_not_hold_the_release(frames):
    degraded = _copy(frames)
    marts = degraded["mart_prevention_indicators"]
    national = marts.index[marts.area_code.isin(NATIONAL_AREAS)]
    missing = national[: len(national) // 4]  # 25% of national figures missing, with their reason: above 20%
    marts.loc[missing, "value"] = None
    marts.loc[missing, "null_reason"] = "a source figure is missing"
    before = [w.expectation for w in validate_frames(frames).warnings]
    result = validate_frames(degraded)
    assert result.success
    assert [w.expectation for w in result.warnings if w.expectation not in before] == [
        "expect_column_values_to_not_be_null"
    ]


def test_the_first_responder_tables_are_reconciled_with_table_2_as_a_warning_with_both_figures(frames):
    """With the police table the four first-responder tables cover every referral: their child rows
    are checked against Table 2's child referrals of the same release (2023 Q4: 1,944 against 1,945)."""
    result = validate_frames(frames)
    assert result.success
    (warning,) = [w for w in result.warnings if w.suite == "nrm_published_totals"]
    assert warning.unexpected_count == 1
    assert warning.examples == [
        "first responders: child referrals against Table 2, nrm-2023-q4 2023-Q4 child: published 1945, parts sum to 1944"
    ]


def test_a_missing_value_without_its_reason_holds_the_release(frames):
    broken = _copy(frames)
    marts = broken["mart_prevention_indicators"]
    row = marts.index[marts["value"].notna()][0]
    marts.loc[row, "value"] = None  # no null_reason beside it
    (failed,) = validate_frames(broken).failures
    assert (
        failed.expectation == "expect_column_values_to_not_be_null"
        and "column='null_reason'" in failed.kwargs
    )
    assert failed.unexpected_count == 1


def test_run_gate_raises_with_a_readable_message(built_home, monkeypatch, frames, tmp_path):
    broken = _copy(frames)
    broken["mart_prevention_indicators"].loc[0, "unit"] = "percent"
    monkeypatch.setattr("expectations.validate.read_gate_frames", lambda settings: broken)
    with pytest.raises(GateHeld) as held:
        run_gate(copy_home(built_home.home, tmp_path / "home"))
    assert "quality gate held the release" in str(held.value)
    assert "expect_column_values_to_be_in_set(column='unit'" in str(held.value)
    assert (held.value.result.results_dir / "HELD.md").exists()


def test_a_decision_total_counted_as_detail_fails(frames):
    broken = _copy(frames)
    decisions = broken["fct_nrm_decisions"]
    decisions.loc[decisions.index[0], "outcome"] = "total"
    result = validate_frames(broken)
    assert [(f.suite, f.expectation) for f in result.failures] == [
        ("fct_nrm_decisions", "expect_column_values_to_be_in_set")
    ]


def test_a_large_change_on_the_period_before_is_a_warning_with_the_figures(frames):
    changes = _copy(frames)["indicator_changes"]
    changes.loc[len(changes)] = {
        "figures": "child_referrals K02000001: 2023-Q3 1848 -> 2023-Q4 3900",
        "relative_change": 1.11,
    }
    result = validate_frames({**frames, "indicator_changes": changes}, change_warning_ratio=0.5)
    assert result.success  # a warning does not hold the release
    (warning,) = [w for w in result.warnings if w.suite == "indicator_changes"]
    assert warning.examples == ["child_referrals K02000001: 2023-Q3 1848 -> 2023-Q4 3900"]


def test_a_year_that_is_not_its_quarters_holds_the_release_naming_the_row(built_home, tmp_path):
    broken_home = _broken_warehouse(
        built_home,
        tmp_path,
        "update marts.mart_prevention_indicators set numerator = numerator + 1, value = value + 1 "
        "where indicator_id = 'child_referrals' and period_label = '2023' and breakdown = 'all'",
    )

    frames = read_gate_frames(broken_home)
    result = validate_frames({"indicator_years": frames["indicator_years"]})

    [failure] = result.failures
    assert (failure.suite, failure.expectation, failure.unexpected_count) == (
        "indicator_years",
        "expect_column_values_to_be_in_set",
        1,
    )
    assert failure.examples == [
        "child_referrals 2023 K02000001 all: numerator 7433, quarters 7432 (4 quarters); "
        "denominator null, quarters null"
    ]
    # the real marts reconcile
    assert validate_frames({"indicator_years": read_gate_frames(built_home)["indicator_years"]}).success


def test_an_indicator_missing_from_a_quarter_holds_the_release_naming_the_series(built_home, tmp_path):
    broken_home = _broken_warehouse(  # a gap in one series, and another series that stops a quarter early
        built_home,
        tmp_path,
        "delete from marts.mart_prevention_indicators where period_type = 'quarter' and ("
        "(indicator_id = 'child_rg_positive_rate' and period_label = '2020-Q2') or "
        "(indicator_id = 'dtn_reports' and period_label = '2023-Q4'))",
    )

    result = validate_frames({"indicator_series": read_gate_frames(broken_home)["indicator_series"]})

    assert sorted((f.kwargs.split(",")[0], f.examples[0]) for f in result.failures) == [
        (
            "column='has_every_quarter'",
            "child_rg_positive_rate K02000001: 39 quarters from 2014-01-01 to 2023-10-01; "
            "newest quarter of its source 2023-10-01",
        ),
        (
            "column='reaches_newest_quarter'",
            "dtn_reports K04000001: 32 quarters from 2015-10-01 to 2023-07-01; newest quarter of its source 2023-10-01",
        ),
    ]
    assert validate_frames({"indicator_series": read_gate_frames(built_home)["indicator_series"]}).success


def test_breakdowns_that_do_not_sum_to_all_hold_the_release_naming_the_family(built_home, tmp_path):
    broken_home = _broken_warehouse(
        built_home,
        tmp_path,
        "update marts.mart_prevention_indicators set numerator = numerator + 7 "
        "where indicator_id = 'uk_national_share_of_child_referrals' and period_label = '2023-Q4' "
        "and breakdown = 'female'",
    )

    result = validate_frames({"breakdown_partitions": read_gate_frames(broken_home)["breakdown_partitions"]})

    [failure] = result.failures
    assert failure.unexpected_count == 1
    [example] = failure.examples
    assert example.startswith("uk_national_share_of_child_referrals 2023-Q4 K02000001 gender: all ")
    whole, parts = example.split(": all ")[1].split(" parts sum to ")
    assert int(parts.split("/")[0]) == int(whole.split("/")[0]) + 7  # the 7 added to 'female'
    assert validate_frames(
        {"breakdown_partitions": read_gate_frames(built_home)["breakdown_partitions"]}
    ).success

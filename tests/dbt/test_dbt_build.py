"""dbt build on the real sample: models, seeds, data tests, unit tests and contracts all pass;
and a published total that does not add up fails the build, naming the test."""

from __future__ import annotations

import csv
import json

import duckdb
import pytest

from expectations.validate import read_gate_frames, validate_frames
from extract.ingest import ingest_nrm
from extract.landing import land_file
from tests.conftest import SAMPLE_WORKBOOK, catalogue_indicator_ids
from tools.generate_nrm_sample import COUNTY_RELEASES, REFERENCE_DIR, RELEASES
from transform.build import TransformFailed, build_warehouse


def test_build_runs_data_tests_unit_tests_and_contracts(built_home):
    results = json.loads((built_home.dbt_target_dir / "run_results.json").read_text())["results"]
    statuses = {r["unique_id"]: r["status"] for r in results}
    exposures = {uid for uid in statuses if uid.startswith("exposure.")}
    assert {uid.split(".")[-1] for uid in exposures} == {
        "published_release",
        "release_report",
        "policy_queries",
    }
    assert all(status in ("success", "pass") for uid, status in statuses.items() if uid not in exposures), (
        statuses
    )
    unit_tests = [uid for uid in statuses if uid.startswith("unit_test.")]
    data_tests = [uid for uid in statuses if uid.startswith("test.")]
    # one per indicator family, the year rollup, the mart labels
    assert len(unit_tests) == 9 and len(data_tests) >= 40
    assert any("assert_indicator_quarters_sum_to_their_year" in uid for uid in data_tests)
    manifest = json.loads((built_home.dbt_target_dir / "manifest.json").read_text())
    marts = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    for name in ("fct_nrm_referrals", "fct_nrm_decisions", "mart_prevention_indicators", "dim_indicator"):
        assert marts[name]["config"]["contract"]["enforced"] is True
        assert marts[name]["schema"] == "marts"


def test_marts_hold_the_real_figures(built_home):
    with duckdb.connect(str(built_home.warehouse_path), read_only=True) as con:
        annual = dict(
            con.execute(
                "select period_label, numerator from marts.mart_prevention_indicators "
                "where indicator_id = 'child_referrals' and period_type = 'year'"
            ).fetchall()
        )
        share = con.execute(
            "select numerator, denominator, value, is_provisional from marts.mart_prevention_indicators "
            "where indicator_id = 'child_share_of_referrals' and period_label = '2023'"
        ).fetchone()
        totals_in_facts = con.execute(
            "select count(*) from marts.fct_nrm_referrals where exploitation_location = 'total'"
        ).fetchone()[0]
        indicators = con.execute("select count(*) from marts.dim_indicator").fetchone()[0]
    assert annual["2017"] == 2114 and annual["2023"] == 7432 and "2009" not in annual
    assert share[:2] == (7432, 16054) and share[2] == pytest.approx(7432 / 16054) and share[3] is True
    assert totals_in_facts == 0
    assert indicators == len(catalogue_indicator_ids())


def _child_referrals_in_extracts(kind: str, year: int) -> int:
    """Straight from data/nrm's CSVs (independent of the parser and dbt): child referrals in `year`
    by `kind` of first responder, detail rows only."""
    total = 0
    for quarter in range(1, 5):
        with (REFERENCE_DIR / f"nrm_referrals_{kind}_{year}_q{quarter}.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                labels = (row["First responder"], row["Exploitation type"], row["Gender"], row["Nationality"])
                if row["Age at exploitation"].startswith("Child") and not any(
                    label == "Total" or label.endswith(" total") for label in labels
                ):
                    total += int(row["People"])
    return total


def test_every_sample_release_is_a_vintage_and_the_first_responder_year_reconciles(built_home):
    with duckdb.connect(str(built_home.warehouse_path), read_only=True) as con:
        vintages = con.execute(
            "select source_vintage, tables_not_published = '' from marts.dim_nrm_vintage order by 1"
        ).fetchall()
        la_2023 = con.execute(
            "select numerator, denominator, source_vintage from marts.mart_prevention_indicators "
            "where indicator_id = 'la_first_responder_share_of_child_referrals' and period_label = '2023' "
            "and breakdown = 'all'"
        ).fetchone()
        quarters = con.execute(
            "select count(distinct period_label) from marts.fct_nrm_first_responder_referrals"
        ).fetchone()[0]
        genders = {
            row[0]
            for row in con.execute(
                "select distinct gender from marts.fct_nrm_first_responder_referrals"
            ).fetchall()
        }
        exploitation_parts, exploitation_all = con.execute(
            "select sum(denominator) filter (where breakdown in ('sexual', 'labour', 'domestic_servitude', 'criminal', 'organ_harvesting', 'multiple', 'unknown')), "
            "sum(denominator) filter (where breakdown = 'all') from marts.mart_prevention_indicators "
            "where indicator_id = 'uk_national_share_of_child_referrals' and period_label = '2023-Q4'"
        ).fetchone()
    assert [v for v, _ in vintages] == [f"nrm-{y}-q{q}" for y, q in (*RELEASES, *COUNTY_RELEASES)]
    assert [complete for _, complete in vintages] == [False] * 6 + [True] + [
        False
    ]  # 2025: the county table only
    assert la_2023 == (_child_referrals_in_extracts("local-authority", 2023), 7432, "nrm-2023-q4")
    assert quarters == 7
    assert "not_recorded" in genders  # 'Not Recorded', published in 2022 Q2 only
    assert exploitation_parts == exploitation_all  # exploitation groups partition the referrals


def _published_total_warnings(settings) -> list[str]:
    """The gate's warnings on published totals: the figures of every total that does not add up."""
    frames = read_gate_frames(settings)
    result = validate_frames({"nrm_published_totals": frames["nrm_published_totals"]})
    assert result.success  # a warning, never a hold
    return [example for warning in result.warnings for example in warning.examples]


def test_a_published_total_that_does_not_add_up_is_a_warning_not_a_failure(home):
    land_file(home, "nrm", SAMPLE_WORKBOOK)
    ingest_nrm(home)
    with duckdb.connect(str(home.warehouse_path)) as con:
        con.execute(
            "update raw.nrm_cells set value = value + 5 where table_key = 'nrm_referrals_age_location' "
            "and year = 2020 and quarter = 3 and column_group like 'Child%' and column_label = 'Total'"
        )
    build_warehouse(home)  # the indicators come from the detail cells, so the build goes on
    # the child Total no longer sums its locations, the all-ages Total its age groups, nor the
    # year's row its quarters
    assert sorted(set(_published_total_warnings(home)) - {REAL_TABLES_DIFFER}) == [
        "referrals: total of age groups, nrm-2023-q4 2020-Q3 all: published 2490, parts sum to 2495",
        "referrals: total of locations, nrm-2023-q4 2020-Q3 child: published 1167, parts sum to 1162",
        "referrals: year of quarters, nrm-2023-q4 2020 child/total: published 5016, parts sum to 5021",
    ]


# In the real 2023 Q4 release the four first-responder tables hold one child referral fewer than Table 2.
REAL_TABLES_DIFFER = "first responders: child referrals against Table 2, nrm-2023-q4 2023-Q4 child: published 1945, parts sum to 1944"


def test_the_real_first_responder_tables_reconcile_with_table_2_but_for_one_referral(home):
    land_file(home, "nrm", SAMPLE_WORKBOOK)
    ingest_nrm(home)
    build_warehouse(home)
    assert _published_total_warnings(home) == [REAL_TABLES_DIFFER]


def test_decision_indicators_hold_the_real_figures(built_home):
    with duckdb.connect(str(built_home.warehouse_path), read_only=True) as con:
        rg = con.execute(
            "select numerator, denominator from marts.mart_prevention_indicators "
            "where indicator_id = 'child_rg_positive_rate' and period_label = '2023'"
        ).fetchone()
        dtn_area = con.execute(
            "select distinct area_code, area_name from marts.mart_prevention_indicators where indicator_id = 'dtn_reports'"
        ).fetchall()
        decision_totals = con.execute(
            "select count(*) from marts.fct_nrm_decisions where outcome = 'total' or age_group = 'all'"
        ).fetchone()[0]
    assert rg == (4610, 6241)
    assert dtn_area == [("K04000001", "England and Wales")]
    assert decision_totals == 0


def test_an_annual_decision_total_that_does_not_add_up_is_a_warning(home):
    land_file(home, "nrm", SAMPLE_WORKBOOK)
    ingest_nrm(home)
    with duckdb.connect(str(home.warehouse_path)) as con:
        con.execute(
            "update raw.nrm_cells set value = value + 1 where table_key = 'nrm_conclusive_grounds' "
            "and year = 2019 and quarter is null and column_group like 'Child%' and column_label = 'Positive'"
        )
    build_warehouse(home)
    # two mismatches: the year's row no longer sums its quarters, nor is its Total negative + positive
    assert sorted(set(_published_total_warnings(home)) - {REAL_TABLES_DIFFER}) == [
        "conclusive_grounds decisions: total of outcomes, nrm-2023-q4 2019 child: published 1680, parts sum to 1681",
        "conclusive_grounds decisions: year of quarters, nrm-2023-q4 2019 child/positive: published 1476, parts sum to 1475",
    ]


def test_a_broken_model_fails_the_build_naming_it(home, tmp_path):
    land_file(home, "nrm", SAMPLE_WORKBOOK)
    ingest_nrm(home)
    with duckdb.connect(
        str(home.warehouse_path)
    ) as con:  # a contract breach: the key column loses its values
        con.execute(
            "update raw.nrm_cells set column_label = 'Somewhere' where table_key = 'nrm_referrals_age_location' and year = 2015 and quarter = 1 and column_label = 'UK'"
        )
    with pytest.raises(TransformFailed) as failed:
        build_warehouse(home)
    assert "not_null_stg_nrm__referrals_age_location_exploitation_location" in str(failed.value)

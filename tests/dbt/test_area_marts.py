"""The local picture on the real sample: the Children in Need, police recorded crime and NRM police
tables as marts and indicators by area, checked against the publishers' own figures."""

from __future__ import annotations

import duckdb
import pytest


@pytest.fixture(scope="module")
def query(built_home):
    con = duckdb.connect(str(built_home.warehouse_path), read_only=True)
    yield lambda sql, *params: con.execute(sql, list(params)).fetchall()
    con.close()


def _indicator(query, indicator, period, area):
    return query(
        "select numerator, denominator, value, null_reason from marts.mart_prevention_indicators "
        "where indicator_id = ? and period_label = ? and area_code = ? and breakdown = 'all'",
        indicator,
        period,
        area,
    )[0]


def test_offences_in_england_and_wales_are_the_home_office_s_by_financial_year(query):
    # 8,386 in 2019/20, 9,730 in 2021/22, 10,196 in 2022/23 (Home Office, 43 forces)
    for period, offences in {"2019-20": 8386, "2021-22": 9730, "2022-23": 10196}.items():
        numerator, denominator, value, _ = _indicator(
            query, "modern_slavery_offence_rate_per_100k", period, "K04000001"
        )
        assert numerator == offences
        assert value == pytest.approx(100000 * offences / denominator)
    # a force area's rate only where its population is known (mid-2022): the count stays, with why
    numerator, denominator, value, reason = _indicator(
        query, "modern_slavery_offence_rate_per_100k", "2021-22", "E23000001"
    )
    assert numerator > 0 and denominator is None and value is None and "no denominator" in reason


def test_children_in_need_rates_are_over_the_dfe_s_own_children_and_england_is_as_published(query):
    numerator, denominator, value, _ = _indicator(
        query, "cin_trafficking_rate_per_10k", "2024-25", "E92000001"
    )
    assert (numerator, denominator) == (2250, 12183016)  # England, and mid-2024 children
    assert value == pytest.approx(10000 * 2250 / 12183016)
    # child criminal exploitation has no figure before it was collected (2021-22): no row, not 0
    cce = query(
        "select min(period_label) from marts.mart_prevention_indicators "
        "where indicator_id = 'cin_child_criminal_exploitation_rate_per_10k'"
    )
    assert cce == [("2021-22",)]
    # a council the DfE suppressed has no rate, and says why
    suppressed = query(
        "select count(*) from marts.fct_children_in_need_factors f join marts.mart_prevention_indicators m "
        "on m.indicator_id = 'cin_trafficking_rate_per_10k' and m.area_code = f.area_code "
        "and m.period_label = f.period_label where f.factor = 'trafficking' and f.value_flag = 'c' "
        "and (m.value is not null or m.null_reason <> 'suppressed by its publisher ([c] in the source)')"
    )
    assert suppressed == [(0,)]


def test_a_force_area_sums_its_councils_including_ones_abolished_since(query):
    """North Yorkshire's force area in 2022-23: York and the North Yorkshire county council (E10000023,
    abolished in April 2023) whose figures the DfE published under its old code."""
    councils = query(
        "select sum(episodes) from marts.fct_children_in_need_factors "
        "where period_label = '2022-23' and factor = 'child_criminal_exploitation' "
        "and area_code in ('E10000023', 'E06000014')"
    )[0][0]
    numerator, _, _, _ = _indicator(
        query, "cin_child_criminal_exploitation_rate_per_10k", "2022-23", "E23000009"
    )
    assert numerator == councils and councils > 0


def test_every_police_force_with_an_area_has_every_quarter_and_forces_without_one_are_kept_apart(query):
    per_area = query(
        "select area_code, count(*) from marts.mart_prevention_indicators "
        "where indicator_id = 'police_force_child_referral_rate_per_100k' and period_type = 'quarter' group by 1"
    )
    assert len(per_area) == 45  # 43 force areas, Scotland (Police Scotland), Northern Ireland (PSNI)
    assert {quarters for _, quarters in per_area} == {7}  # 2022-Q2 to 2023-Q4, 0 where none referred
    without_area = {
        force
        for (force,) in query(
            "select distinct police_force from marts.fct_nrm_police_force_referrals where not has_area"
        )
    }
    assert "British Transport Police" in without_area and "Tarian ROCU" in without_area
    # every child referral by the police is in a force's row: the areas' and the rest add up to the table
    by_forces = query(
        "select sum(referrals) from marts.fct_nrm_police_force_referrals where age_group = 'child' and period_label = '2023-Q4'"
    )[0][0]
    table = query(
        "select sum(referral_count) from marts.fct_nrm_first_responder_referrals "
        "where responder_type = 'police' and age_group = 'child' and period_label = '2023-Q4'"
    )[0][0]
    assert by_forces == table


def test_the_area_profiles_rank_the_force_areas_side_by_side(query):
    rows = query(
        "select nrm_police_child_referrals_rank, modern_slavery_offences_rank, modern_slavery_offences_count, "
        "councils from marts.mart_area_profiles where period_label = '2022-23' order by area_code"
    )
    assert len(rows) == 43
    assert sorted(r[1] for r in rows) == list(range(1, 44))  # every area ranked, no ties here
    assert sum(r[2] for r in rows) == 10196
    assert all(r[3] for r in rows)  # every force area names the councils inside it


def test_no_figure_the_dfe_suppressed_can_be_worked_out_from_the_sums_this_release_adds(built_home):
    """An outsider's attack on the Children in Need area tables: every figure the DfE suppressed ('c')
    an unknown count >= 0; the DfE's own margin (England, rounded to the nearest 10: within 5 of its
    councils' sum) and every margin this release adds (each force area, the sum of its councils).
    What the attacker can work out with ours must be no more than with the DfE's alone, and a force
    area is never published with a suppressed council inside it."""
    from publish.controlled import PUBLISHER_SUPPRESSED
    from publish.disclosure import KnownRelation, Relation, attack_intervals
    from publish.marts import read_release_marts

    indicators = read_release_marts(built_home).indicators
    with duckdb.connect(str(built_home.warehouse_path), read_only=True) as con:
        inside = con.execute(
            "select parent_area_code, list(area_code order by area_code) from marts.dim_area_membership "
            "where membership = 'police_force_area' group by 1"
        ).fetchall()
    councils_of = dict(inside)
    attacked = 0
    for indicator in ("cin_trafficking_rate_per_10k", "cin_child_criminal_exploitation_rate_per_10k"):
        for period in ("2022-23", "2024-25"):
            rows = {
                r["area_code"]: r
                for r in indicators
                if r["indicator_id"] == indicator and r["period_label"] == period
            }
            councils = [a for a in rows if a[:3] in ("E06", "E08", "E09", "E10")]
            hidden = {a for a in councils if (rows[a]["null_reason"] or "").startswith(PUBLISHER_SUPPRESSED)}
            counts = {a: rows[a]["numerator"] for a in rows if rows[a]["numerator"] is not None}
            dfe_margin = [KnownRelation(Relation("E92000001", tuple(councils)), 5)]
            ours = []
            for force, members in councils_of.items():
                members = [m for m in members if m in rows]
                if force in counts and members:
                    assert not hidden & set(members), f"{force} {period} published with a suppressed council"
                    ours.append(KnownRelation(Relation(force, tuple(members)), 0))
            assert hidden and ours, "the real tables have suppressed councils and published force areas"
            with_dfe = attack_intervals(counts, dfe_margin, hidden)
            with_ours = attack_intervals(counts, dfe_margin + ours, hidden)
            for cell in hidden:
                assert with_ours[cell] == pytest.approx(with_dfe[cell]), (indicator, period, cell)
            attacked += len(hidden)
    assert attacked > 20


def test_referrals_by_county_are_given_where_the_county_is_an_area(query):
    """The 2025 county table: a county that is one area (Bristol), or exactly the councils of one
    force area (the West Midlands metropolitan county is the West Midlands force area), gets the
    Home Office's figure; one that shares its council with another county (Inverness, and Ross and
    Cromarty: both Highland) is not an area and stays in the fact table only."""
    figures = dict(
        query(
            "select area_code, numerator from marts.mart_prevention_indicators "
            "where indicator_id = 'nrm_referrals_by_county' and period_label = '2025-Q3'"
        )
    )
    county = dict(query("select county, referral_count from marts.fct_nrm_referrals_by_county"))
    assert figures["E23000014"] == county["West Midlands"] == 209
    assert figures["E06000023"] == county["Bristol"]
    assert figures["E12000007"] == county["Greater London"]
    assert "S12000017" not in figures and "Inverness" in county
    assert 30 < len(figures) < len(county)

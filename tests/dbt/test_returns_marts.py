"""Agency returns through dbt: the latest return per agency and quarter, the agencies that have not
returned, and the return indicators, checked against the sample files read independently."""

from __future__ import annotations

import csv
from datetime import date

import duckdb
import pytest

from extract.ingest import ingest_returns
from extract.landing import land_file
from extract.sources.returns.definition import load_agencies
from tests.conftest import SAMPLE_RETURNS
from transform.build import build_warehouse

COUNCILS, _POLICE, CORRECTION = SAMPLE_RETURNS[:3]


def _figures(path) -> dict[tuple[str, str, str], int]:
    lines = path.read_text(encoding="cp1252").splitlines()[2:]  # below the synthetic-data note
    delimiter = ";" if ";" in lines[0] else ","
    return {
        (r["agency_code"], r["period"], r["measure"]): r["value"]
        for r in csv.DictReader(lines, delimiter=delimiter)
    }


@pytest.fixture(scope="module")
def returns_home(tmp_path_factory):
    from pipeline.settings import get_settings

    # a generous deadline, so that files received today count as on time
    settings = get_settings(tmp_path_factory.mktemp("returns") / "home").model_copy(
        update={"return_deadline_days": 100_000}
    )
    for path in (COUNCILS, CORRECTION):  # no police return: every force shows as not returned
        land_file(settings, "returns", path)
    assert ingest_returns(settings, today=date(2026, 11, 23)).loaded == [COUNCILS.name, CORRECTION.name]
    build_warehouse(settings)
    return settings


def _query(settings, sql):
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_latest_return_for_an_agency_and_quarter_is_the_one_used(returns_home):
    corrected, original = _figures(CORRECTION), _figures(COUNCILS)
    facts = dict(
        _query(
            returns_home,
            "select period_label || ' ' || measure, value from marts.fct_agency_returns where agency_code = 'E08000025'",
        )
    )
    for measure in ("children_missing", "prevention_spend_gbp"):
        assert float(facts[f"2024-Q3 {measure}"]) == float(corrected[("E08000025", "2024-Q3", measure)])
        assert float(facts[f"2024-Q2 {measure}"]) == float(original[("E08000025", "2024-Q2", measure)])
    assert (
        corrected[("E08000025", "2024-Q3", "children_missing")]
        != original[("E08000025", "2024-Q3", "children_missing")]
    )


def test_completeness_shows_who_has_not_returned(returns_home):
    missing = _query(
        returns_home,
        "select agency_type, count(*) filter (where not has_returned), count(*) from marts.mart_returns_completeness "
        "where period_label = '2024-Q3' group by 1 order by 1",
    )
    assert missing == [("children_services", 0, 207), ("police", 43, 43)]


def test_return_indicators(returns_home):
    rows = {
        (indicator, area, breakdown): (numerator, denominator, value)
        for indicator, area, breakdown, numerator, denominator, value in _query(
            returns_home,
            "select indicator_id, area_code, breakdown, numerator, denominator, value from marts.mart_prevention_indicators "
            "where period_label = '2024-Q3'",
        )
    }
    assert rows[("returns_on_time_share", "K02000001", "all")][:2] == (207, 250)
    assert rows[("returns_on_time_share", "K02000001", "police")][:2] == (0, 43)
    figures = {**_figures(COUNCILS), **_figures(CORRECTION)}  # the correction replaces Birmingham's Q3
    english = [
        a.code
        for a in load_agencies().values()
        if a.agency_type == "children_services" and a.country_code == "E92000001"
    ]
    england_missing = sum(int(figures[(code, "2024-Q3", "children_missing")]) for code in english)
    numerator, denominator, value = rows[("returns_missing_children_rate_per_10k", "E92000001", "all")]
    with (COUNCILS.parents[2] / "population" / "child_population_nations.csv").open(
        encoding="utf-8"
    ) as handle:
        population = next(
            int(r["population"])
            for r in csv.DictReader(handle)
            if r["year"] == "2024" and r["area_code"] == "E92000001"
        )
    assert (numerator, denominator) == (england_missing, population)
    assert value == pytest.approx(10_000 * england_missing / population)
    # Scotland has no 2024 population estimate in the source set: no rate, never a guessed one
    assert rows[("returns_missing_children_rate_per_10k", "S92000003", "all")][1:] == (None, None)

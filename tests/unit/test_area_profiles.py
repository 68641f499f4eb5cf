"""area_profiles.csv shows nothing indicators.csv hides, and ranks only the rates it shows."""

from __future__ import annotations

import re

from pipeline.settings import REPO_ROOT
from publish.area_profiles import AREA_PROFILE_FIELDS, MEASURES, area_profile_rows
from publish.schema import INDICATOR_FIELDS, SUPPRESSED


def _profile(area: str, rate: float, count: int = 10, period: str = "2022-23") -> dict:
    row = {name: None for name, _, _ in AREA_PROFILE_FIELDS}
    row.update(
        period_label=period,
        period_start_date=None,
        area_code=area,
        area_name=area,
        councils="",
        councils_straddling="",
    )
    for prefix in MEASURES:
        row.update({f"{prefix}_count": count, f"{prefix}_rate": rate, f"{prefix}_rank": None})
    return row


def _published(indicator: str, period: str, area: str, value: str) -> list[str]:
    row = dict.fromkeys((n for n, _, _ in INDICATOR_FIELDS), "")
    row.update(indicator_id=indicator, period_label=period, area_code=area, breakdown="all", value=value)
    return list(row.values())


def _column(rows: list[list[str]], name: str) -> list[str]:
    index = [n for n, _, _ in AREA_PROFILE_FIELDS].index(name)
    return [r[index] for r in rows]


def test_a_measure_shown_as_c_in_the_indicators_is_c_in_the_profile_and_leaves_no_gap_in_the_ranks():
    profiles = [_profile("E23000001", 9.0), _profile("E23000002", 7.0), _profile("E23000003", 5.0)]
    published = [
        _published("cin_trafficking_rate_per_10k", "2022-23", "E23000001", "9"),
        _published("cin_trafficking_rate_per_10k", "2022-23", "E23000002", SUPPRESSED),
    ]
    rows = area_profile_rows(profiles, published)
    assert _column(rows, "cin_trafficking_count") == ["10", SUPPRESSED, "10"]
    assert _column(rows, "cin_trafficking_rate") == ["9", SUPPRESSED, "5"]
    assert _column(rows, "cin_trafficking_rank") == ["1", SUPPRESSED, "2"]  # not 3: the gap would place it
    assert _column(rows, "modern_slavery_offences_rank") == ["1", "2", "3"]  # other measures untouched
    # a [c] of another period or area hides nothing here
    other = [_published("cin_trafficking_rate_per_10k", "2021-22", "E23000002", SUPPRESSED)]
    assert SUPPRESSED not in area_profile_rows(profiles, other)[1]


def test_ties_share_a_rank_and_an_area_without_a_rate_has_none():
    rows = area_profile_rows([_profile("A", 3.0), _profile("B", 3.0), _profile("C", None)], [])
    assert _column(rows, "nrm_police_child_referrals_rank") == ["1", "1", "[x]"]


def test_the_profile_measures_are_the_mart_s():
    """publish/area_profiles.py and mart_area_profiles.sql name the same measures and indicators."""
    sql = (
        REPO_ROOT / "dbt_project" / "models" / "marts" / "statistics" / "mart_area_profiles.sql"
    ).read_text()
    assert dict(re.findall(r"\('(\w+)', '(\w+)'\)", sql)) == MEASURES

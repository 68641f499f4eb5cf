"""area_profiles.csv: each police force area per financial year, the NRM, police and children's
services measures side by side (marts.mart_area_profiles), as the release publishes it.

Every measure of a profile is an indicator of indicators.csv (its financial-year row for the force
area), so the profile can show nothing indicators.csv hides: a measure whose rate is [c] there is
[c] here too, and the ranks are of the rates shown.
"""

from __future__ import annotations

from collections import defaultdict

from publish.controlled import format_cell
from publish.schema import INDICATOR_FIELDS, SUPPRESSED, published_fields

AREA_PROFILE_FIELDS = published_fields("mart_area_profiles")
# the profile's measures (column prefixes) and the indicator each is (as mart_area_profiles.sql)
MEASURES = {
    "nrm_police_child_referrals": "police_force_child_referral_rate_per_100k",
    "modern_slavery_offences": "modern_slavery_offence_rate_per_100k",
    "cin_trafficking": "cin_trafficking_rate_per_10k",
    "cin_child_criminal_exploitation": "cin_child_criminal_exploitation_rate_per_10k",
}


def area_profile_rows(profiles: list[dict], published_indicators: list[list[str]]) -> list[list[str]]:
    """The profiles as published: a measure whose rate indicators.csv shows as [c] (hidden by
    disclosure control, or suppressed by its publisher) is [c], and each rate's rank is among the
    rates shown."""
    names = [name for name, _, _ in INDICATOR_FIELDS]
    key = [names.index(n) for n in ("indicator_id", "period_label", "area_code", "breakdown", "value")]
    hidden = {
        (row[key[0]], row[key[1]], row[key[2]])
        for row in published_indicators
        if row[key[3]] == "all" and row[key[4]] == SUPPRESSED
    }
    shown = [dict(row) for row in profiles]
    for row in shown:
        for prefix, indicator in MEASURES.items():
            if (indicator, row["period_label"], row["area_code"]) in hidden:
                for suffix in ("count", "rate", "rank"):
                    row[f"{prefix}_{suffix}"] = SUPPRESSED
    _rerank(shown)
    names = [name for name, _, _ in AREA_PROFILE_FIELDS]
    return [[row[n] if row[n] == SUPPRESSED else format_cell(row[n]) for n in names] for row in shown]


def _rerank(rows: list[dict]) -> None:
    """Rank each period's shown rates again (1 = highest; ties share a rank), so a hidden rate leaves
    no gap in the ranks that would place it."""
    for prefix in MEASURES:
        by_period: dict[str, list[dict]] = defaultdict(list)
        for row in rows:
            if row[f"{prefix}_rate"] not in (None, SUPPRESSED):
                by_period[row["period_label"]].append(row)
        for period_rows in by_period.values():
            rates = sorted((r[f"{prefix}_rate"] for r in period_rows), reverse=True)
            for row in period_rows:
                row[f"{prefix}_rank"] = 1 + rates.index(row[f"{prefix}_rate"])

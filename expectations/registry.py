"""Which suite checks which table: the query that reads it from the warehouse, the source whose
data it needs, and the builder that makes the suite."""

from __future__ import annotations

from collections.abc import Callable

from pipeline.sources import SOURCES

# Suite name -> the query of the table it checks.
SUITE_QUERIES = {
    "mart_prevention_indicators": "select * from marts.mart_prevention_indicators order by all",
    "fct_nrm_referrals": "select * from marts.fct_nrm_referrals order by all",
    "fct_nrm_decisions": "select * from marts.fct_nrm_decisions order by all",
    "fct_agency_returns": "select * from marts.fct_agency_returns order by all",
    # the official statistics facts, with the two checks named as columns
    "fct_children_in_need_factors": (
        "select *, episodes is null and value_flag is null as missing_without_flag, "
        "value_flag = 'c' and episodes is not null as suppressed_but_published "
        "from marts.fct_children_in_need_factors order by all"
    ),
    "fct_police_recorded_modern_slavery": (
        "select *, offences is null and value_flag is null as missing_without_flag, "
        "value_flag = 'c' and offences is not null as suppressed_but_published "
        "from marts.fct_police_recorded_modern_slavery order by all"
    ),
    # the reconciliation views name each row with its figures (`figures`) for the messages
    "indicator_years": "select figures, reconciles from quality.qa_indicator_years order by all",
    "breakdown_partitions": "select figures, reconciles from quality.qa_breakdown_partitions order by all",
    "indicator_series": (
        "select figures, has_every_quarter, reaches_newest_quarter from quality.qa_indicator_series order by all"
    ),
    "nrm_published_totals": "select figures, reconciles from quality.qa_nrm_published_totals order by all",
    # each headline figure of the newest quarter beside the quarter before, for the change warning
    "indicator_changes": "select figures, relative_change from quality.qa_indicator_changes order by all",
}
# The source whose data a suite needs (the registry of sources says which suites are a source's);
# a suite of no source checks what every release has.
SUITE_SOURCE = {suite: source.name for source in SOURCES for suite in source.suites}
# Suite name -> (query of the table it checks, the source whose data it needs or None for all).
SUITE_TABLES = {name: (query, SUITE_SOURCE.get(name)) for name, query in SUITE_QUERIES.items()}


def suite_builders(sources: frozenset[str], change_warning_ratio: float) -> dict[str, Callable]:
    # Imported here: great_expectations takes seconds to import (kept off DAG parse paths).
    from expectations.suites.fct_agency_returns import build_fct_agency_returns_suite
    from expectations.suites.fct_nrm_decisions import build_fct_nrm_decisions_suite
    from expectations.suites.fct_nrm_referrals import build_fct_nrm_referrals_suite
    from expectations.suites.indicator_changes import build_indicator_changes_suite
    from expectations.suites.mart_prevention_indicators import build_mart_prevention_indicators_suite
    from expectations.suites.official_statistics_facts import (
        build_fct_children_in_need_factors_suite,
        build_fct_police_recorded_modern_slavery_suite,
    )
    from expectations.suites.reconciliations import (
        build_breakdown_partitions_suite,
        build_indicator_series_suite,
        build_indicator_years_suite,
        build_nrm_published_totals_suite,
    )

    return {
        "indicator_changes": lambda: build_indicator_changes_suite(change_warning_ratio),
        "mart_prevention_indicators": lambda: build_mart_prevention_indicators_suite(sources),
        "fct_nrm_referrals": build_fct_nrm_referrals_suite,
        "fct_nrm_decisions": build_fct_nrm_decisions_suite,
        "fct_agency_returns": build_fct_agency_returns_suite,
        "fct_children_in_need_factors": build_fct_children_in_need_factors_suite,
        "fct_police_recorded_modern_slavery": build_fct_police_recorded_modern_slavery_suite,
        "indicator_years": build_indicator_years_suite,
        "indicator_series": build_indicator_series_suite,
        "breakdown_partitions": build_breakdown_partitions_suite,
        "nrm_published_totals": build_nrm_published_totals_suite,
    }

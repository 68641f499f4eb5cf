"""What must hold of marts.mart_prevention_indicators before anything is published."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.metadata_types import FailureSeverity
from great_expectations.expectations.row_conditions import Column

# Indicators a release must carry, by the source they come from: a release built from a source
# must carry every indicator of that source.
NRM_INDICATORS = [
    "child_referrals",
    "child_share_of_referrals",
    "referrals_age_unknown_share",
    "child_rg_positive_rate",
    "child_cg_positive_rate",
    "dtn_reports",
    "uk_national_share_of_child_referrals",
    "criminal_exploitation_share_of_child_referrals",
    "la_first_responder_share_of_child_referrals",
    "child_referral_rate_per_100k",
]
RETURNS_INDICATORS = [
    "returns_on_time_share",
    "returns_trafficking_concern_rate_per_10k",
    "returns_missing_children_rate_per_10k",
]
EXPECTED_INDICATORS = {
    "nrm": NRM_INDICATORS,
    "returns": RETURNS_INDICATORS,
    "children_in_need": [
        "cin_trafficking_rate_per_10k",
        "cin_child_criminal_exploitation_rate_per_10k",
        "cin_going_missing_rate_per_10k",
    ],
    "police_recorded_crime": ["modern_slavery_offence_rate_per_100k"],
}
KNOWN_UNITS = ["count", "ratio", "per_100k", "per_10k"]
# the UK, Great Britain, England and Wales, and the four nations
NATIONAL_AREAS = ["K02000001", "K03000001", "K04000001", "E92000001", "W92000004", "S92000003", "N92000002"]
COLUMNS = [
    "indicator_id",
    "period_type",
    "period_label",
    "period_start_date",
    "area_code",
    "area_name",
    "breakdown",
    "numerator",
    "denominator",
    "value",
    "unit",
    "source_vintage",
    "is_provisional",
    "null_reason",
    "value_year_earlier",
    "change_on_year_earlier",
]


def build_mart_prevention_indicators_suite(
    sources: frozenset[str] = frozenset({"nrm"}),
) -> gx.ExpectationSuite:
    expected = [indicator for source in sorted(sources) for indicator in EXPECTED_INDICATORS[source]]
    suite = gx.ExpectationSuite(name="mart_prevention_indicators")
    critical = {"severity": FailureSeverity.CRITICAL}
    suite.add_expectation(gxe.ExpectTableColumnsToMatchSet(column_set=COLUMNS, exact_match=True, **critical))
    suite.add_expectation(gxe.ExpectTableRowCountToBeBetween(min_value=1, **critical))
    suite.add_expectation(
        gxe.ExpectColumnDistinctValuesToContainSet(column="indicator_id", value_set=expected, **critical)
    )
    suite.add_expectation(
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["indicator_id", "period_type", "period_label", "area_code", "breakdown"], **critical
        )
    )
    for column in (
        "indicator_id",
        "period_type",
        "period_label",
        "area_code",
        "breakdown",
        "unit",
        "source_vintage",
    ):
        suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column=column, **critical))
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(
            column="period_type", value_set=["quarter", "year", "financial_year"], **critical
        )
    )
    suite.add_expectation(gxe.ExpectColumnValuesToBeInSet(column="unit", value_set=KNOWN_UNITS, **critical))
    suite.add_expectation(gxe.ExpectColumnValuesToBeBetween(column="numerator", min_value=0, **critical))
    suite.add_expectation(gxe.ExpectColumnValuesToBeBetween(column="denominator", min_value=0, **critical))
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeBetween(
            column="value", min_value=0, max_value=1, row_condition=Column("unit") == "ratio", **critical
        )
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeBetween(
            column="value", min_value=0, row_condition=Column("unit") != "ratio", **critical
        )
    )
    suite.add_expectation(
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="denominator",
            column_B="numerator",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            **critical,
        )
    )
    # A value may be missing (no population estimate, an agency that did not give the figure), but
    # never without saying why.
    suite.add_expectation(
        gxe.ExpectColumnValuesToNotBeNull(
            column="null_reason", row_condition=Column("value").is_null(), **critical
        )
    )
    # Most national values missing is worth a look, but the release may still go out. (By force area
    # and council, a null is expected wherever no population estimate exists; null_reason says so.)
    suite.add_expectation(
        gxe.ExpectColumnValuesToNotBeNull(
            column="value",
            mostly=0.8,
            row_condition=Column("area_code").is_in(NATIONAL_AREAS),
            severity=FailureSeverity.WARNING,
        )
    )
    return suite

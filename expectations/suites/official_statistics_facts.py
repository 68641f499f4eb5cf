"""What must hold of the facts of the official statistics tables before anything is published:
marts.fct_children_in_need_factors and marts.fct_police_recorded_modern_slavery. One figure per
area, period and measure; counts of 0 or more; a missing figure always carries the publisher's flag
(never read as 0); a figure the publisher suppressed ('c') stays missing."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.metadata_types import FailureSeverity

from expectations.suites.published_statistics import FLAGS


def _facts_suite(name: str, key: list[str], count: str) -> gx.ExpectationSuite:
    critical = {"severity": FailureSeverity.CRITICAL}
    suite = gx.ExpectationSuite(name=name)
    suite.add_expectation(gxe.ExpectTableRowCountToBeBetween(min_value=1, **critical))
    suite.add_expectation(gxe.ExpectCompoundColumnsToBeUnique(column_list=key, **critical))
    suite.add_expectation(gxe.ExpectColumnValuesToBeBetween(column=count, min_value=0, **critical))
    suite.add_expectation(gxe.ExpectColumnValuesToBeInSet(column="value_flag", value_set=FLAGS, **critical))
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(column="missing_without_flag", value_set=[False], **critical)
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(column="suppressed_but_published", value_set=[False], **critical)
    )
    return suite


def build_fct_children_in_need_factors_suite() -> gx.ExpectationSuite:
    return _facts_suite(
        "fct_children_in_need_factors", ["period_label", "area_level", "area_code", "factor"], "episodes"
    )


def build_fct_police_recorded_modern_slavery_suite() -> gx.ExpectationSuite:
    return _facts_suite("fct_police_recorded_modern_slavery", ["period_label", "force_name"], "offences")

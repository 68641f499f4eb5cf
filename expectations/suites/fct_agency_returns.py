"""What must hold of marts.fct_agency_returns: one row per agency, quarter and measure, real
agencies, non-negative figures, a missing figure always flagged."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.metadata_types import FailureSeverity


def build_fct_agency_returns_suite() -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="fct_agency_returns")
    critical = {"severity": FailureSeverity.CRITICAL}
    suite.add_expectation(gxe.ExpectTableRowCountToBeBetween(min_value=1, **critical))
    suite.add_expectation(
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["agency_code", "period_label", "measure"], **critical
        )
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(
            column="agency_type", value_set=["children_services", "police"], **critical
        )
    )
    suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column="agency_name", **critical))
    suite.add_expectation(gxe.ExpectColumnValuesToBeBetween(column="value", min_value=0, **critical))
    suite.add_expectation(
        gxe.ExpectColumnPairValuesToBeInSet(
            column_A="value_flag",
            column_B="value",
            value_pairs_set=[("[x]", None)],
            ignore_row_if="either_value_is_missing",
            **critical,
        )
    )
    return suite

"""What must hold of marts.fct_nrm_referrals: detail rows only, counts, one row per cell."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.metadata_types import FailureSeverity


def build_fct_nrm_referrals_suite() -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="fct_nrm_referrals")
    critical = {"severity": FailureSeverity.CRITICAL}
    suite.add_expectation(gxe.ExpectTableRowCountToBeBetween(min_value=1, **critical))
    suite.add_expectation(
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["period_label", "age_group", "exploitation_location"], **critical
        )
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(
            column="age_group", value_set=["adult", "child", "unknown"], **critical
        )
    )
    # 'total' here would mean a published total row counted as detail: double counting.
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(
            column="exploitation_location",
            value_set=["overseas", "uk", "uk_and_overseas", "unknown"],
            **critical,
        )
    )
    suite.add_expectation(gxe.ExpectColumnValuesToBeBetween(column="referral_count", min_value=0, **critical))
    suite.add_expectation(
        gxe.ExpectColumnValuesToMatchRegex(column="period_label", regex=r"^\d{4}-Q[1-4]$", **critical)
    )
    suite.add_expectation(
        gxe.ExpectColumnUniqueValueCountToBeBetween(
            column="source_vintage", min_value=1, max_value=1, **critical
        )
    )
    return suite

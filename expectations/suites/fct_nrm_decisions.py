"""What must hold of marts.fct_nrm_decisions: detail cells only, counts, one row per cell."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.metadata_types import FailureSeverity


def build_fct_nrm_decisions_suite() -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="fct_nrm_decisions")
    critical = {"severity": FailureSeverity.CRITICAL}
    suite.add_expectation(gxe.ExpectTableRowCountToBeBetween(min_value=1, **critical))
    suite.add_expectation(
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["decision_stage", "period_label", "age_group", "outcome"], **critical
        )
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(
            column="decision_stage", value_set=["reasonable_grounds", "conclusive_grounds"], **critical
        )
    )
    # 'all' ages or a 'total' outcome here would be a published total counted as detail.
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(
            column="age_group", value_set=["adult", "child", "unknown"], **critical
        )
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(column="outcome", value_set=["negative", "positive"], **critical)
    )
    suite.add_expectation(gxe.ExpectColumnValuesToBeBetween(column="decision_count", min_value=0, **critical))
    suite.add_expectation(
        gxe.ExpectColumnValuesToMatchRegex(column="period_label", regex=r"^\d{4}-Q[1-4]$", **critical)
    )
    return suite

"""What must hold of the cells read from an NRM workbook before they are loaded into raw.

The parser already refuses what is not a count; these expectations catch a workbook that reads
cleanly but cannot be right: a period or row published twice in one table (it would be counted
twice), a period after the quarter the release covers or before the NRM began (a typo in a
year), a negative count. Each carries the rule id and the advice the rejection report gives.
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.metadata_types import FailureSeverity

NRM_FIRST_YEAR = 2009  # the NRM began on 1 April 2009
CRITICAL = {"severity": FailureSeverity.CRITICAL}


def _meta(rule: str, message: str, fix: str) -> dict:
    return {"meta": {"rule": rule, "message": message, "fix": fix}}


def _non_negative(suite: gx.ExpectationSuite) -> None:
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeBetween(
            column="value",
            min_value=0,
            **_meta("count", "a count below zero", "Send the workbook as published."),
            **CRITICAL,
        )
    )


def build_nrm_table_cells_suite(release_period_key: int) -> gx.ExpectationSuite:
    """`release_period_key`: year * 10 + quarter of the quarter the release covers (e.g. 20234)."""
    suite = gx.ExpectationSuite(name="raw_nrm_table_cells")
    suite.add_expectation(
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["table", "year", "quarter", "group", "label"],
            **_meta(
                "period_once",
                "this period and column appear more than once in the table",
                "Keep one row per period in each table (check for a pasted-in duplicate row).",
            ),
            **CRITICAL,
        )
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeBetween(
            column="period_key",
            min_value=NRM_FIRST_YEAR * 10,
            max_value=release_period_key,
            **_meta(
                "period_in_release",
                f"a period before the NRM began ({NRM_FIRST_YEAR}) or after the quarter the release covers",
                "Check the year and quarter of the row (a typo in the year?).",
            ),
            **CRITICAL,
        )
    )
    _non_negative(suite)
    return suite


def build_nrm_responder_cells_suite() -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="raw_nrm_first_responder_cells")
    suite.add_expectation(
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=[
                "table",
                "first_responder",
                "exploitation_type",
                "age_at_exploitation",
                "gender",
                "nationality",
            ],
            **_meta(
                "row_once",
                "this first responder, exploitation type, age and gender appear more than once for the nationality",
                "Keep one row per first responder, exploitation type, age group and gender.",
            ),
            **CRITICAL,
        )
    )
    _non_negative(suite)
    return suite

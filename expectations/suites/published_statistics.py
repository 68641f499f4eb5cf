"""What must hold of every figure of an official statistics table (Children in Need, police recorded
crime) before it is loaded: the tidy figures the reader made, one row per figure.

The reader has already matched the header and read each cell; this suite checks what the figures
claim: known periods and area levels, ONS codes of the right form, counts of 0 or more, and a flag
on every missing figure (the publisher's shorthand: missing is never 0 and never unexplained).
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.metadata_types import FailureSeverity

PERIOD_PATTERN = r"^(?:\d{4}-\d{2}|\d{4}-Q[1-4])$"
AREA_LEVELS = ["country", "region", "subregion", "utla", "pfa", "force"]
AREA_CODE_PATTERN = r"^(?:[EKWSN]9\d{7}|E1[23]\d{6}|E(?:06|07|08|09|10)\d{6}|E23\d{6}|W15\d{6})$"
FLAGS = ["c", "x", "z", "u", "low"]


def build_published_statistics_suite(measures: list[str]) -> gx.ExpectationSuite:
    critical = {"severity": FailureSeverity.CRITICAL}
    suite = gx.ExpectationSuite(name="published_statistics")
    checks = [
        gxe.ExpectColumnValuesToMatchRegex(
            column="period",
            regex=PERIOD_PATTERN,
            meta={
                "rule": "period",
                "message": "not a financial year (2023-24) or a quarter (2023-Q2)",
                "fix": "Check the period columns of this row.",
            },
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="area_level",
            value_set=AREA_LEVELS,
            meta={
                "rule": "area_level",
                "message": "not a level of area the monitor knows",
                "fix": "Check the row's geography.",
            },
        ),
        gxe.ExpectColumnValuesToMatchRegex(
            column="area_code",
            regex=AREA_CODE_PATTERN,
            meta={
                "rule": "area_code",
                "message": "not the ONS code of a nation, region, council or police force area",
                "fix": "Give each row its ONS code (E92000001, E12000001, E09000001, E23000001...).",
            },
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="measure",
            value_set=measures,
            meta={
                "rule": "measure",
                "message": "not a measure of this table",
                "fix": "Send the table as published.",
            },
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="value",
            min_value=0,
            meta={"rule": "count", "message": "a count below 0", "fix": "Counts are 0 or more."},
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="value_flag",
            value_set=FLAGS,
            meta={
                "rule": "shorthand",
                "message": "not the publisher's shorthand (c, x, z, u, low)",
                "fix": "Use c (suppressed), x (not available), z (not applicable), u (low reliability) or low.",
            },
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="missing_without_flag",
            value_set=[False],
            meta={
                "rule": "missing_flagged",
                "message": "a missing figure without the shorthand that says why",
                "fix": "Write c, x, z or low where there is no figure (never leave it to be read as 0).",
            },
        ),
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["period", "area_level", "area_key", "measure"],
            meta={
                "rule": "one_row_per_area",
                "message": "the same area, period and measure more than once",
                "fix": "Send each area once per period.",
            },
        ),
    ]
    for expectation in checks:
        expectation.severity = critical["severity"]
        suite.add_expectation(expectation)
    return suite

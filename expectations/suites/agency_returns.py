"""What must hold of every row of an agency return, built from the return's definition.

The expectations run on the cleaned rows of a file before anything is loaded; each one carries
the rule id and the advice that the rejection report gives the agency (`meta`). Checks GX cannot
express (a measure belonging to the agency's kind, every measure present once per return,
children_missing <= missing_episodes, a finished quarter) are in extract/sources/returns/validate.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.metadata_types import FailureSeverity

if TYPE_CHECKING:  # the definition is passed in by extract, the stage above
    from extract.sources.returns.definition import Agency, ReturnDefinition

# the value rule: a non-negative number with at most 2 decimals, or the not-available marker
VALUE_PATTERN = r"^(?:\d+(?:\.\d{1,2})?|\[x\])$"


def build_agency_returns_suite(
    definition: ReturnDefinition, agencies: dict[str, Agency], successor_codes: Mapping[str, str]
) -> gx.ExpectationSuite:
    """`successor_codes`: new agency codes accepted for old ones (Barnsley, Sheffield)."""
    critical = {"severity": FailureSeverity.CRITICAL}
    suite = gx.ExpectationSuite(name="agency_returns")
    for column in definition.column_names:
        suite.add_expectation(
            gxe.ExpectColumnValuesToNotBeNull(
                column=column,
                meta={
                    "rule": "required",
                    "message": f"{column} is empty",
                    "fix": f"Fill in {column} on every row.",
                },
                **critical,
            )
        )
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(
            column="agency_code",
            value_set=sorted({*agencies, *successor_codes}),
            meta={
                "rule": "agency_code",
                "message": "not the code of a children's services authority or police force area in the ONS 2023 lists",
                "fix": "Use your organisation's ONS code, e.g. E06000001 (a council) or E23000001 (a police force area).",
            },
            **critical,
        )
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToMatchRegex(
            column="period",
            regex=re.sub(r"\((?!\?)", "(?:", definition.period_pattern.pattern),  # pandas warns on groups
            meta={
                "rule": "period_format",
                "message": "not a calendar quarter written YYYY-QN",
                "fix": "Write the quarter as e.g. 2024-Q3 (July to September 2024).",
            },
            **critical,
        )
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(
            column="measure",
            value_set=definition.all_measure_ids(),
            meta={
                "rule": "measure",
                "message": "not a measure of this return",
                "fix": "Use the measure ids of the template for your kind of agency (docs/returns.md).",
            },
            **critical,
        )
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToMatchRegex(
            column="value",
            regex=VALUE_PATTERN,
            meta={
                "rule": "value",
                "message": "not a number of 0 or more (at most 2 decimal places) or [x]",
                "fix": f"Enter a whole number (spend: at most 2 decimals), or {definition.not_available_marker} when not available.",
            },
            **critical,
        )
    )
    suite.add_expectation(
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["file", "agency_code", "period", "measure"],  # several files are validated at once
            meta={
                "rule": "measure_once",
                "message": "this measure appears more than once for the same agency and period",
                "fix": "Keep one row per measure for each agency and period.",
            },
            **critical,
        )
    )
    return suite

"""What must hold of the tables as published, after disclosure control: checked on the typed tables
read back from the Parquet written into the release (every format is cut from the same rows).

The one that matters most: no published count lies from 1 to the disclosure threshold. Every
expectation here is critical: a failure stops the release.
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.metadata_types import FailureSeverity
from great_expectations.expectations.row_conditions import Column

SHORTHAND = ["[c]", "[x]", "[z]"]
CRITICAL = {"severity": FailureSeverity.CRITICAL}


def _small_counts(threshold: int) -> list[float]:
    return [float(n) for n in range(1, threshold + 1)]


def _figure_expectations(
    suite: gx.ExpectationSuite,
    fields: list[str],
    threshold: int | None,
    rounding_base: int | None,
    condition=None,
) -> None:
    """Counts: never 1..threshold (unless None: public figures); with rounding, multiples of the base."""
    where = {"row_condition": condition} if condition is not None else {}
    for field in fields:
        if threshold is not None:
            suite.add_expectation(
                gxe.ExpectColumnValuesToNotBeInSet(
                    column=field, value_set=_small_counts(threshold), **where, **CRITICAL
                )
            )
        if rounding_base:
            suite.add_expectation(
                gxe.ExpectColumnValuesToBeInSet(
                    column=f"{field}_rounding_remainder", value_set=[0], **CRITICAL
                )
            )


def _shorthand_expectations(suite: gx.ExpectationSuite, fields: list[str]) -> None:
    for field in fields:
        suite.add_expectation(
            gxe.ExpectColumnValuesToBeInSet(column=f"{field}_flag", value_set=SHORTHAND, **CRITICAL)
        )
        # a missing figure always says why: suppressed, not available or not applicable
        suite.add_expectation(
            gxe.ExpectColumnValuesToNotBeNull(
                column=f"{field}_flag", row_condition=Column(field).is_null(), **CRITICAL
            )
        )


def _hidden_with(suite: gx.ExpectationSuite, field: str, hidden: str) -> None:
    """`field` is suppressed ([c]) wherever `hidden` is."""
    where = {"row_condition": Column(f"{hidden}_flag") == "[c]"}
    suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column=f"{field}_flag", **where, **CRITICAL))
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(column=f"{field}_flag", value_set=["[c]"], **where, **CRITICAL)
    )


def build_publication_indicators_suite(
    columns: list[str], threshold: int, rounding_base: int | None
) -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="publication_indicators")
    suite.add_expectation(gxe.ExpectTableColumnsToMatchOrderedList(column_list=columns, **CRITICAL))
    suite.add_expectation(gxe.ExpectTableRowCountToBeBetween(min_value=1, **CRITICAL))
    key = ["indicator_id", "period_type", "period_label", "area_code", "breakdown"]
    suite.add_expectation(gxe.ExpectCompoundColumnsToBeUnique(column_list=key, **CRITICAL))
    for column in (*key, "unit", "source_vintage", "is_provisional"):
        suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column=column, **CRITICAL))
    suite.add_expectation(
        gxe.ExpectColumnValuesToMatchRegex(
            column="period_label", regex=r"^\d{4}(?:-Q[1-4]|-\d{2})?$", **CRITICAL
        )
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(
            column="unit", value_set=["count", "ratio", "per_100k", "per_10k"], **CRITICAL
        )
    )
    for field in ("numerator", "denominator"):
        # a count its publisher prints already is public: the threshold does not apply to it
        _figure_expectations(
            suite,
            [field],
            threshold,
            rounding_base,
            condition=Column(f"{field}_already_published") == False,  # noqa: E712
        )
    # a count indicator's value is its count
    _figure_expectations(
        suite,
        ["value"],
        threshold,
        None,
        condition=(Column("unit") == "count") & (Column("numerator_already_published") == False),  # noqa: E712
    )
    _shorthand_expectations(suite, ["numerator", "denominator", "value"])
    suite.add_expectation(gxe.ExpectColumnValuesToBeBetween(column="numerator", min_value=0, **CRITICAL))
    suite.add_expectation(gxe.ExpectColumnValuesToBeBetween(column="denominator", min_value=0, **CRITICAL))
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeBetween(
            column="value", min_value=0, max_value=1, row_condition=Column("unit") == "ratio", **CRITICAL
        )
    )
    suite.add_expectation(gxe.ExpectColumnValuesToBeBetween(column="value", min_value=0, **CRITICAL))
    # a share or rate whose numerator is hidden is hidden too (else numerator = value x denominator)
    _hidden_with(suite, "value", "numerator")
    # a value not shown always says why
    suite.add_expectation(
        gxe.ExpectColumnValuesToMatchRegex(
            column="null_reason", regex=r"\S", row_condition=Column("value").is_null(), **CRITICAL
        )
    )
    # a figure its publisher suppressed stays suppressed: [c], never a number or 'not available'
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(
            column="numerator_flag",
            value_set=["[c]"],
            row_condition=Column("publisher_suppressed") == True,  # noqa: E712
            **CRITICAL,
        )
    )
    return suite


def build_publication_revisions_suite(
    columns: list[str], threshold: int, rounding_base: int | None
) -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="publication_revisions")
    suite.add_expectation(gxe.ExpectTableColumnsToMatchOrderedList(column_list=columns, **CRITICAL))
    suite.add_expectation(
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["table", "period_label", "column_group", "column_label"], **CRITICAL
        )
    )
    # Every figure here is one the Home Office printed, then and now: public, so the small-count rule
    # does not apply; rounding, when the policy asks for it, does.
    _figure_expectations(suite, ["previous_value", "value"], None, rounding_base)
    _shorthand_expectations(suite, ["previous_value", "value", "change"])
    # a change beside a hidden figure would give it away
    for field in ("previous_value", "value"):
        _hidden_with(suite, "change", field)
    return suite


def build_publication_disclosure_log_suite(columns: list[str]) -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="publication_disclosure_log")
    suite.add_expectation(gxe.ExpectTableColumnsToMatchOrderedList(column_list=columns, **CRITICAL))
    for column in ("table", "field", "reason"):
        suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column=column, **CRITICAL))
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(column="table", value_set=["indicators", "revisions"], **CRITICAL)
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToMatchRegex(column="reason", regex=r"^(?:primary|secondary): ", **CRITICAL)
    )
    return suite

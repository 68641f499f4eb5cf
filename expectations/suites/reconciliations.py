"""Totals that must add up, checked on the reconciliation views of the `quality` schema (one row per
total, beside the sum of its parts; `figures` names the row and both numbers).

- indicator_years (critical): a calendar year of the indicator mart is its quarters. A year that is
  not holds the release: the published figures would contradict each other.
- breakdown_partitions (critical): each breakdown family that partitions 'all' sums to it.
- indicator_series (critical): every quarterly series of the mart has every quarter from its first
  to its last, and reaches the newest quarter of its source: no indicator x period x area missing.
- nrm_published_totals (warning): a total the Home Office published equals the sum of its parts.
  The indicators are computed from the detail cells, never from published totals, so a source
  that does not add up is reported in the release's quality results without holding it.
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.metadata_types import FailureSeverity


def _reconciliation_suite(
    name: str, severity: FailureSeverity, columns: tuple[str, ...] = ("reconciles",)
) -> gx.ExpectationSuite:
    """Every row's check columns are true."""
    suite = gx.ExpectationSuite(name=name)
    for column in columns:
        suite.add_expectation(
            gxe.ExpectColumnValuesToNotBeNull(column=column, severity=FailureSeverity.CRITICAL)
        )
        suite.add_expectation(
            gxe.ExpectColumnValuesToBeInSet(column=column, value_set=[True], severity=severity)
        )
    return suite


def build_indicator_years_suite() -> gx.ExpectationSuite:
    return _reconciliation_suite("indicator_years", FailureSeverity.CRITICAL)


def build_breakdown_partitions_suite() -> gx.ExpectationSuite:
    return _reconciliation_suite("breakdown_partitions", FailureSeverity.CRITICAL)


def build_indicator_series_suite() -> gx.ExpectationSuite:
    return _reconciliation_suite(
        "indicator_series", FailureSeverity.CRITICAL, ("has_every_quarter", "reaches_newest_quarter")
    )


def build_nrm_published_totals_suite() -> gx.ExpectationSuite:
    return _reconciliation_suite("nrm_published_totals", FailureSeverity.WARNING)

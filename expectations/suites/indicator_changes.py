"""A headline figure that moved by more than a configured share since the period before: a warning
with the figures (`CTM_CHANGE_WARNING_RATIO`, 0.5 = 50% by default). Real changes happen; a reader
and the team should see them named before a release goes out, without it being held."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.metadata_types import FailureSeverity


def build_indicator_changes_suite(change_warning_ratio: float) -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="indicator_changes")
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeBetween(
            column="relative_change", max_value=change_warning_ratio, severity=FailureSeverity.WARNING
        )
    )
    return suite

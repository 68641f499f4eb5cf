"""The last line of defence: the publication suites on the tables as they will be published."""

from __future__ import annotations

import io
from collections.abc import Collection

from expectations.results import GateResult
from expectations.runner import run_suites
from pipeline.disclosure_policy import DisclosurePolicy
from publish.schema import DISCLOSURE_FIELDS


class PublishError(RuntimeError):
    pass


def publication_frames(
    parquet: dict[str, bytes],
    disclosure_rows: list[list[str]],
    policy: DisclosurePolicy,
    already_published: Collection[tuple[str, str]] = (),
    publisher_suppressed: Collection[str] = (),
) -> dict[str, tuple]:
    """(suite builder, frame) for every published table, read back from the Parquet as written.
    `already_published`: (indicator_id, field) whose every figure its publisher prints already;
    small counts are checked everywhere else. `publisher_suppressed`: rows (named as in failures,
    'indicator period area breakdown') whose figure its publisher suppressed: they must show [c]."""
    import pandas as pd
    import pyarrow.parquet as pq

    from expectations.suites.publication import (
        build_publication_disclosure_log_suite,
        build_publication_indicators_suite,
        build_publication_revisions_suite,
    )

    indicators = pq.read_table(io.BytesIO(parquet["indicators.parquet"])).to_pandas()
    revisions = pq.read_table(io.BytesIO(parquet["revisions.parquet"])).to_pandas()
    disclosure = pd.DataFrame(disclosure_rows, columns=[n for n, _, _ in DISCLOSURE_FIELDS], dtype="object")
    indicator_columns, revision_columns = list(indicators.columns), list(revisions.columns)
    for frame, counts in (
        (indicators, ("numerator", "denominator")),
        (revisions, ("previous_value", "value")),
    ):
        if policy.rounding_base:  # GX has no modulo: the remainder is checked beside the table
            for field in counts:
                frame[f"{field}_rounding_remainder"] = frame[field] % policy.rounding_base
    for field in ("numerator", "denominator"):
        printed = {indicator for indicator, name in already_published if name == field}
        indicators[f"{field}_already_published"] = indicators["indicator_id"].isin(printed)
    indicators["figures"] = _row_names(indicators, ["indicator_id", "period_label", "area_code", "breakdown"])
    indicators["publisher_suppressed"] = indicators["figures"].isin(set(publisher_suppressed))
    revisions["figures"] = _row_names(revisions, ["table", "period_label", "column_group", "column_label"])
    threshold, base = policy.threshold, policy.rounding_base
    return {
        "publication_indicators": (
            lambda: build_publication_indicators_suite(
                indicator_columns + _extra(indicators, indicator_columns), threshold, base
            ),
            indicators,
        ),
        "publication_revisions": (
            lambda: build_publication_revisions_suite(
                revision_columns + _extra(revisions, revision_columns), threshold, base
            ),
            revisions,
        ),
        "publication_disclosure_log": (
            lambda: build_publication_disclosure_log_suite(list(disclosure.columns)),
            disclosure,
        ),
    }


def _row_names(frame, columns: list[str]):
    """'child_referrals 2023-Q4 K02000001 all': how a failed check names the row."""
    names = frame[columns[0]].astype(str)
    for column in columns[1:]:
        names = names + " " + frame[column].astype(str)
    return names


def _extra(frame, published: list[str]) -> list[str]:
    """The columns added beside a published table for checking (row names, rounding remainders)."""
    return [c for c in frame.columns if c not in published]


def check_publication(
    parquet: dict[str, bytes],
    disclosure_rows: list[list[str]],
    policy: DisclosurePolicy,
    already_published: Collection[tuple[str, str]] = (),
    publisher_suppressed: Collection[str] = (),
) -> GateResult:
    """The last line of defence: the publication suites on the tables as written. No published count
    may lie between 1 and the threshold (unless its publisher prints it already); any failed
    expectation stops the release, naming the rows."""
    result = run_suites(
        publication_frames(parquet, disclosure_rows, policy, already_published, publisher_suppressed)
    )
    if not result.success:
        failures = "\n".join(f"  - {o.describe()}" for o in result.failures)
        raise PublishError(
            f"refusing to publish: the published tables fail {len(result.failures)} check(s)\n{failures}"
        )
    return result

"""The publication check on the tables a release is about to publish: a small count, a hidden value
without its reason, a figure its publisher suppressed, a table unfit to publish, or an unrounded
count under a rounding policy stops the release, naming the row."""

from __future__ import annotations

import re

import pytest

from pipeline.disclosure_policy import DisclosurePolicy
from publish.checks import PublishError, check_publication
from publish.formats import Table, parquet_bytes
from publish.schema import INDICATOR_FIELDS, REVISION_FIELDS

PUBLICATION_SUITES = ("publication_indicators", "publication_revisions", "publication_disclosure_log")


def _publication_check(
    rows: list[dict], policy: DisclosurePolicy | None = None, already_published=(), publisher_suppressed=()
):
    fields = [name for name, _, _ in INDICATOR_FIELDS]
    table = Table("Table_1", "t", INDICATOR_FIELDS, [[row[f] for f in fields] for row in rows])
    revisions = Table("Table_3", "t", REVISION_FIELDS, [])
    parquet = {"indicators.parquet": parquet_bytes(table), "revisions.parquet": parquet_bytes(revisions)}
    return check_publication(
        parquet, [], policy or DisclosurePolicy(), already_published, publisher_suppressed
    )


GOOD_ROW = {
    "indicator_id": "child_share_of_referrals",
    "period_type": "quarter",
    "period_label": "2023-Q1",
    "period_start_date": "2023-01-01",
    "area_code": "K02000001",
    "area_name": "United Kingdom",
    "breakdown": "all",
    "numerator": "30",
    "denominator": "120",
    "value": "0.25",
    "unit": "ratio",
    "source_vintage": "2023-q1",
    "is_provisional": "false",
    "null_reason": "",
}


def test_a_small_count_that_slipped_through_stops_the_release_naming_the_row():
    slipped = {**GOOD_ROW, "numerator": "3", "value": "0.025", "period_label": "2023-Q2"}
    with pytest.raises(PublishError) as refused:
        _publication_check([GOOD_ROW, slipped])
    message = str(refused.value)
    assert "publication_indicators: expect_column_values_to_not_be_in_set(column='numerator'" in message
    assert "child_share_of_referrals 2023-Q2 K02000001 all" in message  # the row, by name
    assert "2023-Q1" not in message  # the good row beside it is not blamed
    hidden = {
        **slipped,
        "numerator": "[c]",
        "value": "[c]",
        "null_reason": "numerator suppressed: a count from 1 to 4",
    }
    passed = _publication_check([GOOD_ROW, hidden])
    assert passed.success and {o.suite for o in passed.outcomes} == set(PUBLICATION_SUITES)


def test_a_hidden_value_without_its_reason_stops_the_release():
    unexplained = {
        **GOOD_ROW,
        "period_label": "2023-Q2",
        "numerator": "[c]",
        "value": "[c]",
        "null_reason": "",
    }
    with pytest.raises(PublishError) as refused:
        _publication_check([GOOD_ROW, unexplained])
    message = str(refused.value)
    assert "expect_column_values_to_match_regex(column='null_reason'" in message
    assert "child_share_of_referrals 2023-Q2 K02000001 all" in message and "2023-Q1" not in message


def test_a_small_count_its_publisher_prints_already_may_be_published_and_no_other():
    offences = {
        **GOOD_ROW,
        "indicator_id": "modern_slavery_offence_rate_per_100k",
        "area_code": "E23000002",
        "numerator": "3",
        "denominator": "503033",
        "value": "0.596",
        "unit": "per_100k",
    }
    printed = {("modern_slavery_offence_rate_per_100k", "numerator")}
    assert _publication_check([GOOD_ROW, offences], already_published=printed).success
    with pytest.raises(PublishError, match="modern_slavery_offence_rate_per_100k 2023-Q1 E23000002 all"):
        _publication_check([GOOD_ROW, offences])  # not declared printed: refused
    child_share = {**GOOD_ROW, "numerator": "3", "value": "0.025"}
    with pytest.raises(PublishError, match="child_share_of_referrals 2023-Q1 K02000001 all"):
        _publication_check([child_share, offences], already_published=printed)


def test_a_figure_its_publisher_suppressed_must_be_published_as_c():
    council = {**GOOD_ROW, "indicator_id": "cin_trafficking_rate_per_10k", "area_code": "E06000001"}
    name = {"cin_trafficking_rate_per_10k 2023-Q1 E06000001 all"}
    shown_as_missing = {
        **council,
        "numerator": "[x]",
        "denominator": "[x]",
        "value": "[x]",
        "null_reason": "not available",
    }
    with pytest.raises(
        PublishError, match=r"column='numerator_flag'.*cin_trafficking_rate_per_10k 2023-Q1 E06000001"
    ):
        _publication_check([GOOD_ROW, shown_as_missing], publisher_suppressed=name)
    kept = {
        **council,
        "numerator": "[c]",
        "denominator": "[x]",
        "value": "[c]",
        "null_reason": "suppressed by its publisher",
    }
    assert _publication_check([GOOD_ROW, kept], publisher_suppressed=name).success


@pytest.mark.parametrize(
    ("change", "expectation"),
    [
        ({"value": "0.3"}, "column='value_flag'"),  # a share whose numerator is hidden, still shown
        ({"numerator": "", "value": "[c]"}, "column='numerator_flag'"),  # a missing figure that says nothing
        ({"value": "1.5"}, "column='value', max_value=1"),  # a share above 1
    ],
)
def test_the_publication_suite_refuses_tables_that_are_not_fit_to_publish(change, expectation):
    row = {**GOOD_ROW, "numerator": "[c]", "value": "[c]", "null_reason": "numerator suppressed", **change}
    with pytest.raises(PublishError, match=re.escape(expectation)):
        _publication_check([row])


def test_with_rounding_a_count_that_is_not_a_multiple_of_the_base_stops_the_release():
    policy = DisclosurePolicy(threshold=4, rounding_base=5)
    _publication_check([GOOD_ROW], policy)
    with pytest.raises(PublishError, match="numerator_rounding_remainder"):
        _publication_check([{**GOOD_ROW, "numerator": "31"}], policy)

"""Disclosure control: small counts hidden, and no hidden cell recoverable from its relations."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline.disclosure_policy import DisclosurePolicy, round_to_base
from pipeline.settings import REPO_ROOT, Settings
from publish.controlled import disclosure_controlled_tables
from publish.disclosure import Relation, recoverable_cells, suppress
from publish.relations import Definitions, derive_relations

# The NRM's counts are public (printed by the Home Office); the machinery is tested on their shapes as
# if they were first published here, as agency returns are.
DEFINITIONS = dataclasses.replace(
    Definitions.from_seeds(REPO_ROOT / "dbt_project" / "seeds"), public=frozenset()
)


def indicator_relations(rows):
    return derive_relations(DEFINITIONS, rows)


def disclosure_controlled_indicators(rows, policy):
    controlled = disclosure_controlled_tables(rows, [], DEFINITIONS, policy)
    return controlled.indicators, controlled.log


def test_primary_suppression_hides_one_to_four_but_not_zero_or_five():
    counts = {"a": 0, "b": 1, "c": 4, "d": 5, "e": None}
    assert set(suppress(counts, [], threshold=4)) == {"b", "c"}


def test_secondary_suppression_stops_a_quarter_being_recovered_from_its_year():
    counts = {"q1": 3, "q2": 40, "q3": 25, "q4": 30, "year": 98}
    relations = [Relation("year", ("q1", "q2", "q3", "q4"))]
    primary_only = {"q1"}
    assert recoverable_cells(counts, relations, primary_only) == {"q1"}  # the attack works without it

    hidden = suppress(counts, relations, threshold=4)

    assert set(hidden) == {"q1", "q3"}  # the smallest non-zero partner
    assert hidden["q3"].startswith("secondary")
    assert recoverable_cells(counts, relations, hidden) == set()


def test_secondary_suppression_follows_chains_of_relations():
    # hiding b (partner of a in r1) exposes b in r2 unless a partner there is hidden too
    counts = {"a": 2, "b": 10, "t1": 12, "c": 50, "t2": 60}
    relations = [Relation("t1", ("a", "b")), Relation("t2", ("b", "c"))]
    hidden = suppress(counts, relations, threshold=4)
    assert recoverable_cells(counts, relations, hidden) == set()
    assert {"a", "b"} <= set(hidden)


def _row(indicator, period_type, label, numerator, denominator, unit="ratio"):
    value = None if numerator is None else (numerator if unit == "count" else numerator / denominator)
    return {
        "indicator_id": indicator,
        "period_type": period_type,
        "period_label": label,
        "period_start_date": None,
        "area_code": "K02000001",
        "area_name": "United Kingdom",
        "breakdown": "all",
        "numerator": numerator,
        "denominator": denominator,
        "value": value,
        "unit": unit,
        "source_vintage": "nrm-2023-q4",
        "is_provisional": False,
    }


def test_no_published_indicator_cell_reveals_a_small_count_or_can_be_recovered():
    quarters = [
        ("2018-Q1", 0, 600, 50),
        ("2018-Q2", 0, 700, 60),
        ("2018-Q3", 1, 800, 70),
        ("2018-Q4", 0, 900, 80),
    ]
    rows = []
    for label, unknown, known, child in quarters:
        rows.append(_row("referrals_age_unknown_share", "quarter", label, unknown, unknown + known))
        rows.append(_row("child_share_of_referrals", "quarter", label, child, known))
        rows.append(_row("child_referrals", "quarter", label, child, None, unit="count"))
    rows.append(_row("referrals_age_unknown_share", "year", "2018", 1, 3001))
    rows.append(_row("child_share_of_referrals", "year", "2018", 260, 3000))
    rows.append(_row("child_referrals", "year", "2018", 260, None, unit="count"))

    published, log = disclosure_controlled_indicators(rows, DisclosurePolicy(threshold=4))

    cells = [c for row in published for c in row[7:10]]
    assert not any(c.isdigit() and 1 <= int(c) <= 4 for c in cells)
    counts = {}
    for row in rows:
        for field in ("numerator", "denominator"):
            if row[field] is not None:
                counts[
                    (row["indicator_id"], row["period_type"], row["period_label"], "K02000001", "all", field)
                ] = row[field]
    hidden = {(r[1], "year" if "Q" not in r[2] else "quarter", r[2], r[3], r[4], r[5]) for r in log}
    assert recoverable_cells(counts, indicator_relations(rows), hidden) == set()
    # unknown = all - known: the known-age denominator of 2018-Q3 had to go too
    assert ("child_share_of_referrals", "quarter", "2018-Q3", "K02000001", "all", "denominator") in hidden
    # a ratio whose numerator or denominator is hidden is hidden as well
    q3 = next(r for r in published if r[0] == "referrals_age_unknown_share" and r[2] == "2018-Q3")
    assert q3[7] == "[c]" and q3[9] == "[c]"


@pytest.mark.parametrize(
    ("value", "expected"), [(0, 0), (2, 0), (3, 5), (5, 5), (7, 5), (8, 10), (12, 10), (13, 15), (-8, -10)]
)
def test_rounding_to_the_nearest_five_rounds_halves_away_from_zero(value, expected):
    assert round_to_base(value, 5) == expected


def test_with_rounding_every_published_count_is_a_multiple_of_the_base_and_ratios_stay_unrounded():
    rows = [
        _row("child_referrals", "quarter", "2018-Q1", 2, None, unit="count"),
        _row("child_referrals", "quarter", "2018-Q2", 13, None, unit="count"),
        _row("child_share_of_referrals", "quarter", "2018-Q2", 13, 641),
    ]

    published, log = disclosure_controlled_indicators(rows, DisclosurePolicy(threshold=4, rounding_base=5))

    by_key = {(r[0], r[2]): r for r in published}
    # suppressed first (2 is never published, not even as 0), then rounded
    assert by_key[("child_referrals", "2018-Q1")][7:10] == ["[c]", "[z]", "[c]"]
    assert by_key[("child_referrals", "2018-Q2")][7:10] == ["15", "[z]", "15"]
    share = by_key[("child_share_of_referrals", "2018-Q2")]
    assert share[7:9] == ["15", "640"]
    assert float(share[9]) == pytest.approx(13 / 641)  # from the unrounded counts
    assert [entry[1:] for entry in log] == [
        ["child_referrals", "2018-Q1", "K02000001", "all", "numerator", "primary: count between 1 and 4"]
    ]
    assert "rounded to the nearest 5" in DisclosurePolicy(4, 5).describe()


@pytest.mark.parametrize(
    ("threshold", "base", "message"),
    [
        (5, 5, "would publish 6 as 5, a count the threshold suppresses"),
        (4, 1, "must be 2 or more"),
    ],
)
def test_a_rounding_policy_that_could_publish_a_small_count_is_refused(tmp_path, threshold, base, message):
    with pytest.raises(ValueError, match=message):
        Settings(home=tmp_path, disclosure_threshold=threshold, disclosure_rounding_base=base)
    Settings(home=tmp_path, disclosure_threshold=4, disclosure_rounding_base=5)  # the usual policy is fine


def test_a_count_published_under_two_names_is_hidden_under_both():
    """The probe: 2022-Q2 unknown-nationality child referrals were 1244 - 600 - 642 = 2, because the
    criminal share's UK-national denominator (hidden) is the UK-national share's numerator (shown)."""

    def row(indicator, breakdown, numerator, denominator):
        return {**_row(indicator, "quarter", "2022-Q2", numerator, denominator), "breakdown": breakdown}

    rows = [
        row("uk_national_share_of_child_referrals", "all", 600, 1244),
        row("criminal_exploitation_share_of_child_referrals", "all", 500, 1244),
        row("criminal_exploitation_share_of_child_referrals", "uk_national", 300, 600),
        row("criminal_exploitation_share_of_child_referrals", "non_uk_national", 199, 642),
        row("criminal_exploitation_share_of_child_referrals", "nationality_unknown", 1, 2),
    ]
    relations = indicator_relations(rows)
    assert any(
        r.total[0] == "uk_national_share_of_child_referrals" and r.parts[0][4] == "uk_national"
        for r in relations
    )
    counts = {
        (*k, field): r[field]
        for r in rows
        for field in ("numerator", "denominator")
        for k in [(r["indicator_id"], r["period_type"], r["period_label"], r["area_code"], r["breakdown"])]
    }
    hidden = suppress(counts, relations, threshold=4)
    assert recoverable_cells(counts, relations, hidden) == set()
    uk_denominator = (
        "criminal_exploitation_share_of_child_referrals",
        "quarter",
        "2022-Q2",
        "K02000001",
        "uk_national",
        "denominator",
    )
    uk_numerator = (
        "uk_national_share_of_child_referrals",
        "quarter",
        "2022-Q2",
        "K02000001",
        "all",
        "numerator",
    )
    assert (uk_denominator in hidden) == (uk_numerator in hidden)

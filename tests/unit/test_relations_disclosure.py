"""Disclosure control over indicators and revisions together, honouring the derived relations; and
counts their publisher prints already, which are published as printed.

The adversarial fixtures are written so that a relation missing from the derivation would let the
test's own attacker (its relations written out by hand here, independently of the derivation)
narrow a suppressed cell to within the suppression range."""

from __future__ import annotations

from publish.controlled import disclosure_controlled_tables
from publish.disclosure import Relation, attack_intervals
from publish.relations import derive_relations, indicator_cell, revision_cell
from tests.fixtures.relations import (
    AS_IF_FIRST_PUBLISHED,
    DEFINITIONS,
    LA_SHARE,
    POLICY,
    UK_SHARE,
    area_definitions,
    area_row,
    cell,
    published,
    row,
)


def attacker_intervals(rows, relations, controlled):
    """The attacker's view: every published figure, every [c] an unknown count >= 0."""
    shown = published(controlled)
    counts, hidden = {}, set()
    for r in rows:
        for field in ("numerator", "denominator"):
            key = indicator_cell(r, field)
            if r[field] is None:
                continue
            text = shown[(r["indicator_id"], r["period_label"], r["breakdown"], field)]
            if text == "[c]":
                hidden.add(key)
            else:
                counts[key] = int(text)
    return attack_intervals(counts, relations, hidden)


def test_the_attack_cannot_narrow_any_hidden_cell_of_an_adversarial_first_responder_table():
    """Four breakdown families over one count, cross-named cells, a year of quarters: small cells
    everywhere. The attacker's relations are written here by hand, from the meaning of each cell."""
    quarters = {
        # (la, uk_at_la, la_total): local-authority child referrals, UK nationals among them
        "2023-Q1": (3, 2, 3),
        "2023-Q2": (40, 38, 40),
        "2023-Q3": (2, 1, 2),
        "2023-Q4": (60, 59, 60),
    }
    rows = []
    for label, (la, uk_la, _) in quarters.items():
        ngo = 500
        rows += [
            row("child_referrals", "all", la + ngo, None, period=label, unit="count"),
            row(LA_SHARE, "all", la, la + ngo, period=label),
            row(UK_SHARE, "all", uk_la + 300, la + ngo, period=label),
            row(UK_SHARE, "local_authority", uk_la, la, period=label),
            row(UK_SHARE, "ngo", 300, ngo, period=label),
        ]
    year = {"la": 105, "uk_la": 100, "all": 105 + 2000}
    rows += [
        row("child_referrals", "all", year["all"], None, period="2023", unit="count"),
        row(LA_SHARE, "all", year["la"], year["all"], period="2023"),
        row(UK_SHARE, "all", year["uk_la"] + 1200, year["all"], period="2023"),
        row(UK_SHARE, "local_authority", year["uk_la"], year["la"], period="2023"),
        row(UK_SHARE, "ngo", 1200, 2000, period="2023"),
    ]
    controlled = disclosure_controlled_tables(rows, [], AS_IF_FIRST_PUBLISHED, POLICY)

    attacker = []
    for label in [*quarters, "2023"]:
        la_num, uk_la_den = (
            cell(LA_SHARE, "all", "numerator", label),
            cell(UK_SHARE, "local_authority", "denominator", label),
        )
        attacker.append(Relation(la_num, (uk_la_den,)))  # both: child referrals by local authorities
        attacker.append(
            Relation(
                cell(LA_SHARE, "all", "denominator", label),
                (cell("child_referrals", "all", "numerator", label),),
            )
        )
        attacker.append(
            Relation(
                cell(UK_SHARE, "all", "denominator", label),
                (cell("child_referrals", "all", "numerator", label),),
            )
        )
        for field in ("numerator", "denominator"):
            attacker.append(
                Relation(
                    cell(UK_SHARE, "all", field, label),
                    (cell(UK_SHARE, "local_authority", field, label), cell(UK_SHARE, "ngo", field, label)),
                )
            )
    for indicator, breakdown, field in [
        (LA_SHARE, "all", "numerator"),
        (UK_SHARE, "local_authority", "numerator"),
        (UK_SHARE, "local_authority", "denominator"),
        ("child_referrals", "all", "numerator"),
    ]:
        attacker.append(
            Relation(
                cell(indicator, breakdown, field, "2023"),
                tuple(cell(indicator, breakdown, field, q) for q in quarters),
            )
        )

    intervals = attacker_intervals(rows, attacker, controlled)
    assert intervals, "the fixture has suppressed cells"
    assert {c: i for c, i in intervals.items() if i[1] - i[0] <= POLICY.threshold} == {}


def revision(table, period, group, column, previous, value, revised=True):
    return {
        "table_key": table,
        "period_label": period,
        "column_group": group,
        "column_label": column,
        "previous_value": previous,
        "value": value,
        "change": None if previous is None else value - previous,
        "is_revised": revised,
        "previous_vintage": "nrm-2023-q3",
        "source_vintage": "nrm-2023-q4",
    }


def test_revisions_and_the_nrm_figures_they_revise_are_public_and_published_as_printed():
    """Every figure in revisions.csv was printed by the Home Office, then and now; so are the NRM
    counts the indicators are made of. A revised child total of 3 is published as 3, in both
    tables, and nothing is hidden on its account."""
    table, child = "nrm_referrals_age_location", "Child (17 or under)"
    revisions = [
        revision(table, "2023-Q1", child, "UK", 1, 3),
        revision(table, "2023-Q1", child, "Overseas", 0, 0, revised=False),
        revision(table, "2023-Q1", child, "Total", 1, 3),
        revision(table, "2023-Q1", "Adult (18 or over)", "Total", 600, 640),
        revision(table, "2023-Q1", "Total", "Total", 601, 643),
    ]
    indicators = [
        row("child_referrals", "all", 3, None, period="2023-Q1", unit="count"),
        row("child_share_of_referrals", "all", 3, 643, period="2023-Q1"),
    ]
    relations = derive_relations(DEFINITIONS, indicators, revisions)
    child_total_value = revision_cell(revisions[2], "value")
    assert any(  # the relation is still known (and used for counts that are not public)
        child_total_value in r.cells() and cell("child_referrals", "all", "numerator", "2023-Q1") in r.cells()
        for r in relations
    )
    controlled = disclosure_controlled_tables(indicators, revisions, DEFINITIONS, POLICY)
    rows = {(r[1], r[2], r[3]): r for r in controlled.revisions}
    assert len(rows) == 4  # the unrevised cell is not published
    assert rows[("2023-Q1", child, "Total")][5] == "1" and rows[("2023-Q1", child, "Total")][7] == "3"
    assert rows[("2023-Q1", child, "UK")][7] == "3"
    assert published(controlled)[("child_referrals", "2023-Q1", "all", "numerator")] == "3"
    assert controlled.log == []


def test_the_same_table_first_published_here_would_be_suppressed_and_its_relations_honoured():
    """The machinery the NRM no longer needs still protects a count first published here: with the
    NRM's definitions taken as not public, the child count of 3 is hidden in the indicators and
    the share over all referrals with it."""
    indicators = [
        row("child_referrals", "all", 3, None, period="2023-Q1", unit="count"),
        row("child_share_of_referrals", "all", 3, 643, period="2023-Q1"),
    ]
    controlled = disclosure_controlled_tables(indicators, [], AS_IF_FIRST_PUBLISHED, POLICY)
    shown = published(controlled)
    assert shown[("child_referrals", "2023-Q1", "all", "numerator")] == "[c]"
    assert shown[("child_share_of_referrals", "2023-Q1", "all", "numerator")] == "[c]"
    reasons = {r[0]: r[-1] for r in controlled.indicators}
    assert reasons["child_referrals"] == "numerator suppressed: a count from 1 to 4"


def test_a_count_its_publisher_prints_already_is_neither_hidden_nor_hidden_for():
    """Police recorded offences by force area are public: a 3 is published as 3, and nothing else is
    hidden to protect it."""
    memberships = [{"area_code": "E06000001", "parent_area_code": "E23000013"}]
    rows = [area_row(3, "2022-23", "E06000001"), area_row(3, "2022-23", "E23000013")]
    controlled = disclosure_controlled_tables(
        rows, [], area_definitions(public=True, memberships=memberships), POLICY
    )
    assert controlled.log == []
    assert {r[7] for r in controlled.indicators} == {"3"}
    # the same figures of a count that is not printed elsewhere are hidden
    kept = disclosure_controlled_tables(rows, [], area_definitions(memberships=memberships), POLICY)
    assert {r[7] for r in kept.indicators} == {"[c]"}

"""Relations between published cells, derived from the definitions (catalogue counts, breakdown
families, count sums, NRM cells), and disclosure control over indicators and revisions together.

The adversarial fixtures are written so that a relation missing from the derivation would let the
test's own attacker (its relations written out by hand here, independently of the derivation)
narrow a suppressed cell to within the suppression range."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline.disclosure_policy import DisclosurePolicy
from pipeline.settings import REPO_ROOT
from publish.controlled import disclosure_controlled_tables
from publish.disclosure import Relation, attack_intervals
from publish.relations import (
    CountRef,
    DefinitionError,
    Definitions,
    derive_relations,
    indicator_cell,
    revision_cell,
)

DEFINITIONS = Definitions.from_seeds(REPO_ROOT / "dbt_project" / "seeds")
# The NRM's counts are printed by the Home Office (public); the suppression machinery is exercised on
# their shapes as if they were first published here, as agency returns are.
AS_IF_FIRST_PUBLISHED = dataclasses.replace(DEFINITIONS, public=frozenset())
POLICY = DisclosurePolicy(threshold=4)
Q = "2022-Q2"
UK_SHARE, CRIMINAL_SHARE, LA_SHARE = (
    "uk_national_share_of_child_referrals",
    "criminal_exploitation_share_of_child_referrals",
    "la_first_responder_share_of_child_referrals",
)


def row(indicator, breakdown, numerator, denominator, period=Q, area="K02000001", unit="ratio"):
    return {
        "indicator_id": indicator,
        "period_type": "quarter" if "-Q" in period else "year",
        "period_label": period,
        "period_start_date": None,
        "area_code": area,
        "area_name": "United Kingdom",
        "breakdown": breakdown,
        "numerator": numerator,
        "denominator": denominator,
        "value": None if numerator is None else (numerator if unit == "count" else numerator / denominator),
        "unit": unit,
        "source_vintage": "nrm-2022-q2",
        "is_provisional": False,
    }


def cell(indicator, breakdown, field, period=Q, area="K02000001"):
    return indicator_cell(row(indicator, breakdown, None, None, period, area), field)


def published(controlled) -> dict[tuple, str]:
    """{(indicator, period, breakdown, field): published text}"""
    return {
        (r[0], r[2], r[6], field): r[7 + i]
        for r in controlled.indicators
        for i, field in enumerate(("numerator", "denominator"))
    }


def related(relations, one, other) -> bool:
    """Some relation says `one` and `other` are the same figure."""
    return any(set(r.cells()) == {one, other} for r in relations)


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


def test_a_count_reference_names_its_filters_and_a_bad_one_is_refused():
    reference = CountRef.parse("nrm_first_responder_child_referrals[nationality_group=uk_national]")
    assert reference.count == "nrm_first_responder_child_referrals"
    assert reference.filters == {("nationality_group", "uk_national")}
    assert reference.narrowed("nationality_group", "non_uk_national") is None  # no such cell
    with pytest.raises(DefinitionError, match=r"'nrm_x\[uk\]': 'uk' is not dimension=value"):
        CountRef.parse("nrm_x[uk]")


def test_a_count_the_catalogue_names_but_nobody_defined_is_an_error():
    catalogue = [
        {"indicator_id": "new_indicator", "numerator_count": "nrm_new_count", "denominator_count": None}
    ]
    counts = [{"count": "nrm_child_referrals"}]
    with pytest.raises(DefinitionError, match=r"not defined in indicator_counts: \['nrm_new_count'\]"):
        Definitions.from_rows(catalogue, counts, [])


def test_the_local_authority_share_numerator_is_the_uk_national_share_denominator_for_local_authorities():
    """Found by derivation, missed by the hand-kept list: both are the child referrals made by local
    authorities. Shown in one and hidden in the other, the hidden one would be read off the shown."""
    rows = [
        row(LA_SHARE, "all", 3, 1244),
        row(UK_SHARE, "local_authority", 2, 3),
        row(UK_SHARE, "all", 600, 1244),
        row("child_referrals", "all", 1244, None, unit="count"),
    ]
    relations = derive_relations(AS_IF_FIRST_PUBLISHED, rows)
    assert related(
        relations, cell(UK_SHARE, "local_authority", "denominator"), cell(LA_SHARE, "all", "numerator")
    )
    # the share's denominator is every child referral, the same count as child_referrals
    assert related(
        relations, cell(LA_SHARE, "all", "denominator"), cell("child_referrals", "all", "numerator")
    )

    shown = published(disclosure_controlled_tables(rows, [], AS_IF_FIRST_PUBLISHED, POLICY))
    assert shown[(LA_SHARE, Q, "all", "numerator")] == "[c]"
    assert shown[(UK_SHARE, Q, "local_authority", "denominator")] == "[c]"


def test_counts_that_only_sound_alike_are_not_equated():
    """The criminal share counts referrals whose exploitation *includes* criminal; the exploitation
    group 'criminal' is criminal alone. Equating them would be a false relation."""
    rows = [
        row(UK_SHARE, "criminal", 40, 90),
        row(CRIMINAL_SHARE, "uk_national", 55, 600),
    ]
    relations = derive_relations(DEFINITIONS, rows)
    assert not related(
        relations, cell(UK_SHARE, "criminal", "numerator"), cell(CRIMINAL_SHARE, "uk_national", "numerator")
    )
    # what is true: UK-national child referrals include those of criminal exploitation alone, and
    # the other exploitation groups of UK nationals are not published: at least, not equal
    uk_nationals = cell(CRIMINAL_SHARE, "uk_national", "denominator")
    assert Relation(uk_nationals, (cell(UK_SHARE, "criminal", "numerator"),), complete=False) in relations


def test_police_is_an_agency_type_for_returns_and_a_responder_type_for_the_nrm():
    rows = [
        row("returns_on_time_share", "all", 13, 20),
        row("returns_on_time_share", "children_services", 10, 15),
        row("returns_on_time_share", "police", 3, 5),
        row(UK_SHARE, "all", 600, 1244),
        row(UK_SHARE, "police", 100, 300),
    ]
    relations = derive_relations(AS_IF_FIRST_PUBLISHED, rows)
    agency_sum = Relation(
        cell("returns_on_time_share", "all", "numerator"),
        (
            cell("returns_on_time_share", "children_services", "numerator"),
            cell("returns_on_time_share", "police", "numerator"),
        ),
    )
    assert agency_sum in relations
    assert all({c[0] for c in r.cells()} != {"returns_on_time_share", UK_SHARE} for r in relations)
    # the probe: police on time = 13 - 10 was recovered; now a partner is hidden with it
    shown = published(disclosure_controlled_tables(rows, [], AS_IF_FIRST_PUBLISHED, POLICY))
    assert shown[("returns_on_time_share", Q, "police", "numerator")] == "[c]"
    assert [shown[("returns_on_time_share", Q, b, "numerator")] for b in ("all", "children_services")].count(
        "[c]"
    ) >= 1


def test_an_area_is_the_sum_of_the_areas_inside_it():
    definitions = Definitions.from_rows(
        [
            {
                "indicator_id": "returns_on_time_share",
                "numerator_count": "returns_received_on_time",
                "denominator_count": "returns_expected",
            }
        ],
        [{"count": "returns_received_on_time"}, {"count": "returns_expected"}],
        [],
        [
            {"area_code": "E92000001", "parent_area_code": "K02000001"},
            {"area_code": "W92000004", "parent_area_code": "K02000001"},
        ],
    )
    rows = [
        row("returns_on_time_share", "all", 30, 40),
        row("returns_on_time_share", "all", 28, 35, area="E92000001"),
        row("returns_on_time_share", "all", 2, 5, area="W92000004"),
    ]
    controlled = disclosure_controlled_tables(rows, [], definitions, POLICY)
    hidden = {(r[1], r[3], r[5]) for r in controlled.log}
    assert ("returns_on_time_share", "W92000004", "numerator") in hidden
    assert {
        ("returns_on_time_share", "E92000001", "numerator"),
        ("returns_on_time_share", "K02000001", "numerator"),
    } & hidden


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


def _area_definitions(public: bool = False, memberships=()) -> Definitions:
    return Definitions.from_rows(
        [{"indicator_id": "area_rate", "numerator_count": "area_count", "denominator_count": "area_people"}],
        [
            {"count": "area_count", "already_published": "by_publisher" if public else None},
            {"count": "area_people", "over_a_year": "same"},
        ],
        [],
        memberships,
    )


def _area_row(numerator, period="2022-Q2", area="E23000013", denominator=100000):
    data = row("area_rate", "all", numerator, denominator, period=period, area=area, unit="per_100k")
    if "-Q" not in period:
        data["period_type"] = "financial_year" if "-" in period else "year"
    return data


def test_a_financial_year_is_the_sum_of_its_april_to_march_quarters():
    """2022-23 is 2022-Q2, Q3, Q4 and 2023-Q1: hiding one quarter alone would let it be read off."""
    quarters = {"2022-Q2": 30, "2022-Q3": 2, "2022-Q4": 40, "2023-Q1": 35, "2022-Q1": 50}
    rows = [_area_row(v, q) for q, v in quarters.items()] + [_area_row(107, "2022-23")]
    relations = derive_relations(_area_definitions(), rows)
    year = indicator_cell(_area_row(None, "2022-23"), "numerator")
    [relation] = [r for r in relations if r.total == year]
    assert set(relation.parts) == {
        indicator_cell(_area_row(None, q), "numerator") for q in ("2022-Q2", "2022-Q3", "2022-Q4", "2023-Q1")
    }
    controlled = disclosure_controlled_tables(rows, [], _area_definitions(), POLICY)
    hidden = {(r[2], r[5]) for r in controlled.log}
    assert ("2022-Q3", "numerator") in hidden and len({p for p, f in hidden if f == "numerator"}) >= 2


def test_a_council_is_summed_into_its_police_force_area():
    """The force area's figure is the sum of the councils inside it (dim_area_membership), so a
    hidden council cannot be read off the area and the other councils."""
    memberships = [
        {"area_code": "E06000001", "parent_area_code": "E23000013"},
        {"area_code": "E06000002", "parent_area_code": "E23000013"},
        {"area_code": "E06000001", "parent_area_code": "E12000001"},  # and its region: two memberships
    ]
    rows = [
        _area_row(12, "2022-23", "E23000013"),
        _area_row(3, "2022-23", "E06000001"),
        _area_row(9, "2022-23", "E06000002"),
    ]
    definitions = _area_definitions(memberships=memberships)
    relations = derive_relations(definitions, rows)
    force = indicator_cell(rows[0], "numerator")
    assert any(
        r.total == force and set(r.parts) == {indicator_cell(x, "numerator") for x in rows[1:]}
        for r in relations
    )
    controlled = disclosure_controlled_tables(rows, [], definitions, POLICY)
    hidden = {(r[3], r[5]) for r in controlled.log}
    assert ("E06000001", "numerator") in hidden  # 3: primary
    assert ("E06000002", "numerator") in hidden or ("E23000013", "numerator") in hidden  # its partner


def test_a_count_its_publisher_prints_already_is_neither_hidden_nor_hidden_for():
    """Police recorded offences by force area are public: a 3 is published as 3, and nothing else is
    hidden to protect it."""
    memberships = [{"area_code": "E06000001", "parent_area_code": "E23000013"}]
    rows = [_area_row(3, "2022-23", "E06000001"), _area_row(3, "2022-23", "E23000013")]
    controlled = disclosure_controlled_tables(
        rows, [], _area_definitions(public=True, memberships=memberships), POLICY
    )
    assert controlled.log == []
    assert {r[7] for r in controlled.indicators} == {"3"}
    # the same figures of a count that is not printed elsewhere are hidden
    kept = disclosure_controlled_tables(rows, [], _area_definitions(memberships=memberships), POLICY)
    assert {r[7] for r in kept.indicators} == {"[c]"}

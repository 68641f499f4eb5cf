"""The linear-programming attack on the published indicators: every relation between published
cells at once (quarters and years, breakdown families, the same count under two names), with every
suppressed cell an unknown count >= 0. For each suppressed cell the attacker's tightest interval
must be wider than the suppression range: combining relations must not pin a hidden cell down."""

from __future__ import annotations

import dataclasses

import pytest

from publish.disclosure import Relation, attack_intervals, known_relations, suppress
from publish.marts import read_release_marts
from publish.relations import COUNT_FIELDS, derive_relations, indicator_cell

THRESHOLD = 4


def test_the_attack_finds_what_single_relations_miss():
    """The attack is real: a hidden cell two relations pin down together is found."""
    counts = {"a": 3, "b": 20, "t1": 23, "c": 20, "t2": 23}
    relations = [Relation("t1", ("a", "b")), Relation("t2", ("a", "c"))]
    # a and b hidden in t1, a and c in t2: no relation has one unknown, yet t1 - b = a = t2 - c
    # is still an interval; add b = c and it is pinned
    pinned = attack_intervals(counts, [*relations, Relation("b", ("c",))], {"a", "b", "c"})
    loose = attack_intervals(counts, relations, {"a", "b", "c"})
    assert pinned["a"][1] - pinned["a"][0] == pytest.approx(23)  # b = c leaves a free in [0, 23]
    assert loose["a"] == (pytest.approx(0), pytest.approx(23))
    exact = attack_intervals(counts, [Relation("t1", ("a", "b"))], {"a"})
    assert exact["a"] == (pytest.approx(3), pytest.approx(3))  # one unknown: recovered exactly


def test_no_suppressed_cell_of_the_release_can_be_narrowed_to_the_suppression_range(built_home):
    """Indicators and revisions together, every relation the definitions give, each hidden cell
    attacked with all of them at once."""
    marts = read_release_marts(built_home)
    indicators, revisions, published = marts.indicators, marts.revisions, marts.definitions
    # The NRM's counts are public, so the release hides none of them (tested in test_bundle); the
    # attack runs on the release's figures as if the NRM were first published here, the hardest case.
    definitions = dataclasses.replace(
        published, public=frozenset(c for c in published.public if not c.startswith(("nrm_", "population_")))
    )
    counts = {indicator_cell(r, f): int(r[f]) for r in indicators for f in COUNT_FIELDS if r[f] is not None}
    # figures their publisher prints already are known to anyone (as the release treats them)
    public = {
        indicator_cell(r, f)
        for r in indicators
        for f in COUNT_FIELDS
        if r[f] is not None and definitions.is_public(r["indicator_id"], f)
    }
    relations = derive_relations(definitions, indicators, revisions)
    hidden = set(suppress(counts, relations, THRESHOLD, fixed=public))
    assert len(hidden) > 45, "the release has primary and secondary suppressed cells to attack"
    intervals = attack_intervals(counts, known_relations(relations, counts), hidden)
    narrow = {cell: bounds for cell, bounds in intervals.items() if bounds[1] - bounds[0] <= THRESHOLD}
    assert narrow == {}
    # and what the attack does find without the secondary cells: every primary cell it can narrow
    primary = {c for c, v in counts.items() if 1 <= v <= THRESHOLD and c not in public}
    exposed = attack_intervals(counts, known_relations(relations, counts), primary)
    assert any(high - low <= THRESHOLD for low, high in exposed.values())

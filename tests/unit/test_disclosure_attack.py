"""The linear-programming attack on the published indicators: every relation between published
cells at once (quarters and years, breakdown families, the same count under two names), with every
suppressed cell an unknown count >= 0. For each suppressed cell the attacker's tightest interval
must be wider than the suppression range: combining relations must not pin a hidden cell down."""

from __future__ import annotations

import duckdb
import pytest

from publish.bundle import _period_key, indicator_relations
from publish.disclosure import Relation, attack_intervals, suppress

THRESHOLD = 4


def _mart_rows(settings) -> list[dict]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        cursor = con.execute("select * from marts.mart_prevention_indicators")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


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
    rows = _mart_rows(built_home)
    counts = {
        (*_period_key(row), field): int(row[field])
        for row in rows
        for field in ("numerator", "denominator")
        if row[field] is not None
    }
    relations = indicator_relations(rows)
    hidden = set(suppress(counts, relations, THRESHOLD))
    assert hidden, "the release has suppressed cells to attack"
    intervals = attack_intervals(counts, relations, hidden)
    narrow = {cell: bounds for cell, bounds in intervals.items() if bounds[1] - bounds[0] <= THRESHOLD}
    assert narrow == {}

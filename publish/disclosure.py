"""Disclosure control: no published cell may reveal a count from 1 to the threshold (4 by default).

Primary suppression hides every such count. Secondary suppression then makes sure no hidden cell
can be worked back out: wherever published figures are tied by an additive relation (quarters sum
to their year; referrals with unknown age = all referrals - referrals with known age), a relation
with exactly one hidden cell would give that cell away, so a second cell of the relation is
hidden too (the smallest non-zero one, to lose as little as possible). This repeats until every
relation has no hidden cell or at least two.

Optionally, every published count is then rounded to a base (e.g. the nearest 5), so that no
figure is exact; rates and shares stay computed from the unrounded counts.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass

CellKey = Hashable


@dataclass(frozen=True)
class Relation:
    """total = sum(parts), as published; or, when not `complete`, total >= sum(parts): the parts
    are some of the total's, the others not published (an intruder knows only that they are >= 0)."""

    total: CellKey
    parts: tuple[CellKey, ...]
    complete: bool = True

    def cells(self) -> tuple[CellKey, ...]:
        return (self.total, *self.parts)


def primary_suppression(
    counts: Mapping[CellKey, int | None], threshold: int, exempt: Collection[CellKey] = frozenset()
) -> dict[CellKey, str]:
    return {
        key: f"primary: count between 1 and {threshold}"
        for key, value in counts.items()
        if value is not None and 1 <= value <= threshold and key not in exempt
    }


def discrepancy(relation: Relation, truth: Mapping[CellKey, int | None]) -> int | None:
    """total - sum(parts) on the true figures: 0 for a relation that holds exactly, None when a cell
    has no figure (the relation tells nobody anything)."""
    values = [truth.get(cell) for cell in relation.cells()]
    if any(v is None for v in values):
        return None
    return values[0] - sum(values[1:])


@dataclass(frozen=True)
class KnownRelation:
    """A relation as an intruder can use it: total - sum(parts) lies within +-slack, or is >= 0 for
    an incomplete relation (slack None). A published total that differs from the sum of its
    published parts (the Home Office's own tables do, by one or two) still narrows a hidden part to
    within that difference, so it is kept, with its slack."""

    relation: Relation
    slack: int | None

    def cells(self) -> tuple[CellKey, ...]:
        return self.relation.cells()


def _as_known(relations: Iterable[Relation | KnownRelation]) -> list[KnownRelation]:
    """Relations as an intruder uses them; a bare Relation holds exactly."""
    return [r if isinstance(r, KnownRelation) else KnownRelation(r, 0) for r in relations]


def known_relations(
    relations: Iterable[Relation], truth: Mapping[CellKey, int | None]
) -> list[KnownRelation]:
    known = []
    for relation in relations:
        difference = discrepancy(relation, truth)
        if difference is None or (not relation.complete and difference < 0):
            continue  # no figure to relate, or untrue: it tells an intruder nothing
        known.append(KnownRelation(relation, abs(difference) if relation.complete else None))
    return known


def secondary_suppression(
    counts: Mapping[CellKey, int | None],
    relations: Iterable[Relation | KnownRelation],
    suppressed: dict[CellKey, str],
    label: Callable[[CellKey], str] = str,
    fixed: Collection[CellKey] = frozenset(),
    threshold: int = 0,
) -> dict[CellKey, str]:
    """Extend `suppressed` until no relation leaves exactly one cell unknown (hidden, or not
    published at all) when that cell is hidden. A partner is a published cell that is not `fixed`.
    Returns the full mapping."""
    suppressed = dict(suppressed)
    relations = _as_known(relations)
    # a relation whose slack alone leaves more than the suppression range cannot pin a cell by itself
    relations = [r for r in relations if r.slack is not None and 2 * r.slack <= threshold]
    changed = True
    while changed:
        changed = False
        for relation in relations:
            unknown = [c for c in relation.cells() if c in suppressed or counts.get(c) is None]
            if len(unknown) != 1 or unknown[0] not in suppressed:
                continue
            candidates = [
                c
                for c in relation.cells()
                if c not in suppressed and c not in fixed and counts.get(c) is not None
            ]
            if not candidates:
                continue
            # Smallest non-zero first: hiding a zero protects nothing when the others are known.
            partner = min(candidates, key=lambda c: (counts[c] == 0, abs(counts[c]), str(c)))
            suppressed[partner] = f"secondary: protects {label(unknown[0])}"
            changed = True
    return suppressed


def recoverable_cells(
    counts: Mapping[CellKey, int | None], relations: Iterable[Relation], suppressed: Iterable[CellKey]
) -> set[CellKey]:
    """Hidden cells an intruder could work out from one relation (used by the tests to attack a table)."""
    hidden = set(suppressed)
    exposed = set()
    for relation in relations:
        cells = [c for c in relation.cells() if c in counts]
        unknown = [c for c in cells if c in hidden]
        if relation.complete and len(unknown) == 1 and len(cells) == len(relation.cells()):
            exposed.add(unknown[0])
    return exposed


def attack_intervals(
    counts: Mapping[CellKey, int | None],
    relations: Iterable[Relation | KnownRelation],
    hidden: Iterable[CellKey],
    signed: Collection[CellKey] = frozenset(),
) -> dict[CellKey, tuple[float, float]]:
    """The linear-programming attack: the lowest and highest value each hidden cell can take, given
    every relation at once and every published cell. The unknowns are the hidden cells and any cell
    of a relation that is not published; each is a count >= 0 unless `signed` (a change can be
    negative). Each hidden cell is solved over the relations that connect it through unknowns."""
    import numpy as np
    from scipy.optimize import linprog

    hidden = set(hidden)
    relations = _as_known(relations)

    def unknown(cell: CellKey) -> bool:
        return cell in hidden or counts.get(cell) is None

    relations = [r for r in relations if any(unknown(c) for c in r.cells())]
    # connected components over unknown cells: a hidden cell's interval depends only on its own
    parent: dict[CellKey, CellKey] = {}

    def root(cell: CellKey) -> CellKey:
        while parent.setdefault(cell, cell) != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    for relation in relations:
        unknowns = [c for c in relation.cells() if unknown(c)]
        for other in unknowns[1:]:
            parent[root(other)] = root(unknowns[0])
    components: dict[CellKey, list[KnownRelation]] = {}
    for relation in relations:
        first = next(c for c in relation.cells() if unknown(c))
        components.setdefault(root(first), []).append(relation)

    intervals = {}
    for cell in sorted(hidden, key=str):
        component = components.get(root(cell), [])
        variables = sorted({c for r in component for c in r.cells() if unknown(c)} | {cell}, key=str)
        index = {c: i for i, c in enumerate(variables)}
        equal_rows, equal_rhs, bound_rows, bound_rhs = [], [], [], []
        for known in component:
            coefficients, constant = np.zeros(len(variables)), 0.0
            relation = known.relation
            for part, sign in [(relation.total, 1.0), *((p, -1.0) for p in relation.parts)]:
                if part in index:
                    coefficients[index[part]] += sign
                else:
                    constant -= sign * counts[part]
            if known.slack is None:  # coefficients . x - constant >= 0
                bound_rows.append(-coefficients)
                bound_rhs.append(-constant)
            elif known.slack == 0:
                equal_rows.append(coefficients)
                equal_rhs.append(constant)
            else:  # |coefficients . x - constant| <= slack
                bound_rows += [coefficients, -coefficients]
                bound_rhs += [constant + known.slack, known.slack - constant]
        bounds = [(None, None) if c in signed else (0, None) for c in variables]
        objective = np.zeros(len(variables))
        objective[index[cell]] = 1.0
        problem = {
            "A_eq": equal_rows or None,
            "b_eq": equal_rhs or None,
            "A_ub": bound_rows or None,
            "b_ub": bound_rhs or None,
            "bounds": bounds,
            "method": "highs",
        }
        low, high = linprog(objective, **problem), linprog(-objective, **problem)
        if low.status == 2 or high.status == 2:
            raise RuntimeError(
                f"disclosure control: the relations of {cell} contradict the published figures"
            )
        lowest = low.fun if low.status == 0 else float("-inf")
        intervals[cell] = (lowest, float("inf") if high.status != 0 else -high.fun)
    return intervals


def suppress(
    counts: Mapping[CellKey, int | None],
    relations: Iterable[Relation],
    threshold: int,
    label: Callable[[CellKey], str] = str,
    *,
    truth: Mapping[CellKey, int | None] | None = None,
    fixed: Collection[CellKey] = frozenset(),
    signed: Collection[CellKey] = frozenset(),
) -> dict[CellKey, str]:
    """Every cell to hide, with the reason: primary, then secondary until no relation has one hidden
    cell, then more until the linear-programming attack (every relation at once) cannot narrow any
    hidden cell to an interval of `threshold` or less.

    `counts`: every cell the release shows unless hidden. `truth`: the true figure of every cell a
    relation names, published or not (default `counts`); a relation is used with the slack by which
    it misses on the true figures. `fixed`: shown cells that cannot be hidden (a revision's change
    of 0 that its absence states). `signed`: cells that may be negative (never primary-suppressed)."""
    truth = counts if truth is None else truth
    relations = known_relations(relations, truth)
    hidden = primary_suppression(
        {c: v for c, v in counts.items() if c not in fixed}, threshold, exempt=signed
    )
    suppressed = secondary_suppression(counts, relations, hidden, label, fixed, threshold)
    for _ in range(50):  # each round hides at least one more cell; the tables are finite
        narrow = [
            cell
            for cell, (low, high) in attack_intervals(counts, relations, suppressed, signed).items()
            if high - low <= threshold
        ]
        if not narrow:
            return suppressed
        hidden_before = len(suppressed)
        for cell in narrow:
            partners = {
                other
                for relation in relations
                if cell in relation.cells()
                for other in relation.cells()
                if other not in suppressed and other not in fixed and counts.get(other)
            }
            if partners:
                partner = min(partners, key=lambda c: (abs(counts[c]), str(c)))
                suppressed[partner] = f"secondary: widens what can be inferred of {label(cell)}"
        suppressed = secondary_suppression(counts, relations, suppressed, label, fixed, threshold)
        if len(suppressed) == hidden_before:
            break
    raise RuntimeError(
        "disclosure control did not converge: some suppressed cells stay narrowable to within "
        f"{threshold} and no published cell beside them is left to hide"
    )

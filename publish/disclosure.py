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

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass

CellKey = Hashable


@dataclass(frozen=True)
class Relation:
    """total = sum(parts), as published."""

    total: CellKey
    parts: tuple[CellKey, ...]

    def cells(self) -> tuple[CellKey, ...]:
        return (self.total, *self.parts)


@dataclass(frozen=True)
class DisclosurePolicy:
    """Counts from 1 to `threshold` are suppressed; with `rounding_base`, every published count is
    also rounded to the nearest multiple of it. Recorded in every release."""

    threshold: int = 4
    rounding_base: int | None = None

    def publish_count(self, value: int) -> int:
        return round_to_base(value, self.rounding_base) if self.rounding_base else value

    def describe(self) -> str:
        text = (
            f"Counts from 1 to {self.threshold} are suppressed as [c], and further cells are suppressed where "
            "they would let a suppressed count be worked out from totals (secondary suppression)."
        )
        if self.rounding_base:
            text += (
                f" Every published count is rounded to the nearest {self.rounding_base}, so totals may not "
                "equal the sum of their parts; rates and shares are computed from the unrounded counts."
            )
        return text

    def as_record(self) -> dict:
        return {"threshold": self.threshold, "rounding_base": self.rounding_base, "symbol": "[c]"}


def round_to_base(value: int, base: int) -> int:
    """Round half away from zero to the nearest multiple of `base` (7 -> 5, 8 -> 10, -8 -> -10)."""
    magnitude = (abs(value) + base // 2) // base * base
    return magnitude if value >= 0 else -magnitude


def primary_suppression(counts: Mapping[CellKey, int | None], threshold: int) -> dict[CellKey, str]:
    return {
        key: f"primary: count between 1 and {threshold}"
        for key, value in counts.items()
        if value is not None and 1 <= value <= threshold
    }


def secondary_suppression(
    counts: Mapping[CellKey, int | None],
    relations: Iterable[Relation],
    suppressed: dict[CellKey, str],
    label: Callable[[CellKey], str] = str,
) -> dict[CellKey, str]:
    """Extend `suppressed` until no relation has exactly one hidden cell. Returns the full mapping."""
    suppressed = dict(suppressed)
    relations = [r for r in relations if all(c in counts for c in r.cells())]
    changed = True
    while changed:
        changed = False
        for relation in relations:
            hidden = [c for c in relation.cells() if c in suppressed]
            if len(hidden) != 1:
                continue
            candidates = [c for c in relation.cells() if c not in suppressed and counts[c] is not None]
            if not candidates:
                continue
            # Smallest non-zero first: hiding a zero protects nothing when the others are known.
            partner = min(candidates, key=lambda c: (counts[c] == 0, counts[c]))
            suppressed[partner] = f"secondary: protects {label(hidden[0])}"
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
        if len(unknown) == 1:
            exposed.add(unknown[0])
    return exposed


def attack_intervals(
    counts: Mapping[CellKey, int | None], relations: Iterable[Relation], hidden: Iterable[CellKey]
) -> dict[CellKey, tuple[float, float]]:
    """The linear-programming attack: the lowest and highest value each hidden cell can take, given
    every relation at once and every published cell, each hidden cell a count >= 0."""
    import numpy as np
    from scipy.optimize import linprog

    unknowns = sorted(set(hidden), key=str)
    index = {cell: i for i, cell in enumerate(unknowns)}
    rows, rhs = [], []
    for relation in relations:
        cells = [(relation.total, 1.0), *((part, -1.0) for part in relation.parts)]
        if not any(cell in index for cell, _ in cells) or any(counts.get(cell) is None for cell, _ in cells):
            continue
        coefficients, constant = np.zeros(len(unknowns)), 0.0
        for cell, sign in cells:
            if cell in index:
                coefficients[index[cell]] += sign
            else:
                constant -= sign * counts[cell]
        rows.append(coefficients)
        rhs.append(constant)
    intervals = {}
    bounds = [(0, None)] * len(unknowns)
    for cell, i in index.items():
        objective = np.zeros(len(unknowns))
        objective[i] = 1.0
        low = linprog(objective, A_eq=rows or None, b_eq=rhs or None, bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=rows or None, b_eq=rhs or None, bounds=bounds, method="highs")
        lowest = low.fun if low.status == 0 else 0.0
        intervals[cell] = (lowest, float("inf") if high.status != 0 else -high.fun)
    return intervals


def suppress(
    counts: Mapping[CellKey, int | None],
    relations: Iterable[Relation],
    threshold: int,
    label: Callable[[CellKey], str] = str,
) -> dict[CellKey, str]:
    """Every cell to hide, with the reason: primary, then secondary until no relation has one hidden
    cell, then more until the linear-programming attack (every relation at once) cannot narrow any
    hidden cell to an interval of `threshold` or less."""
    relations = [r for r in relations if all(c in counts for c in r.cells())]
    suppressed = secondary_suppression(counts, relations, primary_suppression(counts, threshold), label)
    for _ in range(50):  # each round hides at least one more cell; the tables are finite
        narrow = [
            cell
            for cell, (low, high) in attack_intervals(counts, relations, suppressed).items()
            if high - low <= threshold
        ]
        if not narrow:
            return suppressed
        for cell in narrow:
            partners = {
                other
                for relation in relations
                if cell in relation.cells()
                for other in relation.cells()
                if other not in suppressed and counts.get(other)
            }
            if partners:
                partner = min(partners, key=lambda c: (counts[c], str(c)))
                suppressed[partner] = f"secondary: widens what can be inferred of {label(cell)}"
        suppressed = secondary_suppression(counts, relations, suppressed, label)
    raise RuntimeError("disclosure control did not converge: cells stay narrowable after 50 rounds")

"""The relations between published cells, derived from the indicator definitions.

Every published numerator and denominator *is* a count named in the catalogue (`numerator_count`,
`denominator_count`, e.g. `nrm_first_responder_child_referrals[nationality_group=uk_national]`),
narrowed by its breakdown (seed `breakdown_families`: 'female' is gender=female). A count of one
period and area is one figure however many cells publish it, so from the definitions alone:

- cells that are the same count are equal (the UK-national share's numerator is the criminal
  share's denominator for UK nationals; the local-authority share's numerator is the UK-national
  share's denominator for local authorities);
- a count is the sum of its narrowings over a breakdown family (gender, exploitation group, ...);
- a year is the sum of its quarters, an area the sum of the areas inside it;
- a count is the sum of the counts it is defined as (seed `indicator_counts`, `sum_of`);
- a count the Home Office publishes in an NRM table cell is that cell of revisions.csv, and in
  revisions.csv a figure is its previous figure plus its change, a table's Total column the sum of
  its columns, its Total group the sum of its groups, a year the sum of its quarters.

Nothing here is a hand-kept list of which indicator equals which: a new indicator or count joins
every relation by being defined. Relations are written over published cells only where those
exist; a relation naming a cell that is not published leaves that cell an unknown to an intruder.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from publish.disclosure import Relation

COUNT_FIELDS = ("numerator", "denominator")
REVISION_FIGURES = ("previous_value", "value", "change")
TOTAL = "Total"
_COUNT_REFERENCE = re.compile(r"(?P<count>[a-z][a-z0-9_]*)(?:\[(?P<filters>[^\]]*)\])?")
_FILTER = re.compile(r"(?P<dimension>[a-z][a-z0-9_]*)=(?P<value>[a-z0-9_]+)")


class DefinitionError(ValueError):
    pass


@dataclass(frozen=True)
class CountRef:
    """A count by id, narrowed by fixed (dimension, value) filters."""

    count: str
    filters: frozenset[tuple[str, str]] = field(default=frozenset())

    @classmethod
    def parse(cls, text: str) -> CountRef:
        match = _COUNT_REFERENCE.fullmatch(text.strip())
        if not match:
            raise DefinitionError(f"count reference {text!r} is not 'count' or 'count[dimension=value,...]'")
        filters = set()
        for part in filter(None, (match["filters"] or "").split(",")):
            narrowing = _FILTER.fullmatch(part.strip())
            if not narrowing:
                raise DefinitionError(f"count reference {text!r}: {part!r} is not dimension=value")
            filters.add((narrowing["dimension"], narrowing["value"]))
        return cls(match["count"], frozenset(filters))

    @property
    def source(self) -> str:
        """'nrm', 'returns' or 'population': the prefix of the count id."""
        return self.count.split("_", 1)[0]

    def narrowed(self, dimension: str, value: str) -> CountRef | None:
        """This count for one breakdown; None where the breakdown contradicts a filter (no such cell)."""
        current = dict(self.filters)
        if dimension in current:
            return self if current[dimension] == value else None
        return CountRef(self.count, self.filters | {(dimension, value)})

    def dimensions(self) -> set[str]:
        return {dimension for dimension, _ in self.filters}


@dataclass(frozen=True)
class Definitions:
    """What every published figure counts: read from the catalogue, the seed `indicator_counts`,
    the seed `breakdown_families` and which areas lie inside which (marts.dim_area_membership: a
    district in its region, a council in its police force area)."""

    measures: Mapping[tuple[str, str], CountRef]  # (indicator_id, 'numerator' | 'denominator')
    families: Mapping[tuple[str, str], str]  # (source, breakdown) -> dimension
    sums: Mapping[str, tuple[str, ...]]  # count -> the counts it is the sum of
    levels: frozenset[str]  # counts a year shares with each quarter (a population), not sums over them
    published_cells: Mapping[tuple[str, str, str], tuple[CountRef, str]]  # NRM cell -> (count, area)
    area_parents: tuple[tuple[str, str], ...] = ()  # (area, an area it lies wholly inside)
    public: frozenset[str] = frozenset()  # counts whose every figure the publisher prints already

    @classmethod
    def from_rows(
        cls,
        catalogue: Iterable[Mapping],
        counts: Iterable[Mapping],
        families: Iterable[Mapping],
        areas: Iterable[Mapping] = (),
    ) -> Definitions:
        measures = {}
        for row in catalogue:
            for name in COUNT_FIELDS:
                text = row.get(f"{name}_count")
                if text:
                    measures[(row["indicator_id"], name)] = CountRef.parse(text)
        sums, published_cells, levels, public = {}, {}, set(), set()
        for row in counts:
            reference = CountRef.parse(row["count"])
            if row.get("already_published") == "by_publisher":
                public.add(reference.count)
            if row.get("over_a_year") not in ("sum", "same", None):
                raise DefinitionError(
                    f"count {row['count']}: over_a_year is {row['over_a_year']!r}, not 'sum' or 'same'"
                )
            if row.get("over_a_year") == "same":
                levels.add(reference.count)
            if row.get("sum_of"):
                sums[reference.count] = tuple(row["sum_of"].split())
            if row.get("published_in_table"):
                cell = (
                    row["published_in_table"],
                    row.get("published_column_group") or "",
                    row["published_column_label"],
                )
                published_cells[cell] = (reference, row["published_area_code"])
        defined = {CountRef.parse(row["count"]).count for row in counts} if counts else set()
        named = {m.count for m in measures.values()} | {c for parts in sums.values() for c in parts}
        if defined and named - defined:
            raise DefinitionError(
                f"counts named but not defined in indicator_counts: {sorted(named - defined)}"
            )
        return cls(
            measures=measures,
            families={(row["source"], row["breakdown"]): row["dimension"] for row in families},
            sums=sums,
            levels=frozenset(levels),
            published_cells=published_cells,
            public=frozenset(public),
            area_parents=tuple(
                sorted(
                    (row["area_code"], row["parent_area_code"])
                    for row in areas
                    if row.get("parent_area_code")
                )
            ),
        )

    def is_public(self, indicator_id: str, field: str) -> bool:
        """Whether every figure of this indicator's numerator or denominator is printed already."""
        measure = self.measures.get((indicator_id, field))
        return measure is not None and measure.count in self.public

    @classmethod
    def from_seeds(cls, seeds_dir: Path) -> Definitions:
        """The definitions as the dbt seeds hold them (without areas): for tests and tools that
        have no warehouse. A release reads them from the warehouse it publishes."""

        def read(name: str) -> list[dict]:
            with (seeds_dir / name).open(encoding="utf-8", newline="") as handle:
                return [{k: (v or None) for k, v in row.items()} for row in csv.DictReader(handle)]

        return cls.from_rows(
            read("indicator_catalogue.csv"), read("indicator_counts.csv"), read("breakdown_families.csv")
        )

    def count_of(self, indicator: str, breakdown: str, name: str) -> CountRef | None:
        """The count a published numerator or denominator is, or None if it is not defined."""
        measure = self.measures.get((indicator, name))
        if measure is None or breakdown == "all":
            return measure
        # a breakdown outside every family is its own dimension: it partitions nothing known
        dimension = self.families.get((measure.source, breakdown), f"breakdown:{breakdown}")
        return measure.narrowed(dimension, breakdown)


# A figure: a count in one period and area, whichever cells publish it.
Figure = tuple[CountRef, str, str, str]  # (count, period_type, period_label, area_code)


def indicator_cell(row: Mapping, name: str) -> tuple:
    return (
        row["indicator_id"],
        row["period_type"],
        row["period_label"],
        row["area_code"],
        row["breakdown"],
        name,
    )


def revision_cell(row: Mapping, name: str) -> tuple:
    return (
        "revisions",
        row["table_key"],
        row["period_label"],
        row["column_group"] or "",
        row["column_label"],
        name,
    )


def _period_type(label: str) -> str:
    if "-Q" in label:
        return "quarter"
    return "financial_year" if "-" in label else "year"


def _quarters_of(count: CountRef, period_type: str, label: str, area: str) -> list[Figure]:
    """The quarters a year is made of: 2023 is 2023-Q1..Q4; the financial year 2023-24 (April to
    March) is 2023-Q2, 2023-Q3, 2023-Q4 and 2024-Q1."""
    start = int(label[:4])
    if period_type == "year":
        labels = [f"{start}-Q{n}" for n in range(1, 5)]
    else:
        labels = [f"{start}-Q2", f"{start}-Q3", f"{start}-Q4", f"{start + 1}-Q1"]
    return [(count, "quarter", quarter, area) for quarter in labels]


def _sum(total, parts: Iterable, complete: bool = True) -> Relation | None:
    parts = tuple(parts)
    return Relation(total, parts, complete) if parts else None


def _published_as_breakdowns(total_cells: list[tuple], parts_cells: list[list[tuple]]) -> bool:
    """True when one indicator publishes the total as 'all' and every part as one of its
    breakdowns, in the same field: the mart publishes every breakdown of a family that has
    referrals, so a part it does not publish is 0 and the parts are complete. Otherwise the parts
    are only those some indicator happens to publish, and the total is at least their sum."""
    wholes = {(c[0], c[5]) for c in total_cells if c[0] != "revisions" and c[4] == "all"}
    for cells in parts_cells:
        wholes &= {(c[0], c[5]) for c in cells if c[0] != "revisions" and c[4] != "all"}
    return bool(wholes)


def derive_relations(
    definitions: Definitions, indicators: Iterable[Mapping], revisions: Iterable[Mapping] = ()
) -> list[Relation]:
    """Every relation between the cells of the indicators and the revisions (rows of
    mart_prevention_indicators and of mart_nrm_revisions for the newest vintage, revised or not)."""
    cells_of: dict[Figure, list[tuple]] = defaultdict(list)
    for row in indicators:
        for name in COUNT_FIELDS:
            count = definitions.count_of(row["indicator_id"], row["breakdown"], name)
            if count is not None:
                figure = (count, row["period_type"], row["period_label"], row["area_code"])
                cells_of[figure].append(indicator_cell(row, name))
    revisions = list(revisions)
    for row in revisions:
        link = definitions.published_cells.get(
            (row["table_key"], row["column_group"] or "", row["column_label"])
        )
        if link is not None:
            count, area = link
            cells_of[(count, _period_type(row["period_label"]), row["period_label"], area)].append(
                revision_cell(row, "value")
            )

    relations: list[Relation | None] = []
    for cells in cells_of.values():  # one figure, published in several cells
        relations += [Relation(cells[0], (other,)) for other in cells[1:]]
    cell = {figure: cells[0] for figure, cells in cells_of.items()}

    by_period: dict[tuple, list[Figure]] = defaultdict(list)
    for figure in cell:
        count, period_type, label, area = figure
        by_period[(count.count, period_type, label, area)].append(figure)
    areas_inside: dict[str, list[str]] = defaultdict(list)
    for area, parent in definitions.area_parents:
        areas_inside[parent].append(area)
    for figure in cell:
        count, period_type, label, area = figure
        # the count over a breakdown family: its narrowings by one more dimension
        families: dict[str, list[Figure]] = defaultdict(list)
        for other in by_period[(count.count, period_type, label, area)]:
            extra = other[0].filters - count.filters
            if len(other[0].filters) == len(count.filters) + 1 and len(extra) == 1:
                ((dimension, _),) = extra
                families[dimension].append(other)
        for _dimension, parts in sorted(families.items()):
            parts = sorted(parts, key=str)
            complete = _published_as_breakdowns(cells_of[figure], [cells_of[p] for p in parts])
            relations.append(_sum(cell[figure], (cell[p] for p in parts), complete))
        if period_type in ("year", "financial_year"):  # the quarters of the year
            quarters = [q for q in _quarters_of(count, period_type, label, area) if q in cell]
            if count.count in definitions.levels:
                relations += [Relation(cell[figure], (cell[q],)) for q in quarters]
            else:
                relations.append(_sum(cell[figure], (cell[q] for q in quarters)))
        inside = [(count, period_type, label, a) for a in areas_inside[area]]
        relations.append(
            _sum(cell[figure], (cell[p] for p in inside if p in cell), all(p in cell for p in inside))
        )
        if count.count in definitions.sums:  # a count defined as the sum of others
            parts = [
                (CountRef(part, count.filters), period_type, label, area)
                for part in definitions.sums[count.count]
            ]
            if all(p in cell for p in parts):
                relations.append(_sum(cell[figure], (cell[p] for p in parts)))

    relations += _revision_table_relations(revisions)
    return [r for r in relations if r is not None]


def _revision_table_relations(revisions: list[Mapping]) -> list[Relation]:
    """Within revisions.csv: value = previous_value + change; and as in the NRM tables, for each
    of the three figures, a group's Total column is the sum of its columns, the Total group the sum
    of the groups' totals, a year the sum of its quarters."""
    present = {revision_cell(row, "value")[:5] for row in revisions}
    relations = []
    for row in revisions:
        relations.append(
            Relation(
                revision_cell(row, "value"),
                (revision_cell(row, "previous_value"), revision_cell(row, "change")),
            )
        )
    columns: dict[tuple, list[str]] = defaultdict(list)
    groups: dict[tuple, list[str]] = defaultdict(list)
    for _, table, label, group, column in sorted(present):
        columns[(table, label, group)].append(column)
        if column == TOTAL:
            groups[(table, label)].append(group)
    for name in REVISION_FIGURES:
        for (table, label, group), labels in columns.items():
            if TOTAL in labels and len(labels) > 1:
                relations.append(
                    Relation(
                        ("revisions", table, label, group, TOTAL, name),
                        tuple(("revisions", table, label, group, c, name) for c in labels if c != TOTAL),
                    )
                )
        for (table, label), totals in groups.items():
            if TOTAL in totals and len(totals) > 1:
                relations.append(
                    Relation(
                        ("revisions", table, label, TOTAL, TOTAL, name),
                        tuple(("revisions", table, label, g, TOTAL, name) for g in totals if g != TOTAL),
                    )
                )
        for _, table, label, group, column in present:
            if _period_type(label) == "year":
                quarters = [("revisions", table, f"{label}-Q{q}", group, column) for q in range(1, 5)]
                if all(q in present for q in quarters):
                    relations.append(
                        Relation(
                            ("revisions", table, label, group, column, name),
                            tuple((*q, name) for q in quarters),
                        )
                    )
    return relations

"""`ctm inspect FILE`: a dry run of an NRM workbook before it goes in. Writes nothing.

For each table: where it was found (sheet, title row, header row), how each column was understood,
which labels are new to the vocabularies, which published totals do not reconcile; then whether the
file would load or be quarantined, and why. The checks are the ones ingest runs (the parser and the
Great Expectations suite on its cells), so the verdict is the one ingest would give.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from extract.sources.nrm.parse import NrmWorkbook, WorkbookReport, read_workbook
from extract.sources.nrm.vocabulary import TOTAL
from pipeline.problems import Problem

CHILD = "Child (17 or under)"


@dataclass
class Inspection:
    path: Path
    report: WorkbookReport
    workbook: NrmWorkbook | None
    problems: list[Problem] = field(default_factory=list)
    unreconciled: list[str] = field(default_factory=list)  # published totals that do not add up

    @property
    def would_load(self) -> bool:
        return not self.problems


def _sums(cells, key, is_total, part_of) -> list[tuple[str, int, int]]:
    """(where, published, sum of parts) for every published total whose parts are there."""
    published: dict = {}
    parts: dict = defaultdict(int)
    for cell in cells:
        if cell.value is None:
            continue
        if is_total(cell):
            published[key(cell)] = cell.value
        elif (whole := part_of(cell)) is not None:
            parts[whole] += cell.value
    return [(where, value, parts[where]) for where, value in published.items() if where in parts]


def _period(cell) -> str:
    return f"{cell.year} Q{cell.quarter}" if cell.quarter else f"{cell.year}"


def reconcile(workbook: NrmWorkbook) -> list[str]:
    """Every published total in the workbook that does not equal the sum of its parts, with both figures."""
    findings: list[tuple[str, str, int, int]] = []
    for key, cells in workbook.tables.items():
        if key in ("nrm_duty_to_notify_by_nationality", "nrm_referrals_by_county"):
            if key == "nrm_duty_to_notify_by_nationality":
                findings += [
                    (key, "the Total row", p, s)
                    for _, p, s in _sums(cells, lambda c: "all", lambda c: c.group == TOTAL, lambda c: "all")
                ]
            continue
        # a year's total row = the sum of its quarters
        findings += [
            (key, f"{where[0]} {where[1] or ''}/{where[2]}".replace(" /", " "), p, s)
            for where, p, s in _sums(
                cells,
                lambda c: (c.year, c.group, c.label),
                lambda c: c.quarter is None,
                lambda c: (c.year, c.group, c.label),
            )
        ]
        # a row's Total column = the sum of the columns it totals (per group)
        findings += [
            (key, f"{where[0]} {where[1] or ''} Total".strip(), p, s)
            for where, p, s in _sums(
                [c for c in cells if c.group != TOTAL],
                lambda c: (_period(c), c.group),
                lambda c: c.label == TOTAL,
                lambda c: (_period(c), c.group),
            )
        ]
    for key, cells in workbook.responder_tables.items():
        findings += [
            (key, f"row {where[0]} Total column", p, s)
            for where, p, s in _sums(
                cells,
                lambda c: (c.row,),
                lambda c: c.nationality == TOTAL,
                lambda c: (c.row,),
            )
        ]
    findings += _child_referrals_against_table_2(workbook)
    return [f"{key}: {where}: published {p:,}, parts sum to {s:,}" for key, where, p, s in findings if p != s]


def _child_referrals_against_table_2(workbook: NrmWorkbook) -> list[tuple[str, str, int, int]]:
    """The first-responder tables' child rows against Table 2's child referrals of the release's quarter."""
    table_2 = workbook.tables.get("nrm_referrals_age_location")
    if not table_2 or len(workbook.responder_tables) < 4:
        return []
    year, quarter = (int(part) for part in re.findall(r"\d+", workbook.release_id))
    published = next(
        (c.value for c in table_2 if (c.year, c.quarter, c.group, c.label) == (year, quarter, CHILD, TOTAL)),
        None,
    )
    responders = sum(
        c.value or 0
        for cells in workbook.responder_tables.values()
        for c in cells
        if c.age_at_exploitation == CHILD
        and TOTAL not in (c.exploitation_type, c.gender, c.nationality)
        and not c.first_responder.lower().endswith(" total")
    )
    if published is None:
        return []
    return [
        (
            "first-responder tables",
            f"child referrals {year} Q{quarter} against Table 2",
            published,
            responders,
        )
    ]


def inspect_workbook(path: Path) -> Inspection:
    workbook, report, problems = read_workbook(path)
    inspection = Inspection(path, report, workbook, problems)
    if workbook is not None:
        from extract.sources.nrm.validate import workbook_problems

        inspection.problems += workbook_problems(workbook)
        inspection.unreconciled = reconcile(workbook)
    return inspection


def format_inspection(inspection: Inspection) -> str:
    lines = [f"{inspection.path.name}"]
    if inspection.workbook is not None:
        lines.append(f"  release: {inspection.workbook.release_id}")
    for name, table in inspection.report.tables.items():
        lines.append(f"\n  {name}")
        lines.append(
            f"    found on sheet {table.sheet!r}, title in row {table.title_row}, header in row {table.header_row}; "
            f"{table.cells:,} cells"
        )
        for column, published, understood in table.columns:
            same = published == understood
            lines.append(f"    {column:>4}  {published!r}" + ("" if same else f" -> {understood}"))
        if table.ignored_columns:
            lines.append(f"    ignored (no header, no figures): columns {', '.join(table.ignored_columns)}")
        for dimension, labels in table.new_labels.items():
            shown = ", ".join(repr(label) for label in labels[:12]) + (" ..." if len(labels) > 12 else "")
            lines.append(f"    new {dimension} labels ({len(labels)}), loaded as published: {shown}")
    if inspection.report.not_published:
        lines.append(
            f"\n  not in this release (its Contents does not list them): {', '.join(inspection.report.not_published)}"
        )
    if inspection.unreconciled:
        lines.append(
            f"\n  published totals that do not reconcile ({len(inspection.unreconciled)}), a warning:"
        )
        lines += [f"    {line}" for line in inspection.unreconciled[:20]]
        if len(inspection.unreconciled) > 20:
            lines.append(f"    ... and {len(inspection.unreconciled) - 20} more")
    if inspection.would_load:
        lines.append("\n  verdict: would LOAD")
    else:
        lines.append(f"\n  verdict: would be QUARANTINED ({len(inspection.problems)} problems)")
        lines += [f"    {p.describe()}" for p in inspection.problems[:30]]
        if len(inspection.problems) > 30:
            lines.append(f"    ... and {len(inspection.problems) - 30} more")
    return "\n".join(lines)

"""The published tables, disclosure-controlled: the marts' rows (read by publish/marts.py), every
count checked against the policy (publish/disclosure.py) with the relations the definitions give
(publish/relations.py), then formatted as published (shorthand for what is not shown, text a
spreadsheet would run defused).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pipeline.disclosure_policy import DisclosurePolicy
from pipeline.settings import Settings
from publish.disclosure import suppress
from publish.relations import (
    COUNT_FIELDS,
    REVISION_FIGURES,
    Definitions,
    derive_relations,
    indicator_cell,
    revision_cell,
)
from publish.schema import (
    CATALOGUE_FIELDS,
    INDICATOR_FIELDS,
    MISSING_VALUES,
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    REVISION_FIELDS,
    SUPPRESSED,
)


def _safe_text(value: str) -> str:
    """Neutralise text a spreadsheet would run as a formula (=, +, -, @), leaving numbers alone."""
    if value and value[0] in "=+-@" and not re.fullmatch(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?", value):
        return "'" + value
    return value


# null_reason of a figure its publisher suppressed (mart_prevention_indicators)
PUBLISHER_SUPPRESSED = "suppressed by its publisher"


def format_cell(value: object) -> str:
    if value is None:
        return NOT_AVAILABLE
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(value, ".10g")
    if isinstance(value, date):
        return value.isoformat()
    return _safe_text(str(value))


def _period_key(row: dict) -> tuple:
    return (row["indicator_id"], row["period_type"], row["period_label"], row["area_code"], row["breakdown"])


def _cell_label(cell: tuple) -> str:
    if cell[0] == "revisions":
        _, table, period, group, column, field = cell
        return f"{table} {period} {group} / {column} {field}"
    indicator, _, period, _, breakdown, field = cell
    return f"{indicator} {period} {breakdown} {field}"


def _null_reason(row: dict, out: dict, hidden: dict, policy: DisclosurePolicy) -> str:
    """Why a published value is not shown, in words that say no more than the disclosure log: which
    count is hidden and whether as small (primary) or to protect a small one (secondary)."""
    if out["value"] not in (None, SUPPRESSED):
        return ""
    reasons = []
    for name in COUNT_FIELDS:
        reason = hidden.get(indicator_cell(row, name), "")
        if reason.startswith("primary"):
            reasons.append(f"{name} suppressed: a count from 1 to {policy.threshold}")
        elif reason:
            reasons.append(f"{name} suppressed to protect a small count elsewhere (secondary suppression)")
    if out["value"] == SUPPRESSED and not reasons:
        reasons.append(row.get("null_reason") or PUBLISHER_SUPPRESSED)
    if out["value"] is None:
        reasons.append(row.get("null_reason") or "not available")
    return "; ".join(reasons)


@dataclass(frozen=True)
class ControlledTables:
    indicators: list[list[str]]
    revisions: list[list[str]]
    log: list[list[str]]


def disclosure_controlled_tables(
    indicators: list[dict], revisions: list[dict], definitions: Definitions, policy: DisclosurePolicy
) -> ControlledTables:
    """The indicators and revisions tables as published, controlled together: every relation the
    definitions give between their cells (see relations.py) is one an intruder can use.

    `revisions`: every figure of the newest vintage; those with `is_revised` are published. For
    the others an intruder knows only that the change is 0 (they are absent because unrevised)."""
    counts, truth, fixed, signed = {}, {}, set(), set()
    for row in indicators:
        for name in COUNT_FIELDS:
            if row[name] is not None:
                counts[indicator_cell(row, name)] = int(row[name])
                # printed by its publisher already: neither hidden nor hidden for; known to anyone
                if definitions.is_public(row["indicator_id"], name):
                    fixed.add(indicator_cell(row, name))
    for row in revisions:
        # every figure of revisions.csv is one the Home Office printed, then and now: public
        for name in REVISION_FIGURES:
            cell = revision_cell(row, name)
            truth[cell] = None if row[name] is None else int(row[name])
            if row["is_revised"]:
                counts[cell] = truth[cell]
                fixed.add(cell)
        signed.add(revision_cell(row, "change"))
        if not row["is_revised"] and row["previous_value"] is not None:
            counts[revision_cell(row, "change")] = 0
            fixed.add(revision_cell(row, "change"))
    truth.update(counts)
    relations = derive_relations(definitions, indicators, revisions)
    hidden = suppress(
        counts, relations, policy.threshold, label=_cell_label, truth=truth, fixed=fixed, signed=signed
    )

    log = []
    published_indicators = []
    for row in indicators:
        out = dict(row)
        for name in COUNT_FIELDS:
            cell = indicator_cell(row, name)
            if cell in hidden:
                out[name] = SUPPRESSED
                log.append(["indicators", *cell[0:1], cell[2], cell[3], cell[4], name, hidden[cell]])
        if out["numerator"] is None and (row.get("null_reason") or "").startswith(PUBLISHER_SUPPRESSED):
            out["numerator"] = SUPPRESSED  # the publisher's own [c] stays [c]
        if SUPPRESSED in (out["numerator"], out["denominator"]):
            out["value"] = SUPPRESSED
        for name in COUNT_FIELDS:
            if out[name] not in (None, SUPPRESSED):
                out[name] = policy.publish_count(int(out[name]))
        if policy.rounding_base and row["unit"] == "count" and isinstance(out["numerator"], int):
            out["value"] = out["numerator"]  # a count's value is its numerator, rounded alike
        if row["unit"] == "count" and row["denominator"] is None:
            out["denominator"] = NOT_APPLICABLE
        out["null_reason"] = _null_reason(row, out, hidden, policy)
        published_indicators.append(
            [v if v in MISSING_VALUES else format_cell(v) for v in (out[n] for n, _, _ in INDICATOR_FIELDS)]
        )

    published_revisions = []
    for row in revisions:
        if not row["is_revised"]:
            continue
        out = dict(row, table=row["table_key"])
        for name in REVISION_FIGURES:
            cell = revision_cell(row, name)
            if cell in hidden:
                out[name] = SUPPRESSED
                log.append(
                    [
                        "revisions",
                        row["table_key"],
                        row["period_label"],
                        "",
                        f"{row['column_group']} / {row['column_label']}",
                        name,
                        hidden[cell],
                    ]
                )
            elif out[name] is not None:
                out[name] = policy.publish_count(int(out[name]))
        published_revisions.append(
            [v if v in MISSING_VALUES else format_cell(v) for v in (out[n] for n, _, _ in REVISION_FIELDS)]
        )
    return ControlledTables(published_indicators, published_revisions, log)


def catalogue_records(catalogue: list[dict]) -> list[dict]:
    return [
        {name: "" if r[name] is None else str(r[name]) for name, _, _ in CATALOGUE_FIELDS} for r in catalogue
    ]


def disclosure_policy(settings: Settings) -> DisclosurePolicy:
    return DisclosurePolicy(settings.disclosure_threshold, settings.disclosure_rounding_base)

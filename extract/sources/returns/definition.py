"""The agency return as defined in definition.yml, and the real agency codes it accepts.

Everything about the return (columns, measures, rules, the agencies who send it) is read from
here: validation, templates, the guidance page and the dbt sources never restate it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import yaml

from pipeline.settings import GEOGRAPHY_DIR

DEFINITION_PATH = Path(__file__).with_name("definition.yml")
# ONS recoded two metropolitan districts in 2025; a return may use either code (data/geography/SOURCES.md).
SUCCESSOR_CODES = {"E08000038": "E08000016", "E08000039": "E08000019"}  # Barnsley, Sheffield


@dataclass(frozen=True)
class Measure:
    id: str
    label: str
    unit: str
    guidance: str
    type: str = "count"  # count: whole number >= 0; money: >= 0, at most 2 decimals


@dataclass(frozen=True)
class AgencyType:
    id: str
    label: str
    audit_source: str
    code_prefixes: tuple[str, ...]
    reference: str
    rejected_prefixes: dict[str, str]
    measures: tuple[Measure, ...]

    @property
    def measure_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.measures)


@dataclass(frozen=True)
class ConsistencyRule:
    id: str
    agency_type: str
    lesser: str
    greater: str
    message: str


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    example: str


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    agency_type: str
    country_code: str


@dataclass(frozen=True)
class ReturnDefinition:
    name: str
    version: int
    columns: tuple[Column, ...]
    period_pattern: re.Pattern[str]
    earliest_period: str
    not_available_marker: str
    deadline_days: int
    agency_types: dict[str, AgencyType]
    consistency_rules: tuple[ConsistencyRule, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def all_measure_ids(self) -> list[str]:
        seen: dict[str, None] = {}
        for agency_type in self.agency_types.values():
            seen.update(dict.fromkeys(agency_type.measure_ids))
        return list(seen)

    def type_for_code(self, code: str) -> AgencyType | None:
        return next((t for t in self.agency_types.values() if code[:3] in t.code_prefixes), None)

    def rejected_prefix_reason(self, code: str) -> str | None:
        for agency_type in self.agency_types.values():
            if code[:3] in agency_type.rejected_prefixes:
                return agency_type.rejected_prefixes[code[:3]].strip()
        return None


@cache
def load_definition(path: Path = DEFINITION_PATH) -> ReturnDefinition:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    agency_types = {
        key: AgencyType(
            id=key,
            label=spec["label"],
            audit_source=spec["audit_source"],
            code_prefixes=tuple(spec["code_prefixes"]),
            reference=" ".join(spec["reference"].split()),
            rejected_prefixes={
                k: " ".join(v.split()) for k, v in (spec.get("rejected_prefixes") or {}).items()
            },
            measures=tuple(
                Measure(**{**m, "guidance": " ".join(m["guidance"].split())}) for m in spec["measures"]
            ),
        )
        for key, spec in raw["agency_types"].items()
    }
    return ReturnDefinition(
        name=raw["name"],
        version=int(raw["version"]),
        columns=tuple(
            Column(c["name"], " ".join(c["description"].split()), str(c["example"])) for c in raw["columns"]
        ),
        period_pattern=re.compile(raw["period"]["pattern"]),
        earliest_period=raw["period"]["earliest"],
        not_available_marker=raw["not_available_marker"],
        deadline_days=int(raw["deadline_days_after_quarter_end"]),
        agency_types=agency_types,
        consistency_rules=tuple(
            ConsistencyRule(**{**r, "message": " ".join(r["message"].split())})
            for r in raw["consistency_rules"]
        ),
    )


@cache
def load_agencies(geography_dir: Path = GEOGRAPHY_DIR) -> dict[str, Agency]:
    """Every agency that sends the return, from the real ONS lists in data/geography/ (never invented)."""
    definition = load_definition()
    agencies: dict[str, Agency] = {}

    def add(code: str, name: str, country_code: str) -> None:
        agency_type = definition.type_for_code(code)
        if agency_type is not None:
            agencies[code] = Agency(code, name, agency_type.id, country_code)

    with (geography_dir / "upper_tier_authorities.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            add(row["code"], row["name"], row["country_code"])
    with (geography_dir / "local_authorities.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if (
                row["code_prefix"] == "S12"
            ):  # Scottish councils are single-tier children's services authorities
                add(row["code"], row["name"], row["country_code"])
    with (geography_dir / "police_force_areas.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            add(row["code"], row["name"], row["country_code"])
    return agencies


@cache
def district_codes(geography_dir: Path = GEOGRAPHY_DIR) -> dict[str, str]:
    """Every ONS local authority district code -> name (to explain a district sent instead of its county)."""
    with (geography_dir / "local_authorities.csv").open(encoding="utf-8") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def quarter_end(year: int, quarter: int) -> date:
    next_quarter_start = date(year + quarter // 4, quarter % 4 * 3 + 1, 1)
    return next_quarter_start - timedelta(days=1)

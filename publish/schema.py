"""What each published table holds: its fields with their types and meaning, and the shorthand
for a figure that is not shown (the Analysis Function's), as the data package declares them.

The fields of a table made from a mart are read from the mart's dbt YAML (`config.meta.published`
on each published column), so a column is described once, beside its definition.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from pipeline.settings import REPO_ROOT

MODELS_DIR = REPO_ROOT / "dbt_project" / "models"

# Shorthand of the Analysis Function, declared as missing values in the data package schema.
SUPPRESSED, NOT_AVAILABLE, NOT_APPLICABLE = "[c]", "[x]", "[z]"
MISSING_VALUES = [SUPPRESSED, NOT_AVAILABLE, NOT_APPLICABLE]


Field = tuple[str, str, str]  # (name, Frictionless type, description)


def published_fields(model: str, models_dir: Path = MODELS_DIR) -> list[Field]:
    """The columns of a mart that a release publishes, in order, as its dbt YAML declares them:
    each column with `config.meta.published` (type, description and, if it differs, the name)."""
    for path in sorted(models_dir.rglob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry in document.get("models") or []:
            if entry.get("name") != model:
                continue
            fields = []
            for column in entry.get("columns") or []:
                published = ((column.get("config") or {}).get("meta") or {}).get("published")
                if published:
                    fields.append(
                        (published.get("name", column["name"]), published["type"], published["description"])
                    )
            return fields
    raise LookupError(f"no dbt model {model!r} under {models_dir}")


INDICATOR_FIELDS = published_fields("mart_prevention_indicators")
CATALOGUE_FIELDS = published_fields("dim_indicator")
REVISION_FIELDS = published_fields("mart_nrm_revisions")
# the disclosure log is made here, not by dbt
DISCLOSURE_FIELDS = [
    ("table", "string", "Published table"),
    ("indicator_id", "string", "Indicator id"),
    ("period_label", "string", "Period"),
    ("area_code", "string", "Area"),
    ("breakdown", "string", "Breakdown"),
    ("field", "string", "The suppressed cell's column"),
    ("reason", "string", "Why it was suppressed"),
]


def table_schema(fields: list[tuple[str, str, str]], primary_key: list[str] | None = None) -> dict:
    schema: dict = {
        "fields": [{"name": n, "type": t, "description": d} for n, t, d in fields],
        "missingValues": ["", *MISSING_VALUES],
    }
    if primary_key:
        schema["primaryKey"] = primary_key
    return schema

"""What each published table holds: its fields with their types and meaning, and the shorthand
for a figure that is not shown (the Analysis Function's), as the data package declares them.
"""

from __future__ import annotations

# Shorthand of the Analysis Function, declared as missing values in the data package schema.
SUPPRESSED, NOT_AVAILABLE, NOT_APPLICABLE = "[c]", "[x]", "[z]"
MISSING_VALUES = [SUPPRESSED, NOT_AVAILABLE, NOT_APPLICABLE]


INDICATOR_FIELDS = [
    ("indicator_id", "string", "Indicator id; see indicator_catalogue.csv"),
    ("period_type", "string", "quarter or year (calendar)"),
    ("period_label", "string", "'2023-Q4' for a quarter, '2023' for a year"),
    ("period_start_date", "date", "First day of the period"),
    ("area_code", "string", "ONS area code; K02000001 is the United Kingdom"),
    ("area_name", "string", "Area name"),
    ("breakdown", "string", "Subgroup ('all' for everyone)"),
    ("numerator", "integer", "Count in the numerator ([c] suppressed, [x] not available)"),
    ("denominator", "integer", "Count in the denominator ([z] for count indicators)"),
    ("value", "number", "Indicator value in its unit; a ratio is a fraction from 0 to 1"),
    ("unit", "string", "count, ratio, per_100k or per_10k"),
    ("source_vintage", "string", "The source release the figures come from"),
    ("is_provisional", "boolean", "True for the latest quarter and its year, which may be revised"),
]
CATALOGUE_FIELDS = [
    ("indicator_id", "string", "Indicator id"),
    ("name", "string", "Name"),
    ("definition", "string", "What the indicator measures"),
    ("numerator", "string", "What the numerator counts"),
    ("denominator", "string", "What the denominator counts"),
    ("unit", "string", "Unit of value"),
    ("source", "string", "Source of the figures"),
    ("caveats", "string", "What to know before comparing"),
    ("first_comparable_period", "string", "First period from which the series is comparable"),
]
DISCLOSURE_FIELDS = [
    ("table", "string", "Published table"),
    ("indicator_id", "string", "Indicator id"),
    ("period_label", "string", "Period"),
    ("area_code", "string", "Area"),
    ("breakdown", "string", "Breakdown"),
    ("field", "string", "The suppressed cell's column"),
    ("reason", "string", "Why it was suppressed"),
]

REVISION_FIELDS = [
    ("table", "string", "The NRM table the figure is published in"),
    ("period_label", "string", "'2023-Q1' for a quarter, '2023' for a year's published total"),
    ("column_group", "string", "Upper header label (e.g. the age group); empty for one-row headers"),
    ("column_label", "string", "Column label (e.g. the location or outcome)"),
    ("previous_vintage", "string", "The previous release vintage that published the figure"),
    ("previous_value", "integer", "The figure as published then"),
    ("source_vintage", "string", "This release vintage"),
    ("value", "integer", "The figure as published now"),
    ("change", "integer", "value - previous_value"),
]


def table_schema(fields: list[tuple[str, str, str]], primary_key: list[str] | None = None) -> dict:
    schema: dict = {
        "fields": [{"name": n, "type": t, "description": d} for n, t, d in fields],
        "missingValues": ["", *MISSING_VALUES],
    }
    if primary_key:
        schema["primaryKey"] = primary_key
    return schema

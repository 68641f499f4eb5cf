"""Everything generated from the return definition, so that it has one source of truth:

- the templates agencies fill in (CSV, and .xlsx with a guidance sheet), one per kind of agency,
  in docs/templates/;
- the guidance page docs/returns.md;
- the dbt source definition of raw.agency_returns and the seed of agencies expected to return.

    python -m tools.return_templates      # rewrite them all after editing definition.yml

A test regenerates them and fails when a committed copy differs.
"""

from __future__ import annotations

import argparse
import csv
import io
from collections.abc import Sequence
from pathlib import Path

import yaml

from extract.sources.returns.definition import (
    SUCCESSOR_CODES,
    AgencyType,
    ReturnDefinition,
    load_agencies,
    load_definition,
)
from pipeline.settings import REPO_ROOT
from pipeline.xlsx import make_reproducible

TEMPLATE_DIR = REPO_ROOT / "docs" / "templates"
GUIDE_PATH = REPO_ROOT / "docs" / "returns.md"
DBT_SOURCES_PATH = REPO_ROOT / "dbt_project" / "models" / "staging" / "returns" / "_returns__sources.yml"
AGENCY_SEED_PATH = REPO_ROOT / "dbt_project" / "seeds" / "return_agencies.csv"
GENERATED = (
    "Generated from extract/sources/returns/definition.yml by python -m tools.return_templates; do not edit."
)


def template_name(agency_type: AgencyType, extension: str) -> str:
    return f"agency-return-{agency_type.id.replace('_', '-')}.{extension}"


def template_rows(definition: ReturnDefinition, agency_type: AgencyType) -> list[list[str]]:
    """Header, then one row per measure with the agency code and period left for the agency."""
    return [list(definition.column_names), *([["", "", m.id, ""] for m in agency_type.measures])]


def csv_template(definition: ReturnDefinition, agency_type: AgencyType) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(template_rows(definition, agency_type))
    return out.getvalue()


def guidance_rows(definition: ReturnDefinition, agency_type: AgencyType) -> list[list[str]]:
    rows = [
        [f"{definition.name} (version {definition.version}): {agency_type.label}"],
        [
            "Fill in the 'Return' sheet: one row per measure; agency_code and period on every row. "
            f"Write {definition.not_available_marker} when a figure is not available; never leave a value blank."
        ],
        [f"Due {definition.deadline_days} days after the quarter ends. Send values, not formulas."],
        [],
        ["column", "what to write", "example"],
        *([c.name, c.description, c.example] for c in definition.columns),
        [],
        ["measure", "label", "unit", "what to count"],
        *([m.id, m.label, m.unit, m.guidance] for m in agency_type.measures),
    ]
    rules = [r for r in definition.consistency_rules if r.agency_type == agency_type.id]
    if rules:
        rows += [[], ["check", "rule"], *([r.id, r.message] for r in rules)]
    return rows


def write_xlsx_template(path: Path, definition: ReturnDefinition, agency_type: AgencyType) -> None:
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Return"
    for row in template_rows(definition, agency_type):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["C"].width = 44
    guidance = workbook.create_sheet("Guidance")
    for row in guidance_rows(definition, agency_type):
        guidance.append(row)
    guidance.column_dimensions["A"].width = 44
    guidance.column_dimensions["B"].width = 60
    workbook.save(path)
    make_reproducible(path)


def guide_markdown(definition: ReturnDefinition) -> str:
    agencies = load_agencies()
    lines = [
        f"# {definition.name}",
        "",
        f"<!-- {GENERATED} -->",
        "",
        "For the people who fill in the return in council children's services and police forces: what",
        "to send, how, and what happens to it. Version " + str(definition.version) + ".",
        "",
        "## How to send it",
        "",
        "- One row per measure, in the columns below. One file may carry several agencies or quarters;",
        "  each agency and quarter is one return, and must have every measure of its kind exactly once.",
        "- CSV (UTF-8; Windows-1252 and semicolon-separated files are read too) or `.xlsx` (`.ods` too).",
        "  Start from the template for your kind of agency: "
        + ", ".join(
            f"[`{template_name(t, 'csv')}`](templates/{template_name(t, 'csv')}) / [`.xlsx`](templates/{template_name(t, 'xlsx')})"
            for t in definition.agency_types.values()
        )
        + ".",
        "- Drop the file where your upload goes (it lands in `landing/returns/`), or run",
        "  `ctm submit FILE`. A data engineer can also notify the pipeline through Airflow's REST API",
        "  (see the README).",
        f"- Due {definition.deadline_days} days after the quarter ends (configurable by the pipeline's",
        "  operators: `CTM_RETURN_DEADLINE_DAYS`). A later file for the same agency and quarter replaces the",
        "  earlier one (its history is kept); sending the identical file again changes nothing.",
        "",
        "## Columns",
        "",
        "Header names are matched whatever their case and order; notes above the header row and a totals",
        "row under the data are ignored.",
        "",
        "| column | what to write | example |",
        "|---|---|---|",
        *(f"| `{c.name}` | {c.description} | `{c.example}` |" for c in definition.columns),
        "",
    ]
    for agency_type in definition.agency_types.values():
        count = sum(1 for a in agencies.values() if a.agency_type == agency_type.id)
        lines += [
            f"## {agency_type.label}",
            "",
            f"Codes: {', '.join(agency_type.code_prefixes)} ({count} agencies). {agency_type.reference}",
            "",
        ]
        for prefix, reason in agency_type.rejected_prefixes.items():
            lines.append(f"- Not accepted: {prefix}: {reason}.")
        if agency_type.rejected_prefixes:
            lines.append("")
        lines += [
            "| measure | label | unit | what to count |",
            "|---|---|---|---|",
            *(f"| `{m.id}` | {m.label} | {m.unit} | {m.guidance} |" for m in agency_type.measures),
            "",
        ]
    lines += [
        "## Checks",
        "",
        "A file is loaded whole or not at all: one problem rejects it, and nothing of it is loaded.",
        "Every problem is reported at once, with its row, column, the value found, the rule and how to",
        "fix it, in `rejection.md` (for you) and `rejection.json` (for programs) beside the file in",
        "`quarantine/<file_id>/`.",
        "",
        "- `agency_code`: a code of the kinds above in the ONS 2023 lists; "
        + ", ".join(f"{new} is accepted for {old}" for new, old in SUCCESSOR_CODES.items())
        + " (codes changed in 2025).",
        f"- `period`: `YYYY-QN`, a finished quarter, not before {definition.earliest_period}.",
        "- `measure`: a measure of your kind of agency, each exactly once per agency and quarter.",
        f"- `value`: a whole number of 0 or more (spend: at most 2 decimals), or `{definition.not_available_marker}`.",
        *(f"- `{r.id}`: {r.message}." for r in definition.consistency_rules),
        "- Cells with formulas, old `.xls` files, PDFs, web pages, empty files and files over the size",
        "  limits are rejected with the reason.",
        "",
        "## Synthetic sample data",
        "",
        "The returns under `data/samples/returns/` are **synthetic**: made up by",
        "`python -m tools.generate_returns_sample` for real agency codes, so that the demo and",
        "the tests have something to load. They are not real figures of any agency, and say so in every",
        "file. A few of them are broken on purpose, to show what a rejection looks like.",
        "",
    ]
    return "\n".join(lines)


def dbt_sources_yaml(definition: ReturnDefinition) -> str:
    measures = definition.all_measure_ids()
    source = {
        "version": 2,
        "sources": [
            {
                "name": "returns",
                "schema": "raw",
                "description": f"Agency returns as loaded by extract/ingest.py. {GENERATED}",
                "tables": [
                    {
                        "name": "agency_returns",
                        "description": "One row per value of every valid return file (agency x quarter x measure), every file kept.",
                        "columns": [
                            {
                                "name": "file_id",
                                "data_tests": [
                                    "not_null",
                                    {
                                        "relationships": {
                                            "arguments": {
                                                "to": "source('audit', 'file_log')",
                                                "field": "file_id",
                                            }
                                        }
                                    },
                                ],
                            },
                            {
                                "name": "agency_code",
                                "description": definition.columns[0].description,
                                "data_tests": ["not_null"],
                            },
                            {
                                "name": "agency_type",
                                "data_tests": [
                                    {
                                        "accepted_values": {
                                            "arguments": {"values": list(definition.agency_types)}
                                        }
                                    }
                                ],
                            },
                            {
                                "name": "period",
                                "description": definition.columns[1].description,
                                "data_tests": ["not_null"],
                            },
                            {
                                "name": "measure",
                                "data_tests": [{"accepted_values": {"arguments": {"values": measures}}}],
                            },
                            {"name": "value", "description": definition.columns[3].description},
                            {
                                "name": "value_flag",
                                "data_tests": [
                                    {
                                        "accepted_values": {
                                            "arguments": {"values": [definition.not_available_marker]}
                                        }
                                    }
                                ],
                            },
                        ],
                    }
                ],
            }
        ],
    }
    return f"# {GENERATED}\n" + yaml.safe_dump(source, sort_keys=False, width=120)


def agency_seed_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["agency_code", "agency_name", "agency_type", "country_code"])
    for agency in sorted(load_agencies().values(), key=lambda a: a.code):
        writer.writerow([agency.code, agency.name, agency.agency_type, agency.country_code])
    return out.getvalue()


def text_outputs(definition: ReturnDefinition, template_dir: Path = TEMPLATE_DIR) -> dict[Path, str]:
    """Every generated text file and its content (the .xlsx templates are written separately)."""
    outputs = {
        GUIDE_PATH: guide_markdown(definition),
        DBT_SOURCES_PATH: dbt_sources_yaml(definition),
        AGENCY_SEED_PATH: agency_seed_csv(),
    }
    for agency_type in definition.agency_types.values():
        outputs[template_dir / template_name(agency_type, "csv")] = csv_template(definition, agency_type)
    return outputs


def main(argv: Sequence[str] | None = None) -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    definition = load_definition()
    for path, text in text_outputs(definition).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(REPO_ROOT)}")
    for agency_type in definition.agency_types.values():
        path = TEMPLATE_DIR / template_name(agency_type, "xlsx")
        write_xlsx_template(path, definition, agency_type)
        print(f"wrote {path.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()

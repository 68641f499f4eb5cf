"""Release bundles: the marts, disclosure-controlled, as files anyone can open, load and check.

A bundle is a list of steps, one per output (publish/steps.py runs them): the gate's verdict, the
marts read once, disclosure control, the tables as CSV and Parquet and their publication checks,
the release id, the spreadsheets, the quality pages, the report and the data package. It is
written into a temporary directory beside `published/`, checked, then renamed into
`published/<release_id>/` in one step (publish/release.py), and `published/latest` is switched to
it last. The release id is derived from the content, so the same marts give the same id and
byte-identical files, and a published release is never changed.
"""

from __future__ import annotations

import json
from pathlib import Path

from expectations.results import SUMMARY_FILE
from pipeline.disclosure_policy import DisclosurePolicy
from pipeline.settings import Settings
from publish.checks import PublishError
from publish.controlled import disclosure_controlled_tables, disclosure_policy
from publish.marts import ReleaseMarts, read_release_marts
from publish.package import PACKAGE_FILE, SOURCE_ATTRIBUTION, Resource, write_package
from publish.quality_pages import write_quality
from publish.report import write_report
from publish.report_maps import map_figures_note
from publish.steps import Step, run_steps
from publish.tables import check_published_tables, name_release, write_parquet, write_tables
from publish.workbooks import describe_workbook, start_xlsx, write_ods


def check_gate(gate_dir: Path) -> dict:
    """Step: nothing is published unless the quality gate passed; its summary ships in quality/."""
    gate_summary = json.loads((gate_dir / SUMMARY_FILE).read_text())
    if gate_summary.get("success") is not True:
        raise PublishError(f"refusing to publish: the quality gate did not pass ({gate_dir})")
    quality_summary = json.dumps(gate_summary, indent=2, sort_keys=True).encode("utf-8") + b"\n"
    return {"gate_summary": gate_summary, "quality_summary": quality_summary}


def read_marts(settings: Settings) -> dict[str, ReleaseMarts]:
    """Step: every mart the release is made from, read once."""
    marts = read_release_marts(settings)
    if not marts.indicators:
        raise PublishError("marts.mart_prevention_indicators is empty: nothing to publish")
    return {"marts": marts}


def control_disclosure(settings: Settings, marts: ReleaseMarts) -> dict:
    """Step: the indicators and revisions as published, with every cell hidden and why."""
    policy = disclosure_policy(settings)
    controlled = disclosure_controlled_tables(marts.indicators, marts.revisions, marts.definitions, policy)
    return {"policy": policy, "controlled": controlled}


def release_notes(policy: DisclosurePolicy, marts: ReleaseMarts) -> dict[str, list[str]]:
    """Step: the notes of the release, in its spreadsheets and its report."""
    notes = [
        policy.describe() + " Table_4 lists every suppressed cell.",
        "The latest quarter of each indicator, and its year, are provisional (is_provisional): the next release may revise them.",
        "Earlier quarters of the NRM statistics are revised in every release: compare figures of the same source_vintage.",
        "Ratios are fractions from 0 to 1. Rates are per 100,000 (per_100k) or per 10,000 (per_10k) of the "
        "population the indicator names: children aged 0 to 17, or people of all ages for modern slavery offences.",
        "Figures their publisher prints already are not suppressed again, as hiding them protects no one: "
        "every NRM figure (the Home Office's tables, including every figure in Table_3, and sums of them), "
        "police recorded offences, Children in Need factors by council, and the ONS populations. Disclosure "
        "control applies to what this release is first to publish: the figures of agency returns. A figure "
        "its publisher suppressed stays [c]. Every value not shown says why in null_reason.",
        "Sample agency returns shipped with the software are synthetic; their figures are not those of any agency. "
        "They arrive when the software is run, long after their quarters' deadlines, so with them the on-time "
        "share of returns (returns_on_time_share) is 0%: it measures when a return arrived, not its content.",
        map_figures_note(marts.catalogue),
        SOURCE_ATTRIBUTION,
    ]
    return {"notes": notes}


def write_datapackage(
    directory: Path,
    release_id: str,
    policy: DisclosurePolicy,
    marts: ReleaseMarts,
    table_files: list[Resource],
    parquet_files: list[Resource],
    ods_file: Resource,
    xlsx_file: Resource,
    report_file: Resource,
    quality_files: list[Resource],
) -> dict[str, Path]:
    """Step: datapackage.json, listing every file in the order the release has always listed them."""
    resources = [*table_files, *parquet_files, ods_file, xlsx_file, report_file, *quality_files]
    vintages = sorted({r["source_vintage"] for r in marts.indicators})
    write_package(directory, release_id, policy, vintages, resources)
    return {"datapackage": directory / PACKAGE_FILE}


STEPS = [
    Step.of(check_gate, ("gate_summary", "quality_summary")),
    Step.of(read_marts, ("marts",)),
    Step.of(control_disclosure, ("policy", "controlled")),
    Step.of(write_tables, ("tables", "table_files")),
    Step.of(write_parquet, ("parquet", "parquet_files")),
    Step.of(check_published_tables, ("publication",)),
    Step.of(name_release, ("release_id",)),
    Step.of(release_notes, ("notes",)),
    Step.of(describe_workbook, ("book",)),
    Step.of(start_xlsx, ("xlsx_file",), in_background=True),
    Step.of(write_ods, ("ods_file",)),
    Step.of(write_quality, ("quality_files", "suites")),
    Step.of(write_report, ("report_file",)),
    Step.of(write_datapackage, ("datapackage",)),
]


def build_bundle(settings: Settings, gate_dir: Path, directory: Path) -> str:
    """Write every release file into `directory`; returns the release id derived from the content.
    `gate_dir` holds the quality gate's results (GateResult.write), which ship in the release."""
    products = run_steps(STEPS, {"settings": settings, "gate_dir": Path(gate_dir), "directory": directory})
    return products["release_id"]

"""Writing the sample workbooks (data/samples/nrm/) and the known labels of the open dimensions."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from pipeline.ods import write_ods
from pipeline.settings import REPO_ROOT

from .layouts import LAYOUT_2023, Layout
from .reference import REFERENCE_DIR, Referrals, load_referrals
from .releases import (
    COUNTY_RELEASES,
    RELEASES,
    _release_workbook,
    county_tables,
    release_layout,
    release_sheets,
    workbook_sheets,
)

SAMPLE_DIR = REPO_ROOT / "data" / "samples" / "nrm"


def write_sample_workbook(
    out: Path,
    referrals: Referrals | None = None,
    *,
    table_number: int = 2,
    rows_above_header: int = 5,
    layout: Layout = LAYOUT_2023,
) -> Path:
    referrals = referrals if referrals is not None else load_referrals()
    layout = replace(layout, rows_above_header=rows_above_header)
    write_ods(
        out,
        workbook_sheets(referrals, table_number=table_number, layout=layout),
        office_suite=layout.office_suite,
    )
    return out


def sample_workbook_name(year: int, quarter: int) -> str:
    return f"nrm-{year}-q{quarter}-tables.ods"


def write_release_samples(out: Path = SAMPLE_DIR) -> list[Path]:
    """Every release in RELEASES and COUNTY_RELEASES, as shipped in data/samples/nrm/."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for year, quarter in RELEASES:
        path = out / sample_workbook_name(year, quarter)
        write_ods(
            path, release_sheets(year, quarter), office_suite=release_layout(year, quarter).office_suite
        )
        written.append(path)
    for year, quarter in COUNTY_RELEASES:
        path = out / sample_workbook_name(year, quarter)
        write_ods(path, _release_workbook(year, quarter, county_tables(year, quarter)))
        written.append(path)
    return written


KNOWN_LABELS = REPO_ROOT / "extract" / "sources" / "nrm" / "known_labels.csv"


def write_known_labels(out: Path = KNOWN_LABELS) -> Path:
    """The labels of the open dimensions the real releases in data/nrm used (and the referral
    form's counties): what `ctm inspect` does not call new."""
    from extract.labels import display_label

    known: dict[str, set[str]] = defaultdict(set)
    for path in sorted(REFERENCE_DIR.glob("nrm_referrals_*_20*_q*.csv")):
        if "county" in path.name:
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for dimension, column in (
                    ("first responder", "First responder"),
                    ("exploitation type", "Exploitation type"),
                    ("gender", "Gender"),
                    ("nationality", "Nationality"),
                ):
                    known[dimension].add(display_label(row[column]))
    for path in sorted(REFERENCE_DIR.glob("nrm_duty_to_notify_by_nationality_*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            known["nationality"].update(display_label(row["Nationality"]) for row in csv.DictReader(handle))
    with (REPO_ROOT / "data" / "geography" / "nrm_county_lookup.csv").open(
        encoding="utf-8", newline=""
    ) as handle:
        known["UK county"].update(display_label(row["nrm_county"]) for row in csv.DictReader(handle))
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["dimension", "label"])
        writer.writerows(
            (dimension, label) for dimension in sorted(known) for label in sorted(known[dimension])
        )
    return out

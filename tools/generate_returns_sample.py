"""Synthetic agency returns for real agency codes: for the demo, the tests and the benchmark.

The figures are made up (seeded, so the files are the same every time) and every file says so in
a note above its header. Real codes come from data/geography/ through the return definition.

    python -m tools.generate_returns_sample [--out data/samples/returns]

Writes, for 2024-Q2 and 2024-Q3: one CSV of every council's returns and one .xlsx of every police
force's; a council's corrected resubmission; and a few broken files that the intake must reject.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
from collections.abc import Iterable, Sequence
from pathlib import Path

from extract.sources.returns.definition import Agency, ReturnDefinition, load_agencies, load_definition
from pipeline.settings import REPO_ROOT
from pipeline.xlsx import make_reproducible

SAMPLE_DIR = REPO_ROOT / "data" / "samples" / "returns"
SYNTHETIC_NOTE = (
    "SYNTHETIC DATA: made up by child-trafficking-monitor for testing; not the figures of any agency."
)
SAMPLE_PERIODS = ("2024-Q2", "2024-Q3")
# Ranges for made-up figures, by measure (spend in pounds).
_RANGES = {
    "children_assessed_trafficking_concern": (0, 12),
    "children_assessed_cce_concern": (0, 40),
    "children_assessed_cse_concern": (0, 30),
    "children_assessed_gangs_concern": (0, 20),
    "children_missing": (5, 120),
    "nrm_child_referrals_made": (0, 25),
    "ictg_referrals_made": (0, 10),
    "s47_enquiries_started": (0, 40),
    "children_supported_by_exploitation_service": (0, 80),
    "prevention_spend_gbp": (0, 250_000),
    "modern_slavery_crimes_recorded": (5, 200),
    "child_victims_identified": (0, 40),
    "county_lines_closed": (0, 20),
    "county_lines_arrests": (0, 60),
}

Row = list[str]


def synthetic_return(
    agency: Agency, period: str, definition: ReturnDefinition, rng: random.Random
) -> list[Row]:
    """One agency's return for one quarter, every measure once, internally consistent."""
    rows: list[Row] = []
    values: dict[str, str] = {}
    for measure in definition.agency_types[agency.agency_type].measures:
        if measure.id == "missing_episodes":
            value = str(int(values["children_missing"]) * rng.randint(1, 4))
        elif measure.id == "ictg_referrals_made" and rng.random() < 0.3:
            value = definition.not_available_marker  # the guardian service does not run everywhere
        elif measure.type == "money":
            value = f"{rng.randint(*_RANGES[measure.id])}.{rng.randint(0, 99):02d}"
        else:
            value = str(rng.randint(*_RANGES[measure.id]))
        values[measure.id] = value
        rows.append([agency.code, period, measure.id, value])
    return rows


def returns_rows(
    agencies: Iterable[Agency], periods: Sequence[str], definition: ReturnDefinition, seed: int
) -> list[Row]:
    rng = random.Random(seed)
    return [
        row
        for period in periods
        for agency in agencies
        for row in synthetic_return(agency, period, definition, rng)
    ]


def csv_text(rows: list[Row], *, delimiter: str = ",", note: str = SYNTHETIC_NOTE) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow([note])
    writer.writerow([])
    writer.writerow(list(load_definition().column_names))
    writer.writerows(rows)
    return out.getvalue()


def write_xlsx(path: Path, rows: list[Row]) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Return"
    sheet.append([SYNTHETIC_NOTE])
    sheet.append(list(load_definition().column_names))
    for agency_code, period, measure, value in rows:
        number = float(value) if "." in value else int(value) if value.isdigit() else value
        sheet.append([agency_code, period, measure, number])
    workbook.save(path)
    make_reproducible(path)


def by_type(agency_type: str) -> list[Agency]:
    return sorted((a for a in load_agencies().values() if a.agency_type == agency_type), key=lambda a: a.code)


def write_samples(out: Path = SAMPLE_DIR) -> list[Path]:
    definition = load_definition()
    out.mkdir(parents=True, exist_ok=True)
    councils, police = by_type("children_services"), by_type("police")
    written = []

    def text(name: str, content: str, encoding: str = "utf-8") -> None:
        path = out / name
        path.write_bytes(content.encode(encoding))
        written.append(path)

    text("synthetic-councils-2024.csv", csv_text(returns_rows(councils, SAMPLE_PERIODS, definition, seed=1)))
    police_path = out / "synthetic-police-2024.xlsx"
    write_xlsx(police_path, returns_rows(police, SAMPLE_PERIODS, definition, seed=2))
    written.append(police_path)
    # Birmingham corrects its 2024-Q3 return: a later file for the same agency and quarter supersedes it.
    birmingham = load_agencies()["E08000025"]
    corrected = synthetic_return(birmingham, "2024-Q3", definition, random.Random(3))
    text("synthetic-E08000025-2024-Q3-corrected.csv", csv_text(corrected, delimiter=";"), encoding="cp1252")
    # Broken on purpose: the demo shows them quarantined with their reports.
    kent = synthetic_return(load_agencies()["E10000016"], "2024-Q3", definition, random.Random(4))
    kent[0][0] = "E07000105"  # Ashford, a shire district: Kent County Council returns for it
    kent[4][3], kent[5][3] = "50", "20"  # children_missing above missing_episodes
    kent[7][3] = "twelve"
    text("synthetic-broken-E10000016-2024-Q3.csv", csv_text(kent))
    text(
        "synthetic-broken-not-a-spreadsheet.xlsx", "<!DOCTYPE html><html><body>Upload failed</body></html>\n"
    )
    return written


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR)
    args = parser.parse_args(argv)
    for path in write_samples(args.out):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
